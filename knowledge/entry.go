package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Kind says what role an entry plays in an answer.
type Kind string

// The kinds of entry.
const (
	// Explanation entries answer a question on their own.
	Explanation Kind = "explanation"
	// Checklist entries are numbered steps of a named checklist.
	Checklist Kind = "checklist"
	// OutOfScope entries name a neighbouring topic the knowledge base
	// deliberately leaves out ("hair transplants", "tattoo designs"): a
	// question that matches one best is declined, with the entry's body
	// saying who can help, rather than answered by an SMP entry that merely
	// shares its words.
	OutOfScope Kind = "out-of-scope"
)

// Limits on an entry, so that one mistaken paste cannot swamp an answer.
const (
	MaxEntryBytes       = 32 << 10
	MaxTitleRunes       = 120
	MaxAltQuestionRunes = 300
)

// Source is a reference an entry relies on.
type Source struct {
	Title string `yaml:"title" json:"title"`
	URL   string `yaml:"url" json:"url"`
}

// Entry is one topic of the knowledge base: a Markdown body with the metadata
// that lets people find it. Entries are immutable once loaded.
type Entry struct {
	ID        string   `yaml:"id"`
	Title     string   `yaml:"title"`
	Kind      Kind     `yaml:"kind"`
	Checklist string   `yaml:"checklist,omitempty"`
	Step      int      `yaml:"step,omitempty"`
	Questions []string `yaml:"questions"`
	Tags      []string `yaml:"tags,omitempty"`
	// DeclinesSMP marks an out-of-scope topic that SMP's own trade falls
	// under (machines, supplies, training to do SMP, running a studio): it
	// declines a question it matches best even when the question names
	// SMP, which otherwise makes a question about SMP.
	DeclinesSMP bool     `yaml:"declines_smp,omitempty"`
	Related     []string `yaml:"related,omitempty"`
	Sources     []Source `yaml:"sources,omitempty"`
	// Body is the Markdown text after the front matter.
	Body string `yaml:"-"`
	// File is where the entry was read from, for error messages.
	File string `yaml:"-"`
	// lines maps each front-matter key to its line in File.
	lines map[string]int
	// bodyLine is the line of File on which Body starts.
	bodyLine int
}

// Answers reports whether the entry can answer a question: every kind but
// OutOfScope, which only declines.
func (e *Entry) Answers() bool { return e.Kind != OutOfScope }

// Line returns the line of File on which the front-matter key is written, or
// the line of the opening "---" when it is missing.
func (e *Entry) Line(key string) int {
	if n, ok := e.lines[key]; ok {
		return n
	}
	return 1
}

// Problem is one thing wrong with a knowledge-base file.
type Problem struct {
	File string
	Line int // 1-based; 0 when the problem concerns the whole file
	Msg  string
}

