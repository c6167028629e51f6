package index_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/smpbot/bot/index"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func guideBase(t testing.TB) *knowledge.Base {
	t.Helper()
	b, err := knowledge.Load(guide.FS())
	if err != nil {
		t.Fatalf("load the embedded knowledge base: %v", err)
	}
	return b
}

func build(t testing.TB, b *knowledge.Base) *index.Index {
	t.Helper()
	idx, err := index.Build(b)
	if err != nil {
		t.Fatalf("index.Build: %v", err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx
}

// guideIndex is the index of the embedded knowledge base, built once and
// shared by the tests that only read it.
func guideIndex(t *testing.T) *index.Index {
	t.Helper()
	idx, err := sharedGuideIndex()
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

var sharedGuideIndex = sync.OnceValues(func() (*index.Index, error) {
	b, err := knowledge.Load(guide.FS())
	if err != nil {
		return nil, err
	}
	return index.Build(b)
})

func search(t *testing.T, idx *index.Index, q string, limit int) []knowledge.Hit {
	t.Helper()
	hits, err := idx.Search(context.Background(), q, limit)
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	if len(hits) > limit {
		t.Errorf("Search(%q, %d) = %d hits, want at most %d", q, limit, len(hits), limit)
	}
	for i, h := range hits {
		if i > 0 && h.Score > hits[i-1].Score {
			t.Errorf("Search(%q): hit %d (%s %.3f) scores above hit %d (%s %.3f), want best first", q, i, h.ID, h.Score, i-1, hits[i-1].ID, hits[i-1].Score)
		}
		if h.Coverage < 0 || h.Coverage > 1 {
			t.Errorf("Search(%q): %s coverage %v, want 0 to 1", q, h.ID, h.Coverage)
		}
	}
	return hits
}

func hitIDs(hits []knowledge.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

// entry is the text of a small explanation entry.
func entry(id, title, body string, questions ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\nid: %s\ntitle: %s\nkind: explanation\nquestions:\n", id, title)
	for _, q := range questions {
		fmt.Fprintf(&b, "  - %s\n", q)
	}
	fmt.Fprintf(&b, "---\n%s\n", body)
	return b.String()
}

// load builds a knowledge base from files named by path.
func load(t *testing.T, files map[string]string) *knowledge.Base {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	b, err := knowledge.Load(fsys)
	if err != nil {
		t.Fatalf("load test knowledge base: %v", err)
	}
	return b
}

// syntaxRunes are the characters of bleve's query-string syntax.
const syntaxRunes = `?*/+-:"\~^{}[]()&|!`

// plain is the question with every query-syntax character made a space.
func plain(q string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(syntaxRunes, r) {
			return ' '
		}
		return r
	}, q)
}

func TestSearchIgnoresQuerySyntax(t *testing.T) {
	idx := guideIndex(t)
	for _, q := range []string{
		"how deep*?",
		"why are my dots blurry?",
		"blurry*",
		"?",
		"*",
		"/blur.*/ dots",
		"/re.*/",
		"+pigment -depth",
		"+must -not",
		"title:foo",
		"pigment:depth",
		`"unclosed quote about healing`,
		`healing \ aftercare`,
		`\`,
		"dots~2",
		"pigment^3",
		"{}[] smp",
		"[smp TO tattoo]",
		"(healing) AND aftercare OR NOT fading",
		"smp && tattoo || !pain",
	} {
		t.Run(q, func(t *testing.T) {
			got := hitIDs(search(t, idx, q, 5))
			want := hitIDs(search(t, idx, plain(q), 5))
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("Search(%q) = %q, want the hits for the plain words %q: %q", q, got, plain(q), want)
			}
		})
	}
	q := "how deep*?"
	if hits := search(t, idx, q, 3); len(hits) == 0 || hits[0].ID != "pigment-depth" {
		t.Errorf("Search(%q) = %q, want pigment-depth first", q, hitIDs(hits))
	}
}

// synonymFiles is a knowledge base whose entries say only "technician" and
// "SMP", with the synonyms that tie other words to them.
func synonymFiles() map[string]string {
	return map[string]string{
		"entries/find-technician.md": entry("find-technician", "Finding a good technician",
			"A good technician explains every step.", "where can i find a good technician"),
		"entries/about-smp.md": entry("about-smp", "What SMP is",
			"SMP places tiny pigment dots in the scalp.", "what is smp"),
		"entries/washing.md": entry("washing", "Washing afterwards",
			"Keep the scalp dry for four days.", "when can i wash my scalp"),
		"synonyms.txt": "technician, practitioner, artist, tech\nhair tattoo => smp\n",
	}
}

func TestSearchSynonyms(t *testing.T) {
	files := synonymFiles()
	with := build(t, load(t, files))
	delete(files, "synonyms.txt")
	without := build(t, load(t, files))
	tests := []struct {
		question string
		want     string
	}{
		{"tech", "find-technician"},
		{"practitioner", "find-technician"},
		{"artists", "find-technician"},
		{"hair tattoo", "about-smp"},
		{"is a Hair Tattoo permanent", "about-smp"},
	}
	for _, tt := range tests {
		hits := search(t, with, tt.question, 3)
		if len(hits) == 0 || hits[0].ID != tt.want {
			t.Errorf("Search(%q) with synonyms = %q, want %s first", tt.question, hitIDs(hits), tt.want)
		} else if hits[0].Coverage == 0 {
			t.Errorf("Search(%q) with synonyms: %s coverage 0, want the synonym counted", tt.question, tt.want)
		}
		// Without the synonyms file the same words find nothing: the
		// synonyms, not the words themselves, did the work.
		for _, h := range search(t, without, tt.question, 3) {
			if h.ID == tt.want && h.Coverage > 0 {
				t.Errorf("Search(%q) without synonyms matched %s (coverage %.2f), want no match", tt.question, h.ID, h.Coverage)
			}
		}
	}
}

func TestSearchTypos(t *testing.T) {
	idx := build(t, load(t, map[string]string{
		"entries/pigment-colour.md": entry("pigment-colour", "Pigment colour",
			"Pigment can change colour in strong sunlight.", "why did the pigment change colour"),
		"entries/dot-size.md": entry("dot-size", "Dot size",
			"Each dot is tiny.", "how big is each dot"),
		"entries/washing.md": entry("washing", "Washing afterwards",
			"Keep the scalp dry for four days.", "when can i wash my scalp"),
	}))
	checkTypos(t, idx, []typoCase{
		{question: "pigmant", want: "pigment-colour"},  // substitution
		{question: "pigmet", want: "pigment-colour"},   // deletion
		{question: "pigmennt", want: "pigment-colour"}, // insertion
		{question: "pigmnet", want: "pigment-colour"},  // transposition
		{question: "sunlihgt", want: "pigment-colour"}, // transposition, longer word
		{question: "dat", notFound: "dot-size"},        // short words must be spelt right:
		{question: "wesh", notFound: "washing"},        // one letter makes another word
		{question: "dot", want: "dot-size"},            // control: spelt right
		{question: "wash scalp", want: "washing"},      // control: spelt right
		{question: "pigment colour", want: "pigment-colour"},
	})
}

// typoCase is a question with a typo, the entry it must find first ("" for
// none) and one it must not match.
type typoCase struct {
	question, want, notFound string
}

func checkTypos(t *testing.T, idx *index.Index, tests []typoCase) {
	t.Helper()
	for _, tt := range tests {
		hits := search(t, idx, tt.question, 3)
		if tt.want != "" && (len(hits) == 0 || hits[0].ID != tt.want || hits[0].Coverage == 0) {
			t.Errorf("Search(%q) = %+v, want %s first with some coverage", tt.question, hits, tt.want)
		}
		for _, h := range hits {
			if h.ID == tt.notFound && h.Coverage > 0 {
				t.Errorf("Search(%q) matched %s (coverage %.2f), want no match", tt.question, h.ID, h.Coverage)
			}
		}
	}
}

// TestSearchTyposOfWords checks that a typo is looked for in the word as
// typed, not only in its stem: a typo can change the stem, or be fewer edits
// from the word than from its stem.
func TestSearchTyposOfWords(t *testing.T) {
	idx := build(t, load(t, map[string]string{
		"entries/infection.md": entry("infection", "Signs of infection",
			"Spreading redness, heat and pus after SMP can mean an infection.", "is my scalp infected"),
		"entries/fading.md": entry("fading", "Why SMP fades",
			"Some fading over the years is expected; a touch-up restores the colour.", "will my smp fade"),
		"entries/shaving.md": entry("shaving", "Shaving your head",
			"Shaving every day keeps the look sharp.", "how often should i shave"),
		"entries/shakes.md": entry("shakes", "Shakes during the session",
			"Nervous shakes are common and pass.", "my hands are shaking"),
	}))
	checkTypos(t, idx, []typoCase{
		// "infeciton" is one swap from "infection", three edits from
		// its stem "infect".
		{question: "is it an infeciton", want: "infection"},
		// "fadng" is one edit from "fading", two from its stem "fade".
		{question: "is fadng normal", want: "fading"},
		// "shaves" is one edit from "shakes", but its stem "shave" is
		// indexed: a known word is not corrected to another.
		{question: "shaves", want: "shaving", notFound: "shakes"},
		// "fads" is one edit from "fades", but a short word must be spelt
		// right.
		{question: "fads", notFound: "fading"},
		// "shakey" is one edit from "shakes" but is no English word: a typo.
		{question: "shakey", want: "shakes"},
		// "shaker" is one edit from "shakes" and "shaken" too, but it is an
		// English word: what its writer meant.
		{question: "shaker", notFound: "shakes"},
		{question: "infection", want: "infection"}, // control: spelt right
		{question: "fading", want: "fading"},       // control: spelt right
	})
}

// TestSearchTypoHeldByOneEntry checks that a misspelling that one phrasing
// holds, as people write it, does not draw every question spelt the same
// way to that entry at the weight of a word no other entry has: it counts
// as the word it misspells too.
func TestSearchTypoHeldByOneEntry(t *testing.T) {
	idx := build(t, load(t, map[string]string{
		"entries/reaction.md": entry("reaction", "Allergic reactions",
			"An allergic reaction can show as itching weeks later.", "alergic reaction to smp"),
		"entries/patch.md": entry("patch", "Patch tests",
			"A patch test before the session can show an allergy.", "allergic to nickel, do i need a patch test", "allergic to hair dye, test first?"),
	}))
	checkTypos(t, idx, []typoCase{
		{question: "alergic to nickel?", want: "patch"},
		{question: "alergic reaction?", want: "reaction"}, // control: the phrasing itself
	})
}

// TestSearchWordsTypedTogether checks that two words typed without their
// space are read apart when the knowledge base has nothing for the joined
// word, and that a word that only looks like a term and a stop word stays
// whole.
func TestSearchWordsTypedTogether(t *testing.T) {
	idx := build(t, load(t, map[string]string{
		"entries/ink.md": entry("ink", "What is in SMP ink",
			"Most SMP ink is a carbon pigment.", "whats in smp ink"),
		"entries/pain.md": entry("pain", "Does SMP hurt",
			"Most people find it uncomfortable rather than painful.", "does smp hurt"),
		"entries/aftercare.md": entry("aftercare", "Aftercare",
			"The dos and don'ts of the first week.", "what are the aftercare dos"),
	}))
	checkTypos(t, idx, []typoCase{
		{question: "smpink", want: "ink"},
		// "todos" is "to" and "dos", a stop word and a term: Spanish.
		{question: "hola a todos", notFound: "aftercare"},
	})
	// "doesit" is two stop words: the question is "hurt" alone, wholly
	// covered, rather than "hurt" and a word no entry knows.
	joined, apart := search(t, idx, "doesit hurt", 1), search(t, idx, "does it hurt", 1)
	if len(joined) == 0 || len(apart) == 0 || joined[0] != apart[0] {
		t.Errorf("Search(%q) = %+v, want what Search(%q) gives: %+v", "doesit hurt", joined, "does it hurt", apart)
	}
	r, err := idx.Explain(context.Background(), "smpink", 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(r.Words, func(w knowledge.ExplainedWord) bool { return w.Typed == "ink" && w.SplitFrom == "smpink" }) {
		t.Errorf("Explain(%q).Words = %+v, want ink read apart from smpink", "smpink", r.Words)
	}
}

// TestSearchFoldsAccents checks that a word typed with accents, as writers
// of other languages type it, finds what the word without them finds, in a
// question and in an entry alike.
func TestSearchFoldsAccents(t *testing.T) {
	idx := build(t, load(t, map[string]string{
		"entries/sauna.md": entry("sauna", "Saunas after SMP",
			"Saunas make you sweat.", "is the sauna ok after smp"),
		"entries/cafe.md": entry("cafe", "Coffee after SMP",
			"Coffee is fine.", "coffee at the café after smp"),
	}))
	checkTypos(t, idx, []typoCase{{question: "sáuna?", want: "sauna"}, {question: "cafe?", want: "cafe"}})
}

// score is the entry's score for q, or 0 when it is not found, with its rank.
func score(t *testing.T, idx *index.Index, q, id string) (float64, int) {
	t.Helper()
	for i, h := range search(t, idx, q, 50) {
		if h.ID == id {
			return h.Score, i + 1
		}
	}
	return 0, 0
}

func TestAddingPhrasingNeverLowersScore(t *testing.T) {
	questions := []string{"how long does healing take", "when will the redness fade"}
	files := map[string]string{
		"entries/healing.md":  entry("healing", "Healing", "Redness fades within a week and scabs fall off in ten days.", questions...),
		"entries/dot-size.md": entry("dot-size", "Dot size", "Each dot is tiny.", "how big is each dot"),
		"entries/washing.md":  entry("washing", "Washing afterwards", "Keep the scalp dry for four days.", "when can i wash my scalp"),
	}
	before := build(t, load(t, files))
	files["entries/healing.md"] = entry("healing", "Healing", "Redness fades within a week and scabs fall off in ten days.",
		append(questions, "is it okay to swim in the sea or a chlorinated pool during the first month")...)
	after := build(t, load(t, files))
	for _, q := range append(questions, "Healing", "how long does the healing of my scalp take", "redness fade") {
		s1, r1 := score(t, before, q, "healing")
		s2, r2 := score(t, after, q, "healing")
		if s2 < s1-1e-9 || r2 > r1 {
			t.Errorf("Search(%q): healing scored %.4f (rank %d) before a phrasing was added, %.4f (rank %d) after; want no lower", q, s1, r1, s2, r2)
		}
	}
}

// A word only one story-like phrasing of an entry holds is a detail of the
// story, and must not draw a question that merely shares it away from the
// entry the question is about.
func TestSearchDetailOfOnePhrasing(t *testing.T) {
	idx := guideIndex(t)
	for _, tt := range []struct{ question, want, detail string }{
		// aftercare: "... the sheet they gave me is tiny print ..."
		{"are smp certificates a real thing or can anyone print one off", "checklist-training", "print"},
	} {
		if got := search(t, idx, tt.question, 3); len(got) == 0 || got[0].ID != tt.want {
			t.Errorf("Search(%q) = %v, want %s first: %q is a detail of one phrasing of another entry", tt.question, got, tt.want, tt.detail)
		}
		// The explanation says which matched word counted less.
		r, err := idx.Explain(context.Background(), tt.question, 5)
		if err != nil {
			t.Fatalf("Explain(%q): %v", tt.question, err)
		}
		i := slices.IndexFunc(r.Hits, func(h knowledge.ExplainedHit) bool { return slices.Contains(h.Matched, tt.detail) })
		if i < 0 || !slices.Contains(r.Hits[i].Details, tt.detail) {
			t.Errorf("Explain(%q).Hits = %+v, want %q matched and marked a detail", tt.question, r.Hits, tt.detail)
		}
	}
}

// A word of chat that says nothing of the topic must not decide which entry
// answers, however rare it is in the knowledge base.
func TestSearchFillerWords(t *testing.T) {
	idx := guideIndex(t)
	for _, tt := range []struct{ question, want string }{
		// aftercare: "when can i wash my scalp like usual again"
		{"how many sessions does it usually take", "sessions"},
		{"How many sessions does it USUALLY take", "sessions"},
		// skin-layers: "i thought tattoos go in the dermis"
		{"only 4 reviews and all posted the same week lol. thoughts?", "checklist-reputation"},
	} {
		if got := search(t, idx, tt.question, 3); len(got) == 0 || got[0].ID != tt.want {
			t.Errorf("Search(%q) = %v, want %s first", tt.question, got, tt.want)
		}
	}
}

// In a message that tells something and asks something, the words of the
// sentence that asks weigh more than the story's: the question wins over
// the entry a detail of the story belongs to. Alone, a question weighs as
// it always did.
func TestSearchWeighsTheAskingSentence(t *testing.T) {
	idx := guideIndex(t)
	for _, tt := range []struct{ question, want string }{
		// healing-timeline: "comes and goes", "calm"
		{"My scalp eczema comes and goes, right now its pretty calm. Does having eczema stop you getting smp? Would they just work around the patches?", "check-with-doctor-first"},
		// fading-touch-ups: "show up", "look off"
		{"Im quite dark skinned. Will the SMP dots even show up? Or will they look off next to my real hair?", "darker-skin"},
	} {
		if got := search(t, idx, tt.question, 3); len(got) == 0 || got[0].ID != tt.want {
			t.Errorf("Search(%q) = %v, want %s first", tt.question, got, tt.want)
		}
	}
	weights := func(question string) map[string]knowledge.ExplainedWord {
		r, err := idx.Explain(context.Background(), question, 1)
		if err != nil {
			t.Fatal(err)
		}
		words := map[string]knowledge.ExplainedWord{}
		for _, w := range r.Words {
			words[w.Typed] = w
		}
		return words
	}
	story := weights("Booked for the 3rd, NW5. Does it hurt more than a sleeve?")
	alone := weights("Does it hurt more than a sleeve?")
	if w := story["hurt"]; !w.Asked || w.Weight <= alone["hurt"].Weight {
		t.Errorf("hurt after a story = %+v, alone = %+v: want it asked and weighing more", w, alone["hurt"])
	}
	if w := story["booked"]; w.Asked {
		t.Errorf("booked, in the story, = %+v: want it not asked", w)
	}
	if w := alone["hurt"]; w.Asked {
		t.Errorf("hurt in a message that only asks = %+v: want it not marked", w)
	}
	// A decimal point ends no sentence: "NW3.5" is no story.
	if w := weights("NW3.5, is it worth it for me?")["worth"]; w.Asked {
		t.Errorf("worth in a message that only asks = %+v: want it not marked", w)
	}
}

// Chat shorthand ("wats", "shud", "n", "rn") is no word of the topic: a
// question written with it is covered as much as the same question without.
func TestSearchChatShorthand(t *testing.T) {
	idx := guideIndex(t)
	for _, tt := range []struct{ chat, plain string }{
		{"wats in smp ink n what is it made of", "in smp ink what is it made of"},
		{"needles shud be new every time or they clean n use again rn", "needles be new every time or they clean use again"},
	} {
		chat, plain := search(t, idx, tt.chat, 1), search(t, idx, tt.plain, 1)
		if len(chat) == 0 || len(plain) == 0 || chat[0].ID != plain[0].ID || math.Abs(chat[0].Coverage-plain[0].Coverage) > 1e-9 {
			t.Errorf("Search(%q) = %v, Search(%q) = %v: want the same entry with the same coverage", tt.chat, chat, tt.plain, plain)
		}
	}
}

// A number in a message (a day, an age, a temperature, a price) is a detail
// of the story: it weighs no more than a word of chat filler, so that "38
// fever day 3" is not turned away for words no entry has.
func TestSearchNumbersAreDetails(t *testing.T) {
	idx := guideIndex(t)
	r, err := idx.Explain(context.Background(), "38 degrees fever on day 3, my 2nd session was 3k", 5)
	if err != nil {
		t.Fatal(err)
	}
	// A word no entry has weighs as much as the rarest: log(1 + entries).
	unknown := math.Log(1 + float64(len(guideBase(t).Entries())))
	numbers := 0
	for _, w := range r.Words {
		if strings.IndexFunc(w.Typed, unicode.IsDigit) == 0 {
			numbers++
			if w.Weight > unknown/4+1e-9 {
				t.Errorf("Explain: %q weighs %.2f, want at most a quarter of an unknown word's %.2f", w.Typed, w.Weight, unknown)
			}
		}
	}
	if numbers != 4 {
		t.Errorf("Explain: words %+v, want the four numbers among them", r.Words)
	}
}

// A question a moderator has written as a phrasing, word for word, gets that
// entry: a new entry with one question is not outranked by an older one
// with many phrasings on the topic, nor one phrasing of an entry by a
// neighbour whose phrasings speak of the same words more often.
func TestSearchPhrasingWordForWord(t *testing.T) {
	base := guideBase(t)
	swimming := &knowledge.Entry{ID: "swimming", Title: "Swimming after SMP", Kind: knowledge.Explanation,
		Questions: []string{"can i go swimming after smp"}, Body: "Wait until the scabs are gone, about two weeks."}
	b, ps := knowledge.NewBase(append(base.Entries(), swimming), base.Synonyms())
	if len(ps) > 0 {
		t.Fatalf("NewBase with a swimming entry: %q", ps)
	}
	idx := build(t, b)
	for _, tt := range []struct {
		idx            *index.Index
		question, want string
	}{
		{idx, "When can I go swimming after SMP?", "swimming"},
		// pigment-depth's phrasing; skin-layers speaks of the epidermis in
		// many.
		{guideIndex(t), "my artist says he only puts pigment in the epidermis, is that right", "pigment-depth"},
	} {
		got := search(t, tt.idx, tt.question, 3)
		if len(got) == 0 || got[0].ID != tt.want || got[0].Score != 1 {
			t.Errorf("Search(%q) = %v, want %s first with score 1", tt.question, got, tt.want)
		}
		r, err := tt.idx.Explain(context.Background(), tt.question, 3)
		if err != nil {
			t.Fatalf("Explain(%q): %v", tt.question, err)
		}
		if h := r.Hits[0]; !h.Exact || h.Sum >= 1 || h.Phrasing == "" {
			t.Errorf("Explain(%q).Hits[0] = %+v, want the word-for-word phrasing named and its parts summed below 1", tt.question, h)
		}
	}
}

// On the real knowledge base, a new phrasing adds words to the entry and so
// shifts every word's rarity a little; the entry's score for its existing
// phrasings must not fall by more than that noise.
func TestAddingPhrasingNeverLowersScoreGuide(t *testing.T) {
	const tolerance = 1e-3
	base := guideBase(t)
	before := guideIndex(t)
	for _, add := range []struct{ id, question string }{
		{"blurry-dots", "my hairline dots merged into one grey smudge, is that what a blowout looks like"},
		{"pigment-depth", "how many millimetres does the needle go in"},
		{"healing-timeline", "is it normal for my scalp to flake after the second session"},
		{"checklist-training", "what certificate should an smp artist have"},
	} {
		var entries []*knowledge.Entry
		for _, e := range base.Entries() {
			if e.ID == add.id {
				c := *e
				c.Questions = append(append([]string(nil), e.Questions...), add.question)
				e = &c
			}
			entries = append(entries, e)
		}
		b, ps := knowledge.NewBase(entries, base.Synonyms())
		if len(ps) > 0 {
			t.Fatalf("NewBase with a phrasing added to %s: %q", add.id, ps)
		}
		after := build(t, b)
		e, _ := base.Entry(add.id)
		for _, q := range append([]string{e.Title}, e.Questions...) {
			s1, _ := score(t, before, q, add.id)
			s2, _ := score(t, after, q, add.id)
			if s2 < s1-tolerance {
				t.Errorf("Search(%q): %s scored %.4f, %.4f after adding the phrasing %q; want no lower", q, add.id, s1, s2, add.question)
			}
		}
	}
}

func TestSearchLongQuestion(t *testing.T) {
	idx := guideIndex(t)
	var b strings.Builder
	for i := 0; b.Len() < 10000; i++ {
		fmt.Fprintf(&b, "word%d smp? ", i)
	}
	rambling := b.String()[:10000]
	repeated := strings.Repeat("why are my dots blurry ", 10000/23+1)[:10000]
	for _, q := range []string{rambling, repeated, strings.Repeat("x", 10000), strings.Repeat("*", 10000)} {
		if _, err := idx.Search(context.Background(), q, 3); err != nil {
			t.Errorf("Search(%.30q… %d chars): %v", q, len(q), err)
		}
	}
	if hits := search(t, idx, repeated, 3); len(hits) == 0 || hits[0].ID != "blurry-dots" {
		t.Errorf("Search(%.30q… %d chars) = %q, want blurry-dots first", repeated, len(repeated), hitIDs(hits))
	}
}

func TestSearchCancelled(t *testing.T) {
	idx := guideIndex(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	q := "why are my dots blurry"
	if hits, err := idx.Search(ctx, q, 3); err == nil {
		t.Errorf("Search(cancelled context, %q) = %q, nil; want an error", q, hitIDs(hits))
	}
}

// goldenQuestions are representative questions over the embedded guide:
// plain, slang, misspelt, urgent, choosing a practitioner, and off-topic.
var goldenQuestions = []string{
	"what is smp",
	"is a hair tattoo permanent",
	"why do people end up with bad smp",
	"smp vs regular tattoo",
	"what are the layers of the skin",
	"how deep should the pigment go",
	"my dots went fuzzy",
	"why did my smp turn blue",
	"how many sessions does smp need",
	"does smp hurt",
	"how long does smp take to heal",
	"what aftercare do i need after smp",
	"can i go swimming after smp",
	"signs of infection after smp",
	"there's pus coming out of my dots",
	"itchy rash on my scalp after smp",
	"should i do a patch test",
	"can smp be removed with laser",
	"my smp looks terrible can it be fixed",
	"does smp fade over time",
	"is temporary smp worth it",
	"can i get smp if i have psoriasis",
	"can i have an mri with smp",
	"is my smp tech licensed",
	"how do i check a clinic's reviews",
	"can a tattoo artist do smp",
	"i don't feel comfortable with my practitioner",
	"what questions should i ask before smp",
	"red flags when choosing an smp clinic",
	"will smp damage my hair follicles",
	"scalp micropigmentaion healing tiem",
	"How deep is the Mariana Trench?",
	"bitcoin price",
}

// TestRankingGolden records the top three entries for each golden question in
// testdata/ranking.golden. Run with -update after a deliberate change to the
// ranking and review the diff.
func TestRankingGolden(t *testing.T) {
	idx := guideIndex(t)
	var b bytes.Buffer
	for _, q := range goldenQuestions {
		fmt.Fprintf(&b, "%s\n", q)
		for i, h := range search(t, idx, q, 3) {
			fmt.Fprintf(&b, "\t%d. %s\n", i+1, h.ID)
		}
	}
	golden := filepath.Join("testdata", "ranking.golden")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestRankingGolden -update to create it)", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("ranking differs from %s (run with -update to accept):\n%s", golden, lineDiff(string(want), got))
	}
}

// lineDiff lists the lines of want and got that differ, by question.
func lineDiff(want, got string) string {
	parse := func(s string) (order []string, tops map[string]string) {
		tops = map[string]string{}
		var q string
		for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
			if !strings.HasPrefix(l, "\t") {
				q = l
				order = append(order, q)
				tops[q] = ""
				continue
			}
			tops[q] += strings.TrimSpace(l) + " "
		}
		return order, tops
	}
	_, w := parse(want)
	order, g := parse(got)
	var b strings.Builder
	for _, q := range order {
		if w[q] != g[q] {
			fmt.Fprintf(&b, "%q:\n\twant %s\n\tgot  %s\n", q, w[q], g[q])
		}
	}
	for q := range w {
		if _, ok := g[q]; !ok {
			fmt.Fprintf(&b, "%q: in the golden file but no longer asked\n", q)
		}
	}
	return b.String()
}

// On a large base a word in most bodies is not searched in the bodies, as
// it tells them apart least and costs the most; an entry holding it in a
// phrasing is still found by it, and a rarer word still finds an entry by
// its body alone. On a small base every body word is searched.
func TestSearchWordInMostBodies(t *testing.T) {
	const n = 1000 // minSplitEntries: a large base
	entries := make([]*knowledge.Entry, n)
	for i := range entries {
		entries[i] = &knowledge.Entry{
			ID: fmt.Sprintf("entry-%04d", i), Title: fmt.Sprintf("Topic %d", i), Kind: knowledge.Explanation,
			Body: fmt.Sprintf("Pigment note %d.", i), File: fmt.Sprintf("entry-%04d.md", i),
		}
	}
	entries[0].Questions = []string{"where does the pigment go"}
	entries[1].Body += " Cobalt shifts it blue."
	base, ps := knowledge.NewBase(entries, &knowledge.Synonyms{})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	idx := build(t, base)
	if hits := search(t, idx, "pigment", 3); len(hits) == 0 || hits[0].ID != "entry-0000" || hits[0].Coverage != 1 {
		t.Errorf("Search(%q) = %+v, want entry-0000, whose phrasing holds it, first and covered", "pigment", hits)
	}
	if hits := search(t, idx, "cobalt", 3); len(hits) == 0 || hits[0].ID != "entry-0001" {
		t.Errorf("Search(%q) = %+v, want entry-0001, whose body alone holds it", "cobalt", hits)
	}

	small := build(t, load(t, map[string]string{
		"entries/depth.md":  entry("depth", "How deep SMP goes", "Pigment sits in the upper dermis."),
		"entries/colour.md": entry("colour", "Why SMP turns blue", "Pigment can shift colour."),
	}))
	if hits := search(t, small, "pigment", 3); len(hits) != 2 {
		t.Errorf("Search(%q) on a small base = %+v, want both entries, by their bodies", "pigment", hits)
	}
}

// Two words of a question that are synonyms of each other ("swimming pool")
// match one word of a phrasing once, not twice: a phrasing with that one word
// must not outscore one holding every word of the question.
func TestSearchSynonymsMatchOnce(t *testing.T) {
	idx := build(t, load(t, map[string]string{
		"synonyms.txt":    "swim, swimming, pool\n",
		"entries/swim.md": entry("swim", "Swimming after SMP", "Wait before you swim.", "swimming"),
		"entries/pool.md": entry("pool", "Pools after SMP", "Chlorine fades pigment.", "swimming pool"),
	}))
	q := "swimming pool"
	hits := search(t, idx, q, 2)
	if len(hits) == 0 || hits[0].ID != "pool" {
		t.Errorf("Search(%q) = %+v, want pool, whose phrasing holds every word, first", q, hits)
	}
	for _, h := range hits {
		if h.Score > 1 {
			t.Errorf("Search(%q): %s scored %.3f, want at most 1", q, h.ID, h.Score)
		}
	}
}
