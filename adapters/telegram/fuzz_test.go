package telegram

import (
	"strings"
	"testing"

	"github.com/smpbot/bot/adapters/telegram/telegramtest"
	"github.com/smpbot/bot/knowledge/knowledgetest"
	"github.com/smpbot/bot/knowledge/markdown"
)

// The seed corpora are the test knowledge base (added here) and the inputs
// under testdata/fuzz. Run one target at a time, for example:
//
//	go test -run='^$' -fuzz='^FuzzMarkdownHTML$' -fuzztime=30s ./adapters/telegram

// FuzzMarkdownHTML renders an entry body of arbitrary Markdown, repeated to
// make it long, and splits it as a reply is split: every part must be valid
// Telegram HTML within the message limit, and the parts together must show
// the text of the whole, but for the whitespace at the cuts.
func FuzzMarkdownHTML(f *testing.F) {
	for _, e := range testBase(f).Entries() {
		f.Add(e.Body, uint8(1))
		f.Add(e.Body, uint8(60))
	}
	f.Fuzz(func(t *testing.T, md string, repeat uint8) {
		body := knowledgetest.Answer(knowledgetest.Shape{Body: md, Repeat: int(repeat), Matches: 1}).Matches[0].Body
		msg := markdownHTML(body)
		whole, err := telegramtest.ParseHTML(msg)
		if err != nil {
			t.Fatalf("markdownHTML(%q) = %q: %v", body, msg, err)
		}
		if strings.TrimSpace(whole) == "" {
			return // a reply always shows the entry's title as well
		}
		rest := whole
		for i, part := range markdown.SplitTelegram(msg, maxMessageLen) {
			text := strings.TrimLeft(checkPart(t, part), " \n")
			rest = strings.TrimLeft(rest, " \n")
			if !strings.HasPrefix(rest, text) {
				t.Fatalf("markdown.SplitTelegram(markdownHTML(%q)): part %d shows %q, want a continuation of the whole: %q", body, i+1, text, rest)
			}
			rest = rest[len(text):]
		}
		if strings.TrimSpace(rest) != "" {
			t.Errorf("markdown.SplitTelegram(markdownHTML(%q)) lost the end of the text: %q", body, rest)
		}
	})
}

// FuzzAnswerReply renders answers of any shape, built from arbitrary
// titles, bodies, sources and questions, in full, in short and inline:
// every message of every reply must be valid Telegram HTML within the
// message limit, with buttons Telegram accepts.
func FuzzAnswerReply(f *testing.F) {
	for _, e := range testBase(f).Entries() {
		src := ""
		if len(e.Sources) > 0 {
			src = e.Sources[0].URL
		}
		f.Add(e.Title, e.Body, "how deep should the pigment go", e.ID, src, uint8(1), uint8(2), uint8(3), uint8(3), uint8(2), uint8(1))
	}
	f.Fuzz(func(t *testing.T, title, body, question, sourceTitle, sourceURL string, repeat, matches, steps, related, sources, flags uint8) {
		a := knowledgetest.Answer(knowledgetest.Shape{
			Title: title, Body: body, SourceTitle: sourceTitle, SourceURL: sourceURL, Repeat: int(repeat),
			Question: question,
			Matches:  int(matches % 8), Steps: int(steps % 32), Related: int(related % 8), Sources: int(sources % 32),
			Answered: flags&1 != 0, Urgent: flags&2 != 0, Truncated: flags&4 != 0,
		})
		replies := []reply{answerReply(a), shortReply(a)}
		if len(a.Matches) > 0 { // every match has the same text
			e := a.Matches[0].Entry
			replies = append(replies, entryReply(e))
			shown := *a // as Show gives it: answered by its one entry
			shown.Answered = true
			replies = append(replies, articleReply(inlineArticle(&shown, !a.Answered, "smp_bot")), editReply(inlineFull(&shown, "smp_bot")))
		}
		for _, r := range replies {
			for _, part := range r.parts {
				checkPart(t, part)
			}
			if r.keyboard == nil {
				continue
			}
			for _, row := range r.keyboard.InlineKeyboard {
				for _, b := range row {
					if b.Text == "" || b.CallbackData == nil || *b.CallbackData == "" || len(*b.CallbackData) > maxCallbackData {
						t.Errorf("button %q has callback data %v: want 1 to %d bytes and a label", b.Text, b.CallbackData, maxCallbackData)
					}
				}
			}
		}
	})
}

// checkPart fails the test unless part is a message Telegram accepts:
// valid HTML of its subset, within the length limit, with text to show. It
// returns the text a reader sees.
func checkPart(t *testing.T, part string) string {
	t.Helper()
	text, err := telegramtest.ParseHTML(part)
	switch {
	case err != nil:
		t.Fatalf("part is not valid Telegram HTML: %v\n%s", err, part)
	case markdown.TelegramLen(part) > maxMessageLen: // the HTML is never shorter than the text Telegram counts
		t.Fatalf("part is %d UTF-16 code units long, over %d:\n%s", markdown.TelegramLen(part), maxMessageLen, part)
	case strings.TrimSpace(text) == "":
		t.Fatalf("part shows no text:\n%q", part)
	}
	return text
}
