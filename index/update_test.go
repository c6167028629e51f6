package index_test

import (
	"context"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

// guideFile returns the text of a file of the embedded knowledge base.
func guideFile(t *testing.T, id string) string {
	t.Helper()
	data, err := fs.ReadFile(guide.FS(), knowledge.FilePath(id))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// unrelated returns an entry of base that no other entry lists as related,
// which can be removed.
func unrelated(t *testing.T, base *knowledge.Base) *knowledge.Entry {
	t.Helper()
	for _, e := range base.Entries() {
		if !e.Answers() {
			continue
		}
		if !slices.ContainsFunc(base.Entries(), func(o *knowledge.Entry) bool { return slices.Contains(o.Related, e.ID) }) {
			return e
		}
	}
	t.Fatal("every entry is someone's related entry")
	return nil
}

// updateQuestions is about how many of the tuning sets' questions
// TestUpdateAnswersAsFreshBuild asks after each edit.
const updateQuestions = 4000

// TestUpdateAnswersAsFreshBuild applies edits one after another to an index
// of the embedded knowledge base, updating it in place, and checks after
// each that questions of the tuning sets (a spread of about
// updateQuestions) and of the entries edited get exactly the hits, scores
// included, that a new index of the same knowledge base gives.
func TestUpdateAnswersAsFreshBuild(t *testing.T) {
	base := guideBase(t)
	idx := build(t, base)
	removed := unrelated(t, base)
	aftercare := guideFile(t, "aftercare")
	cost := guideFile(t, "smp-cost")
	syn := guideFile(t, knowledge.SynonymsFile)
	added := `---
id: beard-smp
title: "SMP in a beard: zygomatic stubble shading"
kind: explanation
questions:
  - can smp shade a patchy beard
  - zygomatic beard pigment
  - does smp work on facial hair gaps
tags: [beard, face]
related: [smp-cost]
sources:
  - title: "Generated for a test"
    url: https://example.com/beard
---
Shading a patchy beard with pigment is done on the face, where skin is thinner
than on the scalp, so ask the artist how many beards they have treated.
`
	edits := []struct {
		name string
		recs []knowledge.Record
	}{
		{"change a body", []knowledge.Record{{Op: knowledge.OpPut, ID: "aftercare",
			Text: aftercare + "\nSaunas, steam rooms and tanning booths stay off limits for a month; quokka.\n"}}},
		{"add a phrasing", []knowledge.Record{{Op: knowledge.OpPut, ID: "smp-cost",
			Text: strings.Replace(cost, "questions:\n", "questions:\n  - is smp worth the money for a receding hairline\n", 1)}}},
		{"remove an entry", []knowledge.Record{{Op: knowledge.OpRemove, ID: removed.ID}}},
		{"add an entry", []knowledge.Record{{Op: knowledge.OpPut, ID: "beard-smp", Text: added}}},
		{"change a body back", []knowledge.Record{{Op: knowledge.OpPut, ID: "aftercare", Text: aftercare}}},
		{"change two entries at once", []knowledge.Record{
			{Op: knowledge.OpPut, ID: "beard-smp", Text: strings.ReplaceAll(added, "zygomatic", "cheekbone")},
			{Op: knowledge.OpPut, ID: removed.ID, Text: guideFile(t, removed.ID)},
		}},
		{"change synonyms", []knowledge.Record{{Op: knowledge.OpSynonyms, ID: knowledge.SynonymsFile,
			Text: strings.Replace(syn, "# --- the procedure ---\n", "# --- the procedure ---\nbeard, stubble, goatee\n", 1)}}},
		{"change a body after synonyms", []knowledge.Record{{Op: knowledge.OpPut, ID: "aftercare",
			Text: aftercare + "\nA goatee area heals like the scalp.\n"}}},
	}
	cases, err := guide.TuningCases()
	if err != nil {
		t.Fatal(err)
	}
	questions := []string{
		"quokka", "quoka after smp", "zygomatic", "zygomatc beard", "cheekbone stubble", "patchy beard smp",
		"receding hairline worth the money", "stubble shading", "goatee",
	}
	// Each edit searches every question twice, updated and fresh: every
	// step-th question of the tuning sets, at most about updateQuestions,
	// keeps the test within minutes under the race detector as the sets
	// grow.
	step := max(1, len(cases)/updateQuestions)
	for i := 0; i < len(cases); i += step {
		questions = append(questions, cases[i].Question)
	}
	for _, e := range []*knowledge.Entry{removed} {
		questions = append(questions, e.Title)
		questions = append(questions, e.Questions...)
	}
	ctx := context.Background()
	for _, ed := range edits {
		next, err := base.Apply(ed.recs...)
		if err != nil {
			t.Fatalf("%s: %v", ed.name, err)
		}
		if err := idx.Update(next); err != nil {
			t.Fatalf("%s: Update: %v", ed.name, err)
		}
		base = next
		fresh := build(t, base)
		for _, q := range questions {
			got, err := idx.Search(ctx, q, 10)
			if err != nil {
				t.Fatal(err)
			}
			want, err := fresh.Search(ctx, q, 10)
			if err != nil {
				t.Fatal(err)
			}
			if !sameHits(got, want) {
				t.Errorf("after %s: Search(%q) updated = %v, fresh = %v", ed.name, q, got, want)
			}
		}
	}
}

// sameHits reports whether two searches found the same entries in the same
// order with the same scores. Scores may differ in their last bits: bleve
// sums a word's synonyms in the order it numbers them, which two builds of
// one knowledge base do not share.
func sameHits(a, b []knowledge.Hit) bool {
	near := func(x, y float64) bool { return math.Abs(x-y) <= 1e-12 }
	return slices.EqualFunc(a, b, func(x, y knowledge.Hit) bool {
		return x.ID == y.ID && x.Words == y.Words && near(x.Score, y.Score) && near(x.Coverage, y.Coverage)
	})
}

// TestUpdateWhileSearching searches while the index is updated back and
// forth between two knowledge bases, and checks that every search gets
// exactly what a fresh index of one of the two gives: never a mixture.
func TestUpdateWhileSearching(t *testing.T) {
	before := guideBase(t)
	after, err := before.Apply(
		knowledge.Record{Op: knowledge.OpPut, ID: "aftercare",
			Text: guideFile(t, "aftercare") + "\nA quokka pool is off limits for a month.\n"},
		knowledge.Record{Op: knowledge.OpRemove, ID: unrelated(t, before).ID},
	)
	if err != nil {
		t.Fatal(err)
	}
	questions := []string{"quokka pool", "can i swim after smp", "how much does smp cost", "is smp safe"}
	ctx := context.Background()
	want := map[*knowledge.Base]map[string][]knowledge.Hit{}
	for _, b := range []*knowledge.Base{before, after} {
		fresh := build(t, b)
		want[b] = map[string][]knowledge.Hit{}
		for _, q := range questions {
			if want[b][q], err = fresh.Search(ctx, q, 10); err != nil {
				t.Fatal(err)
			}
		}
	}
	idx := build(t, before)
	stop := make(chan struct{})
	errs := make(chan error, len(questions))
	for _, q := range questions {
		go func() {
			for {
				select {
				case <-stop:
					errs <- nil
					return
				default:
				}
				got, err := idx.Search(ctx, q, 10)
				if err == nil && !sameHits(got, want[before][q]) && !sameHits(got, want[after][q]) {
					err = fmt.Errorf("Search(%q) while updating = %v, want %v or %v", q, got, want[before][q], want[after][q])
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range 20 {
		b := after
		if i%2 == 1 {
			b = before
		}
		if err := idx.Update(b); err != nil {
			t.Fatalf("Update: %v", err)
		}
	}
	close(stop)
	for range questions {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
