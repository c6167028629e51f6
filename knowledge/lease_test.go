package knowledge_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

func TestLocalLeases(t *testing.T) {
	knowledgetest.CheckLeases(t, knowledge.NewLocalLeases(), 50*time.Millisecond)
}

func TestLocalClaims(t *testing.T) {
	knowledgetest.CheckClaims(t, knowledge.NewLocalClaims(time.Hour))
}

// cutOff passes calls on to leases, but fails those of a holder that is
// cut off from the engine.
type cutOff struct {
	knowledge.Leases
	holder string
	off    atomic.Bool
}

var errCutOff = errors.New("engine unreachable")

func (c *cutOff) Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if c.off.Load() && holder == c.holder {
		return false, errCutOff
	}
	return c.Leases.Acquire(ctx, name, holder, ttl)
}

// holders runs replicas that each want the same lease, and records who
// held it, failing the test if two ever hold it at once.
type holders struct {
	t      *testing.T
	leases knowledge.Leases
	ttl    time.Duration

	mu      sync.Mutex
	holding string          // who ran the work last
	held    context.Context // the work's context of holding
	history []string        // who ran it, in turn
	changed chan struct{}
}

func newHolders(t *testing.T, leases knowledge.Leases) *holders {
	return &holders{t: t, leases: leases, ttl: time.Second, changed: make(chan struct{}, 100)}
}

// start runs replica name until the returned cancel is called, and
// returns a channel that gets Run's result.
func (h *holders) start(name string) (context.CancelFunc, <-chan error) {
	ctx, cancel := context.WithCancel(h.t.Context())
	done := make(chan error, 1)
	l := knowledge.Lease{Leases: h.leases, Name: "gateway", Holder: name, TTL: h.ttl}
	go func() {
		done <- l.Run(ctx, func(ctx context.Context) error {
			h.mu.Lock()
			if h.held != nil && h.held.Err() == nil {
				h.t.Errorf("%s holds the lease while %s still does", name, h.holding)
			}
			h.holding, h.held = name, ctx
			h.history = append(h.history, name)
			h.mu.Unlock()
			h.changed <- struct{}{}
			<-ctx.Done()
			return nil
		})
	}()
	return cancel, done
}

// waitFor waits until the history is want.
func (h *holders) waitFor(want ...string) {
	h.t.Helper()
	deadline := time.After(knowledgetest.WaitLimit)
	for {
		h.mu.Lock()
		got := slices.Clone(h.history)
		h.mu.Unlock()
		if slices.Equal(got, want) {
			return
		}
		if len(got) > len(want) {
			h.t.Fatalf("lease history = %v, want %v", got, want)
		}
		select {
		case <-h.changed:
		case <-deadline:
			h.t.Fatalf("lease history = %v after %v, want %v", got, knowledgetest.WaitLimit, want)
		}
	}
}

func TestLeaseMovesWhenHolderStops(t *testing.T) {
	h := newHolders(t, knowledge.NewLocalLeases())
	stopA, doneA := h.start("a")
	h.waitFor("a")
	stopB, doneB := h.start("b")
	defer stopB()
	stopA()
	if err := <-doneA; err != nil {
		t.Errorf("Run of a stopped replica = %v, want nil", err)
	}
	h.waitFor("a", "b")
	stopB()
	if err := <-doneB; err != nil {
		t.Errorf("Run of b = %v, want nil", err)
	}
}

// A holder cut off from the engine stops its work before the lease can
// lapse, so that the replica that wins it next never runs beside it, and
// waits to win it again once it is back.
func TestLeaseLostWhenRenewalsFail(t *testing.T) {
	leases := &cutOff{Leases: knowledge.NewLocalLeases(), holder: "a"}
	h := newHolders(t, leases)
	stopA, _ := h.start("a")
	defer stopA()
	h.waitFor("a")
	stopB, _ := h.start("b")
	leases.off.Store(true)
	h.waitFor("a", "b")
	leases.off.Store(false)
	stopB()
	h.waitFor("a", "b", "a")
}

func TestLeaseReturnsWorkError(t *testing.T) {
	want := errors.New("token revoked")
	l := knowledge.Lease{Leases: knowledge.NewLocalLeases(), Name: "poll", Holder: "a", TTL: time.Second}
	var held []bool
	l.Held = func(b bool) { held = append(held, b) }
	got := l.Run(t.Context(), func(context.Context) error { return want })
	if !errors.Is(got, want) {
		t.Errorf("Run = %v, want %v", got, want)
	}
	if !slices.Equal(held, []bool{true, false}) {
		t.Errorf("Held was told %v, want [true false]", held)
	}
	// The lease was given up: another takes it at once.
	if ok, err := l.Leases.Acquire(t.Context(), "poll", "b", time.Second); !ok || err != nil {
		t.Errorf("Acquire by b after a's work failed = %v, %v; want true, nil", ok, err)
	}
}
