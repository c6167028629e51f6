package index

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/smpbot/bot/knowledge"
)

// queryTerm is a word of a question with the indexed terms that count as
// matching it and its weight.
type queryTerm struct {
	term string
	// word is the surface form of the word typed: see analyzeSurface.
	word string
	// near holds the terms that are near spellings of term or of word.
	near []string
	// alts holds the numbers of every indexed term that counts as matching,
	// in this order: the term, its synonyms and its near spellings.
	alts []int32
	// mask has every alt: see termSet.
	mask   termSet
	weight float64
}

// termSet is a set of terms that may hold more than were added, as each term
// stands for one of its 128 bits: a set without a term's bit does not hold
// the term, which saves looking for it.
type termSet [2]uint64

// add puts term t in the set.
func (s *termSet) add(t int32) {
	u := uint32(t) % 128
	s[u/64] |= 1 << (u % 64)
}

// has reports whether the set may hold term t.
func (s *termSet) has(t int32) bool {
	u := uint32(t) % 128
	return s[u/64]&(1<<(u%64)) != 0
}

// meets reports whether the two sets may share a term.
func (s *termSet) meets(o *termSet) bool { return s[0]&o[0]|s[1]&o[1] != 0 }

// union adds every term of o to the set.
func (s *termSet) union(o *termSet) { s[0], s[1] = s[0]|o[0], s[1]|o[1] }

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
// An English word is what its writer meant and is never taken for a typo.
func (x *state) expand(terms []queryTerm) []queryTerm {
	// A word the knowledge base has never seen weighs as much as its
	// rarest word: as much as a word only one entry holds. (Half as much
	// again, as it was, turned away too many questions with a few words of
	// their own: "my husbands head looks a bit teal".)
	unknown := math.Log(1 + float64(len(x.entries)))
	for i := range terms {
		qt := &terms[i]
		qt.weight = unknown
		add := func(term string) {
			if n, ok := x.ids[term]; ok {
				qt.alts = append(qt.alts, n)
				qt.mask.add(n)
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
		if _, known := x.ids[qt.term]; !known && !isEnglish(qt.word) {
			qt.near = x.vocab.near(nil, qt.term, fuzziness(utf8.RuneCountInString(qt.term)))
			qt.near = x.words.near(qt.near, qt.word, fuzziness(utf8.RuneCountInString(qt.word)))
			for _, s := range qt.near {
				add(s)
			}
		}
	}
	return terms
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
		"dunno", "hello", "yes", "sure", "gotta":
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
	mask    termSet // terms: see termSet
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
	var mask termSet // the changed terms
	for t, df := range x.df {
		w := math.Log(1 + n/float64(max(df, 1)))
		x.weights[t] = w
		if t >= len(prev) || prev[t] != w {
			changed[t] = true
			mask.add(int32(t))
		}
	}
	var buf []float64
	for id, e := range x.entries {
		if e.weighed && !e.holds(changed, mask) {
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
		x.entries[id] = w
	}
}

// holds reports whether a phrasing of the entry holds a term marked in
// changed, whose bits are in mask.
func (e *entryTerms) holds(changed []bool, mask termSet) bool {
	for _, p := range e.phrasings {
		if !p.mask.meets(&mask) {
			continue
		}
		for _, t := range p.terms {
			if changed[t] {
				return true
			}
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
		p.mask.add(t)
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

// find returns the index of term t in the phrasing's terms, or -1.
func (p *phrasing) find(t int32) int {
	if len(p.terms) <= 16 {
		for i, u := range p.terms {
			if u >= t {
				if u == t {
					return i
				}
				return -1
			}
		}
		return -1
	}
	if i, ok := slices.BinarySearch(p.terms, t); ok {
		return i
	}
	return -1
}

// maxPhrasingTerms is the most distinct terms a phrasing of space-separated
// words can have: one per two characters (a letter and a space) of the
// longest. Text without spaces between words, such as Chinese, can have
// more; matchPhrasings makes room for such a phrasing.
const maxPhrasingTerms = (knowledge.MaxAltQuestionRunes + 1) / 2

// queryNorm returns the norm of the question's term weights and the bits of
// every term that counts as matching one of its words: what matchPhrasings
// needs of the question, worked out once for every entry.
func queryNorm(expanded []queryTerm) (norm float64, mask termSet) {
	for i := range expanded {
		norm += expanded[i].weight * expanded[i].weight
		mask.union(&expanded[i].mask)
	}
	return math.Sqrt(norm), mask
}

// matchPhrasings returns the cosine similarity, with words weighted by
// rarity, between the question and the entry's closest phrasing, and the
// largest share of the question's words, each counting the same, that one
// phrasing holds. The first barely tells "numbing cream for smp" from "can i
// use numbing cream before smp" when asked the second, since common words
// weigh little; the second does. Neither can fall when a phrasing is added.
// qnorm and mask are queryNorm's. It counts in counts, one for each word of
// the question, the phrasings that hold the word: see support. exact
// reports whether a phrasing is the question word for word: it holds each
// of the question's words and no other.
func (x *state) matchPhrasings(e *entryTerms, expanded []queryTerm, qnorm float64, mask termSet, counts []int32) (best, held float64, exact bool) {
	var buf [maxPhrasingTerms]bool
	for i := range e.phrasings {
		p := &e.phrasings[i]
		if p.norm == 0 || !p.mask.meets(&mask) {
			continue // shares no term with the question: similarity 0
		}
		dot, n := p.match(expanded, buf[:], counts)
		best = max(best, dot/(qnorm*p.norm))
		held = max(held, float64(n))
		exact = exact || p.wordForWord(n, len(expanded))
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

// match returns the weighted dot product of the question's terms and the
// phrasing's, and how many of the question's words the phrasing holds. It
// marks in used, which it clears first and may replace when too short, the
// phrasing's terms matched: one term of the phrasing matches one word of the
// question at most, or two words that are synonyms ("swimming pool") would
// count its weight twice. It adds one to counts[k] for each word k of the
// question the phrasing holds, unless counts is nil.
func (p *phrasing) match(expanded []queryTerm, used []bool, counts []int32) (dot float64, n int) {
	if len(p.terms) > len(used) {
		used = make([]bool, len(p.terms))
	}
	used = used[:len(p.terms)]
	clear(used)
	for k := range expanded {
		qt := &expanded[k]
		if !qt.mask.meets(&p.mask) {
			continue
		}
		for _, a := range qt.alts {
			if !p.mask.has(a) {
				continue
			}
			if j := p.find(a); j >= 0 && !used[j] {
				used[j] = true
				dot += qt.weight * p.weights[j]
				n++
				if counts != nil {
					counts[k]++
				}
				break
			}
		}
	}
	return dot, n
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
