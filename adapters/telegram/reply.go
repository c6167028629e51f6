package telegram

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/markdown"
)

// reply is a rendered message: its parts, each within Telegram's limit, and
// the keyboard shown under the last one.
type reply struct {
	parts    []string
	keyboard *tgbotapi.InlineKeyboardMarkup
}

// newReply joins blocks of HTML with blank lines and splits the result.
func newReply(keyboard [][]tgbotapi.InlineKeyboardButton, blocks ...string) reply {
	r := reply{parts: markdown.SplitTelegram(strings.Join(blocks, "\n\n"), maxMessageLen)}
	if len(keyboard) > 0 {
		r.keyboard = &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: keyboard}
	}
	return r
}

// Callback actions: the first byte of a button's callback data.
const (
	actionTopic      = 't'
	actionHelpful    = 'y'
	actionUseless    = 'n'
	actionFull       = 'f' // the full answer under a short one
	actionFullUrgent = 'u' // the same, to a question that got the urgent notice
)

// maxCallbackData is Telegram's limit on a button's callback data, in bytes.
const maxCallbackData = 64

// callbackData encodes an action on an entry. Entry ids are at most 64
// bytes, so the longest are replaced by a hash that entryRef can resolve.
func callbackData(action byte, id string) string {
	if 2+len(id) <= maxCallbackData {
		return string(action) + ":" + id
	}
	return string(action) + ":" + idHash(id)
}

// idHash is a short stand-in for an entry id in callback data. It starts
// with '#', which no entry id contains.
func idHash(id string) string {
	sum := sha256.Sum256([]byte(id))
	return "#" + base64.RawURLEncoding.EncodeToString(sum[:16])
}

// maxButtonRunes keeps a topic button's label to one line on a phone.
const maxButtonRunes = 60

// disclaimerHTML is the one-line note under every answer.
func disclaimerHTML() string { return "<i>" + escape(knowledge.Disclaimer) + "</i>" }

// answerReply renders an answer in full, as a private chat gets it: the
// urgent notice first, then the entry that answers (or a kind "not covered"
// with the closest topics), the checklist that applies and the sources, with
// related topics and feedback buttons below.
func answerReply(a *knowledge.Answer) reply {
	blocks, rows := answerBlocks(a)
	return newReply(rows, blocks...)
}

