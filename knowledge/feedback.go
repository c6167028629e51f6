package knowledge

import (
	"slices"
	"time"
)

// EntryFeedback sums up what people said about the answers an entry gave.
// Who said it is not kept.
type EntryFeedback struct {
	ID       string
	Up, Down int
	// Unhelpful lists the questions answered with the entry that earned a
	// 👎, newest first, without repeats.
	Unhelpful []string
}

// FeedbackEvent is a 👍 or 👎 on the answer an entry gave.
type FeedbackEvent struct {
	Time     time.Time `json:"time"`
	Entry    string    `json:"entry"`
	Helpful  bool      `json:"helpful"`
	Question string    `json:"question,omitempty"`
}

// sumFeedback folds feedback events into the feedback on each entry that
// has any, by id.
func sumFeedback(evs []FeedbackEvent) []EntryFeedback {
	byID := map[string]*EntryFeedback{}
	for _, ev := range evs {
		f := byID[ev.Entry]
		if f == nil {
			f = &EntryFeedback{ID: ev.Entry}
			byID[ev.Entry] = f
		}
		if ev.Helpful {
			f.Up++
			continue
		}
		f.Down++
		if ev.Question != "" {
			f.Unhelpful = slices.DeleteFunc(f.Unhelpful, func(q string) bool { return q == ev.Question })
			f.Unhelpful = append([]string{ev.Question}, f.Unhelpful...)
		}
	}
	out := make([]EntryFeedback, 0, len(byID))
	for _, id := range sortedKeys(byID) {
		out = append(out, *byID[id])
	}
	return out
}
