package knowledgetest

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/smpbot/bot/knowledge"
)

// CheckCredentials checks that a storage adapter keeps the web console's
// logins as knowledge.Logins relies on, the same for every engine: a link
// issued through one handle (bot kb web-link) is redeemed through another
// (the running bot, or another replica) exactly once however many race for
// it, the session it starts is seen by both, and a logout of everyone
// through either ends it. open returns a new handle on the same storage
// each time it is called.
func CheckCredentials(t *testing.T, open func(t *testing.T) knowledge.Credentials) {
	ctx := t.Context()
	cli, bot := open(t), open(t)
	link, err := knowledge.NewLogins(cli, "http://localhost:8082").IssueLink(ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}
	_, token, _ := strings.Cut(link.URL, knowledge.LoginPath)

	logins := knowledge.NewLogins(bot, "http://localhost:8082")
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		sessions []knowledge.Session
	)
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
	if _, err := logins.Redeem(ctx, token); !errors.Is(err, knowledge.ErrLinkUnknown) {
		t.Errorf("Redeem of a used link: err = %v, want ErrLinkUnknown", err)
	}
	for name, l := range map[string]*knowledge.Logins{"the redeeming handle": logins, "the issuing handle": knowledge.NewLogins(cli, "")} {
		if got, err := l.Session(ctx, s.Token); err != nil || got.Moderator != "ana" {
			t.Errorf("Session() through %s = %+v, %v; want ana's", name, got, err)
		}
	}

	// bot kb web-logout-all, through the other handle.
	unused, err := knowledge.NewLogins(bot, "http://localhost:8082").IssueLink(ctx, "ben")
	if err != nil {
		t.Fatal(err)
	}
	if err := knowledge.NewLogins(cli, "").LogoutAll(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := logins.Session(ctx, s.Token); !errors.Is(err, knowledge.ErrNoSession) {
		t.Errorf("Session after LogoutAll: err = %v, want ErrNoSession", err)
	}
	_, unusedToken, _ := strings.Cut(unused.URL, knowledge.LoginPath)
	if _, err := logins.Redeem(ctx, unusedToken); !errors.Is(err, knowledge.ErrLinkUnknown) {
		t.Errorf("Redeem of a link issued before LogoutAll: err = %v, want ErrLinkUnknown", err)
	}
	for _, key := range []string{"../../etc/passwd", "", "a.b", strings.Repeat("x", 300)} {
		if _, err := cli.Credential(ctx, key); !errors.Is(err, knowledge.ErrNotFound) {
			t.Errorf("Credential(%q): err = %v, want ErrNotFound", key, err)
		}
		if _, err := cli.TakeCredential(ctx, key); !errors.Is(err, knowledge.ErrNotFound) {
			t.Errorf("TakeCredential(%q): err = %v, want ErrNotFound", key, err)
		}
	}
}
