package knowledge

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Newest, as the base of a change, applies it to whatever the entry is when
// the change is made, for a command that names an entry without having shown
// it. Passing the revision Revision returned instead would refuse the change
// whenever another writer got in between.
const Newest int64 = -1

// checkBase refuses a change to id unless base is its newest revision, 0
// when it does not exist now, or Newest. The caller holds m.mu and has
// caught up.
func (m *Moderation) checkBase(ctx context.Context, id string, base int64) error {
	cur := m.state.Latest(id)
	if base == Newest || base == cur.Rev || base == 0 && !cur.Live() {
		return nil
	}
	// A base written for another entry is an edit that changed the id,
	// which would leave the old entry behind under its old id.
	if base > 0 && base <= m.state.Head() {
		recs, err := m.revs.Since(ctx, base-1)
		if err != nil {
			return err
		}
		if len(recs) > 0 && recs[0].ID != id {
			return refused(id, "an edit keeps its id: revision %d you started from is of %s, but the text says id: %s. To rename, add the entry as new and remove %s", base, recs[0].ID, id, recs[0].ID)
		}
	}
	return &ChangeError{Kind: Conflict, ID: id, Base: base, Current: cur, Err: ErrConflict}
}

// Put adds an entry (base 0) or replaces one (base is the revision the author
// last saw, from Text or History), with the whole text of its file. The id
// comes from the text's front matter, and an edit keeps it. It returns the
// record written or a *ChangeError.
func (m *Moderation) Put(ctx context.Context, author, text string, base int64) (Record, error) {
	text = EnsureNewline(text)
	e, ps := ParseEntry("", []byte(text)) // the front end names the text
	if len(ps) > 0 {
		return Record{}, &ChangeError{Kind: Invalid, Base: base, Problems: ps, Err: &ValidationError{Problems: ps}}
	}
	return m.one(ctx, e.ID, func() (Record, error) {
		if err := m.checkBase(ctx, e.ID, base); err != nil {
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
	if id == SynonymsFile {
		return Record{}, refused(id, "the synonyms file cannot be removed; replace it with an empty one")
	}
	return m.one(ctx, id, func() (Record, error) {
		if !m.state.Latest(id).Live() {
			return Record{}, fmt.Errorf("entry %q: %w", id, ErrNotFound)
		}
		if err := m.checkBase(ctx, id, base); err != nil {
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
		return Record{}, refused(SynonymsFile, "synonyms file is %d bytes, over the %d-byte limit", len(text), maxSynonymsBytes)
	}
	if strings.TrimSpace(text) != "" {
		text = EnsureNewline(text)
	}
	return m.one(ctx, SynonymsFile, func() (Record, error) {
		if err := m.checkBase(ctx, SynonymsFile, base); err != nil {
			return Record{}, err
		}
		if cur := m.state.Latest(SynonymsFile); cur.Text == text {
			return Record{}, fmt.Errorf("%s: %w", SynonymsFile, ErrNoChange)
		}
		return Record{Author: author, Op: OpSynonyms, ID: SynonymsFile, Text: text}, nil
	})
}

// AddQuestion adds an alternate question to an entry, so that people asking
// it get the entry, and closes the gap of that question. A question the entry
// already has closes its gap too, and is refused as NoChange.
func (m *Moderation) AddQuestion(ctx context.Context, author, id, question string, base int64) (Record, error) {
	q, _ := CleanQuestion(question)
	if q == "" {
		return Record{}, asChangeError(id, ErrEmptyQuestion)
	}
	if id == SynonymsFile {
		return Record{}, refused(id, "questions belong to entries, not to the synonyms file")
	}
	r, err := m.one(ctx, id, func() (Record, error) {
		cur := m.state.Latest(id)
		if !cur.Live() {
			return Record{}, fmt.Errorf("entry %q: %w", id, ErrNotFound)
		}
		if err := m.checkBase(ctx, id, base); err != nil {
			return Record{}, err
		}
		text, err := withQuestion(cur.Text, q)
		if err != nil {
			return Record{}, err
		}
		return Record{Author: author, Op: OpPut, ID: id, Text: text, Note: "added question " + q}, nil
	})
	if err != nil && !errors.Is(err, ErrNoChange) {
		return r, err
	}
	if cerr := m.closeGap(ctx, author, q, id); cerr != nil {
		return r, asChangeError(id, cerr)
	}
	if err != nil {
		return r, &ChangeError{Kind: NoChange, ID: id, Err: fmt.Errorf("%q is already a question of %s, so its gap is closed: %w", q, id, ErrNoChange)}
	}
	return r, nil
}

// History returns every revision of an entry (or of SynonymsFile), oldest
// first, removals included.
func (m *Moderation) History(ctx context.Context, id string) ([]Record, error) {
	hist, err := m.history(ctx, id)
	return hist, asChangeError(id, err)
}

func (m *Moderation) history(ctx context.Context, id string) ([]Record, error) {
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
// entry comes back, a new one goes, an edit is reverted. Undoing twice
// redoes. An entry's first revision taken from the embedded default has
// nothing before it of the moderators': undoing it is refused, so that no one
// empties the synonyms or drops a default entry by accident.
func (m *Moderation) Undo(ctx context.Context, author, id string, base int64) (Record, error) {
	return m.restore(ctx, author, id, base, func(hist []Record) (Record, string, error) {
		last := hist[len(hist)-1]
		note := fmt.Sprintf("undo of revision %d", last.Rev)
		if len(hist) > 1 {
			return hist[len(hist)-2], note, nil
		}
		if last.Upstream {
			what := "remove it"
			if id == SynonymsFile {
				what = "replace it with an empty one"
			}
			return Record{}, "", refused(id, "revision %d is where %s came from (the embedded default): there is nothing before it to undo; to drop it, %s", last.Rev, id, what)
		}
		return Record{}, note, nil
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
	return m.one(ctx, id, func() (Record, error) {
		if err := m.checkBase(ctx, id, base); err != nil {
			return Record{}, err
		}
		hist, err := m.history(ctx, id)
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

// one validates and commits the single record plan returns, a change of id.
func (m *Moderation) one(ctx context.Context, id string, plan func() (Record, error)) (Record, error) {
	if err := CheckID(id); err != nil {
		return Record{}, asChangeError(id, err)
	}
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
		return Record{}, asChangeError(id, err)
	}
	return out[0], nil
}
