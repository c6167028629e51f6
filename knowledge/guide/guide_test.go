package guide_test

import (
	"context"
	"errors"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/smpbot/bot/index"
	"github.com/smpbot/bot/index/indextest"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

// guideURL is the guide every answer about SMP results rests on.
const guideURL = "https://dot-micro.com/smp/bad-scalp-micropigmentation-results-how-to-avoid-falling-into-the-dark-side-of-smp/"

func loadBase(t *testing.T) *knowledge.Base {
	t.Helper()
	b, err := knowledge.Load(guide.FS())
	if err != nil {
		// Print what `bot kb lint` would, one problem a line.
		var verr *knowledge.ValidationError
		if errors.As(err, &verr) {
			for _, p := range verr.Problems {
				t.Error(p)
			}
		}
		t.Fatalf("knowledge.Load(embedded knowledge base): %v", err)
	}
	return b
}

// TestLint is `bot kb lint` on the embedded knowledge base.
func TestLint(t *testing.T) {
	b := loadBase(t)
	if n := len(b.Entries()); n < 20 {
		t.Errorf("embedded knowledge base has %d entries, want the guide and the safety pack (20 or more)", n)
	}
	for _, p := range b.Lint() {
		t.Error(p)
	}
}

// Every entry is phrased as people ask; every entry that answers cites its
// sources. An out-of-scope topic states no facts, only who can help, so it
// needs none.
func TestEntriesArePhrasedAndSourced(t *testing.T) {
	for _, e := range loadBase(t).Entries() {
		if n := len(e.Questions); n < 4 {
			t.Errorf("%s: %d alternate questions, want at least 4", e.File, n)
		}
		if len(e.Sources) == 0 && e.Kind != knowledge.OutOfScope {
			t.Errorf("%s: no sources, want at least 1", e.File)
		}
	}
}

// The entries written from the guide cite it first, so that it stays the
// primary source of what the bot says about them.
func TestGuideEntriesCiteGuideFirst(t *testing.T) {
	b := loadBase(t)
	want := []string{"what-is-smp", "why-bad-results", "smp-vs-tattoo", "skin-layers", "pigment-depth", "blurry-dots"}
	for _, e := range b.Entries() {
		if strings.HasPrefix(e.ID, "checklist-") {
			want = append(want, e.ID)
		}
	}
	for _, id := range want {
		e, ok := b.Entry(id)
		if !ok {
			t.Errorf("entry %s is missing", id)
			continue
		}
		if len(e.Sources) == 0 || e.Sources[0].URL != guideURL {
			t.Errorf("%s: first source = %+v, want the guide %s", e.File, e.Sources, guideURL)
		}
	}
}

// The guide's three-step checklist for choosing a practitioner is what the
// service shows for every question about choosing one.
func TestPractitionerChecklist(t *testing.T) {
	steps := loadBase(t).Checklist(knowledge.PractitionerChecklist)
	var got []string
	for _, e := range steps {
		got = append(got, e.ID)
	}
	if want := []string{"checklist-training", "checklist-reputation", "checklist-comfort"}; !slices.Equal(got, want) {
		t.Errorf("Checklist(%q) = %q, want %q", knowledge.PractitionerChecklist, got, want)
	}
}

// TestCalibration checks that calibration.json holds the thresholds
// `bot eval --calibrate` derives from the embedded tuning sets today, so
// that a change to the entries cannot leave stale, hand-picked thresholds.
func TestCalibration(t *testing.T) {
	got, err := guide.Calibration()
	if err != nil {
		t.Fatalf("Calibration(): %v", err)
	}
	b := loadBase(t)
	idx, err := index.Build(b)
	if err != nil {
		t.Fatalf("index.Build: %v", err)
	}
	cases, err := guide.TuningCases()
	if err != nil {
		t.Fatal(err)
	}
	want, err := knowledge.Calibrate(context.Background(), knowledge.NewService(b, idx, knowledge.Calibration{}, nil), cases)
	if err != nil {
		t.Fatalf("Calibrate: %v", err)
	}
	// bleve's scores differ by up to about 2e-4 from one build of the same
	// knowledge base to the next; a stale calibration is off by far more.
	const tolerance = 1e-3
	if math.Abs(got.MinScore-want.MinScore) > tolerance || math.Abs(got.MinCoverage-want.MinCoverage) > tolerance ||
		got.LongWords != want.LongWords || math.Abs(got.MinCoverageLong-want.MinCoverageLong) > tolerance ||
		math.Abs(got.NeighbourMargin-want.NeighbourMargin) > tolerance {
		t.Errorf("calibration.json = %+v, but the evaluation set calibrates to %+v: run\n\tgo run ./cmd/bot eval --calibrate > knowledge/guide/calibration.json", got, want)
	}
	// The urgent words are fitted the same way each time; only another
	// machine's arithmetic may move a weight by a rounding step.
	for _, c := range cases {
		if g, w := got.UrgentWords.Probability(c.Question), want.UrgentWords.Probability(c.Question); math.Abs(g-w) > 0.01 {
			t.Errorf("calibration.json's urgent words give %q %.3f, a fit on the tuning sets %.3f: run\n\tgo run ./cmd/bot eval --calibrate > knowledge/guide/calibration.json", c.Question, g, w)
			break
		}
	}
	if got.MinCoverage <= 0 {
		t.Errorf("Calibration() = %+v: with no coverage threshold every question with a match would be answered", got)
	}
}

// TestEvalSet checks the evaluation set is what the issue asks for and only
// expects entries that exist.
func TestEvalSet(t *testing.T) {
	checkExpects(t, guide.EvalFile, indextest.EvalCases(t))
	var onTopic, offTopic, urgent int
	seen := map[string]bool{}
	for _, c := range indextest.EvalCases(t) {
		if seen[c.Question] {
			t.Errorf("%s: question %q appears twice", guide.EvalFile, c.Question)
		}
		seen[c.Question] = true
		switch {
		case len(c.Expect) == 0:
			offTopic++
		default:
			onTopic++
		}
		if c.Urgent {
			urgent++
		}
	}
	if onTopic < 150 || offTopic < 40 || urgent == 0 {
		t.Errorf("%s: %d on-topic, %d off-topic, %d urgent questions; want at least 150, 40 and 1", guide.EvalFile, onTopic, offTopic, urgent)
	}
}

// Minimums for the evaluation: the targets of issue 2. The README's
// Evaluation table has what the engine reaches now.
const (
	minTop1      = 0.95
	minTop3      = 0.99
	minRejection = 0.95
	minUrgent    = 1.00 // every urgent question must get the urgent notice
)

// checkExpects fails for a case of the named set that expects an entry the
// embedded knowledge base does not have, or one that never answers.
func checkExpects(t *testing.T, file string, cases []knowledge.EvalCase) {
	t.Helper()
	b := loadBase(t)
	for _, c := range cases {
		for _, id := range c.Expect {
			if e, ok := b.Entry(id); !ok {
				t.Errorf("%s: question %q expects unknown entry %q", file, c.Question, id)
			} else if e.Kind == knowledge.OutOfScope {
				t.Errorf("%s: question %q expects out-of-scope topic %q, which never answers", file, c.Question, id)
			}
		}
	}
}

// minimums are the least an evaluation run must reach, as fractions.
type minimums struct {
	top1, top3, rejection, urgent float64
	// adjacentWrong is the most adjacent questions that may be answered
	// with a wrong entry.
	adjacentWrong int
}

// TestEvaluation runs the embedded evaluation set through the real index
// with the embedded calibration, as `bot eval` does.
func TestEvaluation(t *testing.T) {
	evaluate(t, indextest.EvalCases(t), minimums{top1: minTop1, top3: minTop3, rejection: minRejection, urgent: minUrgent}, true)
}

// TestOtherSets runs the evaluation sets beside the embedded one, so that a
// change that helps one set by hurting another fails. Each minimum sits a
// question or two under what the engine reaches now (the README's
// Evaluation table).
//
// The sets marked heldOut are held out: nothing is tuned on them, and their
// figures are the honest guess at questions nobody here has seen. The others
// are tuning sets (see guide.TuningFiles).
func TestOtherSets(t *testing.T) {
	for _, set := range []struct {
		file    string
		min     minimums
		heldOut bool
	}{
		{"holdout.jsonl", minimums{top1: 0.95, top3: 0.99, rejection: 0.89, urgent: 1}, true},
		{"dev.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.97, urgent: 1}, false},
		{"community-tune.jsonl", minimums{top1: 0.99, top3: 0.99, rejection: 0.9, urgent: 1, adjacentWrong: 2}, false},
		{"community-dev.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.89, urgent: 1, adjacentWrong: 3}, false},
		// The validation set decided one change; the held-out sets none.
		// Not every urgent message of the held-out sets is flagged yet (see
		// the README), so their urgent minimums hold today's figures.
		{"community-val.jsonl", minimums{top1: 0.99, top3: 0.99, rejection: 0.93, urgent: 1, adjacentWrong: 2}, false},
		{"community-holdout.jsonl", minimums{top1: 0.94, top3: 0.99, rejection: 0.84, urgent: 1, adjacentWrong: 5}, true},
		{"community-lookalike.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.93, urgent: 1, adjacentWrong: 3}, false},
		{"community-implicit.jsonl", minimums{top1: 0.95, top3: 0.96, rejection: 0.97, urgent: 1, adjacentWrong: 3}, false},
		{"community-firsttime.jsonl", minimums{top1: 0.98, top3: 0.98, rejection: 0.93, urgent: 1, adjacentWrong: 3}, false},
		{"community-forum.jsonl", minimums{top1: 0.96, top3: 0.98, rejection: 0.95, urgent: 1, adjacentWrong: 6}, false},
		{"community-reddit.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.95, urgent: 1, adjacentWrong: 4}, false},
		{"community-messenger.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 0.95, urgent: 1, adjacentWrong: 5}, false},
		{"community-video-tune.jsonl", minimums{top1: 0.94, top3: 0.95, rejection: 0.95, urgent: 1, adjacentWrong: 2}, false},
		{"community-chat-holdout.jsonl", minimums{top1: 0.94, top3: 0.96, rejection: 0.97, urgent: 1, adjacentWrong: 8}, true},
		{"community-phone-holdout.jsonl", minimums{top1: 0.89, top3: 0.96, rejection: 0.93, urgent: 1, adjacentWrong: 9}, true},
		{"community-intl-holdout.jsonl", minimums{top1: 0.91, top3: 0.95, rejection: 0.97, urgent: 1, adjacentWrong: 6}, true},
		{"community-discord-holdout.jsonl", minimums{top1: 0.93, top3: 0.94, rejection: 0.91, urgent: 1, adjacentWrong: 3}, true},
		{"community-telegram-holdout.jsonl", minimums{top1: 0.94, top3: 0.95, rejection: 0.92, urgent: 1, adjacentWrong: 1}, true},
		{"community-qa-holdout.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.91, urgent: 1, adjacentWrong: 2}, true},
		{"community-week-holdout.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 0.97, urgent: 1, adjacentWrong: 3}, true},
		{"community-whatsapp-tune.jsonl", minimums{top1: 0.95, top3: 0.96, rejection: 0.95, urgent: 1, adjacentWrong: 3}, false},
		{"community-facebook-tune.jsonl", minimums{top1: 0.98, top3: 0.98, rejection: 0.88, urgent: 1, adjacentWrong: 8}, false},
		{"community-problems-tune.jsonl", minimums{top1: 0.95, top3: 0.96, rejection: 0.97, urgent: 1, adjacentWrong: 2}, false},
		{"community-health-tune.jsonl", minimums{top1: 0.98, top3: 0.98, rejection: 0.95, urgent: 1, adjacentWrong: 5}, false},
		{"community-genz-tune.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 0.95, urgent: 1, adjacentWrong: 3}, false},
		{"community-compare-tune.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 0.95, urgent: 1, adjacentWrong: 6}, false},
		{"community-pairs-tune.jsonl", minimums{top1: 0.97, top3: 0.97, rejection: 0.97, urgent: 1, adjacentWrong: 3}, false},
		{"community-updates-tune.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.93, urgent: 1, adjacentWrong: 2}, false},
		{"community-relay-tune.jsonl", minimums{top1: 0.97, top3: 0.97, rejection: 0.97, urgent: 1, adjacentWrong: 3}, false},
		{"community-widget-tune.jsonl", minimums{top1: 0.95, top3: 0.95, rejection: 0.97, urgent: 1, adjacentWrong: 2}, false},
		{"community-latam.jsonl", minimums{top1: 0.84, top3: 0.87, rejection: 0.93, urgent: 1, adjacentWrong: 3}, false},
		{"community-older-tune.jsonl", minimums{top1: 0.99, top3: 0.99, rejection: 0.95, urgent: 1, adjacentWrong: 2}, false},
		{"community-esl-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.93, urgent: 1, adjacentWrong: 7}, false},
		{"community-fresh-holdout.jsonl", minimums{top1: 0.94, top3: 0.96, rejection: 0.91, urgent: 1, adjacentWrong: 3}, true},
		{"community-voice-tune.jsonl", minimums{top1: 0.95, top3: 0.95, rejection: 0.95, urgent: 1, adjacentWrong: 2}, false},
		{"community-group-tune.jsonl", minimums{top1: 0.95, top3: 0.96, rejection: 0.95, urgent: 1, adjacentWrong: 1}, false},
		{"community-terse-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.97, urgent: 1, adjacentWrong: 2}, false},
		{"community-veteran-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.97, urgent: 1, adjacentWrong: 3}, false},
		{"community-longpost-tune.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.93, urgent: 1, adjacentWrong: 6}, false},
		{"community-women-tune.jsonl", minimums{top1: 0.99, top3: 0.99, rejection: 0.93, urgent: 1, adjacentWrong: 3}, false},
		{"community-fresh2-holdout.jsonl", minimums{top1: 0.93, top3: 0.95, rejection: 0.91, urgent: 1, adjacentWrong: 3}, true},
		{"community-decoys-holdout.jsonl", minimums{top1: 0.97, top3: 0.99, rejection: 0.9, urgent: 1, adjacentWrong: 7}, true},
		{"community-myths-holdout.jsonl", minimums{top1: 0.91, top3: 0.95, rejection: 0.88, urgent: 1, adjacentWrong: 7}, true},
		{"community-decoys2-tune.jsonl", minimums{top1: 0.99, top3: 0.99, rejection: 0.96, urgent: 1, adjacentWrong: 2}, false},
		{"community-myths2-tune.jsonl", minimums{top1: 0.95, top3: 0.96, rejection: 0.96, urgent: 1, adjacentWrong: 4}, false},
		{"community-long4-tune.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 0.93, urgent: 1, adjacentWrong: 8}, false},
		{"community-voice3-tune.jsonl", minimums{top1: 0.96, top3: 0.96, rejection: 0.96, urgent: 1, adjacentWrong: 4}, false},
		{"community-intl3-tune.jsonl", minimums{top1: 0.96, top3: 0.96, rejection: 0.99, urgent: 1, adjacentWrong: 2}, false},
		{"community-phone4-tune.jsonl", minimums{top1: 0.96, top3: 0.96, rejection: 0.97, urgent: 1, adjacentWrong: 3}, false},
		{"community-chat4-tune.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.98, urgent: 1, adjacentWrong: 2}, false},
		{"community-decoys4-tune.jsonl", minimums{top1: 0.99, top3: 0.99, rejection: 0.96, urgent: 1, adjacentWrong: 3}, false},
		{"community-chat5-tune.jsonl", minimums{top1: 0.97, top3: 0.97, rejection: 0.98, urgent: 1, adjacentWrong: 2}, false},
		{"community-intl4-tune.jsonl", minimums{top1: 0.97, top3: 0.97, rejection: 0.96, urgent: 1, adjacentWrong: 3}, false},
		{"community-older5-tune.jsonl", minimums{top1: 0.97, top3: 0.97, rejection: 0.93, urgent: 1, adjacentWrong: 6}, false},
		{"community-tiktok6-tune.jsonl", minimums{top1: 0.96, top3: 0.98, rejection: 0.94, urgent: 1, adjacentWrong: 5}, false},
		{"community-whatsapp6-tune.jsonl", minimums{top1: 0.96, top3: 0.96, rejection: 0.95, urgent: 1, adjacentWrong: 5}, false},
		{"community-intl5-tune.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.99, urgent: 1, adjacentWrong: 1}, false},
		{"community-myths8-tune.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 0.96, urgent: 1, adjacentWrong: 4}, false},
		{"community-story8-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.96, urgent: 1, adjacentWrong: 4}, false},
		{"community-intl8-tune.jsonl", minimums{top1: 0.99, top3: 0.99, rejection: 0.94, urgent: 1, adjacentWrong: 3}, false},
		{"community-phone8-tune.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 0.98, urgent: 1, adjacentWrong: 2}, false},
		{"community-chat8-tune.jsonl", minimums{top1: 0.98, top3: 0.98, rejection: 0.94, urgent: 1, adjacentWrong: 5}, false},
		{"community-decoys8-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.95, urgent: 1, adjacentWrong: 5}, false},
		{"community-chat9-tune.jsonl", minimums{top1: 0.99, top3: 0.99, rejection: 0.98, urgent: 1, adjacentWrong: 1}, false},
		{"community-decoys9-tune.jsonl", minimums{top1: 0.99, top3: 0.99, rejection: 0.96, urgent: 1, adjacentWrong: 3}, false},
		{"community-reddit9-tune.jsonl", minimums{top1: 0.99, top3: 0.99, rejection: 0.96, urgent: 1, adjacentWrong: 3}, false},
		{"community-voice9-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.96, urgent: 1, adjacentWrong: 4}, false},
		{"community-phone9-tune.jsonl", minimums{top1: 0.93, top3: 0.95, rejection: 0.96, urgent: 1, adjacentWrong: 3}, false},
		{"community-intl9-tune.jsonl", minimums{top1: 0.98, top3: 0.98, rejection: 0.96, urgent: 1, adjacentWrong: 4}, false},
		{"community-pairs10-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.96, urgent: 1, adjacentWrong: 4}, false},
		{"community-decoys10-tune.jsonl", minimums{top1: 0.97, top3: 0.99, rejection: 0.94, urgent: 1, adjacentWrong: 5}, false},
		{"community-week10-tune.jsonl", minimums{top1: 0.98, top3: 0.98, rejection: 0.96, urgent: 1, adjacentWrong: 3}, false},
		{"community-story10-tune.jsonl", minimums{top1: 0.99, top3: 0.99, rejection: 0.94, urgent: 1, adjacentWrong: 4}, false},
		{"community-forum12-tune.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.92, urgent: 1, adjacentWrong: 6}, false},
		{"community-esl12-tune.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.94, urgent: 1, adjacentWrong: 5}, false},
		{"community-decoys12-tune.jsonl", minimums{top1: 0.96, top3: 0.98, rejection: 0.97, urgent: 1, adjacentWrong: 4}, false},
		{"community-urgent12-tune.jsonl", minimums{top1: 0.96, top3: 0.98, rejection: 0.96, urgent: 1, adjacentWrong: 8}, false},
		{"community-urgent13-tune.jsonl", minimums{top1: 0.95, top3: 0.98, rejection: 0.92, urgent: 1, adjacentWrong: 3}, false},
		{"community-email13-tune.jsonl", minimums{top1: 0.98, top3: 0.98, rejection: 0.98, urgent: 1, adjacentWrong: 4}, false},
		{"community-decoys13-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.92, urgent: 1, adjacentWrong: 9}, false},
		{"community-terse14-tune.jsonl", minimums{top1: 0.91, top3: 0.93, rejection: 0.96, urgent: 1, adjacentWrong: 4}, false},
		{"community-proxy14-tune.jsonl", minimums{top1: 0.98, top3: 0.98, rejection: 0.96, urgent: 1, adjacentWrong: 5}, false},
		{"community-compare14-tune.jsonl", minimums{top1: 0.95, top3: 0.97, rejection: 0.95, urgent: 1, adjacentWrong: 11}, false},
		{"community-veteran15-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.96, urgent: 1, adjacentWrong: 7}, false},
		{"community-night15-tune.jsonl", minimums{top1: 0.98, top3: 0.98, rejection: 0.96, urgent: 1, adjacentWrong: 4}, false},
		{"community-mixed15-tune.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.98, urgent: 1, adjacentWrong: 4}, false},
		{"community-women16-tune.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 0.94, urgent: 1, adjacentWrong: 6}, false},
		{"community-health16-tune.jsonl", minimums{top1: 0.98, top3: 0.98, rejection: 0.91, urgent: 1, adjacentWrong: 6}, false},
		{"community-typo16-tune.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 0.98, urgent: 1, adjacentWrong: 4}, false},
		{"community-regret17-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.94, urgent: 1, adjacentWrong: 4}, false},
		{"community-booking17-tune.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.92, urgent: 1, adjacentWrong: 6}, false},
		{"community-decoys17-tune.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.98, urgent: 1, adjacentWrong: 4}, false},
		{"community-intl17-tune.jsonl", minimums{top1: 0.98, top3: 0.98, rejection: 0.96, urgent: 1, adjacentWrong: 4}, false},
		{"community-aussie17-tune.jsonl", minimums{top1: 0.96, top3: 0.96, rejection: 0.94, urgent: 1, adjacentWrong: 4}, false},
		{"community-long17-tune.jsonl", minimums{top1: 0.96, top3: 0.98, rejection: 0.98, urgent: 1, adjacentWrong: 4}, false},
		{"community-adjacent17-tune.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.95, urgent: 1, adjacentWrong: 9}, false},
		{"community-urgent17-tune.jsonl", minimums{top1: 0.97, top3: 0.99, rejection: 0.89, urgent: 1, adjacentWrong: 5}, false},
		{"community-fb18-tune.jsonl", minimums{top1: 0.97, top3: 0.97, rejection: 0.94, urgent: 1, adjacentWrong: 4}, false},
		{"community-yt18-tune.jsonl", minimums{top1: 0.94, top3: 0.96, rejection: 0.98, urgent: 1, adjacentWrong: 6}, false},
		{"community-reddit18-tune.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.96, urgent: 1, adjacentWrong: 5}, false},
		{"community-pairs18-tune.jsonl", minimums{top1: 0.99, top3: 0.99, rejection: 0.98, urgent: 1, adjacentWrong: 3}, false},
		{"community-skeptic18-tune.jsonl", minimums{top1: 0.97, top3: 0.99, rejection: 0.96, urgent: 1, adjacentWrong: 3}, false},
		{"community-decoys18-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.96, urgent: 1, adjacentWrong: 7}, false},
		{"community-women18-tune.jsonl", minimums{top1: 0.95, top3: 0.97, rejection: 0.98, urgent: 1, adjacentWrong: 4}, false},
		{"community-return18-tune.jsonl", minimums{top1: 0.97, top3: 0.99, rejection: 0.96, urgent: 1, adjacentWrong: 2}, false},
		{"community-oneword19-tune.jsonl", minimums{top1: 0.95, top3: 0.96, rejection: 0.96, urgent: 1, adjacentWrong: 7}, false},
		{"community-latam19-tune.jsonl", minimums{top1: 0.95, top3: 0.95, rejection: 0.98, urgent: 1, adjacentWrong: 2}, false},
		{"community-southasia19-tune.jsonl", minimums{top1: 0.95, top3: 0.97, rejection: 0.98, urgent: 1, adjacentWrong: 3}, false},
		{"community-voice19-tune.jsonl", minimums{top1: 0.98, top3: 0.98, rejection: 0.96, urgent: 1, adjacentWrong: 4}, false},
		{"community-discord19-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.94, urgent: 1, adjacentWrong: 5}, false},
		{"community-decoys19-tune.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 0.94, urgent: 1, adjacentWrong: 6}, false},
		{"community-urgent19-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.89, urgent: 1, adjacentWrong: 6}, false},
		{"community-multi19-tune.jsonl", minimums{top1: 0.99, top3: 0.99, rejection: 0.91, urgent: 1, adjacentWrong: 5}, false},
		{"community-decoys20-tune.jsonl", minimums{top1: 0.99, top3: 0.99, rejection: 0.95, urgent: 1, adjacentWrong: 6}, false},
		{"community-claims20-tune.jsonl", minimums{top1: 0.99, top3: 0.99, rejection: 0.96, urgent: 1, adjacentWrong: 6}, false},
		{"community-scar20-tune.jsonl", minimums{top1: 0.99, top3: 0.99, rejection: 0.98, urgent: 1, adjacentWrong: 2}, false},
		{"community-beginner20-tune.jsonl", minimums{top1: 0.97, top3: 0.97, rejection: 0.96, urgent: 1, adjacentWrong: 5}, false},
		{"community-gym20-tune.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 0.94, urgent: 1, adjacentWrong: 5}, false},
		{"community-followup20-tune.jsonl", minimums{top1: 0.98, top3: 0.98, rejection: 0.89, urgent: 1, adjacentWrong: 2}, false},
		{"community-anxious20-tune.jsonl", minimums{top1: 0.96, top3: 0.98, rejection: 0.94, urgent: 1, adjacentWrong: 7}, false},
		{"community-euro20-tune.jsonl", minimums{top1: 0.98, top3: 0.98, rejection: 0.96, urgent: 1, adjacentWrong: 3}, false},
		{"community-forum21-tune.jsonl", minimums{top1: 0.98, top3: 0.98, rejection: 0.98, urgent: 1, adjacentWrong: 1}, false},
		{"community-telegram21-tune.jsonl", minimums{top1: 0.95, top3: 0.97, rejection: 0.98, urgent: 1, adjacentWrong: 6}, false},
		{"community-stories21-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.98, urgent: 1, adjacentWrong: 2}, false},
		{"community-decoys21-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.93, urgent: 1, adjacentWrong: 6}, false},
		{"community-decoys22-tune.jsonl", minimums{top1: 0.99, top3: 0.99, rejection: 0.98, urgent: 1, adjacentWrong: 2}, false},
		{"community-compare22-tune.jsonl", minimums{top1: 0.99, top3: 0.99, rejection: 0.98, urgent: 1, adjacentWrong: 3}, false},
		{"community-whatsapp22-tune.jsonl", minimums{top1: 0.96, top3: 0.96, rejection: 0.94, urgent: 1, adjacentWrong: 3}, false},
		{"community-mixed22-tune.jsonl", minimums{top1: 0.97, top3: 0.97, rejection: 0.98, urgent: 1, adjacentWrong: 2}, false},
		{"community-tg24-tune.jsonl", minimums{top1: 0.97, top3: 0.97, rejection: 0.95, urgent: 1, adjacentWrong: 4}, false},
		{"community-hl25-tune.jsonl", minimums{top1: 0.89, top3: 0.92, rejection: 0.9, urgent: 1, adjacentWrong: 7}, false},
		{"community-fr26-tune.jsonl", minimums{top1: 0.93, top3: 0.97, rejection: 0.9, urgent: 1, adjacentWrong: 6}, false},
		{"community-gc26-tune.jsonl", minimums{top1: 0.94, top3: 0.95, rejection: 0.9, urgent: 1, adjacentWrong: 6}, false},
		{"community-yt27-tune.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 0.9, urgent: 1, adjacentWrong: 4}, false},
		{"community-ds28-tune.jsonl", minimums{top1: 0.93, top3: 0.94, rejection: 0.95, urgent: 1, adjacentWrong: 3}, false},
		{"community-fb28-tune.jsonl", minimums{top1: 0.93, top3: 0.94, rejection: 0.95, urgent: 1, adjacentWrong: 1}, false},
		{"community-rd28-tune.jsonl", minimums{top1: 0.97, top3: 0.97, rejection: 0.93, urgent: 1, adjacentWrong: 5}, false},
		{"community-al28-tune.jsonl", minimums{top1: 0.91, top3: 0.92, rejection: 0.91, urgent: 1, adjacentWrong: 5}, false},
		{"community-dc28-tune.jsonl", minimums{top1: 0.95, top3: 0.96, rejection: 0.88, urgent: 1, adjacentWrong: 8}, false},
		{"community-hl28-tune.jsonl", minimums{top1: 0.94, top3: 0.95, rejection: 0.91, urgent: 1, adjacentWrong: 4}, false},
		{"community-ds29-tune.jsonl", minimums{top1: 0.91, top3: 0.93, rejection: 0.89, urgent: 1, adjacentWrong: 7}, false},
		{"community-fb29-tune.jsonl", minimums{top1: 0.93, top3: 0.94, rejection: 0.91, urgent: 1, adjacentWrong: 6}, false},
		{"community-wa29-tune.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 0.93, urgent: 1, adjacentWrong: 4}, false},
		{"community-rd29-tune.jsonl", minimums{top1: 0.92, top3: 0.93, rejection: 0.9, urgent: 1, adjacentWrong: 5}, false},
		{"community-ur29-tune.jsonl", minimums{top1: 0.95, top3: 0.98, rejection: 0.93, urgent: 1, adjacentWrong: 3}, false},
		{"community-ds30-tune.jsonl", minimums{top1: 0.94, top3: 0.95, rejection: 0.9, urgent: 1, adjacentWrong: 8}, false},
		{"community-fb30-tune.jsonl", minimums{top1: 0.94, top3: 0.97, rejection: 0.96, urgent: 1, adjacentWrong: 5}, false},
		{"community-bb30-tune.jsonl", minimums{top1: 0.95, top3: 0.97, rejection: 0.88, urgent: 1, adjacentWrong: 7}, false},
		{"community-hd30-tune.jsonl", minimums{top1: 0.94, top3: 0.96, rejection: 0.95, urgent: 1, adjacentWrong: 2}, false},
		{"community-ur30-tune.jsonl", minimums{top1: 0.95, top3: 0.95, rejection: 0.87, urgent: 1, adjacentWrong: 7}, false},
		{"community-tt31-tune.jsonl", minimums{top1: 0.98, top3: 0.98, rejection: 0.9, urgent: 1, adjacentWrong: 4}, false},
		{"community-fr31-tune.jsonl", minimums{top1: 0.95, top3: 0.96, rejection: 0.86, urgent: 1, adjacentWrong: 7}, false},
		{"community-gp31-tune.jsonl", minimums{top1: 0.93, top3: 0.95, rejection: 0.98, urgent: 1, adjacentWrong: 3}, false},
		{"community-pm31-tune.jsonl", minimums{top1: 0.95, top3: 0.97, rejection: 0.83, urgent: 1, adjacentWrong: 8}, false},
		{"community-ur32-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.98, urgent: 1, adjacentWrong: 1}, false},
		{"community-rd32-tune.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.96, urgent: 1, adjacentWrong: 7}, false},
		{"community-nn32-tune.jsonl", minimums{top1: 0.94, top3: 0.94, rejection: 0.98, urgent: 1, adjacentWrong: 3}, false},
		{"community-sh32-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.98, urgent: 1, adjacentWrong: 1}, false},
		{"community-th32-tune.jsonl", minimums{top1: 0.94, top3: 0.94, rejection: 0.95, urgent: 1, adjacentWrong: 3}, false},
		{"community-tg32-tune.jsonl", minimums{top1: 0.94, top3: 0.96, rejection: 0.96, urgent: 1, adjacentWrong: 2}, false},
		{"community-ds33-tune.jsonl", minimums{top1: 0.93, top3: 0.95, rejection: 0.98, urgent: 1, adjacentWrong: 6}, false},
		{"community-lf33-tune.jsonl", minimums{top1: 0.94, top3: 0.98, rejection: 0.98, urgent: 1, adjacentWrong: 7}, false},
		{"community-cp33-tune.jsonl", minimums{top1: 0.95, top3: 0.96, rejection: 0.98, urgent: 1, adjacentWrong: 1}, false},
		{"community-yt33-tune.jsonl", minimums{top1: 0.92, top3: 0.93, rejection: 0.96, urgent: 1, adjacentWrong: 4}, false},
		{"community-ol33-tune.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 1, urgent: 1, adjacentWrong: 0}, false},
		{"community-pr34-tune.jsonl", minimums{top1: 0.96, top3: 0.96, rejection: 0.96, urgent: 1, adjacentWrong: 1}, false},
		{"community-vc34-tune.jsonl", minimums{top1: 0.97, top3: 0.97, rejection: 0.98, urgent: 1, adjacentWrong: 4}, false},
		{"community-wm34-tune.jsonl", minimums{top1: 0.94, top3: 0.97, rejection: 0.98, urgent: 1, adjacentWrong: 2}, false},
		{"community-ht34-tune.jsonl", minimums{top1: 0.98, top3: 0.98, rejection: 1, urgent: 1, adjacentWrong: 1}, false},
		{"community-st34-tune.jsonl", minimums{top1: 0.97, top3: 0.99, rejection: 0.96, urgent: 1, adjacentWrong: 5}, false},
		{"community-mx34-tune.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.96, urgent: 1, adjacentWrong: 3}, false},
		{"community-fb35-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.99, urgent: 1, adjacentWrong: 0}, false},
		{"community-ds35-tune.jsonl", minimums{top1: 0.98, top3: 0.98, rejection: 0.99, urgent: 1, adjacentWrong: 4}, false},
		{"community-ig35-tune.jsonl", minimums{top1: 0.94, top3: 0.96, rejection: 0.99, urgent: 1, adjacentWrong: 1}, false},
		{"community-qa35-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.94, urgent: 1, adjacentWrong: 5}, false},
		{"community-wa35-tune.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 0.98, urgent: 1, adjacentWrong: 4}, false},
		{"community-rv35-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.99, urgent: 1, adjacentWrong: 1}, false},
		{"community-hz33-holdout.jsonl", minimums{top1: 0.91, top3: 0.94, rejection: 0.96, urgent: 1, adjacentWrong: 6}, true},
		{"community-ur36-tune.jsonl", minimums{top1: 0.95, top3: 0.97, rejection: 1, urgent: 1, adjacentWrong: 3}, false},
		{"community-gm36-tune.jsonl", minimums{top1: 0.93, top3: 0.93, rejection: 0.96, urgent: 1, adjacentWrong: 2}, false},
		{"community-es36-tune.jsonl", minimums{top1: 0.92, top3: 0.93, rejection: 0.98, urgent: 1, adjacentWrong: 1}, false},
		{"community-af36-tune.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.96, urgent: 1, adjacentWrong: 3}, false},
		{"community-mx36-tune.jsonl", minimums{top1: 0.95, top3: 0.97, rejection: 0.98, urgent: 1, adjacentWrong: 1}, false},
		{"community-hq36-holdout.jsonl", minimums{top1: 0.95, top3: 0.99, rejection: 0.96, urgent: 1, adjacentWrong: 7}, true},
		{"community-uk37-tune.jsonl", minimums{top1: 0.92, top3: 0.96, rejection: 0.96, urgent: 1, adjacentWrong: 2}, false},
		{"community-pt37-tune.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.96, urgent: 1, adjacentWrong: 5}, false},
		{"community-lt37-tune.jsonl", minimums{top1: 0.93, top3: 0.98, rejection: 0.94, urgent: 1, adjacentWrong: 2}, false},
		{"community-hu37-holdout.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 1, urgent: 1, adjacentWrong: 5}, true},
		{"community-md38-tune.jsonl", minimums{top1: 0.94, top3: 0.97, rejection: 0.96, urgent: 1, adjacentWrong: 7}, false},
		{"community-sa38-tune.jsonl", minimums{top1: 0.93, top3: 0.93, rejection: 0.98, urgent: 1, adjacentWrong: 1}, false},
		{"community-tr38-tune.jsonl", minimums{top1: 0.93, top3: 0.96, rejection: 1, urgent: 1, adjacentWrong: 5}, false},
		{"community-yg38-tune.jsonl", minimums{top1: 0.96, top3: 0.98, rejection: 0.96, urgent: 1, adjacentWrong: 1}, false},
		{"community-pro38-tune.jsonl", minimums{top1: 0.96, top3: 0.98, rejection: 1, urgent: 1, adjacentWrong: 1}, false},
		{"community-hw38-holdout.jsonl", minimums{top1: 0.93, top3: 0.96, rejection: 0.98, urgent: 0.97, adjacentWrong: 2}, true},
		{"community-ar39-tune.jsonl", minimums{top1: 0.97, top3: 0.97, rejection: 1, urgent: 1, adjacentWrong: 4}, false},
		{"community-ac39-tune.jsonl", minimums{top1: 0.92, top3: 0.93, rejection: 1, urgent: 1, adjacentWrong: 2}, false},
		{"community-eu39-tune.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 1, urgent: 1, adjacentWrong: 3}, false},
		{"community-old39-tune.jsonl", minimums{top1: 0.92, top3: 0.93, rejection: 1, urgent: 1, adjacentWrong: 3}, false},
		{"community-fm39-tune.jsonl", minimums{top1: 0.93, top3: 0.96, rejection: 0.94, urgent: 1, adjacentWrong: 4}, false},
		{"community-hy39-holdout.jsonl", minimums{top1: 0.97, top3: 0.99, rejection: 1, urgent: 1, adjacentWrong: 4}, true},
		{"community-sh40-tune.jsonl", minimums{top1: 0.95, top3: 0.98, rejection: 0.98, urgent: 1, adjacentWrong: 3}, false},
		{"community-lg40-tune.jsonl", minimums{top1: 0.92, top3: 0.97, rejection: 0.89, urgent: 1, adjacentWrong: 12}, false},
		{"community-vt40-tune.jsonl", minimums{top1: 0.94, top3: 0.97, rejection: 1, urgent: 1, adjacentWrong: 2}, false},
		{"community-bk40-tune.jsonl", minimums{top1: 0.93, top3: 0.96, rejection: 1, urgent: 1, adjacentWrong: 1}, false},
		{"community-cl40-tune.jsonl", minimums{top1: 0.96, top3: 0.98, rejection: 1, urgent: 1, adjacentWrong: 4}, false},
		{"community-hz40-holdout.jsonl", minimums{top1: 0.94, top3: 0.96, rejection: 0.98, urgent: 1, adjacentWrong: 1}, true},
		{"community-gr41-tune.jsonl", minimums{top1: 0.93, top3: 0.96, rejection: 0.89, urgent: 1, adjacentWrong: 7}, false},
		{"community-sq41-tune.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 0.98, urgent: 1, adjacentWrong: 3}, false},
		{"community-hn41-tune.jsonl", minimums{top1: 0.93, top3: 0.95, rejection: 0.96, urgent: 1, adjacentWrong: 5}, false},
		{"community-wm41-tune.jsonl", minimums{top1: 0.94, top3: 0.97, rejection: 0.98, urgent: 1, adjacentWrong: 8}, false},
		{"community-hr41-holdout.jsonl", minimums{top1: 0.94, top3: 0.97, rejection: 1, urgent: 1, adjacentWrong: 2}, true},
		{"community-hv41-holdout.jsonl", minimums{top1: 0.94, top3: 0.97, rejection: 0.96, urgent: 1, adjacentWrong: 3}, true},
		{"community-hs42-holdout.jsonl", minimums{top1: 0.93, top3: 0.98, rejection: 0.96, urgent: 1, adjacentWrong: 7}, true},
		{"community-ht42-holdout.jsonl", minimums{top1: 0.94, top3: 0.96, rejection: 0.98, urgent: 1, adjacentWrong: 0}, true},
		{"community-la43-tune.jsonl", minimums{top1: 0.92, top3: 0.96, rejection: 0.99, urgent: 1, adjacentWrong: 2}, false},
		{"community-md43-tune.jsonl", minimums{top1: 0.93, top3: 0.98, rejection: 0.91, urgent: 1, adjacentWrong: 6}, false},
		{"community-st43-tune.jsonl", minimums{top1: 0.93, top3: 0.96, rejection: 0.98, urgent: 1, adjacentWrong: 5}, false},
		{"community-af43-tune.jsonl", minimums{top1: 0.93, top3: 0.96, rejection: 0.98, urgent: 1, adjacentWrong: 5}, false},
		{"community-hm43-holdout.jsonl", minimums{top1: 0.95, top3: 0.95, rejection: 0.98, urgent: 1, adjacentWrong: 3}, true},
		{"community-hp43-holdout.jsonl", minimums{top1: 0.94, top3: 0.97, rejection: 0.96, urgent: 1, adjacentWrong: 2}, true},
		{"community-ro44-tune.jsonl", minimums{top1: 0.94, top3: 0.96, rejection: 0.98, urgent: 1, adjacentWrong: 1}, false},
		{"community-ph44-tune.jsonl", minimums{top1: 0.91, top3: 0.94, rejection: 0.96, urgent: 1, adjacentWrong: 5}, false},
		{"community-pa44-tune.jsonl", minimums{top1: 0.94, top3: 0.97, rejection: 0.99, urgent: 1, adjacentWrong: 1}, false},
		{"community-ln44-tune.jsonl", minimums{top1: 0.91, top3: 0.96, rejection: 0.94, urgent: 1, adjacentWrong: 9}, false},
		{"community-hk44-holdout.jsonl", minimums{top1: 0.94, top3: 0.96, rejection: 1, urgent: 1, adjacentWrong: 2}, true},
		{"community-hg44-holdout.jsonl", minimums{top1: 0.92, top3: 0.96, rejection: 0.93, urgent: 1, adjacentWrong: 4}, true},
		{"community-hj45-holdout.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.94, urgent: 1, adjacentWrong: 2}, true},
		{"community-hw45-holdout.jsonl", minimums{top1: 0.94, top3: 0.96, rejection: 0.96, urgent: 0.97, adjacentWrong: 1}, true},
		{"community-jk46-tune.jsonl", minimums{top1: 0.94, top3: 0.96, rejection: 0.94, urgent: 1, adjacentWrong: 3}, false},
		{"community-cn46-tune.jsonl", minimums{top1: 0.91, top3: 0.93, rejection: 0.96, urgent: 1, adjacentWrong: 4}, false},
		{"community-sy46-tune.jsonl", minimums{top1: 0.95, top3: 0.98, rejection: 0.98, urgent: 1, adjacentWrong: 1}, false},
		{"community-fr46-tune.jsonl", minimums{top1: 0.94, top3: 0.97, rejection: 0.98, urgent: 1, adjacentWrong: 1}, false},
		{"community-hd46-holdout.jsonl", minimums{top1: 0.94, top3: 0.95, rejection: 0.94, urgent: 1, adjacentWrong: 2}, true},
		{"community-hq46-holdout.jsonl", minimums{top1: 0.94, top3: 0.97, rejection: 0.94, urgent: 1, adjacentWrong: 5}, true},
		{"community-gm27.jsonl", minimums{top1: 0.91, top3: 0.94, rejection: 0.81, urgent: 1}, false},
		{"community-fresh3-holdout.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.96, urgent: 1, adjacentWrong: 4}, true},
		{"community-decoys3-holdout.jsonl", minimums{top1: 0.94, top3: 0.95, rejection: 0.94, urgent: 1, adjacentWrong: 6}, true},
		{"community-phone2-holdout.jsonl", minimums{top1: 0.93, top3: 0.96, rejection: 0.96, urgent: 1, adjacentWrong: 4}, true},
		{"community-intl2-holdout.jsonl", minimums{top1: 0.94, top3: 0.95, rejection: 0.95, urgent: 1, adjacentWrong: 3}, true},
		{"community-mix11-holdout.jsonl", minimums{top1: 0.95, top3: 0.96, rejection: 0.96, urgent: 1, adjacentWrong: 4}, true},
		{"community-discord11-holdout.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.96, urgent: 1, adjacentWrong: 3}, true},
		{"community-fb12-holdout.jsonl", minimums{top1: 0.92, top3: 0.93, rejection: 0.91, urgent: 1, adjacentWrong: 6}, true},
		{"community-gen12-holdout.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.98, urgent: 1, adjacentWrong: 4}, true},
		{"community-yt13-holdout.jsonl", minimums{top1: 0.93, top3: 0.95, rejection: 0.98, urgent: 1, adjacentWrong: 6}, true},
		{"community-board21-holdout.jsonl", minimums{top1: 0.97, top3: 0.99, rejection: 0.94, urgent: 1, adjacentWrong: 4}, true},
		{"community-world21-holdout.jsonl", minimums{top1: 0.96, top3: 0.97, rejection: 0.98, urgent: 1, adjacentWrong: 3}, true},
		{"community-chat21-holdout.jsonl", minimums{top1: 0.97, top3: 0.98, rejection: 0.96, urgent: 1, adjacentWrong: 3}, true},
		{"community-dc24-holdout.jsonl", minimums{top1: 0.9, top3: 0.92, rejection: 0.96, urgent: 1, adjacentWrong: 3}, true},
		{"community-rd25-holdout.jsonl", minimums{top1: 0.89, top3: 0.93, rejection: 0.91, urgent: 1, adjacentWrong: 4}, true},
		{"community-ds26-holdout.jsonl", minimums{top1: 0.84, top3: 0.88, rejection: 0.86, urgent: 1, adjacentWrong: 10}, true},
		{"community-fb27-holdout.jsonl", minimums{top1: 0.86, top3: 0.88, rejection: 0.93, urgent: 1, adjacentWrong: 0}, true},
		{"community-chat-tune.jsonl", minimums{top1: 0.98, top3: 0.99, rejection: 0.97, urgent: 1, adjacentWrong: 3}, false},
	} {
		t.Run(set.file, func(t *testing.T) {
			evaluate(t, readSet(t, set.file), set.min, !set.heldOut)
		})
	}
}

// readSet reads an evaluation set beside the embedded one and checks what it
// expects.
func readSet(t *testing.T, file string) []knowledge.EvalCase {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := knowledge.ReadEvalSet(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	checkExpects(t, file, cases)
	return cases
}

// evaluate answers cases as `bot eval` does and fails below want, listing
// every question answered wrongly when listMisses is set. A held-out set's
// failure gives its figures only: whoever reads its misses to fix them has
// made it a tuning set.
func evaluate(t *testing.T, cases []knowledge.EvalCase, want minimums, listMisses bool) {
	t.Helper()
	b := loadBase(t)
	idx, err := index.Build(b)
	if err != nil {
		t.Fatalf("index.Build: %v", err)
	}
	t.Cleanup(func() { idx.Close() })
	cal, err := guide.Calibration()
	if err != nil {
		t.Fatal(err)
	}
	svc := knowledge.NewService(b, idx, cal, nil)
	r, err := knowledge.Evaluate(context.Background(), svc, cases)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	t.Logf("%d on-topic, %d off-topic, %d urgent: top-1 %.1f%%, top-3 %.1f%%, MRR %.1f%%, off-topic rejection %.1f%%, urgent recall %.1f%%, adjacent wrong %d of %d",
		r.OnTopic, r.OffTopic, r.UrgentCases, 100*r.Top1, 100*r.Top3, 100*r.MRR, 100*r.OffTopicRejection, 100*r.UrgentRecall, r.AdjacentWrong, r.AdjacentCases)
	if r.AdjacentWrong > want.adjacentWrong {
		t.Errorf("%d of %d adjacent questions answered with a wrong entry, want at most %d", r.AdjacentWrong, r.AdjacentCases, want.adjacentWrong)
	}
	for _, m := range []struct {
		name      string
		got, want float64
	}{
		{"top-1 accuracy", r.Top1, want.top1},
		{"top-3 accuracy", r.Top3, want.top3},
		{"off-topic rejection", r.OffTopicRejection, want.rejection},
		{"urgent recall", r.UrgentRecall, want.urgent},
	} {
		if m.got < m.want {
			t.Errorf("%s = %.1f%%, want at least %.0f%%", m.name, 100*m.got, 100*m.want)
		}
	}
	if t.Failed() && listMisses {
		for _, res := range r.Results {
			c, a := res.Case, res.Answer
			var got []string
			for _, m := range a.Matches {
				got = append(got, m.ID)
			}
			switch {
			case c.Urgent && !a.Urgent:
				t.Logf("not urgent: %q", c.Question)
			case len(c.Expect) == 0 && a.Answered:
				t.Logf("answered off-topic: %q with %q", c.Question, got)
			case len(c.Expect) > 0 && res.Rank != 1:
				t.Logf("rank %d: %q got %q (answered %v), want %q", res.Rank, c.Question, got, a.Answered, c.Expect)
			}
		}
	}
}
