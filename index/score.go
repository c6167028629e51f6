package index

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// queryTerm is a word of a question with the indexed terms that count as
// matching it and its weight.
type queryTerm struct {
	term string
	// word is the surface form of the word typed: see analyzeSurface.
	word string
	// joined is the word typed when word is a part of it: see unjoin.
	joined string
	// near holds the terms that are near spellings of term or of word.
	near []string
	// alts holds the numbers of every indexed term that counts as matching,
	// in this order: the term, its synonyms and its near spellings.
	alts   []int32
	weight float64
	// asked is whether a sentence that asks holds the word: see
	// askingSentences.
	asked bool
}

// expand fills in, for each query term, the terms that count as matching it
// (the term itself, its synonyms and its near spellings) and its inverse
// document frequency over entries. A word the knowledge base has never seen
// weighs most: a question about something else is mostly such words.
//
// A term the knowledge base lacks is looked for among the terms that are
// near it, and among the words of the knowledge base near the word typed:
// a typo can change a word's stem ("infeciton" is one edit from the word
// "infection" but three from its stem "infect"), or be fewer edits from the
// word than from its stem ("fadng" is one from "fading", two from "fade").
// A word that only one entry holds, and that no English word list has, is
// looked for the same way, among the commoner terms near it: it is most
// often a misspelling a phrasing keeps as people type it ("alergic reaction
// to smp"), and it stands for the word it misspells too rather than draw
// every question spelt that way to the one entry at a rare word's weight.
// An English word is what its writer meant and is never taken for a typo.
// A word with nothing near it may be two words typed without a space: see
// unjoin.
func (x *state) expand(terms []queryTerm) []queryTerm {
	// A word the knowledge base has never seen weighs as much as its
	// rarest word: as much as a word only one entry holds. (Half as much
	// again, as it was, turned away too many questions with a few words of
	// their own: "my husbands head looks a bit teal".)
	unknown := math.Log(1 + float64(len(x.entries)))
	out := make([]queryTerm, 0, len(terms))
	for _, qt := range terms {
		qt = x.expandTerm(qt, unknown)
		parts, ok := []queryTerm(nil), false
		if len(qt.alts) == 0 && !isEnglish(qt.word) {
			parts, ok = x.unjoin(qt.word)
		}
		if !ok {
			out = append(out, qt)
			continue
		}
		for _, p := range parts {
			same := func(t queryTerm) bool { return t.term == p.term }
			if !slices.ContainsFunc(terms, same) && !slices.ContainsFunc(out, same) {
				out = append(out, x.expandTerm(p, unknown))
			}
		}
	}
	return out
}

// expandTerm fills in the matching terms and the weight of one query term:
// see expand. A word the knowledge base has never seen weighs unknown.
func (x *state) expandTerm(qt queryTerm, unknown float64) queryTerm {
	qt.weight = unknown
	add := func(term string) {
		if n, ok := x.ids[term]; ok {
			qt.alts = append(qt.alts, n)
			qt.weight = min(qt.weight, x.weights[n])
		}
	}
	add(qt.term)
	if isFiller(qt.word) {
		qt.weight *= fillerWeight
	}
	for _, s := range x.syn[qt.term] {
		add(s)
	}
	n, known := x.ids[qt.term]
	if !isEnglish(qt.word) && (!known || x.df[n] == 1) {
		qt.near = x.vocab.near(nil, qt.term, fuzziness(utf8.RuneCountInString(qt.term)))
		qt.near = x.words.near(qt.near, qt.word, fuzziness(utf8.RuneCountInString(qt.word)))
		if known {
			qt.near = slices.DeleteFunc(qt.near, func(t string) bool { return t == qt.term || x.df[x.ids[t]] <= 1 })
		}
		for _, s := range qt.near {
			add(s)
		}
	}
	if qt.asked {
		qt.weight *= askedWeight
	}
	return qt
}

// soloWeight scales the weight of a word in a phrasing when no other
// phrasing of the entry, nor its tags or body, has the word. Such a word is
// most often a detail of a story told as a phrasing ("the sheet they gave
// me is in tiny print"), not what the entry is about, and at its full
// rarity it draws any question that shares it ("can anyone print an SMP
// certificate"). Halving it cut wrong first answers and off-topic answers on
// the chat-message tuning sets and moved no other set by more than a
// question. (Halving it in the matches only, and keeping its full weight in
// the phrasing's norm, answered more off-topic messages.)
const soloWeight = 0.5

// askedWeight scales the weight of a word of a sentence that asks, in a
// message that also tells something: what is asked ("does it hurt more
// than a sleeve?") outweighs the story around it ("booked for the 3rd,
// NW5"), whose details otherwise draw the entry they belong to. With the
// thresholds fitted for it, 1.25 against none gave 64 more questions of the
// tuning sets right first, 14 fewer adjacent ones answered wrongly and 2
// more off-topic ones answered; before that fit, 1.2 to 1.35 did about as
// well as 1.25, and 2 worse than none.
const askedWeight = 1.25

