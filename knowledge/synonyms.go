package knowledge

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Synonyms holds the knowledge base's word groups and phrase rewrites, read
// from synonyms.txt:
//
//	# a comment
//	technician, practitioner, artist, tech
//	hair tattoo => smp
//
// A line of comma-separated single words is a group of equivalent words. A
// line "PHRASE => WORD" reads the phrase as WORD wherever it appears, because
// the search index matches synonyms word by word.
type Synonyms struct {
	Groups  [][]string
	Phrases []Phrase

	// starts lists, for each lower-case ASCII letter or digit, the phrases
	// whose first word begins with it, earlier lines first; it is nil until
	// the phrases are compiled. words maps each phrase, its words joined by
	// single spaces, to its word.
	starts [][]int
	words  map[string]string
}

// Phrase is a multi-word expression that stands for a single word.
type Phrase struct {
	Words []string
	Word  string
}

const maxGroupWords = 30

var synonymWord = regexp.MustCompile(`^[a-z0-9][a-z0-9'-]*$`)

// ParseSynonyms reads a synonyms file, reporting every bad line.
func ParseSynonyms(file string, data []byte) (*Synonyms, []Problem) {
	s := &Synonyms{}
	var problems []Problem
	if !utf8.Valid(data) {
		return s, []Problem{{File: file, Msg: "synonyms file is not UTF-8 text"}}
	}
	seen := map[string]int{}
	for i, raw := range strings.Split(string(data), "\n") {
		n := i + 1
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bad := func(format string, args ...any) {
			problems = append(problems, Problem{File: file, Line: n, Msg: fmt.Sprintf(format, args...)})
		}
		line = strings.ToLower(line)
		if from, to, ok := strings.Cut(line, "=>"); ok {
			words := strings.Fields(from)
			to = strings.TrimSpace(to)
			switch {
			case len(words) < 2:
				bad("a phrase rewrite needs at least two words before =>")
			case !synonymWord.MatchString(to):
				bad("a phrase rewrite needs one word after =>, got %q", to)
			case !allWords(words):
				bad("phrase %q may hold only letters, digits, hyphens and apostrophes", strings.Join(words, " "))
			default:
				s.Phrases = append(s.Phrases, Phrase{Words: words, Word: to})
			}
			continue
		}
		var group []string
		for _, w := range strings.Split(line, ",") {
			w = strings.TrimSpace(w)
			switch {
			case w == "":
				bad("empty word in synonym group")
			case !synonymWord.MatchString(w):
				bad("%q is not a single word; write multi-word phrases as \"PHRASE => WORD\"", w)
			case isStopWord(w) || utf8.RuneCountInString(w) < 2:
				bad("%q would match almost every question; leave it out", w)
			case seen[w] != 0:
				bad("%q is already in the group on line %d", w, seen[w])
			default:
				seen[w] = n
				group = append(group, w)
			}
		}
		switch {
		case len(group) > maxGroupWords:
			bad("a group of %d words is too broad (at most %d)", len(group), maxGroupWords)
		case len(group) == 1:
			bad("a synonym group needs at least two words")
		case len(group) > 1:
			s.Groups = append(s.Groups, group)
		}
	}
	s.compilePhrases()
	return s, problems
}

func allWords(words []string) bool {
	for _, w := range words {
		if !synonymWord.MatchString(w) {
			return false
		}
	}
	return true
}

// compilePhrases indexes the phrases by their first letter, so that
// rewriting a text is a single pass however many phrases there are.
func (s *Synonyms) compilePhrases() {
	if len(s.Phrases) == 0 {
		return
	}
	s.starts = make([][]int, utf8.RuneSelf)
	s.words = make(map[string]string, len(s.Phrases))
	for i, p := range s.Phrases {
		c := p.Words[0][0]
		s.starts[c] = append(s.starts[c], i)
		key := strings.Join(p.Words, " ")
		if _, ok := s.words[key]; !ok {
			s.words[key] = p.Word
		}
	}
}

