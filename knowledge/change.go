package knowledge

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// checkBase refuses a change to key unless base is its newest revision, or 0
// when it does not exist now.
func (m *Moderation) checkBase(key string, base int64) error {
	cur := m.state.Latest(key)
	if base == cur.Rev || base == 0 && !cur.Live() {
		return nil
	}
	return &ConflictError{ID: key, Base: base, Current: cur}
}

// Put adds an entry (base 0) or replaces one (base is the revision the author
// last saw, from Source or History), with the whole text of its file. The id
// comes from the text's front matter. It returns the record written, a
// *ValidationError listing every problem, or a *ConflictError.
func (m *Moderation) Put(ctx context.Context, author, text string, base int64) (Record, error) {
	text = EnsureNewline(text)
	e, ps := ParseEntry("entry", []byte(text))
	if len(ps) > 0 {
		return Record{}, &ValidationError{Problems: ps}
	}
	return m.one(ctx, func() (Record, error) {
		if err := m.checkBase(e.ID, base); err != nil {
			return Record{}, err
		}
		if cur := m.state.Latest(e.ID); cur.Live() && cur.Text == text {
			return Record{}, fmt.Errorf("%s: %w", e.ID, ErrNoChange)
		}
		return Record{Author: author, Op: OpPut, ID: e.ID, Text: text}, nil
	})
}

// Remove removes an entry; its history stays, and Undo brings it back.
func (m *Moderation) Remove(ctx context.Context, author, id string, base int64) (Record, error) {
	if err := CheckID(id); err != nil {
		return Record{}, err
	}
	if id == SynonymsFile {
		return Record{}, errors.New("the synonyms file cannot be removed; replace it with an empty one")
	}
	return m.one(ctx, func() (Record, error) {
		if !m.state.Latest(id).Live() {
			return Record{}, fmt.Errorf("entry %q: %w", id, ErrNotFound)
		}
		if err := m.checkBase(id, base); err != nil {
			return Record{}, err
		}
		return Record{Author: author, Op: OpRemove, ID: id}, nil
	})
}

// maxSynonymsBytes bounds the synonyms file, like MaxEntryBytes an entry.
const maxSynonymsBytes = 64 << 10

// SetSynonyms replaces synonyms.txt; base is the revision of SynonymsFile the
// author last saw.
func (m *Moderation) SetSynonyms(ctx context.Context, author, text string, base int64) (Record, error) {
	if len(text) > maxSynonymsBytes {
		return Record{}, &ValidationError{Problems: []Problem{{File: SynonymsFile, Msg: fmt.Sprintf("synonyms file is %d bytes, over the %d-byte limit", len(text), maxSynonymsBytes)}}}
	}
	if strings.TrimSpace(text) != "" {
		text = EnsureNewline(text)
	}
	return m.one(ctx, func() (Record, error) {
		if err := m.checkBase(SynonymsFile, base); err != nil {
			return Record{}, err
		}
		return Record{Author: author, Op: OpSynonyms, ID: SynonymsFile, Text: text}, nil
	})
}

// AddQuestion adds an alternate question to an entry, so that people asking
// it get the entry, and closes the gap of that question.
func (m *Moderation) AddQuestion(ctx context.Context, author, id, question string, base int64) (Record, error) {
	if err := CheckID(id); err != nil {
		return Record{}, err
	}
	q, _ := CleanQuestion(question)
	if q == "" {
		return Record{}, ErrEmptyQuestion
	}
	r, err := m.one(ctx, func() (Record, error) {
		cur := m.state.Latest(id)
		if !cur.Live() || id == SynonymsFile {
			return Record{}, fmt.Errorf("entry %q: %w", id, ErrNotFound)
		}
		if err := m.checkBase(id, base); err != nil {
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
	return r, m.closeGap(ctx, author, q, id)
}

// History returns every revision of an entry (or of SynonymsFile), oldest
// first, removals included.
func (m *Moderation) History(ctx context.Context, id string) ([]Record, error) {
	if err := CheckID(id); err != nil {
		return nil, err
	}
	all, err := m.revs.Since(ctx, 0)
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
func (m *Moderation) Undo(ctx context.Context, author, id string, base int64) (Record, error) {
	return m.restore(ctx, author, id, base, func(hist []Record) (Record, string, error) {
		last := hist[len(hist)-1]
		if len(hist) == 1 {
			return Record{}, fmt.Sprintf("undo of revision %d", last.Rev), nil
		}
		return hist[len(hist)-2], fmt.Sprintf("undo of revision %d", last.Rev), nil
	})
}

// Revert restores an entry to what revision rev of it said.
func (m *Moderation) Revert(ctx context.Context, author, id string, rev, base int64) (Record, error) {
	return m.restore(ctx, author, id, base, func(hist []Record) (Record, string, error) {
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
func (m *Moderation) restore(ctx context.Context, author, id string, base int64, pick func([]Record) (Record, string, error)) (Record, error) {
	if err := CheckID(id); err != nil {
		return Record{}, err
	}
	return m.one(ctx, func() (Record, error) {
		if err := m.checkBase(id, base); err != nil {
			return Record{}, err
		}
		hist, err := m.History(ctx, id)
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
		if cur := m.state.Latest(id); cur.Present() == r.Present() && cur.Text == r.Text {
			return Record{}, fmt.Errorf("%s is already as it was: %w", id, ErrNoChange)
		}
		return r, nil
	})
}

// one validates and commits the single record plan returns.
func (m *Moderation) one(ctx context.Context, plan func() (Record, error)) (Record, error) {
	out, err := m.change(ctx, func() ([]Record, error) {
		r, err := plan()
		if err != nil {
			return nil, err
		}
		if err := m.state.Check(r); err != nil {
			return nil, err
		}
		return []Record{r}, nil
	})
	if err != nil {
		return Record{}, err
	}
	return out[0], nil
}
