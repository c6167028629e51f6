package knowledge

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Service answers questions from a knowledge base and its index. It is safe
// for concurrent use; Update swaps in a new knowledge base atomically, so a
// question is always answered from one consistent version.
type Service struct {
	state     atomic.Pointer[snapshot]
	cal       Calibration
	log       *slog.Logger
	observers []Observer
	feedback  FeedbackRecorder

	// rate and slots enforce the Capacity set by LimitTo; nil means no
	// limit.
	rate  *rate.Limiter
	slots chan struct{} // one per question being answered
}

// FeedbackRecorder keeps feedback on answers, without who gave it. A
// Moderation is one. Implementations must be safe for concurrent use.
type FeedbackRecorder interface {
	// RecordFeedback records one vote; vote is VoteKey's opaque key, and
	// a later vote with the same key replaces it.
	RecordFeedback(ctx context.Context, vote, entryID, question string, helpful bool) error
}

// RecordFeedbackTo makes Feedback record to r as well as to the log. Call it
// before the service is shared.
func (s *Service) RecordFeedbackTo(r FeedbackRecorder) { s.feedback = r }

// Observer is told about every question the service answers, for metrics
// and for the record of unanswered questions. Observers are called
// concurrently and must not keep a slow caller waiting.
type Observer interface {
	Observe(ctx context.Context, a *Answer, elapsed time.Duration)
}

// Observe adds an observer. Call it before the service is shared.
func (s *Service) Observe(o Observer) { s.observers = append(s.observers, o) }

type platformKey struct{}

// WithPlatform tags ctx with the platform a question came from ("discord",
// "telegram", "console"), so that observers can tell platforms apart.
func WithPlatform(ctx context.Context, platform string) context.Context {
	return context.WithValue(ctx, platformKey{}, platform)
}

type draftKey struct{}

// AsDraft marks ctx as answering a question still being typed, such as a
// Telegram inline query, which comes each time its writer pauses: observers
// are told of it as of any question, but a fragment that nothing answers is
// not recorded as a gap.
func AsDraft(ctx context.Context) context.Context {
	return context.WithValue(ctx, draftKey{}, true)
}

// isDraft reports whether ctx was marked with AsDraft.
func isDraft(ctx context.Context) bool {
	d, _ := ctx.Value(draftKey{}).(bool)
	return d
}

// Platform returns the platform ctx was tagged with, or "".
func Platform(ctx context.Context) string {
	p, _ := ctx.Value(platformKey{}).(string)
	return p
}

type snapshot struct {
	base *Base
	idx  Index
	// mu is held for reading while a question is answered from the
	// snapshot, and for writing when it is retired: see acquire and retire.
	mu      sync.RWMutex
	retired bool
}

// acquire returns the current snapshot, held for reading: it is not retired
// before its mu.RUnlock.
func (s *Service) acquire() *snapshot {
	for {
		snap := s.state.Load()
		snap.mu.RLock()
		if !snap.retired {
			return snap
		}
		// Replaced and retired between the two lines above: the state
		// holds a newer one.
		snap.mu.RUnlock()
	}
}

// retire waits until no question is being answered from snap, which is no
// longer the service's, and then closes its index if it is an io.Closer.
func (snap *snapshot) retire() error {
	snap.mu.Lock()
	snap.retired = true
	snap.mu.Unlock()
	if c, ok := snap.idx.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// NewService returns a service answering from base through idx. A nil logger
// discards feedback logs.
func NewService(base *Base, idx Index, cal Calibration, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{cal: cal, log: log}
	s.Update(base, idx)
	return s
}

// Update makes base, searched through idx, the knowledge base that answers
// from now on. Questions already being answered finish on the old one. The
// index it replaces stays its caller's to close; Follow, which owns the
// indexes it builds, closes each once no question is answered from it.
func (s *Service) Update(base *Base, idx Index) { s.swap(base, idx) }

// swap is Update returning the snapshot it replaced, or nil.
func (s *Service) swap(base *Base, idx Index) *snapshot {
	return s.state.Swap(&snapshot{base: base, idx: idx})
}

// Base returns the knowledge base currently answering.
func (s *Service) Base() *Base { return s.state.Load().base }
