package knowledge

import (
	"context"
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

// feedbackEvent is a line of FeedbackFile.
type feedbackEvent struct {
	Time     time.Time `json:"time"`
	Entry    string    `json:"entry"`
	Helpful  bool      `json:"helpful"`
	Question string    `json:"question,omitempty"`
}

// RecordFeedback notes whether the answer entry gave to question helped. It
// implements FeedbackRecorder.
func (s *Store) RecordFeedback(ctx context.Context, entry, question string, helpful bool) error {
	return s.appendEvent(ctx, FeedbackFile, feedbackEvent{Time: time.Now().UTC(), Entry: entry, Helpful: helpful, Question: question})
}

// Feedback returns the feedback on each entry that has any, by id.
func (s *Store) Feedback(ctx context.Context) ([]EntryFeedback, error) {
	byID := map[string]*EntryFeedback{}
	err := s.readEvents(ctx, FeedbackFile, func() any { return &feedbackEvent{} }, func(v any) {
		ev := v.(*feedbackEvent)
		f := byID[ev.Entry]
		if f == nil {
			f = &EntryFeedback{ID: ev.Entry}
			byID[ev.Entry] = f
		}
		if ev.Helpful {
			f.Up++
			return
		}
		f.Down++
		if ev.Question != "" {
			f.Unhelpful = slices.DeleteFunc(f.Unhelpful, func(q string) bool { return q == ev.Question })
			f.Unhelpful = append([]string{ev.Question}, f.Unhelpful...)
		}
	})
	if err != nil {
		return nil, err
	}
	out := make([]EntryFeedback, 0, len(byID))
	for _, id := range sortedKeys(byID) {
		out = append(out, *byID[id])
	}
	return out, nil
}
