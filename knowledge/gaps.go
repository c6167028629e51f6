package knowledge

import (
	"sort"
	"strings"
	"time"
	"unicode"
)

// Gap is a question nobody got an answer to, grouped with the questions that
// read the same once case, punctuation and spacing are ignored. Who asked is
// not kept.
type Gap struct {
	// Question is the newest wording.
	Question string
	Count    int
	First    time.Time
	Last     time.Time
}

// GapEvent is a question asked and not answered, or a gap closed by a
// moderator.
type GapEvent struct {
	Time     time.Time `json:"time"`
	Question string    `json:"question,omitempty"`
	// Closed is the grouping key of a gap a moderator answered.
	Closed string `json:"closed,omitempty"`
	Entry  string `json:"entry,omitempty"`
	Author string `json:"author,omitempty"`
}

// gapKey groups questions that differ only in case, punctuation and spacing.
func gapKey(q string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	}), " ")
}

// openGaps folds gap events into the open gaps, most recently asked first.
func openGaps(evs []GapEvent) []Gap {
	groups := map[string]*Gap{}
	for _, ev := range evs {
		if ev.Closed != "" {
			delete(groups, ev.Closed)
			continue
		}
		k := gapKey(ev.Question)
		if k == "" {
			continue
		}
		g := groups[k]
		if g == nil {
			g = &Gap{First: ev.Time}
			groups[k] = g
		}
		g.Question, g.Last = ev.Question, ev.Time
		g.Count++
	}
	out := make([]Gap, 0, len(groups))
	for _, g := range groups {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Last.Equal(out[j].Last) {
			return out[i].Last.After(out[j].Last)
		}
		return out[i].Question < out[j].Question
	})
	return out
}

// smallTalkWord reports whether w is a word of greetings, thanks and
// goodbyes: a question made only of them asks nothing the knowledge base
// could answer.
func smallTalkWord(w string) bool {
	switch w {
	case "hi", "hii", "hello", "hey", "heya", "hiya", "yo",
		"thanks", "thank", "you", "thx", "ty", "cheers", "ta",
		"ok", "okay", "k", "cool", "great", "nice", "lol",
		"bye", "goodbye", "good", "morning", "evening", "night", "afternoon",
		"there", "bot", "so", "much", "a", "lot", "yes", "no", "yeah", "nope", "please":
		return true
	}
	return false
}

// smallTalk reports whether q is only a greeting, thanks or the like.
func smallTalk(q string) bool {
	words := strings.Fields(gapKey(q))
	for _, w := range words {
		if !smallTalkWord(w) {
			return false
		}
	}
	return len(words) > 0
}
