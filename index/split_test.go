package index

import (
	"context"
	"math"
	"testing"

	"github.com/smpbot/bot/knowledge/guide"
)

// TestSplitSearchMatchesWhole checks that searching a question's phrasing and
// entry clauses apart, at once, gives the scores bleve gives the whole
// disjunction: it depends on how bleve weighs clauses, which an upgrade of
// bleve could change.
func TestSplitSearchMatchesWhole(t *testing.T) {
	_, idx := guideIndex(t)
	idx.split = true // the guide is too small for it to be on by default
	cases, err := guide.EvalCases()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, c := range cases {
		terms := idx.expand(idx.queryTerms(c.Question))
		groups := idx.clauses(terms)
		split, err := idx.searchGroups(ctx, groups)
		if err != nil {
			t.Fatal(err)
		}
		idx.split = false
		whole, err := idx.searchGroups(ctx, idx.clauses(terms))
		idx.split = true
		if err != nil {
			t.Fatal(err)
		}
		if len(split) != len(whole) {
			t.Errorf("%q: %d hits searching apart, %d searching the whole", c.Question, len(split), len(whole))
			continue
		}
		got := map[string]float64{}
		lowest := math.Inf(1)
		for _, h := range split {
			got[h.ID] = h.Score
			lowest = min(lowest, h.Score)
		}
		for i, h := range whole {
			s, ok := got[h.ID]
			if !ok {
				// Hits tied at the cut may be cut either way.
				if h.Score > lowest*(1+1e-9) {
					t.Errorf("%q: %s (hit %d of %d searching the whole, %v) missing searching apart, down to %v", c.Question, h.ID, i+1, len(whole), h.Score, lowest)
				}
				continue
			}
			if math.Abs(s-h.Score) > 1e-9*h.Score {
				t.Errorf("%q: %s scores %v searching apart, %v searching the whole", c.Question, h.ID, s, h.Score)
			}
		}
	}
}
