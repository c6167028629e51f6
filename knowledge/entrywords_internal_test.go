package knowledge

import (
	"slices"
	"testing"
)

// TestEntryWordsRank checks what the entry words do with the best entries
// the index found: the entry that messages like the question wanted comes
// first when it scores close to the best, and the index's order stands for
// a phrasing matched word for word, an entry the sets never asked for, and
// a knowledge base without entry words.
func TestEntryWordsRank(t *testing.T) {
	var cases []EvalCase
	for range 5 {
		cases = append(cases,
			EvalCase{Question: "can i go to the gym after my session", Expect: []string{"aftercare"}},
			EvalCase{Question: "when can i sweat at the gym again", Expect: []string{"aftercare"}},
			EvalCase{Question: "does sweating at the gym fade healed smp", Expect: []string{"life-after-healing"}},
			EvalCase{Question: "years later, does the sun fade it", Expect: []string{"life-after-healing"}},
			EvalCase{Question: "how many sessions will i need", Expect: []string{"sessions"}},
			EvalCase{Question: "what's the weather like"},
		)
	}
	m := FitEntryWords(cases)
	matches := func(exact bool, ids ...string) []Match {
		ms := make([]Match, len(ids))
		for i, id := range ids {
			ms[i] = Match{Entry: &Entry{ID: id}, Score: 0.6 - 0.05*float64(i), Exact: exact && i == 0}
		}
		return ms
	}
	order := func(ms []Match) []string {
		ids := make([]string, len(ms))
		for i, x := range ms {
			ids[i] = x.ID
		}
		return ids
	}
	tests := []struct {
		name     string
		m        *EntryWords
		question string
		ms       []Match
		want     []string
	}{
		{"close second wanted", m, "years later does sweating fade it", matches(false, "aftercare", "life-after-healing", "sessions"),
			[]string{"life-after-healing", "aftercare", "sessions"}},
		{"best already wanted", m, "gym after my session?", matches(false, "aftercare", "life-after-healing"),
			[]string{"aftercare", "life-after-healing"}},
		{"word for word", m, "years later does sweating fade it", matches(true, "aftercare", "life-after-healing"),
			[]string{"aftercare", "life-after-healing"}},
		{"entry the sets never asked for", m, "years later does sweating fade it", matches(false, "aftercare", "life-after-healing", "new-entry"),
			[]string{"aftercare", "life-after-healing", "new-entry"}},
		{"no entry words", nil, "years later does sweating fade it", matches(false, "aftercare", "life-after-healing"),
			[]string{"aftercare", "life-after-healing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.m.rank(tt.question, tt.ms)
			if got := order(tt.ms); !slices.Equal(got, tt.want) {
				t.Errorf("rank(%q) = %v, want %v", tt.question, got, tt.want)
			}
		})
	}
	// Far behind the best, the wanted entry stays where it is: its share
	// adds at most entryWordsWeight.
	far := matches(false, "aftercare", "life-after-healing")
	far[1].Score = far[0].Score - entryWordsWeight - 0.01
	if m.rank("years later does sweating fade it", far); far[0].ID != "aftercare" {
		t.Errorf("an entry %.2f behind the best was put first", entryWordsWeight+0.01)
	}
}
