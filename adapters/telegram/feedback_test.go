package telegram

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/telegram/telegramtest"
	"github.com/smpbot/bot/knowledge"
)

// askIn sends text from a user in a chat and returns what the bot sent
// while handling it.
func (h *harness) askIn(from telegramtest.User, in telegramtest.Chat, text string, extra map[string]any) []telegramtest.Message {
	h.t.Helper()
	before := h.f.SentCount()
	u, _ := h.f.Message(from, in, text, extra)
	ids := h.f.Push(u)
	return telegramtest.Delivered(h.t, h.waitHandled(ids[0]))[before:]
}

// press taps the button labelled label on a message the bot sent, as
// Telegram reports it (with the message the bot's message replies to), and
// returns the toast it got and what the bot sent.
func (h *harness) press(from telegramtest.User, m telegramtest.Message, label string) (toast string, sent []telegramtest.Message) {
	h.t.Helper()
	data := m.ButtonData(label)
	if data == "" {
		h.t.Fatalf("no button %q under %q; buttons: %q", label, m.Text, m.Buttons())
	}
	h.taps++
	qid := fmt.Sprintf("press-%d", h.taps)
	before := h.f.SentCount()
	ids := h.f.Push(h.f.TapOn(qid, from, m.ID, data))
	reqs := h.waitHandled(ids[0])
	for _, r := range telegramtest.Calls(reqs, "answerCallbackQuery") {
		if r.Form.Get("callback_query_id") == qid {
			toast = r.Form.Get("text")
		}
	}
	return toast, telegramtest.Delivered(h.t, reqs)[before:]
}

// keyboardOf returns the message of msgs that has the buttons.
func keyboardOf(t *testing.T, msgs []telegramtest.Message) telegramtest.Message {
	t.Helper()
	i := slices.IndexFunc(msgs, func(m telegramtest.Message) bool { return m.Keyboard != nil })
	if i < 0 {
		t.Fatalf("no message with buttons in:\n%s", texts(msgs))
	}
	return msgs[i]
}

// feedbackOn returns what the store holds about entry id.
func feedbackOn(t *testing.T, s *testKB, id string) knowledge.EntryFeedback {
	t.Helper()
	fb, err := s.Feedback(t.Context())
	if err != nil {
		t.Fatalf("Store.Feedback: %v", err)
	}
	for _, f := range fb {
		if f.ID == id {
			return f
		}
	}
	return knowledge.EntryFeedback{ID: id}
}

// TestFeedbackQuestion presses 👎 under answers and checks that the store
// keeps the question each answered, as the asker wrote it without the
// command or mention, and nothing for answers to no question.
func TestFeedbackQuestion(t *testing.T) {
	botMsg := map[string]any{"message_id": 1, "date": 1700000000, "chat": group, "from": telegramtest.Bot(), "text": "an earlier answer"}
	tests := []struct {
		name  string
		in    telegramtest.Chat
		text  string
		extra map[string]any
		entry string
		want  string // the question recorded with the 👎
	}{
		{name: "private question", in: annChat, text: "  how DEEP\n does smp pigment go ", entry: "pigment-depth", want: "how DEEP does smp pigment go"},
		{name: "private /ask", in: annChat, text: "/ask " + depthQuestion, entry: "pigment-depth", want: depthQuestion},
		{name: "private mention", in: annChat, text: "@" + telegramtest.BotUsername + " " + depthQuestion, entry: "pigment-depth", want: depthQuestion},
		{name: "group /ask@bot", in: group, text: "/ask@" + telegramtest.BotUsername + " " + depthQuestion, entry: "pigment-depth", want: depthQuestion},
		{name: "group mention", in: group, text: "@" + telegramtest.BotUsername + " " + depthQuestion, entry: "pigment-depth", want: depthQuestion},
		{name: "group mention inside", in: group, text: "how deep @" + telegramtest.BotUsername + " does smp pigment go", entry: "pigment-depth", want: "how deep does smp pigment go"},
		{name: "group reply to the bot", in: group, text: "why are my smp dots blurry", extra: map[string]any{"reply_to_message": botMsg}, entry: "blurry-dots", want: "why are my smp dots blurry"},
		{name: "markup is only text", in: annChat, text: "<b>why</b> are my smp dots blurry", entry: "blurry-dots", want: "<b>why</b> are my smp dots blurry"},
		{name: "answer in several parts", in: annChat, text: "tell me everything about aftercare", entry: "aftercare-everything", want: "tell me everything about aftercare"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startKB(t, knowledge.Calibration{})
			answer := keyboardOf(t, h.askIn(ann, tt.in, tt.text, tt.extra))
			wantText(t, answer, knowledge.Disclaimer)
			if toast, _ := h.press(ann, answer, "👎 Not helpful"); toast != thanksToast {
				t.Errorf("👎 on the answer to %q: toast %q, want %q", tt.text, toast, thanksToast)
			}
			got := feedbackOn(t, h.store, tt.entry)
			if got.Down != 1 || !slices.Equal(got.Unhelpful, []string{tt.want}) {
				t.Errorf("after 👎 on the answer to %q, feedback on %s = %+v, want 👎 1 with question %q", tt.text, tt.entry, got, tt.want)
			}
		})
	}
}

