package datadir

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"slices"

	"github.com/smpbot/bot/knowledge"
)

// Upstream is a file of the embedded default that is new or has changed since
// the data directory last took it (when it was seeded, or by Merge).
type Upstream struct {
	// ID is the entry's id, or knowledge.SynonymsFile.
	ID string
	// New is set for a file the data directory never had from upstream.
	New bool
	// Edited is set when moderators changed or removed the local copy since
	// it was last taken from upstream: merging replaces their version.
	Edited bool
	// Text is the upstream text.
	Text string
}

// Upstream lists the files of fsys, the embedded default, that are new or
// changed since the data directory last took them, by id.
func (s *Store) Upstream(ctx context.Context, fsys fs.FS) ([]Upstream, error) {
	texts, err := knowledge.ReadFiles(fsys)
	if err != nil {
		return nil, err
	}
	all, err := s.log.Since(ctx, 0)
	if err != nil {
		return nil, err
	}
	taken := map[string]string{} // the last upstream text recorded, by key
	latest := map[string]knowledge.Record{}
	for _, r := range all {
		if r.Upstream {
			taken[r.ID] = r.Text
		}
		latest[r.ID] = r
	}
	var out []Upstream
	for _, p := range slices.Sorted(maps.Keys(texts)) {
		key, text := knowledge.FileID(p), texts[p]
		last, seen := taken[key]
		if seen && last == text {
			continue
		}
		cur := latest[key]
		out = append(out, Upstream{
			ID:     key,
			New:    !seen,
			Edited: seen && (!cur.Present() || cur.Text != last) || !seen && cur.Present(),
			Text:   text,
		})
	}
	return out, nil
}

// Merge takes the upstream version of each of ids from fsys, in one batch
// validated as a whole, and returns the records written.
func (s *Store) Merge(ctx context.Context, author string, fsys fs.FS, ids ...string) ([]knowledge.Record, error) {
	ups, err := s.Upstream(ctx, fsys)
	if err != nil {
		return nil, err
	}
	byID := map[string]Upstream{}
	for _, u := range ups {
		byID[u.ID] = u
	}
	var recs []knowledge.Record
	for _, id := range ids {
		u, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("%s has no upstream change to merge: %w", id, knowledge.ErrNotFound)
		}
		recs = append(recs, knowledge.Record{Author: author, Op: knowledge.OpFor(id), ID: id, Text: u.Text, Upstream: true, Note: "sync from the embedded default"})
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("name the entries to merge: %w", knowledge.ErrNoChange)
	}
	return s.change(ctx, func() ([]knowledge.Record, error) { return recs, nil })
}
