package index

import (
	"math"
	"testing"
)

// An entry many of whose phrasings hold the question's words has more
// support than one with a single phrasing that shares a rare word, and a
// phrasing added to an entry never lowers its support.
func TestSupport(t *testing.T) {
	// The question's words: "gym" (rare), "session" (common), "bbq" (rarest).
	expanded := []queryTerm{{term: "gym", weight: 2}, {term: "session", weight: 1}, {term: "bbq", weight: 3}}
	// aftercare: 6 phrasings hold gym, 8 session, none bbq; a story entry: one
	// phrasing holds bbq and session.
	counts := []int32{6, 8, 0, 0, 1, 1}
	got := support(counts, expanded, 2)
	if sum := got[0] + got[1]; math.Abs(sum-1) > 1e-9 {
		t.Errorf("support(%v) = %v, sums to %f; want shares summing to 1", counts, got, sum)
	}
	if got[0] <= got[1] {
		t.Errorf("support(%v) = %v; want the entry many phrasings speak for ahead of the one with a single rare match", counts, got)
	}
	for i := range counts {
		more := append([]int32(nil), counts...)
		more[i]++
		after := support(more, expanded, 2)
		if entry := i / len(expanded); after[entry] < got[entry]-1e-12 {
			t.Errorf("support: candidate %d's share fell from %f to %f when one of its phrasings more held word %d", entry, got[entry], after[entry], i%len(expanded))
		}
	}
	if got := support(nil, nil, 3); len(got) != 3 || got[0] != 0 {
		t.Errorf("support with no words = %v, want three zero shares", got)
	}
}
