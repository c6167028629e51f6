package jetstream

import (
	"context"
	"encoding/json"
	"fmt"

	natsjs "github.com/nats-io/nats.go/jetstream"

	"github.com/smpbot/bot/knowledge"
)

// AddGapEvent records ev in the events stream. It fails at once while NATS
// cannot be reached, and within a few seconds at most otherwise. It
// implements knowledge.Events.
func (s *Store) AddGapEvent(ctx context.Context, ev knowledge.GapEvent) error {
	return s.addEvent(ctx, s.n.gapSubj, ev)
}

// GapEvents returns every gap event, oldest first. It implements
// knowledge.Events.
func (s *Store) GapEvents(ctx context.Context) ([]knowledge.GapEvent, error) {
	return readEvents[knowledge.GapEvent](ctx, s, s.n.gapSubj)
}

// AddFeedbackEvent records ev in the events stream, as AddGapEvent does. It
// implements knowledge.Events.
func (s *Store) AddFeedbackEvent(ctx context.Context, ev knowledge.FeedbackEvent) error {
	return s.addEvent(ctx, s.n.feedbackSubj, ev)
}

// FeedbackEvents returns every feedback event, oldest first. It implements
// knowledge.Events.
func (s *Store) FeedbackEvents(ctx context.Context) ([]knowledge.FeedbackEvent, error) {
	return readEvents[knowledge.FeedbackEvent](ctx, s, s.n.feedbackSubj)
}

func (s *Store) addEvent(ctx context.Context, subj string, v any) error {
	if err := s.connected(); err != nil {
		return err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, eventTimeout)
	defer cancel()
	if _, err := s.js.Publish(ctx, subj, data); err != nil {
		return fmt.Errorf("record an event: %w", s.classify(err))
	}
	return nil
}

// readEvents decodes every message of subj, skipping any that does not
// decode.
func readEvents[E any](ctx context.Context, s *Store, subj string) ([]E, error) {
	if err := s.connected(); err != nil {
		return nil, err
	}
	n, err := s.count(ctx, subj)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, nil
	}
	out := make([]E, 0, n)
	err = s.fetch(ctx, s.n.events, natsjs.OrderedConsumerConfig{FilterSubjects: []string{subj}}, n, func(m natsjs.Msg, _ uint64) error {
		var v E
		if json.Unmarshal(m.Data(), &v) == nil {
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

// count returns how many messages of subj the events stream holds.
func (s *Store) count(ctx context.Context, subj string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	st, err := s.js.Stream(ctx, s.n.events)
	if err != nil {
		return 0, fmt.Errorf("the events' state: %w", s.classify(err))
	}
	info, err := st.Info(ctx, natsjs.WithSubjectFilter(subj))
	if err != nil {
		return 0, fmt.Errorf("the events' state: %w", s.classify(err))
	}
	return int(info.State.Subjects[subj]), nil
}