// fillerWeight scales the weight of a word of chat that says nothing of
// the topic ("usually", "kinda", "dunno") without being one of the stop
// words of fillerWords, and of a number. At its rarity, which is high since
// entries seldom hold it, one such word ruled a short question: "how many
// sessions does it usually take" went to the entry with "wash my scalp like
// usual again", and lowered the coverage of the entry it was about.
const fillerWeight = 0.25

// isFiller reports whether a word, as typed in lower case, is a filler of
// chat: see fillerWeight.
func isFiller(word string) bool {
	switch word {
	case "usually", "usual", "actual", "mean", "thank", "question", "quick",
		"kinda", "sorta", "lots", "whole", "even", "tho", "though", "etc",
		"dunno", "hello", "yes", "sure", "gotta", "thoughts":
		return true
	}
	return isNumber(word)
}

// isNumber reports whether a word is a number, perhaps ordinal or in
// thousands ("38", "2nd", "3k"): a detail of someone's story (a day, an age,
// a price) that no entry is about.
func isNumber(word string) bool {
	rest := strings.TrimLeft(word, "0123456789")
	if len(rest) == len(word) {
		return false
	}
	switch rest {
	case "", "st", "nd", "rd", "th", "k":
		return true
	}
	return false
}

// maxMissedWords is how many of the question's words an entry lacks count
// against its coverage: the weightiest ones.
const maxMissedWords = 2

// How an entry's score is made: how closely its best phrasing matches the
// question, how much of the question the entry covers at all, the largest
// share of the question's words one phrasing holds, and bleve's relevance of
// its tags and body relative to the best candidate's.
const (
	weightPhrasing = 0.54
	weightCoverage = 0.27
	weightHeld     = 0.07
	weightBody     = 0.03
	weightSupport  = 0.09
)

// phrasing is the analysed terms of an entry's title or alternate question,
// with each term's weight and the phrasing's norm once every entry is in.
type phrasing struct {
	// terms holds the phrasing's terms in order until weigh, then each
	// distinct term once, sorted, with its weight in weights.
	terms   []int32
	weights []float64
	norm    float64
}

// weigh works out every term's weight, which depends on the whole base, and
// the weights and norms of the phrasings of every entry that addEntry added
// since, or that holds a term whose weight is not the one it has in prev.
// prev is the weights of the state an update starts from, nil in a build.
// The entries it weighs get new phrasings, so that the ones a state before
// an update shares are left alone.
func (x *state) weigh(prev []float64) {
	n := float64(len(x.entries))
	x.weights = make([]float64, len(x.df))
	changed := make([]bool, len(x.df))
	for t, df := range x.df {
		w := math.Log(1 + n/float64(max(df, 1)))
		x.weights[t] = w
		changed[t] = t >= len(prev) || prev[t] != w
	}
	var buf []float64
	for id, e := range x.entries {
		if e.weighed && !e.holds(changed) {
			continue
		}
		size := 0
		for _, p := range e.phrasings {
			size += len(p.terms)
		}
		w := &entryTerms{terms: e.terms, solo: e.solo, phrasings: make([]phrasing, len(e.phrasings)), weighed: true}
		weights := make([]float64, size) // every phrasing's, in one
		for i := range e.phrasings {
			buf = x.weighPhrasing(&w.phrasings[i], e.phrasings[i].terms, e.solo, &weights, buf)
		}
		w.index = indexPhrasings(w.phrasings)
		x.entries[id] = w
	}
}

// holds reports whether a phrasing of the entry holds a term marked in
// changed.
func (e *entryTerms) holds(changed []bool) bool {
	for _, t := range e.index.terms {
		if changed[t] {
			return true
		}
	}
	return false
}

// weighPhrasing fills in p for a phrasing of the given terms: each distinct
// term once, sorted, with its weight (scaled by soloWeight for the terms of
// solo), and the norm of the weights, summed smallest first so that it does
// not depend on how the terms are numbered.
// It sorts terms in place unless they are sorted and distinct already, as
// they are once weighed. It takes p's weights from the front of *weights.
// buf is scratch space, returned for reuse.
func (x *state) weighPhrasing(p *phrasing, terms, solo []int32, weights *[]float64, buf []float64) []float64 {
	if !sortedDistinct(terms) {
		slices.Sort(terms)
		terms = slices.Compact(terms)
	}
	p.terms = terms
	p.weights, *weights = (*weights)[:len(terms):len(terms)], (*weights)[len(terms):]
	buf = buf[:0]
	for j, t := range terms {
		p.weights[j] = x.weights[t]
		if _, ok := slices.BinarySearch(solo, t); ok {
			p.weights[j] *= soloWeight
		}
		buf = append(buf, p.weights[j])
	}
	slices.Sort(buf)
	var sq float64
	for _, w := range buf {
		sq += w * w
	}
	p.norm = math.Sqrt(sq)
	return buf
}

