package markdown

import (
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// HTML renders the document as HTML for a web page: p, h1 to h6, ul, ol,
// li, blockquote, pre, code, hr, br, em, strong and a. All text is
// escaped; raw HTML in the source is shown as the text it is; links are
// kept only when SafeURL allows them, and then open with no referrer and
// no claim on the page; images are shown as links to them, so that a page
// showing an entry loads nothing from elsewhere.
func (d *Doc) HTML() string {
	var b strings.Builder
	h := htmlWriter{d: d, b: &b}
	h.blocks(d.root, false)
	return b.String()
}

// htmlWriter writes a document as HTML.
type htmlWriter struct {
	d      *Doc
	b      *strings.Builder
	inLink bool
}

// blocks writes the block children of n; tight leaves the paragraphs of a
// tight list's item without <p>.
func (h *htmlWriter) blocks(n ast.Node, tight bool) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		h.block(c, tight)
	}
}

func (h *htmlWriter) block(n ast.Node, tight bool) {
	b := h.b
	switch n := n.(type) {
	case *ast.TextBlock:
		if tight {
			h.inlines(n)
			if n.NextSibling() != nil {
				b.WriteString("\n")
			}
			return
		}
		b.WriteString("<p>")
		h.inlines(n)
		b.WriteString("</p>\n")
	case *ast.Paragraph:
		b.WriteString("<p>")
		h.inlines(n)
		b.WriteString("</p>\n")
	case *ast.Heading:
		fmt.Fprintf(b, "<h%d>", n.Level)
		h.inlines(n)
		fmt.Fprintf(b, "</h%d>\n", n.Level)
	case *ast.ThematicBreak:
		b.WriteString("<hr>\n")
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		b.WriteString("<pre><code>" + Escape(h.d.lines(n)) + "</code></pre>\n")
	case *ast.HTMLBlock:
		b.WriteString("<p>" + Escape(strings.TrimRight(h.d.rawHTML(n), "\n")) + "</p>\n")
	case *ast.Blockquote:
		b.WriteString("<blockquote>\n")
		h.blocks(n, false)
		b.WriteString("</blockquote>\n")
	case *ast.List:
		if !n.IsOrdered() {
			b.WriteString("<ul>\n")
		} else if n.Start != 1 {
			fmt.Fprintf(b, "<ol start=\"%d\">\n", n.Start)
		} else {
			b.WriteString("<ol>\n")
		}
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			b.WriteString("<li>")
			h.blocks(item, n.IsTight)
			b.WriteString("</li>\n")
		}
		if n.IsOrdered() {
			b.WriteString("</ol>\n")
		} else {
			b.WriteString("</ul>\n")
		}
	default:
		b.WriteString("<p>")
		h.inlines(n)
		b.WriteString("</p>\n")
	}
}

func (h *htmlWriter) inlines(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		h.inline(c)
	}
}

func (h *htmlWriter) inline(n ast.Node) {
	b := h.b
	switch n := n.(type) {
	case *ast.Text:
		if n.IsRaw() {
			b.WriteString(Escape(string(n.Segment.Value(h.d.src))))
		} else {
			b.WriteString(Escape(decode(n.Segment.Value(h.d.src))))
		}
		switch {
		case n.HardLineBreak():
			b.WriteString("<br>\n")
		case n.SoftLineBreak():
			b.WriteString("\n")
		}
	case *ast.String:
		b.WriteString(Escape(decode(n.Value)))
	case *ast.CodeSpan:
		b.WriteString("<code>" + Escape(h.d.codeText(n)) + "</code>")
	case *ast.Emphasis:
		t := "em"
		if n.Level >= 2 {
			t = "strong"
		}
		b.WriteString("<" + t + ">")
		h.inlines(n)
		b.WriteString("</" + t + ">")
	case *ast.RawHTML:
		b.WriteString(Escape(h.d.rawHTML(n)))
	case *ast.AutoLink:
		label := Escape(decode(n.Label(h.d.src)))
		if href := h.d.linkTarget(n); href != "" && !h.inLink {
			b.WriteString(anchor(href) + label + "</a>")
		} else {
			b.WriteString(label)
		}
	case *ast.Link, *ast.Image:
		href := h.d.linkTarget(n)
		if href == "" || h.inLink {
			h.inlines(n)
			return
		}
		b.WriteString(anchor(href))
		mark := b.Len()
		h.inLink = true
		h.inlines(n)
		h.inLink = false
		if b.Len() == mark {
			b.WriteString(Escape(href))
		}
		b.WriteString("</a>")
	default:
		h.inlines(n)
	}
}

// anchor opens a link to href, which SafeURL allows.
func anchor(href string) string {
	return `<a href="` + Escape(href) + `" rel="nofollow noopener noreferrer">`
}
