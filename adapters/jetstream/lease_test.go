package jetstream_test

import (
	"context"
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/jetstream"
	"github.com/smpbot/bot/adapters/jetstream/jetstreamtest"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

func TestLeases(t *testing.T) {
	js, _ := connect(t, jetstreamtest.Start(t).URL())
	leases, err := jetstream.NewLeases(t.Context(), js, "leases", 1)
	if err != nil {
		t.Fatal(err)
	}
	// The server's per-key TTLs have a granularity of a second.
	knowledgetest.CheckLeases(t, leases, time.Second)
}

func TestClaims(t *testing.T) {
	js, _ := connect(t, jetstreamtest.Start(t).URL())
	claims, err := jetstream.NewClaims(t.Context(), js, "claims", 1, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	knowledgetest.CheckClaims(t, claims)
}

// sharer is one replica's view of the shared engine, over a connection of
// its own that the test can cut, as when the replica dies.
type sharer struct {
	leases *jetstream.Leases
	claims *jetstream.Claims
	cut    func()
}

func newSharer(t *testing.T, url string) sharer {
	t.Helper()
	js, nc := connect(t, url)
	leases, err := jetstream.NewLeases(t.Context(), js, "leases", 1)
	if err != nil {
		t.Fatal(err)
	}
	claims, err := jetstream.NewClaims(t.Context(), js, "claims", 1, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return sharer{leases: leases, claims: claims, cut: nc.Close}
}

// A replica that dies holding a lease stops its work, and another takes the
// lease once the server lets it lapse.
func TestLeaseMovesWhenHolderDies(t *testing.T) {
	url := jetstreamtest.Start(t).URL()
	a, b := newSharer(t, url), newSharer(t, url)
	const ttl = 2 * time.Second
	aWorks, aStopped, bWorks := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go knowledge.Lease{Leases: a.leases, Name: "poll", Holder: "a", TTL: ttl}.Run(t.Context(), func(ctx context.Context) error {
		close(aWorks)
		<-ctx.Done()
		close(aStopped)
		return nil
	})
	waitClosed(t, "a to hold the lease", aWorks)
	go knowledge.Lease{Leases: b.leases, Name: "poll", Holder: "b", TTL: ttl}.Run(t.Context(), func(ctx context.Context) error {
		select {
		case <-aStopped:
		default:
			t.Error("b holds the lease while a still works under it")
		}
		close(bWorks)
		<-ctx.Done()
		return nil
	})
	a.cut()
	waitClosed(t, "a to stop working once cut off", aStopped)
	waitClosed(t, "b to take the lease over", bWorks)
}

// An update taken by a replica that died before handling it is handled by
// another once the dead replica's liveness lease lapses.
func TestClaimTakenOverWhenHolderDies(t *testing.T) {
	url := jetstreamtest.Start(t).URL()
	a, b := newSharer(t, url), newSharer(t, url)
	const ttl = 2 * time.Second
	ca := &knowledge.Claimer{Claims: a.claims, Leases: a.leases, Holder: "a", TTL: ttl, Prefix: "telegram.1."}
	cb := &knowledge.Claimer{Claims: b.claims, Leases: b.leases, Holder: "b", TTL: ttl, Prefix: "telegram.1."}
	ctx := t.Context()
	for _, key := range []string{"telegram.1.10", "telegram.1.11"} {
		if ok, err := ca.Take(ctx, key, []byte("update "+key)); !ok || err != nil {
			t.Fatalf("a.Take(%q) = %v, %v", key, ok, err)
		}
	}
	if err := ca.Done(ctx, "telegram.1.10"); err != nil {
		t.Fatal(err)
	}
	a.cut() // a dies with telegram.1.11 taken and not handled
	got := make(chan string, 2)
	go cb.Run(ctx, func(ctx context.Context, key string, payload []byte) {
		if err := cb.Done(ctx, key); err != nil {
			t.Errorf("Done(%q) = %v", key, err)
		}
		got <- key + ": " + string(payload)
	})
	select {
	case g := <-got:
		if want := "telegram.1.11: update telegram.1.11"; g != want {
			t.Errorf("b took over %q, want %q", g, want)
		}
	case <-time.After(knowledgetest.WaitLimit):
		t.Fatal("b did not take over the update of the dead replica a")
	}
	for _, key := range []string{"telegram.1.10", "telegram.1.11"} {
		if ok, err := cb.Take(ctx, key, nil); ok || err != nil {
			t.Errorf("b.Take(%q) after it was handled = %v, %v; want false, nil", key, ok, err)
		}
	}
}

func waitClosed(t *testing.T, what string, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(knowledgetest.WaitLimit):
		t.Fatalf("gave up waiting for %s", what)
	}
}