// TestFeedbackNoQuestion checks that a 👎 on what answers no question (an
// entry opened from a topic button, an inline answer) records none.
func TestFeedbackNoQuestion(t *testing.T) {
	h := startKB(t, knowledge.Calibration{})
	answer := keyboardOf(t, h.askIn(ann, annChat, depthQuestion, nil))
	_, sent := h.press(ann, answer, "Why SMP dots blur")
	entry := keyboardOf(t, sent)
	wantText(t, entry, "Why SMP dots blur")
	if entry.ReplyTo != 0 {
		t.Errorf("entry opened from a topic button replies to %d, want no reply", entry.ReplyTo)
	}
	if toast, _ := h.press(ann, entry, "👎 Not helpful"); toast != thanksToast {
		t.Errorf("👎 on an entry view: toast %q, want %q", toast, thanksToast)
	}

	// An inline answer's button carries no message, only its inline id.
	h.waitHandled(h.f.Push(telegramtest.InlineTap("inline-1", ann, "AAQ", callbackData(actionUseless, "blurry-dots")))[0])

	if got := feedbackOn(t, h.store, "blurry-dots"); got.Down != 2 || len(got.Unhelpful) != 0 {
		t.Errorf("feedback on blurry-dots = %+v, want 👎 2 and no question", got)
	}
}

// TestFeedbackShownToModerators is the whole way: a question answered in a
// group, a 👎 on the answer, and the question in a moderator's /kb feedback.
func TestFeedbackShownToModerators(t *testing.T) {
	h := startKB(t, knowledge.Calibration{})
	const q = "does smp pigment go deep, <i>really</i>?"
	answer := keyboardOf(t, h.askIn(ann, group, "/ask@"+telegramtest.BotUsername+" "+q, nil))
	wantText(t, answer, "How deep SMP pigment should go")
	h.press(ben, answer, "👍 Helpful")
	h.press(ann, answer, "👎 Not helpful")
	wantText(t, only(t, h.say(mo, "/kb feedback")), "pigment-depth 👍 1 👎 1", "👎 “"+q+"”")
}

func TestWithoutAddress(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"/ask how deep", "how deep"},
		{"/ASK@SMP_safety_bot how deep", "how deep"},
		{"@smp_safety_bot how deep", "how deep"},
		{"/ask @smp_safety_bot how deep", "how deep"},
		{"/ask@otherbot how deep", "/ask@otherbot how deep"},
		{"how deep /ask", "how deep /ask"},
		{"/asking how deep", "/asking how deep"},
		{"@smp_safety_bot", ""},
	} {
		got, _ := knowledge.CleanQuestion(withoutAddress(tt.text, telegramtest.BotUsername))
		if got != tt.want {
			t.Errorf("withoutAddress(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestFeedbackShareLimit checks that 👍 and 👎 taps count against the
// tapper's per-user limit, as questions do.
func TestFeedbackShareLimit(t *testing.T) {
	h := start(t, options{config: func(c *Config) { c.RateBurst, c.RateEvery = 3, time.Hour }})
	answer := keyboardOf(t, h.askIn(ann, annChat, depthQuestion, nil))
	var got []string
	for _, label := range []string{"👍 Helpful", "👎 Not helpful", "👎 Not helpful"} {
		toast, _ := h.press(ann, answer, label)
		got = append(got, toast)
	}
	if want := []string{thanksToast, thanksToast, knowledge.RateLimitNotice}; !slices.Equal(got, want) {
		t.Errorf("a question and three taps with an allowance of three: toasts %q, want %q", got, want)
	}
	if n := len(h.feedback.matching("feedback", "entry=pigment-depth")); n != 2 {
		t.Errorf("%d feedback lines logged, want 2", n)
	}
}

// TestFeedbackLastTapWins taps 👎 on one answer many times and then 👍, as
// one user: the answer counts once, as the last tap said. Another user's tap
// on the same answer, and the same user's on another answer, count apart.
func TestFeedbackLastTapWins(t *testing.T) {
	h := startKB(t, knowledge.Calibration{})
	answer := keyboardOf(t, h.askIn(ann, group, "/ask@"+telegramtest.BotUsername+" "+depthQuestion, nil))
	for range 3 { // with the question and the 👍, the per-user allowance
		h.press(ann, answer, "👎 Not helpful")
	}
	h.press(ann, answer, "👍 Helpful")
	if got := feedbackOn(t, h.store, "pigment-depth"); got.Up != 1 || got.Down != 0 || len(got.Unhelpful) != 0 {
		t.Errorf("after 👎×3 then 👍 by one user, feedback = %+v, want 👍 1 👎 0", got)
	}
	h.press(ben, answer, "👎 Not helpful")
	if got := feedbackOn(t, h.store, "pigment-depth"); got.Up != 1 || got.Down != 1 {
		t.Errorf("after another user's 👎, feedback = %+v, want 👍 1 👎 1", got)
	}

	// An inline answer is told apart by its inline message id.
	cy := telegramtest.User{ID: 13, Name: "Cy"}
	for i, inline := range []string{"AAQ", "AAQ", "AAR"} {
		h.waitHandled(h.f.Push(telegramtest.InlineTap(fmt.Sprint("inline-", i), cy, inline, callbackData(actionUseless, "blurry-dots")))[0])
	}
	if got := feedbackOn(t, h.store, "blurry-dots"); got.Down != 2 {
		t.Errorf("after 👎 twice on one inline answer and once on another, feedback = %+v, want 👎 2", got)
	}
}
