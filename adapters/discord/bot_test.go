package discord

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/smpbot/bot/adapters/discord/discordtest"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/markdown"
)

// syncBuffer is a bytes.Buffer safe for concurrent use, for logs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// feedbackRecorder records feedback as "entry helpful" lines.
type feedbackRecorder struct {
	mu    sync.Mutex
	votes []string
}

func (r *feedbackRecorder) RecordFeedback(_ context.Context, _, entryID, _ string, helpful bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.votes = append(r.votes, fmt.Sprint(entryID, " ", helpful))
	return nil
}

func (r *feedbackRecorder) recorded() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.votes...)
}

const testGuild = "100000000000000009"

// metricsRecorder counts what the bot reports through Metrics.
type metricsRecorder struct {
	mu                  sync.Mutex
	rateLimited, errors map[string]int
}

func (m *metricsRecorder) RateLimited(platform string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.rateLimited[platform]++
}

func (m *metricsRecorder) AdapterError(adapter string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.errors[adapter]++
}

// counts returns the rate-limited and error counts for "discord".
func (m *metricsRecorder) counts() (rateLimited, errors int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.rateLimited["discord"], m.errors["discord"]
}

// harness is a Bot running against a fake Discord.
type harness struct {
	d        *discordtest.Server
	bot      *Bot
	cfg      Config
	logs     *syncBuffer // the bot's and the knowledge service's logs
	feedback *feedbackRecorder
	metrics  *metricsRecorder
}

// start runs a Bot against a new fake Discord until the test ends. edit, if
// not nil, may change the configuration first.
func start(t testing.TB, edit func(*Config)) *harness {
	t.Helper()
	h := newHarness(t, edit)
	h.run(t)
	return h
}

// newHarness builds a Bot for a new fake Discord, without running it.
func newHarness(t testing.TB, edit func(*Config)) *harness {
	t.Helper()
	return newModeratedHarness(t, nil, edit)
}

// newModeratedHarness is newHarness with kb, when not nil, as the knowledge
// base moderators change and the service answers from.
func newModeratedHarness(t testing.TB, kb *testKB, edit func(*Config)) *harness {
	t.Helper()
	h := &harness{
		d: discordtest.New(t), logs: &syncBuffer{}, feedback: &feedbackRecorder{},
		metrics: &metricsRecorder{rateLimited: map[string]int{}, errors: map[string]int{}},
	}
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h.cfg = Config{Token: h.d.Token, APIURL: h.d.URL, GuildID: testGuild, Metrics: h.metrics}
	if kb != nil {
		h.cfg.Moderation = kb.Moderation
	}
	if edit != nil {
		edit(&h.cfg)
	}
	var svc *knowledge.Service
	if kb != nil {
		svc = storeService(t, kb, log)
	} else {
		svc = testService(t, log)
		svc.RecordFeedbackTo(h.feedback)
	}
	var err error
	h.bot, err = New(h.cfg, svc, log)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return h
}

// run runs the Bot until the test ends, and waits until it is ready.
func (h *harness) run(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.bot.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run returned %v after the context ended, want nil", err)
		}
		if h.bot.Ready() {
			t.Errorf("Ready() = true after Run returned")
		}
		if logs := h.logs.String(); strings.Contains(logs, h.d.Token) {
			t.Errorf("the token appears in the logs:\n%s", logs)
		}
	})
	h.d.WaitCall(t, "PUT", commandsPath(h.d.AppID, h.cfg.GuildID))
}

func commandsPath(appID, guildID string) string {
	if guildID == "" {
		return "/api/v9/applications/" + appID + "/commands"
	}
	return "/api/v9/applications/" + appID + "/guilds/" + guildID + "/commands"
}

// asker is a fresh member of the test guild.
func (h *harness) asker() discordtest.Member {
	return discordtest.Member{ID: h.d.NewID(), Username: "asker", GuildID: testGuild}
}

// interact dispatches an interaction from a fresh member and returns its id.
func (h *harness) interact(t testing.TB, typ discordgo.InteractionType, data map[string]any) string {
	t.Helper()
	return h.d.Interact(t, h.asker(), typ, data)
}

func askData(question any, private bool) map[string]any {
	return map[string]any{"id": "1", "name": cmdAsk, "type": 1, "options": []any{
		map[string]any{"name": optQuestion, "type": 3, "value": question},
		map[string]any{"name": optPrivate, "type": 5, "value": private},
	}}
}

