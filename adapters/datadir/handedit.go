package datadir

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"

	"github.com/smpbot/bot/knowledge"
)

// reconcile records the files edited by hand since the log last wrote them.
// A valid edit becomes a change by HandEdit; an invalid one is skipped and its
// problems kept for Problems, while the log's version keeps serving. Edits
// that only make sense together (a new entry and another relating to it) are
// accepted together. The caller holds the lock and has caught up.
func (s *Store) reconcile(ctx context.Context) error {
	disk, odd, err := s.readDisk()
	if err != nil {
		return err
	}
	edits := map[string]knowledge.Record{}
	rejected := map[string]rejection{}
	for _, p := range odd {
		rejected[p] = rejection{problems: []knowledge.Problem{{File: p, Msg: "not a regular file (a symlink, FIFO or directory): only regular files are read"}}}
	}
	for p, text := range disk {
		key := knowledge.FileID(p)
		if p != knowledge.SynonymsFile && !knowledge.ValidID(key) {
			rejected[p] = rejection{text: text, problems: []knowledge.Problem{{File: p, Msg: fmt.Sprintf("file name %q is not a valid entry id: use lowercase letters, digits and single hyphens", path.Base(p))}}}
			continue
		}
		if r := s.state.Latest(key); !r.Present() || r.Text != text {
			edits[key] = knowledge.Record{Author: HandEdit, Op: knowledge.OpFor(key), ID: key, Text: text}
		}
	}
	for _, key := range s.state.IDs() {
		p := knowledge.FilePath(key)
		if _, ok := disk[p]; !ok && !slices.Contains(odd, p) && s.state.Latest(key).Present() {
			if key == knowledge.SynonymsFile {
				edits[key] = knowledge.Record{Author: HandEdit, Op: knowledge.OpSynonyms, ID: key}
			} else {
				edits[key] = knowledge.Record{Author: HandEdit, Op: knowledge.OpRemove, ID: key}
			}
		}
	}
	accepted := acceptable(edits, s.state.Check)
	for _, r := range accepted {
		delete(edits, r.ID)
	}
	for key, r := range edits {
		// Report each skipped file with the problems it has on its own.
		err := s.state.Check(append(append([]knowledge.Record(nil), accepted...), r)...)
		if err == nil {
			continue
		}
		var ve *knowledge.ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		ps := ve.Problems
		if r.Op == knowledge.OpRemove {
			ps = append([]knowledge.Problem{{File: knowledge.FilePath(key), Msg: "removed by hand, but the knowledge base needs it"}}, ps...)
		}
		rejected[knowledge.FilePath(key)] = rejection{text: r.Text, problems: ps}
	}
	changedRejects := len(rejected) != len(s.rejected)
	for p, r := range rejected {
		if old, ok := s.rejected[p]; !ok || old.text != r.text {
			changedRejects = true
		}
	}
	s.rejected = rejected
	if len(accepted) > 0 {
		_, err := s.commit(ctx, accepted)
		return err
	}
	if changedRejects && s.view.Load() != nil {
		return s.rebuild()
	}
	return nil
}

// acceptable picks the largest set of edits that valid accepts together:
// all of them if it can, else, repeatedly, each one that is valid with those
// already picked.
func acceptable(edits map[string]knowledge.Record, valid func(...knowledge.Record) error) []knowledge.Record {
	var all []knowledge.Record
	for _, k := range slices.Sorted(maps.Keys(edits)) {
		all = append(all, edits[k])
	}
	if len(all) == 0 || valid(all...) == nil {
		return all
	}
	var picked []knowledge.Record
	left := all
	for progress := true; progress; {
		progress = false
		var rest []knowledge.Record
		for _, r := range left {
			if valid(append(append([]knowledge.Record(nil), picked...), r)...) == nil {
				picked = append(picked, r)
				progress = true
			} else {
				rest = append(rest, r)
			}
		}
		left = rest
	}
	return picked
}
