package knowledge

import (
	"fmt"
	"regexp"
	"strings"
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

	// phrases matches any phrase, earlier lines first; words maps each
	// phrase, its words joined by single spaces, to its word.
	phrases *regexp.Regexp
	words   map[string]string
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

// compilePhrases builds the one expression that finds every phrase, so that
// rewriting a text is a single pass however many phrases there are.
func (s *Synonyms) compilePhrases() {
	if len(s.Phrases) == 0 {
		return
	}
	alts := make([]string, len(s.Phrases))
	s.words = make(map[string]string, len(s.Phrases))
	for i, p := range s.Phrases {
		quoted := make([]string, len(p.Words))
		for j, w := range p.Words {
			quoted[j] = regexp.QuoteMeta(w)
		}
		alts[i] = strings.Join(quoted, `\s+`)
		key := strings.Join(p.Words, " ")
		if _, ok := s.words[key]; !ok {
			s.words[key] = p.Word
		}
	}
	s.phrases = regexp.MustCompile(`(?i)\b(?:` + strings.Join(alts, "|") + `)\b`)
}

// Expand rewrites every phrase in text to its word, so that "hair tattoo"
// reads as "smp": the phrase means the word, and its parts ("tattoo") would
// otherwise pull the question towards other topics. Where phrases overlap, the
// one on the earlier line wins.
func (s *Synonyms) Expand(text string) string {
	if s.phrases == nil {
		return text
	}
	return s.phrases.ReplaceAllStringFunc(text, func(m string) string {
		if w, ok := s.words[strings.ToLower(strings.Join(strings.Fields(m), " "))]; ok {
			return w
		}
		return m
	})
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