// answer waits for the whole deferred answer to interaction id: the edit of
// the original response, then follow-ups until one carries the buttons that
// end every answer.
func (h *harness) answer(t testing.TB, id string) []discordtest.Sent {
	t.Helper()
	msgs := []discordtest.Sent{h.d.Edit(t, id)}
	for len(msgs[len(msgs)-1].Components) == 0 {
		msgs = append([]discordtest.Sent{msgs[0]}, h.d.Followups(t, id, len(msgs))...)
	}
	return msgs
}

func (h *harness) user(id string) map[string]any {
	return map[string]any{"id": id, "username": "member" + id}
}

func (h *harness) self() map[string]any { return h.d.BotUser() }

// checkNoMentions fails unless the message lets no one be pinged.
func checkNoMentions(t testing.TB, s discordtest.Sent) {
	t.Helper()
	if !s.MentionsNobody() {
		t.Errorf("allowed_mentions = %+v, want present and allowing no one", s.AllowedMentions)
	}
}

func TestRegistersCommands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, guild string
	}{
		{"guild", testGuild},
		{"global", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, func(cfg *Config) { cfg.GuildID = tt.guild })
			c := h.d.WaitCall(t, "PUT", commandsPath(h.d.AppID, tt.guild))
			waitReady(t, h.bot)
			got := string(c.Body)
			for _, want := range []string{`"name":"ask"`, `"name":"checklist"`, `"name":"topics"`, `"name":"help"`, `"autocomplete":true`, `"name":"private"`} {
				if !strings.Contains(got, want) {
					t.Errorf("registered commands %s lack %s", got, want)
				}
			}
		})
	}
}

func TestAsk(t *testing.T) {
	t.Parallel()
	h := start(t, nil)
	tests := []struct {
		name      string
		question  any
		private   bool
		wantTitle string // of the answer's first embed with a title
		wantText  string // somewhere in the answer
	}{
		{name: "answered with an embed", question: "how deep should the needle go", wantTitle: "Why needle depth matters", wantText: knowledge.Disclaimer},
		{name: "private", question: "what is smp", private: true, wantTitle: "What scalp micropigmentation (SMP) is"},
		{name: "checklist step", question: "how do i check smp training", wantTitle: "Step 1: Check their SMP training and credentials", wantText: "3. Make sure you feel comfortable"},
		{name: "not covered", question: "quantum chromodynamics bananas", wantTitle: "Not covered", wantText: knowledge.NotCovered},
		{name: "urgent", question: "my scalp is swollen and there is pus", wantText: knowledge.UrgentNotice},
		{name: "huge question", question: strings.Repeat("what is smp ", 600), wantTitle: "What scalp micropigmentation (SMP) is", wantText: "first 500 characters"},
		{name: "control characters", question: "what\x00 is\x07 smp\u200b", wantTitle: "What scalp micropigmentation (SMP) is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := h.interact(t, discordgo.InteractionApplicationCommand, askData(tt.question, tt.private))
			cb := h.d.Callback(t, id)
			if cb.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
				t.Errorf("/ask %q: response type = %d, want deferred (%d)", tt.name, cb.Type, discordgo.InteractionResponseDeferredChannelMessageWithSource)
			}
			if got, want := cb.Flags&discordgo.MessageFlagsEphemeral != 0, tt.private; got != want {
				t.Errorf("/ask private=%v: ephemeral = %v, want %v", tt.private, got, want)
			}
			msgs := h.answer(t, id)
			var all strings.Builder
			title := ""
			for _, m := range msgs {
				checkNoMentions(t, m)
				all.WriteString(m.Text())
				for _, e := range m.Embeds {
					if title == "" {
						title = e.Title
					}
				}
			}
			if len(msgs[0].Embeds) == 0 {
				t.Fatalf("/ask %q: answer has no embed: %+v", tt.name, msgs[0])
			}
			if tt.wantTitle != "" && title != tt.wantTitle {
				t.Errorf("/ask %q: title = %q, want %q", tt.name, title, tt.wantTitle)
			}
			if !strings.Contains(all.String(), tt.wantText) {
				t.Errorf("/ask %q: answer lacks %q:\n%s", tt.name, tt.wantText, all.String())
			}
		})
	}
	t.Run("in a DM", func(t *testing.T) {
		id := h.d.NewID()
		h.d.Dispatch(t, "INTERACTION_CREATE", map[string]any{
			"id": id, "application_id": h.d.AppID, "type": discordgo.InteractionApplicationCommand, "token": "itoken-" + id,
			"channel_id": "100000000000000011", "user": map[string]any{"id": "u" + id, "username": "dm"},
			"data": askData("what is smp", false),
		})
		msgs := h.answer(t, id)
		if len(msgs[0].Embeds) == 0 || msgs[0].Embeds[0].Title != "What scalp micropigmentation (SMP) is" {
			t.Errorf("/ask in a DM: embeds %+v, want the answer", msgs[0].Embeds)
		}
	})
	t.Run("urgent notice comes first", func(t *testing.T) {
		id := h.interact(t, discordgo.InteractionApplicationCommand, askData("my scalp is swollen and there is pus", false))
		msgs := h.answer(t, id)
		if got := msgs[0].Embeds[0].Description; got != knowledge.UrgentNotice {
			t.Errorf("first embed = %q, want the urgent notice", got)
		}
	})
	t.Run("private answer has related and feedback buttons", func(t *testing.T) {
		id := h.interact(t, discordgo.InteractionApplicationCommand, askData("how deep should the needle go", true))
		msgs := h.answer(t, id)
		got := strings.Join(msgs[len(msgs)-1].CustomIDs(), " ")
		for _, want := range []string{showID("what-is-smp"), feedbackID("pigment-depth", true), feedbackID("pigment-depth", false)} {
			if !strings.Contains(got, want) {
				t.Errorf("buttons %q lack %q", got, want)
			}
		}
	})
}

