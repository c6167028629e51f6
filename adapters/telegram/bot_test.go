package telegram

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/telegram/telegramtest"
	"github.com/smpbot/bot/knowledge"
)

const depthQuestion = "how deep does smp pigment go"

// notCovered is a calibration no answer meets.
var notCovered = knowledge.Calibration{MinScore: math.Inf(1)}

func TestConnect(t *testing.T) {
	h := start(t, options{})
	reqs := h.f.WaitFor("a long poll", func(reqs []telegramtest.Request) bool {
		return len(telegramtest.Calls(reqs, "getUpdates")) > 0 || telegramtest.HasOpenPoll(reqs)
	})
	var methods []string
	for _, r := range reqs {
		if !slices.Contains(methods, r.Method) {
			methods = append(methods, r.Method)
		}
	}
	if want := []string{"getMe", "setMyCommands", "deleteWebhook", "getUpdates"}; !slices.Equal(methods, want) {
		t.Errorf("first calls = %v, want %v", methods, want)
	}
	if !h.bot.Ready() {
		t.Error("Ready() = false while polling")
	}
	var commands []struct{ Command, Description string }
	if err := json.Unmarshal([]byte(telegramtest.Calls(reqs, "setMyCommands")[0].Form.Get("commands")), &commands); err != nil {
		t.Fatalf("setMyCommands commands: %v", err)
	}
	var got []string
	for _, c := range commands {
		got = append(got, c.Command)
	}
	if want := []string{"start", "help", "ask", "checklist", "topics"}; !slices.Equal(got, want) {
		t.Errorf("registered commands = %v, want %v", got, want)
	}
}

