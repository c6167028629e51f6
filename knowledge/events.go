package knowledge

import (
	"context"
	"encoding/json"
	"path/filepath"
	"time"
)

// Observe records a question the service did not answer as a gap, unless
// it was declined as out of scope, which the knowledge base answers that
// way on purpose, or is still being typed (see AsDraft), so that a Store
// can be a Service's Observer. It is best effort: a gap that cannot be
// recorded must not cost anyone an answer.
func (s *Store) Observe(ctx context.Context, a *Answer, _ time.Duration) {
	if !a.Answered && a.Declined == nil && !isDraft(ctx) {
		_ = s.RecordGap(ctx, a.Question)
	}
}

// RecordGap notes that question got no answer.
func (s *Store) RecordGap(ctx context.Context, question string) error {
	return s.AddGapEvent(ctx, GapEvent{Time: time.Now().UTC(), Question: question})
}

// closeGap notes that a moderator answered question with an entry.
func (s *Store) closeGap(ctx context.Context, author, question, entry string) error {
	return s.AddGapEvent(ctx, GapEvent{Time: time.Now().UTC(), Closed: gapKey(question), Entry: entry, Author: author})
}

// Gaps returns the open gaps, most recently asked first.
func (s *Store) Gaps(ctx context.Context) ([]Gap, error) {
	evs, err := s.GapEvents(ctx)
	if err != nil {
		return nil, err
	}
	return openGaps(evs), nil
}

// RecordFeedback notes whether the answer entry gave to question helped. It
// implements FeedbackRecorder.
func (s *Store) RecordFeedback(ctx context.Context, entry, question string, helpful bool) error {
	return s.AddFeedbackEvent(ctx, FeedbackEvent{Time: time.Now().UTC(), Entry: entry, Helpful: helpful, Question: question})
}

// Feedback returns the feedback on each entry that has any, by id.
func (s *Store) Feedback(ctx context.Context) ([]EntryFeedback, error) {
	evs, err := s.FeedbackEvents(ctx)
	if err != nil {
		return nil, err
	}
	return sumFeedback(evs), nil
}

// AddGapEvent appends ev to GapsFile.
func (s *Store) AddGapEvent(ctx context.Context, ev GapEvent) error {
	return s.appendEvent(ctx, GapsFile, ev)
}

// GapEvents reads GapsFile.
func (s *Store) GapEvents(ctx context.Context) ([]GapEvent, error) {
	return readEvents[GapEvent](ctx, s, GapsFile)
}

// AddFeedbackEvent appends ev to FeedbackFile.
func (s *Store) AddFeedbackEvent(ctx context.Context, ev FeedbackEvent) error {
	return s.appendEvent(ctx, FeedbackFile, ev)
}

// FeedbackEvents reads FeedbackFile.
func (s *Store) FeedbackEvents(ctx context.Context) ([]FeedbackEvent, error) {
	return readEvents[FeedbackEvent](ctx, s, FeedbackFile)
}

// appendEvent appends v as a line of the events file name, cutting off a
// line a crash tore first. Events are not synced to disk: losing the last few
// to a power cut is better than making an asker wait on the disk.
func (s *Store) appendEvent(ctx context.Context, name string, v any) error {
	line, err := json.Marshal(v)
	if err != nil {
		return err
	}
	unlock, err := s.event.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	p := filepath.Join(s.dir, name)
	_, size, err := readLines(p)
	if err != nil {
		return err
	}
	if err := repairTail(p, size); err != nil {
		return err
	}
	return appendLines(p, append(line, '\n'), false)
}

// readEvents decodes each line of the events file name, skipping lines that
// do not decode.
func readEvents[E any](ctx context.Context, s *Store, name string) ([]E, error) {
	unlock, err := s.event.lock(ctx)
	if err != nil {
		return nil, err
	}
	lines, _, err := readLines(filepath.Join(s.dir, name))
	unlock()
	if err != nil {
		return nil, err
	}
	var out []E
	for _, l := range lines {
		var v E
		if json.Unmarshal(l, &v) == nil {
			out = append(out, v)
		}
	}
	return out, nil
}