// TestShortAnswer: in a server's channel, /ask and mentions get the short
// answer, the checklist and a Full answer button, which shows the asker
// alone the full answer, as a direct message gets it.
func TestShortAnswer(t *testing.T) {
	t.Parallel()
	h := start(t, nil)
	tests := []struct {
		name, question string
		entry          string
		urgent         bool
	}{
		{"answer", "how deep should the needle go", "pigment-depth", false},
		{"urgent", "my scalp is swollen and there is pus", "infection-signs", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := h.answer(t, h.interact(t, discordgo.InteractionApplicationCommand, askData(tt.question, false)))
			e, _ := testService(t, nil).Entry(tt.entry)
			short := msgs[len(msgs)-1]
			var text strings.Builder
			for _, m := range msgs {
				text.WriteString(m.Text())
			}
			if !strings.Contains(text.String(), markdown.Parse(e.Short()).Discord()) || strings.Contains(text.String(), "Sources") ||
				len(e.Short()) < len(e.Body) && strings.Contains(text.String(), markdown.Parse(e.Body).Discord()) {
				t.Errorf("short answer of %s =\n%s\nwant its first paragraph and no sources", tt.entry, text.String())
			}
			if got, want := short.CustomIDs(), []string{fullID(tt.entry, tt.urgent), feedbackID(tt.entry, true), feedbackID(tt.entry, false)}; !slices.Equal(got, want) {
				t.Errorf("short answer's buttons = %q, want %q", got, want)
			}
			full := h.d.Callback(t, h.d.Press(t, h.asker(), short, fullID(tt.entry, tt.urgent)))
			if full.Flags&discordgo.MessageFlagsEphemeral == 0 || len(full.Embeds) == 0 {
				t.Fatalf("full answer: flags %d, embeds %d; want an ephemeral answer", full.Flags, len(full.Embeds))
			}
			if got := full.Embeds[0].Description == knowledge.UrgentNotice; got != tt.urgent {
				t.Errorf("full answer starts with the urgent notice: %v, want %v", got, tt.urgent)
			}
			if a := full.Embeds[0].Author; a == nil || a.Name != askedPrefix+tt.question {
				t.Errorf("full answer's author line = %+v, want the question", a)
			}
			if !strings.Contains(full.Text(), markdown.Parse(e.Body).Discord()) {
				t.Errorf("full answer =\n%s\nwant the whole of %s", full.Text(), tt.entry)
			}
		})
	}
}

