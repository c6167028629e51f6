package telegram

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/telegram/telegramtest"
	"github.com/smpbot/bot/knowledge"
)

// Moderators of the tests; ann and ben are not.
var (
	mo  = telegramtest.User{ID: 77, Name: "Mo", Username: "mo"}
	kim = telegramtest.User{ID: 78, Name: "Kim"}
)

// startKB runs a bot with moderation on, mo and kim moderating.
func startKB(t *testing.T, cal knowledge.Calibration) *harness {
	t.Helper()
	return start(t, options{cal: cal, moderators: []int64{mo.ID, kim.ID}})
}

// say sends text in from's private chat and returns what the bot sent
// while handling it.
func (h *harness) say(from telegramtest.User, text string) []telegramtest.Message {
	h.t.Helper()
	before := h.f.SentCount()
	id, _ := h.f.Ask(from, telegramtest.Private(from), text)
	return telegramtest.Delivered(h.t, h.waitHandled(id))[before:]
}

// tap taps a button with data in from's private chat and returns the
// toast it got and what the bot sent.
func (h *harness) tap(from telegramtest.User, data string) (toast string, sent []telegramtest.Message) {
	h.t.Helper()
	h.taps++
	qid := fmt.Sprintf("tap-%d", h.taps)
	before := h.f.SentCount()
	ids := h.f.Push(telegramtest.Tap(qid, from, telegramtest.Private(from), 1, data))
	reqs := h.waitHandled(ids[0])
	for _, r := range telegramtest.Calls(reqs, "answerCallbackQuery") {
		if r.Form.Get("callback_query_id") == qid {
			toast = r.Form.Get("text")
		}
	}
	return toast, telegramtest.Delivered(h.t, reqs)[before:]
}

// only returns the one message of msgs, failing the test otherwise.
func only(t *testing.T, msgs []telegramtest.Message) telegramtest.Message {
	t.Helper()
	if len(msgs) != 1 {
		t.Fatalf("bot sent %d messages, want 1:\n%s", len(msgs), texts(msgs))
	}
	return msgs[0]
}

