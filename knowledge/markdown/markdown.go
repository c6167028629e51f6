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
// A line that opens more than maxLineNesting quotes and list items shows
// the markers past that as text.
func Parse(src string) *Doc {
	b := capNesting([]byte(src))
	p := goldmark.DefaultParser()
	return &Doc{src: b, root: p.Parse(text.NewReader(b))}
}

// maxLineNesting is how many quotes and list items one line may open.
// goldmark takes time quadratic in the depth of nesting (a second for
// 32 KiB of ">"), and the renderers show no more than maxNesting levels.
const maxLineNesting = 32

// capNesting escapes the quote and list markers that would open more
// than maxLineNesting levels on one line, so that they read as text. src
// comes back unchanged, not copied, when no line does.
func capNesting(src []byte) []byte {
	var out []byte // nil until a line needs a change
	start := 0
	for start < len(src) {
		end := bytes.IndexByte(src[start:], '\n') + 1
		if end == 0 {
			end = len(src) - start
		}
		line := src[start : start+end]
		if at := pastNesting(line); at >= 0 {
			if out == nil {
				out = append(make([]byte, 0, len(src)+1), src[:start]...)
			}
			out = append(append(append(out, line[:at]...), '\\'), line[at:]...)
		} else if out != nil {
			out = append(out, line...)
		}
		start += end
	}
	if out == nil {
		return src
	}
	return out
}

// pastNesting returns where in line the marker that would open level
// maxLineNesting+1 (a quote's '>', a bullet, or the '.' or ')' after an
// item's number) is, or -1.
func pastNesting(line []byte) int {
	levels := 0
	for i := 0; i < len(line); {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i == len(line) {
			return -1
		}
		mark, next := i, i+1
		switch c := line[i]; {
		case c == '>':
		case c == '-' || c == '+' || c == '*':
			if next < len(line) && line[next] != ' ' && line[next] != '\t' && line[next] != '\n' {
				return -1
			}
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j == len(line) || (line[j] != '.' && line[j] != ')') {
				return -1
			}
			mark, next = j, j+1
		default:
			return -1
		}
		if levels++; levels > maxLineNesting {
			return mark
		}
		i = next
	}
	return -1
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
