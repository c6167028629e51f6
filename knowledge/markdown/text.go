package markdown

import (
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// format says how one of the line-oriented outputs (Telegram's HTML
// subset, Discord's Markdown, plain text) writes each piece of Markdown.
// The walk over the document, and so the reading, is shared; only the
// spelling differs.
type format struct {
	// text makes document text safe in the output.
	text func(string) string
	// strong and emphasis wrap inline content already in the output's
	// form; code gets the raw text of a code span.
	strong, emphasis, code func(string) string
	// link shows label (in the output's form) linked to href, which
	// SafeURL allows.
	link func(label, href string) string
	// heading, quote and codeBlock write a block: heading and quote get
	// content in the output's form, codeBlock the raw lines of the code.
	heading, quote, codeBlock func(string) string
	// lineStart makes a line of a paragraph safe where the output gives a
	// character at the start of a line a meaning (a Discord heading,
	// quote or list); nil where none has.
	lineStart func(string) string
	// hardBreak ends a line inside a paragraph.
	hardBreak string
	// indent is what puts a list nested depth levels deep in its place.
	indent func(depth int) string
	// bullet marks an item of a bulleted list nested depth levels deep.
	bullet func(depth int) string
	// keepGaps separates blocks by a blank line only where the source has
	// one, as Discord shows lists and paragraphs without one; otherwise a
	// blank line separates every block.
	keepGaps bool
	// flatQuotes shows a quote inside a quote as its content only, where
	// quotes cannot nest (Telegram).
	flatQuotes bool
}

// quoteLines starts every line of s with "> ", or ">" where it is empty.
func quoteLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight("> "+l, " ")
	}
	return strings.Join(lines, "\n")
}

// rule is what a thematic break (---) shows in the line-oriented outputs.
const rule = "———"

// maxNesting is how many lists and quotes deep the line-oriented outputs
// show nesting. A list or quote deeper than that shows its text on one
// line: each level indents or marks every line below it, so the output
// would grow with the square of the depth.
const maxNesting = 8

// writer walks a document for one format.
type writer struct {
	d      *Doc
	f      *format
	quotes int  // how many quotes the walk is inside
	nested int  // how many lists and quotes the walk is inside
	inLink bool // whether the walk is inside link text
}

func (d *Doc) render(f *format) string {
	w := &writer{d: d, f: f}
	// Only line breaks are trimmed: an indented code block may open the
	// text.
	return strings.TrimRight(strings.TrimLeft(w.blocks(d.root, 0), "\n"), " \n")
}

// blocks renders the block children of n, inside lists depth deep.
func (w *writer) blocks(n ast.Node, depth int) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		s := w.block(c, depth)
		if s == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(w.gap(c))
		}
		b.WriteString(s)
	}
	return b.String()
}

// gap is what separates block c from the one before it.
func (w *writer) gap(c ast.Node) string {
	if w.f.keepGaps && !c.HasBlankPreviousLines() {
		return "\n"
	}
	return "\n\n"
}

// block renders one block.
func (w *writer) block(n ast.Node, depth int) string {
	switch n.(type) {
	case *ast.Blockquote, *ast.List:
		if w.nested >= maxNesting {
			return w.paragraph(w.f.text(w.d.flat(n)))
		}
	}
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		return w.paragraph(w.inlines(n))
	case *ast.Heading:
		return w.f.heading(w.inlines(n))
	case *ast.ThematicBreak:
		return w.f.text(rule)
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		return w.f.codeBlock(strings.TrimSuffix(w.d.lines(n), "\n"))
	case *ast.HTMLBlock:
		return w.paragraph(w.f.text(strings.TrimRight(w.d.rawHTML(n), "\n")))
	case *ast.Blockquote:
		w.quotes++
		w.nested++
		inner := w.blocks(n, depth)
		w.quotes--
		w.nested--
		if w.quotes > 0 && w.f.flatQuotes || strings.TrimSpace(inner) == "" {
			return inner
		}
		return w.f.quote(inner)
	case *ast.List:
		return w.list(n, depth)
	}
	// Nothing else is a block in CommonMark; a node some later goldmark
	// adds shows its text rather than vanish.
	return w.paragraph(w.inlines(n))
}