// answerBlocks are the blocks of HTML and the keyboard rows of answerReply.
func answerBlocks(a *knowledge.Answer) ([]string, [][]tgbotapi.InlineKeyboardButton) {
	blocks := noticeBlocks(a)
	best := a.Best()
	if best == nil {
		blocks = append(blocks, markdownHTML(a.NotCoveredText()), "You asked: <i>"+escapeUser(a.Question)+"</i>")
		var rows [][]tgbotapi.InlineKeyboardButton
		for _, m := range a.Matches {
			rows = append(rows, topicButton(m.Entry))
		}
		if len(rows) > 0 {
			blocks = append(blocks, escape(knowledge.ClosestTopicsNotice))
		}
		return append(blocks, disclaimerHTML()), rows
	}
	blocks = append(blocks, titledHTML(best, best.Body))
	if len(a.Checklist) > 0 {
		blocks = append(blocks, checklistHTML(a.Checklist))
	}
	if len(a.Sources) > 0 {
		blocks = append(blocks, sourcesHTML(a.Sources))
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, e := range a.Related {
		rows = append(rows, topicButton(e))
	}
	rows = append(rows, feedbackButtons(best.ID))
	return append(blocks, disclaimerHTML()), rows
}

// shortReply renders an answer where a whole entry would be noise, in a
// group: the short answer and the checklist that applies, with a button for
// the full answer. An answer with no entry reads as answerReply's.
func shortReply(a *knowledge.Answer) reply {
	best := a.Best()
	if best == nil {
		return answerReply(a)
	}
	return newReply([][]tgbotapi.InlineKeyboardButton{fullButton(best.ID, a.Urgent), feedbackButtons(best.ID)}, shortBlocks(a)...)
}

// shortBlocks are the blocks of HTML of an answer's short form, which has a
// best entry.
func shortBlocks(a *knowledge.Answer) []string {
	best := a.Best()
	blocks := append(noticeBlocks(a), titledHTML(best, best.Short()))
	if len(a.Checklist) > 0 {
		blocks = append(blocks, checklistHTML(a.Checklist))
	}
	return append(blocks, disclaimerHTML())
}

// noticeBlocks are what comes before an answer: the urgent notice, and a
// note that a long question was cut.
func noticeBlocks(a *knowledge.Answer) []string {
	var blocks []string
	if a.Urgent {
		blocks = append(blocks, urgentHTML())
	}
	if a.Truncated {
		blocks = append(blocks, "<i>"+escape(knowledge.LongQuestionNotice)+"</i>")
	}
	return blocks
}

// entryReply renders one entry on its own, as shown when a topic button is
// tapped.
func entryReply(e *knowledge.Entry) reply {
	return newReply([][]tgbotapi.InlineKeyboardButton{feedbackButtons(e.ID)}, entryBlocks(e)...)
}

// entryBlocks are an entry with its sources and the disclaimer.
func entryBlocks(e *knowledge.Entry) []string {
	blocks := []string{titledHTML(e, e.Body)}
	if len(e.Sources) > 0 {
		blocks = append(blocks, sourcesHTML(e.Sources))
	}
	return append(blocks, disclaimerHTML())
}

func urgentHTML() string { return "<b>" + escape(knowledge.UrgentNotice) + "</b>" }

// titledHTML is an entry's title over md, its body or its short answer.
func titledHTML(e *knowledge.Entry, md string) string {
	return "<b>" + escape(e.Title) + "</b>\n\n" + markdownHTML(md)
}

// checklistHTML lists the steps of a checklist in order, under its name.
func checklistHTML(steps []*knowledge.Entry) string {
	name := strings.ReplaceAll(steps[0].Checklist, "-", " ")
	lines := []string{"<b>Checklist: " + escape(name) + "</b>"}
	for _, s := range steps {
		lines = append(lines, "• "+escape(s.Title))
	}
	return strings.Join(lines, "\n")
}

func sourcesHTML(sources []knowledge.Source) string {
	lines := []string{"<b>Sources</b>"}
	for _, s := range sources {
		title := escape(s.Title)
		if markdown.SafeURL(s.URL) {
			title = `<a href="` + escape(s.URL) + `">` + title + "</a>"
		}
		lines = append(lines, "• "+title)
	}
	return strings.Join(lines, "\n")
}

func topicButton(e *knowledge.Entry) []tgbotapi.InlineKeyboardButton {
	return tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(shorten(e.Title, maxButtonRunes), callbackData(actionTopic, e.ID)))
}

// fullButton asks for the full answer under a short one; urgent keeps the
// urgent notice at its head.
func fullButton(id string, urgent bool) []tgbotapi.InlineKeyboardButton {
	action := byte(actionFull)
	if urgent {
		action = actionFullUrgent
	}
	return tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("📖 Full answer", callbackData(action, id)))
}

func feedbackButtons(id string) []tgbotapi.InlineKeyboardButton {
	return tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("👍 Helpful", callbackData(actionHelpful, id)),
		tgbotapi.NewInlineKeyboardButtonData("👎 Not helpful", callbackData(actionUseless, id)),
	)
}

