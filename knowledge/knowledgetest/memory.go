package knowledgetest

import (
	"context"
	"io/fs"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/smpbot/bot/knowledge"
)

// Memory keeps a knowledge base's revision log (knowledge.Revisions) and its
// events (knowledge.Events) in memory, for tests of what is built on them
// without a storage engine. It is safe for concurrent use.
type Memory struct {
	mu       sync.Mutex
	recs     []knowledge.Record
	gaps     []knowledge.GapEvent
	feedback []knowledge.FeedbackEvent
	fail     error
}

// NewMemory returns a Memory whose first revisions are the files of seed,
// which must load, taken from upstream as a storage engine seeds a new
// knowledge base from the embedded default.
func NewMemory(tb testing.TB, seed fs.FS) *Memory {
	tb.Helper()
	m := &Memory{}
	seedLog(tb, m, seed)
	return m
}

// FailWith makes every later call fail with err, as a broken engine would;
// nil mends it.
func (m *Memory) FailWith(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fail = err
}

// Since returns the records after revision rev, oldest first.
func (m *Memory) Since(ctx context.Context, rev int64) ([]knowledge.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	return slices.Clone(m.recs[min(rev, int64(len(m.recs))):]), ctx.Err()
}

// Commit appends recs if head is still the newest revision.
func (m *Memory) Commit(ctx context.Context, head int64, recs ...knowledge.Record) ([]knowledge.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	if head != int64(len(m.recs)) {
		return nil, knowledge.ErrHeadMoved
	}
	out := slices.Clone(recs)
	now := time.Now().UTC()
	for i := range out {
		out[i].Rev, out[i].Time = head+int64(i)+1, now
	}
	m.recs = append(m.recs, out...)
	return out, ctx.Err()
}

// AddGapEvent keeps ev.
func (m *Memory) AddGapEvent(_ context.Context, ev knowledge.GapEvent) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	m.gaps = append(m.gaps, ev)
	return nil
}

// GapEvents returns the gap events kept, oldest first.
func (m *Memory) GapEvents(context.Context) ([]knowledge.GapEvent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.gaps), m.fail
}

// AddFeedbackEvent keeps ev.
func (m *Memory) AddFeedbackEvent(_ context.Context, ev knowledge.FeedbackEvent) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	m.feedback = append(m.feedback, ev)
	return nil
}

// FeedbackEvents returns the feedback events kept, oldest first.
func (m *Memory) FeedbackEvents(context.Context) ([]knowledge.FeedbackEvent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.feedback), m.fail
}
