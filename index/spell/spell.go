// Package spell measures how far apart two spellings are, for typo
// tolerance in search and for "did you mean" suggestions.
package spell

// Distance is the Damerau-Levenshtein distance between a and b (a swap
// of two neighbouring letters is one edit, as in "pigmnet"), or a number above
// limit once it is sure to exceed it. rows, if long enough, holds the
// working rows: at least 3×(len(b)+1) ints.
func Distance(a, b []rune, limit int, rows []int) int {
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
