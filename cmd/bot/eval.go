package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

func evaluate(ctx context.Context, e env, args []string) error {
	flags := newFlags(e, "eval", `bot eval [flags] [FILE.jsonl ...]

Answers every question of the evaluation sets (default: the embedded one) and
prints, for each, top-1 and top-3 accuracy, mean reciprocal rank, off-topic
rejection, urgent recall and adjacent questions answered wrongly. It exits
non-zero when a figure is below its minimum. With --calibrate it fits the
urgent words and derives the thresholds from all the sets together (default:
the embedded tuning sets).`)
	dir := flags.String("kb", "", "knowledge-base `directory` (default: the embedded one)")
	minTop1 := flags.Float64("min-top1", 0, "minimum top-1 accuracy (0-1)")
	minTop3 := flags.Float64("min-top3", 0, "minimum top-3 accuracy (0-1)")
	minReject := flags.Float64("min-rejection", 0, "minimum off-topic rejection (0-1)")
	minUrgent := flags.Float64("min-urgent", 0, "minimum urgent recall (0-1)")
	calibrate := flags.Bool("calibrate", false, "fit the urgent words and the confidence thresholds on the sets and print them as calibration.json")
	verbose := flags.Bool("v", false, "list every question answered wrongly")
	if err := parse(flags, args); err != nil {
		return err
	}
	for _, m := range []struct {
		flag string
		v    float64
	}{{"min-top1", *minTop1}, {"min-top3", *minTop3}, {"min-rejection", *minReject}, {"min-urgent", *minUrgent}} {
		if m.v < 0 || m.v > 1 {
			fmt.Fprintf(e.stderr, "bot eval: --%s %g: give a fraction from 0 to 1 (0.95 for 95%%)\n", m.flag, m.v)
			return errUsage
		}
	}
	if *calibrate {
		cases, err := calibrationCases(flags.Args())
		if err != nil {
			return err
		}
		svc, err := newService(*dir, &knowledge.Calibration{}, nil)
		if err != nil {
			return err
		}
		cal, err := knowledge.Calibrate(ctx, svc, cases)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(cal)
	}
	sets, err := readEvalSets(flags.Args())
	if err != nil {
		return err
	}
	svc, err := newService(*dir, nil, nil)
	if err != nil {
		return err
	}
	var failed []string
	for _, set := range sets {
		r, err := knowledge.Evaluate(ctx, svc, set.cases)
		if err != nil {
			return err
		}
		failed = append(failed, report(e, set.name, r, minimums{*minTop1, *minTop3, *minReject, *minUrgent})...)
		if *verbose {
			printMisses(e, r)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("evaluation below its minimum: %s", strings.Join(failed, ", "))
	}
	return nil
}

// minimums are the least each figure of an evaluation must reach.
type minimums struct{ top1, top3, rejection, urgent float64 }

// report prints one set's figures and returns those below their minimum,
// named after the set.
func report(e env, name string, r *knowledge.Report, min minimums) []string {
	fmt.Fprintf(e.stdout, "%s: %d on-topic, %d off-topic, %d urgent, %d adjacent\n", name, r.OnTopic, r.OffTopic, r.UrgentCases, r.AdjacentCases)
	var failed []string
	for _, row := range []struct {
		name     string
		got, min float64
	}{
		{"top-1 accuracy", r.Top1, min.top1},
		{"top-3 accuracy", r.Top3, min.top3},
		{"mean reciprocal rank", r.MRR, 0},
		{"off-topic rejection", r.OffTopicRejection, min.rejection},
		{"urgent recall", r.UrgentRecall, min.urgent},
	} {
		mark := ""
		if row.got < row.min {
			mark = fmt.Sprintf("  BELOW %.1f%%", 100*row.min)
			failed = append(failed, name+" "+row.name)
		}
		fmt.Fprintf(e.stdout, "  %-21s %6.1f%%%s\n", row.name, 100*row.got, mark)
	}
	if r.AdjacentCases > 0 {
		fmt.Fprintf(e.stdout, "  %-21s %d of %d\n", "adjacent, wrong entry", r.AdjacentWrong, r.AdjacentCases)
	}
	return failed
}

// calibrationCases reads the sets named to calibrate on, or the embedded
// tuning sets when none is named.
func calibrationCases(files []string) ([]knowledge.EvalCase, error) {
	if len(files) == 0 {
		return guide.TuningCases()
	}
	sets, err := readEvalSets(files)
	var cases []knowledge.EvalCase
	for _, set := range sets {
		cases = append(cases, set.cases...)
	}
	return cases, err
}

// evalSet is an evaluation set and the name it is reported under.
type evalSet struct {
	name  string
	cases []knowledge.EvalCase
}

// readEvalSets reads the named evaluation files, or the embedded set when
// none is named. A set without questions is refused: it would report 100%,
// and calibrate to thresholds that answer everything.
func readEvalSets(files []string) ([]evalSet, error) {
	if len(files) == 0 {
		cases, err := guide.EvalCases()
		return []evalSet{{"embedded " + guide.EvalFile, cases}}, err
	}
	var sets []evalSet
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		cases, err := knowledge.ReadEvalSet(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if len(cases) == 0 {
			return nil, fmt.Errorf("%s: no questions to evaluate", file)
		}
		sets = append(sets, evalSet{file, cases})
	}
	return sets, nil
}

func printMisses(e env, r *knowledge.Report) {
	for _, res := range r.Results {
		a, c := res.Answer, res.Case
		got := "not covered"
		if len(a.Matches) > 0 {
			got = fmt.Sprintf("%s (score %.2f, coverage %.2f)", a.Matches[0].ID, a.Matches[0].Score, a.Matches[0].Coverage)
			if !a.Answered {
				got = "not covered; closest " + got
			}
		}
		switch {
		case len(c.Expect) == 0 && a.Answered:
			fmt.Fprintf(e.stdout, "answered off-topic %q: %s\n", c.Question, got)
		case len(c.Expect) > 0 && res.Rank != 1:
			fmt.Fprintf(e.stdout, "missed %q: want %v, got %s\n", c.Question, c.Expect, got)
		}
		if c.Urgent && !a.Urgent {
			fmt.Fprintf(e.stdout, "urgent not flagged %q\n", c.Question)
		}
	}
}
