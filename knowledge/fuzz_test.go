package knowledge_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/smpbot/bot/index/indextest"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

// The seed corpora are the embedded guide (added here) and the inputs under
// testdata/fuzz. Run one target at a time, for example:
//
//	go test -run='^$' -fuzz='^FuzzAnswer$' -fuzztime=30s ./knowledge

// FuzzAnswer answers arbitrary text from the embedded guide through the real
// index: it must return, without panicking, an answer of the promised shape.
func FuzzAnswer(f *testing.F) {
	svc := indextest.Guide(f)
	for _, e := range svc.Base().Entries() {
		f.Add(e.Title)
		for _, q := range e.Questions {
			f.Add(q)
		}
	}
	f.Fuzz(func(t *testing.T, q string) {
		a, err := svc.Answer(context.Background(), q)
		clean, truncated := knowledge.CleanQuestion(q)
		if clean == "" {
			if !errors.Is(err, knowledge.ErrEmptyQuestion) {
				t.Fatalf("Answer(%q) = %v, want ErrEmptyQuestion", q, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Answer(%q): %v", q, err)
		}
		switch {
		case a.Question != clean || a.Truncated != truncated:
			t.Errorf("Answer(%q).Question = %q (truncated %v), want %q (%v)", q, a.Question, a.Truncated, clean, truncated)
		case !utf8.ValidString(a.Question) || utf8.RuneCountInString(a.Question) > knowledge.MaxQuestionRunes:
			t.Errorf("Answer(%q).Question = %q: invalid UTF-8 or over %d runes", q, a.Question, knowledge.MaxQuestionRunes)
		case a.Urgent && !a.Answered:
			t.Errorf("Answer(%q) is urgent but not answered", q)
		case a.Answered && a.Best() == nil:
			t.Errorf("Answer(%q) is answered without a best entry", q)
		case !a.Answered && (a.Best() != nil || len(a.Checklist) > 0 || len(a.Matches) > 3):
			t.Errorf("Answer(%q) is not answered but claims an entry, a checklist or %d suggestions", q, len(a.Matches))
		case len(a.Related) > 3:
			t.Errorf("Answer(%q) has %d related topics, want at most 3", q, len(a.Related))
		}
	})
}

// FuzzParseEntry parses arbitrary entry files: it must not panic, must
// either return an entry or say what is wrong, and a valid entry written
// back as front matter and body must parse to the same entry.
func FuzzParseEntry(f *testing.F) {
	entries, err := fs.Glob(guide.FS(), "entries/*.md")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range entries {
		data, err := fs.ReadFile(guide.FS(), name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, problems := knowledge.ParseEntry("entry.md", data)
		if e == nil && len(problems) == 0 {
			t.Fatalf("ParseEntry(%q) = nil entry and no problems", data)
		}
		if len(problems) > 0 {
			return
		}
		if !knowledge.ValidID(e.ID) {
			t.Fatalf("ParseEntry(%q) accepted the unsafe id %q", data, e.ID)
		}
		front, err := yaml.Marshal(e)
		if err != nil {
			t.Fatalf("yaml.Marshal(ParseEntry(%q)): %v", data, err)
		}
		again := fmt.Sprintf("---\n%s---\n%s\n", front, e.Body)
		e2, problems := knowledge.ParseEntry("entry.md", []byte(again))
		if len(problems) > 0 {
			t.Fatalf("ParseEntry(%q) is valid, but written back as\n%s\nit has problems: %q", data, again, problems)
		}
		if e2.ID != e.ID {
			t.Fatalf("ParseEntry(%q).ID = %q, written back and parsed again = %q", data, e.ID, e2.ID)
		}
		if e2.Title != e.Title || e2.Kind != e.Kind || e2.Body != e.Body || e2.Step != e.Step || e2.Checklist != e.Checklist ||
			!slices.Equal(e2.Questions, e.Questions) || !slices.Equal(e2.Sources, e.Sources) {
			t.Errorf("ParseEntry(%q) = %+v, written back and parsed again = %+v", data, e, e2)
		}
	})
}

// FuzzParseSynonyms parses arbitrary synonym files: it must not panic, what
// it accepts must be lowercase single words, written back it must parse to
// the same groups and phrases, and expanding a text with it must not panic.
func FuzzParseSynonyms(f *testing.F) {
	data, err := fs.ReadFile(guide.FS(), knowledge.SynonymsFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data, "is a hair tattoo safe for my scalp")
	f.Fuzz(func(t *testing.T, data []byte, text string) {
		s, _ := knowledge.ParseSynonyms("synonyms.txt", data)
		var back []string
		for _, g := range s.Groups {
			if len(g) < 2 {
				t.Errorf("ParseSynonyms(%q) accepted the group %q of fewer than two words", data, g)
			}
			for _, w := range g {
				if w == "" || w != strings.ToLower(w) || strings.ContainsAny(w, " \t,=>") {
					t.Errorf("ParseSynonyms(%q) accepted the word %q", data, w)
				}
			}
			back = append(back, strings.Join(g, ", "))
		}
		for _, p := range s.Phrases {
			if len(p.Words) < 2 || p.Word == "" {
				t.Errorf("ParseSynonyms(%q) accepted the phrase %q => %q", data, p.Words, p.Word)
			}
			back = append(back, strings.Join(p.Words, " ")+" => "+p.Word)
		}
		again, problems := knowledge.ParseSynonyms("synonyms.txt", []byte(strings.Join(back, "\n")))
		if len(problems) > 0 {
			t.Fatalf("ParseSynonyms(%q) written back as %q has problems: %q", data, back, problems)
		}
		if !sameSynonyms(s, again) {
			t.Errorf("ParseSynonyms(%q) = %+v, written back and parsed again = %+v", data, s, again)
		}
		s.Expand(text)
	})
}

func sameSynonyms(a, b *knowledge.Synonyms) bool {
	if !reflect.DeepEqual(a.Groups, b.Groups) || len(a.Phrases) != len(b.Phrases) {
		return false
	}
	for i := range a.Phrases {
		if !reflect.DeepEqual(a.Phrases[i].Words, b.Phrases[i].Words) || a.Phrases[i].Word != b.Phrases[i].Word {
			return false
		}
	}
	return true
}