func (p Problem) String() string {
	if p.File == "" { // the text a moderator sent, which has no name here
		if p.Line > 0 {
			return fmt.Sprintf("line %d: %s", p.Line, p.Msg)
		}
		return p.Msg
	}
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// ValidationError lists every problem found in a knowledge base.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidID reports whether id is safe to use as an entry id and a file name:
// lowercase letters, digits and single hyphens, at most 64 characters.
func ValidID(id string) bool {
	return len(id) <= 64 && idPattern.MatchString(id)
}

var delimiter = []byte("---")

// ParseEntry reads one entry file: YAML front matter between "---" lines, then
// a Markdown body. It checks everything that can be checked within one file and
// returns all the problems it finds, each with file and line.
func ParseEntry(file string, data []byte) (*Entry, []Problem) {
	problemAt := func(line int, format string, args ...any) []Problem {
		return []Problem{{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}}
	}
	if len(data) > MaxEntryBytes {
		return nil, problemAt(0, "entry is %d bytes, over the %d-byte limit", len(data), MaxEntryBytes)
	}
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		return nil, problemAt(0, "entry is not UTF-8 text")
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	lines := bytes.Split(data, []byte("\n"))
	if len(lines) == 0 || !bytes.Equal(bytes.TrimSpace(lines[0]), delimiter) {
		return nil, problemAt(1, `front matter must start with "---" on the first line`)
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if bytes.Equal(bytes.TrimRight(lines[i], " \t"), delimiter) {
			end = i
			break
		}
	}
	if end < 0 {
		return nil, problemAt(1, `front matter is not closed by a "---" line`)
	}
	front := bytes.Join(lines[1:end], []byte("\n"))
	var e Entry
	dec := yaml.NewDecoder(bytes.NewReader(front))
	dec.KnownFields(true)
	if err := dec.Decode(&e); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlProblems(file, err)
	}
	e.File = file
	e.lines = keyLines(front)
	body := string(bytes.Join(lines[end+1:], []byte("\n")))
	e.Body = strings.TrimSpace(body)
	e.bodyLine = end + 2 + strings.Count(body[:len(body)-len(strings.TrimLeftFunc(body, unicode.IsSpace))], "\n")
	ps := e.check(end + 2)
	for i, l := range lines[end+1:] {
		if bytes.Equal(bytes.TrimRight(l, " \t"), delimiter) {
			ps = append(ps, Problem{File: file, Line: end + 2 + i, Msg: `body contains a "---" line, which would be read as front matter`})
			break
		}
	}
	return &e, ps
}

// keyLines maps each top-level key of front matter to its line in the file,
// counting the opening "---" as line 1.
func keyLines(front []byte) map[string]int {
	lines := map[string]int{}
	var root yaml.Node
	if yaml.Unmarshal(front, &root) != nil || len(root.Content) == 0 {
		return lines
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		lines[m.Content[i].Value] = m.Content[i].Line + 1
	}
	return lines
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// yamlProblems turns a yaml error into Problems, one per error it holds,
// shifting line numbers past the opening "---".
func yamlProblems(file string, err error) []Problem {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return []Problem{yamlProblem(file, err.Error())}
	}
	ps := make([]Problem, len(te.Errors))
	for i, msg := range te.Errors {
		ps[i] = yamlProblem(file, msg)
	}
	return ps
}

func yamlProblem(file, msg string) Problem {
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		fmt.Sscan(m[1], &line)
		line++
		msg = strings.TrimSpace(yamlLine.ReplaceAllString(msg, ""))
		msg = strings.TrimPrefix(strings.TrimPrefix(msg, ":"), " ")
	}
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		return Problem{File: file, Line: line, Msg: unknownKey(m[1], m[2])}
	}
	return Problem{File: file, Line: line, Msg: "malformed front matter: " + msg}
}

// unknownField is how the YAML decoder names a key no field takes.
var unknownField = regexp.MustCompile(`^field (\S+) not found in type \S*\.(\w+)$`)

// frontMatterKeys are the keys of the front matter, or of its sources, by
// the name of the type the YAML decoder reports.
func frontMatterKeys(typ string) []string {
	if typ == "Source" {
		return []string{"title", "url"}
	}
	return []string{"id", "title", "kind", "checklist", "step", "questions", "tags", "related", "sources"}
}

