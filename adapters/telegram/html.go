package telegram

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// This file turns text into Telegram's HTML subset
// (https://core.telegram.org/bots/api#html-style) and cuts long messages into
// parts Telegram accepts. Every function returns well-formed HTML: each tag it
// opens, it closes.

// maxMessageLen is the longest message text Telegram accepts.
const maxMessageLen = 4096

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// escape makes text safe anywhere in a Telegram HTML message, attribute
// values included.
func escape(s string) string { return htmlEscaper.Replace(s) }

// escapeUser escapes text a user wrote and defuses its @mentions with a word
// joiner, so that echoing it never notifies anyone.
func escapeUser(s string) string { return escape(strings.ReplaceAll(s, "@", "@\u2060")) }

var (
	headingLine = regexp.MustCompile(`^#{1,6}\s+(.*?)\s*#*$`)
	bulletLine  = regexp.MustCompile(`^( *)[-*+]\s+(.*)$`)
	orderedLine = regexp.MustCompile(`^( *)(\d{1,9})[.)]\s+(.*)$`)
)

// markdownHTML renders the Markdown of a knowledge-base entry: paragraphs,
// headings, bulleted and numbered lists, **bold**, *italics*, `code` and
// [links](url). Blocks are separated by blank lines, which is where split
// prefers to cut.
func markdownHTML(md string) string {
	var (
		blocks []string
		para   []string // lines of the current paragraph
		items  []string // rendered items of the current list
		item   []string // lines of the current list item
		marker string   // its bullet or number
	)
	endPara := func() {
		if para != nil {
			blocks = append(blocks, inlineHTML(strings.Join(para, " ")))
			para = nil
		}
	}
	endItem := func() {
		if item != nil {
			items = append(items, marker+inlineHTML(strings.Join(item, " ")))
			item = nil
		}
	}
	endBlock := func() {
		endPara()
		endItem()
		if items != nil {
			blocks = append(blocks, strings.Join(items, "\n"))
			items = nil
		}
	}
	for line := range strings.SplitSeq(md, "\n") {
		line = strings.TrimRight(line, " \t")
		text := strings.TrimSpace(line)
		if m := headingLine.FindStringSubmatch(text); m != nil {
			endBlock()
			blocks = append(blocks, "<b>"+inlineHTML(m[1])+"</b>")
			continue
		}
		bullet, number := bulletLine.FindStringSubmatch(line), orderedLine.FindStringSubmatch(line)
		switch {
		case text == "":
			endBlock()
		case bullet != nil:
			endPara()
			endItem()
			marker, item = "• ", []string{bullet[2]}
			if len(bullet[1]) >= 2 {
				marker = "    ◦ "
			}
		case number != nil:
			endPara()
			endItem()
			marker, item = number[2]+". ", []string{number[3]}
			if len(number[1]) >= 2 {
				marker = "    " + marker
			}
		case item != nil:
			item = append(item, text) // the item continues on this line
		default:
			para = append(para, text)
		}
	}
	endBlock()
	return strings.Join(blocks, "\n\n")
}

// inlineHTML renders the inline Markdown of one block. Markers without a
// partner are shown as they are.
func inlineHTML(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\\`*_[]()#+-.!<>&", s[i+1]) >= 0:
			b.WriteString(escape(s[i+1 : i+2]))
			i += 2
			continue
		case strings.HasPrefix(s[i:], "**"):
			if j := boldEnd(s, i+2); j > 0 {
				b.WriteString("<b>" + inlineHTML(s[i+2:j]) + "</b>")
				i = j + 2
				continue
			}
		case s[i] == '*':
			if j := italicEnd(s, i+1); j > 0 {
				b.WriteString("<i>" + inlineHTML(s[i+1:j]) + "</i>")
				i = j + 1
				continue
			}
		case s[i] == '`':
			if j := strings.IndexByte(s[i+1:], '`'); j > 0 {
				b.WriteString("<code>" + escape(s[i+1:i+1+j]) + "</code>")
				i += j + 2
				continue
			}
		case s[i] == '[':
			if text, href, n := link(s[i:]); n > 0 {
				if safeURL(href) {
					b.WriteString(`<a href="` + escape(href) + `">` + inlineHTML(text) + "</a>")
				} else {
					b.WriteString(inlineHTML(text))
				}
				i += n
				continue
			}
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		b.WriteString(escape(s[i : i+n]))
		i += n
	}
	return b.String()
}

// boldEnd returns the index of the "**" closing a bold span whose text
// starts at start, or -1. As in Markdown, the text may neither start nor end
// with a space.
func boldEnd(s string, start int) int {
	if start >= len(s) || s[start] == ' ' {
		return -1
	}
	for j := start + 1; j+1 < len(s); j++ {
		if s[j] == '*' && s[j+1] == '*' && s[j-1] != ' ' {
			return j
		}
	}
	return -1
}

// italicEnd returns the index of the '*' closing an italic span whose text
// starts at start, skipping bold markers inside it, or -1.
func italicEnd(s string, start int) int {
	if start >= len(s) || s[start] == ' ' || s[start] == '*' {
		return -1
	}
	for j := start; j < len(s); j++ {
		switch {
		case s[j] == '\\':
			j++
		case strings.HasPrefix(s[j:], "**"):
			j++
		case s[j] == '*' && s[j-1] != ' ':
			return j
		}
	}
	return -1
}

