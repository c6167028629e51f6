package discord

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smpbot/bot/knowledge"
)

// TestRunRetriesWhileDiscordIsDown fails the gateway lookup of the first two
// attempts to connect: Run retries, is not ready meanwhile, and connects.
func TestRunRetriesWhileDiscordIsDown(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.bot.retry = knowledge.Backoff{Min: time.Millisecond, Max: 5 * time.Millisecond}
	// Each attempt is sent twice: the REST client repeats a 500 once.
	h.d.Fail(http.MethodGet, "/api/v9/gateway", http.StatusInternalServerError, 4, 0)
	if h.bot.Ready() {
		t.Error("Ready() = true before connecting")
	}
	h.run(t)
	waitReady(t, h.bot)
	if got := strings.Count(h.logs.String(), "cannot connect to the gateway; retrying"); got != 2 {
		t.Errorf("logged %d retries, want 2:\n%s", got, h.logs.String())
	}
}

// TestRunNamesTheAddressDialled points the bot at a proxy that hangs up on
// every connection: the retries' errors name the proxy, not discord.com.
func TestRunNamesTheAddressDialled(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan struct{}, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
			select {
			case accepted <- struct{}{}:
			default:
			}
		}
	}()
	logs := &syncBuffer{}
	b, err := New(Config{Token: "a.SECRET.b", APIURL: "http://" + ln.Addr().String()}, testService(t, nil), slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	b.retry = knowledge.Backoff{Min: time.Millisecond, Max: time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	for range 3 { // the third connection comes after two retries were logged
		<-accepted
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run after its context ended = %v, want nil", err)
	}
	got := logs.String()
	if want := `http://` + ln.Addr().String() + `/api/v9/gateway`; !strings.Contains(got, want) || strings.Contains(got, "discord.com") {
		t.Errorf("logs name another address than %s:\n%s", want, got)
	}
}