// TestMessages sends messages and checks what the bot says back: which
// messages it answers, and how the answers look.
func TestMessages(t *testing.T) {
	type sent = []telegramtest.Message
	tests := []struct {
		name string
		cal  knowledge.Calibration
		// send queues updates and returns the message ids that must be
		// answered, in order.
		send  func(f *telegramtest.Server) (updates []string, answered []int)
		check func(t *testing.T, got sent)
	}{{
		name: "private question",
		send: func(f *telegramtest.Server) ([]string, []int) {
			u, id := f.Message(ann, annChat, depthQuestion, nil)
			return []string{u}, []int{id}
		},
		check: func(t *testing.T, got sent) {
			m := got[0]
			if m.Chat != annChat.ID || m.Preview {
				t.Errorf("reply to chat %d with preview %v, want chat %d without preview", m.Chat, m.Preview, annChat.ID)
			}
			wantText(t, m, "How deep SMP pigment should go", "upper dermis", "depth < 1 mm & even", "• A textbook", "1. Ask what depth", knowledge.Disclaimer)
			if !strings.Contains(m.HTML, `<a href="https://example.org/chapter?a=1&amp;b=2">papillary dermis</a>`) {
				t.Errorf("reply %q lacks the escaped link", m.HTML)
			}
			wantText(t, m, "Checklist: choosing a practitioner\n• Step 1: Check their training\n• Step 2")
			// Related topics: the entry's own first, then runners-up; steps
			// the checklist shows are not repeated.
			b := m.Buttons()
			if len(b) < 3 || len(b) > 5 || b[0] != "Why SMP dots blur" || slices.Contains(b, "Step 1: Check their training") ||
				!slices.Equal(b[len(b)-2:], []string{"👍 Helpful", "👎 Not helpful"}) {
				t.Errorf("buttons = %q, want up to 3 related topics starting with the entry's own, then feedback", b)
			}
		},
	}, {
		name: "group chatter ignored, mention answered",
		send: func(f *telegramtest.Server) ([]string, []int) {
			chatter, _ := f.Message(ann, group, depthQuestion, nil)
			other, _ := f.Message(ann, group, "@someone_else "+depthQuestion, nil)
			mention, id := f.Message(ben, group, "hey @"+telegramtest.BotUsername+" "+depthQuestion+"?", nil)
			return []string{chatter, other, mention}, []int{id}
		},
		check: func(t *testing.T, got sent) {
			wantText(t, got[0], "How deep SMP pigment should go")
		},
	}, {
		name: "group commands for this bot only",
		send: func(f *telegramtest.Server) ([]string, []int) {
			other, _ := f.Message(ann, group, "/ask@other_bot "+depthQuestion, nil)
			unknown, _ := f.Message(ann, group, "/weather", nil)
			ask, id := f.Message(ann, group, "/ask@"+strings.ToUpper(telegramtest.BotUsername)+" why are my smp dots blurry", nil)
			return []string{other, unknown, ask}, []int{id}
		},
		check: func(t *testing.T, got sent) {
			wantText(t, got[0], "Why SMP dots blur")
		},
	}, {
		name: "group reply to the bot",
		send: func(f *telegramtest.Server) ([]string, []int) {
			toOther, _ := f.Message(ann, group, depthQuestion, map[string]any{"reply_to_message": map[string]any{"message_id": 1, "date": 0, "chat": group, "from": ben}})
			toBot, id := f.Message(ann, group, "why are my smp dots blurry", map[string]any{"reply_to_message": map[string]any{"message_id": 2, "date": 0, "chat": group, "from": telegramtest.Bot()}})
			return []string{toOther, toBot}, []int{id}
		},
		check: func(t *testing.T, got sent) {
			wantText(t, got[0], "Why SMP dots blur")
		},
	}, {
		name: "ignored kinds of message",
		send: func(f *telegramtest.Server) ([]string, []int) {
			sticker, _ := f.Message(ann, annChat, "", map[string]any{"sticker": map[string]any{"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1}})
			photo, _ := f.Message(ann, annChat, "", map[string]any{"caption": depthQuestion, "photo": []map[string]any{{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}}})
			joined, _ := f.Message(ann, group, "", map[string]any{"new_chat_members": []telegramtest.User{ben}})
			fromBot, _ := f.Message(telegramtest.User{ID: 99, IsBot: true, Name: "Other"}, annChat, depthQuestion, nil)
			fromSelf, _ := f.Message(telegramtest.Bot(), annChat, depthQuestion, nil)
			edited, _ := f.Message(ann, annChat, depthQuestion, nil)
			edited = strings.Replace(edited, `"message":`, `"edited_message":`, 1)
			channel, _ := f.Message(ann, telegramtest.Chat{ID: -200, Type: "channel"}, depthQuestion, nil)
			post := strings.Replace(channel, `"message":`, `"channel_post":`, 1)
			return []string{sticker, photo, joined, fromBot, fromSelf, edited, channel, post}, nil
		},
	}, {
		name: "checklist in step order",
		send: func(f *telegramtest.Server) ([]string, []int) {
			u, id := f.Message(ann, annChat, "/checklist", nil)
			return []string{u}, []int{id}
		},
		check: func(t *testing.T, got sent) {
			steps := []string{"Step 1: Check their training", "Step 2: Check their reviews", "Step 3: Ask questions"}
			last := -1
			for _, s := range steps {
				i := strings.Index(got[0].Text, s)
				if i <= last {
					t.Errorf("checklist %q: %q missing or out of order", got[0].Text, s)
				}
				last = i
			}
			if b := got[0].Buttons(); !slices.Equal(b, steps) {
				t.Errorf("buttons = %q, want %q", b, steps)
			}
		},
	}, {
		name: "topics as buttons",
		send: func(f *telegramtest.Server) ([]string, []int) {
			u, id := f.Message(ann, group, "/topics@"+telegramtest.BotUsername, nil)
			return []string{u}, []int{id}
		},
		check: func(t *testing.T, got sent) {
			want := []string{"Everything about aftercare", "How deep SMP pigment should go", "Ink & needles <explained>", "Signs of infection after SMP", "Why SMP dots blur"}
			if b := got[0].Buttons(); !slices.Equal(b, want) {
				t.Errorf("buttons = %q, want %q", b, want)
			}
		},
	}, {
		name: "start and help",
		send: func(f *telegramtest.Server) ([]string, []int) {
			s, sid := f.Message(ann, annChat, "/start", nil)
			h, hid := f.Message(ann, annChat, "/help", nil)
			u, uid := f.Message(ann, annChat, "/unknown", nil)
			return []string{s, h, u}, []int{sid, hid, uid}
		},
		check: func(t *testing.T, got sent) {
			wantText(t, got[0], "scalp micropigmentation", "@"+telegramtest.BotUsername, "/ask", knowledge.Disclaimer)
			for _, m := range got[1:] {
				wantText(t, m, "/ask", "/checklist", "/topics", knowledge.Disclaimer)
			}
		},
	}, {
		name: "empty ask gets a hint",
		send: func(f *telegramtest.Server) ([]string, []int) {
			u, id := f.Message(ann, group, "/ask", nil)
			return []string{u}, []int{id}
		},
		check: func(t *testing.T, got sent) {
			wantText(t, got[0], "What would you like to know?")
		},
	}, {
		name: "10,000-character question",
		send: func(f *telegramtest.Server) ([]string, []int) {
			q := strings.Repeat(depthQuestion+" ", 400)[:10000]
			u, id := f.Message(ann, annChat, q, nil)
			return []string{u}, []int{id}
		},
		check: func(t *testing.T, got sent) {
			wantText(t, got[0], "read only its first 500 characters", "How deep SMP pigment should go")
		},
	}, {
		name: "markup and mentions in a question are shown harmlessly",
		cal:  notCovered,
		send: func(f *telegramtest.Server) ([]string, []int) {
			u, id := f.Message(ann, annChat, `<b>bold</b> & </a> <a href="x"> @someone pigment`, nil)
			return []string{u}, []int{id}
		},
		check: func(t *testing.T, got sent) {
			wantText(t, got[0], knowledge.NotCovered, `<b>bold</b> & </a> <a href="x">`, "@\u2060someone")
			if strings.Contains(got[0].Text, "@someone") {
				t.Errorf("reply %q would notify @someone", got[0].Text)
			}
		},
	}, {
		name: "not covered offers the closest topics",
		cal:  notCovered,
		send: func(f *telegramtest.Server) ([]string, []int) {
			u, id := f.Message(ann, annChat, depthQuestion, nil)
			return []string{u}, []int{id}
		},
		check: func(t *testing.T, got sent) {
			wantText(t, got[0], knowledge.NotCovered, "closest topics")
			if b := got[0].Buttons(); len(b) == 0 || b[0] != "How deep SMP pigment should go" || slices.Contains(b, "👍 Helpful") {
				t.Errorf("buttons = %q, want the closest topics first and no feedback", b)
			}
		},
	}, {
		name: "urgent notice first",
		send: func(f *telegramtest.Server) ([]string, []int) {
			u, id := f.Message(ann, annChat, "my scalp is swollen and oozing since my smp", nil)
			return []string{u}, []int{id}
		},
		check: func(t *testing.T, got sent) {
			if !strings.HasPrefix(got[0].Text, knowledge.UrgentNotice) {
				t.Errorf("reply %q does not start with the urgent notice", got[0].Text)
			}
		},
	}, {
		name: "answer over 4096 characters",
		send: func(f *telegramtest.Server) ([]string, []int) {
			u, id := f.Message(ann, annChat, "tell me everything about aftercare", nil)
			return []string{u}, []int{id}
		},
		check: func(t *testing.T, got sent) {
			if len(got) < 2 {
				t.Fatalf("long answer sent as %d message(s), want it split", len(got))
			}
			var all strings.Builder
			for i, m := range got {
				if strings.HasPrefix(m.Text, "\n") || strings.HasSuffix(m.Text, "\n") {
					t.Errorf("part %d is not cut at a paragraph: %q…%q", i+1, m.Text[:20], m.Text[len(m.Text)-20:])
				}
				if last := i == len(got)-1; (m.Keyboard != nil) != last || (m.ReplyTo != 0) != (i == 0 || last) {
					t.Errorf("part %d: keyboard %v, replying to %d; want the keyboard on the last part only, and only the first and the last replying", i+1, m.Keyboard != nil, m.ReplyTo)
				}
				all.WriteString(m.Text + "\n\n")
			}
			for _, p := range []string{"Paragraph 1 of", "Paragraph 15 of", "Paragraph 30 of", knowledge.Disclaimer} {
				if strings.Count(all.String(), p) != 1 {
					t.Errorf("split answer has %q %d times, want once", p, strings.Count(all.String(), p))
				}
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t, options{cal: tt.cal})
			updates, answered := tt.send(h.f)
			ids := h.f.Push(updates...)
			reqs := h.waitHandled(ids[len(ids)-1])
			got := telegramtest.Delivered(t, reqs)
			var replied []int
			for _, m := range got {
				if m.ReplyTo != 0 {
					replied = append(replied, m.ReplyTo)
				}
			}
			// The first and the last part of a long answer both reply.
			if replied = slices.Compact(replied); !slices.Equal(replied, answered) {
				t.Fatalf("replied to messages %v, want %v; replies:\n%s", replied, answered, texts(got))
			}
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}

func wantText(t *testing.T, m telegramtest.Message, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(m.Text, p) {
			t.Errorf("reply lacks %q:\n%s", p, m.Text)
		}
	}
}

func texts(msgs []telegramtest.Message) string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Text)
	}
	return strings.Join(out, "\n---\n")
}

func TestButtons(t *testing.T) {
	// Every tap below comes from one person: room for all of them, as the
	// per-user limit has tests of its own.
	h := start(t, options{config: func(c *Config) { c.RateBurst = 50 }})
	q, qid := h.f.Message(ann, annChat, depthQuestion, nil)
	long, _ := h.f.Message(ann, annChat, "what about ink and needles", nil)
	h.f.Push(q, long)
	answers := h.f.WaitSent(2)
	related, helpful := answers[0].ButtonData("Why SMP dots blur"), answers[0].ButtonData("👍 Helpful")
	longHelpful := answers[1].ButtonData("👎 Not helpful")
	if related == "" || helpful == "" || longHelpful == "" {
		t.Fatalf("answers lack buttons: %v, %v", answers[0].Keyboard, answers[1].Keyboard)
	}

	tests := []struct {
		name      string
		data      string
		wantToast string
		wantSent  string // text of the message the tap sends, if any
		wantLog   string // feedback log line, if any
	}{
		{"related topic", related, "", "Why SMP dots blur", ""},
		{"helpful", helpful, thanksToast, "", "entry=pigment-depth helpful=true"},
		{"not helpful, longest id", longHelpful, thanksToast, "", "entry=" + longID + " helpful=false"},
		{"unknown entry", "t:no-such-entry", staleButton, "", ""},
		{"unknown action", "x:pigment-depth", staleButton, "", ""},
		{"forged hash", "y:#AAAAAAAAAAAAAAAAAAAAAA", staleButton, "", ""},
		{"no separator", "pigment-depth", staleButton, "", ""},
		{"empty", "", staleButton, "", ""},
		{"path", "t:../../etc/passwd", staleButton, "", ""},
		{"full answer", "f:pigment-depth", "", "How deep SMP pigment should go", ""},
		{"full answer, unknown entry", "f:no-such-entry", staleButton, "", ""},
		{"full answer, out-of-scope topic", "u:not-sea", staleButton, "", ""},
		{"urgent full answer, forged hash", "u:#AAAAAAAAAAAAAAAAAAAAAA", staleButton, "", ""},
		{"full answer, two actions", "fu:pigment-depth", staleButton, "", ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(h.f.Sent())
			logsBefore := len(h.feedback.all())
			id := string(rune('a' + i))
			ids := h.f.Push(telegramtest.Tap(id, ann, annChat, qid, tt.data))
			reqs := h.waitHandled(ids[len(ids)-1])
			var answered []string
			for _, r := range telegramtest.Calls(reqs, "answerCallbackQuery") {
				if r.Form.Get("callback_query_id") == id {
					answered = append(answered, r.Form.Get("text"))
				}
			}
			if !slices.Equal(answered, []string{tt.wantToast}) {
				t.Errorf("tap %q answered with %q, want once with %q", tt.data, answered, tt.wantToast)
			}
			sent := telegramtest.Delivered(t, reqs)[before:]
			switch {
			case tt.wantSent == "" && len(sent) > 0:
				t.Errorf("tap %q sent %q, want nothing", tt.data, texts(sent))
			case tt.wantSent != "" && (len(sent) != 1 || !strings.HasPrefix(sent[0].Text, tt.wantSent)):
				t.Errorf("tap %q sent %q, want one message starting %q", tt.data, texts(sent), tt.wantSent)
			}
			logs := h.feedback.all()[logsBefore:]
			if tt.wantLog == "" && len(logs) > 0 || tt.wantLog != "" && (len(logs) != 1 || !strings.Contains(logs[0], tt.wantLog)) {
				t.Errorf("tap %q logged %q, want %q", tt.data, logs, tt.wantLog)
			}
		})
	}
}

func TestInline(t *testing.T) {
	tests := []struct {
		name      string
		query     string
		wantIDs   []string
		wantFirst string // in the first result's message
	}{
		{"question", depthQuestion, []string{"pigment-depth"}, "How deep SMP pigment should go"},
		{"empty query offers topics", "", []string{"aftercare-everything", "pigment-depth", longID, "infection-signs", "blurry-dots"}, "Everything about aftercare"},
		{"short answer", "tell me everything about aftercare", []string{"aftercare-everything"}, "Paragraph 1 of"},
		{"urgent", "my scalp is swollen and infected", []string{"infection-signs"}, knowledge.UrgentNotice},
	}
	h := start(t, options{})
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := string(rune('a' + i))
			ids := h.f.Push(telegramtest.InlineQuery(id, ann, tt.query))
			reqs := h.waitHandled(ids[len(ids)-1])
			var results []telegramtest.InlineResult
			for _, r := range telegramtest.Calls(reqs, "answerInlineQuery") {
				if r.Form.Get("inline_query_id") == id {
					if err := json.Unmarshal([]byte(r.Form.Get("results")), &results); err != nil {
						t.Fatal(err)
					}
				}
			}
			if len(results) == 0 || len(results) < len(tt.wantIDs) {
				t.Fatalf("inline query %q: %d results, want at least %d", tt.query, len(results), len(tt.wantIDs))
			}
			for i, want := range tt.wantIDs {
				if results[i].ID != want || results[i].Type != "article" {
					t.Errorf("inline query %q: result %d = %s %q, want article %q", tt.query, i, results[i].Type, results[i].ID, want)
				}
			}
			first := results[0].Content
			text, _ := telegramtest.ParseHTML(first.Text)
			if !strings.Contains(text, tt.wantFirst) || !first.NoPreview {
				t.Errorf("inline query %q: first message %q (no preview: %v), want it to contain %q without preview", tt.query, text, first.NoPreview, tt.wantFirst)
			}
		})
	}
}