// shorten cuts s to at most n runes, marking the cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// checklistReply renders the /checklist command: the steps in order and
// their sources, with a button to read each step in full.
func checklistReply(steps []*knowledge.Entry) reply {
	if len(steps) == 0 {
		return newReply(nil, "The checklist is not available right now. Please try again later.")
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, s := range steps {
		rows = append(rows, topicButton(s))
	}
	blocks := []string{checklistHTML(steps), "Tap a step to read it in full."}
	if sources := knowledge.SourcesOf(steps); len(sources) > 0 {
		blocks = append(blocks, sourcesHTML(sources))
	}
	return newReply(rows, append(blocks, disclaimerHTML())...)
}

// topicsReply renders the /topics command: every topic as a button.
func topicsReply(topics []*knowledge.Entry) reply {
	if len(topics) == 0 {
		return newReply(nil, "There are no topics right now. Please try again later.")
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, e := range topics {
		rows = append(rows, topicButton(e))
	}
	return newReply(rows, "<b>Topics</b>\n\nTap one to read it, or just ask me a question.")
}

// startReply says what the bot does, how to ask it and that it gives no
// medical advice.
func startReply(username string) reply {
	return newReply(nil,
		"Hi! I answer questions about the <b>safety of scalp micropigmentation (SMP)</b>: choosing a practitioner, pigment depth, healing, and what bad results look like. My answers come from a guide on avoiding bad SMP results and the medical sources it cites.",
		howToAskHTML(username),
		disclaimerHTML())
}

// helpReply lists the commands and the ways to ask.
func helpReply(username string) reply {
	lines := []string{"<b>Commands</b>"}
	for _, c := range botCommands() {
		lines = append(lines, "/"+c.Command+" — "+escape(c.Description))
	}
	return newReply(nil, howToAskHTML(username), strings.Join(lines, "\n"), disclaimerHTML())
}

func howToAskHTML(username string) string {
	at := "@" + escape(username)
	return "<b>How to ask</b>\n" +
		"• Here, just write your question, for example: <i>how deep should SMP pigment go?</i>\n" +
		"• In a group, write /ask and your question, mention " + at + ", or reply to one of my messages.\n" +
		"• In any chat, type " + at + " and your question to share an answer."
}

// botCommands are the commands registered with setMyCommands.
func botCommands() []tgbotapi.BotCommand {
	return []tgbotapi.BotCommand{
		{Command: "start", Description: "What this bot does"},
		{Command: "help", Description: "How to ask, and the commands"},
		{Command: "ask", Description: "Ask a question about SMP safety"},
		{Command: "checklist", Description: "Checklist for choosing an SMP practitioner"},
		{Command: "topics", Description: "Browse the topics"},
	}
}

// Short replies.
const (
	askHint      = knowledge.AskNotice + " <i>/ask " + knowledge.AskExample + "</i>"
	staleButton  = knowledge.StaleButtonNotice
	thanksToast  = "Thanks for your feedback!"
	openChatText = "Open a chat with me to read that topic."
)

// inlineArticle renders an inline-mode result: a, the answer that shows one
// entry (see knowledge.Service.Show), in its short form, with a button for
// the full answer. closest says the entry may not answer the question.
func inlineArticle(a *knowledge.Answer, closest bool, username string) tgbotapi.InlineQueryResultArticle {
	e := a.Best()
	art := tgbotapi.InlineQueryResultArticle{
		Type:                "article",
		ID:                  e.ID,
		Title:               e.Title,
		InputMessageContent: tgbotapi.InputTextMessageContent{Text: oneMessage(shortBlocks(a), username), ParseMode: tgbotapi.ModeHTML, DisableWebPagePreview: true},
		ReplyMarkup:         &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{fullButton(e.ID, a.Urgent), feedbackButtons(e.ID)}},
	}
	if closest {
		art.Description = "Closest topic: it may not answer your question"
	}
	return art
}

// inlineFull renders the full answer that replaces an inline result's short
// one when its button is pressed.
func inlineFull(a *knowledge.Answer, username string) tgbotapi.EditMessageTextConfig {
	blocks, _ := answerBlocks(a)
	markup := tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{feedbackButtons(a.Best().ID)}}
	return tgbotapi.EditMessageTextConfig{
		BaseEdit:              tgbotapi.BaseEdit{ReplyMarkup: &markup},
		Text:                  oneMessage(blocks, username),
		ParseMode:             tgbotapi.ModeHTML,
		DisableWebPagePreview: true,
	}
}

// oneMessage joins blocks into one message, as an inline message must be,
// cutting a long one with a note pointing to the whole answer.
func oneMessage(blocks []string, username string) string {
	note := "\n\n<i>(Shortened: ask @" + escape(username) + " for the whole answer.)</i>"
	text := strings.Join(blocks, "\n\n")
	if parts := markdown.SplitTelegram(text, maxMessageLen-markdown.TelegramLen(note)); len(parts) > 1 {
		text = parts[0] + note
	}
	return text
}
