package discord

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/smpbot/bot/knowledge"
)

// Moderation replies are plain text. Whatever comes from the knowledge base
// or from members (titles, questions, names) is escaped, and whole texts
// are shown in code blocks, so that nothing in them formats, links or pings.

// maxListed is the most gaps listed in text.
const maxListed = 50

// escaper escapes every character Discord's Markdown gives a meaning to,
// and breaks up @everyone and @here.
var escaper = strings.NewReplacer(
	`\`, `\\`, "*", `\*`, "_", `\_`, "~", `\~`, "`", "\\`", "|", `\|`, ">", `\>`, "<", `\<`,
	"#", `\#`, "-", `\-`, "[", `\[`, "]", `\]`, "(", `\(`, ")", `\)`, ":", `\:`, "@", "@\u200b",
)

// escape makes text from the knowledge base or a member show as it is.
func escape(s string) string { return escaper.Replace(s) }

// quote shows a member's text in quotation marks.
func quote(s string) string { return "“" + escape(truncate(s, maxOptionLabel)) + "”" }

// texts is a long text split over as many messages as it needs.
func texts(text string) []message {
	var msgs []message
	for _, piece := range split(text, maxContent) {
		msgs = append(msgs, message{Content: piece})
	}
	return msgs
}

// codeBlocks shows a heading, then text verbatim in code blocks, split
// over as many messages as it needs.
func codeBlocks(heading, text string) []message {
	// A zero-width space keeps a ``` in the text from closing the block.
	text = strings.ReplaceAll(text, "```", "`\u200b`\u200b`")
	const fence = "```\n"
	pieces := split(text, maxContent-2*len(fence)-size(heading)-2)
	msgs := make([]message, len(pieces))
	for i, p := range pieces {
		msgs[i].Content = fence + p + "\n```"
	}
	msgs[0].Content = heading + "\n" + msgs[0].Content
	return msgs
}

// renderHistory lists the revisions of an entry, oldest first.
func renderHistory(id string, hist []knowledge.Record) []message {
	lines := []string{fmt.Sprintf("History of `%s`, oldest first. `/kb revert` restores a revision, `/kb source` shows the newest.", id)}
	for _, r := range hist {
		line := fmt.Sprintf("`%d` %s · %s by %s", r.Rev, r.Time.Format("2006-01-02 15:04 MST"), r.Op, escape(r.Author))
		if r.Note != "" {
			line += " · " + escape(r.Note)
		}
		lines = append(lines, line)
	}
	return texts(strings.Join(lines, "\n"))
}

// renderGaps lists the open gaps, newest first, with a menu to turn one into
// an alternate question of an entry.
func renderGaps(gaps []knowledge.Gap) []message {
	if len(gaps) == 0 {
		return notice("No open gaps: every question asked so far got an answer.")
	}
	lines := []string{fmt.Sprintf("**%d questions nobody got an answer to**, newest first. Pick one below to make it an alternate question of an entry.", len(gaps))}
	for n, g := range gaps[:min(len(gaps), maxListed)] {
		lines = append(lines, fmt.Sprintf("%d. %s — asked %d×, last %s", n+1, quote(g.Question), g.Count, g.Last.Format("2006-01-02 15:04 MST")))
	}
	if len(gaps) > maxListed {
		lines = append(lines, fmt.Sprintf("…and %d older.", len(gaps)-maxListed))
	}
	var options []discordgo.SelectMenuOption
	for _, g := range gaps[:min(len(gaps), maxMenuOptions)] {
		options = append(options, discordgo.SelectMenuOption{
			Label: truncate(g.Question, maxOptionLabel), Value: gapRef(g.Question), Description: fmt.Sprintf("asked %d×", g.Count),
		})
	}
	msgs := texts(strings.Join(lines, "\n"))
	msgs[len(msgs)-1].Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.SelectMenu{CustomID: gapsMenuID, Placeholder: "Answer a gap with an entry", Options: options},
	}}}
	return msgs
}

// renderGapEntries asks which of the candidates answers a gap's question,
// with a menu of them and a button to dismiss the gap.
func renderGapEntries(ref, question string, cands []knowledge.Candidate) []message {
	text := fmt.Sprintf("Which entry answers %s? Its question becomes an alternate question of the entry you pick.", quote(question))
	var rows []discordgo.MessageComponent
	if len(cands) == 0 {
		text = escape(knowledge.NoCandidatesNotice) + " " + quote(question)
	} else {
		options := make([]discordgo.SelectMenuOption, len(cands))
		for j, c := range cands {
			options[j] = discordgo.SelectMenuOption{Label: truncate(c.Title, maxOptionLabel), Value: c.ID, Description: truncate(c.ID, maxOptionLabel)}
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.SelectMenu{CustomID: gapMenuID(ref, 0), Placeholder: "The closest entries", Options: options},
		}})
	}
	rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{CustomID: dismissID(ref), Label: "Dismiss: not for the knowledge base", Style: discordgo.SecondaryButton},
	}})
	return []message{{Content: text + " For another entry use `/kb question`.", Components: rows}}
}

// renderFeedback lists the 👍 and 👎 per entry, the most 👎 first, with the
// questions that earned them.
func renderFeedback(fb []knowledge.EntryFeedback, base *knowledge.Base) []message {
	if len(fb) == 0 {
		return notice("No feedback yet.")
	}
	slices.SortStableFunc(fb, func(a, b knowledge.EntryFeedback) int { return cmp.Compare(b.Down, a.Down) })
	lines := []string{"**Feedback per entry**, the most 👎 first:"}
	for _, f := range fb {
		name := "(removed)"
		if e, ok := base.Entry(f.ID); ok {
			name = escape(e.Title)
		}
		lines = append(lines, fmt.Sprintf("• %s (%s) — 👍 %d · 👎 %d", name, escape(f.ID), f.Up, f.Down))
		for _, q := range f.Unhelpful[:min(len(f.Unhelpful), 3)] {
			lines = append(lines, "  👎 "+quote(q))
		}
	}
	return texts(strings.Join(lines, "\n"))
}
