package telegram

import (
	"net/http"
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/telegram/telegramtest"
)

// TestNotReadyWhilePollsFail answers getMe but fails three long polls in a
// row with 502: the bot is not ready until a poll succeeds again.
func TestNotReadyWhilePollsFail(t *testing.T) {
	h := start(t, options{})
	h.f.WaitFor("a long poll", telegramtest.HasOpenPoll)
	if !h.bot.Ready() {
		t.Fatal("Ready() = false while polling")
	}
	bad := telegramtest.Fault{Status: http.StatusBadGateway, Body: `{"ok":false,"error_code":502,"description":"Bad Gateway"}`}
	gate := make(chan struct{})
	h.f.FailNext("getUpdates", bad, bad, bad, telegramtest.Fault{Gate: gate})
	failed := func(reqs []telegramtest.Request) int {
		n := 0
		for _, r := range reqs {
			if r.Method == "getUpdates" && r.Status == http.StatusBadGateway {
				n++
			}
		}
		return n
	}
	// The fourth poll, held open, comes after the bot saw the third fail.
	reqs := h.f.WaitFor("three failed polls and a fourth", func(reqs []telegramtest.Request) bool {
		return failed(reqs) == 3 && telegramtest.HasOpenPoll(reqs)
	})
	if h.bot.Ready() {
		t.Error("Ready() = true after three failed polls in a row")
	}
	polls := len(telegramtest.Calls(reqs, "getUpdates")) + failed(reqs) + 1
	close(gate)
	// The poll after the held one comes once the bot has seen it succeed.
	h.f.WaitFor("the poll after a good one", func(reqs []telegramtest.Request) bool {
		n := 0
		for _, r := range reqs {
			if r.Method == "getUpdates" {
				n++
			}
		}
		return n > polls
	})
	if !h.bot.Ready() {
		t.Error("Ready() = false after a poll succeeded again")
	}
}

func TestHealthGoesStale(t *testing.T) {
	now := time.Unix(1e9, 0)
	h := &health{staleAfter: 90 * time.Second, now: func() time.Time { return now }}
	h.succeeded()
	now = now.Add(90 * time.Second)
	if !h.ok() {
		t.Error("ok() = false 90s after a success, with staleAfter 90s")
	}
	now = now.Add(time.Second)
	if h.ok() {
		t.Error("ok() = true 91s after the last success, with staleAfter 90s")
	}
	h.succeeded()
	if !h.ok() {
		t.Error("ok() = false right after a success")
	}
}
