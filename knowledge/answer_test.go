package knowledge_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/smpbot/bot/index"
	"github.com/smpbot/bot/index/indextest"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

func TestCleanQuestion(t *testing.T) {
	long := strings.Repeat("why are my dots blurry ", 40) // 920 runes
	tests := []struct {
		name          string
		in            string
		want          string
		wantTruncated bool
	}{
		{"plain", "why are my dots blurry", "why are my dots blurry", false},
		{"outer space", "  \t why are my dots blurry?\n\n", "why are my dots blurry?", false},
		{"inner runs", "why\t\tare  my\r\ndots\u00a0\u2028blurry", "why are my dots blurry", false},
		{"control characters", "why\x00are\x07my\x1bdots\u0085blurry", "why are my dots blurry", false},
		{"bidirectional controls", "why are my \u202edots\u202c blurry\u2066", "why are my dots blurry", false},
		{"invalid UTF-8", "why are my\xff\xfedots blurry", "why are my dots blurry", false},
		{"only space and controls", " \t\x00\n ", "", false},
		{"exactly the limit", strings.Repeat("é", knowledge.MaxQuestionRunes), strings.Repeat("é", knowledge.MaxQuestionRunes), false},
		{"one over the limit", strings.Repeat("é", knowledge.MaxQuestionRunes+1), strings.Repeat("é", knowledge.MaxQuestionRunes), true},
		// Cut at the end of the last whole word: "... my dots b" would be
		// a word nobody wrote.
		{"long", long, long[:strings.LastIndex(long[:knowledge.MaxQuestionRunes], " ")], true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, truncated := knowledge.CleanQuestion(tt.in)
			if got != tt.want || truncated != tt.wantTruncated {
				t.Errorf("CleanQuestion(%q) = %q, %v; want %q, %v", tt.in, got, truncated, tt.want, tt.wantTruncated)
			}
			if !utf8.ValidString(got) || utf8.RuneCountInString(got) > knowledge.MaxQuestionRunes {
				t.Errorf("CleanQuestion(%q) = %q: not valid UTF-8 within %d runes", tt.in, got, knowledge.MaxQuestionRunes)
			}
		})
	}
}

