package jetstream_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"

	"github.com/smpbot/bot/adapters/jetstream"
	"github.com/smpbot/bot/adapters/jetstream/jetstreamtest"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// testTimeout bounds each test's work against the servers.
const testTimeout = time.Minute

// open opens a Store on the servers at url, closed when the test ends.
func open(t *testing.T, cfg jetstream.Config) *jetstream.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	s, err := jetstream.Open(ctx, cfg, nil)
	if err != nil {
		t.Fatalf("Open(%s): %v", cfg.URL, err)
	}
	t.Cleanup(s.Close)
	return s
}

// The engine keeps the storage contract the data directory keeps, each
// handle on a connection of its own as another replica's would be.
func TestStorageContract(t *testing.T) {
	srv := jetstreamtest.Start(t)
	knowledgetest.CheckStorage(t, func(t *testing.T) (knowledge.Revisions, knowledge.Events) {
		s := open(t, jetstream.Config{URL: srv.URL()})
		return s, s
	})
}

// A server that requires an nkey lets in the Store given the seed file, and
// refuses one without it, which is not a server to wait for.
func TestNKeyLogin(t *testing.T) {
	user, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := user.PublicKey()
	seed, _ := user.Seed()
	seedFile := filepath.Join(t.TempDir(), "bot.nk")
	if err := os.WriteFile(seedFile, seed, 0o600); err != nil {
		t.Fatal(err)
	}
	srv := jetstreamtest.Start(t, func(o *server.Options) { o.Nkeys = []*server.NkeyUser{{Nkey: pub}} })

	s := open(t, jetstream.Config{URL: srv.URL(), NKeySeed: seedFile})
	if _, err := s.Commit(t.Context(), 0, knowledge.Record{Author: "alice", Op: knowledge.OpPut, ID: "healing", Text: knowledgetest.EntryText("healing")}); err != nil {
		t.Errorf("Commit with the nkey: %v", err)
	}
	_, err = jetstream.Open(t.Context(), jetstream.Config{URL: srv.URL()}, nil)
	if err == nil || errors.Is(err, knowledge.ErrUnavailable) {
		t.Errorf("Open without the nkey = %v, want a refusal that is not ErrUnavailable", err)
	}
}