func TestAskRejectsEmptyAndOddValues(t *testing.T) {
	t.Parallel()
	h := start(t, nil)
	tests := []struct {
		name string
		data map[string]any
	}{
		{"blank", askData("   \n\t ", false)},
		{"number instead of text", askData(42, false)},
		{"no options", map[string]any{"id": "1", "name": cmdAsk, "type": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb := h.d.Callback(t, h.interact(t, discordgo.InteractionApplicationCommand, tt.data))
			if cb.Type != discordgo.InteractionResponseChannelMessageWithSource || cb.Flags&discordgo.MessageFlagsEphemeral == 0 {
				t.Errorf("response type %d flags %d, want an ephemeral message", cb.Type, cb.Flags)
			}
			if cb.Content != emptyQuestionText {
				t.Errorf("content = %q, want %q", cb.Content, emptyQuestionText)
			}
			checkNoMentions(t, cb)
		})
	}
}

func TestLongAnswerSplit(t *testing.T) {
	t.Parallel()
	h := start(t, nil)
	// Asked privately, for the full answer.
	id := h.interact(t, discordgo.InteractionApplicationCommand, askData("tell me everything about aftercare encyclopedia", true))
	msgs := h.answer(t, id)
	if len(msgs) < 2 {
		t.Fatalf("a very long answer came in %d message, want it split", len(msgs))
	}
	var all strings.Builder
	var rendered []message
	for _, m := range msgs {
		checkNoMentions(t, m)
		all.WriteString(m.Text())
		rendered = append(rendered, message{Content: m.Content, Embeds: m.Embeds})
	}
	rendered[len(rendered)-1].Components = entryButtons(nil) // the buttons are checked below
	checkLimits(t, rendered)
	for _, want := range []string{"**Part 1.**", "**Part 60.**", "Aftercare source number 30"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("split answer lost %q", want)
		}
	}
	if got := msgs[len(msgs)-1].CustomIDs(); len(got) == 0 {
		t.Errorf("last message has no buttons")
	}
}

func TestAutocomplete(t *testing.T) {
	t.Parallel()
	h := start(t, nil)
	tests := []struct {
		name, typed string
		wantAll     string // every choice contains it
		wantN       int    // exact number of choices, or 0 for 1 to 25
	}{
		{name: "nothing typed", typed: ""},
		{name: "many matches", typed: "aftercare", wantAll: "aftercare", wantN: maxChoices},
		{name: "word", typed: "deep", wantAll: "deep"},
		{name: "no match offers the text", typed: "zzzz qqqq", wantAll: "zzzz qqqq", wantN: 1},
		{name: "huge", typed: strings.Repeat("x", 7000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := h.interact(t, discordgo.InteractionApplicationCommandAutocomplete, map[string]any{
				"id": "1", "name": cmdAsk, "type": 1,
				"options": []any{map[string]any{"name": optQuestion, "type": 3, "value": tt.typed, "focused": true}},
			})
			cb := h.d.Callback(t, id)
			if cb.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
				t.Fatalf("autocomplete %q: response type = %d, want %d", tt.typed, cb.Type, discordgo.InteractionApplicationCommandAutocompleteResult)
			}
			got := len(cb.Choices)
			if got == 0 || got > maxChoices || (tt.wantN != 0 && got != tt.wantN) {
				t.Errorf("autocomplete %q: %d choices, want %d (1 to %d)", tt.name, got, tt.wantN, maxChoices)
			}
			for _, c := range cb.Choices {
				v, _ := c.Value.(string)
				if size(c.Name) > maxChoiceLen || size(v) > maxChoiceLen || c.Name == "" {
					t.Errorf("autocomplete %q: choice %q = %q breaks the 1 to %d character limit", tt.name, c.Name, v, maxChoiceLen)
				}
				if !strings.Contains(strings.ToLower(c.Name), tt.wantAll) {
					t.Errorf("autocomplete %q: choice %q lacks %q", tt.name, c.Name, tt.wantAll)
				}
			}
		})
	}
}