// guideService answers from the embedded knowledge base through a real
// index, with the embedded calibration. Building the index is the slow part
// of these tests, so every test shares one read-only service.
func guideService(t *testing.T) *knowledge.Service {
	t.Helper()
	svc, err := sharedGuideService()
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

var sharedGuideService = sync.OnceValues(func() (*knowledge.Service, error) {
	base, err := knowledge.Load(guide.FS())
	if err != nil {
		return nil, fmt.Errorf("load the embedded knowledge base: %w", err)
	}
	cal, err := guide.Calibration()
	if err != nil {
		return nil, fmt.Errorf("read the embedded calibration: %w", err)
	}
	idx, err := index.Build(base)
	if err != nil {
		return nil, fmt.Errorf("build the index of the embedded knowledge base: %w", err)
	}
	return knowledge.NewService(base, idx, cal, nil), nil
})

func buildIndex(t *testing.T, base *knowledge.Base) *index.Index {
	t.Helper()
	idx, err := index.Build(base)
	if err != nil {
		t.Fatalf("build index: %v", err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx
}

func ids(es []*knowledge.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func matchIDs(ms []knowledge.Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func answer(t *testing.T, svc *knowledge.Service, q string) *knowledge.Answer {
	t.Helper()
	a, err := svc.Answer(context.Background(), q)
	if err != nil {
		t.Fatalf("Answer(%q): %v", q, err)
	}
	return a
}

func TestServiceAnswersOnTopic(t *testing.T) {
	svc := guideService(t)
	tests := []struct {
		question string
		want     string
	}{
		{"why are my dots blurry", "blurry-dots"},
		{"how deep should the pigment go", "pigment-depth"},
		{"what is scalp micropigmentation", "what-is-smp"},
		{"what's the difference between smp and a normal tattoo", "smp-vs-tattoo"},
		{"my smp turned blue", "discoloration"},
		{"can i get an mri after smp", "mri-and-blood-donation"},
	}
	for _, tt := range tests {
		a := answer(t, svc, tt.question)
		if !a.Answered || a.Best() == nil {
			t.Errorf("Answer(%q).Answered = false (matches %q), want %s", tt.question, matchIDs(a.Matches), tt.want)
			continue
		}
		if got := a.Best().ID; got != tt.want {
			t.Errorf("Answer(%q).Best().ID = %q, want %q", tt.question, got, tt.want)
		}
		if a.Urgent {
			t.Errorf("Answer(%q).Urgent = true, want false", tt.question)
		}
		if len(a.Sources) == 0 {
			t.Errorf("Answer(%q).Sources is empty, want the sources of %s", tt.question, tt.want)
		}
	}
}

func TestServiceDeclinesOffTopic(t *testing.T) {
	svc := guideService(t)
	for _, q := range []string{
		"How deep is the Mariana Trench?",
		"bitcoin price",
		"how long does a broken wrist take to heal",
		"best pizza in town",
	} {
		a := answer(t, svc, q)
		if a.Answered || a.Best() != nil {
			t.Errorf("Answer(%q) answered with %q, want not answered", q, matchIDs(a.Matches))
		}
		if len(a.Matches) > 3 {
			t.Errorf("Answer(%q) suggests %d topics, want at most 3", q, len(a.Matches))
		}
		if len(a.Checklist)+len(a.Related)+len(a.Sources) > 0 {
			t.Errorf("Answer(%q) not answered but holds checklist %q, related %q, %d sources", q, ids(a.Checklist), ids(a.Related), len(a.Sources))
		}
	}
}

func TestServicePractitionerChecklist(t *testing.T) {
	svc := guideService(t)
	for _, q := range []string{
		"how do i check a clinic",
		"can a tattoo artist do smp",
		"how do i choose a good smp practitioner",
	} {
		a := answer(t, svc, q)
		if !a.Answered {
			t.Errorf("Answer(%q).Answered = false, want the practitioner checklist", q)
			continue
		}
		var steps []int
		for _, e := range a.Checklist {
			if e.Checklist != knowledge.PractitionerChecklist {
				t.Errorf("Answer(%q).Checklist holds %s of checklist %q, want %q", q, e.ID, e.Checklist, knowledge.PractitionerChecklist)
			}
			steps = append(steps, e.Step)
		}
		if !slices.Equal(steps, []int{1, 2, 3}) {
			t.Errorf("Answer(%q).Checklist steps = %v (%q), want [1 2 3]", q, steps, ids(a.Checklist))
		}
	}
}

func TestServiceUrgent(t *testing.T) {
	svc := guideService(t)
	tests := []struct {
		question string
		lean     string // the tag the first entry must carry besides urgent
	}{
		{"there's pus coming out of my dots", "infection"},
		{"hives all over my scalp since my session", "allergy"},
		{"I think my smp is infected", "infection"},
		{"fever and chills after my smp session", "infection"},
		{"a lump full of pus and a fever after my session", "infection"},
		{"itchy raised bumps on my dots two years later", "allergy"},
		// Whiteheads are pus.
		{"bumps with white heads all over my new smp", "infection"},
		{"my lips are swelling and it's hard to breathe after smp", "allergy"},
		// Dots spreading is a blowout, not a sign of infection.
		{"my dots are spreading and i have hives all over my scalp", "allergy"},
		// The AAD's signs: pain that gets worse, redness that spreads.
		{"the redness around my dots is spreading and the pain is getting worse", "infection"},
		// Words the index knows nothing about still get the urgent entries.
		{"my scalp is swollen and oozing", "infection"},
		// Fever and heat in the other languages the symptom words know.
		{"tengo fiebre desde ayer y la cabeza hinchada después del smp", "infection"},
		{"cabeza caliente, hinchada y me duele más cada día. session was monday", "infection"},
		// Itching and bumps in Portuguese lean to an allergy.
		{"coceira muito forte e bolinhas nos pontos", "allergy"},
	}
	for _, tt := range tests {
		a := answer(t, svc, tt.question)
		if !a.Urgent || !a.Answered {
			t.Errorf("Answer(%q) Urgent = %v, Answered = %v; want both true", tt.question, a.Urgent, a.Answered)
			continue
		}
		if best := a.Best(); best == nil || !slices.Contains(best.Tags, knowledge.UrgentTag) || !slices.Contains(best.Tags, tt.lean) {
			t.Errorf("Answer(%q).Matches = %q, want an entry tagged %q and %q first", tt.question, matchIDs(a.Matches), knowledge.UrgentTag, tt.lean)
		}
	}
	if a := answer(t, svc, "why are my dots blurry"); a.Urgent {
		t.Errorf("Answer(%q).Urgent = true, want false", "why are my dots blurry")
	}
}

// TestServiceAnswerShape checks, over every question of the evaluation set,
// what any answer promises: at most three related topics, none of them
// already shown, a checklist in step order, and no source twice.
func TestServiceAnswerShape(t *testing.T) {
	svc := guideService(t)
	cases := indextest.EvalCases(t)
	for _, c := range cases {
		a := answer(t, svc, c.Question)
		if !a.Answered {
			continue
		}
		best := a.Best()
		if len(a.Related) > 3 {
			t.Errorf("Answer(%q).Related = %q, want at most 3", c.Question, ids(a.Related))
		}
		shown := map[string]bool{best.ID: true}
		for _, e := range a.Checklist {
			shown[e.ID] = true
		}
		seen := map[string]bool{}
		for _, e := range a.Related {
			if shown[e.ID] || seen[e.ID] {
				t.Errorf("Answer(%q).Related = %q repeats %s (best %s, checklist %q)", c.Question, ids(a.Related), e.ID, best.ID, ids(a.Checklist))
			}
			seen[e.ID] = true
		}
		for i, e := range a.Checklist {
			if e.Step != i+1 {
				t.Errorf("Answer(%q).Checklist = %q: position %d is step %d", c.Question, ids(a.Checklist), i+1, e.Step)
			}
		}
		urls := map[string]bool{}
		for _, s := range a.Sources {
			if urls[s.URL] {
				t.Errorf("Answer(%q).Sources lists %s twice", c.Question, s.URL)
			}
			urls[s.URL] = true
		}
		// Only the answer's own sources: the checklist's come with it.
		if got, want := len(a.Sources), len(knowledge.SourcesOf([]*knowledge.Entry{best})); got != want {
			t.Errorf("Answer(%q).Sources holds %d sources, want the %d of %s", c.Question, got, want, best.ID)
		}
		for _, s := range best.Sources {
			if !urls[s.URL] {
				t.Errorf("Answer(%q).Sources lacks %s cited by %s", c.Question, s.URL, best.ID)
			}
		}
	}
}

func TestServiceQuestionLimits(t *testing.T) {
	svc := guideService(t)
	for _, q := range []string{"", "   ", "\x00\t\n"} {
		if _, err := svc.Answer(context.Background(), q); !errors.Is(err, knowledge.ErrEmptyQuestion) {
			t.Errorf("Answer(%q) error = %v, want ErrEmptyQuestion", q, err)
		}
	}
	long := strings.Repeat("why are my dots blurry ", 500)
	a := answer(t, svc, long)
	if !a.Truncated || utf8.RuneCountInString(a.Question) > knowledge.MaxQuestionRunes {
		t.Errorf("Answer(%d-char question) Truncated = %v, Question %d runes; want true, at most %d", len(long), a.Truncated, utf8.RuneCountInString(a.Question), knowledge.MaxQuestionRunes)
	}
	if best := a.Best(); best == nil || best.ID != "blurry-dots" {
		t.Errorf("Answer(%d-char question about blurry dots).Matches = %q, want blurry-dots first", len(long), matchIDs(a.Matches))
	}
}

// smallBase is a knowledge base of two entries, both matching "care cost",
// whose ids start with prefix.
func smallBase(t *testing.T, prefix string) *knowledge.Base {
	t.Helper()
	entry := func(id, title, body string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(lines("---", "id: "+id, "title: "+title, "kind: explanation",
			"questions:", "  - how much does "+title+" cost", "---", body))}
	}
	b, err := knowledge.Load(fstest.MapFS{
		"entries/" + prefix + "-care.md": entry(prefix+"-care", "care", "Care is needed. It has a cost."),
		"entries/" + prefix + "-cost.md": entry(prefix+"-cost", "cost", "The cost of care varies."),
	})
	if err != nil {
		t.Fatalf("load base %s: %v", prefix, err)
	}
	return b
}

func TestServiceUpdateIsAtomic(t *testing.T) {
	baseA, baseB := smallBase(t, "alpha"), smallBase(t, "beta")
	idxA, idxB := buildIndex(t, baseA), buildIndex(t, baseB)
	svc := knowledge.NewService(baseA, idxA, knowledge.Calibration{}, nil)

	const readers, questions, updates = 4, 200, 200
	var wg sync.WaitGroup
	for r := range readers {
		wg.Go(func() {
			for i := range questions {
				q := "care cost"
				a, err := svc.Answer(context.Background(), q)
				if err != nil {
					t.Errorf("reader %d: Answer(%q) #%d during Update: %v", r, q, i, err)
					return
				}
				got := matchIDs(a.Matches)
				if len(got) != 2 || prefix(got[0]) != prefix(got[1]) {
					t.Errorf("reader %d: Answer(%q) #%d during Update = %q, want both entries of one base", r, q, i, got)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for i := range updates {
			if i%2 == 0 {
				svc.Update(baseB, idxB)
			} else {
				svc.Update(baseA, idxA)
			}
		}
	})
	wg.Wait()

	svc.Update(baseB, idxB)
	a := answer(t, svc, "care cost")
	if got := matchIDs(a.Matches); len(got) == 0 || !strings.HasPrefix(got[0], "beta-") {
		t.Errorf("Answer(%q) after Update(beta) = %q, want beta entries", "care cost", got)
	}
	if svc.Base() != baseB {
		t.Errorf("Base() after Update(beta) is not the beta base")
	}
	if _, ok := svc.Entry("alpha-care"); ok {
		t.Errorf("Entry(%q) after Update(beta) found the old entry", "alpha-care")
	}
}

func TestServiceSuggest(t *testing.T) {
	svc := guideService(t)
	tests := []struct {
		partial string
		n       int
	}{
		{"dots", 3},
		{"dots", 100},
		{"Blurry DOTS", 10},
		{"smp tattoo", 5},
		{"pig", 4},
		{"zzzz", 5},
		{"dots", 0},
	}
	for _, tt := range tests {
		got := svc.Suggest(tt.partial, tt.n)
		if len(got) > tt.n {
			t.Errorf("Suggest(%q, %d) = %d suggestions, want at most %d", tt.partial, tt.n, len(got), tt.n)
		}
		for _, s := range got {
			for _, w := range strings.Fields(strings.ToLower(tt.partial)) {
				if !strings.Contains(strings.ToLower(s.Text), w) {
					t.Errorf("Suggest(%q, %d) offers %q, which lacks %q", tt.partial, tt.n, s.Text, w)
				}
			}
			if _, ok := svc.Entry(s.EntryID); !ok {
				t.Errorf("Suggest(%q, %d) offers %q leading to unknown entry %q", tt.partial, tt.n, s.Text, s.EntryID)
			}
		}
	}
	if got := svc.Suggest("dots", 100); len(got) < 5 {
		t.Errorf("Suggest(%q, 100) = %d suggestions, want the many phrasings about dots", "dots", len(got))
	}
	// An empty partial offers topic titles.
	got := svc.Suggest("", 100)
	want := 0
	for _, e := range svc.Base().Entries() {
		if e.Kind != knowledge.OutOfScope {
			want++
		}
	}
	if len(got) != want {
		t.Errorf("Suggest(\"\", 100) = %d suggestions, want one title per entry that answers (%d)", len(got), want)
	}
	for _, s := range got {
		if e, _ := svc.Entry(s.EntryID); e == nil || e.Title != s.Text {
			t.Errorf("Suggest(\"\", 100) offers %q for %s, want its title", s.Text, s.EntryID)
		}
	}
}

func TestServiceFeedback(t *testing.T) {
	var logged bytes.Buffer
	base := smallBase(t, "alpha")
	svc := knowledge.NewService(base, buildIndex(t, base), knowledge.Calibration{}, slog.New(slog.NewTextHandler(&logged, nil)))
	ctx := context.Background()
	if err := svc.FeedbackOn(ctx, "ann", "answer-1", "no-such-entry", "", true); err == nil {
		t.Errorf("Feedback(%q) = nil, want an error", "no-such-entry")
	}
	if err := svc.FeedbackOn(ctx, "ann", "answer-1", "alpha-care", "", false); err != nil {
		t.Errorf("Feedback(%q) = %v, want nil", "alpha-care", err)
	}
	if got := logged.String(); !strings.Contains(got, "entry=alpha-care") || !strings.Contains(got, "helpful=false") {
		t.Errorf("Feedback(%q, false) logged %q, want the entry and helpful=false", "alpha-care", got)
	}
	if strings.Contains(logged.String(), "no-such-entry") {
		t.Errorf("Feedback on an unknown entry was logged: %q", logged.String())
	}
}

func TestServiceTopicsAndChecklist(t *testing.T) {
	svc := guideService(t)
	topics := svc.Topics()
	for i, e := range topics {
		if e.Kind != knowledge.Explanation {
			t.Errorf("Topics() holds %s of kind %s, want only explanations", e.ID, e.Kind)
		}
		if i > 0 && topics[i-1].Title > e.Title {
			t.Errorf("Topics() not sorted by title: %q before %q", topics[i-1].Title, e.Title)
		}
	}
	var steps []string
	for _, e := range svc.Checklist() {
		steps = append(steps, fmt.Sprintf("%d:%s", e.Step, e.ID))
	}
	if want := []string{"1:checklist-training", "2:checklist-reputation", "3:checklist-comfort"}; !slices.Equal(steps, want) {
		t.Errorf("Checklist() = %q, want %q", steps, want)
	}
}

func prefix(id string) string {
	p, _, _ := strings.Cut(id, "-")
	return p
}

// scopeBase is a knowledge base with an SMP entry about depth, an urgent
// entry, and an out-of-scope topic sharing the word "deep".
func scopeBase(t *testing.T) *knowledge.Base {
	t.Helper()
	b, err := knowledge.Load(fstest.MapFS{
		"entries/depth.md": {Data: []byte(lines("---", "id: depth", "title: How deep SMP pigment goes", "kind: explanation",
			"questions:", "  - how deep does the pigment go", "  - how deep should the needle go", "---", "In the upper dermis."))},
		"entries/infection.md": {Data: []byte(lines("---", "id: infection", "title: Signs of infection", "kind: explanation",
			"questions:", "  - is my scalp infected", "tags: [urgent, infection]", "---", "See a doctor."))},
		"entries/not-water.md": {Data: []byte(lines("---", "id: not-water", "title: Depth of pools and the sea", "kind: out-of-scope",
			"questions:", "  - how deep is the ocean", "  - how deep is a swimming pool", "---", "I only cover SMP: ask a lifeguard."))},
		"entries/not-trade.md": {Data: []byte(lines("---", "id: not-trade", "title: Machines and running a studio", "kind: out-of-scope",
			"questions:", "  - which machine should i buy to open a studio", "declines_smp: true", "---", "I only cover having SMP: ask a supplier."))},
		"synonyms.txt": {Data: []byte("smp, micropigmentation\nhair tattoo => smp\n")},
	})
	if err != nil {
		t.Fatalf("load base: %v", err)
	}
	return b
}

func TestServiceOutOfScope(t *testing.T) {
	base := scopeBase(t)
	svc := knowledge.NewService(base, buildIndex(t, base), knowledge.Calibration{}, nil)
	noScope := func(q string, ms []knowledge.Match) {
		t.Helper()
		if slices.Contains(matchIDs(ms), "not-water") {
			t.Errorf("Answer(%q).Matches = %q, want no out-of-scope topic among them", q, matchIDs(ms))
		}
	}

	q := "how deep is the ocean"
	a := answer(t, svc, q)
	if a.Answered || a.Best() != nil {
		t.Errorf("Answer(%q) answered with %q, want it declined", q, matchIDs(a.Matches))
	}
	if a.Declined == nil || a.Declined.ID != "not-water" {
		t.Errorf("Answer(%q).Declined = %v, want not-water", q, a.Declined)
	} else if got := a.NotCoveredText(); got != a.Declined.Body {
		t.Errorf("NotCoveredText() = %q, want the out-of-scope topic's body", got)
	}
	noScope(q, a.Matches)
	if len(a.Checklist)+len(a.Related)+len(a.Sources) > 0 {
		t.Errorf("Answer(%q) declined but holds checklist %q, related %q, %d sources", q, ids(a.Checklist), ids(a.Related), len(a.Sources))
	}

	q = "how deep does the pigment go"
	a = answer(t, svc, q)
	if a.Best() == nil || a.Best().ID != "depth" || a.Declined != nil {
		t.Errorf("Answer(%q) = best %v, declined %v; want depth answered", q, matchIDs(a.Matches), a.Declined)
	}
	noScope(q, a.Matches)

	// Symptoms are answered whatever else the question matches best.
	q = "fever and pus on my head, how deep is the ocean"
	a = answer(t, svc, q)
	if !a.Urgent || !a.Answered || a.Best() == nil || a.Best().ID != "infection" || a.Declined != nil {
		t.Errorf("Answer(%q) = urgent %v, answered %v, matches %q, declined %v; want the infection entry, urgently",
			q, a.Urgent, a.Answered, matchIDs(a.Matches), a.Declined)
	}
	noScope(q, a.Matches)

	// A question naming SMP is about SMP, whatever else it mentions: by
	// the subject's word, a synonym of it, or a phrase rewritten to it.
	for _, q := range []string{"is smp deep like the ocean", "is micropigmentation deep like the ocean", "is a hair tattoo deep like the ocean"} {
		if a = answer(t, svc, q); a.Declined != nil || a.Best() == nil || a.Best().ID != "depth" {
			t.Errorf("Answer(%q) = best %q, declined %v; want depth answered", q, matchIDs(a.Matches), a.Declined)
		}
	}

	// SMP's own trade is out of scope even when a question names SMP.
	for _, q := range []string{"which machine should i buy to open a studio", "which smp machine should i buy to open a studio"} {
		if a = answer(t, svc, q); a.Answered || a.Declined == nil || a.Declined.ID != "not-trade" {
			t.Errorf("Answer(%q) = answered %v, declined %v; want it declined for not-trade", q, a.Answered, a.Declined)
		}
	}

	// Naming SMP only to rule it out does not make a question about it.
	for _, q := range []string{"how deep is the ocean, no smp", "how deep is the ocean? never had smp", "not interested in smp, how deep is the ocean", "how deep is the ocean, I don't have smp", "not doing smp yet, how deep is the ocean", "i'm not ready for smp, how deep is the ocean"} {
		if a = answer(t, svc, q); a.Answered || a.Declined == nil || a.Declined.ID != "not-water" {
			t.Errorf("Answer(%q) = answered %v, declined %v; want it declined for not-water", q, a.Answered, a.Declined)
		}
	}

	// Matching an out-of-scope topic best but not well enough is not
	// being declined: the question is just not covered.
	strict := knowledge.NewService(base, buildIndex(t, base), knowledge.Calibration{MinCoverage: 1.01}, nil)
	if a = answer(t, strict, "how deep is the ocean"); a.Answered || a.Declined != nil {
		t.Errorf("Answer(%q) below every threshold = answered %v, declined %v; want plainly not covered", "how deep is the ocean", a.Answered, a.Declined)
	}
	if got := a.NotCoveredText(); got != knowledge.NotCovered {
		t.Errorf("NotCoveredText() = %q, want %q", got, knowledge.NotCovered)
	}

	if _, ok := svc.Show("not-water"); ok {
		t.Error(`Show("not-water") = ok, want an out-of-scope topic never shown as an answer`)
	}
	for _, s := range svc.Suggest("deep", 10) {
		if s.EntryID == "not-water" {
			t.Errorf("Suggest(%q) offers %q of the out-of-scope topic", "deep", s.Text)
		}
	}
	if got := ids(svc.Topics()); slices.Contains(got, "not-water") {
		t.Errorf("Topics() = %q, want no out-of-scope topic", got)
	}
}

// A message meaning something else by SMP's name is not answered, even when
// its words match an entry; one ruling SMP out only for the writer is.
func TestServiceOtherMeaning(t *testing.T) {
	base := scopeBase(t)
	svc := knowledge.NewService(base, buildIndex(t, base), knowledge.Calibration{}, nil)
	for _, q := range []string{"how deep does the pigment go on the lifesteal smp", "not smp related but how deep does the pigment go", "not smp, just a regular one: how deep does the pigment go", "how deep does the pigment go in a regular tattoo, not the head dots", "smp vs numa for my exam, how deep does the pigment go", "smp series finale, how deep does the pigment go"} {
		if a := answer(t, svc, q); a.Answered {
			t.Errorf("Answer(%q) answered with %q, want it not answered", q, matchIDs(a.Matches))
		}
	}
	for _, q := range []string{"not doing smp yet, how deep does the pigment go", "how deep does the pigment go in smp"} {
		if a := answer(t, svc, q); !a.Answered || a.Best() == nil || a.Best().ID != "depth" {
			t.Errorf("Answer(%q) = answered %v, matches %q; want depth answered", q, a.Answered, matchIDs(a.Matches))
		}
	}
}

// A question that does not name SMP is declined when an out-of-scope topic
// scores within NeighbourMargin of its best entry, unless it speaks of SMP
// in other words.
func TestServiceNeighbourMargin(t *testing.T) {
	base := scopeBase(t)
	idx := buildIndex(t, base)
	near := knowledge.NewService(base, idx, knowledge.Calibration{NeighbourMargin: 1}, nil)
	far := knowledge.NewService(base, idx, knowledge.Calibration{NeighbourMargin: 1e-9}, nil)
	none := knowledge.NewService(base, idx, knowledge.Calibration{}, nil)

	q := "how deep does it go"
	for _, svc := range []*knowledge.Service{none, far} {
		if a := answer(t, svc, q); !a.Answered || a.Best() == nil || a.Best().ID != "depth" {
			t.Errorf("Answer(%q) with the topic far behind = answered %v, matches %q; want depth answered", q, a.Answered, matchIDs(a.Matches))
		}
	}
	a := answer(t, near, q)
	if a.Answered || a.Declined == nil || a.Declined.ID != "not-water" {
		t.Errorf("Answer(%q) with the topic close behind = answered %v, declined %v; want it declined for not-water", q, a.Answered, a.Declined)
	}
	if len(a.Matches) == 0 || a.Matches[0].ID != "depth" {
		t.Errorf("Answer(%q).Matches = %q, want depth offered as a suggestion", q, matchIDs(a.Matches))
	}

	// Naming SMP, speaking of it, describing symptoms, or asking an entry's
	// phrasing word for word keeps the answer.
	for _, q := range []string{"how deep should the needle go", "how deep does smp go", "how deep do my dots go", "how deep does it go after the session", "at my consultation, how deep does it go", "how deep does it go once you've had it done", "since i got my scalp done, how deep does it go", "how deep does it go once healed", "how deep does the procedure go", "how deep does it go, as deep as a normal tattoo", "day 3, how deep does it go", "on day 3 my head tattoo looks deep, how deep does it go"} {
		if a := answer(t, near, q); !a.Answered || a.Declined != nil {
			t.Errorf("Answer(%q) = answered %v, declined %v; want it answered", q, a.Answered, a.Declined)
		}
	}
	// A day of healing speaks of SMP only beside no other work that heals
	// by the day.
	for _, q := range []string{"arm tattoo day 3, how deep does it go", "microblading day 3, how deep does it go"} {
		if a := answer(t, near, q); a.Answered || a.Declined == nil {
			t.Errorf("Answer(%q) = answered %v, declined %v; want it declined", q, a.Answered, a.Declined)
		}
	}
	q = "how deep does it go, there is pus and a fever"
	if a := answer(t, near, q); !a.Answered || !a.Urgent {
		t.Errorf("Answer(%q) = answered %v, urgent %v; want it answered urgently", q, a.Answered, a.Urgent)
	}
}

// A long message holds words no entry has, so it needs less coverage than a
// short question, where two missing words mean another subject.
func TestConfidentLongMessage(t *testing.T) {
	cal := knowledge.Calibration{MinCoverage: 0.5, LongWords: 6, MinCoverageLong: 0.4}
	tests := []struct {
		hit  knowledge.Hit
		want bool
	}{
		{knowledge.Hit{Coverage: 0.45, Words: 3}, false},
		{knowledge.Hit{Coverage: 0.45, Words: 6}, true},
		{knowledge.Hit{Coverage: 0.35, Words: 12}, false},
		{knowledge.Hit{Coverage: 0.55, Words: 2}, true},
	}
	for _, tt := range tests {
		if got := cal.Confident(tt.hit); got != tt.want {
			t.Errorf("%+v.Confident(%+v) = %v, want %v", cal, tt.hit, got, tt.want)
		}
	}
	if !(knowledge.Calibration{MinCoverage: 0.5}).Confident(knowledge.Hit{Coverage: 0.5, Words: 20}) {
		t.Error("without LongWords every question needs MinCoverage alone")
	}
}

func TestLongQuestionNoticeNamesTheLimit(t *testing.T) {
	if want := strconv.Itoa(knowledge.MaxQuestionRunes); !strings.Contains(knowledge.LongQuestionNotice, " "+want+" ") {
		t.Errorf("LongQuestionNotice = %q, want the limit %s in it", knowledge.LongQuestionNotice, want)
	}
}
