package knowledge_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// lines joins its arguments into a file, one per line, so that a test can
// count the line a problem belongs on by counting arguments.
func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// wantProblem is a problem a test expects: where it is and a fragment of what
// it says.
type wantProblem struct {
	file string
	line int
	msg  string
}

// checkProblems fails unless got holds exactly the wanted problems, in any
// order, each on one line of text.
func checkProblems(t *testing.T, input string, got []knowledge.Problem, want []wantProblem) {
	t.Helper()
	used := make([]bool, len(got))
	for _, w := range want {
		found := false
		for i, p := range got {
			if !used[i] && p.File == w.file && p.Line == w.line && strings.Contains(p.Msg, w.msg) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("%s: no problem %s:%d containing %q; got %q", input, w.file, w.line, w.msg, got)
		}
	}
	for i, p := range got {
		if !used[i] {
			t.Errorf("%s: unexpected problem %q", input, p)
		}
		if strings.Contains(p.String(), "\n") {
			t.Errorf("%s: problem %q spans several lines; lint prints one problem per line", input, p)
		}
	}
}

func TestParseEntryProblems(t *testing.T) {
	const file = "entries/a.md"
	tests := []struct {
		name string
		data string
		want []wantProblem
	}{
		{
			name: "missing id",
			data: lines("---", "title: A", "kind: explanation", "---", "Body."),
			want: []wantProblem{{file, 1, "missing id"}},
		},
		{
			name: "path in id",
			data: strings.Replace(knowledgetest.EntryText("a"), "id: a", "id: ../etc", 1),
			want: []wantProblem{{file, 2, "unsafe"}},
		},
		{
			name: "space and capitals in id",
			data: strings.Replace(knowledgetest.EntryText("a"), "id: a", "id: Foo Bar", 1),
			want: []wantProblem{{file, 2, "unsafe"}},
		},
		{
			name: "unknown kind",
			data: strings.Replace(knowledgetest.EntryText("a"), "kind: explanation", "kind: essay", 1),
			want: []wantProblem{{file, 4, `unknown kind "essay"`}},
		},
		{
			name: "line breaks in one-line fields",
			data: lines("---", "id: a", `title: "About\ra"`, "kind: explanation", "questions:", `  - "what is\na"`,
				"tags: [\"x\\ty\", \"z\\u0007\"]", "sources:", `  - {title: "Guide\r\r", url: "https://example.org/"}`, "---", "Body."),
			want: []wantProblem{
				{file, 3, "title has a line break"},
				{file, 5, `alternate question "what is\na" has a line break`},
				{file, 7, `tag "z\a" has a line break`},
				{file, 8, `source "Guide\r\r" has a line break`},
			},
		},
		{
			name: "urgent out-of-scope topic",
			data: strings.Replace(knowledgetest.EntryText("a"), "kind: explanation", "kind: out-of-scope\ntags: [urgent]", 1),
			want: []wantProblem{{file, 5, "out-of-scope topic cannot be tagged urgent"}},
		},
		{
			name: "missing kind",
			data: strings.Replace(knowledgetest.EntryText("a"), "kind: explanation", "tags: [x]", 1),
			want: []wantProblem{{file, 1, "missing kind"}},
		},
		{
			name: "empty title",
			data: strings.Replace(knowledgetest.EntryText("a"), "title: About a", `title: "  "`, 1),
			want: []wantProblem{{file, 3, "empty title"}},
		},
		{
			name: "empty body",
			data: lines("---", "id: a", "title: A", "kind: explanation", "---", "", "   "),
			want: []wantProblem{{file, 6, "empty body"}},
		},
		{
			name: "checklist step without a checklist",
			data: lines("---", "id: a", "title: A", "kind: checklist", "step: 0", "---", "Body."),
			want: []wantProblem{{file, 1, "checklist name"}, {file, 5, "step number"}},
		},
		{
			name: "step on an explanation",
			data: lines("---", "id: a", "title: A", "kind: explanation", "step: 2", "---", "Body."),
			want: []wantProblem{{file, 4, "belong only to entries of kind checklist"}},
		},
		{
			name: "an explanation that declines SMP's trade",
			data: lines("---", "id: a", "title: A", "kind: explanation", "declines_smp: true", "---", "Body."),
			want: []wantProblem{{file, 5, "declines_smp belongs only to entries of kind out-of-scope"}},
		},
		{
			name: "source without a URL",
			data: lines("---", "id: a", "title: A", "kind: explanation", "sources:", "  - title: a book", "    url: ftp://x", "---", "Body."),
			want: []wantProblem{{file, 5, `source "a book" needs an http(s) URL`}},
		},
		{
			name: "empty alternate question",
			data: lines("---", "id: a", "title: A", "kind: explanation", "questions:", `  - ""`, "---", "Body."),
			want: []wantProblem{{file, 5, "empty alternate question"}},
		},
		{
			name: "several problems in one file",
			data: lines("---", "id: Bad Id", "title: ''", "kind: essay", "---", ""),
			want: []wantProblem{{file, 2, "unsafe"}, {file, 3, "empty title"}, {file, 4, "unknown kind"}, {file, 6, "empty body"}},
		},
		{
			name: "malformed yaml",
			data: lines("---", "id: a", "title: A", "kind: explanation", "questions: what: now", "---", "Body."),
			want: []wantProblem{{file, 5, "malformed front matter"}},
		},
		{
			name: "unclosed quote in front matter",
			data: lines("---", "id: a", `title: "A`, "kind: explanation", "---", "Body."),
			want: []wantProblem{{file, 3, "malformed front matter"}},
		},
		{
			name: "unknown front-matter field",
			data: lines("---", "id: a", "title: A", "kind: explanation", "colour: red", "---", "Body."),
			want: []wantProblem{{file, 5, "colour"}},
		},
		{
			name: "two unknown front-matter fields",
			data: lines("---", "id: a", "title: A", "kind: explanation", "colour: red", "shade: dark", "---", "Body."),
			want: []wantProblem{{file, 5, "colour"}, {file, 6, "shade"}},
		},
		{
			name: "no front matter",
			data: lines("# Just Markdown", "Body."),
			want: []wantProblem{{file, 1, `must start with "---"`}},
		},
		{
			name: "unclosed front matter",
			data: lines("---", "id: a", "title: A", "kind: explanation", "Body."),
			want: []wantProblem{{file, 1, "not closed"}},
		},
		{
			name: "entry over the size limit",
			data: knowledgetest.EntryText("a") + strings.Repeat("Pigment dots sit in the upper dermis. ", 100<<10/38),
			want: []wantProblem{{file, 0, "limit"}},
		},
		{
			name: "dash line inside the body",
			data: lines("---", "id: a", "title: A", "kind: explanation", "---", "First part.", "", "---", "", "Second part."),
			want: []wantProblem{{file, 8, `"---" line`}},
		},
		{
			name: "not UTF-8",
			data: knowledgetest.EntryText("a") + "caf\xe9\n",
			want: []wantProblem{{file, 0, "UTF-8"}},
		},
		{
			name: "NUL byte",
			data: knowledgetest.EntryText("a") + "\x00\n",
			want: []wantProblem{{file, 0, "UTF-8"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := knowledge.ParseEntry(file, []byte(tt.data))
			checkProblems(t, tt.name, got, tt.want)
		})
	}
}

func TestParseEntryValid(t *testing.T) {
	data := lines(
		"---",
		"id: blurry-dots",
		"title: Why dots blur",
		"kind: explanation",
		"questions:",
		"  - why are my dots blurry",
		"  - my dots went fuzzy",
		"tags: [blurry, depth]",
		"sources:",
		"  - title: The guide",
		"    url: https://example.com/guide",
		"---",
		"",
		"Pigment placed too deep spreads.",
		"",
	)
	crlf := strings.ReplaceAll(data, "\n", "\r\n")
	for name, text := range map[string]string{"LF": data, "CRLF": crlf} {
		t.Run(name, func(t *testing.T) {
			e, ps := knowledge.ParseEntry("entries/blurry-dots.md", []byte(text))
			if len(ps) > 0 {
				t.Fatalf("ParseEntry(%s) problems: %q", name, ps)
			}
			if got, want := e.Body, "Pigment placed too deep spreads."; got != want {
				t.Errorf("ParseEntry(%s).Body = %q, want %q", name, got, want)
			}
			if got, want := e.Questions, []string{"why are my dots blurry", "my dots went fuzzy"}; !equal(got, want) {
				t.Errorf("ParseEntry(%s).Questions = %q, want %q", name, got, want)
			}
			if got, want := e.Kind, knowledge.Explanation; got != want {
				t.Errorf("ParseEntry(%s).Kind = %q, want %q", name, got, want)
			}
			if len(e.Sources) != 1 || e.Sources[0].URL != "https://example.com/guide" {
				t.Errorf("ParseEntry(%s).Sources = %+v, want the guide", name, e.Sources)
			}
			for key, want := range map[string]int{"id": 2, "title": 3, "questions": 5, "sources": 9, "related": 1} {
				if got := e.Line(key); got != want {
					t.Errorf("ParseEntry(%s).Line(%q) = %d, want %d", name, key, got, want)
				}
			}
		})
	}
}

func equal(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }

func TestLoadValid(t *testing.T) {
	b, err := knowledge.Load(knowledgetest.Files())
	if err != nil {
		t.Fatalf("Load(valid base): %v", err)
	}
	var ids []string
	for _, e := range b.Entries() {
		ids = append(ids, e.ID)
	}
	if want := []string{"aftercare", "healing", "step-one", "step-two"}; !equal(ids, want) {
		t.Errorf("Load(valid base).Entries() = %q, want %q", ids, want)
	}
	var steps []string
	for _, e := range b.Checklist("choosing") {
		steps = append(steps, e.ID)
	}
	if want := []string{"step-one", "step-two"}; !equal(steps, want) {
		t.Errorf("Checklist(%q) = %q, want %q", "choosing", steps, want)
	}
	if got, want := b.Checklists(), []string{"choosing"}; !equal(got, want) {
		t.Errorf("Checklists() = %q, want %q", got, want)
	}
	e, ok := b.Entry("aftercare")
	if !ok || e.File != "entries/aftercare.md" || e.Body != "What aftercare is, in a sentence." {
		t.Errorf("Entry(%q) = %+v, %v; want the parsed aftercare entry", "aftercare", e, ok)
	}
	if _, ok := b.Entry("missing"); ok {
		t.Errorf("Entry(%q) found an entry, want none", "missing")
	}
	syn := b.Synonyms()
	if len(syn.Groups) != 1 || len(syn.Phrases) != 1 {
		t.Errorf("Synonyms() = %d groups, %d phrases; want 1 and 1", len(syn.Groups), len(syn.Phrases))
	}
}

func TestLoadWithoutSynonyms(t *testing.T) {
	fsys := knowledgetest.Files()
	delete(fsys, "synonyms.txt")
	b, err := knowledge.Load(fsys)
	if err != nil {
		t.Fatalf("Load(base without synonyms.txt): %v", err)
	}
	if got := b.Synonyms().Expand("hair tattoo"); got != "hair tattoo" {
		t.Errorf("Expand(%q) without synonyms = %q, want it unchanged", "hair tattoo", got)
	}
}

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // added to validFS; "" deletes
		want  []wantProblem
	}{
		{
			name:  "id not matching the file name",
			files: map[string]string{"entries/other.md": knowledgetest.EntryText("another")},
			want:  []wantProblem{{"entries/other.md", 2, `id "another" does not match the file name (want "other")`}},
		},
		{
			name:  "broken related link",
			files: map[string]string{"entries/healing.md": knowledgetest.EntryText("healing", "aftercare", "no-such-entry")},
			want:  []wantProblem{{"entries/healing.md", 7, `related id "no-such-entry" does not exist`}},
		},
		{
			name: "related to an out-of-scope topic",
			files: map[string]string{
				"entries/healing.md":   knowledgetest.EntryText("healing", "not-pools"),
				"entries/not-pools.md": strings.Replace(knowledgetest.EntryText("not-pools"), "kind: explanation", "kind: out-of-scope", 1),
			},
			want: []wantProblem{{"entries/healing.md", 7, `related id "not-pools" is an out-of-scope topic`}},
		},
		{
			name:  "related to itself",
			files: map[string]string{"entries/healing.md": knowledgetest.EntryText("healing", "healing")},
			want:  []wantProblem{{"entries/healing.md", 7, "itself"}},
		},
		{
			name:  "checklist step gap",
			files: map[string]string{"entries/step-two.md": "", "entries/step-three.md": knowledgetest.StepText("step-three", "3")},
			want:  []wantProblem{{"entries/step-three.md", 6, "expected step 2, found step 3"}},
		},
		{
			name:  "checklist starting at step 2",
			files: map[string]string{"entries/step-one.md": ""},
			want:  []wantProblem{{"entries/step-two.md", 6, "expected step 1, found step 2"}},
		},
		{
			name:  "unsafe id",
			files: map[string]string{"entries/etc.md": strings.Replace(knowledgetest.EntryText("etc"), "id: etc", "id: ../etc", 1)},
			want:  []wantProblem{{"entries/etc.md", 2, "unsafe"}},
		},
		{
			name:  "bad synonyms file",
			files: map[string]string{"synonyms.txt": "# ok\nthe, a, smp\n"},
			want: []wantProblem{
				{"synonyms.txt", 2, `"the"`}, {"synonyms.txt", 2, `"a"`}, {"synonyms.txt", 2, "at least two words"},
			},
		},
		{
			name:  "synonyms file not UTF-8",
			files: map[string]string{"synonyms.txt": "tech, techn\xe9cian\n"},
			want:  []wantProblem{{"synonyms.txt", 0, "UTF-8"}},
		},
		{
			name: "no entries",
			files: map[string]string{
				"entries/aftercare.md": "", "entries/healing.md": "", "entries/step-one.md": "", "entries/step-two.md": "",
			},
			want: []wantProblem{{"entries", 0, "no entries"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := knowledgetest.Files()
			for name, data := range tt.files {
				if data == "" {
					delete(fsys, name)
				} else {
					fsys[name] = &fstest.MapFile{Data: []byte(data)}
				}
			}
			_, err := knowledge.Load(fsys)
			var verr *knowledge.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Load(%s) error = %v, want a *ValidationError", tt.name, err)
			}
			checkProblems(t, tt.name, verr.Problems, tt.want)
		})
	}
}

