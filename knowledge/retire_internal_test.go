package knowledge

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// gatedIndex finds one entry; with a gate, each search waits for it to open.
// A search of a closed index fails, as bleve's does.
type gatedIndex struct {
	entered chan struct{} // receives when a search starts, if not nil
	gate    chan struct{} // searches wait for it to close, if not nil
	closed  atomic.Bool
}

func (x *gatedIndex) Search(ctx context.Context, _ string, _ int) ([]Hit, error) {
	if x.entered != nil {
		x.entered <- struct{}{}
		<-x.gate
	}
	if x.closed.Load() {
		return nil, errors.New("search of a closed index")
	}
	return []Hit{{ID: "depth", Score: 1, Coverage: 1}}, nil
}

func (x *gatedIndex) Close() error {
	x.closed.Store(true)
	return nil
}

// An index replaced while a question is being answered from it is closed
// only once that answer is done, however long it takes.
func TestRetireWaitsForAnswers(t *testing.T) {
	base, ps := NewBase([]*Entry{{ID: "depth", Title: "Depth", Kind: Explanation, Body: "In the upper dermis."}}, &Synonyms{})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	old := &gatedIndex{entered: make(chan struct{}), gate: make(chan struct{})}
	svc := NewService(base, old, Calibration{}, nil)
	answered := make(chan error, 1)
	go func() {
		_, err := svc.Answer(context.Background(), "how deep")
		answered <- err
	}()
	<-old.entered

	next := &gatedIndex{}
	prev := svc.swap(base, next)
	retired := make(chan struct{})
	go func() {
		prev.retire()
		close(retired)
	}()
	// New questions go to the new index at once.
	if _, err := svc.Answer(context.Background(), "how deep"); err != nil {
		t.Fatalf("Answer after the swap: %v", err)
	}
	select {
	case <-retired:
		t.Fatal("the old index was retired while a question was being answered from it")
	case <-time.After(50 * time.Millisecond):
	}
	close(old.gate)
	if err := <-answered; err != nil {
		t.Errorf("the question in flight during the swap: %v, want its answer", err)
	}
	<-retired
	if !old.closed.Load() {
		t.Error("the old index was not closed once its last answer was done")
	}
	if next.closed.Load() {
		t.Error("the new index was closed")
	}
}

// A question that finds the service's snapshot already retired, as when it
// is replaced and retired between being read and held, takes the next one.
func TestAcquireSkipsRetired(t *testing.T) {
	base, ps := NewBase([]*Entry{{ID: "depth", Title: "Depth", Kind: Explanation, Body: "In the upper dermis."}}, nil)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	svc := NewService(base, &gatedIndex{}, Calibration{}, nil)
	old := svc.state.Load()
	if err := old.retire(); err != nil {
		t.Fatal(err)
	}
	got := make(chan *snapshot)
	go func() {
		snap := svc.acquire()
		snap.mu.RUnlock()
		got <- snap
	}()
	// acquire spins on the retired snapshot until a newer one is there.
	next := &snapshot{base: base, idx: &gatedIndex{}}
	svc.state.Store(next)
	if snap := <-got; snap != next {
		t.Errorf("acquire() = the retired snapshot, want the newer one")
	}
}