func TestMessages(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.bot.session.SyncEvents = true // events in order, so an ignored one is done before the next
	h.run(t)
	mention := "<@" + h.d.BotID + ">"
	tests := []struct {
		name      string
		msg       func(channel string) map[string]any
		answered  bool
		wantTitle string
	}{
		{"mention answered", func(ch string) map[string]any {
			return map[string]any{"channel_id": ch, "guild_id": testGuild, "author": h.user("u1"), "content": mention + " what is smp", "mentions": []any{h.self()}}
		}, true, "What scalp micropigmentation (SMP) is"},
		{"nickname mention answered", func(ch string) map[string]any {
			return map[string]any{"channel_id": ch, "guild_id": testGuild, "author": h.user("u2"), "content": "<@!" + h.d.BotID + "> how deep should the needle go", "mentions": []any{h.self()}}
		}, true, "Why needle depth matters"},
		{"DM answered", func(ch string) map[string]any {
			return map[string]any{"channel_id": ch, "author": h.user("u3"), "content": "what is smp"}
		}, true, "What scalp micropigmentation (SMP) is"},
		{"mention alone asks for a question", func(ch string) map[string]any {
			return map[string]any{"channel_id": ch, "guild_id": testGuild, "author": h.user("u4"), "content": mention, "mentions": []any{h.self()}}
		}, true, ""},
		{"chatter ignored", func(ch string) map[string]any {
			return map[string]any{"channel_id": ch, "guild_id": testGuild, "author": h.user("u5"), "content": "what is smp"}
		}, false, ""},
		{"other bot ignored", func(ch string) map[string]any {
			bot := h.user("u6")
			bot["bot"] = true
			return map[string]any{"channel_id": ch, "guild_id": testGuild, "author": bot, "content": mention + " what is smp", "mentions": []any{h.self()}}
		}, false, ""},
		{"itself ignored", func(ch string) map[string]any {
			return map[string]any{"channel_id": ch, "author": h.self(), "content": "what is smp"}
		}, false, ""},
		{"system message ignored", func(ch string) map[string]any {
			return map[string]any{"channel_id": ch, "guild_id": testGuild, "author": h.user("u7"), "content": mention, "mentions": []any{h.self()}, "type": 7}
		}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := h.d.NewID()
			id := h.d.Message(t, tt.msg(ch))
			// A question that is always answered follows; in order, so
			// once its reply is in, the first message has been handled.
			sentinel := h.d.Message(t, map[string]any{"channel_id": ch, "guild_id": testGuild, "author": h.user("s" + ch), "content": mention + " what is smp", "mentions": []any{h.self()}})
			want := 1
			if tt.answered {
				want = 2
			}
			got := h.d.Messages(t, ch, want)
			if len(got) != want {
				t.Fatalf("%s: %d messages sent, want %d", tt.name, len(got), want)
			}
			if last := got[len(got)-1]; last.Reference == nil || last.Reference.MessageID != sentinel {
				t.Fatalf("last message replies to %+v, want the follow-up question %s", last.Reference, sentinel)
			}
			if !tt.answered {
				return
			}
			r := got[0]
			checkNoMentions(t, r)
			if r.Reference == nil || r.Reference.MessageID != id {
				t.Errorf("%s: reply references %+v, want message %s", tt.name, r.Reference, id)
			}
			if tt.wantTitle == "" {
				if r.Content != emptyQuestionText {
					t.Errorf("%s: reply = %q, want %q", tt.name, r.Content, emptyQuestionText)
				}
				return
			}
			if len(r.Embeds) == 0 || r.Embeds[0].Title != tt.wantTitle {
				t.Errorf("%s: reply embeds = %+v, want title %q", tt.name, r.Embeds, tt.wantTitle)
			}
		})
	}
}

func TestEveryonePingsNoOne(t *testing.T) {
	t.Parallel()
	h := start(t, nil)
	text := "@everyone @here <@&100000000000000077> <@100000000000000078> what is smp"
	t.Run("mention", func(t *testing.T) {
		ch := h.d.NewID()
		h.d.Message(t, map[string]any{"channel_id": ch, "guild_id": testGuild, "author": h.user("u1"),
			"content": "<@" + h.d.BotID + "> " + text, "mention_everyone": true,
			"mentions": []any{h.self(), h.user("100000000000000078")}, "mention_roles": []any{"100000000000000077"}})
		for _, r := range h.d.Messages(t, ch, 1) {
			checkNoMentions(t, r)
		}
	})
	t.Run("slash command", func(t *testing.T) {
		id := h.interact(t, discordgo.InteractionApplicationCommand, askData(text, false))
		for _, r := range h.answer(t, id) {
			checkNoMentions(t, r)
		}
	})
	t.Run("very long answer with mentions in its text", func(t *testing.T) {
		id := h.interact(t, discordgo.InteractionApplicationCommand, askData("@everyone tell me everything about aftercare encyclopedia", false))
		for _, r := range h.answer(t, id) {
			checkNoMentions(t, r)
		}
	})
}

