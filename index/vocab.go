package index

import (
	"maps"
	"slices"

	"github.com/smpbot/bot/index/spell"
)

// vocabulary holds words, each standing for an indexed term, bucketed by
// first letter and length so that near spellings of a word are found without
// scanning them all. Each bucket is sorted once the vocabulary is built, so
// that near spellings come in the same order however the vocabulary was
// made.
type vocabulary struct {
	buckets map[bucket][]string
	words   map[string]word
	sorted  bool
}

// word is the term a word stands for, and how many times the knowledge base
// holds it.
type word struct {
	term string
	n    int32
}

type bucket struct {
	first rune
	n     int
}

func newVocabulary() *vocabulary {
	return &vocabulary{buckets: map[bucket][]string{}, words: map[string]word{}}
}

// clone returns a copy of v that can be changed without changing v.
func (v *vocabulary) clone() *vocabulary {
	// A bucket is replaced, not changed, when a word comes or goes: the
	// two can share them.
	return &vocabulary{buckets: maps.Clone(v.buckets), words: maps.Clone(v.words), sorted: v.sorted}
}

// add counts word, standing for term, once more. A new word is appended to
// its bucket until sort, and put in its place after.
func (v *vocabulary) add(w, term []byte) {
	if e, ok := v.words[string(w)]; ok {
		e.n++
		v.words[string(w)] = e
		return
	}
	s := string(w)
	t := s
	if string(term) != s {
		t = string(term)
	}
	v.words[s] = word{term: t, n: 1}
	k := keyOf(s)
	b := v.buckets[k]
	if !v.sorted {
		v.buckets[k] = append(b, s)
		return
	}
	i, _ := slices.BinarySearch(b, s)
	v.buckets[k] = slices.Insert(slices.Clip(b), i, s)
}

// remove counts word once less, and forgets it when the knowledge base no
// longer holds it.
func (v *vocabulary) remove(w []byte) {
	e, ok := v.words[string(w)]
	if !ok {
		return
	}
	if e.n--; e.n > 0 {
		v.words[string(w)] = e
		return
	}
	s := string(w)
	delete(v.words, s)
	k := keyOf(s)
	v.buckets[k] = slices.DeleteFunc(slices.Clone(v.buckets[k]), func(c string) bool { return c == s })
	if len(v.buckets[k]) == 0 {
		delete(v.buckets, k)
	}
}

// sort sorts every bucket, and keeps them sorted from then on.
func (v *vocabulary) sort() {
	for _, b := range v.buckets {
		slices.Sort(b)
	}
	v.sorted = true
}

func keyOf(w string) bucket {
	r := []rune(w)
	return bucket{r[0], len(r)}
}

// near appends to out the terms of the words within maxEdits edits of word
// that share its first letter, as bleve's fuzzy queries with prefix 1 do,
// leaving out any term out holds already.
func (v *vocabulary) near(out []string, word string, maxEdits int) []string {
	if maxEdits == 0 {
		return out
	}
	r := []rune(word)
	// The distance's rows and the candidate's letters, reused for every
	// candidate.
	rows := make([]int, 3*(len(r)+maxEdits+1))
	var cr []rune
	for n := len(r) - maxEdits; n <= len(r)+maxEdits; n++ {
		for _, cand := range v.buckets[bucket{r[0], n}] {
			cr = append(cr[:0], []rune(cand)...)
			if spell.Distance(r, cr, maxEdits, rows) > maxEdits {
				continue
			}
			if t := v.words[cand].term; !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}
