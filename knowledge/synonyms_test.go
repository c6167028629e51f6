package knowledge_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/smpbot/bot/knowledge"
)

func TestParseSynonyms(t *testing.T) {
	data := lines(
		"# people",
		"Technician, practitioner , artist,tech",
		"",
		"hair tattoo => smp",
		"scalp   micro   pigmentation => SMP",
	)
	s, ps := knowledge.ParseSynonyms("synonyms.txt", []byte(data))
	if len(ps) > 0 {
		t.Fatalf("ParseSynonyms(valid file) problems: %q", ps)
	}
	if len(s.Groups) != 1 || !equal(s.Groups[0], []string{"technician", "practitioner", "artist", "tech"}) {
		t.Errorf("ParseSynonyms(valid file).Groups = %q, want one lowercased group of four", s.Groups)
	}
	if len(s.Phrases) != 2 {
		t.Fatalf("ParseSynonyms(valid file).Phrases = %d, want 2", len(s.Phrases))
	}
	if got := s.Phrases[1]; !equal(got.Words, []string{"scalp", "micro", "pigmentation"}) || got.Word != "smp" {
		t.Errorf("ParseSynonyms(valid file).Phrases[1] = %q => %q, want scalp micro pigmentation => smp", got.Words, got.Word)
	}
}

