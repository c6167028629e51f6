package knowledge

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
)

// EvalCase is one question of an evaluation set, as a line of JSON:
//
//	{"question": "why are my dots blurry", "expect": ["blurry-dots"], "urgent": false}
//
// Expect lists the entries that count as a right answer; an empty list means
// the question is off-topic and must not be answered. Adjacent marks a
// question next to a topic, easily answered with a neighbouring entry:
// declining it is a miss, answering it with another entry is worse.
type EvalCase struct {
	Question string   `json:"question"`
	Expect   []string `json:"expect"`
	Urgent   bool     `json:"urgent,omitempty"`
	Adjacent bool     `json:"adjacent,omitempty"`
}

// ReadEvalSet reads an evaluation set in JSON Lines, naming the line of any
// malformed case.
func ReadEvalSet(r io.Reader) ([]EvalCase, error) {
	var cases []EvalCase
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		var c EvalCase
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if c.Question == "" {
			return nil, fmt.Errorf("line %d: empty question", n)
		}
		cases = append(cases, c)
	}
	return cases, sc.Err()
}

// EvalResult is how the service did on one case.
type EvalResult struct {
	Case   EvalCase
	Answer *Answer
	// Rank is the 1-based position of the first expected entry among the
	// matches of an answered question, or 0.
	Rank int
}

// Report sums up an evaluation run. Rates are fractions from 0 to 1.
type Report struct {
	OnTopic, OffTopic, UrgentCases int
	Top1, Top3, MRR                float64
	OffTopicRejection              float64
	UrgentRecall                   float64
	// AdjacentCases counts the adjacent questions, and AdjacentWrong those
	// answered with an entry they do not expect.
	AdjacentCases, AdjacentWrong int
	Results                      []EvalResult
}

// Evaluate answers every case and scores the answers. A question counts as
// right only when it is answered: a correct suggestion behind "not covered"
// is still a miss.
func Evaluate(ctx context.Context, svc *Service, cases []EvalCase) (*Report, error) {
	r := &Report{}
	var top1, top3, rejected, urgent int
	var rr float64
	for _, c := range cases {
		a, err := svc.Answer(ctx, c.Question)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", c.Question, err)
		}
		res := EvalResult{Case: c, Answer: a}
		if a.Answered {
			for i, m := range a.Matches {
				if slices.Contains(c.Expect, m.ID) {
					res.Rank = i + 1
					break
				}
			}
		}
		switch {
		case len(c.Expect) == 0:
			r.OffTopic++
			if !a.Answered {
				rejected++
			}
		default:
			r.OnTopic++
			if res.Rank == 1 {
				top1++
			}
			if res.Rank >= 1 && res.Rank <= 3 {
				top3++
			}
			if res.Rank > 0 {
				rr += 1 / float64(res.Rank)
			}
		}
		if c.Adjacent {
			r.AdjacentCases++
			if a.Answered && !slices.Contains(c.Expect, a.Matches[0].ID) {
				r.AdjacentWrong++
			}
		}
		if c.Urgent {
			r.UrgentCases++
			if a.Urgent {
				urgent++
			}
		}
		r.Results = append(r.Results, res)
	}
	r.Top1 = ratio(top1, r.OnTopic)
	r.Top3 = ratio(top3, r.OnTopic)
	r.MRR = rr / float64(max(r.OnTopic, 1))
	r.OffTopicRejection = ratio(rejected, r.OffTopic)
	r.UrgentRecall = ratio(urgent, r.UrgentCases)
	return r, nil
}

func ratio(n, d int) float64 {
	if d == 0 {
		return 1
	}
	return float64(n) / float64(d)
}

// The range of words from which Calibrate looks for a long message.
const (
	minLongWords = 5
	maxLongWords = 12
)