// unknownKey explains a misspelled key in the words of the file, not of Go.
func unknownKey(key, typ string) string {
	keys := frontMatterKeys(typ)
	best, dist := "", 3 // suggest only near misses
	for _, k := range keys {
		if d := editDistance(key, k); d < dist {
			best, dist = k, d
		}
	}
	if best != "" {
		return fmt.Sprintf("unknown key %s; did you mean %s?", key, best)
	}
	return fmt.Sprintf("unknown key %s; the keys are %s", key, strings.Join(keys, ", "))
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// check validates the fields of one entry. bodyLine is the line the body starts on.
func (e *Entry) check(bodyLine int) []Problem {
	var ps []Problem
	add := func(line int, format string, args ...any) {
		ps = append(ps, Problem{File: e.File, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	switch {
	case e.ID == "":
		add(e.Line("id"), "missing id")
	case !ValidID(e.ID):
		add(e.Line("id"), "id %q is unsafe: use lowercase letters, digits and single hyphens (at most 64)", e.ID)
	}
	title := strings.TrimSpace(e.Title)
	switch {
	case title == "":
		add(e.Line("title"), "empty title")
	case len([]rune(title)) > MaxTitleRunes:
		add(e.Line("title"), "title is over %d characters", MaxTitleRunes)
	case !oneLine(title):
		add(e.Line("title"), "title has a line break or control character")
	}
	switch e.Kind {
	case Explanation, OutOfScope:
		if e.Checklist != "" || e.Step != 0 {
			add(e.Line("kind"), "checklist and step belong only to entries of kind checklist")
		}
		if e.Kind == OutOfScope && slices.Contains(e.Tags, UrgentTag) {
			add(e.Line("tags"), "an out-of-scope topic cannot be tagged %s: it never answers", UrgentTag)
		}
	case Checklist:
		if !ValidID(e.Checklist) {
			add(e.Line("checklist"), "checklist entry needs a checklist name (lowercase letters, digits, hyphens)")
		}
		if e.Step < 1 {
			add(e.Line("step"), "checklist entry needs a step number of 1 or more")
		}
	case "":
		add(e.Line("kind"), "missing kind (explanation, checklist or out-of-scope)")
	default:
		add(e.Line("kind"), "unknown kind %q (want explanation, checklist or out-of-scope)", e.Kind)
	}
	if e.DeclinesSMP && e.Kind != OutOfScope {
		add(e.Line("declines_smp"), "declines_smp belongs only to entries of kind out-of-scope")
	}
	for _, q := range e.Questions {
		if strings.TrimSpace(q) == "" {
			add(e.Line("questions"), "empty alternate question")
		} else if len([]rune(q)) > MaxAltQuestionRunes {
			add(e.Line("questions"), "alternate question is over %d characters", MaxAltQuestionRunes)
		} else if !oneLine(q) {
			add(e.Line("questions"), "alternate question %q has a line break or control character", q)
		}
	}
	for _, t := range e.Tags {
		if !oneLine(t) {
			add(e.Line("tags"), "tag %q has a line break or control character", t)
		}
	}
	for _, s := range e.Sources {
		switch {
		case !strings.HasPrefix(s.URL, "https://") && !strings.HasPrefix(s.URL, "http://"):
			add(e.Line("sources"), "source %q needs an http(s) URL", s.Title)
		case !oneLine(s.Title) || !oneLine(s.URL):
			add(e.Line("sources"), "source %q has a line break or control character", s.Title)
		}
	}
	if e.Body == "" {
		add(bodyLine, "empty body")
	}
	return ps
}

// oneLine reports whether s is one line of text: no control character but
// tabs. A line break in a title, question, tag or source would break the
// platforms' layout, and a lone carriage return does not survive being
// written back as YAML.
func oneLine(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r != '\t' && unicode.IsControl(r) })
}

// Text returns the entry as the text of its file: YAML front matter, then the
// Markdown body. Parsing the text gives the entry back.
func (e *Entry) Text() (string, error) {
	front, err := yaml.Marshal(e)
	if err != nil {
		return "", fmt.Errorf("encode entry %s: %w", e.ID, err)
	}
	return "---\n" + string(front) + "---\n" + e.Body + "\n", nil
}

// Slug makes an entry id from a title: "Is SMP safe?" becomes "is-smp-safe".
// It returns "" for a title with no letters or digits.
func Slug(title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
		default:
			hyphen = true
		}
	}
	s := b.String()
	for len(s) > 64 {
		i := strings.LastIndexByte(s[:64], '-')
		if i < 0 {
			i = 64
		}
		s = s[:i]
	}
	return s
}
