package index

import "slices"

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
			if editDistance(r, cr, maxEdits, rows) > maxEdits {
				continue
			}
			if t := v.terms[cand]; !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

// editDistance is the Damerau-Levenshtein distance between a and b (a swap
// of two neighbouring letters is one edit, as in "pigmnet"), or a number above
// limit once it is sure to exceed it. rows, if long enough, holds the
// working rows: at least 3×(len(b)+1) ints.
func editDistance(a, b []rune, limit int, rows []int) int {
	// Three rows: two back, one back and current.
	if len(rows) < 3*(len(b)+1) {
		rows = make([]int, 3*(len(b)+1))
	}
	prev2 := rows[:len(b)+1]
	prev := rows[len(b)+1 : 2*(len(b)+1)]
	cur := rows[2*(len(b)+1) : 3*(len(b)+1)]
	clear(prev2)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
