package knowledge_test

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// loginToken returns the token of a login link.
func loginToken(t *testing.T, l knowledge.Link) string {
	t.Helper()
	_, token, ok := strings.Cut(l.URL, knowledge.LoginPath)
	if !ok {
		t.Fatalf("link %q has no %s", l.URL, knowledge.LoginPath)
	}
	return token
}

func TestLoginLinkStartsOneSession(t *testing.T) {
	ctx := t.Context()
	store := knowledgetest.NewCredentials()
	logins := knowledge.NewLogins(store, "https://kb.example.org/")
	link, err := logins.IssueLink(ctx, "telegram:42 @ana")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(link.URL, "https://kb.example.org/login/") {
		t.Errorf("IssueLink().URL = %q, want it under https://kb.example.org/login/", link.URL)
	}
	token := loginToken(t, link)
	s, err := logins.Redeem(ctx, token)
	if err != nil {
		t.Fatalf("Redeem: %v", err)
	}
	if s.Moderator != "telegram:42 @ana" || s.Token == "" || s.CSRF == "" {
		t.Errorf("Redeem() = %+v, want a session of telegram:42 @ana with a token and a CSRF token", s)
	}
	got, err := logins.Session(ctx, s.Token)
	if err != nil || got.Moderator != s.Moderator || got.CSRF != s.CSRF {
		t.Errorf("Session() = %+v, %v; want the session Redeem started", got, err)
	}
	if _, err := logins.Redeem(ctx, token); !errors.Is(err, knowledge.ErrLinkUnknown) {
		t.Errorf("second Redeem of one link: err = %v, want ErrLinkUnknown", err)
	}
	if err := logins.Logout(ctx, s.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := logins.Session(ctx, s.Token); !errors.Is(err, knowledge.ErrNoSession) {
		t.Errorf("Session after Logout: err = %v, want ErrNoSession", err)
	}
	for _, c := range []string{"", "nodot", "AAAAAAAAAAAAAAAA.secret", s.Token + "x", token} {
		if _, err := logins.Session(ctx, c); !errors.Is(err, knowledge.ErrNoSession) {
			t.Errorf("Session(%q): err = %v, want ErrNoSession", c, err)
		}
	}
}

func TestLoginRefusals(t *testing.T) {
	ctx := t.Context()
	store := knowledgetest.NewCredentials()
	logins := knowledge.NewLogins(store, "http://127.0.0.1:8082")

	link, _ := logins.IssueLink(ctx, "ana")
	store.Age(knowledge.LinkLifetime)
	if _, err := logins.Redeem(ctx, loginToken(t, link)); !errors.Is(err, knowledge.ErrLinkExpired) {
		t.Errorf("Redeem of a link %s old: err = %v, want ErrLinkExpired", knowledge.LinkLifetime, err)
	}

	link, _ = logins.IssueLink(ctx, "ana")
	s, err := logins.Redeem(ctx, loginToken(t, link))
	if err != nil {
		t.Fatal(err)
	}
	store.Age(knowledge.SessionLifetime)
	if _, err := logins.Session(ctx, s.Token); !errors.Is(err, knowledge.ErrNoSession) {
		t.Errorf("Session %s old: err = %v, want ErrNoSession", knowledge.SessionLifetime, err)
	}

	// A link's secret part must match: its key alone opens nothing, and
	// a wrong guess does not use the link up.
	link, _ = logins.IssueLink(ctx, "ana")
	token := loginToken(t, link)
	key, _, _ := strings.Cut(token, ".")
	if _, err := logins.Redeem(ctx, key+".guess"); !errors.Is(err, knowledge.ErrLinkUnknown) {
		t.Errorf("Redeem with a guessed secret: err = %v, want ErrLinkUnknown", err)
	}
	if _, err := logins.Redeem(ctx, token); err != nil {
		t.Errorf("Redeem after a wrong guess: %v, want the link still good", err)
	}

	if _, err := logins.IssueLink(ctx, " "); err == nil {
		t.Error("IssueLink for a blank moderator: no error")
	}
	if _, err := knowledge.NewLogins(store, "").IssueLink(ctx, "ana"); err == nil {
		t.Error("IssueLink without a public address: no error")
	}
	for _, c := range store.All() {
		if strings.Contains(token, c.Hash) {
			t.Errorf("the store keeps %q, part of the token", c.Hash)
		}
	}
}

func TestLogoutAllEndsSessionsAndLinks(t *testing.T) {
	ctx := t.Context()
	logins := knowledge.NewLogins(knowledgetest.NewCredentials(), "http://localhost")
	l1, _ := logins.IssueLink(ctx, "ana")
	s, _ := logins.Redeem(ctx, loginToken(t, l1))
	l2, _ := logins.IssueLink(ctx, "bo")
	if err := logins.LogoutAll(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := logins.Session(ctx, s.Token); !errors.Is(err, knowledge.ErrNoSession) {
		t.Errorf("Session after LogoutAll: err = %v, want ErrNoSession", err)
	}
	if _, err := logins.Redeem(ctx, loginToken(t, l2)); !errors.Is(err, knowledge.ErrLinkUnknown) {
		t.Errorf("Redeem after LogoutAll: err = %v, want ErrLinkUnknown", err)
	}
}

func TestLinkRedeemedOnceUnderRace(t *testing.T) {
	ctx := t.Context()
	logins := knowledge.NewLogins(knowledgetest.NewCredentials(), "http://localhost")
	link, _ := logins.IssueLink(ctx, "ana")
	token := loginToken(t, link)
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 8 {
		wg.Go(func() {
			if _, err := logins.Redeem(ctx, token); err == nil {
				mu.Lock()
				won++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if won != 1 {
		t.Errorf("8 racing Redeems of one link: %d started a session, want 1", won)
	}
}

// The sentences name the lifetimes the code uses.
func TestWebLinkNoticeNamesTheLifetimes(t *testing.T) {
	for _, want := range []string{fmtMinutes(knowledge.LinkLifetime), fmtHours(knowledge.SessionLifetime)} {
		if !strings.Contains(knowledge.WebLinkNotice, want) {
			t.Errorf("WebLinkNotice = %q, want it to say %q", knowledge.WebLinkNotice, want)
		}
	}
}

func fmtMinutes(d time.Duration) string { return strconv.Itoa(int(d.Minutes())) + " minutes" }
func fmtHours(d time.Duration) string   { return strconv.Itoa(int(d.Hours())) + " hours" }
