package telegram

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/smpbot/bot/adapters/telegram/telegramtest"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/markdown"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name.golden, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s (run go test -update after checking):\ngot:\n%s\nwant:\n%s", name, path, got, want)
	}
}

func TestMarkdownHTML(t *testing.T) {
	tests := []struct{ name, md string }{
		{"paragraphs", "First line\ncontinues here.\n\nSecond paragraph."},
		{"emphasis", "**bold**, *italic*, **bold with *italic* inside**, *italic with **bold** inside*, `code <x>`."},
		{"unpaired markers", "2 * 3 = 6, a ** b, *open italic, **open bold, ` lone tick, [no link], [text](no-close"},
		{"escaping", `Tom & Jerry <script>alert("x")</script> 5 > 3 &amp; \*not italic\*`},
		{"links", `[safe](https://example.org/a?b=1&c="2") [js](javascript:alert(1)) [**bold link**](https://example.org/(x)) [rel](/relative)`},
		{"lists", "Intro:\n- one\n- two\n  continued\n  - nested\n\n1. first\n2. second\n   - mixed"},
		{"headings", "# Title\n\n## Sub *title*\n\nText."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := markdownHTML(tt.md)
			if _, err := telegramtest.ParseHTML(got); err != nil {
				t.Errorf("markdownHTML(%q) = %q: %v", tt.md, got, err)
			}
			golden(t, "markdown-"+strings.ReplaceAll(tt.name, " ", "-"), got+"\n")
		})
	}
}

func TestReplies(t *testing.T) {
	depth := &knowledge.Entry{ID: "pigment-depth", Title: "Depth <&> \"quotes\"", Kind: knowledge.Explanation,
		Body:    "Pigment goes in the **upper dermis**.\n\n- Not too deep.\n- See [source](https://example.org/?a=1&b=2).",
		Sources: []knowledge.Source{{Title: "Source <1>", URL: "https://example.org/?a=1&b=2"}, {Title: "Not a link", URL: "javascript:x"}}}
	blur := &knowledge.Entry{ID: "blurry-dots", Title: "Why dots blur", Kind: knowledge.Explanation, Body: "Too deep."}
	guide := knowledge.Source{Title: "The guide", URL: "https://example.org/guide"}
	step1 := &knowledge.Entry{ID: "step-1", Title: "Step 1: Training", Kind: knowledge.Checklist, Checklist: "choosing-a-practitioner", Step: 1,
		Sources: []knowledge.Source{guide, {Title: "Academies", URL: "https://example.org/academies"}}}
	step2 := &knowledge.Entry{ID: "step-2", Title: "Step 2: Reviews & results", Kind: knowledge.Checklist, Checklist: "choosing-a-practitioner", Step: 2,
		Sources: []knowledge.Source{guide}}
	tests := []struct {
		name  string
		reply reply
	}{
		{"answer", answerReply(&knowledge.Answer{Question: "how deep", Answered: true,
			Matches: []knowledge.Match{{Entry: depth}}, Checklist: []*knowledge.Entry{step1, step2},
			Related: []*knowledge.Entry{blur}, Sources: depth.Sources})},
		{"answer urgent truncated", answerReply(&knowledge.Answer{Question: "my scalp is swollen", Answered: true, Urgent: true, Truncated: true,
			Matches: []knowledge.Match{{Entry: blur}}})},
		{"not covered", answerReply(&knowledge.Answer{Question: `<b>hi</b> & @someone`,
			Matches: []knowledge.Match{{Entry: depth}, {Entry: blur}}})},
		{"not covered, nothing close", answerReply(&knowledge.Answer{Question: "weather?"})},
		{"declined", answerReply(&knowledge.Answer{Question: "fue or fut?",
			Declined: &knowledge.Entry{ID: "not-transplants", Title: "Hair transplants", Kind: knowledge.OutOfScope,
				Body: "I only cover SMP. For transplants, ask a **hair-restoration surgeon** <today>."},
			Matches: []knowledge.Match{{Entry: blur}}})},
		{"short answer", shortReply(&knowledge.Answer{Question: "how deep", Answered: true,
			Matches: []knowledge.Match{{Entry: depth}}, Checklist: []*knowledge.Entry{step1, step2},
			Related: []*knowledge.Entry{blur}, Sources: depth.Sources})},
		{"short answer urgent truncated", shortReply(&knowledge.Answer{Question: "my scalp is swollen", Answered: true, Urgent: true, Truncated: true,
			Matches: []knowledge.Match{{Entry: blur}}})},
		{"inline article", articleReply(inlineArticle(&knowledge.Answer{Question: depth.Title, Answered: true, Urgent: true,
			Matches: []knowledge.Match{{Entry: depth}}, Checklist: []*knowledge.Entry{step1, step2}, Sources: depth.Sources}, true, "smp_bot"))},
		{"inline full", editReply(inlineFull(&knowledge.Answer{Question: depth.Title, Answered: true, Urgent: true,
			Matches: []knowledge.Match{{Entry: depth}}, Checklist: []*knowledge.Entry{step1, step2}, Related: []*knowledge.Entry{blur}, Sources: depth.Sources}, "smp_bot"))},
		{"entry", entryReply(depth)},
		{"checklist", checklistReply([]*knowledge.Entry{step1, step2})},
		{"topics", topicsReply([]*knowledge.Entry{depth, blur})},
		{"start", startReply("smp_bot")},
		{"help", helpReply("smp_bot")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			for i, p := range tt.reply.parts {
				if _, err := telegramtest.ParseHTML(p); err != nil {
					t.Errorf("part %d is not valid Telegram HTML: %v\n%s", i+1, err, p)
				}
				fmt.Fprintf(&b, "--- part %d\n%s\n", i+1, p)
			}
			if tt.reply.keyboard != nil {
				b.WriteString("--- keyboard\n")
				for _, row := range tt.reply.keyboard.InlineKeyboard {
					for _, btn := range row {
						fmt.Fprintf(&b, "[%s → %s] ", btn.Text, *btn.CallbackData)
					}
					b.WriteString("\n")
				}
			}
			golden(t, "reply-"+strings.NewReplacer(" ", "-", ",", "").Replace(tt.name), b.String())
		})
	}
}

