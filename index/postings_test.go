package index

import (
	"context"
	"io/fs"
	"math"
	"testing"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

// TestScoresAreBleves checks that scoring a question's clauses from bleve's
// postings gives every hit bleve's searcher gives, with its score, for the
// evaluation set's questions: on the embedded knowledge base as built, and
// once an update has left its documents in two segments with deleted ones
// between them. It depends on how bleve scores a disjunction of term
// queries, which an upgrade of bleve could change.
func TestScoresAreBleves(t *testing.T) {
	base, idx := guideIndex(t)
	if idx.bm25 == nil {
		t.Fatal("the guide's index has no BM25 figures: its clauses are scored by bleve's searcher alone")
	}
	cases, err := guide.EvalCases()
	if err != nil {
		t.Fatal(err)
	}
	compare := func(name string, x *state) {
		t.Helper()
		r, err := x.reader()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		ctx := context.Background()
		compared := 0
		for _, c := range cases {
			groups := x.clauses(x.expand(x.queryTerms(c.Question)))
			whole := clauseGroup{clauses: append(groups[0].clauses, groups[1].clauses...)}
			for _, g := range append(groups[:], whole) {
				if len(g.clauses) == 0 {
					continue
				}
				got, err := x.scoreClauses(ctx, r, g)
				if err != nil {
					t.Fatal(err)
				}
				want, err := x.bleveSearch(ctx, r, g)
				if err != nil {
					t.Fatal(err)
				}
				compared++
				if len(got) != len(want) {
					t.Errorf("%s: %q: %d hits scored here, %d by bleve", name, c.Question, len(got), len(want))
					continue
				}
				for i := range want {
					// Sums in another order differ in their last bits,
					// which may swap hits that tie.
					if got[i].ID != want[i].ID && math.Abs(got[i].Score-want[i].Score) > 1e-9*want[i].Score ||
						math.Abs(got[i].Score-want[i].Score) > 1e-9*want[i].Score {
						t.Errorf("%s: %q: hit %d is %v scored here, %v by bleve", name, c.Question, i+1, got[i], want[i])
						break
					}
				}
			}
		}
		if compared < len(cases) {
			t.Errorf("%s: %d searches compared over %d questions", name, compared, len(cases))
		}
	}
	compare("as built", idx)

	aftercare, err := fs.ReadFile(guide.FS(), knowledge.FilePath("aftercare"))
	if err != nil {
		t.Fatal(err)
	}
	next, err := base.Apply(knowledge.Record{Op: knowledge.OpPut, ID: "aftercare",
		Text: string(aftercare) + "\nSaunas and steam rooms stay off limits for a month.\n"})
	if err != nil {
		t.Fatal(err)
	}
	updated, err := Build(base)
	if err != nil {
		t.Fatal(err)
	}
	defer updated.Close()
	if err := updated.Update(next); err != nil {
		t.Fatal(err)
	}
	compare("updated", updated.cur)
}
