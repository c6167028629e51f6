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
	flags := newFlags(e, "eval", `bot eval [flags] [FILE.jsonl]

Answers every question of an evaluation set (default: the embedded one) and
prints top-1 and top-3 accuracy, mean reciprocal rank, off-topic rejection and
urgent recall. It exits non-zero when a figure is below its minimum.`)
	dir := flags.String("kb", "", "knowledge-base `directory` (default: the embedded one)")
	minTop1 := flags.Float64("min-top1", 0, "minimum top-1 accuracy (0-1)")
	minTop3 := flags.Float64("min-top3", 0, "minimum top-3 accuracy (0-1)")
	minReject := flags.Float64("min-rejection", 0, "minimum off-topic rejection (0-1)")
	minUrgent := flags.Float64("min-urgent", 0, "minimum urgent recall (0-1)")
	calibrate := flags.Bool("calibrate", false, "derive the confidence thresholds from the set and print them as calibration.json")
	verbose := flags.Bool("v", false, "list every question answered wrongly")
	if err := parse(flags, args); err != nil {
		return err
	}
	cases, name, err := readEvalSet(flags.Args())
	if err != nil {
		return err
	}
	if *calibrate {
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
	svc, err := newService(*dir, nil, nil)
	if err != nil {
		return err
	}
	r, err := knowledge.Evaluate(ctx, svc, cases)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d on-topic, %d off-topic, %d urgent\n", name, r.OnTopic, r.OffTopic, r.UrgentCases)
	var failed []string
	for _, row := range []struct {
		name     string
		got, min float64
	}{
		{"top-1 accuracy", r.Top1, *minTop1},
		{"top-3 accuracy", r.Top3, *minTop3},
		{"mean reciprocal rank", r.MRR, 0},
		{"off-topic rejection", r.OffTopicRejection, *minReject},
		{"urgent recall", r.UrgentRecall, *minUrgent},
	} {
		mark := ""
		if row.got < row.min {
			mark = fmt.Sprintf("  BELOW %.1f%%", 100*row.min)
			failed = append(failed, row.name)
		}
		fmt.Fprintf(e.stdout, "  %-21s %6.1f%%%s\n", row.name, 100*row.got, mark)
	}
	if *verbose {
		printMisses(e, r)
	}
	if len(failed) > 0 {
		return fmt.Errorf("evaluation below its minimum: %s", strings.Join(failed, ", "))
	}
	return nil
}

func readEvalSet(args []string) ([]knowledge.EvalCase, string, error) {
	switch len(args) {
	case 0:
		cases, err := guide.EvalCases()
		return cases, "embedded " + guide.EvalFile, err
	case 1:
		f, err := os.Open(args[0])
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		cases, err := knowledge.ReadEvalSet(f)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", args[0], err)
		}
		return cases, args[0], nil
	default:
		return nil, "", fmt.Errorf("eval takes one evaluation file, got %d", len(args))
	}
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
