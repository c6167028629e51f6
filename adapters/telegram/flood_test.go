package telegram

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/telegram/telegramtest"
	"github.com/smpbot/bot/knowledge"
)

// TestGroupFlood floods a group while the bot's first reply there is held
// by the Bot API, and checks that a private question asked meanwhile is
// answered first, and that the flood gets no more than its askers'
// allowance and the room in the group's queue, with one notice.
func TestGroupFlood(t *testing.T) {
	mallory := telegramtest.User{ID: 66, Name: "Mallory"}
	var many []telegramtest.User
	for i := range 10 {
		many = append(many, telegramtest.User{ID: int64(200 + i), Name: "P"})
	}
	tests := []struct {
		name        string
		queue       int                 // Config.ChatQueue
		flood       []telegramtest.User // one /ask each, after the held one
		wantAnswers int
		wantNotice  string
	}{
		// The held question and five answers leave room in the queue.
		{"one user over their limit", 8, slices.Repeat([]telegramtest.User{mallory}, 15), 5, knowledge.RateLimitNotice},
		// The held question and three answers fill the queue.
		{"many users over the queue", 4, many, 3, knowledge.BusyNotice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &countingMetrics{}
			// Replies to the group are paced as fast as allowances refill,
			// so that deciding them late would let the whole flood through.
			h := start(t, options{config: func(c *Config) {
				c.RateEvery, c.GroupInterval, c.ChatQueue, c.Metrics = 50*time.Millisecond, 50*time.Millisecond, tt.queue, m
			}})
			gate := make(chan struct{})
			h.f.FailNext("sendMessage", telegramtest.Fault{Gate: gate})
			held, _ := h.f.Message(ben, group, "/ask "+depthQuestion, nil)
			h.f.Push(held)
			h.f.WaitFor("the group's first reply on its way", func(reqs []telegramtest.Request) bool {
				return slices.ContainsFunc(reqs, func(r telegramtest.Request) bool { return r.Method == "sendMessage" && r.Status == 0 })
			})

			flood := map[int]bool{}
			var updates []string
			for _, u := range tt.flood {
				upd, id := h.f.Message(u, group, "/ask "+depthQuestion, nil)
				updates, flood[id] = append(updates, upd), true
			}
			h.f.Push(updates...)
			q, qid := h.f.Message(ann, annChat, "why are my smp dots blurry", nil)
			ids := h.f.Push(q)
			h.f.Wait("the private answer while the group's reply is held", func() bool {
				return slices.ContainsFunc(h.f.Sent(), func(m telegramtest.Message) bool { return m.ReplyTo == qid })
			})
			close(gate)

			answers, notices := 0, []string{}
			for _, m := range telegramtest.Delivered(t, h.waitHandled(ids[0])) {
				switch {
				case !flood[m.ReplyTo]:
				case m.Text == tt.wantNotice || m.Text == knowledge.RateLimitNotice || m.Text == knowledge.BusyNotice:
					notices = append(notices, m.Text)
				default:
					answers++
				}
			}
			if answers != tt.wantAnswers || !slices.Equal(notices, []string{tt.wantNotice}) {
				t.Errorf("%d questions in a group: %d answered, notices %q; want %d answered and one notice %q",
					len(tt.flood), answers, notices, tt.wantAnswers, tt.wantNotice)
			}
			if got, want := m.count("rate-limited telegram"), len(tt.flood)-tt.wantAnswers; got != want {
				t.Errorf("RateLimited(telegram) counted %d times, want once per refused question: %d", got, want)
			}
		})
	}
}

// TestWebhookGroupPace keeps a group's reply waiting for its pace, with one
// worker, and checks that webhook requests are still acknowledged at once
// and a private question answered.
func TestWebhookGroupPace(t *testing.T) {
	const secret = "s3cret"
	h := start(t, options{config: func(c *Config) {
		c.WebhookURL, c.WebhookListen, c.WebhookSecret = "https://bot.example.com/hook", "127.0.0.1:0", secret
		c.Workers = 1
		c.GroupInterval = time.Hour // after a burst of chatBurst
	}})
	listen := h.webhookAddr()
	client := &http.Client{Timeout: telegramtest.WaitLimit}
	updateID := 0
	post := func(from telegramtest.User, in telegramtest.Chat, text string) int {
		t.Helper()
		u, id := h.f.Message(from, in, text, nil)
		updateID++ // one update each: a repeated id is a duplicate, dropped
		req, err := http.NewRequest("POST", "http://"+listen+"/hook", strings.NewReader(strings.ReplaceAll(u, "%d", strconv.Itoa(updateID))))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set(secretHeader, secret)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("posting %q: %v", text, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("posting %q: status %d, want 200", text, resp.StatusCode)
		}
		return id
	}
	for range chatBurst {
		post(ben, group, "/ask "+depthQuestion)
	}
	h.f.WaitSent(chatBurst)
	// The next two wait an hour for the group's pace.
	post(ben, group, "/ask "+depthQuestion)
	post(ben, group, "/ask "+depthQuestion)
	qid := post(ann, annChat, "why are my smp dots blurry")
	h.f.Wait("the private answer", func() bool {
		return slices.ContainsFunc(h.f.Sent(), func(m telegramtest.Message) bool { return m.ReplyTo == qid })
	})
	if err := h.stop(); err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	if got := h.logs.matching("stopped with updates unanswered", "updates=1"); len(got) != 1 {
		t.Errorf("logged %q on stopping with one reply waiting, want one line saying so", got)
	}
}
