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

// gapBook keeps the open gaps of the events it has folded, so that listing
// them again folds only the events recorded since: an event store hands
// them over oldest first, and only ever appends, until it compacts them.
// A gapBook is not safe for concurrent use.
type gapBook struct {
	n           int // events folded
	first, last GapEvent
	groups      map[string]*Gap
}

// open returns the open gaps of evs, every gap event, most recently asked
// first.
func (b *gapBook) open(evs []GapEvent) []Gap {
	if b.n == 0 || len(evs) < b.n || evs[0] != b.first || evs[b.n-1] != b.last {
		*b = gapBook{groups: map[string]*Gap{}} // compacted: fold them all
	}
	for _, ev := range evs[b.n:] {
		if ev.Closed != "" {
			delete(b.groups, ev.Closed)
			continue
		}
		k := gapKey(ev.Question)
		if k == "" {
			continue
		}
		g := b.groups[k]
		if g == nil {
			g = &Gap{First: ev.Time}
			b.groups[k] = g
		}
		g.Question, g.Last = ev.Question, ev.Time
		g.Count++
	}
	if b.n = len(evs); b.n > 0 {
		b.first, b.last = evs[0], evs[b.n-1]
	}
	out := make([]Gap, 0, len(b.groups))
	for _, g := range b.groups {
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

// DefaultEventRetention is how long gaps closed by moderators, and feedback,
// are kept before a store compacts them away: long enough to see what a
// season of questions looked like, short enough that the files stay small.
const DefaultEventRetention = 180 * 24 * time.Hour

// KeepGapEvents returns the events of evs, oldest first, that a store keeps
// when it compacts those from before cutoff: every event since cutoff, and
// the older questions of gaps still open. Questions a moderator answered or
// dismissed before cutoff go, with the closing. The open gaps the kept
// events make are the ones evs make.
func KeepGapEvents(evs []GapEvent, cutoff time.Time) []GapEvent {
	closed := map[string]int{} // the last closing of each gap, by key
	for i, ev := range evs {
		if ev.Closed != "" {
			closed[ev.Closed] = i
		}
	}
	var out []GapEvent
	for i, ev := range evs {
		if ev.Time.Before(cutoff) {
			if ev.Closed != "" {
				continue // what it closed is older still
			}
			if j, ok := closed[gapKey(ev.Question)]; ok && j > i || gapKey(ev.Question) == "" {
				continue
			}
		}
		out = append(out, ev)
	}
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