// Calibrate chooses the confidence thresholds that maximise top-1 accuracy
// plus off-topic rejection, so that answering the right questions and
// declining the wrong ones weigh the same however many of each the set has.
// svc must answer with a zero Calibration, so that every question with a
// match is answered and its best hit can be weighed. The urgent words are
// fitted first, and svc answers with them: a question they flag is
// answered whatever the thresholds. svc has no entry words: they choose
// which entry comes first in an answer, not whether to answer, and the
// thresholds weigh the index's best entry. Ties go to the
// lower thresholds, and each score threshold sits midway between observed
// scores, so that a question slightly unlike the set is not lost on a
// knife's edge. Declining near-domain questions for their neighbour lets
// the thresholds be lower, so they are chosen together with
// NeighbourMargin.
func Calibrate(ctx context.Context, svc *Service, cases []EvalCase) (Calibration, error) {
	svc.cal = Calibration{UrgentWords: FitUrgentWords(cases)}
	var points []calibrationPoint
	offTopicWithMatches := 0
	for _, c := range cases {
		a, err := svc.Answer(ctx, c.Question)
		if err != nil {
			return Calibration{}, fmt.Errorf("%q: %w", c.Question, err)
		}
		if len(a.Matches) == 0 || !a.Answered && !a.Urgent {
			// Never answered, whatever the thresholds: with none,
			// only an out-of-scope topic matching best declines.
			continue
		}
		if len(c.Expect) == 0 {
			offTopicWithMatches++
		}
		m := a.Matches[0]
		gap := math.Inf(1)
		if a.neighbour != nil {
			gap = m.Score - a.neighbour.Score
		}
		points = append(points, calibrationPoint{m.Score, m.Coverage, m.Words, gap, slices.Contains(c.Expect, m.ID), len(c.Expect) > 0, a.Urgent})
	}
	onTopic, offTopic := 0, 0
	for _, c := range cases {
		if len(c.Expect) > 0 {
			onTopic++
		} else {
			offTopic++
		}
	}
	// Off-topic questions with no match at all, or matching an
	// out-of-scope topic best, are always declined.
	f := fit{onTopic: onTopic, offTopic: offTopic, alwaysRejected: offTopic - offTopicWithMatches}
	// Urgent questions are answered whatever the thresholds; the others are
	// what the thresholds decide, in order of coverage for sweep.
	for _, p := range points {
		switch {
		case !p.urgent:
			f.decided = append(f.decided, p)
		case p.right:
			f.urgentRight++
		}
	}
	slices.SortStableFunc(f.decided, func(a, b calibrationPoint) int { return cmp.Compare(a.coverage, b.coverage) })
	// The thresholds and the margin, each chosen for the other until the
	// margin settles: choosing the thresholds anew for every margin would
	// take minutes.
	best, bestRight := f.thresholds(0)
	for range maxMarginRounds {
		margin := f.margin(best)
		if margin == best.NeighbourMargin {
			break
		}
		cal, r := f.thresholds(margin)
		if r <= bestRight {
			break
		}
		best, bestRight = cal, r
	}
	best.UrgentWords = svc.cal.UrgentWords
	return best, nil
}

// maxNeighbourMargin bounds the NeighbourMargin Calibrate tries: further
// behind, an out-of-scope topic says little about the question.
const maxNeighbourMargin = 0.2

// maxMarginRounds bounds how often Calibrate chooses the margin and the
// thresholds anew.
const maxMarginRounds = 3

// margin returns the NeighbourMargin that does best with cal's thresholds:
// none, or one midway between observed gaps. Ties go to the smaller.
func (f *fit) margin(cal Calibration) float64 {
	var gaps []float64
	for _, p := range f.decided {
		if p.gap <= maxNeighbourMargin {
			gaps = append(gaps, p.gap)
		}
	}
	sort.Float64s(gaps)
	gaps = slices.Compact(gaps)
	best, bestRight := 0.0, -1.0
	for i := range gaps {
		margin := 0.0
		if i > 0 {
			margin = (gaps[i-1] + gaps[i]) / 2
		}
		answeredRight, rejected := f.urgentRight, 0
		for _, p := range f.decided {
			answered := p.gap > margin && cal.Confident(Hit{Score: p.score, Coverage: p.coverage, Words: p.words})
			switch {
			case answered && p.right:
				answeredRight++
			case !answered && !p.onTopic:
				rejected++
			}
		}
		if r := f.right(answeredRight, rejected); r > bestRight {
			best, bestRight = margin, r
		}
	}
	return best
}

// fit is what Calibrate weighs thresholds on.
type fit struct {
	onTopic, offTopic int
	// alwaysRejected counts the off-topic questions declined whatever the
	// thresholds, urgentRight the urgent ones answered right whatever
	// they are.
	alwaysRejected, urgentRight int
	// decided are the points the thresholds decide, by coverage.
	decided []calibrationPoint
}