// TestInlineFullAnswer: the full answer button under an inline result puts
// the full answer in the result's place, cut to one message; forged data
// changes nothing.
func TestInlineFullAnswer(t *testing.T) {
	h := start(t, options{})
	reqs := h.waitHandled(h.f.Push(telegramtest.InlineQuery("q", ann, "tell me everything about aftercare"))[0])
	var results []telegramtest.InlineResult
	if err := json.Unmarshal([]byte(telegramtest.Calls(reqs, "answerInlineQuery")[0].Form.Get("results")), &results); err != nil || len(results) == 0 {
		t.Fatalf("inline results: %v, %v", results, err)
	}
	full := telegramtest.Message{Keyboard: results[0].ReplyMarkup.Rows}.ButtonData("📖 Full answer")
	tests := []struct {
		name, data string
		wantToast  string
		wantEdit   []string // in the edited message; nil for no edit
	}{
		{"full answer", full, "", []string{"Everything about aftercare", "Paragraph 2 of", "Shortened: ask @" + telegramtest.BotUsername}},
		{"unknown entry", "f:no-such-entry", staleButton, nil},
		{"forged action", "z:aftercare-everything", staleButton, nil},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := fmt.Sprint("tap-", i)
			reqs := h.waitHandled(h.f.Push(telegramtest.InlineTap(id, ann, "inline-"+id, tt.data))[0])
			var toasts []string
			for _, r := range telegramtest.Calls(reqs, "answerCallbackQuery") {
				if r.Form.Get("callback_query_id") == id {
					toasts = append(toasts, r.Form.Get("text"))
				}
			}
			if !slices.Equal(toasts, []string{tt.wantToast}) {
				t.Errorf("tap %q answered with %q, want once with %q", tt.data, toasts, tt.wantToast)
			}
			var edits []telegramtest.Request
			for _, r := range telegramtest.Calls(reqs, "editMessageText") {
				if r.Form.Get("inline_message_id") == "inline-"+id {
					edits = append(edits, r)
				}
			}
			if len(edits) != min(len(tt.wantEdit), 1) {
				t.Fatalf("tap %q edited the inline message %d times, want %d", tt.data, len(edits), min(len(tt.wantEdit), 1))
			}
			if len(edits) == 1 {
				text, err := telegramtest.ParseHTML(edits[0].Form.Get("text"))
				if err != nil {
					t.Fatal(err)
				}
				wantText(t, telegramtest.Message{Text: text}, tt.wantEdit...)
			}
		})
	}
}

