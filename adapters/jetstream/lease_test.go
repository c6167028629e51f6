package jetstream_test

import (
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/jetstream"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

func TestLeases(t *testing.T) {
	js := startServer(t)
	leases, err := jetstream.NewLeases(t.Context(), js, "leases", 1)
	if err != nil {
		t.Fatal(err)
	}
	// The server's per-key TTLs have a granularity of a second.
	knowledgetest.CheckLeases(t, leases, time.Second)
}

func TestClaims(t *testing.T) {
	js := startServer(t)
	claims, err := jetstream.NewClaims(t.Context(), js, "claims", 1, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	knowledgetest.CheckClaims(t, claims)
}
