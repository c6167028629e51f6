package knowledgetest

import (
	"testing"
	"time"

	"github.com/smpbot/bot/knowledge"
)

// WaitLimit keeps a broken lease or claim test from hanging: waits give up
// after it. Nothing is timed.
const WaitLimit = 30 * time.Second

// CheckLeases checks what every knowledge.Leases must do, with leases of
// ttl: one holder at a time, renewal by the holder, release, and lapse
// after ttl. It uses lease names of its own, unique to the test.
func CheckLeases(t *testing.T, leases knowledge.Leases, ttl time.Duration) {
	t.Helper()
	ctx := t.Context()
	name := "check-" + time.Now().Format("150405.000000000")
	acquire := func(holder string, want bool) {
		t.Helper()
		got, err := leases.Acquire(ctx, name, holder, ttl)
		if err != nil || got != want {
			t.Fatalf("Acquire(%q, %q) = %v, %v; want %v, nil", name, holder, got, err, want)
		}
	}
	acquire("a", true)
	acquire("b", false)
	acquire("a", true) // renewal
	if err := leases.Release(ctx, name, "b"); err != nil {
		t.Fatalf("Release(%q, b) by a non-holder = %v, want nil", name, err)
	}
	acquire("b", false)
	if err := leases.Release(ctx, name, "a"); err != nil {
		t.Fatalf("Release(%q, a) = %v", name, err)
	}
	acquire("b", true)
	// b stops renewing: the lease lapses, by the engine's clock, and a
	// wins it.
	deadline := time.Now().Add(WaitLimit)
	for {
		got, err := leases.Acquire(ctx, name, "a", ttl)
		if err != nil {
			t.Fatalf("Acquire(%q, a) after b stopped renewing: %v", name, err)
		}
		if got {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Acquire(%q, a) still false %v after b stopped renewing a lease of %v", name, WaitLimit, ttl)
		}
		time.Sleep(ttl / 10)
	}
	acquire("b", false)
}

// CheckClaims checks what every knowledge.Claims must do: a key is taken
// once, its payload is pending until done, and it is reassigned only from
// its holder while pending.
func CheckClaims(t *testing.T, claims knowledge.Claims) {
	t.Helper()
	ctx := t.Context()
	prefix := "check." + time.Now().Format("150405000000000") + "."
	k1, k2 := prefix+"1", prefix+"2"
	take := func(key, holder string, want bool) {
		t.Helper()
		got, err := claims.Take(ctx, key, holder, []byte("update "+key))
		if err != nil || got != want {
			t.Fatalf("Take(%q, %q) = %v, %v; want %v, nil", key, holder, got, err, want)
		}
	}
	take(k1, "a", true)
	take(k1, "a", false)
	take(k1, "b", false)
	take(k2, "a", true)
	if err := claims.Done(ctx, k1); err != nil {
		t.Fatalf("Done(%q) = %v", k1, err)
	}
	take(k1, "b", false) // done still counts as taken
	pending := func() []knowledge.Claim {
		t.Helper()
		other := "other" + prefix + "1"
		if _, err := claims.Take(ctx, other, "a", nil); err != nil {
			t.Fatalf("Take(%q) = %v", other, err)
		}
		got, err := claims.Pending(ctx, prefix)
		if err != nil {
			t.Fatalf("Pending(%q) = %v", prefix, err)
		}
		return got
	}
	got := pending()
	if len(got) != 1 || got[0].Key != k2 || got[0].Holder != "a" || string(got[0].Payload) != "update "+k2 {
		t.Fatalf("Pending(prefix) = %+v, want only %s held by a with its payload", got, k2)
	}
	reassign := func(key, from, to string, want bool) {
		t.Helper()
		got, err := claims.Reassign(ctx, key, from, to)
		if err != nil || got != want {
			t.Fatalf("Reassign(%q, %q, %q) = %v, %v; want %v, nil", key, from, to, got, err, want)
		}
	}
	reassign(k2, "b", "c", false) // b does not hold it
	reassign(k1, "a", "c", false) // done
	reassign(k2, "a", "b", true)
	reassign(k2, "a", "c", false) // a no longer holds it
	got = pending()
	if len(got) != 1 || got[0].Holder != "b" || string(got[0].Payload) != "update "+k2 {
		t.Fatalf("Pending(prefix) after reassigning %s to b = %+v", k2, got)
	}
	if err := claims.Done(ctx, k2); err != nil {
		t.Fatalf("Done(%q) = %v", k2, err)
	}
	if got := pending(); len(got) != 0 {
		t.Fatalf("Pending(prefix) after both are done = %+v, want none", got)
	}
}