// waitAnswer asks question as ann until the answer shows title: the
// store's watcher serves a change within a second.
func (h *harness) waitAnswer(question, title string) {
	h.t.Helper()
	deadline := time.Now().Add(telegramtest.WaitLimit)
	for {
		got := h.say(ann, question)
		if len(got) > 0 && strings.Contains(got[0].Text, title) {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("asking %q: got %q, want an answer titled %q", question, texts(got), title)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func head(t *testing.T, s *testKB) int64 {
	t.Helper()
	_, rev, err := s.Base(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

func TestKBCommandScopes(t *testing.T) {
	h := startKB(t, knowledge.Calibration{})
	reqs := h.f.WaitFor("three setMyCommands calls", func(reqs []telegramtest.Request) bool {
		return len(telegramtest.Calls(reqs, "setMyCommands")) == 3
	})
	got := map[string][]string{}
	for _, r := range telegramtest.Calls(reqs, "setMyCommands") {
		var cmds []struct{ Command string }
		if err := json.Unmarshal([]byte(r.Form.Get("commands")), &cmds); err != nil {
			t.Fatal(err)
		}
		scope := r.Form.Get("scope")
		for _, c := range cmds {
			got[scope] = append(got[scope], c.Command)
		}
	}
	for _, tt := range []struct {
		scope  string
		wantKB bool
	}{
		{"", false},
		{`{"type":"chat","chat_id":77}`, true},
		{`{"type":"chat","chat_id":78}`, true},
	} {
		if cmds, ok := got[tt.scope]; !ok || slices.Contains(cmds, "kb") != tt.wantKB || !slices.Contains(cmds, "ask") {
			t.Errorf("commands for scope %q = %v, want /ask and /kb: %v", tt.scope, cmds, tt.wantKB)
		}
	}
}

// TestKBRefused checks that nobody but a moderator changes anything: by
// command, in a group, or by a forged, stolen, used or unknown button.
func TestKBRefused(t *testing.T) {
	h := startKB(t, knowledge.Calibration{})
	msg := only(t, h.say(mo, "/kb rm infection-signs"))
	confirm := msg.ButtonData("🗑 Remove")
	if confirm == "" || len(confirm) > 64 {
		t.Fatalf("/kb rm buttons = %q, want a Remove button with at most 64 bytes of data", msg.Buttons())
	}
	rev := head(t, h.store)

	tests := []struct {
		name      string
		from      telegramtest.User
		in        telegramtest.Chat
		text      string // a message, or
		data      string // a button tap
		want      string // the reply or toast
		wantLog   bool
		wantReply bool
	}{
		{name: "non-moderator /kb", from: ann, in: annChat, text: "/kb", want: knowledge.NotModeratorNotice, wantLog: true},
		{name: "non-moderator /kb rm", from: ann, in: annChat, text: "/kb rm pigment-depth", want: knowledge.NotModeratorNotice, wantLog: true},
		{name: "non-moderator /kb add in a group", from: ben, in: group, text: "/kb add\n---\nid: x\n---\nx", want: knowledge.NotModeratorNotice, wantLog: true},
		{name: "moderator in a group", from: mo, in: group, text: "/kb rm pigment-depth", want: "private chat"},
		{name: "non-moderator taps a moderator's button", from: ann, data: confirm, want: knowledge.NotModeratorNotice, wantLog: true},
		{name: "another moderator taps it", from: kim, data: confirm, want: staleButton},
		{name: "unknown token", from: mo, data: "k:AAAAAAAAAAAAAAAA:y", want: staleButton},
		{name: "malformed", from: mo, data: "k:" + strings.Repeat("x", 62), want: staleButton},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := len(h.logs.matching("refused a moderation"))
			var got string
			if tt.text != "" {
				before := h.f.SentCount()
				u, _ := h.f.Message(tt.from, tt.in, tt.text, nil)
				sent := telegramtest.Delivered(t, h.waitHandled(h.f.Push(u)[0]))[before:]
				got = only(t, sent).Text
			} else {
				var sent []telegramtest.Message
				got, sent = h.tap(tt.from, tt.data)
				if len(sent) > 0 {
					t.Errorf("tap sent %q, want nothing", texts(sent))
				}
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
			}
			if n := len(h.logs.matching("refused a moderation")) - logs; (n == 1) != tt.wantLog {
				t.Errorf("%s: %d refusals logged, want logged: %v", tt.name, n, tt.wantLog)
			}
			if got := head(t, h.store); got != rev {
				t.Errorf("%s: knowledge base at revision %d, want unchanged %d", tt.name, got, rev)
			}
		})
	}
	// The button still works for its moderator, once.
	if _, sent := h.tap(mo, confirm); !strings.Contains(only(t, sent).Text, "Removed") {
		t.Errorf("moderator's own tap: %q, want the entry removed", texts(sent))
	}
	if toast, _ := h.tap(mo, confirm); toast != staleButton {
		t.Errorf("second tap: toast %q, want %q", toast, staleButton)
	}
}

// TestKBRefusedFlood sends many long /kb commands and moderation taps from
// someone who is not a moderator, and checks that the refusals logged are
// no more than the per-user allowance and carry the length, not the text.
func TestKBRefusedFlood(t *testing.T) {
	h := startKB(t, knowledge.Calibration{})
	secret := strings.Repeat("x", 4000)
	tests := []struct {
		name   string
		update func() string
		words  []string // in every line logged
	}{
		{"long /kb", func() string { u, _ := h.f.Message(ann, annChat, "/kb "+secret, nil); return u }, []string{"length=4004"}},
		{"forged moderation taps", func() string { return telegramtest.Tap("t", ann, annChat, 1, "k:"+secret[:50]+":y") }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(h.logs.matching("refused a moderation"))
			var updates []string
			for range 40 {
				updates = append(updates, tt.update())
			}
			ids := h.f.Push(updates...)
			h.waitHandled(ids[len(ids)-1])
			logged := h.logs.matching("refused a moderation")[before:]
			if len(logged) > DefaultRateBurst {
				t.Errorf("40 refused: %d lines logged, want at most %d", len(logged), DefaultRateBurst)
			}
			for _, line := range logged {
				if strings.Contains(line, secret[:50]) || !containsAll(line, tt.words...) {
					t.Errorf("logged %.200q, want %q and none of the text", line, tt.words)
				}
			}
		})
	}
}

// TestKBAdd adds entries in the guided conversation and as one message;
// once saved, people get them as answers.
func TestKBAdd(t *testing.T) {
	const body = "Wait **two weeks** before swimming: chlorine <fades> & dries the dots."
	tests := []struct {
		name    string
		steps   []string
		wantID  string
		preview []string
	}{
		{
			name:    "guided",
			steps:   []string{"/kb add", `Swimming after SMP: "pools" & <sea>`, "can i swim after smp\nwhen can i go in the pool", body},
			wantID:  "swimming-after-smp-pools-sea",
			preview: []string{`Swimming after SMP: "pools" & <sea>`, "two weeks", "chlorine <fades> & dries", "can i swim after smp"},
		},
		{
			name: "one message",
			steps: []string{"/kb add\n---\nid: swimming\ntitle: Swimming after SMP\nkind: explanation\nquestions: [can i swim after smp]\n" +
				"related: [pigment-depth]\n---\n" + body},
			wantID:  "swimming",
			preview: []string{"Swimming after SMP", "chlorine <fades> & dries", "can i swim after smp"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startKB(t, knowledge.Calibration{})
			var last []telegramtest.Message
			for _, s := range tt.steps {
				last = h.say(mo, s)
			}
			preview := last[len(last)-1]
			wantText(t, preview, append([]string{"Preview", tt.wantID}, tt.preview...)...)
			_, sent := h.tap(mo, preview.ButtonData("✅ Save"))
			wantText(t, only(t, sent), "Saved", tt.wantID, "revision")
			h.waitAnswer("can i swim after smp", "Swimming after SMP")
			hist, err := h.store.History(t.Context(), tt.wantID)
			if err != nil || hist[0].Author != "telegram:77 @mo" {
				t.Errorf("History(%s) = %v, %v; want one revision by telegram:77 @mo", tt.wantID, hist, err)
			}
		})
	}
}

// TestKBBadInput checks that what cannot be saved is refused with every
// problem, and that nothing changes.
func TestKBBadInput(t *testing.T) {
	h := startKB(t, knowledge.Calibration{})
	rev := head(t, h.store)
	tests := []struct {
		name string
		text string
		want []string // in the reply
	}{
		{"unsafe id", "/kb add\n---\nid: ../etc\ntitle: T\nkind: explanation\n---\nbody", []string{"Not saved yet", "id"}},
		{"empty title", "/kb add\n---\nid: t\ntitle: \"\"\nkind: explanation\n---\nbody", []string{"Not saved yet", "title"}},
		{"delimiter in body", "/kb add\n---\nid: t\ntitle: T\nkind: explanation\n---\nbody\n---\nid: evil", []string{"Not saved yet"}},
		{"not front matter", "/kb add\n<b>hello</b> & <script>", []string{"Not saved yet"}},
		{"bad synonyms", "/kb synonyms\nthe, a, an", []string{"Not saved yet", "synonyms.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := only(t, h.say(mo, tt.text))
			wantText(t, got, tt.want...)
			if len(got.Keyboard) > 0 {
				t.Errorf("reply offers buttons %q, want none", got.Buttons())
			}
			h.say(mo, "/kb cancel")
		})
	}
	t.Run("broken related link, found on saving", func(t *testing.T) {
		preview := only(t, h.say(mo, "/kb add\n---\nid: t\ntitle: T\nkind: explanation\nrelated: [no-such-entry]\n---\nbody"))
		_, sent := h.tap(mo, preview.ButtonData("✅ Save"))
		wantText(t, only(t, sent), "Nothing was changed", "no-such-entry")
	})
	if got := head(t, h.store); got != rev {
		t.Errorf("knowledge base at revision %d, want unchanged %d", got, rev)
	}
}

// TestKBEditConflict has two moderators edit one entry at once: the second
// to save is shown the newer text, merges, and saves.
func TestKBEditConflict(t *testing.T) {
	h := startKB(t, knowledge.Calibration{})
	source := func(u telegramtest.User) string {
		msgs := h.say(u, "/kb edit blurry-dots")
		wantText(t, msgs[0], "Editing blurry-dots", "kb revision")
		var all strings.Builder
		for _, m := range msgs {
			all.WriteString(m.Text)
		}
		_, text, _ := strings.Cut(all.String(), "started from.\n\n")
		text, _, _ = strings.Cut(text, "\n\n/kb cancel")
		return text
	}
	moText, maxText := source(mo), source(kim)

	preview := only(t, h.say(kim, strings.Replace(maxText, "too deep", "too deep (kim)", 1)))
	_, sent := h.tap(kim, preview.ButtonData("✅ Save"))
	wantText(t, only(t, sent), "Saved")

	preview = only(t, h.say(mo, strings.Replace(moText, "Dots blur", "Dots (mo) blur", 1)))
	_, sent = h.tap(mo, preview.ButtonData("✅ Save"))
	conflict := sent[0]
	wantText(t, conflict, "Nothing was changed", "changed in revision", "telegram:78", "too deep (kim)")

	// The conversation resumes: mo sends the merged text.
	merged := strings.Replace(strings.SplitN(conflict.Text, "try again. Or /kb cancel:\n\n", 2)[1], "Dots blur", "Dots (mo) blur", 1)
	preview = only(t, h.say(mo, merged))
	_, sent = h.tap(mo, preview.ButtonData("✅ Save"))
	wantText(t, only(t, sent), "Saved")
	h.waitAnswer("why are my smp dots blurry", "Why SMP dots blur")
	text, _, err := h.store.Text(t.Context(), "blurry-dots")
	if err != nil || !strings.Contains(text, "(mo)") || !strings.Contains(text, "(kim)") {
		t.Errorf("blurry-dots after both edits = %q, %v; want both changes", text, err)
	}
}

// TestKBHistory removes an entry, brings it back, and reverts it, checking
// what people are answered after each.
func TestKBHistory(t *testing.T) {
	h := startKB(t, knowledge.Calibration{})
	preview := only(t, h.say(mo, "/kb rm infection-signs"))
	wantText(t, preview, "Remove", "Signs of infection after SMP")
	_, sent := h.tap(mo, preview.ButtonData("🗑 Remove"))
	wantText(t, only(t, sent), "Removed")
	if _, _, err := h.store.Text(t.Context(), "infection-signs"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Fatalf("Source after rm: %v, want ErrNotFound", err)
	}
	wantText(t, only(t, h.say(mo, "/kb undo infection-signs")), "Saved", "undo of revision")
	h.waitAnswer("signs of infection after smp", "Signs of infection after SMP")
	wantText(t, only(t, h.say(mo, "/kb question infection-signs my scalp itches after smp")), "Saved", "added question")

	hist := only(t, h.say(mo, "/kb history infection-signs"))
	wantText(t, hist, "History of infection-signs", "telegram:77 @mo · put · added question", "remove", "seed")
	first, _ := h.store.History(t.Context(), "infection-signs")
	wantText(t, only(t, h.say(mo, fmt.Sprintf("/kb revert infection-signs %d", first[0].Rev))), "Saved", fmt.Sprintf("revert to revision %d", first[0].Rev))
	wantText(t, only(t, h.say(mo, fmt.Sprintf("/kb revert infection-signs %d", first[0].Rev))), "Nothing to change")
	wantText(t, only(t, h.say(mo, "/kb source infection-signs")), "id: infection-signs", "kb revision")
	wantText(t, only(t, h.say(mo, "/kb history no-such")), "Nothing was done", "not found")
}

// TestKBGap turns a question nobody got an answer to into an alternate
// question of an entry; the next person asking it gets the entry.
func TestKBGap(t *testing.T) {
	h := startKB(t, knowledge.Calibration{MinCoverage: 1})
	const q = "does pigment depth change with sunburn"
	wantText(t, only(t, h.say(ann, q)), knowledge.NotCovered)

	gaps := only(t, h.say(mo, "/kb gaps"))
	wantText(t, gaps, "1, newest first", q, "asked 1×")
	_, sent := h.tap(mo, gaps.Keyboard[0][0].Data)
	pick := only(t, sent)
	wantText(t, pick, "Which entry answers", q)
	_, sent = h.tap(mo, pick.ButtonData("How deep SMP pigment should go"))
	wantText(t, only(t, sent), "Saved", "pigment-depth", "added question")
	wantText(t, only(t, h.say(mo, "/kb gaps")), "No open gaps")
	h.waitAnswer(q, "How deep SMP pigment should go")
}

// TestKBGapOutOfScope: a question declined as out of scope is answered on
// purpose, so it is no gap; a moderator's lookup is nobody asking.
func TestKBGapOutOfScope(t *testing.T) {
	h := startKB(t, knowledge.Calibration{})
	wantText(t, only(t, h.say(ann, "what depth is the pacific ocean")), "I only cover SMP safety", "how deep the sea is")
	wantText(t, only(t, h.say(mo, "/kb gaps")), "No open gaps")

	strict := startKB(t, knowledge.Calibration{MinCoverage: 1})
	const q = "does pigment depth change with sunburn"
	wantText(t, only(t, strict.say(ann, q)), knowledge.NotCovered)
	gaps := only(t, strict.say(mo, "/kb gaps"))
	_, sent := strict.tap(mo, gaps.Keyboard[0][0].Data)
	wantText(t, only(t, sent), "Which entry answers", q)
	wantText(t, only(t, strict.say(mo, "/kb gaps")), q, "asked 1×")
}

// TestKBInlineIsNoGap: an inline query comes each time its writer pauses
// while typing, so a fragment nothing answers is no gap.
func TestKBInlineIsNoGap(t *testing.T) {
	h := startKB(t, knowledge.Calibration{MinCoverage: 1})
	ids := h.f.Push(telegramtest.InlineQuery("draft", ann, "does pigment depth chan"))
	if got := telegramtest.Calls(h.waitHandled(ids[0]), "answerInlineQuery"); len(got) != 1 {
		t.Fatalf("inline query answered %d times, want once", len(got))
	}
	wantText(t, only(t, h.say(mo, "/kb gaps")), "No open gaps")
	wantText(t, only(t, h.say(ann, "does pigment depth change with sunburn")), knowledge.NotCovered)
	wantText(t, only(t, h.say(mo, "/kb gaps")), "does pigment depth change with sunburn", "asked 1×")
}

func TestKBSynonymsAndFeedback(t *testing.T) {
	h := startKB(t, knowledge.Calibration{})
	shown := h.say(mo, "/kb synonyms")
	wantText(t, shown[0], "Synonyms", "kb revision")
	preview := only(t, h.say(mo, "ink, pigment"))
	wantText(t, preview, "Preview", "ink, pigment")
	_, sent := h.tap(mo, preview.ButtonData("✅ Save"))
	wantText(t, only(t, sent), "Saved", "synonyms.txt")

	answer := only(t, h.say(ann, depthQuestion))
	h.tap(ann, answer.ButtonData("👎 Not helpful"))
	wantText(t, only(t, h.say(mo, "/kb feedback")), "pigment-depth 👍 0 👎 1")
}

// TestKBTimeout lets a conversation lapse: the next message says so and
// changes nothing, and is not taken for a question.
func TestKBTimeout(t *testing.T) {
	var clock atomic.Int64 // nanoseconds past now
	now := time.Now()
	h := start(t, options{moderators: []int64{mo.ID}, now: func() time.Time { return now.Add(time.Duration(clock.Load())) }})
	wantText(t, only(t, h.say(mo, "/kb add")), "step 1 of 3")
	clock.Store(int64(DefaultModerationTimeout + time.Second))
	wantText(t, only(t, h.say(mo, "A title")), "lapsed")
	wantText(t, only(t, h.say(mo, depthQuestion)), "How deep SMP pigment should go")
}

// TestKBUnwritable makes the storage fail a moderator's save. The save fails
// with a clear message and changes nothing, people keep getting answers, and
// once the storage is back the same change saves.
func TestKBUnwritable(t *testing.T) {
	h := startKB(t, knowledge.Calibration{})
	rev := head(t, h.store)
	original, _, err := h.store.Text(t.Context(), "blurry-dots")
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(original, "too deep", "too deep (edited)", 1)
	h.say(kim, "/kb edit blurry-dots")
	preview := only(t, h.say(kim, edited))

	h.store.mem.FailWith(errors.New("disk failed"))
	_, sent := h.tap(kim, preview.ButtonData("✅ Save"))
	wantText(t, only(t, sent), knowledge.StorageFailedNotice)
	h.logs.waitFor(t, "moderation failed", "disk failed")
	h.store.mem.FailWith(nil)
	if got := head(t, h.store); got != rev {
		t.Errorf("after the failed save the knowledge base is at revision %d, want %d", got, rev)
	}
	wantText(t, only(t, h.say(ann, "why are my smp dots blurry")), "Why SMP dots blur")

	h.say(kim, "/kb edit blurry-dots")
	preview = only(t, h.say(kim, edited))
	_, sent = h.tap(kim, preview.ButtonData("✅ Save"))
	wantText(t, only(t, sent), "Saved")
	h.waitAnswer("why are my smp dots blurry", "too deep (edited)")
}
