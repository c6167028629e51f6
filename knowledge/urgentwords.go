package knowledge

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
)

// UrgentWords is what the tuning sets teach about how people describe
// signs of infection or an allergic reaction: a logistic regression over
// the words and word pairs of a message, fitted on the sets' urgent labels.
// IsUrgent's patterns list the signs one wording at a time; every set
// written by someone new brings wordings they lack. The words weigh a
// message as a whole ("scalp hot", "leaking", "since tuesday" and "my smp"
// together), so they flag many of those, and a message the patterns flag
// stays flagged.
type UrgentWords struct {
	Bias    float64            `json:"bias"`
	Weights map[string]float64 `json:"weights"`
}

// urgentLikely is the probability from which UrgentWords flags a message.
// It was chosen by cross-validation on the tuning sets, five folds of whole
// sets. A needless "see a doctor" costs little and a missed one can cost a
// lot, so the threshold came down from 0.9 while each step of 0.1 caught at
// least twice as many urgent messages as it flagged others: at 0.5 the
// words flag 96.9% of the urgent messages on their own (4,652 of 4,802),
// and 0.10% of the others that the patterns leave alone (at 0.8, 94.9% and
// 0.06%; at 0.4 they would catch 21 more and flag 11 more). The rule is
// applied again whenever sets join the tuning sets.
const urgentLikely = 0.5

// Probability returns how likely the words of question make it to describe
// signs that need a doctor: 0 without a model.
func (m *UrgentWords) Probability(question string) float64 {
	if m == nil {
		return 0
	}
	z := m.Bias
	for _, t := range urgentTerms(question) {
		z += m.Weights[t]
	}
	return 1 / (1 + math.Exp(-z))
}

// Flags reports whether the words of question make it likely enough to
// describe signs that need a doctor.
func (m *UrgentWords) Flags(question string) bool {
	return m != nil && m.Probability(question) >= urgentLikely
}

// WeightedTerm is a word or word pair of a message and what it weighs
// towards urgent: positive for, negative against.
type WeightedTerm struct {
	Term   string  `json:"term"`
	Weight float64 `json:"weight"`
}

// strongest returns the n terms of question that weigh most either way,
// heaviest first.
func (m *UrgentWords) strongest(question string, n int) []WeightedTerm {
	var ts []WeightedTerm
	for _, t := range urgentTerms(question) {
		if w, ok := m.Weights[t]; ok {
			ts = append(ts, WeightedTerm{t, w})
		}
	}
	slices.SortStableFunc(ts, func(a, b WeightedTerm) int { return cmp.Compare(math.Abs(b.Weight), math.Abs(a.Weight)) })
	return ts[:min(n, len(ts))]
}

// urgentTerms returns the terms of a message as the symptom patterns read
// it (see symptomText), so that a sign denied ("no swelling") weighs
// nothing, and the first urgentPrefix letters of each longer word, marked
// with a hyphen ("swol-"), which a word shares with its other forms and
// with most of its misspellings ("swollen", "swolen", "swole").
func urgentTerms(message string) []string {
	ts := terms(symptomText(message))
	for _, t := range ts {
		if r := []rune(t); len(r) > urgentPrefix && !strings.Contains(t, " ") {
			ts = append(ts, string(r[:urgentPrefix])+"-")
		}
	}
	slices.Sort(ts)
	return slices.Compact(ts)
}

// terms returns the distinct words of a lower-cased text and the pairs of
// words next to each other. A word is a run of letters, digits, marks and
// apostrophes within it, or of emoji ("🤒").
func terms(text string) []string {
	var words []string
	for _, w := range strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) && r != '\'' && !unicode.Is(unicode.So, r)
	}) {
		if w = strings.Trim(w, "'"); w != "" {
			words = append(words, w)
		}
	}
	ts := slices.Clone(words)
	for i := 1; i < len(words); i++ {
		ts = append(ts, words[i-1]+" "+words[i])
	}
	slices.Sort(ts)
	return slices.Compact(ts)
}

// How FitUrgentWords learns: passes over the cases, the step of each
// update, the decay that keeps rare terms from weighing too much, the
// fewest cases a term must be in to be learned, and the least weight kept
// (lighter weights move no probability much and would only make
// calibration.json longer); and the length of the prefixes urgentTerms
// adds.
const (
	urgentEpochs    = 16
	urgentRate      = 0.2
	urgentDecay     = 1e-5
	urgentMinCases  = 2
	urgentMinWeight = 0.1
	urgentStartBias = -3
	urgentPrefix    = 4
)

// FitUrgentWords fits UrgentWords on the urgent labels of cases by
// stochastic gradient descent, in an order shuffled the same way each time,
// so that a fit can be checked against calibration.json.
func FitUrgentWords(cases []EvalCase) *UrgentWords {
	docs := make([][]string, len(cases))
	seen := map[string]int{}
	for i, c := range cases {
		docs[i] = urgentTerms(c.Question)
		for _, t := range docs[i] {
			seen[t]++
		}
	}
	ids := map[string]int{}
	var names []string
	xs := make([][]int, len(cases))
	for i, d := range docs {
		for _, t := range d {
			if seen[t] < urgentMinCases {
				continue
			}
			id, ok := ids[t]
			if !ok {
				id = len(names)
				ids[t] = id
				names = append(names, t)
			}
			xs[i] = append(xs[i], id)
		}
	}
	w := make([]float64, len(names))
	bias := float64(urgentStartBias)
	order := make([]int, len(cases))
	for i := range order {
		order[i] = i
	}
	for epoch := range urgentEpochs {
		rand.New(rand.NewPCG(1, uint64(epoch))).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			z := bias
			for _, f := range xs[i] {
				z += w[f]
			}
			label := 0.0
			if cases[i].Urgent {
				label = 1
			}
			// The conversions keep a compiler from fusing a multiply and
			// an add, which would fit other weights on another machine.
			g := label - 1/(1+math.Exp(-z))
			bias += float64(urgentRate * g)
			for _, f := range xs[i] {
				w[f] += float64(urgentRate * float64(g-float64(urgentDecay*w[f])))
			}
		}
	}
	m := &UrgentWords{Bias: rounded(bias), Weights: map[string]float64{}}
	for i, t := range names {
		if math.Abs(w[i]) >= urgentMinWeight {
			m.Weights[t] = rounded(w[i])
		}
	}
	return m
}

// rounded keeps three decimals, which is all a weight needs.
func rounded(x float64) float64 { return math.Round(x*1000) / 1000 }
