package web

import (
	"html/template"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/markdown"
)

// entryPreview is how an entry looks as an answer: on this console, on
// Telegram and on Discord, each rendered from the one parse of its
// Markdown that the front ends themselves use.
type entryPreview struct {
	Title string
	// Web is the entry's body as web HTML.
	Web template.HTML
	// Telegram is the message's text in Telegram's HTML subset (b, i,
	// code, pre, a, blockquote), which is also safe web HTML.
	Telegram template.HTML
	// Discord is the embed's description, in the Markdown Discord gets.
	Discord string
	Sources []knowledge.Source
}

// previewOf renders e for each front end.
func previewOf(e *knowledge.Entry) entryPreview {
	doc := markdown.Parse(e.Body)
	return entryPreview{
		Title:    e.Title,
		Web:      template.HTML(doc.HTML()),
		Telegram: template.HTML("<b>" + markdown.Escape(e.Title) + "</b>\n\n" + doc.Telegram()),
		Discord:  doc.Discord(),
		Sources:  e.Sources,
	}
}

// bodyHTML renders an entry's Markdown body for a page.
func bodyHTML(md string) template.HTML {
	return template.HTML(markdown.Parse(md).HTML())
}