// uncached reports whether an inline answer is one Telegram keeps a second,
// for the asker alone: without a cache time it would keep it five minutes,
// for everyone typing the same.
func uncached(r telegramtest.Request) bool {
	return r.Form.Get("cache_time") == "1" && r.Form.Get("is_personal") == "true"
}

// TestRateLimits checks that one person flooding is told to slow down once
// and does not hold up anyone else, and that messages to a busy group wait
// for their turn rather than being dropped.
func TestRateLimits(t *testing.T) {
	t.Run("per user", func(t *testing.T) {
		m := &countingMetrics{}
		h := start(t, options{config: func(c *Config) { c.RateBurst = 2; c.RateEvery = 1e15; c.Metrics = m }})
		var updates []string
		for range 6 {
			u, _ := h.f.Message(ann, annChat, depthQuestion, nil)
			updates = append(updates, u)
		}
		benQ, benID := h.f.Message(ben, benChat, "why are my smp dots blurry", nil)
		ids := h.f.Push(append(updates, benQ)...)
		got := telegramtest.Delivered(t, h.waitHandled(ids[len(ids)-1]))
		var toAnn []string
		for _, m := range got {
			if m.Chat == annChat.ID {
				toAnn = append(toAnn, strings.SplitN(m.Text, "\n", 2)[0])
			}
		}
		if want := []string{"How deep SMP pigment should go", "How deep SMP pigment should go", knowledge.RateLimitNotice}; !slices.Equal(toAnn, want) {
			t.Errorf("replies to a flood = %q, want %q", toAnn, want)
		}
		if !slices.ContainsFunc(got, func(m telegramtest.Message) bool { return m.ReplyTo == benID }) {
			t.Errorf("another user's question went unanswered during a flood")
		}
		if got := m.count("rate-limited telegram"); got != 4 {
			t.Errorf("RateLimited(telegram) counted %d times, want once per refused question: 4", got)
		}
	})
	t.Run("bot at capacity", func(t *testing.T) {
		m := &countingMetrics{}
		// Two questions, then none for an hour: no time passes in the test.
		h := start(t, options{capacity: knowledge.Capacity{Rate: 1.0 / 3600, Burst: 2}, config: func(c *Config) { c.Metrics = m }})
		var updates []string
		for i := range 3 {
			u := telegramtest.User{ID: int64(100 + i), Name: "P"}
			update, _ := h.f.Message(u, telegramtest.Private(u), depthQuestion, nil)
			updates = append(updates, update)
		}
		ids := h.f.Push(updates...)
		var got []string
		for _, m := range telegramtest.Delivered(t, h.waitHandled(ids[len(ids)-1])) {
			got = append(got, strings.SplitN(m.Text, "\n", 2)[0])
		}
		slices.Sort(got)
		if want := []string{"How deep SMP pigment should go", "How deep SMP pigment should go", knowledge.BusyNotice}; !slices.Equal(got, want) {
			t.Errorf("replies to three questions with room for two = %q, want %q", got, want)
		}
		ids = h.f.Push(telegramtest.InlineQuery("q", ben, depthQuestion))
		inline := telegramtest.Calls(h.waitHandled(ids[0]), "answerInlineQuery")
		if len(inline) != 1 || inline[0].Form.Get("results") != "[]" || !uncached(inline[0]) {
			t.Errorf("inline query beyond capacity answered with %v, want one empty answer, kept a second for the asker alone", inline)
		}
		if got := m.count("rate-limited telegram"); got != 2 {
			t.Errorf("RateLimited(telegram) counted %d times, want once per refused question: 2", got)
		}
	})
	t.Run("inline queries per user", func(t *testing.T) {
		m := &countingMetrics{}
		// A queue with room for them all: the inline limit is tested.
		h := start(t, options{config: func(c *Config) { c.Metrics = m; c.ChatQueue = 64 }})
		// Far more than anyone types in the time the test takes.
		var queries []string
		for i := range 40 {
			queries = append(queries, telegramtest.InlineQuery(fmt.Sprintf("ann-%d", i), ann, depthQuestion))
		}
		queries = append(queries, telegramtest.InlineQuery("ben", ben, depthQuestion))
		ids := h.f.Push(queries...)
		answered, refused := 0, 0
		for _, r := range telegramtest.Calls(h.waitHandled(ids[len(ids)-1]), "answerInlineQuery") {
			switch id, results := r.Form.Get("inline_query_id"), r.Form.Get("results"); {
			case id == "ben" && results == "[]":
				t.Errorf("another user's inline query got no results during a flood")
			case id == "ben":
			case results == "[]" && uncached(r):
				refused++
			default:
				answered++
			}
		}
		if answered < 1 || refused < 1 || answered+refused != 40 {
			t.Errorf("40 inline queries at once: %d answered, %d refused with an empty answer kept a second for the asker; want some of each and all 40 answered", answered, refused)
		}
		if got := m.count("rate-limited telegram"); got != refused {
			t.Errorf("RateLimited(telegram) counted %d times, want once per refused inline query: %d", got, refused)
		}
	})
	t.Run("group pace", func(t *testing.T) {
		h := start(t, options{config: func(c *Config) { c.GroupInterval = 20e6 }})
		var updates []string
		var want []int
		for i := range 6 {
			u, id := h.f.Message(telegramtest.User{ID: int64(100 + i), Name: "P"}, group, "/ask "+depthQuestion, nil)
			updates = append(updates, u)
			want = append(want, id)
		}
		ids := h.f.Push(updates...)
		var got []int
		for _, m := range telegramtest.Delivered(t, h.waitHandled(ids[len(ids)-1])) {
			got = append(got, m.ReplyTo)
		}
		if !slices.Equal(got, want) {
			t.Errorf("group answers replied to %v, want all of %v in order", got, want)
		}
	})
}

