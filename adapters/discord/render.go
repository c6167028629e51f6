package discord

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/markdown"
)

// Discord's limits on what one message may hold, in characters.
const (
	maxContent     = 2000
	maxTitle       = 256
	maxAuthorName  = 256
	maxDescription = 4096
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFields      = 25
	// maxEmbedChars caps the titles, descriptions, fields and footers of all
	// the embeds of one message together.
	maxEmbedChars  = 6000
	maxEmbeds      = 10
	maxButtonLabel = 80
	maxRowButtons  = 5
	maxRows        = 5
	maxMenuOptions = 25
	maxOptionLabel = 100
)

// Embed colours.
const (
	colorAnswer  = 0x2b7a78
	colorUrgent  = 0xd32f2f
	colorNeutral = 0x99aab5
)

// message is one Discord message of a reply, ready to send.
type message struct {
	Content    string                       `json:"content,omitempty"`
	Embeds     []*discordgo.MessageEmbed    `json:"embeds,omitempty"`
	Components []discordgo.MessageComponent `json:"components,omitempty"`
}

// notice is a reply of one short plain-text message.
func notice(text string) []message {
	return []message{{Content: truncate(text, maxContent)}}
}

// askedPrefix starts the author line of an answer to a question.
const askedPrefix = "You asked: "

// renderAnswer lays out an answer in full, as a direct message gets it: the
// urgent notice first, then the entry (or the admission that nothing
// matched), its checklist and sources, with buttons for related topics and
// feedback under the last message. question is what the person asked, shown
// above the answer so that a 👎 on it can say what it failed to answer (see
// askedOn); it is "" for an entry opened from a button.
func renderAnswer(a *knowledge.Answer, question string) []message {
	l, content := answerHead(a, question)
	best := a.Best()
	if best == nil {
		text := markdown.Parse(a.NotCoveredText()).Discord()
		var closest []*knowledge.Entry
		for _, m := range a.Matches {
			closest = append(closest, m.Entry)
		}
		if len(closest) > 0 {
			text += "\n\n" + knowledge.ClosestTopicsNotice
		}
		l.text("Not covered", text, colorNeutral)
		return l.messages(content, append(entryButtons(closest), topicsButton()))
	}
	l.text(best.Title, markdown.Parse(best.Body).Discord(), colorAnswer)
	l.checklist(a.Checklist, best.ID)
	l.sources(a.Sources)
	rows := append(entryButtons(a.Related), feedbackButtons(best.ID))
	return l.messages(content, rows)
}

// renderShort lays out an answer where a whole entry would be noise, in a
// channel: the short answer and the checklist that applies, with a button
// for the full answer. An answer with no entry reads as renderAnswer's.
func renderShort(a *knowledge.Answer, question string) []message {
	best := a.Best()
	if best == nil {
		return renderAnswer(a, question)
	}
	l, content := answerHead(a, question)
	l.text(best.Title, markdown.Parse(best.Short()).Discord(), colorAnswer)
	l.checklist(a.Checklist, best.ID)
	return l.messages(content, []discordgo.MessageComponent{fullButton(best.ID, a.Urgent), feedbackButtons(best.ID)})
}

// answerHead starts the layout of an answer: the question as the author
// line, the urgent notice, and the content noting that a long question was
// cut.
func answerHead(a *knowledge.Answer, question string) (*layout, string) {
	l := &layout{}
	if question != "" {
		l.author = truncate(askedPrefix+question, maxAuthorName)
	}
	if a.Urgent {
		l.text("", knowledge.UrgentNotice, colorUrgent)
	}
	var content string
	if a.Truncated {
		content = "*" + knowledge.LongQuestionNotice + "*"
	}
	return l, content
}

// renderChecklist shows the practitioner checklist with a button per step,
// and the sources of its steps.
func renderChecklist(steps []*knowledge.Entry) []message {
	var l layout
	if len(steps) == 0 {
		return notice("The checklist is not available right now. Try /topics instead.")
	}
	text := fmt.Sprintf("Before you book, check these %d things. Press a step to read it.\n\n%s",
		len(steps), strings.Join(checklistLines(steps, ""), "\n"))
	l.text(checklistHeading(steps[0].Checklist), text, colorAnswer)
	l.sources(knowledge.SourcesOf(steps))
	return l.messages("", entryButtons(steps))
}

