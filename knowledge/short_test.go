package knowledge_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

func TestShort(t *testing.T) {
	tests := []struct{ body, want string }{
		{"One line.", "One line."},
		{"First line\nsame paragraph.\n\nSecond paragraph.", "First line\nsame paragraph."},
		{"First.\n   \nA blank line of spaces ends it too.", "First."},
	}
	for _, tt := range tests {
		e := &knowledge.Entry{Body: tt.body}
		if got := e.Short(); got != tt.want {
			t.Errorf("Entry{Body: %q}.Short() = %q, want %q", tt.body, got, tt.want)
		}
	}
}

// withBody is knowledgetest.EntryText("a") with body in place of its one-line body, which
// starts on line 9.
func withBody(body string) string {
	return strings.Replace(knowledgetest.EntryText("a"), "What a is, in a sentence.\n", body+"\n", 1)
}

func TestLint(t *testing.T) {
	const file = "entries/a.md"
	sixtyOne := strings.TrimSpace(strings.Repeat("word ", 61)) + "."
	tests := []struct {
		name string
		body string
		want []wantProblem
	}{
		{name: "one sentence", body: "SMP is safe when done well."},
		{name: "two sentences and more paragraphs", body: "SMP is safe when done well. Pick a trained practitioner!\n\n# Details\n\n- one\n- two"},
		{name: "a question and its answer", body: "**Is it safe?** Mostly, yes."},
		{name: "abbreviations", body: "Some conditions, e.g. psoriasis, i.e. a skin disease, need Dr. Smith's advice vs. a clinic's etc. and the U.S. rules. Ask first."},
		{name: "an initial", body: "Dr J. Smith says so."},
		{name: "a full stop inside a word", body: "Needles of 0.25 mm, sites like example.com, and so on. Fine."},
		{name: "a sentence without its full stop", body: "Ask your doctor first. Then book"},
		{name: "a link's address is no word", body: "See the [guide](https://example.com/a.b.c/very/long/path?x=1.2) for more. It helps."},
		{name: "sixty words", body: strings.TrimSpace(strings.Repeat("word ", 60)) + "."},
		{name: "a dash is no word", body: strings.TrimSpace(strings.Repeat("word ", 59)) + " – done."},
		{
			name: "sixty-one words",
			body: sixtyOne,
			want: []wantProblem{{file, 9, "61 words, over 60"}},
		},
		{
			name: "three sentences",
			body: "One. Two!\nThree?",
			want: []wantProblem{{file, 9, "3 sentences, over 2"}},
		},
		{
			name: "ends inside quotes, brackets and emphasis",
			body: `He said "stop." It is **sure.** (See below.)`,
			want: []wantProblem{{file, 9, "3 sentences"}},
		},
		{
			name: "three sentences, the last unfinished",
			body: "One. Two. Three",
			want: []wantProblem{{file, 9, "3 sentences"}},
		},
		{
			name: "too long and too many sentences",
			body: sixtyOne + " Two. Three.",
			want: []wantProblem{{file, 9, "63 words"}, {file, 9, "3 sentences"}},
		},
		{name: "heading", body: "## Overview\n\nText.", want: []wantProblem{{file, 9, "a heading"}}},
		{name: "list item", body: "- first\n- second", want: []wantProblem{{file, 9, "a list item"}}},
		{name: "numbered list", body: "1. first", want: []wantProblem{{file, 9, "a list item"}}},
		{name: "quote", body: "> quoted", want: []wantProblem{{file, 9, "a quote"}}},
		{name: "code", body: "```\ncode\n```", want: []wantProblem{{file, 9, "code"}}},
		{name: "table", body: "| a | b |", want: []wantProblem{{file, 9, "a table"}}},
		{name: "a list in the paragraph", body: "Before you book:\n- check this", want: []wantProblem{{file, 10, "a list item"}}},
		{name: "after blank lines", body: "\n\n# Heading", want: []wantProblem{{file, 11, "a heading"}}},
		{name: "bold is prose", body: "**Bold** start, then *more*."},
		{name: "a hashtag is prose", body: "#smp is a tag people use."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"entries/a.md": {Data: []byte(withBody(tt.body))}}
			b, err := knowledge.Load(fsys)
			if err != nil {
				t.Fatalf("Load(body %q): %v; want the entry to load whatever its writing", tt.body, err)
			}
			checkProblems(t, tt.body, b.Lint(), tt.want)
		})
	}
}