// TestFailures checks that the update loop survives what the Bot API and the
// network throw at it, and that no update is lost or answered twice.
func TestFailures(t *testing.T) {
	htmlPage := telegramtest.Fault{Status: http.StatusBadGateway, Body: "<html><body>502 Bad Gateway</body></html>"}
	// A stalled response lasts until the client's timeout, which the long
	// poll's wait (1s) and RequestTimeout make up.
	quickTimeout := func(c *Config) { c.RequestTimeout = 200 * time.Millisecond }
	tests := []struct {
		name   string
		faults map[string][]telegramtest.Fault
		raw    []string // updates sent before the question
		config func(*Config)
	}{
		{"429 on sendMessage", map[string][]telegramtest.Fault{"sendMessage": {telegramtest.TooMany(1)}}, nil, nil},
		{"429 on getUpdates", map[string][]telegramtest.Fault{"getUpdates": {telegramtest.TooMany(1)}}, nil, nil},
		{"500s then recovery", map[string][]telegramtest.Fault{
			"getUpdates":  {{Status: 500, Body: `{"ok":false,"error_code":500,"description":"Internal Server Error"}`}, htmlPage, {Status: 503}, {Status: 200, Body: "not json"}},
			"sendMessage": {htmlPage, htmlPage},
		}, nil, nil},
		{name: "responses slower than the client timeout", config: quickTimeout, faults: map[string][]telegramtest.Fault{
			"getUpdates":  {{Stall: true}},
			"sendMessage": {{Stall: true}},
		}},
		{name: "connections closed mid-response", faults: map[string][]telegramtest.Fault{
			"getUpdates":  {{Cut: true}, {Cut: true}},
			"sendMessage": {{Cut: true}},
		}},
		{"malformed updates", nil, []string{
			`{"update_id":%d,"message":"not an object"}`,
			`{"update_id":%d,"message":{"message_id":1,"date":0,"chat":{"id":"abc"}}}`,
			`{"update_id":%d,"message":{"message_id":2,"date":0,"chat":{"id":-5,"type":"group"},"from":{"id":11,"is_bot":false,"first_name":"A"},"text":"/ask x","entities":[{"type":"bot_command","offset":0,"length":99}]}}`,
			`{"update_id":%d,"message":{"message_id":3,"date":0,"chat":{"id":-5,"type":"group"},"from":{"id":11,"is_bot":false,"first_name":"A"},"text":"hi @x","entities":[{"type":"mention","offset":-3,"length":2},{"type":"mention","offset":3,"length":50}]}}`,
			`{"update_id":%d,"message":{"message_id":4,"date":0,"chat":{"id":11,"type":"private"},"text":"no sender"}}`,
			`{"update_id":%d,"callback_query":{"id":"c","chat_instance":"c","data":"t:pigment-depth"}}`,
			`{"update_id":%d,"poll":{"id":"p","question":"?","options":[],"total_voter_count":0,"is_closed":false,"is_anonymous":true,"type":"regular","allows_multiple_answers":false}}`,
			`{"update_id":%d,"some_future_kind":{"x":1}}`,
			`{"update_id":%d}`,
			`{"message":"no update_id"}`,
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := telegramtest.New(t)
			faults := 0
			for method, fs := range tt.faults {
				f.FailNext(method, fs...)
				faults += len(fs)
			}
			m := &countingMetrics{}
			h := start(t, options{fake: f, config: func(c *Config) {
				c.Metrics = m
				if tt.config != nil {
					tt.config(c)
				}
			}})
			q, qid := f.Message(ann, annChat, depthQuestion, nil)
			ids := f.Push(append(tt.raw, q)...)
			reqs := h.waitHandled(ids[len(ids)-1])
			var replies []int
			for _, m := range telegramtest.Delivered(t, reqs) {
				replies = append(replies, m.ReplyTo)
			}
			if !slices.Equal(replies, []int{qid}) {
				t.Errorf("replied to %v, want one reply to %d", replies, qid)
			}
			for _, id := range ids {
				if f.Pending(id) {
					t.Errorf("update %d is still pending: the offset did not move past it", id)
				}
			}
			h.stop()
			if got := m.count("error telegram"); got != faults {
				t.Errorf("AdapterError(telegram) counted %d times, want once per fault: %d", got, faults)
			}
		})
	}
}

