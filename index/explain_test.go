package index_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/smpbot/bot/knowledge"
)

// Explain is how a moderator sees why a question went wrong: it must say
// what a typo was read as, which phrasing matched with which words, what the
// entry lacks, and parts that add up to the very score Search gives.
func TestExplain(t *testing.T) {
	idx := build(t, load(t, map[string]string{
		"entries/pigment-colour.md": entry("pigment-colour", "Pigment colour",
			"Pigment can change colour in strong sunlight.", "why did the pigment change colour"),
		"entries/washing.md": entry("washing", "Washing afterwards",
			"Keep the scalp dry for four days.", "when can i wash my scalp"),
	}))
	q := "why did my pigmant change colour on holiday"
	r, err := idx.Explain(context.Background(), q, 5)
	if err != nil {
		t.Fatalf("Explain(%q): %v", q, err)
	}
	hits := search(t, idx, q, 5)
	if len(r.Hits) != len(hits) || len(hits) == 0 {
		t.Fatalf("Explain(%q) explains %d hits, Search found %d", q, len(r.Hits), len(hits))
	}
	for i, h := range r.Hits {
		if h.Hit != hits[i] {
			t.Errorf("Explain(%q).Hits[%d] = %+v, Search gives %+v", q, i, h.Hit, hits[i])
		}
		var sum float64
		for _, p := range h.Parts {
			sum += p.Value * p.Weight
		}
		if math.Abs(sum-h.Score) > 1e-9 {
			t.Errorf("Explain(%q): %s's parts add up to %f, its score is %f", q, h.ID, sum, h.Score)
		}
	}
	best := r.Hits[0]
	if best.ID != "pigment-colour" || best.Phrasing != "why did the pigment change colour" {
		t.Errorf("Explain(%q): best %s by phrasing %q, want pigment-colour by %q", q, best.ID, best.Phrasing, "why did the pigment change colour")
	}
	if !slices.Contains(best.Matched, "pigment") || !slices.Contains(best.Missed, "holidai") {
		t.Errorf("Explain(%q): matched %q, missed %q; want pigment matched (through the typo) and holidai missed", q, best.Matched, best.Missed)
	}
	i := slices.IndexFunc(r.Words, func(w knowledge.ExplainedWord) bool { return w.Typed == "pigmant" })
	if i < 0 || !slices.Contains(r.Words[i].Corrections, "pigment") {
		t.Errorf("Explain(%q).Words = %+v, want pigmant read as a typo of pigment", q, r.Words)
	}
}