func TestButtons(t *testing.T) {
	t.Parallel()
	h := start(t, nil)
	tests := []struct {
		name      string
		customID  string
		values    []string
		wantTitle string // of the entry shown, or "" for a notice
		wantText  string // the notice
		wantVote  string // the feedback recorded
	}{
		{name: "related topic", customID: showID("pigment-depth"), wantTitle: "Why needle depth matters"},
		{name: "checklist step shows the checklist", customID: showID("checklist-reputation"), wantTitle: "Step 2: Check their reputation and reviews"},
		{name: "topic menu", customID: pickID(0), values: []string{"what-is-smp"}, wantTitle: "What scalp micropigmentation (SMP) is"},
		{name: "browse topics", customID: topicsID, wantTitle: "Topics"},
		{name: "helpful", customID: feedbackID("what-is-smp", true), wantText: thanksHelpful, wantVote: "what-is-smp true"},
		{name: "not helpful", customID: feedbackID("pigment-depth", false), wantText: thanksUnhelpful, wantVote: "pigment-depth false"},
		{name: "full answer", customID: fullID("pigment-depth", false), wantTitle: "Why needle depth matters"},
		{name: "stale full answer", customID: fullID("removed-topic", true), wantText: escape(knowledge.StaleButtonNotice)},
		{name: "forged full answer", customID: "full:../x", wantText: unknownButtonText},
		{name: "stale entry", customID: showID("removed-topic"), wantText: escape(knowledge.StaleButtonNotice)},
		{name: "stale feedback", customID: feedbackID("removed-topic", true), wantText: escape(knowledge.StaleButtonNotice)},
		{name: "forged prefix", customID: "delete:what-is-smp", wantText: unknownButtonText},
		{name: "forged vote", customID: "feedback:what-is-smp:maybe", wantText: unknownButtonText},
		{name: "forged id", customID: showID("../../etc/passwd"), wantText: unknownButtonText},
		{name: "overlong id", customID: showID(strings.Repeat("a", 120)), wantText: unknownButtonText},
		{name: "menu without value", customID: pickID(0), wantText: unknownButtonText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := map[string]any{"custom_id": tt.customID, "component_type": 2}
			if tt.values != nil {
				data["component_type"], data["values"] = 3, tt.values
			}
			id := h.interact(t, discordgo.InteractionMessageComponent, data)
			cb := h.d.Callback(t, id)
			checkNoMentions(t, cb)
			if cb.Type != discordgo.InteractionResponseChannelMessageWithSource || cb.Flags&discordgo.MessageFlagsEphemeral == 0 {
				t.Errorf("%s: response type %d flags %d, want an ephemeral message", tt.customID, cb.Type, cb.Flags)
			}
			if tt.wantTitle != "" {
				if len(cb.Embeds) == 0 || cb.Embeds[0].Title != tt.wantTitle {
					t.Errorf("%s: embeds %+v, want title %q", tt.customID, cb.Embeds, tt.wantTitle)
				}
				if len(cb.CustomIDs()) == 0 {
					t.Errorf("%s: entry shown without buttons", tt.customID)
				}
			} else if cb.Content != tt.wantText {
				t.Errorf("%s: content = %q, want %q", tt.customID, cb.Content, tt.wantText)
			}
			if votes := h.feedback.recorded(); tt.wantVote != "" && (len(votes) == 0 || votes[len(votes)-1] != tt.wantVote) {
				t.Errorf("%s: feedback recorded %q, want %q last", tt.customID, votes, tt.wantVote)
			}
		})
	}
	if got := h.feedback.recorded(); len(got) != 2 {
		t.Errorf("feedback recorded %q, want 2 votes (forged and stale buttons must record nothing)", got)
	}
}

