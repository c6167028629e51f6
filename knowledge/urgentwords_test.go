package knowledge_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/smpbot/bot/knowledge"
)

// Messages whose signs IsUrgent's patterns do not list: shaking and night
// sweats are how many people tell a fever.
const feverUnlisted = "had my smp a week ago, since yesterday i'm shaking and sweating at night and my crown is sore"

// TestUrgentWordsFlagWhatPatternsMiss is the embedded calibration's urgent
// words at work: a message the patterns miss still gets "see a doctor"
// first and the infection entry, and calm healing is left alone.
func TestUrgentWordsFlagWhatPatternsMiss(t *testing.T) {
	svc := guideService(t)
	if knowledge.IsUrgent(feverUnlisted) {
		t.Fatalf("IsUrgent(%q) = true: choose a message the patterns miss", feverUnlisted)
	}
	a, err := svc.Answer(t.Context(), feverUnlisted)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Urgent || !a.Answered || a.Matches[0].ID != "infection-signs" {
		t.Errorf("Answer(%q): urgent %v, answered %v, first %s; want urgent and infection-signs first", feverUnlisted, a.Urgent, a.Answered, firstID(a))
	}
	for _, q := range []string{
		"day 2 after smp and the crown is a little pink, is that normal?",
		"three weeks after my smp, the dots look lighter than in week one",
		"does smp hurt more than a tattoo on the ribs?",
	} {
		a, err := svc.Answer(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		if a.Urgent {
			t.Errorf("Answer(%q) is flagged urgent", q)
		}
	}
}

func firstID(a *knowledge.Answer) string {
	if len(a.Matches) == 0 {
		return "nothing"
	}
	return a.Matches[0].ID
}

// TestFitUrgentWords learns from labelled messages which words tell of
// signs, flags a new message made of them, and leaves a calm one alone.
func TestFitUrgentWords(t *testing.T) {
	var cases []knowledge.EvalCase
	for range 40 {
		cases = append(cases,
			knowledge.EvalCase{Question: "my crown is leaking and throbbing", Urgent: true},
			knowledge.EvalCase{Question: "the hairline is leaking since monday", Urgent: true},
			knowledge.EvalCase{Question: "throbbing scalp and shaking at night", Urgent: true},
			knowledge.EvalCase{Question: "my crown looks lighter after a month"},
			knowledge.EvalCase{Question: "the hairline looks great since monday"},
			knowledge.EvalCase{Question: "how much does smp cost"},
			knowledge.EvalCase{Question: "is the scalp tender on day two normal"},
		)
	}
	m := knowledge.FitUrgentWords(cases)
	if q := "leaking and throbbing at night"; !m.Flags(q) {
		t.Errorf("Flags(%q) = false (probability %.2f), want true", q, m.Probability(q))
	}
	if q := "my hairline looks lighter"; m.Flags(q) {
		t.Errorf("Flags(%q) = true (probability %.2f), want false", q, m.Probability(q))
	}
	for term, w := range m.Weights {
		if w > -0.1 && w < 0.1 {
			t.Errorf("weight of %q = %g is kept, want weights of 0.1 or more either way only", term, w)
		}
	}
	if again := knowledge.FitUrgentWords(cases); !reflect.DeepEqual(m, again) {
		t.Error("two fits on the same cases differ: calibration.json could not be checked")
	}
}

// TestUrgentWordsRead checks what the words are read from: a sign denied
// weighs nothing, case and typographic apostrophes do not matter, emoji
// count, a misspelling shares its word's first letters, and without a model
// nothing is flagged.
func TestUrgentWordsRead(t *testing.T) {
	m := &knowledge.UrgentWords{Bias: -2, Weights: map[string]float64{"swelling": 5, "it's hot": 5, "🤒": 5, "swol-": 5}}
	for q, want := range map[string]bool{
		"crown swolen since monday":  true,
		"some swelling on day 9":     true,
		"day 9 and no swelling":      false,
		"IT’S HOT to touch":          true,
		"smp day 4 🤒":                true,
		"day 4, all good":            false,
		strings.Repeat("ok ", 10000): false,
	} {
		if got := m.Flags(q); got != want {
			t.Errorf("Flags(%.40q) = %v (probability %.2f), want %v", q, got, m.Probability(q), want)
		}
	}
	var none *knowledge.UrgentWords
	if none.Flags("pus and fever") || none.Probability("pus and fever") != 0 {
		t.Error("a nil UrgentWords flags a message")
	}
}
