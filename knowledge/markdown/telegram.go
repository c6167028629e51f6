package markdown

import "strings"

// Telegram renders the document in Telegram's HTML subset
// (https://core.telegram.org/bots/api#html-style), using only the tags b,
// i, code, pre, a and blockquote. Telegram has no headings or lists, so
// a heading is a bold line and list items are lines with a bullet ("•",
// "◦" when nested) or their number. Paragraphs are separated by blank
// lines, which is where SplitTelegram prefers to cut. The result is
// well-formed: every tag it opens, it closes, and links do not contain
// code, nor quotes quotes, which Telegram refuses.
func (d *Doc) Telegram() string { return d.render(telegramFormat()) }

func telegramFormat() *format {
	return &format{
		text:      Escape,
		strong:    tag("b"),
		emphasis:  tag("i"),
		code:      func(s string) string { return "<code>" + Escape(s) + "</code>" },
		link:      func(label, href string) string { return `<a href="` + Escape(href) + `">` + label + "</a>" },
		heading:   tag("b"),
		quote:     tag("blockquote"),
		codeBlock: func(s string) string { return "<pre>" + Escape(s) + "</pre>" },
		hardBreak: "\n",
		indent:    func(depth int) string { return strings.Repeat("    ", depth) },
		bullet: func(depth int) string {
			if depth == 0 {
				return "• "
			}
			return strings.Repeat("    ", depth) + "◦ "
		},
		flatQuotes: true,
	}
}

// tag returns a function wrapping HTML in the named tag.
func tag(name string) func(string) string {
	return func(s string) string { return "<" + name + ">" + s + "</" + name + ">" }
}
