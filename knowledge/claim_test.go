package knowledge_test

import (
	"context"
	"testing"
	"time"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

type recovered struct {
	key, payload string
}

// runClaimer runs c until the test ends or the returned cancel is called;
// what it takes over is sent on the channel, and marked done.
func runClaimer(t *testing.T, c *knowledge.Claimer) (context.CancelFunc, <-chan recovered) {
	ctx, cancel := context.WithCancel(t.Context())
	got := make(chan recovered, 10)
	done := make(chan struct{})
	go func() {
		defer close(done)
		err := c.Run(ctx, func(ctx context.Context, key string, payload []byte) {
			if err := c.Done(ctx, key); err != nil {
				t.Errorf("Done(%q) = %v", key, err)
			}
			got <- recovered{key, string(payload)}
		})
		if err != nil {
			t.Errorf("Claimer.Run = %v", err)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	return func() { cancel(); <-done }, got
}

// An update taken by a replica that stops before handling it is handled
// by another, once; updates it handled are not, and duplicates of either
// are dropped everywhere.
func TestClaimerTakesOverFromStoppedReplica(t *testing.T) {
	ctx := t.Context()
	claims, leases := knowledge.NewLocalClaims(time.Hour), knowledge.NewLocalLeases()
	ttl := 300 * time.Millisecond
	a := &knowledge.Claimer{Claims: claims, Leases: leases, Holder: "a", TTL: ttl}
	b := &knowledge.Claimer{Claims: claims, Leases: leases, Holder: "b", TTL: ttl}
	stopA, fromA := runClaimer(t, a)
	for _, key := range []string{"u1", "u2"} {
		if ok, err := a.Take(ctx, key, []byte("payload "+key)); !ok || err != nil {
			t.Fatalf("a.Take(%q) = %v, %v; want true, nil", key, ok, err)
		}
	}
	if err := a.Done(ctx, "u1"); err != nil {
		t.Fatal(err)
	}
	_, fromB := runClaimer(t, b)
	// While a runs, a duplicate of its update is dropped.
	if ok, err := b.Take(ctx, "u2", []byte("payload u2")); ok || err != nil {
		t.Fatalf("b.Take(u2) while a holds it = %v, %v; want false, nil", ok, err)
	}
	stopA()
	select {
	case got := <-fromB:
		if got != (recovered{"u2", "payload u2"}) {
			t.Errorf("b took over %+v, want u2 with its payload", got)
		}
	case <-time.After(knowledgetest.WaitLimit):
		t.Fatal("b did not take over u2 from the stopped replica a")
	}
	for _, key := range []string{"u1", "u2"} {
		if ok, err := b.Take(ctx, key, nil); ok || err != nil {
			t.Errorf("b.Take(%q) after it was handled = %v, %v; want false, nil", key, ok, err)
		}
	}
	if pending, err := claims.Pending(ctx, ""); err != nil || len(pending) != 0 {
		t.Errorf("Pending() = %+v, %v; want none", pending, err)
	}
	select {
	case got := <-fromA:
		t.Errorf("a took over %+v from no one", got)
	case got := <-fromB:
		t.Errorf("b took over %+v twice", got)
	default:
	}
}
