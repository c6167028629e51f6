package markdown

import (
	"bufio"
	"bytes"
	stdhtml "html"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// Doc is a parsed Markdown document. It is immutable, and safe for
// concurrent use.
type Doc struct {
	src  []byte
	root ast.Node
}

// Parse reads src as CommonMark. It never fails: any
// text is some Markdown document, at worst one paragraph of plain text.
func Parse(src string) *Doc {
	b := []byte(src)
	p := goldmark.DefaultParser()
	return &Doc{src: b, root: p.Parse(text.NewReader(b))}
}

// decode turns a piece of Markdown source text into the text it shows:
// backslash escapes and entity references resolved, as CommonMark says.
func decode(b []byte) string {
	if bytes.IndexByte(b, '\\') < 0 && bytes.IndexByte(b, '&') < 0 && bytes.IndexByte(b, 0) < 0 {
		return string(b)
	}
	// goldmark's HTML writer does exactly this resolution, and escapes the
	// result for HTML, which html.UnescapeString undoes exactly.
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	html.NewWriter().Write(w, b)
	_ = w.Flush() // a bytes.Buffer does not fail
	return stdhtml.UnescapeString(buf.String())
}

// lines is the source text of n's lines, as written.
func (d *Doc) lines(n ast.Node) string {
	var b strings.Builder
	for i := range n.Lines().Len() {
		seg := n.Lines().At(i)
		b.Write(seg.Value(d.src))
	}
	return b.String()
}

// codeText is the text of a code span: its content as written, line
// endings shown as spaces.
func (d *Doc) codeText(n ast.Node) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			v := t.Segment.Value(d.src)
			if len(v) > 0 && v[len(v)-1] == '\n' {
				v = append(v[:len(v)-1:len(v)-1], ' ')
			}
			b.Write(v)
		}
	}
	return b.String()
}

// flat is the text of n and all it holds on one line, without formatting,
// for what is nested too deep to show as it is.
func (d *Doc) flat(n ast.Node) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if c.Type() == ast.TypeBlock {
			b.WriteByte(' ')
		}
		switch c := c.(type) {
		case *ast.Text:
			if c.IsRaw() {
				b.Write(c.Segment.Value(d.src))
			} else {
				b.WriteString(decode(c.Segment.Value(d.src)))
			}
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.WriteString(decode(c.Value))
		case *ast.AutoLink:
			b.WriteString(decode(c.Label(d.src)))
		case *ast.RawHTML, *ast.HTMLBlock:
			b.WriteString(d.rawHTML(c))
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			b.WriteString(d.lines(c))
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// rawHTML is the source of a raw HTML node, inline or a block, shown as
// text by every renderer.
func (d *Doc) rawHTML(n ast.Node) string {
	var b strings.Builder
	switch n := n.(type) {
	case *ast.RawHTML:
		for i := range n.Segments.Len() {
			seg := n.Segments.At(i)
			b.Write(seg.Value(d.src))
		}
	case *ast.HTMLBlock:
		b.WriteString(d.lines(n))
		if n.HasClosure() {
			b.Write(n.ClosureLine.Value(d.src))
		}
	}
	return b.String()
}

// linkTarget is where a link, image or autolink points, with its escapes
// and entities resolved, or "" when SafeURL refuses it.
func (d *Doc) linkTarget(n ast.Node) string {
	var href string
	switch n := n.(type) {
	case *ast.Link:
		href = decode(n.Destination)
	case *ast.Image:
		href = decode(n.Destination)
	case *ast.AutoLink:
		href = string(n.URL(d.src))
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(href), "mailto:") {
			href = "mailto:" + href
		}
	}
	if !SafeURL(href) {
		return ""
	}
	return href
}

// maxURLLen is the longest link target shown as a link. Telegram opens a
// tag again in each part of a long message cut inside it, so a link must be
// far shorter than a message.
const maxURLLen = 1024

// SafeURL reports whether a link to href may be shown as a link: an http
// or https URL with a host, or a mailto address, of at most 1,024 bytes.
// Relative links, which mean nothing in a chat, and every other scheme
// (javascript:, data:, file:, ...) are refused.
func SafeURL(href string) bool {
	if len(href) > maxURLLen || strings.ContainsAny(href, "\x00\r\n\t ") {
		return false
	}
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return u.Opaque != ""
	}
	return false
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// Escape makes text safe anywhere in HTML, attribute values included. Its
// output suits both the web and Telegram's HTML subset, which knows the
// entities &amp;, &lt;, &gt; and &quot;.
func Escape(s string) string { return htmlEscaper.Replace(s) }