// paragraph applies the format's care for line starts to a paragraph.
func (w *writer) paragraph(s string) string {
	if w.f.lineStart == nil {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = w.f.lineStart(l)
	}
	return strings.Join(lines, "\n")
}

// list renders a list nested depth levels deep: each item after its
// marker, a nested list on the lines after its item's text.
func (w *writer) list(l *ast.List, depth int) string {
	w.nested++
	defer func() { w.nested-- }()
	var b strings.Builder
	number := l.Start
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		marker := w.f.bullet(depth)
		if l.IsOrdered() {
			marker = w.f.indent(depth) + fmt.Sprintf("%d%c ", number, l.Marker)
			number++
		}
		if b.Len() > 0 {
			if l.IsTight {
				b.WriteString("\n")
			} else {
				b.WriteString("\n\n")
			}
		}
		b.WriteString(marker)
		// An item's blocks after the first line up under its text, but a
		// nested list brings its own indent.
		pad := strings.Repeat(" ", len([]rune(marker)))
		first := true
		for c := item.FirstChild(); c != nil; c = c.NextSibling() {
			var s string
			if sub, ok := c.(*ast.List); ok && w.nested < maxNesting {
				s = w.list(sub, depth+1)
			} else {
				s = w.block(c, depth+1)
				if !first {
					s = pad + strings.ReplaceAll(s, "\n", "\n"+pad)
				}
			}
			if s == "" {
				continue
			}
			if !first {
				if l.IsTight {
					b.WriteString("\n")
				} else {
					b.WriteString("\n\n")
				}
			}
			b.WriteString(s)
			first = false
		}
	}
	return b.String()
}

// inlines renders the inline children of n. A run of text is made safe
// as a whole, though the parser may have cut it where a character could
// have been a marker, so that a format sees each web address whole.
func (w *writer) inlines(n ast.Node) string {
	var b, run strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		t, ok := c.(*ast.Text)
		if !ok || t.IsRaw() {
			b.WriteString(w.f.text(run.String()))
			run.Reset()
			b.WriteString(w.inline(c))
			continue
		}
		run.WriteString(decode(t.Segment.Value(w.d.src)))
		if t.HardLineBreak() || t.SoftLineBreak() {
			b.WriteString(w.f.text(run.String()))
			run.Reset()
			if t.HardLineBreak() {
				b.WriteString(w.f.hardBreak)
			} else {
				b.WriteString(" ")
			}
		}
	}
	b.WriteString(w.f.text(run.String()))
	return b.String()
}

// inline renders one inline node.
func (w *writer) inline(n ast.Node) string {
	switch n := n.(type) {
	case *ast.Text: // raw: others are inlines' runs
		return w.f.text(string(n.Segment.Value(w.d.src)))
	case *ast.String:
		return w.f.text(decode(n.Value))
	case *ast.CodeSpan:
		if w.inLink { // Telegram refuses code in a link; others lose little
			return w.f.text(w.d.codeText(n))
		}
		return w.f.code(w.d.codeText(n))
	case *ast.Emphasis:
		if n.Level >= 2 {
			return w.f.strong(w.inlines(n))
		}
		return w.f.emphasis(w.inlines(n))
	case *ast.RawHTML:
		return w.f.text(w.d.rawHTML(n))
	case *ast.Link, *ast.Image:
		return w.link(n, w.d.linkTarget(n))
	case *ast.AutoLink:
		label := w.f.text(decode(n.Label(w.d.src)))
		if href := w.d.linkTarget(n); href != "" && !w.inLink {
			return w.f.link(label, href)
		}
		return label
	}
	return w.inlines(n)
}

// link renders a link or an image (as a link to it), href being "" where
// SafeURL refused it. A link without text shows its target.
func (w *writer) link(n ast.Node, href string) string {
	outer := w.inLink
	w.inLink = true
	label := w.inlines(n)
	w.inLink = outer
	if href == "" || outer {
		return label
	}
	if strings.TrimSpace(label) == "" {
		label = w.f.text(href)
	}
	return w.f.link(label, href)
}