// sortedDistinct reports whether terms are in ascending order without
// repeats.
func sortedDistinct(terms []int32) bool {
	for i := 1; i < len(terms); i++ {
		if terms[i] <= terms[i-1] {
			return false
		}
	}
	return true
}

// phrasingIndex lists, for each term of an entry's phrasings, the
// phrasings that hold it, so that a question visits only the phrasings that
// share a word with it rather than every phrasing of every candidate.
type phrasingIndex struct {
	// terms holds every term of the phrasings once, sorted; the postings
	// of terms[i] are post[start[i]:start[i+1]].
	terms []int32
	start []int32
	post  []posting
}

// posting is a term's place in a phrasing: the phrasing's number and the
// term's among the phrasing's (weighed) terms.
type posting struct{ phrasing, slot int32 }

// indexPhrasings makes the phrasing index of weighed phrasings.
func indexPhrasings(phrasings []phrasing) phrasingIndex {
	type held struct {
		term int32
		posting
	}
	var all []held
	for i, p := range phrasings {
		for j, t := range p.terms {
			all = append(all, held{t, posting{int32(i), int32(j)}})
		}
	}
	slices.SortFunc(all, func(a, b held) int {
		return cmp.Or(cmp.Compare(a.term, b.term), cmp.Compare(a.phrasing, b.phrasing))
	})
	ix := phrasingIndex{post: make([]posting, len(all))}
	for i, h := range all {
		if i == 0 || h.term != all[i-1].term {
			ix.terms = append(ix.terms, h.term)
			ix.start = append(ix.start, int32(i))
		}
		ix.post[i] = h.posting
	}
	ix.start = append(ix.start, int32(len(all)))
	return ix
}

// phrasingMatches is what matching a question against each phrasing of an
// entry leaves: see match. It is reused from entry to entry and question to
// question (see matchesPool), and each match undoes only what the last one
// touched.
type phrasingMatches struct {
	// dot holds, for each phrasing, the weighted dot product of its terms
	// and the question's, and held how many of the question's words it
	// holds.
	dot  []float64
	held []int32
	// last holds, for each phrasing, one more than the number of the
	// question word it matched last, 0 for none.
	last []int32
	// by holds, for each posting of the entry's phrasing index, one more
	// than the number of the question word that matched it, 0 for none.
	by []int32
	// phrasings and postings hold the ones the last match touched.
	phrasings, postings []int32
}

// matchesPool holds phrasingMatches for rank to reuse.
var matchesPool = sync.Pool{New: func() any { return new(phrasingMatches) }}

// reset undoes the last match and makes room for an entry of np phrasings
// and npost postings.
func (m *phrasingMatches) reset(np, npost int) {
	for _, i := range m.phrasings {
		m.dot[i], m.held[i], m.last[i] = 0, 0, 0
	}
	for _, pi := range m.postings {
		m.by[pi] = 0
	}
	m.phrasings, m.postings = m.phrasings[:0], m.postings[:0]
	if len(m.dot) < np {
		m.dot, m.held, m.last = make([]float64, np), make([]int32, np), make([]int32, np)
	}
	if len(m.by) < npost {
		m.by = make([]int32, npost)
	}
}

// match matches the question's words against each phrasing of e. One term
// of a phrasing matches one word of the question at most, or two words that
// are synonyms ("swimming pool") would count its weight twice; a word
// matches the first of its alternatives the phrasing holds and no earlier
// word matched. It adds one to counts[k] for each phrasing that holds the
// question's word k, unless counts is nil.
func (m *phrasingMatches) match(e *entryTerms, expanded []queryTerm, counts []int32) {
	ix := &e.index
	m.reset(len(e.phrasings), len(ix.post))
	for k := range expanded {
		qt, word := &expanded[k], int32(k)+1
		for _, a := range qt.alts {
			i, ok := slices.BinarySearch(ix.terms, a)
			if !ok {
				continue
			}
			for pi := ix.start[i]; pi < ix.start[i+1]; pi++ {
				ps := ix.post[pi]
				if m.last[ps.phrasing] == word || m.by[pi] != 0 {
					continue // matched by an earlier alternative, or word
				}
				if m.held[ps.phrasing] == 0 {
					m.phrasings = append(m.phrasings, ps.phrasing)
				}
				m.postings = append(m.postings, pi)
				m.by[pi], m.last[ps.phrasing] = word, word
				m.dot[ps.phrasing] += qt.weight * e.phrasings[ps.phrasing].weights[ps.slot]
				m.held[ps.phrasing]++
				if counts != nil {
					counts[k]++
				}
			}
		}
	}
}

