package knowledge

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ErrConflict is matched by a *ConflictError.
var ErrConflict = errors.New("changed since you last saw it")

// ConflictError refuses a change whose author last saw an older revision of
// the entry than the newest: someone else changed it in between. Current is
// the newer revision, to show them; nothing was written.
type ConflictError struct {
	ID string
	// Base is the revision the change was based on; 0 for a new entry.
	Base int64
	// Current is the entry's newest record; its Rev is 0 when the entry has
	// never existed, and its Op is OpRemove when it was removed.
	Current Record
}

func (e *ConflictError) Error() string {
	c := e.Current
	switch {
	case c.Rev == 0:
		return fmt.Sprintf("%s does not exist (you named revision %d)", e.ID, e.Base)
	case e.Base == 0 && c.Live():
		return fmt.Sprintf("%s already exists (revision %d by %s): edit it instead", e.ID, c.Rev, c.Author)
	case !c.Live():
		return fmt.Sprintf("%s was removed in revision %d by %s at %s, after revision %d you started from", e.ID, c.Rev, c.Author, c.Time.Format("2006-01-02 15:04 MST"), e.Base)
	default:
		return fmt.Sprintf("%s changed in revision %d by %s at %s, after revision %d you started from", e.ID, c.Rev, c.Author, c.Time.Format("2006-01-02 15:04 MST"), e.Base)
	}
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// checkBase refuses a change to key unless base is its newest revision, or 0
// when it does not exist now.
func (s *Store) checkBase(key string, base int64) error {
	cur := s.state.Latest(key)
	if base == cur.Rev || base == 0 && !cur.Live() {
		return nil
	}
	return &ConflictError{ID: key, Base: base, Current: cur}
}

// Put adds an entry (base 0) or replaces one (base is the revision the author
// last saw, from Source or History), with the whole text of its file. The id
// comes from the text's front matter. It returns the record written, a
// *ValidationError listing every problem, or a *ConflictError.
func (s *Store) Put(ctx context.Context, author, text string, base int64) (Record, error) {
	text = EnsureNewline(text)
	e, ps := ParseEntry("entry", []byte(text))
	if len(ps) > 0 {
		return Record{}, &ValidationError{Problems: ps}
	}
	return s.one(ctx, func() (Record, error) {
		if err := s.checkBase(e.ID, base); err != nil {
			return Record{}, err
		}
		if cur := s.state.Latest(e.ID); cur.Live() && cur.Text == text {
			return Record{}, fmt.Errorf("%s: %w", e.ID, ErrNoChange)
		}
		return Record{Author: author, Op: OpPut, ID: e.ID, Text: text}, nil
	})
}

// Remove removes an entry; its history stays, and Undo brings it back.
func (s *Store) Remove(ctx context.Context, author, id string, base int64) (Record, error) {
	if err := CheckID(id); err != nil {
		return Record{}, err
	}
	if id == SynonymsFile {
		return Record{}, errors.New("the synonyms file cannot be removed; replace it with an empty one")
	}
	return s.one(ctx, func() (Record, error) {
		if !s.state.Latest(id).Live() {
			return Record{}, fmt.Errorf("entry %q: %w", id, ErrNotFound)
		}
		if err := s.checkBase(id, base); err != nil {
			return Record{}, err
		}
		return Record{Author: author, Op: OpRemove, ID: id}, nil
	})
}

// maxSynonymsBytes bounds the synonyms file, like MaxEntryBytes an entry.
const maxSynonymsBytes = 64 << 10

// SetSynonyms replaces synonyms.txt; base is the revision of SynonymsFile the
// author last saw.
func (s *Store) SetSynonyms(ctx context.Context, author, text string, base int64) (Record, error) {
	if len(text) > maxSynonymsBytes {
		return Record{}, &ValidationError{Problems: []Problem{{File: SynonymsFile, Msg: fmt.Sprintf("synonyms file is %d bytes, over the %d-byte limit", len(text), maxSynonymsBytes)}}}
	}
	if strings.TrimSpace(text) != "" {
		text = EnsureNewline(text)
	}
	return s.one(ctx, func() (Record, error) {
		if err := s.checkBase(SynonymsFile, base); err != nil {
			return Record{}, err
		}
		return Record{Author: author, Op: OpSynonyms, ID: SynonymsFile, Text: text}, nil
	})
}

// AddQuestion adds an alternate question to an entry, so that people asking
// it get the entry, and closes the gap of that question.
func (s *Store) AddQuestion(ctx context.Context, author, id, question string, base int64) (Record, error) {
	if err := CheckID(id); err != nil {
		return Record{}, err
	}
	q, _ := CleanQuestion(question)
	if q == "" {
		return Record{}, ErrEmptyQuestion
	}
	r, err := s.one(ctx, func() (Record, error) {
		cur := s.state.Latest(id)
		if !cur.Live() || id == SynonymsFile {
			return Record{}, fmt.Errorf("entry %q: %w", id, ErrNotFound)
		}
		if err := s.checkBase(id, base); err != nil {
			return Record{}, err
		}
		text, err := withQuestion(cur.Text, q)
		if err != nil {
			return Record{}, err
		}
		return Record{Author: author, Op: OpPut, ID: id, Text: text, Note: "added question " + q}, nil
	})
	if err != nil {
		return r, err
	}
	return r, s.closeGap(ctx, author, q, id)
}

// History returns every revision of an entry (or of SynonymsFile), oldest
// first, removals included.
func (s *Store) History(ctx context.Context, id string) ([]Record, error) {
	if err := CheckID(id); err != nil {
		return nil, err
	}
	all, err := s.log.Since(ctx, 0)
	if err != nil {
		return nil, err
	}
	var out []Record
	for _, r := range all {
		if r.ID == id {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("entry %q: %w", id, ErrNotFound)
	}
	return out, nil
}

// Undo restores the revision of an entry before its newest one: a removed
// entry comes back, a new one goes, an edit is reverted. Undoing twice redoes.
func (s *Store) Undo(ctx context.Context, author, id string, base int64) (Record, error) {
	return s.restore(ctx, author, id, base, func(hist []Record) (Record, string, error) {
		last := hist[len(hist)-1]
		if len(hist) == 1 {
			return Record{}, fmt.Sprintf("undo of revision %d", last.Rev), nil
		}
		return hist[len(hist)-2], fmt.Sprintf("undo of revision %d", last.Rev), nil
	})
}

// Revert restores an entry to what revision rev of it said.
func (s *Store) Revert(ctx context.Context, author, id string, rev, base int64) (Record, error) {
	return s.restore(ctx, author, id, base, func(hist []Record) (Record, string, error) {
		for _, r := range hist {
			if r.Rev == rev {
				return r, fmt.Sprintf("revert to revision %d", rev), nil
			}
		}
		return Record{}, "", fmt.Errorf("revision %d of %s: %w", rev, id, ErrNotFound)
	})
}

// restore writes again the state of id that pick chooses from its history;
// a zero record means "did not exist".
func (s *Store) restore(ctx context.Context, author, id string, base int64, pick func([]Record) (Record, string, error)) (Record, error) {
	if err := CheckID(id); err != nil {
		return Record{}, err
	}
	return s.one(ctx, func() (Record, error) {
		if err := s.checkBase(id, base); err != nil {
			return Record{}, err
		}
		hist, err := s.History(ctx, id)
		if err != nil {
			return Record{}, err
		}
		from, note, err := pick(hist)
		if err != nil {
			return Record{}, err
		}
		r := Record{Author: author, Op: OpRemove, ID: id, Note: note}
		switch {
		case id == SynonymsFile:
			r.Op, r.Text = OpSynonyms, from.Text
		case from.Live():
			r.Op, r.Text = OpPut, from.Text
		}
		if cur := s.state.Latest(id); cur.Present() == r.Present() && cur.Text == r.Text {
			return Record{}, fmt.Errorf("%s is already as it was: %w", id, ErrNoChange)
		}
		return r, nil
	})
}

// one validates and commits the single record plan returns.
func (s *Store) one(ctx context.Context, plan func() (Record, error)) (Record, error) {
	out, err := s.change(ctx, func() ([]Record, error) {
		r, err := plan()
		if err != nil {
			return nil, err
		}
		if err := s.state.Check(r); err != nil {
			return nil, err
		}
		return []Record{r}, nil
	})
	if err != nil {
		return Record{}, err
	}
	return out[0], nil
}
