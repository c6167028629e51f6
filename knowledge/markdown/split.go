package markdown

import (
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// TelegramLimit is the longest message text Telegram accepts, in UTF-16
// code units.
const TelegramLimit = 4096

// TelegramLen is the length of s as Telegram counts it: in UTF-16 code
// units.
func TelegramLen(s string) int {
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

// SplitTelegram cuts a message in Telegram's HTML subset, as Telegram
// renders and the adapters write, into parts of at most limit UTF-16 code
// units (TelegramLimit for a message), measured on the HTML itself, which
// is never shorter than the text Telegram counts. It cuts at the last paragraph break that fits, else the
// last line break, else the last space, else anywhere between characters.
// Tags open at a cut are closed at the end of the part and opened again at
// the start of the next, so every part is valid on its own. A part that
// would show only whitespace, which Telegram refuses, is left out.
func SplitTelegram(msg string, limit int) []string {
	if TelegramLen(msg) <= limit {
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
		size += TelegramLen(t.text)
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
		if size+TelegramLen(t.text)+TelegramLen(closers(after)) > limit {
			break
		}
		size += TelegramLen(t.text)
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
