package index

import (
	"context"
	"slices"
	"testing"

	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/smpbot/bot/knowledge/guide"
)

// TestHeldOnlyFindsWhatBleveFinds checks that reading the terms a field does
// not hold as empty, without asking bleve, leaves every hit and score of the
// evaluation set's questions as bleve's own reader gives them, and that it
// does spare bleve readers: most questions widen a word to a synonym that a
// field does not hold.
func TestHeldOnlyFindsWhatBleveFinds(t *testing.T) {
	_, idx := guideIndex(t)
	if idx.heldOnly(nil) == nil {
		t.Fatal("heldOnly reads through bleve's reader alone: the guide's index has no BM25 figures")
	}
	cases, err := guide.EvalCases()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	plain := func(r bleveindex.IndexReader) bleveindex.IndexReader { return r }
	spared := 0
	for _, c := range cases {
		for _, g := range idx.clauses(idx.expand(idx.queryTerms(c.Question))) {
			if len(g.clauses) == 0 {
				continue
			}
			want, err := idx.searchClausesIn(ctx, g, plain)
			if err != nil {
				t.Fatal(err)
			}
			counted := func(r bleveindex.IndexReader) bleveindex.IndexReader {
				return countEmpty{idx.heldOnly(r), &spared}
			}
			got, err := idx.searchClausesIn(ctx, g, counted)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%q: hits %v reading held terms only, %v through bleve", c.Question, got, want)
			}
		}
	}
	if spared < len(cases) {
		t.Errorf("%d term readers spared over %d questions; want at least one a question", spared, len(cases))
	}
}

// countEmpty counts the empty term readers its reader gives.
type countEmpty struct {
	bleveindex.IndexReader
	n *int
}

func (r countEmpty) TermFieldReader(ctx context.Context, term []byte, field string, freq, norm, vectors bool) (bleveindex.TermFieldReader, error) {
	tfr, err := r.IndexReader.TermFieldReader(ctx, term, field, freq, norm, vectors)
	if _, ok := tfr.(noDocuments); ok {
		*r.n++
	}
	return tfr, err
}
