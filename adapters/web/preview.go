package web

import (
	"html/template"

	"github.com/smpbot/bot/knowledge"
)

// entryPreview is how an entry looks as an answer: on this console, on
// Telegram and on Discord.
type entryPreview struct {
	Title string
	// Web is the entry's body as web HTML.
	Web template.HTML
	// Telegram is the message Telegram shows, in its HTML subset, which
	// is also valid web HTML.
	Telegram template.HTML
	// Discord is the embed's description, Discord Markdown.
	Discord string
}

// previewOf renders e for each front end. Until the shared Markdown parser
// lands, each shows the Markdown source, escaped.
func previewOf(e *knowledge.Entry) entryPreview {
	return entryPreview{
		Title:    e.Title,
		Web:      bodyHTML(e.Body),
		Telegram: template.HTML("<b>" + template.HTMLEscapeString(e.Title) + "</b>\n\n" + template.HTMLEscapeString(e.Body)),
		Discord:  e.Body,
	}
}

// bodyHTML renders an entry's Markdown body for a page.
func bodyHTML(md string) template.HTML {
	return template.HTML(`<div class="md">` + template.HTMLEscapeString(md) + `</div>`)
}