// link parses "[text](url)" at the start of s and returns its parts and
// length, or n == 0. Brackets and parentheses may nest.
func link(s string) (text, href string, n int) {
	closing := matching(s, '[', ']')
	if closing < 0 || closing+1 >= len(s) || s[closing+1] != '(' {
		return "", "", 0
	}
	end := matching(s[closing+1:], '(', ')')
	if end < 0 {
		return "", "", 0
	}
	return s[1:closing], strings.TrimSpace(s[closing+2 : closing+1+end]), closing + 2 + end
}

// matching returns the index of the close that balances the open at s[0].
func matching(s string, open, close byte) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case open:
			depth++
		case close:
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}

// maxURLLen is the longest link target shown as a link. A tag open where a
// long message is cut is opened again in the next part, so a link must be
// far shorter than a message.
const maxURLLen = 1024

// safeURL reports whether a link may be shown as a link.
func safeURL(href string) bool {
	u, err := url.Parse(href)
	if err != nil || len(href) > maxURLLen {
		return false
	}
	switch u.Scheme {
	case "http", "https":
		return u.Host != ""
	case "mailto", "tg":
		return true
	}
	return false
}

// utf16Len is the length Telegram counts: UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// token is one piece of rendered HTML: a tag, an entity or a character.
type token struct {
	text string
	name string // tag name; "" for text
	open bool
}

func tokenize(msg string) []token {
	var toks []token
	for i := 0; i < len(msg); {
		var end int
		switch msg[i] {
		case '<':
			end = i + strings.IndexByte(msg[i:], '>') + 1
		case '&':
			end = i + strings.IndexByte(msg[i:], ';') + 1
		}
		if end <= i { // a character, or markup that is not ours
			_, n := utf8.DecodeRuneInString(msg[i:])
			end = i + n
		}
		t := token{text: msg[i:end]}
		if t.text[0] == '<' && len(t.text) > 2 {
			t.open = t.text[1] != '/'
			t.name = strings.TrimLeft(t.text[1:len(t.text)-1], "/")
			t.name, _, _ = strings.Cut(t.name, " ")
		}
		toks = append(toks, t)
		i = end
	}
	return toks
}

// split cuts a rendered message into parts of at most limit UTF-16 code
// units, measured on the HTML itself, which is never shorter than the text
// Telegram counts. It cuts at the last paragraph break that fits, else the
// last line break, else the last space, else anywhere between characters.
// Tags open at a cut are closed at the end of the part and opened again at
// the start of the next, so every part is valid on its own. A part that
// would show only whitespace, which Telegram refuses, is left out.
func split(msg string, limit int) []string {
	if utf16Len(msg) <= limit {
		return []string{msg}
	}
	toks := tokenize(msg)
	var (
		parts []string
		open  []token // tags open where the current part starts
	)
	for i := 0; i < len(toks); {
		cut, next, stack := fit(toks, i, open, limit)
		var b strings.Builder
		for _, t := range open {
			b.WriteString(t.text)
		}
		for _, t := range toks[i:cut] {
			b.WriteString(t.text)
		}
		b.WriteString(closers(stack))
		if !blank(toks[i:cut]) {
			parts = append(parts, b.String())
		}
		i, open = next, stack
		for i < len(toks) && isSpace(toks[i]) {
			i++
		}
	}
	return parts
}

// fit finds where the part starting at toks[i] ends: it returns the end of
// the part, where the next part starts, and the tags open at the cut.
func fit(toks []token, i int, open []token, limit int) (cut, next int, stack []token) {
	stack = slices.Clone(open)
	size := 0
	for _, t := range open {
		size += utf16Len(t.text)
	}
	type candidate struct {
		at    int
		stack []token
	}
	var best [4]*candidate // by rank: 0 anywhere, 1 space, 2 line break, 3 paragraph
	j := i
	for ; j < len(toks); j++ {
		t := toks[j]
		if j > i && t.name == "" {
			c := &candidate{at: j, stack: stack}
			best[0] = c
			if r := rank(toks, j); r > 0 {
				best[r] = c
			}
		}
		after := apply(stack, t)
		if size+utf16Len(t.text)+utf16Len(closers(after)) > limit {
			break
		}
		size += utf16Len(t.text)
		stack = after
	}
	if j == len(toks) {
		return j, j, stack
	}
	for r := len(best) - 1; r >= 0; r-- {
		if c := best[r]; c != nil {
			return c.at, c.at, c.stack
		}
	}
	// Not even one character fits after the reopened tags: take one anyway
	// rather than loop forever.
	return i + 1, i + 1, apply(open, toks[i])
}

// apply returns the tags open after t.
func apply(stack []token, t token) []token {
	switch {
	case t.name == "":
		return stack
	case t.open:
		return append(slices.Clone(stack), t)
	case len(stack) > 0:
		return stack[:len(stack)-1]
	}
	return stack
}

// rank says how good a place to cut toks[j] is.
func rank(toks []token, j int) int {
	switch {
	case toks[j].text == "\n" && j+1 < len(toks) && toks[j+1].text == "\n":
		return 3
	case toks[j].text == "\n":
		return 2
	case toks[j].text == " ":
		return 1
	}
	return 0
}

func isSpace(t token) bool { return t.text == " " || t.text == "\n" }

// blank reports whether toks show nothing but whitespace.
func blank(toks []token) bool {
	for _, t := range toks {
		if t.name == "" && strings.TrimSpace(t.text) != "" {
			return false
		}
	}
	return true
}

// closers closes the open tags, innermost first.
func closers(stack []token) string {
	var b strings.Builder
	for _, t := range slices.Backward(stack) {
		b.WriteString("</" + t.name + ">")
	}
	return b.String()
}
