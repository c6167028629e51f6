package jetstream_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/jetstream"
	"github.com/smpbot/bot/adapters/jetstream/jetstreamtest"
)

// BenchmarkClaimTakeDone is what the claims add to one Telegram update: it
// is taken before it is acknowledged, and done once answered.
func BenchmarkClaimTakeDone(b *testing.B) {
	js, _ := connect(b, jetstreamtest.Start(b).URL())
	claims, err := jetstream.NewClaims(b.Context(), js, "claims", 1, time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	payload := []byte(`{"update_id":1,"message":{"message_id":1,"chat":{"id":1,"type":"private"},"text":"how deep should the needle go"}}`)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		key := "telegram.1." + strconv.Itoa(i)
		if ok, err := claims.Take(b.Context(), key, "a", payload); !ok || err != nil {
			b.Fatalf("Take(%q) = %v, %v", key, ok, err)
		}
		if err := claims.Done(b.Context(), key); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLeaseRenew is one renewal of a held lease, made every TTL/3.
func BenchmarkLeaseRenew(b *testing.B) {
	js, _ := connect(b, jetstreamtest.Start(b).URL())
	leases, err := jetstream.NewLeases(b.Context(), js, "leases", 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := leases.Acquire(b.Context(), "poll", "a", 15*time.Second); !ok || err != nil {
			b.Fatalf("Acquire = %v, %v", ok, err)
		}
	}
}