func TestCommands(t *testing.T) {
	t.Parallel()
	h := start(t, nil)
	tests := []struct {
		name       string
		command    string
		ephemeral  bool
		wantTitle  string
		wantText   string
		wantButton string
	}{
		{name: "checklist", command: cmdChecklist, wantTitle: "Checklist: choosing a practitioner", wantButton: showID("checklist-comfort")},
		{name: "topics", command: cmdTopics, wantTitle: "Topics", wantText: "Why needle depth matters", wantButton: pickID(0)},
		{name: "help", command: cmdHelp, ephemeral: true, wantTitle: "How to use the SMP safety bot", wantText: "/ask"},
		{name: "unknown", command: "forget-everything", ephemeral: true, wantText: unknownCmdText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb := h.d.Callback(t, h.interact(t, discordgo.InteractionApplicationCommand, map[string]any{"id": "1", "name": tt.command, "type": 1}))
			checkNoMentions(t, cb)
			if got := cb.Flags&discordgo.MessageFlagsEphemeral != 0; got != tt.ephemeral {
				t.Errorf("/%s: ephemeral = %v, want %v", tt.command, got, tt.ephemeral)
			}
			if tt.wantTitle != "" && (len(cb.Embeds) == 0 || cb.Embeds[0].Title != tt.wantTitle) {
				t.Errorf("/%s: embeds %+v, want title %q", tt.command, cb.Embeds, tt.wantTitle)
			}
			if !strings.Contains(cb.Text(), tt.wantText) {
				t.Errorf("/%s: reply lacks %q:\n%s", tt.command, tt.wantText, cb.Text())
			}
			if tt.wantButton != "" && !strings.Contains(strings.Join(cb.CustomIDs(), " "), tt.wantButton) {
				t.Errorf("/%s: components %v lack %q", tt.command, cb.CustomIDs(), tt.wantButton)
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	h := start(t, func(cfg *Config) { cfg.RateBurst, cfg.RateEvery = 1, 1<<62 })
	t.Run("slash command", func(t *testing.T) {
		user := map[string]any{"user": map[string]any{"id": "100000000000000050", "username": "fast"}}
		var ids []string
		for range 2 {
			id := h.d.NewID()
			ids = append(ids, id)
			h.d.Dispatch(t, "INTERACTION_CREATE", map[string]any{
				"id": id, "application_id": h.d.AppID, "type": discordgo.InteractionApplicationCommand, "token": "itoken-" + id,
				"guild_id": testGuild, "channel_id": "1", "member": user, "data": askData("what is smp", false),
			})
		}
		var limited int
		for _, id := range ids {
			if cb := h.d.Callback(t, id); cb.Content == knowledge.RateLimitNotice {
				limited++
				if cb.Flags&discordgo.MessageFlagsEphemeral == 0 {
					t.Errorf("rate-limit notice is not ephemeral")
				}
			}
		}
		if limited != 1 {
			t.Errorf("%d of 2 quick questions were refused, want 1", limited)
		}
	})
	t.Run("direct message", func(t *testing.T) {
		ch := h.d.NewID()
		for range 2 {
			h.d.Message(t, map[string]any{"channel_id": ch, "author": h.user("100000000000000051"), "content": "what is smp"})
		}
		var limited int
		for _, r := range h.d.Messages(t, ch, 2) {
			if r.Content == knowledge.RateLimitNotice {
				limited++
			}
		}
		if limited != 1 {
			t.Errorf("%d of 2 quick DMs got the rate-limit notice, want 1", limited)
		}
	})
	t.Run("mention reacts instead of flooding the channel", func(t *testing.T) {
		ch := h.d.NewID()
		for range 2 {
			h.d.Message(t, map[string]any{"channel_id": ch, "guild_id": testGuild, "author": h.user("100000000000000052"),
				"content": "<@" + h.d.BotID + "> what is smp", "mentions": []any{h.self()}})
		}
		h.d.Messages(t, ch, 1)
		h.d.Wait(t, "a reaction", func(calls []discordtest.Call) bool {
			for _, c := range calls {
				if c.Method == "PUT" && strings.HasPrefix(c.Path, "/api/v9/channels/"+ch+"/messages/") && strings.Contains(c.Path, "/reactions/") {
					return true
				}
			}
			return false
		})
		if got := len(h.d.Messages(t, ch, 1)); got != 1 {
			t.Errorf("%d messages in the channel, want only the one answer", got)
		}
	})
}

// TestDMFloodGetsOneNotice checks that a flood of DMs from one user is
// answered up to their allowance, and the rest are told once, not once each.
func TestDMFloodGetsOneNotice(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(cfg *Config) { cfg.RateBurst, cfg.RateEvery = 5, 1<<62 })
	h.bot.session.SyncEvents = true // so that once a later DM is answered, every earlier one is handled
	h.run(t)
	ch, flooder := h.d.NewID(), h.user(h.d.NewID())
	for range 100 {
		h.d.Message(t, map[string]any{"channel_id": ch, "author": flooder, "content": "what is smp"})
	}
	other := h.d.NewID()
	h.d.Message(t, map[string]any{"channel_id": other, "author": h.user(h.d.NewID()), "content": "what is smp"})
	h.d.Messages(t, other, 1)
	var answers, notices int
	for _, c := range discordtest.Matching(h.d.Calls(), "POST", "/api/v9/channels/"+ch+"/messages") {
		if discordtest.Decode(t, c).Content == knowledge.RateLimitNotice {
			notices++
		} else {
			answers++
		}
	}
	if answers != 5 || notices != 1 {
		t.Errorf("100 DMs at once got %d answers and %d rate-limit notices, want 5 and 1", answers, notices)
	}
}

// TestBusy checks that questions beyond the bot's capacity get the busy
// notice, through both ways of asking, and are counted as rate-limited.
func TestBusy(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	// One question, then none for an hour: no time passes in the test.
	h.bot.svc.LimitTo(knowledge.Capacity{Rate: 1.0 / 3600, Burst: 1})
	h.run(t)
	first := h.interact(t, discordgo.InteractionApplicationCommand, askData("what is smp", false))
	if got := h.answer(t, first)[0]; len(got.Embeds) == 0 || got.Content == knowledge.BusyNotice {
		t.Fatalf("first question got %+v, want an answer", got)
	}
	second := h.interact(t, discordgo.InteractionApplicationCommand, askData("what is smp", false))
	if got := h.d.Edit(t, second); got.Content != knowledge.BusyNotice || len(got.Embeds) > 0 {
		t.Errorf("/ask beyond capacity got %q with %d embeds, want only %q", got.Content, len(got.Embeds), knowledge.BusyNotice)
	}
	ch := h.d.NewID()
	h.d.Message(t, map[string]any{"channel_id": ch, "author": h.user("100000000000000053"), "content": "what is smp"})
	if got := h.d.Messages(t, ch, 1)[0]; got.Content != knowledge.BusyNotice {
		t.Errorf("DM beyond capacity got %q, want %q", got.Content, knowledge.BusyNotice)
	}
	if limited, _ := h.metrics.counts(); limited != 2 {
		t.Errorf("RateLimited(discord) counted %d times, want once per refused question: 2", limited)
	}
}

// waitReady polls b.Ready until it reports true.
func waitReady(t *testing.T, b *Bot) {
	t.Helper()
	for deadline := time.Now().Add(discordtest.WaitTimeout); !b.Ready(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("Ready() stayed false while connected")
		}
	}
}

func TestRunFailsWithBadToken(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t)
	const wrong = "wrong-token.SECRET.y"
	b, err := New(Config{Token: wrong, APIURL: f.URL}, testService(t, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Run(context.Background())
	if err == nil {
		t.Fatal("Run with a rejected token returned nil, want an error")
	}
	if strings.Contains(err.Error(), wrong) || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error %q contains the token", err)
	}
}

func TestRunStopsWhileConnecting(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t)
	b, err := New(Config{Token: f.Token, APIURL: f.URL}, testService(t, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.Run(ctx); err != nil {
		t.Errorf("Run with an ended context = %v, want nil", err)
	}
	if err := b.Run(context.Background()); err == nil {
		t.Errorf("second Run = nil, want an error")
	}
}

func TestGuardRecoversPanic(t *testing.T) {
	logs := &syncBuffer{}
	m := &metricsRecorder{errors: map[string]int{}}
	b := &Bot{log: slog.New(slog.NewTextHandler(logs, nil)), metrics: m}
	b.guard(context.Background(), "test", func(context.Context) { panic("boom") })
	if got := logs.String(); !strings.Contains(got, "handler panicked") || !strings.Contains(got, "boom") {
		t.Errorf("log after a panic = %q, want the panic logged", got)
	}
	if _, errs := m.counts(); errs != 1 {
		t.Errorf("adapter errors after a panic = %d, want 1", errs)
	}
}

func TestNew(t *testing.T) {
	svc := testService(t, nil)
	tests := []struct {
		name string
		cfg  Config
		svc  *knowledge.Service
		ok   bool
	}{
		{"valid", Config{Token: "abc"}, svc, true},
		{"Bot prefix accepted", Config{Token: "Bot abc"}, svc, true},
		{"no token", Config{}, svc, false},
		{"no service", Config{Token: "abc"}, nil, false},
		{"bad guild", Config{Token: "abc", GuildID: "x"}, svc, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg, tt.svc, nil)
			if got := err == nil; got != tt.ok {
				t.Errorf("New(%+v) error = %v, want ok=%v", tt.cfg, err, tt.ok)
			}
		})
	}
}
