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
