package knowledge

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// EntryWords is what the tuning sets say about which entry a message
// wants: for each word and word pair, in how many of the messages that
// expect each entry first it comes up. The index finds the entries whose
// phrasings a message resembles; the sets, tens of thousands of messages
// written by others, know which of those close entries such messages
// wanted. A naive Bayes reading of the message shares its likelihood among
// the entries the index found closest, and each gets entryWordsWeight of
// its share added to its score.
type EntryWords struct {
	// entries numbers the entries the sets expect; totals counts the
	// terms of each one's messages, vocabulary the distinct terms of all.
	entries    map[string]uint16
	totals     []int
	counts     map[string][]entryCount
	vocabulary int
}

// entryCount is how many messages expecting an entry have a term.
type entryCount struct {
	entry uint16
	n     uint32
}

// How the entry words rank: the weight of an entry's share beside its
// score, how many of the best entries they rank, the count every term is
// smoothed by, and the temperature the likelihoods are shared at. Naive
// Bayes multiplies its words' likelihoods as if each were news, so a
// message of twenty words hands one entry nearly all of the share on the
// strength of a word or two; the temperature divides the log-likelihoods
// before they are shared, which keeps a share that much clearer than the
// others from outweighing the index's scores. All four were chosen by
// cross-validation on the tuning sets, five folds of whole sets, where
// ranking by them puts the expected entry first for 33,478 of 34,274
// answered questions instead of 32,973 (33,424 with the likelihoods shared
// as they are, at a weight of 0.2).
const (
	entryWordsWeight      = 0.4
	entryWordsDepth       = 4
	entryWordsSmoothing   = 0.1
	entryWordsTemperature = 10
)

// FitEntryWords counts the terms of the answerable cases for the entry each
// expects first.
func FitEntryWords(cases []EvalCase) *EntryWords {
	m := &EntryWords{entries: map[string]uint16{}, counts: map[string][]entryCount{}}
	for _, c := range cases {
		if len(c.Expect) == 0 {
			continue
		}
		e, ok := m.entries[c.Expect[0]]
		if !ok {
			e = uint16(len(m.totals))
			m.entries[c.Expect[0]] = e
			m.totals = append(m.totals, 0)
		}
		for _, t := range entryTerms(c.Question) {
			cs := m.counts[t]
			if i := slices.IndexFunc(cs, func(x entryCount) bool { return x.entry == e }); i >= 0 {
				cs[i].n++
			} else {
				m.counts[t] = append(cs, entryCount{e, 1})
			}
			m.totals[e]++
		}
	}
	m.vocabulary = len(m.counts)
	return m
}

// entryTerms are the terms of a message as written, in lower case.
func entryTerms(message string) []string { return terms(strings.ToLower(quotes.Replace(message))) }

// shares returns how the words of question share its likelihood among
// entries: false when an entry has no messages in the sets, as one a
// moderator has just written, which the words would never favour.
func (m *EntryWords) shares(question string, entries []string) ([]float64, bool) {
	es := make([]uint16, len(entries))
	for i, id := range entries {
		e, ok := m.entries[id]
		if !ok {
			return nil, false
		}
		es[i] = e
	}
	lls := make([]float64, len(entries))
	for _, t := range entryTerms(question) {
		cs := m.counts[t]
		for i, e := range es {
			n := 0.0
			if j := slices.IndexFunc(cs, func(x entryCount) bool { return x.entry == e }); j >= 0 {
				n = float64(cs[j].n)
			}
			lls[i] += math.Log((n + entryWordsSmoothing) / (float64(m.totals[e]) + entryWordsSmoothing*float64(m.vocabulary)))
		}
	}
	best := slices.Max(lls)
	sum := 0.0
	for i, ll := range lls {
		lls[i] = math.Exp((ll - best) / entryWordsTemperature)
		sum += lls[i]
	}
	for i := range lls {
		lls[i] /= sum
	}
	return lls, true
}

// RankedEntry is one of the best entries of an answered question as the
// entry words rank it: its score, its share of the question's likelihood,
// and Ranked, the score with the weighed share added, by which it is
// ordered.
type RankedEntry struct {
	ID     string  `json:"id"`
	Score  float64 `json:"score"`
	Share  float64 `json:"share"`
	Ranked float64 `json:"ranked"`
}

// ranked returns the best entryWordsDepth matches of question, ordered by
// their scores with their shares added: nil when the entry words leave
// them in the index's order. A match that holds a phrasing word for word
// stays first: a moderator filed the question there.
func (m *EntryWords) ranked(question string, ms []Match) []RankedEntry {
	if m == nil || len(ms) < 2 || ms[0].Exact {
		return nil
	}
	top := ms[:min(entryWordsDepth, len(ms))]
	ids := make([]string, len(top))
	for i, x := range top {
		ids[i] = x.ID
	}
	shares, ok := m.shares(question, ids)
	if !ok {
		return nil
	}
	rs := make([]RankedEntry, len(top))
	for i, x := range top {
		rs[i] = RankedEntry{ID: x.ID, Score: x.Score, Share: shares[i], Ranked: x.Score + entryWordsWeight*shares[i]}
	}
	slices.SortStableFunc(rs, func(a, b RankedEntry) int { return cmp.Compare(b.Ranked, a.Ranked) })
	return rs
}

// rank puts the best matches of question in the order ranked gives; the
// rest keep their places.
func (m *EntryWords) rank(question string, ms []Match) {
	rs := m.ranked(question, ms)
	top := slices.Clone(ms[:len(rs)])
	for i, r := range rs {
		ms[i] = top[slices.IndexFunc(top, func(x Match) bool { return x.ID == r.ID })]
	}
}