// right is answering the right questions plus declining the wrong ones,
// each as a share.
func (f *fit) right(answeredRight, rejected int) float64 {
	return ratio(answeredRight, f.onTopic) + ratio(rejected+f.alwaysRejected, f.offTopic)
}

// thresholds returns the best thresholds with the given NeighbourMargin,
// and how right they are.
func (f *fit) thresholds(margin float64) (Calibration, float64) {
	// Points a neighbour declines are declined whatever the thresholds.
	var decided []calibrationPoint
	neighbourRejected := 0
	for _, p := range f.decided {
		switch {
		case p.gap > margin:
			decided = append(decided, p)
		case !p.onTopic:
			neighbourRejected++
		}
	}
	scores := []float64{0}
	coverages := []float64{0}
	for _, p := range decided {
		scores = append(scores, p.score)
		coverages = append(coverages, p.coverage)
	}
	sort.Float64s(scores)
	scores = slices.Compact(scores)
	sort.Float64s(coverages)
	coverages = slices.Compact(coverages)

	best, bestRight := Calibration{NeighbourMargin: margin}, -1.0
	for i, s := range scores {
		cut := s
		if i > 0 {
			cut = (scores[i-1] + s) / 2
		}
		// Below the score threshold a question is declined whatever its
		// coverage.
		var passing []calibrationPoint
		rejected := neighbourRejected
		for _, p := range decided {
			if p.score >= cut {
				passing = append(passing, p)
			} else if !p.onTopic {
				rejected++
			}
		}
		sweep(passing, coverages, func(cv float64, sweptRight, sweptRejected int) {
			if r := f.right(f.urgentRight+sweptRight, rejected+sweptRejected); r > bestRight {
				best, bestRight = Calibration{MinScore: cut, MinCoverage: cv, NeighbourMargin: margin}, r
			}
		})
	}
	// Then whether long messages do better with less coverage.
	base := best
	less := coverages[:sort.SearchFloat64s(coverages, base.MinCoverage)]
	for n := minLongWords; n <= maxLongWords; n++ {
		var long []calibrationPoint
		answeredRight, rejected := f.urgentRight, neighbourRejected
		for _, p := range decided {
			switch {
			case p.score < base.MinScore:
				if !p.onTopic {
					rejected++
				}
			case p.words >= n:
				long = append(long, p)
			case p.coverage >= base.MinCoverage:
				if p.right {
					answeredRight++
				}
			case !p.onTopic:
				rejected++
			}
		}
		sweep(long, less, func(cv float64, sweptRight, sweptRejected int) {
			if r := f.right(answeredRight+sweptRight, rejected+sweptRejected); r > bestRight {
				best, bestRight = base, r
				best.LongWords, best.MinCoverageLong = n, cv
			}
		})
	}
	return best, bestRight
}

// calibrationPoint is a question of a calibration set as its best hit
// scores it.
type calibrationPoint struct {
	score, coverage float64
	words           int
	// gap is how far the best out-of-scope topic of a question that does
	// not name SMP scores behind the best entry; +Inf without one.
	gap     float64
	right   bool // answering this case with its best hit is right
	onTopic bool
	urgent  bool // answered whatever the thresholds
}

// sweep weighs each coverage threshold of thresholds, in ascending order,
// for the points ps, sorted by coverage, each answered when its coverage
// reaches the threshold: it calls weigh with the threshold, how many of ps
// are answered right and how many off-topic ones are declined. One pass
// over ps for every threshold, rather than a pass for each, keeps
// calibrating on thousands of questions to a second.
func sweep(ps []calibrationPoint, thresholds []float64, weigh func(cv float64, answeredRight, rejected int)) {
	right := 0
	for _, p := range ps {
		if p.right {
			right++
		}
	}
	below, rightBelow, offBelow := 0, 0, 0
	for _, cv := range thresholds {
		for ; below < len(ps) && ps[below].coverage < cv; below++ {
			if ps[below].right {
				rightBelow++
			}
			if !ps[below].onTopic {
				offBelow++
			}
		}
		weigh(cv, right-rightBelow, offBelow)
	}
}
