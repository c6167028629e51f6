package knowledge

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// Limits on an entry's short answer. Writers aim for at most 50 words; lint
// leaves a little room.
const (
	MaxShortWords     = 60
	MaxShortSentences = 2
)

// Short returns the entry's short answer: the first paragraph of its body,
// its bottom line in one or two sentences of Markdown, shown where the whole
// body would be noise.
func (e *Entry) Short() string {
	lines := strings.Split(e.Body, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			return strings.Join(lines[:i], "\n")
		}
	}
	return e.Body
}

// lint finds what is wrong with the entry's writing without making it
// unusable: a short answer that is not one or two sentences of plain prose.
// Unlike check's problems, these do not stop the entry loading.
func (e *Entry) lint() []Problem {
	short := e.Short()
	if short == "" {
		return nil // an empty body is check's problem
	}
	problem := func(line int, format string, args ...any) Problem {
		return Problem{File: e.File, Line: line, Msg: "short answer (the body's first paragraph): " + fmt.Sprintf(format, args...)}
	}
	for i, l := range strings.Split(short, "\n") {
		if kind := blockKind(strings.TrimSpace(l)); kind != "" {
			return []Problem{problem(e.bodyLine+i, "%s, not plain prose: start the body with one or two sentences answering the question", kind)}
		}
	}
	var ps []Problem
	text := mdLinkText.ReplaceAllString(short, "$1")
	if n := countWords(text); n > MaxShortWords {
		ps = append(ps, problem(e.bodyLine, "%d words, over %d", n, MaxShortWords))
	}
	if n := countSentences(text); n > MaxShortSentences {
		ps = append(ps, problem(e.bodyLine, "%d sentences, over %d", n, MaxShortSentences))
	}
	return ps
}

var (
	mdLinkText = regexp.MustCompile(`\[([^\]]*)\]\([^)\s]*\)`)
	mdHeading  = regexp.MustCompile(`^#{1,6}(\s|$)`)
	mdListItem = regexp.MustCompile(`^([-*+]|\d{1,9}[.)])(\s|$)`)
)

// blockKind names the Markdown block a line of a paragraph starts, or
// returns "" for a line of prose.
func blockKind(line string) string {
	switch {
	case mdHeading.MatchString(line):
		return "a heading"
	case mdListItem.MatchString(line):
		return "a list item"
	case strings.HasPrefix(line, ">"):
		return "a quote"
	case strings.HasPrefix(line, "```"), strings.HasPrefix(line, "~~~"):
		return "code"
	case strings.HasPrefix(line, "|"):
		return "a table"
	}
	return ""
}

// countWords counts the words of text: runs without spaces holding a letter
// or a digit, so that a dash standing alone is no word.
func countWords(text string) int {
	n := 0
	for _, w := range strings.Fields(text) {
		if strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			n++
		}
	}
	return n
}

// Characters that may close a sentence after its full stop, and open a word
// before an abbreviation.
const (
	closers = `"')]*_’”»`
	openers = `"'([*_‘“«`
)

// abbreviations end with a full stop that ends no sentence.
var abbreviations = map[string]bool{
	"dr.": true, "mr.": true, "mrs.": true, "ms.": true, "prof.": true,
	"vs.": true, "etc.": true, "approx.": true, "cf.": true, "al.": true,
}

// initialism is an abbreviation of single letters, each with its full stop:
// "e.g.", "i.e.", "U.S.", an initial "J.".
var initialism = regexp.MustCompile(`^(\pL\.)+$`)

// countSentences counts the sentences of text: each ends with '.', '!' or
// '?' (perhaps inside closing quotes, brackets or emphasis) before a space or
// the end, except after an abbreviation; text after the last end is one more.
func countSentences(text string) int {
	n := 0
	open := false // words since the last end
	for _, w := range strings.Fields(text) {
		core := strings.TrimRight(w, closers)
		word := strings.ToLower(strings.TrimLeft(core, openers))
		ends := core != "" && strings.ContainsRune(".!?", rune(core[len(core)-1]))
		if ends && !abbreviations[word] && !initialism.MatchString(word) {
			n++
			open = false
		} else {
			open = true
		}
	}
	if open {
		n++
	}
	return n
}