// A checklist that repeats a step is reported at the step line of one of the
// two files; which one depends on sorting equal steps.
func TestLoadRepeatedStep(t *testing.T) {
	fsys := knowledgetest.Files()
	fsys["entries/step-two.md"] = &fstest.MapFile{Data: []byte(knowledgetest.StepText("step-two", "1"))}
	_, err := knowledge.Load(fsys)
	var verr *knowledge.ValidationError
	if !errors.As(err, &verr) || len(verr.Problems) != 1 {
		t.Fatalf("Load(two steps numbered 1) error = %v, want one problem", err)
	}
	p := verr.Problems[0]
	if (p.File != "entries/step-one.md" && p.File != "entries/step-two.md") || p.Line != 6 || !strings.Contains(p.Msg, "expected step 2, found step 1") {
		t.Errorf("Load(two steps numbered 1) = %q, want a repeated-step problem on line 6 of a step file", p)
	}
}

func TestLoadCollectsEveryProblem(t *testing.T) {
	fsys := knowledgetest.Files()
	fsys["entries/bad-kind.md"] = &fstest.MapFile{Data: []byte(lines("---", "id: bad-kind", "title: ''", "kind: essay", "---", "Body."))}
	fsys["entries/open.md"] = &fstest.MapFile{Data: []byte(lines("---", "id: open", "Body."))}
	fsys["entries/wrong.md"] = &fstest.MapFile{Data: []byte(knowledgetest.EntryText("right"))}
	fsys["entries/healing.md"] = &fstest.MapFile{Data: []byte(knowledgetest.EntryText("healing", "gone"))}
	fsys["synonyms.txt"] = &fstest.MapFile{Data: []byte("hair tattoo, smp\n")}
	_, err := knowledge.Load(fsys)
	var verr *knowledge.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Load(base with six broken files) error = %v, want a *ValidationError", err)
	}
	checkProblems(t, "six broken files", verr.Problems, []wantProblem{
		{"entries/bad-kind.md", 3, "empty title"},
		{"entries/bad-kind.md", 4, "unknown kind"},
		{"entries/open.md", 1, "not closed"},
		{"entries/wrong.md", 2, "does not match the file name"},
		{"entries/healing.md", 7, `"gone" does not exist`},
		{"synonyms.txt", 1, "not a single word"},
		{"synonyms.txt", 1, "at least two words"},
	})
	// The error text is what `bot kb lint` prints: one "file:line: problem"
	// per line.
	if got, want := strings.Count(err.Error(), "\n")+1, len(verr.Problems); got != want {
		t.Errorf("Load error has %d lines for %d problems:\n%s", got, want, err)
	}
	if !strings.Contains(err.Error(), "entries/bad-kind.md:4: unknown kind") {
		t.Errorf("Load error = %q, want it to name file and line", err)
	}
}

func TestNewBaseDuplicateID(t *testing.T) {
	first, ps := knowledge.ParseEntry("entries/aftercare.md", []byte(knowledgetest.EntryText("aftercare")))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	second, ps := knowledge.ParseEntry("extra/aftercare.md", []byte(knowledgetest.EntryText("aftercare")))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	_, got := knowledge.NewBase([]*knowledge.Entry{first, second}, &knowledge.Synonyms{})
	checkProblems(t, "two files with id aftercare", got, []wantProblem{
		{"extra/aftercare.md", 2, `duplicate id "aftercare" (also in entries/aftercare.md)`},
	})
}

func TestValidID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"blurry-dots", true},
		{"checklist-1", true},
		{"a", true},
		{strings.Repeat("a", 64), true},
		{strings.Repeat("a", 65), false},
		{"", false},
		{"../etc", false},
		{"Foo Bar", false},
		{"foo--bar", false},
		{"-foo", false},
		{"foo-", false},
		{"foo_bar", false},
		{"foo/bar", false},
		{"café", false},
	}
	for _, tt := range tests {
		if got := knowledge.ValidID(tt.id); got != tt.want {
			t.Errorf("ValidID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}