// renderTopics lists every topic, with menus to open one.
func renderTopics(topics []*knowledge.Entry) []message {
	var l layout
	lines := make([]string, len(topics))
	for i, e := range topics {
		lines[i] = "• " + e.Title
	}
	l.text("Topics", "Pick a topic from the menu, or ask in your own words with /ask.\n\n"+strings.Join(lines, "\n"), colorAnswer)
	var rows []discordgo.MessageComponent
	for i := 0; i < len(topics) && len(rows) < maxRows; i += maxMenuOptions {
		chunk := topics[i:min(i+maxMenuOptions, len(topics))]
		options := make([]discordgo.SelectMenuOption, len(chunk))
		for j, e := range chunk {
			options[j] = discordgo.SelectMenuOption{Label: truncate(e.Title, maxOptionLabel), Value: e.ID}
		}
		placeholder := "Open a topic"
		if len(topics) > maxMenuOptions {
			placeholder = fmt.Sprintf("Open a topic (%d–%d)", i+1, i+len(chunk))
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.SelectMenu{CustomID: pickID(len(rows)), Placeholder: placeholder, Options: options},
		}})
	}
	return l.messages("", rows)
}

// helpText explains how to use the bot.
const helpText = `**Ask a question** with ` + "`/ask`" + `, for example ` + "`/ask question: how deep should SMP pigment go?`" + `. Set ` + "`private`" + ` to True if only you should see the answer.

You can also **mention me** with your question in a channel, or send me a **direct message**.

• ` + "`/checklist`" + ` — three things to check before choosing a practitioner
• ` + "`/topics`" + ` — everything I can explain
• ` + "`/help`" + ` — this message

In a channel I give the short answer; press **Full answer** to read the rest, shown only to you. Under each answer you will find 👍 / 👎 buttons: tell us whether it helped.

I answer only from a reviewed guide on scalp micropigmentation (SMP) safety.`

// renderHelp explains how to use the bot.
func renderHelp() []message {
	var l layout
	l.text("How to use the SMP safety bot", helpText, colorAnswer)
	return l.messages("", nil)
}

// layout collects the embeds of a reply, each within Discord's limits, and
// packs them into messages.
type layout struct {
	embeds []*discordgo.MessageEmbed
	// author, when set, is the author line of the first embed of the first
	// message and of the message with the buttons.
	author string
}

// text adds a titled text, split over as many embeds as its length needs.
func (l *layout) text(title, text string, color int) {
	for i, chunk := range split(text, maxDescription) {
		e := &discordgo.MessageEmbed{Description: chunk, Color: color}
		if i == 0 {
			e.Title = truncate(title, maxTitle)
		}
		l.embeds = append(l.embeds, e)
	}
}

// field adds a named list to the last embed, split over as many fields (and,
// past an embed's limits, embeds) as its length needs.
func (l *layout) field(name string, lines []string) {
	for i, chunk := range split(strings.Join(lines, "\n"), maxFieldValue) {
		n := name
		if i > 0 {
			n += " (continued)"
		}
		f := &discordgo.MessageEmbedField{Name: truncate(n, maxFieldName), Value: chunk}
		last := l.embeds[len(l.embeds)-1]
		if len(last.Fields) == maxFields || embedSize(last)+size(f.Name)+size(f.Value) > l.budget() {
			last = &discordgo.MessageEmbed{Color: last.Color}
			l.embeds = append(l.embeds, last)
		}
		last.Fields = append(last.Fields, f)
	}
}

// checklist adds the steps of a checklist to the last embed, if there are
// any, marking the current one.
func (l *layout) checklist(steps []*knowledge.Entry, current string) {
	if len(steps) > 0 {
		l.field(checklistHeading(steps[0].Checklist), checklistLines(steps, current))
	}
}

// sources adds a list of sources to the last embed, if there are any.
func (l *layout) sources(sources []knowledge.Source) {
	if len(sources) == 0 {
		return
	}
	lines := make([]string, len(sources))
	for i, s := range sources {
		lines[i] = "• " + markdown.DiscordLink(s.Title, s.URL)
	}
	l.field("Sources", lines)
}

// budget is what the embeds of one message may hold besides the disclaimer
// in the footer of the last and the author line of the first.
func (l *layout) budget() int { return maxEmbedChars - size(knowledge.Disclaimer) - size(l.author) }

