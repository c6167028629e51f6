package discord

import (
	"slices"
	"strings"
	"testing"

	"github.com/smpbot/bot/adapters/discord/discordtest"
	"github.com/smpbot/bot/knowledge"
)

// buttonsOf returns the message of msgs that carries the buttons.
func buttonsOf(t testing.TB, msgs []discordtest.Sent) discordtest.Sent {
	t.Helper()
	i := slices.IndexFunc(msgs, func(m discordtest.Sent) bool { return len(m.Components) > 0 })
	if i < 0 {
		t.Fatalf("no message with buttons in %+v", msgs)
	}
	return msgs[i]
}

// feedbackOn returns what the store holds about entry id.
func feedbackOn(t testing.TB, st *testKB, id string) knowledge.EntryFeedback {
	t.Helper()
	fb, err := st.Feedback(t.Context())
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

// press presses the button customID under on as m and checks the thanks.
func (h *harness) press(t testing.TB, m discordtest.Member, on discordtest.Sent, customID string) discordtest.Sent {
	t.Helper()
	if !slices.Contains(on.CustomIDs(), customID) {
		t.Fatalf("no button %s under the message; buttons: %v", customID, on.CustomIDs())
	}
	return h.d.Callback(t, h.d.Press(t, m, on, customID))
}

// TestFeedbackQuestion presses 👎 under answers and checks that the store
// keeps the question each answered, and no question for an entry opened
// from a button.
func TestFeedbackQuestion(t *testing.T) {
	t.Parallel()
	const long = "tell me everything about aftercare encyclopedia"
	tests := []struct {
		name  string
		ask   func(t *testing.T, h *harness) discordtest.Sent // the message with the buttons
		entry string
		want  string
	}{
		{name: "/ask", entry: "pigment-depth", want: "how deep should the needle go", ask: func(t *testing.T, h *harness) discordtest.Sent {
			return buttonsOf(t, h.answer(t, h.d.Command(t, h.asker(), cmdAsk, discordtest.Option(optQuestion, "  how deep\nshould the needle go "))))
		}},
		{name: "/ask private", entry: "pigment-depth", want: "what happens if <@123> **pigment** goes too deep", ask: func(t *testing.T, h *harness) discordtest.Sent {
			return buttonsOf(t, h.answer(t, h.d.Command(t, h.asker(), cmdAsk,
				discordtest.Option(optQuestion, "what happens if <@123> **pigment** goes too deep"), discordtest.Option(optPrivate, true))))
		}},
		{name: "answer in several messages", entry: "aftercare-encyclopedia", want: long, ask: func(t *testing.T, h *harness) discordtest.Sent {
			msgs := h.answer(t, h.d.Command(t, h.asker(), cmdAsk, discordtest.Option(optQuestion, long), discordtest.Option(optPrivate, true)))
			if len(msgs) < 2 {
				t.Fatalf("the answer to %q fits in %d message, want several", long, len(msgs))
			}
			return msgs[len(msgs)-1]
		}},
		{name: "mention", entry: "pigment-depth", want: "how deep should the needle go", ask: func(t *testing.T, h *harness) discordtest.Sent {
			ch := h.d.NewID()
			h.d.Message(t, map[string]any{"channel_id": ch, "guild_id": testGuild, "author": h.user("u1"),
				"content": "<@" + h.d.BotID + "> how deep should the needle go", "mentions": []any{h.self()}})
			return buttonsOf(t, h.d.Messages(t, ch, 1))
		}},
		{name: "full answer", entry: "pigment-depth", want: "how deep should the needle go", ask: func(t *testing.T, h *harness) discordtest.Sent {
			short := buttonsOf(t, h.answer(t, h.d.Command(t, h.asker(), cmdAsk, discordtest.Option(optQuestion, "how deep should the needle go"))))
			return h.press(t, h.asker(), short, fullID("pigment-depth", false))
		}},
		{name: "entry opened from a button", entry: "what-is-smp", want: "", ask: func(t *testing.T, h *harness) discordtest.Sent {
			answer := buttonsOf(t, h.answer(t, h.d.Command(t, h.asker(), cmdAsk, discordtest.Option(optQuestion, "how deep should the needle go"), discordtest.Option(optPrivate, true))))
			return h.press(t, h.asker(), answer, showID("what-is-smp"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, st := startModerated(t)
			on := tt.ask(t, h)
			if got := h.press(t, h.asker(), on, feedbackID(tt.entry, false)); got.Content != thanksUnhelpful {
				t.Errorf("👎 on %s: reply %q, want %q", tt.entry, got.Content, thanksUnhelpful)
			}
			var want []string
			if tt.want != "" {
				want = []string{tt.want}
			}
			if got := feedbackOn(t, st, tt.entry); got.Down != 1 || !slices.Equal(got.Unhelpful, want) {
				t.Errorf("after 👎, feedback on %s = %+v, want 👎 1 with questions %q", tt.entry, got, want)
			}
		})
	}
}

// TestFeedbackShownToModerators is the whole way: /ask, a 👎 on the answer,
// and the question in a moderator's /kb feedback.
func TestFeedbackShownToModerators(t *testing.T) {
	t.Parallel()
	h, _ := startModerated(t)
	const q = "does the needle go deep *enough*?"
	answer := buttonsOf(t, h.answer(t, h.d.Command(t, h.asker(), cmdAsk, discordtest.Option(optQuestion, q))))
	h.press(t, h.asker(), answer, feedbackID("pigment-depth", true))
	h.press(t, h.asker(), answer, feedbackID("pigment-depth", false)) // another member
	got := h.kb(t, h.moderator(), subFeedback)
	for _, want := range []string{"Why needle depth matters (pigment\\-depth) — 👍 1 · 👎 1", "👎 “does the needle go deep \\*enough\\*?”"} {
		if !strings.Contains(got, want) {
			t.Errorf("/kb feedback = %q, want it to contain %q", got, want)
		}
	}
}

// TestFeedbackLastTapWins presses 👎 on one answer many times and then 👍,
// as one member: the answer counts once, as the last press said. Another
// member's press counts apart.
func TestFeedbackLastTapWins(t *testing.T) {
	t.Parallel()
	h, st := startModerated(t)
	m := h.asker()
	answer := buttonsOf(t, h.answer(t, h.d.Command(t, m, cmdAsk, discordtest.Option(optQuestion, "how deep should the needle go"))))
	for range 3 { // with the question and the 👍, the per-user allowance
		h.press(t, m, answer, feedbackID("pigment-depth", false))
	}
	h.press(t, m, answer, feedbackID("pigment-depth", true))
	if got := feedbackOn(t, st, "pigment-depth"); got.Up != 1 || got.Down != 0 || len(got.Unhelpful) != 0 {
		t.Errorf("after 👎×3 then 👍 by one member, feedback = %+v, want 👍 1 👎 0", got)
	}
	h.press(t, h.asker(), answer, feedbackID("pigment-depth", false))
	if got := feedbackOn(t, st, "pigment-depth"); got.Up != 1 || got.Down != 1 {
		t.Errorf("after another member's 👎, feedback = %+v, want 👍 1 👎 1", got)
	}
}
