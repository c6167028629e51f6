package telegram

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/telegram/telegramtest"
	"github.com/smpbot/bot/knowledge"
)

// duplicates counts the duplicates a replica drops.
type duplicates struct {
	mu sync.Mutex
	n  int
}

func (d *duplicates) LeaseHeld(string, bool) {}
func (d *duplicates) DuplicateDropped(string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.n++
}

func (d *duplicates) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.n
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// postUpdate posts an update to a webhook with the secret and checks that
// it is acknowledged.
func postUpdate(t *testing.T, hook, secret, update string) {
	t.Helper()
	req, err := http.NewRequest("POST", hook, strings.NewReader(update))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(secretHeader, secret)
	resp, err := (&http.Client{Timeout: telegramtest.WaitLimit}).Do(req)
	if err != nil {
		t.Fatalf("posting %s: %v", update, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("posting %s: status %d, want 200", update, resp.StatusCode)
	}
}

// Telegram sends an update again when it did not get the acknowledgement:
// the webhook acknowledges the repeat and answers the update once.
func TestWebhookAnswersDuplicateOnce(t *testing.T) {
	const secret = "s3cret"
	listen := freeAddr(t)
	dups := &duplicates{}
	h := start(t, options{config: func(c *Config) {
		c.WebhookURL, c.WebhookListen, c.WebhookSecret = "https://bot.example.com/hook", listen, secret
		c.Replica.Metrics = dups
	}})
	h.f.WaitFor("setWebhook", func(reqs []telegramtest.Request) bool { return len(telegramtest.Calls(reqs, "setWebhook")) > 0 })
	u, qid := h.f.Message(ann, annChat, depthQuestion, nil)
	update := strings.ReplaceAll(u, "%d", "41")
	for range 3 {
		postUpdate(t, "http://"+listen+"/hook", secret, update)
	}
	h.waitIdle()
	replies := 0
	for _, m := range h.f.Sent() {
		if m.ReplyTo == qid {
			replies++
		}
	}
	if replies != 1 {
		t.Errorf("sent %d replies to an update posted three times, want 1", replies)
	}
	if got := dups.count(); got != 2 {
		t.Errorf("counted %d duplicates dropped, want 2", got)
	}
}

// An update acknowledged by a replica that stopped before answering it is
// answered by another: nothing is lost.
func TestTakesOverUpdateOfStoppedReplica(t *testing.T) {
	claims, leases := knowledge.NewLocalClaims(time.Hour), knowledge.NewLocalLeases()
	f := telegramtest.New(t)
	u, qid := f.Message(ann, annChat, depthQuestion, nil)
	const updateID = 77
	key := "telegram." + strings.Split(telegramtest.Token, ":")[0] + "." + strconv.Itoa(updateID)
	// The stopped replica took it, and its liveness lease is long gone.
	if ok, err := claims.Take(t.Context(), key, "stopped", []byte(strings.ReplaceAll(u, "%d", strconv.Itoa(updateID)))); !ok || err != nil {
		t.Fatalf("Take(%q) = %v, %v", key, ok, err)
	}
	h := start(t, options{fake: f, config: func(c *Config) {
		c.Replica = knowledge.Replica{Name: "live", Leases: leases, Claims: claims, LeaseTTL: 300 * time.Millisecond}
	}})
	f.Wait("the answer to the stopped replica's update", func() bool {
		for _, m := range f.Sent() {
			if m.ReplyTo == qid {
				return true
			}
		}
		return false
	})
	h.waitIdle()
	f.Wait("the claim done", func() bool {
		pending, err := claims.Pending(t.Context(), "")
		return err == nil && len(pending) == 0
	})
}
