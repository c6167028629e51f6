package index

import (
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

// TestSurfaceFormsAlign checks what analyzeSurface relies on: that the
// analysis chain's term filters keep the tokenizer's positions and leave the
// surface forms as they were, so that each token's surface form is its own
// word, which analysed alone gives the token's term. It reads every text of
// the guide, rewritten by its phrases as Build rewrites it, and some of the
// chain's awkward cases.
func TestSurfaceFormsAlign(t *testing.T) {
	base, idx := guideIndex(t)
	texts := []string{
		"The Technician's tools: pigment.depth and ink_colour",
		"Is it normal that my SMP’s dots are FADING?",
		"how long does it take to heal, tbh i'm wondering",
		"Hair tattoo vs. scalp micropigmentation — café au lait skin",
		"Don't scratch: it's 3 sessions, 2-3 weeks apart",
	}
	for _, e := range base.Entries() {
		texts = append(texts, stripMarkdown(e.Body), strings.Join(e.Tags, " "), e.Title)
		texts = append(texts, e.Questions...)
	}
	for _, text := range texts {
		text = idx.normalize(text)
		tokens, surface := idx.analyzeSurface(text)
		if want := idx.tokens(text); !slices.EqualFunc(tokens, want, func(a, b *analysis.Token) bool {
			return string(a.Term) == string(b.Term) && a.Position == b.Position
		}) {
			t.Errorf("%q: analyzeSurface gives %q, the analyser %q", text, tokens.terms(), want.terms())
		}
		if len(surface) != len(tokens) {
			t.Fatalf("%q: %d tokens, %d surface forms", text, len(tokens), len(surface))
		}
		for i, tok := range tokens {
			word := strings.ToLower(text[tok.Start:tok.End])
			if !strings.HasPrefix(word, string(surface[i])) {
				t.Errorf("%q: token %q (%q in the text) has surface form %q", text, tok.Term, word, surface[i])
			}
			if got := idx.analyze(string(surface[i])); len(got) != 1 || got[0] != string(tok.Term) {
				t.Errorf("%q: surface form %q analyses to %q, want [%q]", text, surface[i], got, tok.Term)
			}
		}
	}
}

// guideIndex builds the index of the embedded knowledge base, closed when
// the test ends, and returns its state.
func guideIndex(t *testing.T) (*knowledge.Base, *state) {
	t.Helper()
	base, err := knowledge.Load(guide.FS())
	if err != nil {
		t.Fatal(err)
	}
	idx, err := Build(base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return base, idx.cur
}
