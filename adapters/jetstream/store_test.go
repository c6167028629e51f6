package jetstream_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	natsjs "github.com/nats-io/nats.go/jetstream"
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

// The web console's logins are shared by replicas as by the processes of a
// data directory: a link issued through one is redeemed through another,
// once.
func TestCredentialsContract(t *testing.T) {
	srv := jetstreamtest.Start(t)
	knowledgetest.CheckCredentials(t, func(t *testing.T) knowledge.Credentials {
		return open(t, jetstream.Config{URL: srv.URL()})
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

// The log is kept on disk for ever: no limits, and deletes and purges are
// refused, so that nobody can cut an entry's history short.
func TestLogIsKeptForEver(t *testing.T) {
	ctx := t.Context()
	s := open(t, jetstream.Config{URL: jetstreamtest.Start(t).URL()})
	if _, err := s.Commit(ctx, 0, knowledge.Record{Author: "alice", Op: knowledge.OpPut, ID: "healing", Text: knowledgetest.EntryText("healing")}); err != nil {
		t.Fatal(err)
	}
	st, err := s.JetStream().Stream(ctx, s.Name("LOG"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := st.CachedInfo().Config
	if cfg.Storage != natsjs.FileStorage || !cfg.DenyDelete || !cfg.DenyPurge || cfg.MaxAge != 0 || cfg.MaxMsgs != -1 || cfg.MaxBytes != -1 || cfg.MaxMsgsPerSubject != -1 {
		t.Errorf("the log's stream is %+v, want file storage, no limits, deletes and purges denied", cfg)
	}
	if err := st.DeleteMsg(ctx, 1); err == nil {
		t.Error("deleting revision 1 succeeded")
	}
	if err := st.Purge(ctx); err == nil {
		t.Error("purging the log succeeded")
	}
	if recs, err := s.Since(ctx, 0); err != nil || len(recs) != 1 {
		t.Errorf("after the refused delete and purge Since(0) = %d records, %v", len(recs), err)
	}
}

// Two knowledge bases under two prefixes share a server without seeing
// each other.
func TestPrefixesKeepKnowledgeBasesApart(t *testing.T) {
	ctx := t.Context()
	url := jetstreamtest.Start(t).URL()
	a := open(t, jetstream.Config{URL: url, Prefix: "ONE"})
	b := open(t, jetstream.Config{URL: url, Prefix: "TWO"})
	if _, err := a.Commit(ctx, 0, knowledge.Record{Author: "alice", Op: knowledge.OpPut, ID: "healing", Text: knowledgetest.EntryText("healing")}); err != nil {
		t.Fatal(err)
	}
	if err := a.AddGapEvent(ctx, knowledge.GapEvent{Question: "only in one"}); err != nil {
		t.Fatal(err)
	}
	if recs, err := b.Since(ctx, 0); err != nil || len(recs) != 0 {
		t.Errorf("TWO's log = %d records, %v; want none of ONE's", len(recs), err)
	}
	if gaps, err := b.GapEvents(ctx); err != nil || len(gaps) != 0 {
		t.Errorf("TWO's gaps = %+v, %v; want none of ONE's", gaps, err)
	}
	if _, err := b.Commit(ctx, 0, knowledge.Record{Author: "bob", Op: knowledge.OpPut, ID: "healing", Text: knowledgetest.EntryText("healing")}); err != nil {
		t.Errorf("TWO's first commit: %v", err)
	}
}