// messages packs the embeds into as few messages as Discord's limits allow.
// content goes on the first message and the component rows under the last;
// the disclaimer is the footer of every message's last embed.
func (l *layout) messages(content string, rows []discordgo.MessageComponent) []message {
	msgs := []message{{Content: truncate(content, maxContent)}}
	used := 0
	for _, e := range l.embeds {
		cur := &msgs[len(msgs)-1]
		n := embedSize(e)
		if len(cur.Embeds) == maxEmbeds || (len(cur.Embeds) > 0 && used+n > l.budget()) {
			msgs = append(msgs, message{})
			cur, used = &msgs[len(msgs)-1], 0
		}
		cur.Embeds = append(cur.Embeds, e)
		used += n
	}
	for _, m := range msgs {
		if len(m.Embeds) > 0 {
			m.Embeds[len(m.Embeds)-1].Footer = &discordgo.MessageEmbedFooter{Text: knowledge.Disclaimer}
		}
	}
	if l.author != "" {
		for _, m := range []message{msgs[0], msgs[len(msgs)-1]} {
			if len(m.Embeds) > 0 {
				m.Embeds[0].Author = &discordgo.MessageEmbedAuthor{Name: l.author}
			}
		}
	}
	if len(rows) > maxRows {
		rows = rows[:maxRows]
	}
	msgs[len(msgs)-1].Components = rows
	return msgs
}

// embedSize counts the characters of an embed that Discord counts against
// maxEmbedChars.
func embedSize(e *discordgo.MessageEmbed) int {
	n := size(e.Title) + size(e.Description)
	for _, f := range e.Fields {
		n += size(f.Name) + size(f.Value)
	}
	if e.Footer != nil {
		n += size(e.Footer.Text)
	}
	if e.Author != nil {
		n += size(e.Author.Name)
	}
	return n
}

// size counts characters as Discord does: in Unicode code points.
func size(s string) int { return utf8.RuneCountInString(s) }

// truncate cuts s to at most n characters, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	if size(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimRightFunc(string(r[:n-1]), unicode.IsSpace) + "…"
}

// split cuts text into pieces of at most limit characters, preferring to cut
// between paragraphs, then between lines, then between words.
func split(text string, limit int) []string {
	var pieces []string
	for size(text) > limit {
		end := len(string([]rune(text)[:limit]))
		cut := end
		for _, sep := range []string{"\n\n", "\n", " "} {
			if i := strings.LastIndex(text[:end], sep); i >= end/2 {
				cut = i
				break
			}
		}
		pieces = append(pieces, strings.TrimRightFunc(text[:cut], unicode.IsSpace))
		text = strings.TrimLeftFunc(text[cut:], unicode.IsSpace)
	}
	return append(pieces, text)
}

// entryButtons is rows of buttons that open the given entries.
func entryButtons(entries []*knowledge.Entry) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	for i := 0; i < len(entries) && len(rows) < maxRows; i += maxRowButtons {
		var buttons []discordgo.MessageComponent
		for _, e := range entries[i:min(i+maxRowButtons, len(entries))] {
			buttons = append(buttons, discordgo.Button{
				Label:    truncate(e.Title, maxButtonLabel),
				Style:    discordgo.SecondaryButton,
				CustomID: showID(e.ID),
			})
		}
		rows = append(rows, discordgo.ActionsRow{Components: buttons})
	}
	return rows
}

// topicsButton is a row with a button that opens the topic menu.
func topicsButton() discordgo.MessageComponent {
	return discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Browse all topics", Emoji: &discordgo.ComponentEmoji{Name: "📚"}, Style: discordgo.PrimaryButton, CustomID: topicsID},
	}}
}

// fullButton is a row with a button that shows the full answer under a
// short one; urgent keeps the urgent notice at its head.
func fullButton(entryID string, urgent bool) discordgo.MessageComponent {
	return discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Full answer", Emoji: &discordgo.ComponentEmoji{Name: "📖"}, Style: discordgo.PrimaryButton, CustomID: fullID(entryID, urgent)},
	}}
}

// feedbackButtons is the row of 👍 / 👎 buttons under an answer.
func feedbackButtons(entryID string) discordgo.MessageComponent {
	return discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Helpful", Emoji: &discordgo.ComponentEmoji{Name: "👍"}, Style: discordgo.SecondaryButton, CustomID: feedbackID(entryID, true)},
		discordgo.Button{Label: "Not helpful", Emoji: &discordgo.ComponentEmoji{Name: "👎"}, Style: discordgo.SecondaryButton, CustomID: feedbackID(entryID, false)},
	}}
}

// checklistHeading names a checklist for people: "choosing-a-practitioner"
// becomes "Checklist: choosing a practitioner".
func checklistHeading(name string) string {
	return "Checklist: " + strings.ReplaceAll(name, "-", " ")
}

// checklistLines numbers the steps of a checklist, marking the current one.
func checklistLines(steps []*knowledge.Entry, current string) []string {
	lines := make([]string, len(steps))
	for i, s := range steps {
		title := strings.TrimSpace(strings.TrimPrefix(s.Title, fmt.Sprintf("Step %d:", s.Step)))
		if s.ID == current {
			title = "**" + title + "** ← this step"
		}
		lines[i] = fmt.Sprintf("%d. %s", s.Step, title)
	}
	return lines
}