func TestConnectionRefusedAtStart(t *testing.T) {
	f := telegramtest.NewUnstarted(t) // nothing listens at its URL yet
	h := start(t, options{fake: f})
	h.logs.waitFor(t, "retrying", "method=getMe", "connection refused", "[REDACTED]")
	h.logs.waitFor(t, "method=getMe", "attempt=3")

	// The Bot API comes up at that address: the bot connects and answers.
	if err := f.Start(); err != nil {
		t.Skipf("cannot listen at %s again: %v", f.URL(), err)
	}
	q, qid := f.Message(ann, annChat, depthQuestion, nil)
	f.Push(q)
	if got := f.WaitSent(1); got[0].ReplyTo != qid {
		t.Errorf("after connecting, replied to %d, want %d", got[0].ReplyTo, qid)
	}
	// start's cleanup checks that Run returns nil and never logged the token.
}

func TestUnauthorized(t *testing.T) {
	f := telegramtest.New(t)
	bot, err := New(Config{Token: "999:wrong", APIURL: f.URL()}, newService(t, knowledge.Calibration{}, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bot.Run(t.Context())
	if err == nil || !strings.Contains(err.Error(), "Unauthorized") || strings.Contains(err.Error(), "999:wrong") {
		t.Errorf("Run with a revoked token = %v, want an Unauthorized error without the token", err)
	}
}

// TestShutdown stops the bot while a long poll is open and while a reply is
// being sent, and checks with a second run that nothing is lost or answered
// twice.
func TestShutdown(t *testing.T) {
	t.Run("while a long poll is open", func(t *testing.T) {
		f := telegramtest.New(t)
		h := start(t, options{fake: f})
		q, qid := f.Message(ann, annChat, depthQuestion, nil)
		ids := f.Push(q)
		h.waitHandled(ids[0])
		f.WaitFor("an open long poll", telegramtest.HasOpenPoll)
		if err := h.stop(); err != nil {
			t.Fatalf("Run = %v, want nil", err)
		}
		if h.bot.Ready() {
			t.Error("Ready() = true after Run returned")
		}
		assertOnceAfterRestart(t, f, qid)
	})
	t.Run("while a reply is being sent", func(t *testing.T) {
		f := telegramtest.New(t)
		gate := make(chan struct{})
		f.FailNext("sendMessage", telegramtest.Fault{Gate: gate})
		h := start(t, options{fake: f})
		q, qid := f.Message(ann, annChat, depthQuestion, nil)
		f.Push(q)
		f.WaitFor("a reply on its way", func(reqs []telegramtest.Request) bool {
			return slices.ContainsFunc(reqs, func(r telegramtest.Request) bool { return r.Method == "sendMessage" && r.Status == 0 })
		})
		h.cancel()
		close(gate)
		if err := h.stop(); err != nil {
			t.Fatalf("Run = %v, want nil", err)
		}
		commits := slices.DeleteFunc(telegramtest.Calls(f.Requests(), "getUpdates"), func(r telegramtest.Request) bool { return r.Form.Get("limit") != "1" })
		if len(commits) != 1 {
			t.Errorf("%d acknowledging calls after shutdown, want 1", len(commits))
		}
		assertOnceAfterRestart(t, f, qid)
	})
}

// assertOnceAfterRestart runs a second bot on f and checks that message
// qid, answered by the first, is not answered again while a new one is.
func assertOnceAfterRestart(t *testing.T, f *telegramtest.Server, qid int) {
	t.Helper()
	h := start(t, options{fake: f})
	q, next := f.Message(ben, benChat, "why are my smp dots blurry", nil)
	ids := f.Push(q)
	var replies []int
	for _, m := range telegramtest.Delivered(t, h.waitHandled(ids[0])) {
		replies = append(replies, m.ReplyTo)
	}
	if !slices.Equal(replies, []int{qid, next}) {
		t.Errorf("over two runs replied to %v, want %v", replies, []int{qid, next})
	}
}

// countingMetrics counts the calls of the Metrics interface, by what and
// label.
type countingMetrics struct {
	mu     sync.Mutex
	counts map[string]int
}

func (m *countingMetrics) add(key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.counts == nil {
		m.counts = map[string]int{}
	}
	m.counts[key]++
}

func (m *countingMetrics) RateLimited(platform string) { m.add("rate-limited " + platform) }
func (m *countingMetrics) AdapterError(adapter string) { m.add("error " + adapter) }

func (m *countingMetrics) count(key string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.counts[key]
}

// TestGroupShortAnswer: a group gets the short answer, the checklist and a
// button that sends the full answer, as a private chat gets it, to the group.
func TestGroupShortAnswer(t *testing.T) {
	const swollen = "my scalp is swollen and oozing since my smp"
	tests := []struct {
		name, question string
		wantShort      []string
		wantFull       []string // besides the short answer
		urgent         bool
	}{
		{
			name: "answer", question: depthQuestion,
			wantShort: []string{"How deep SMP pigment should go", "upper dermis", "Checklist: choosing a practitioner\n• Step 1", knowledge.Disclaimer},
			wantFull:  []string{"What the sources say", "1. Ask what depth", "Sources\n• Textbook chapter", knowledge.Disclaimer},
		},
		{name: "urgent", question: swollen, urgent: true, wantShort: []string{"Signs of infection after SMP"}},
	}
	h := start(t, options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, qid := h.f.Message(ben, group, "@"+telegramtest.BotUsername+" "+tt.question, nil)
			before := h.f.SentCount()
			short := keyboardOf(t, telegramtest.Delivered(t, h.waitHandled(h.f.Push(u)[0]))[before:])
			wantText(t, short, tt.wantShort...)
			if strings.Contains(short.Text, "Sources") || strings.Contains(short.Text, "What the sources say") {
				t.Errorf("short answer in a group holds more than its first paragraph:\n%s", short.Text)
			}
			if b := short.Buttons(); !slices.Equal(b, []string{"📖 Full answer", "👍 Helpful", "👎 Not helpful"}) {
				t.Errorf("short answer's buttons = %q, want full answer and feedback", b)
			}
			toast, sent := h.press(ann, short, "📖 Full answer")
			if toast != "" || len(sent) != 1 {
				t.Fatalf("full answer tap: toast %q, sent %q; want no toast and one message", toast, texts(sent))
			}
			full := sent[0]
			if full.Chat != group.ID || full.ReplyTo != qid {
				t.Errorf("full answer went to chat %d replying to %d, want chat %d replying to the question %d", full.Chat, full.ReplyTo, group.ID, qid)
			}
			wantText(t, full, append(tt.wantShort, tt.wantFull...)...)
			for _, m := range []telegramtest.Message{short, full} {
				if got := strings.HasPrefix(m.Text, knowledge.UrgentNotice); got != tt.urgent {
					t.Errorf("message starts with the urgent notice: %v, want %v:\n%s", got, tt.urgent, m.Text)
				}
			}
		})
	}
}