// TestSplitLong splits a long, deeply formatted answer as a reply is
// split: every part is valid Telegram HTML within the limit, and nothing is
// lost. (knowledge/markdown tests where SplitTelegram cuts.)
func TestSplitLong(t *testing.T) {
	para := func(n int, word string) string { return strings.TrimSpace(strings.Repeat(word+" ", n)) }
	var blocks []string
	for i := range 40 {
		blocks = append(blocks, fmt.Sprintf("<b>Heading %d</b>\n<i>%s <a href=\"https://example.org/?a=1&amp;b=%d\">%s</a></i>", i, para(30, "word&amp;"), i, para(10, "link")))
	}
	blocks = append(blocks, "<b>"+para(2000, "huge")+"</b>")
	msg := strings.Join(blocks, "\n\n")
	parts := markdown.SplitTelegram(msg, maxMessageLen)
	var text strings.Builder
	for i, p := range parts {
		if n := markdown.TelegramLen(p); n > maxMessageLen {
			t.Errorf("part %d is %d long, over %d", i+1, n, maxMessageLen)
		}
		visible, err := telegramtest.ParseHTML(p)
		if err != nil {
			t.Errorf("part %d: %v", i+1, err)
		}
		text.WriteString(visible)
	}
	whole, _ := telegramtest.ParseHTML(msg)
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	if squash(text.String()) != squash(whole) {
		t.Errorf("SplitTelegram lost or repeated text")
	}
}

func TestEscapeUser(t *testing.T) {
	got := escapeUser(`<b>x</b> & "q" @someone`)
	if want := "&lt;b&gt;x&lt;/b&gt; &amp; &quot;q&quot; @\u2060someone"; got != want {
		t.Errorf("escapeUser = %q, want %q", got, want)
	}
}

func TestCallbackData(t *testing.T) {
	for _, id := range []string{"a", strings.Repeat("x", 62), strings.Repeat("y", 63), longID} {
		for _, action := range []byte{actionTopic, actionHelpful, actionUseless} {
			if data := callbackData(action, id); len(data) > maxCallbackData || data[0] != action {
				t.Errorf("callbackData(%c, %q) = %q: over %d bytes or wrong action", action, id, data, maxCallbackData)
			}
		}
	}
}

// articleReply and editReply are an inline result and its full answer as
// the one-message replies they are.
func articleReply(a tgbotapi.InlineQueryResultArticle) reply {
	return reply{parts: []string{a.InputMessageContent.(tgbotapi.InputTextMessageContent).Text}, keyboard: a.ReplyMarkup}
}

func editReply(e tgbotapi.EditMessageTextConfig) reply {
	return reply{parts: []string{e.Text}, keyboard: e.ReplyMarkup}
}
