package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"

	"github.com/smpbot/bot/adapters/jetstream"
	"github.com/smpbot/bot/knowledge"
)

// sharedWork opens the leases and claims the replicas share on the engine
// of st, in buckets named after its prefix with copies copies (at least
// one).
func sharedWork(ctx context.Context, st *jetstream.Store, copies int) (*jetstream.Leases, *jetstream.Claims, error) {
	copies = max(copies, 1)
	leases, err := jetstream.NewLeases(ctx, st.JetStream(), st.Name("LEASES"), copies)
	if err != nil {
		return nil, nil, err
	}
	claims, err := jetstream.NewClaims(ctx, st.JetStream(), st.Name("CLAIMS"), copies, knowledge.DefaultClaimTTL)
	if err != nil {
		return nil, nil, err
	}
	return leases, claims, nil
}

// replicaName names this process among the bot's replicas, in the leases
// and claims they share: the host, the process id and a random part, so
// that a restarted process is a new replica. It holds only the characters
// a NATS key allows.
func replicaName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "host"
	}
	host = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '-'
	}, host)
	return fmt.Sprintf("%s-%d-%08x", host, os.Getpid(), rand.Uint32())
}
