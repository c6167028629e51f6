package index

import (
	"context"
	"slices"

	"github.com/smpbot/bot/knowledge"
)

// Explain says how Search ranks the best limit entries for question: what
// each word of it became, and for each entry its closest phrasing, the
// words matched and missed, and the weighted parts of its score.
func (x *Index) Explain(ctx context.Context, question string, limit int) (*knowledge.Reasons, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.cur.explain(ctx, question, limit)
}

func (x *state) explain(ctx context.Context, question string, limit int) (*knowledge.Reasons, error) {
	terms := x.expand(x.queryTerms(question))
	r := &knowledge.Reasons{}
	if len(terms) == 0 {
		return r, nil
	}
	for _, qt := range terms {
		r.Words = append(r.Words, knowledge.ExplainedWord{
			Typed: qt.word, SplitFrom: qt.joined, Term: qt.term, Synonyms: x.syn[qt.term], Corrections: qt.near, Weight: qt.weight, Asked: qt.asked,
		})
	}
	docs, err := x.searchGroups(ctx, x.clauses(terms))
	if err != nil {
		return nil, err
	}
	names := x.termNames()
	qnorm := queryNorm(terms)
	for _, c := range x.rank(docs, terms, limit) {
		h := knowledge.ExplainedHit{Hit: c.Hit, Parts: []knowledge.ScorePart{
			{Name: "phrasing", Value: c.best, Weight: weightPhrasing},
			{Name: "coverage", Value: c.Coverage, Weight: weightCoverage},
			{Name: "held", Value: c.held, Weight: weightHeld},
			{Name: "body", Value: c.body, Weight: weightBody},
			{Name: "support", Value: c.support, Weight: weightSupport},
		}, Sum: c.sum, Exact: c.Exact}
		if i, used := c.e.closest(terms, qnorm); i >= 0 {
			h.Phrasing = x.phrasingText(c.ID, i)
			for j, t := range c.e.phrasings[i].terms {
				if !used[j] {
					continue
				}
				h.Matched = append(h.Matched, names[t])
				if _, ok := slices.BinarySearch(c.e.solo, t); ok {
					h.Details = append(h.Details, names[t])
				}
			}
		}
		for k := range terms {
			if !c.e.has(&terms[k]) {
				h.Missed = append(h.Missed, terms[k].term)
			}
		}
		r.Hits = append(r.Hits, h)
	}
	return r, nil
}

// closest returns the index of the entry's phrasing that is the question
// word for word, else of the one most similar to it, with its terms that
// matched marked, or -1 when none shares a word with it.
func (e *entryTerms) closest(expanded []queryTerm, qnorm float64) (int, []bool) {
	var m phrasingMatches
	m.match(e, expanded, nil)
	best, bestSim := -1, 0.0
	for i, n := range m.held[:len(e.phrasings)] {
		if n == 0 {
			continue
		}
		p := &e.phrasings[i]
		if p.wordForWord(int(n), len(expanded)) {
			return i, m.matched(e, i)
		}
		if sim := m.dot[i] / (qnorm * p.norm); sim > bestSim {
			best, bestSim = i, sim
		}
	}
	if best < 0 {
		return -1, nil
	}
	return best, m.matched(e, best)
}

// phrasingText returns the text of an entry's i-th phrasing: its title, then
// its alternate questions.
func (x *state) phrasingText(id string, i int) string {
	e, ok := x.base.Entry(id)
	if !ok {
		return ""
	}
	return slices.Concat([]string{e.Title}, e.Questions)[i]
}

// termNames returns every term of the knowledge base by its number.
func (x *state) termNames() []string {
	names := make([]string, len(x.df))
	for t, n := range x.ids {
		names[n] = t
	}
	return names
}