func TestParseSynonymsProblems(t *testing.T) {
	const file = "synonyms.txt"
	tests := []struct {
		name string
		data string
		want []wantProblem
	}{
		{
			name: "stop words that would match everything",
			data: lines("# header", "the, a, smp"),
			want: []wantProblem{{file, 2, `"the" would match almost every question`}, {file, 2, `"a" would match`}, {file, 2, "at least two words"}},
		},
		{
			name: "stop word in a good group",
			data: lines("doctor, gp, you"),
			want: []wantProblem{{file, 1, `"you"`}},
		},
		{
			name: "multi-word item in a group",
			data: lines("smp, hair tattoo, micropigmentation"),
			want: []wantProblem{{file, 1, `"hair tattoo" is not a single word`}},
		},
		{
			name: "one-word group",
			data: lines("smp"),
			want: []wantProblem{{file, 1, "at least two words"}},
		},
		{
			name: "empty word",
			data: lines("tech, , artist"),
			want: []wantProblem{{file, 1, "empty word"}},
		},
		{
			name: "word in two groups",
			data: lines("tech, artist", "# spacer", "technician, practitioner, tech"),
			want: []wantProblem{{file, 3, `"tech" is already in the group on line 1`}},
		},
		{
			name: "word twice in a group",
			data: lines("tech, artist, tech"),
			want: []wantProblem{{file, 1, `"tech" is already in the group on line 1`}},
		},
		{
			name: "one-word phrase",
			data: lines("tattoo => smp"),
			want: []wantProblem{{file, 1, "at least two words before =>"}},
		},
		{
			name: "phrase rewritten to a phrase",
			data: lines("hair tattoo => scalp micro"),
			want: []wantProblem{{file, 1, "one word after =>"}},
		},
		{
			name: "punctuation in a phrase",
			data: lines("hair* tattoo => smp"),
			want: []wantProblem{{file, 1, "only letters"}},
		},
		{
			name: "too broad a group",
			data: lines(strings.Join(manyWords(31), ", ")),
			want: []wantProblem{{file, 1, "too broad"}},
		},
		{
			name: "problems on several lines",
			data: lines("smp", "ok, fine", "the, and"),
			want: []wantProblem{{file, 1, "at least two words"}, {file, 3, `"the"`}, {file, 3, `"and"`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := knowledge.ParseSynonyms(file, []byte(tt.data))
			checkProblems(t, tt.name, got, tt.want)
		})
	}
}

func TestSynonymsExpand(t *testing.T) {
	s, ps := knowledge.ParseSynonyms("synonyms.txt", []byte(lines("hair tattoo => smp", "touch up => touchup")))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	tests := []struct {
		text string
		want string
	}{
		{"is a hair tattoo safe", "is a smp safe"},
		{"Is a HAIR  Tattoo safe?", "Is a smp safe?"},
		{"hair\ttattoo", "smp"},
		{"when do I need a touch up on my hair tattoo", "when do I need a touchup on my smp"},
		{"chair tattoo", "chair tattoo"},
		{"hair tattoos", "hair tattoos"},
		{"hair and a tattoo", "hair and a tattoo"},
		{"tattoo hair", "tattoo hair"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := s.Expand(tt.text); got != tt.want {
			t.Errorf("Expand(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// manyWords returns n distinct made-up words.
func manyWords(n int) []string {
	var ws []string
	for i := range n {
		ws = append(ws, fmt.Sprintf("word%c%c", 'a'+i%26, 'a'+i/26))
	}
	return ws
}

// regexpExpand is Expand as one regular expression, the way it was first
// written: the reference the faster scan must agree with.
func regexpExpand(s *knowledge.Synonyms, text string) string {
	if len(s.Phrases) == 0 {
		return text
	}
	var alts []string
	words := map[string]string{}
	for _, p := range s.Phrases {
		quoted := make([]string, len(p.Words))
		for j, w := range p.Words {
			quoted[j] = regexp.QuoteMeta(w)
		}
		alts = append(alts, strings.Join(quoted, `\s+`))
		if _, ok := words[strings.Join(p.Words, " ")]; !ok {
			words[strings.Join(p.Words, " ")] = p.Word
		}
	}
	re := regexp.MustCompile(`(?i)\b(?:` + strings.Join(alts, "|") + `)\b`)
	return re.ReplaceAllStringFunc(text, func(m string) string {
		if w, ok := words[strings.ToLower(strings.Join(strings.Fields(m), " "))]; ok {
			return w
		}
		return m
	})
}

func TestSynonymsExpandMatchesRegexp(t *testing.T) {
	s, ps := knowledge.ParseSynonyms("synonyms.txt", []byte(lines(
		"hair tattoo => smp",
		"hair tattoo removal => removal",
		"scalp micro pigmentation => smp",
		"micro pigmentation => micropigmentation",
		"touch up => touchup",
		"touch-up session => touchup",
		"don't know => unsure",
		"keloid scar => keloid",
		"ink- spill => spill",
		"3 day => threeday",
	)))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	fixed := []string{
		"", "hair tattoo", "HAIR\t\n TATTOO removal", "a hair tattoo removal", "chair tattoo", "hair tattoos",
		"hair_tattoo", "_hair tattoo", "hair tattoo_", "hair\vtattoo", "scalp micro pigmentation", "scalp micro",
		"micro pigmentation scalp", "touch-up session", "touch-up", "Don't Know", "don’t know",
		"\u212Aeloid scar", "a\u212Aeloid scar", "\u017Fcalp micro pigmentation", "x\u017Fcalp micro pigmentation",
		"hair ta\u017F", "ink- spill", "ink- spilled", "ink-- spill", "3 day", "13 day", "3 days", "3 DAY!",
		"hair tattoo hair tattoo", "hairtattoo", "\xffhair tattoo\xff", "é hair tattoo é", "éhair tattooé",
		"touch up touch up", "hair  tattoo.removal",
	}
	for _, text := range fixed {
		if got, want := s.Expand(text), regexpExpand(s, text); got != want {
			t.Errorf("Expand(%q) = %q, want %q as the regular expression gives", text, got, want)
		}
	}
	pieces := []string{"hair", "HAIR", "tattoo", "Tattoo", "removal", "scalp", "micro", "pigmentation", "touch", "up",
		"touch-up", "session", "don't", "know", "keloid", "\u212Aeloid", "scar", "\u017Fcar", "ink-", "spill", "3", "day",
		" ", "  ", "\t", "\n", "\v", "_", "-", "'", ".", ",", "é", "\xff", "x", "s", "k"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
			if r.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		text := b.String()
		if got, want := s.Expand(text), regexpExpand(s, text); got != want {
			t.Fatalf("Expand(%q) = %q, want %q as the regular expression gives", text, got, want)
		}
	}
}
