package discord

import (
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/smpbot/bot/knowledge"
)

// Text inputs of the moderation forms, by custom id.
const (
	fieldID        = "id"
	fieldTitle     = "title"
	fieldQuestions = "questions"
	fieldSources   = "sources"
	fieldBody      = "body"
	fieldSynonyms  = "synonyms"
)

// Discord's limits on a form: its title, and the text of one input.
const (
	maxModalTitle = 45
	maxInput      = 4000
)

// entryModal is the form that adds (withID) or edits an entry, prefilled
// from e, or nil when e does not fit in it.
func entryModal(customID, title string, e *knowledge.Entry, withID bool) *discordgo.InteractionResponseData {
	var sources []string
	for _, s := range e.Sources {
		sources = append(sources, s.Title+" | "+s.URL)
	}
	input := func(id, label string, style discordgo.TextInputStyle, value, placeholder string, required bool, max int) discordgo.MessageComponent {
		return discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: id, Label: label, Style: style, Value: value, Placeholder: placeholder, Required: required, MaxLength: max,
		}}}
	}
	rows := []discordgo.MessageComponent{
		input(fieldTitle, "Title", discordgo.TextInputShort, e.Title, "How deep SMP pigment should go", true, knowledge.MaxTitleRunes),
		input(fieldQuestions, "Alternate questions, one per line", discordgo.TextInputParagraph, strings.Join(e.Questions, "\n"), "how deep should the pigment go\nis my tech going too deep", false, maxInput),
		input(fieldSources, "Sources, one per line: title | https://…", discordgo.TextInputParagraph, strings.Join(sources, "\n"), "Cleveland Clinic: SMP | https://my.clevelandclinic.org/…", false, maxInput),
		input(fieldBody, "Answer (Markdown)", discordgo.TextInputParagraph, e.Body, "", true, maxInput),
	}
	if withID {
		rows = append([]discordgo.MessageComponent{input(fieldID, "Id (empty: made from the title)", discordgo.TextInputShort, e.ID, "pigment-depth", false, 64)}, rows...)
	}
	for _, r := range rows {
		if size(r.(discordgo.ActionsRow).Components[0].(discordgo.TextInput).Value) > maxInput {
			return nil
		}
	}
	return &discordgo.InteractionResponseData{CustomID: customID, Title: truncate(title, maxModalTitle), Components: rows}
}

// synonymsModal is the form that edits the synonyms, or nil when they do
// not fit in it.
func synonymsModal(rev int64, text string) *discordgo.InteractionResponseData {
	if size(text) > maxInput {
		return nil
	}
	return &discordgo.InteractionResponseData{CustomID: synonymsModalID(rev), Title: "Edit the synonyms", Components: []discordgo.MessageComponent{
		discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: fieldSynonyms, Label: "One group a line; phrase => word", Style: discordgo.TextInputParagraph,
			Value: text, Placeholder: "technician, practitioner, artist, tech\nhair tattoo => smp", MaxLength: maxInput,
		}}},
	}}
}

// modalValues returns the submitted text of each input, by custom id.
func modalValues(data discordgo.ModalSubmitInteractionData) map[string]string {
	values := map[string]string{}
	for _, c := range data.Components {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range row.Components {
			if in, ok := c.(*discordgo.TextInput); ok {
				values[in.CustomID] = in.Value
			}
		}
	}
	return values
}

// fillEntry sets what the entry form shows from its submitted values: the
// id of a new entry (made from the title when empty; an edit's form has no
// id, as an edit keeps it), title, alternate questions, sources and body.
func fillEntry(e *knowledge.Entry, values map[string]string) {
	e.Title = strings.TrimSpace(values[fieldTitle])
	if id := strings.TrimSpace(values[fieldID]); id != "" {
		e.ID = id
	} else if e.ID == "" {
		e.ID = knowledge.Slug(e.Title)
	}
	e.Questions = nil
	for _, q := range strings.Split(values[fieldQuestions], "\n") {
		if q = strings.TrimSpace(q); q != "" {
			e.Questions = append(e.Questions, q)
		}
	}
	e.Sources = nil
	for _, line := range strings.Split(values[fieldSources], "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		title, url := "", line
		if i := strings.LastIndex(line, "|"); i >= 0 {
			title, url = strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
		}
		if title == "" {
			title = url
		}
		e.Sources = append(e.Sources, knowledge.Source{Title: title, URL: url})
	}
	e.Body = strings.TrimSpace(strings.ReplaceAll(values[fieldBody], "\r\n", "\n"))
}