// matched returns the terms of the i-th phrasing that the last match
// matched, marked by their place in the phrasing.
func (m *phrasingMatches) matched(e *entryTerms, i int) []bool {
	used := make([]bool, len(e.phrasings[i].terms))
	for _, pi := range m.postings {
		if ps := e.index.post[pi]; int(ps.phrasing) == i {
			used[ps.slot] = true
		}
	}
	return used
}

// queryNorm returns the norm of the question's term weights, worked out
// once for every entry.
func queryNorm(expanded []queryTerm) float64 {
	var norm float64
	for i := range expanded {
		norm += expanded[i].weight * expanded[i].weight
	}
	return math.Sqrt(norm)
}

// matchPhrasings returns the cosine similarity, with words weighted by
// rarity, between the question and the entry's closest phrasing, and the
// largest share of the question's words, each counting the same, that one
// phrasing holds. The first barely tells "numbing cream for smp" from "can i
// use numbing cream before smp" when asked the second, since common words
// weigh little; the second does. Neither can fall when a phrasing is added.
// qnorm is queryNorm's; m is scratch space. It counts in counts, one for
// each word of the question, the phrasings that hold the word: see support.
// exact reports whether a phrasing is the question word for word: it holds
// each of the question's words and no other.
func (x *state) matchPhrasings(e *entryTerms, expanded []queryTerm, qnorm float64, m *phrasingMatches, counts []int32) (best, held float64, exact bool) {
	m.match(e, expanded, counts)
	// The phrasings that share no term with the question have similarity 0.
	for _, i := range m.phrasings {
		n, p := m.held[i], &e.phrasings[i]
		best = max(best, m.dot[i]/(qnorm*p.norm))
		held = max(held, float64(n))
		exact = exact || p.wordForWord(int(n), len(expanded))
	}
	return best, held / float64(max(len(expanded), 1)), exact
}

// wordForWord reports whether the phrasing is a question of the given
// number of words word for word, matched words of it being the phrasing's
// matches: it holds each of them and no other.
func (p *phrasing) wordForWord(matched, words int) bool {
	return matched == words && matched == len(p.terms)
}

// supportSmoothing stands in for a fraction of a phrasing holding a word no
// phrasing of an entry holds, so that one such word lowers an entry's
// support rather than ruling it out.
const supportSmoothing = 0.5

// support returns, for each of the n candidates, its share of the support of
// them all: how many of its phrasings hold each word of the question,
// weighted by the word's rarity, as the naive Bayes model of the entries'
// phrasings would give it (a candidate's likelihood is the product, over
// the question's words, of its phrasings holding the word, to the power of
// the word's weight). counts holds the phrasings of each candidate that hold
// each word, candidate by candidate, as matchPhrasings counts them.
//
// The best phrasing alone decides little for a long message: a phrasing that
// shares one rare detail of the story can be the closest. An entry many of
// whose phrasings speak of the message's words is what the message is about.
// The number of phrasings is not divided out, so that adding a phrasing
// never lowers an entry's support.
func support(counts []int32, expanded []queryTerm, n int) []float64 {
	out := make([]float64, n)
	if len(expanded) == 0 {
		return out
	}
	top := math.Inf(-1)
	for i := range out {
		var l float64
		for k, c := range counts[i*len(expanded) : (i+1)*len(expanded)] {
			l += expanded[k].weight * math.Log(float64(c)+supportSmoothing)
		}
		out[i] = l
		top = max(top, l)
	}
	var sum float64
	for i, l := range out {
		out[i] = math.Exp(l - top)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

// has reports whether the entry holds the question's word qt, or a term
// that counts as matching it.
func (e *entryTerms) has(qt *queryTerm) bool {
	for _, a := range qt.alts {
		if _, ok := slices.BinarySearch(e.terms, a); ok {
			return true
		}
	}
	return false
}

// coverage is the weighted share of query terms the entry matches.
func (x *state) coverage(e *entryTerms, expanded []queryTerm) float64 {
	var matched float64
	// missed holds the weightiest words the entry lacks, weightiest first.
	var missed [maxMissedWords]float64
	nmissed := 0
	for k := range expanded {
		qt := &expanded[k]
		if e.has(qt) {
			matched += qt.weight
			continue
		}
		w := qt.weight
		for i := range min(nmissed+1, maxMissedWords) {
			if i == nmissed || w > missed[i] {
				copy(missed[i+1:], missed[i:])
				missed[i] = w
				break
			}
		}
		nmissed = min(nmissed+1, maxMissedWords)
	}
	// A few words the entry lacks show the question is about something
	// else; past that, a long message is just long.
	total := matched
	for _, w := range missed[:nmissed] {
		total += w
	}
	if total == 0 {
		return 0
	}
	return matched / total
}
