package discord

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/smpbot/bot/adapters/discord/discordtest"

	"github.com/smpbot/bot/knowledge"
)

func TestGatewayFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault func(*discordtest.Server, testing.TB)
	}{
		{"connection dropped", (*discordtest.Server).Drop},
		{"reconnect requested (op 7)", (*discordtest.Server).Reconnect},
		{"session invalidated (op 9)", (*discordtest.Server).InvalidateSession},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			h.bot.session.SyncEvents = true // so that once a later question is answered, every earlier one is too
			h.run(t)
			ask := func() string {
				ch := h.d.NewID()
				h.d.Message(t, map[string]any{"channel_id": ch, "author": h.user(h.d.NewID()), "content": "what is smp"})
				return ch
			}
			before := ask()
			h.d.Messages(t, before, 1)
			ready := h.d.Ready()
			tt.fault(h.d, t)
			during := ask() // on the connection going away: handled, or replayed on resume
			h.d.WaitReady(t, ready+1)
			after := ask()
			h.d.Messages(t, after, 1)
			for _, ch := range []string{before, during, after} {
				got := discordtest.Matching(h.d.Calls(), "POST", "/api/v9/channels/"+ch+"/messages")
				if len(got) != 1 {
					t.Errorf("%s: question in channel %s answered %d times, want once", tt.name, ch, len(got))
				}
			}
			waitReady(t, h.bot)
		})
	}
}

func TestRESTFaults(t *testing.T) {
	t.Parallel()
	h := start(t, nil)
	attempts := func(path string) (failed, ok int) {
		for _, c := range h.d.Calls() {
			if c.Path == path && c.Method == http.MethodPost {
				if c.OK() {
					ok++
				} else {
					failed++
				}
			}
		}
		return failed, ok
	}
	dm := func() string {
		ch := h.d.NewID()
		h.d.Message(t, map[string]any{"channel_id": ch, "author": h.user(h.d.NewID()), "content": "what is smp"})
		return ch
	}

	t.Run("500 once on an interaction response", func(t *testing.T) {
		h.d.Fail(http.MethodPost, "/api/v9/interactions/", http.StatusInternalServerError, 1, 0)
		id := h.interact(t, discordgo.InteractionApplicationCommand, askData("what is smp", false))
		if got := h.answer(t, id)[0].Embeds[0].Title; got != "What scalp micropigmentation (SMP) is" {
			t.Errorf("answer after a 500: title %q", got)
		}
		if failed, ok := attempts(discordtest.CallbackPath(id)); failed != 1 || ok != 1 {
			t.Errorf("interaction response: %d failed and %d accepted attempts, want 1 and 1", failed, ok)
		}
	})

	t.Run("500 on a message is not sent twice, and the next is answered", func(t *testing.T) {
		_, errsBefore := h.metrics.counts()
		h.d.Fail(http.MethodPost, "/api/v9/channels/", http.StatusInternalServerError, 1, 0)
		lost := dm()
		eventually(t, "the failure counted", func() bool { _, errs := h.metrics.counts(); return errs > errsBefore })
		if failed, ok := attempts("/api/v9/channels/" + lost + "/messages"); failed != 1 || ok != 0 {
			t.Errorf("message after a 500: %d failed and %d accepted attempts, want 1 and 0", failed, ok)
		}
		h.d.Messages(t, dm(), 1)
	})

	t.Run("429 waits retry_after", func(t *testing.T) {
		const wait = 300 * time.Millisecond
		h.d.Fail(http.MethodPost, "/api/v9/channels/", http.StatusTooManyRequests, 1, wait)
		ch := dm()
		h.d.Messages(t, ch, 1)
		var times []time.Time
		for _, c := range h.d.Calls() {
			if c.Path == "/api/v9/channels/"+ch+"/messages" {
				times = append(times, c.Time)
			}
		}
		if len(times) != 2 {
			t.Fatalf("%d attempts to answer after a 429, want 2", len(times))
		}
		if got := times[1].Sub(times[0]); got < wait {
			t.Errorf("retried %v after a 429 saying %v", got, wait)
		}
	})
}

// TestStorageFails breaks the knowledge base's storage under a running bot:
// every change fails as on a read-only or failing disk.
func TestStorageFails(t *testing.T) {
	t.Parallel()
	h, st := startModerated(t)
	mod := h.moderator()
	cb := h.d.Callback(t, h.d.Command(t, mod, cmdKB, discordtest.Subcommand(subEdit, discordtest.Option(optID, "pigment-depth"))))
	fields := cb.Fields()
	fields[fieldBody] = "Edited while the disk fails."

	st.mem.FailWith(errors.New("disk failed"))
	got := h.reply(t, h.d.ModalSubmit(t, mod, cb.CustomID, fields))
	for _, want := range []string{escape(knowledge.StorageFailedNotice), "What you wrote", "Edited while the disk fails."} {
		if !strings.Contains(got, want) {
			t.Errorf("edit on a broken disk: reply lacks %q:\n%s", want, got)
		}
	}
	if got := h.answer(t, h.interact(t, discordgo.InteractionApplicationCommand, askData("how deep should the needle go", false))); got[0].Embeds[0].Title != "Why needle depth matters" {
		t.Errorf("answer on a broken disk: title %q", got[0].Embeds[0].Title)
	}

	st.mem.FailWith(nil)
	if got := h.reply(t, h.d.ModalSubmit(t, mod, cb.CustomID, fields)); !strings.Contains(got, "Saved") {
		t.Errorf("the same edit once the disk is back: %q", got)
	}
	if text, _ := source(t, st, "pigment-depth"); !strings.Contains(text, "Edited while the disk fails.") {
		t.Errorf("entry after the edit:\n%s", text)
	}
}

// TestFlappingGatewayIsNotReady checks that a gateway connection that keeps
// dropping makes the bot not ready, even while it is up between drops, and
// that it is ready again once the connection has stayed up for a minute.
func TestFlappingGatewayIsNotReady(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	h := newHarness(t, nil)
	h.bot.gateway.now = clock.now
	h.bot.session.SyncEvents = true // so that once a message is answered, the connection's events before it are handled
	h.run(t)
	answered := func() {
		t.Helper()
		ch := h.d.NewID()
		h.d.Message(t, map[string]any{"channel_id": ch, "author": h.user(h.d.NewID()), "content": "what is smp"})
		h.d.Messages(t, ch, 1)
	}
	for drop := 1; drop <= flapDrops; drop++ {
		ready := h.d.Ready()
		h.d.Drop(t)
		h.d.WaitReady(t, ready+1)
		answered()
		// The reconnecting goroutine may still hold the session, or not
		// have sent its first heartbeat, when the answer comes: readiness
		// follows within moments. Flapping is decided by the drops alone,
		// on the test's clock, so a bot not ready for that stays so.
		if drop < flapDrops {
			eventually(t, fmt.Sprintf("Ready() after %d drops within a minute, connected again", drop), h.bot.Ready)
		} else if h.bot.Ready() {
			t.Fatalf("Ready() = true after %d drops within a minute, want false", drop)
		}
		clock.advance(10 * time.Second)
	}
	// A minute from the last reconnection, whether its Connect event came
	// before or after the answer above: discordgo sends it from another
	// goroutine.
	clock.advance(flapWindow)
	eventually(t, "Ready() after the gateway stayed up for a minute", h.bot.Ready)
}

// testClock is a clock that moves only when told to.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
