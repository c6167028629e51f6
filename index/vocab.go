package index

import (
	"slices"

	"github.com/smpbot/bot/index/spell"
)

// vocabulary holds words, each standing for an indexed term, bucketed by
// first letter and length so that near spellings of a word are found without
// scanning them all.
type vocabulary struct {
	buckets map[bucket][]string
	terms   map[string]string // word -> the term it stands for
}

type bucket struct {
	first rune
	n     int
}

func newVocabulary() *vocabulary {
	return &vocabulary{buckets: map[bucket][]string{}, terms: map[string]string{}}
}

// add adds word, standing for term, unless the vocabulary holds it already.
func (v *vocabulary) add(word, term []byte) {
	if _, ok := v.terms[string(word)]; ok {
		return
	}
	w := string(word)
	t := w
	if string(term) != w {
		t = string(term)
	}
	v.terms[w] = t
	r := []rune(w)
	k := bucket{r[0], len(r)}
	v.buckets[k] = append(v.buckets[k], w)
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
			if t := v.terms[cand]; !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}
