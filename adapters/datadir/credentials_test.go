package datadir_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/smpbot/bot/adapters/datadir"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// A link issued by one process (bot kb web-link) is redeemed by another (the
// running bot) sharing the data directory, once, and its token is nowhere on
// disk.
func TestCredentialsSharedByTwoStores(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	cli := openStore(t, dir, knowledgetest.Files())
	bot := openStore(t, dir, knowledgetest.Files())
	link, err := knowledge.NewLogins(cli.Store, "http://localhost:8082").IssueLink(ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}
	_, token, _ := strings.Cut(link.URL, knowledge.LoginPath)
	_, secret, _ := strings.Cut(token, ".")
	files, _ := filepath.Glob(filepath.Join(dir, datadir.CredentialsDir, "*"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if strings.Contains(string(data), secret) {
			t.Errorf("%s holds the link's secret", f)
		}
	}
	if info, err := os.Stat(filepath.Join(dir, datadir.CredentialsDir)); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("%s: %v, %v; want a directory of mode 0700", datadir.CredentialsDir, info, err)
	}

	logins := knowledge.NewLogins(bot.Store, "http://localhost:8082")
	var wg sync.WaitGroup
	var mu sync.Mutex
	var sessions []knowledge.Session
	for range 4 {
		wg.Go(func() {
			if s, err := logins.Redeem(ctx, token); err == nil {
				mu.Lock()
				sessions = append(sessions, s)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(sessions) != 1 {
		t.Fatalf("4 racing Redeems of one link started %d sessions, want 1", len(sessions))
	}
	s := sessions[0]
	if got, err := logins.Session(ctx, s.Token); err != nil || got.Moderator != "ana" {
		t.Errorf("Session() = %+v, %v; want ana's", got, err)
	}

	// bot kb web-logout-all, from the other process.
	if err := knowledge.NewLogins(cli.Store, "").LogoutAll(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := logins.Session(ctx, s.Token); !errors.Is(err, knowledge.ErrNoSession) {
		t.Errorf("Session after LogoutAll: err = %v, want ErrNoSession", err)
	}
	if _, err := cli.Store.Credential(ctx, "../../etc/passwd"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("Credential of a path: err = %v, want ErrNotFound", err)
	}
}
