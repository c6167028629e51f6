package knowledge

import "context"

// Reasons say why a question got the entries it got: what its words
// became, and how each of the best entries scored.
type Reasons struct {
	Words []ExplainedWord `json:"words"`
	Hits  []ExplainedHit  `json:"hits"`
	// Calibration holds the thresholds the answer was decided by, without
	// its urgent words: Urgent tells what they made of the question.
	Calibration Calibration     `json:"thresholds"`
	Urgent      ExplainedUrgent `json:"urgent"`
	// Ranked is how the entry words ordered the best entries of an
	// answered question, each score raised by RankWeight times its
	// share; empty when they left the index's order.
	Ranked     []RankedEntry `json:"ranked,omitempty"`
	RankWeight float64       `json:"rank_weight,omitempty"`
}

// ExplainedUrgent says why a question was flagged as describing signs that
// need a doctor, or not: by IsUrgent's patterns, or by the urgent words.
type ExplainedUrgent struct {
	Patterns bool `json:"patterns"`
	// Probability is what the urgent words make of the question, flagged
	// from Threshold; both are 0 without urgent words. Terms are the words
	// and pairs of the question that weigh most either way.
	Probability float64        `json:"probability"`
	Threshold   float64        `json:"threshold"`
	Terms       []WeightedTerm `json:"terms,omitempty"`
}

// explainedTerms is how many of a question's terms an explanation weighs.
const explainedTerms = 6

// ExplainedWord is one meaningful word of a question as the index read it.
type ExplainedWord struct {
	// Typed is the word as written, Term what analysis made of it.
	Typed string `json:"typed"`
	Term  string `json:"term"`
	// SplitFrom is the word typed when Typed is a part of it, read apart
	// as a word typed without its space ("healingtime").
	SplitFrom string `json:"split_from,omitempty"`
	// Synonyms are the terms searched for it besides Term.
	Synonyms []string `json:"synonyms,omitempty"`
	// Corrections are the knowledge base's terms taken for a typo of it.
	Corrections []string `json:"corrections,omitempty"`
	// Weight is how much the word counts: rare words count most, and a
	// word of the sentence that asks counts more than the story around it.
	Weight float64 `json:"weight"`
	// Asked is whether the word is in a sentence that asks, in a message
	// that also tells something.
	Asked bool `json:"asked,omitempty"`
}

// ExplainedHit is one entry found for a question, with the parts of its
// score.
type ExplainedHit struct {
	Hit
	// Phrasing is the entry's title or alternate question closest to the
	// question, and Matched the question's terms it holds.
	Phrasing string   `json:"phrasing"`
	Matched  []string `json:"matched"`
	// Details are the terms of Matched that no other phrasing of the entry,
	// nor its tags or body, holds: a detail of that phrasing, which counts
	// less.
	Details []string `json:"details,omitempty"`
	// Missed are the question's terms the entry has nowhere.
	Missed []string `json:"missed,omitempty"`
	// Parts are what Sum is the weighted sum of. Score is Sum, unless
	// Exact: Phrasing holds each of the question's words and no other, and
	// the entry scores 1 whatever its parts.
	Parts []ScorePart `json:"parts"`
	Sum   float64     `json:"sum"`
	Exact bool        `json:"exact,omitempty"`
}

// ScorePart is one part of a hit's score: it adds Value × Weight.
type ScorePart struct {
	Name   string  `json:"name"`
	Value  float64 `json:"value"` // from 0 to 1
	Weight float64 `json:"weight"`
}

// Explainer is an Index that can say how it ranks a question's hits.
type Explainer interface {
	Explain(ctx context.Context, question string, limit int) (*Reasons, error)
}

// ExplainDepth is how many of the best entries an explanation covers.
const ExplainDepth = 5

// Explain answers question as Lookup does and says why: nil when the index
// cannot explain itself.
func (s *Service) Explain(ctx context.Context, question string) (*Answer, *Reasons, error) {
	a, err := s.Lookup(ctx, question)
	if err != nil {
		return nil, nil, err
	}
	snap := s.acquire()
	defer snap.mu.RUnlock()
	x, ok := snap.idx.(Explainer)
	if !ok {
		return a, nil, nil
	}
	ex, err := x.Explain(ctx, searchText(a.Question), ExplainDepth)
	if err != nil {
		return nil, nil, err
	}
	ex.Calibration = s.cal
	ex.Calibration.UrgentWords = nil
	if a.Answered && !a.Urgent {
		if ex.Ranked = s.cal.EntryWords.ranked(a.Question, a.Matches); ex.Ranked != nil {
			ex.RankWeight = entryWordsWeight
		}
	}
	ex.Urgent.Patterns = IsUrgent(a.Question)
	if words := s.cal.UrgentWords; words != nil {
		ex.Urgent.Probability = words.Probability(a.Question)
		ex.Urgent.Threshold = urgentLikely
		ex.Urgent.Terms = words.strongest(a.Question, explainedTerms)
	}
	return a, ex, nil
}