// Expand rewrites every phrase in text to its word, so that "hair tattoo"
// reads as "smp": the phrase means the word, and its parts ("tattoo") would
// otherwise pull the question towards other topics. Where phrases overlap, the
// one on the earlier line wins.
//
// It matches as the expression (?i)\b(?:PHRASE|PHRASE...)\b would, with the
// words of each phrase joined by \s+, scanning word starts rather than running
// a regular expression: case is folded as Unicode simple folding does, word
// boundaries and white space are ASCII, and at each position the phrase on the
// earliest line that matches wins.
func (s *Synonyms) Expand(text string) string {
	if s.starts == nil {
		return text
	}
	var b strings.Builder
	done := 0 // text[:done] is written to b
	for i := 0; i < len(text); {
		c, size := text[i], 1
		if c >= utf8.RuneSelf {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			// A non-ASCII letter that folds to an ASCII one (the Kelvin
			// sign, the long s) starts a match only after a word character.
			c = 0
			if i > 0 && isWordByte(text[i-1]) {
				c = foldASCII(r)
			}
		} else if i > 0 && isWordByte(text[i-1]) {
			c = 0 // inside a word: no boundary before an ASCII word character
		} else {
			c = lowerASCII(c)
		}
		if int(c) < len(s.starts) && c != 0 {
			for _, p := range s.starts[c] {
				end, ok := matchPhrase(text, i, s.Phrases[p].Words)
				if !ok {
					continue
				}
				m := text[i:end]
				if w, ok := s.words[strings.ToLower(strings.Join(strings.Fields(m), " "))]; ok {
					if b.Len() == 0 {
						b.Grow(len(text))
					}
					b.WriteString(text[done:i])
					b.WriteString(w)
					done = end
				}
				i, size = end, 0
				break
			}
		}
		i += size
	}
	if done == 0 {
		return text
	}
	b.WriteString(text[done:])
	return b.String()
}

// matchPhrase reports whether words, separated by ASCII white space and
// ending on a word boundary, match text from i, folding case, and where the
// match ends.
func matchPhrase(text string, i int, words []string) (int, bool) {
	for j, w := range words {
		if j > 0 {
			start := i
			for i < len(text) && isSpaceByte(text[i]) {
				i++
			}
			if i == start {
				return 0, false
			}
		}
		for k := 0; k < len(w); k++ {
			if i >= len(text) {
				return 0, false
			}
			c, size := text[i], 1
			if c >= utf8.RuneSelf {
				var r rune
				r, size = utf8.DecodeRuneInString(text[i:])
				c = foldASCII(r)
			} else {
				c = lowerASCII(c)
			}
			if c != w[k] {
				return 0, false
			}
			i += size
		}
	}
	// A word boundary: exactly one side is an ASCII word character.
	before := i > 0 && isWordByte(text[i-1])
	after := i < len(text) && isWordByte(text[i])
	return i, before != after
}

// isWordByte reports whether c is a word character of \b and \w: an ASCII
// letter, digit or underscore. Bytes of multi-byte runes never are.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// isSpaceByte reports whether c is in \s: ASCII white space without \v.
func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// foldASCII returns the lower-case ASCII letter r folds to, as the Kelvin
// sign folds to k, or 0 when it folds to none.
func foldASCII(r rune) byte {
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < utf8.RuneSelf {
			return lowerASCII(byte(f))
		}
	}
	return 0
}

// isStopWord reports whether w is so common in questions that a synonym group
// holding it would tie almost every question to every entry.
func isStopWord(w string) bool {
	_, ok := stopWords[w]
	return ok
}

var stopWords = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range strings.Fields(`a about after again all am an and any are as at be because been
		before being both but by can could did do does doing down during each few for from further
		had has have having he her here hers him his how i if in into is it its just me more most my
		no nor not now of off on once only or other our out over own same she should so some such
		than that the their them then there these they this those through to too under until up
		very was we were what when where which while who whom why will with would you your yours`) {
		m[w] = struct{}{}
	}
	return m
}()
