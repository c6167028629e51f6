package telegram

import (
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
	dups := &duplicates{}
	h := start(t, options{config: func(c *Config) {
		c.WebhookURL, c.WebhookListen, c.WebhookSecret = "https://bot.example.com/hook", "127.0.0.1:0", secret
		c.Replica.Metrics = dups
	}})
	listen := h.webhookAddr()
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

// replies counts the replies to each message id.
func replies(f *telegramtest.Server) map[int]int {
	n := map[int]int{}
	for _, m := range f.Sent() {
		n[m.ReplyTo]++
	}
	return n
}

// Two replicas poll by turns: the one holding the poll lease polls; when it
// stops with a reply cut off, the other takes polling over from Telegram's
// confirmed offset and answers what the first had taken and not answered.
// Every question is answered once.
func TestPollingHandsOver(t *testing.T) {
	f := telegramtest.New(t)
	claims, leases := knowledge.NewLocalClaims(time.Hour), knowledge.NewLocalLeases()
	replica := func(name string) func(*Config) {
		return func(c *Config) {
			c.Replica = knowledge.Replica{Name: name, Leases: leases, Claims: claims, LeaseTTL: 600 * time.Millisecond}
		}
	}
	a := start(t, options{fake: f, config: replica("a")})
	f.WaitFor("a long poll", telegramtest.HasOpenPoll)
	b := start(t, options{fake: f, config: replica("b")})
	answered := func(what string, qid int) {
		t.Helper()
		f.Wait(what, func() bool { return replies(f)[qid] > 0 })
	}
	_, q1 := f.Ask(ann, annChat, depthQuestion)
	answered("the answer to the first question", q1)

	// a takes the second question, and its reply hangs until a stops.
	f.FailNext("sendMessage", telegramtest.Fault{Stall: true})
	u2, q2 := f.Ask(ann, annChat, "why are my smp dots blurry")
	f.Wait("a to take the second question", func() bool { return f.Acked() > u2 })
	if err := a.stop(); err != nil {
		t.Fatalf("Run of a = %v", err)
	}
	answered("the answer to the question a had taken", q2)
	_, q3 := f.Ask(ann, annChat, "what is smp")
	answered("the answer to a question asked after a stopped", q3)
	b.waitIdle()
	for _, q := range []int{q1, q2, q3} {
		if got := replies(f)[q]; got != 1 {
			t.Errorf("message %d got %d replies, want 1", q, got)
		}
	}
	if pending, err := claims.Pending(t.Context(), ""); err != nil || len(pending) != 0 {
		t.Errorf("Pending() = %+v, %v; want every update done", pending, err)
	}
}
