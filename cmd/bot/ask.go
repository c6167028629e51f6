package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/smpbot/bot/adapters/console"
	"github.com/smpbot/bot/knowledge"
)

func ask(ctx context.Context, e env, args []string) error {
	flags := newFlags(e, "ask", `bot ask [--json] [--explain] [--kb DIR | --data DIR] [QUESTION]

Answers QUESTION. With --json it prints one JSON object; with --json and no
QUESTION it answers each line of standard input, one JSON object per line.
With --explain it also says why: what each word became (synonyms, typo
corrections, weight), and for each of the five best entries the closest
phrasing, the words matched and missed, and the parts of the score, beside
the thresholds; a question explained is not recorded as a gap.`)
	asJSON := flags.Bool("json", false, "print JSON instead of text")
	explain := flags.Bool("explain", false, "say why the question got the entries it got")
	dir := flags.String("kb", "", "read-only knowledge-base `directory` (default: the embedded one)")
	data := flags.String("data", e.getenv(envDataDir), "answer from the data `directory` and record its gaps; "+envDataDir)
	if err := parse(flags, args); err != nil {
		return err
	}
	question := strings.Join(flags.Args(), " ")
	if question == "" && !*asJSON {
		fmt.Fprintln(e.stderr, "bot ask: give a question, for example: bot ask \"how deep should the pigment go?\"")
		return errUsage
	}
	kb, err := openAnswering(ctx, e, *dir, *data, nil)
	if err != nil {
		return err
	}
	defer kb.close()
	svc := kb.svc
	answer := func(q string) (*knowledge.Answer, *knowledge.Reasons, error) {
		if *explain {
			return svc.Explain(ctx, q)
		}
		a, err := svc.Answer(ctx, q)
		return a, nil, err
	}
	if !*asJSON {
		a, why, err := answer(question)
		if err != nil {
			return err
		}
		fmt.Fprint(e.stdout, console.Render(a))
		if why != nil {
			printReasons(e.stdout, why)
		}
		return nil
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	answerLine := func(q string) error {
		a, why, err := answer(q)
		if errors.Is(err, knowledge.ErrEmptyQuestion) {
			// Still one line, so that output line N answers input line N.
			return enc.Encode(jsonError{Question: q, Error: "the question was empty"})
		}
		if err != nil {
			return err
		}
		j := toJSON(a)
		j.Explain = why
		return enc.Encode(j)
	}
	if question != "" {
		return answerLine(question)
	}
	err = console.ReadLines(e.stdin, func(line string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return answerLine(line)
	})
	if ctx.Err() != nil {
		return nil // interrupted: what was answered stands
	}
	return err
}

// jsonAnswer is the documented JSON form of an answer.
type jsonAnswer struct {
	Question  string `json:"question"`
	Answered  bool   `json:"answered"`
	Urgent    bool   `json:"urgent"`
	Truncated bool   `json:"truncated,omitempty"`
	// Declined names the out-of-scope topic a question was declined for.
	Declined  *jsonRef           `json:"declined,omitempty"`
	Matches   []jsonMatch        `json:"matches"`
	Checklist []jsonStep         `json:"checklist"`
	Related   []jsonRef          `json:"related"`
	Sources   []knowledge.Source `json:"sources"`
	// Explain is there when asked for with --explain.
	Explain *knowledge.Reasons `json:"explain,omitempty"`
}

// jsonError stands for a question that got no answer, in its place.
type jsonError struct {
	Question string `json:"question"`
	Error    string `json:"error"`
}

type jsonMatch struct {
	ID    string         `json:"id"`
	Title string         `json:"title"`
	Kind  knowledge.Kind `json:"kind"`
	Score float64        `json:"score"`
	// Short is the entry's short answer, the first paragraph of Text.
	Short string `json:"short"`
	Text  string `json:"text"`
}

type jsonStep struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Step  int    `json:"step"`
	Text  string `json:"text"`
}

type jsonRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

func toJSON(a *knowledge.Answer) jsonAnswer {
	j := jsonAnswer{
		Question: a.Question, Answered: a.Answered, Urgent: a.Urgent, Truncated: a.Truncated,
		Matches: []jsonMatch{}, Checklist: []jsonStep{}, Related: []jsonRef{}, Sources: a.Sources,
	}
	if j.Sources == nil {
		j.Sources = []knowledge.Source{}
	}
	if a.Declined != nil {
		j.Declined = &jsonRef{ID: a.Declined.ID, Title: a.Declined.Title}
	}
	for _, m := range a.Matches {
		j.Matches = append(j.Matches, jsonMatch{ID: m.ID, Title: m.Title, Kind: m.Kind, Score: m.Score, Short: m.Short(), Text: m.Body})
	}
	for _, s := range a.Checklist {
		j.Checklist = append(j.Checklist, jsonStep{ID: s.ID, Title: s.Title, Step: s.Step, Text: s.Body})
	}
	for _, r := range a.Related {
		j.Related = append(j.Related, jsonRef{ID: r.ID, Title: r.Title})
	}
	return j
}

// printReasons writes why a question got the entries it got, for a
// moderator working out a wrong answer.
func printReasons(w io.Writer, r *knowledge.Reasons) {
	c := r.Calibration
	fmt.Fprintf(w, "\nWhy (answered when the best entry scores at least %.3f with coverage at least %.3f", c.MinScore, c.MinCoverage)
	if c.LongWords > 0 {
		fmt.Fprintf(w, ", or %.3f in a message of %d words or more", c.MinCoverageLong, c.LongWords)
	}
	if c.NeighbourMargin > 0 {
		fmt.Fprintf(w, ", unless the question neither names SMP nor speaks of it and an out-of-scope topic scores within %.3f of that entry", c.NeighbourMargin)
	}
	fmt.Fprintln(w, "):")
	printUrgent(w, r.Urgent)
	fmt.Fprintln(w, "Words:")
	for _, wd := range r.Words {
		fmt.Fprintf(w, "  %s -> %s (weight %.2f)", wd.Typed, wd.Term, wd.Weight)
		if wd.Asked {
			fmt.Fprint(w, "; asked")
		}
		if wd.SplitFrom != "" {
			fmt.Fprintf(w, "; read apart from %s", wd.SplitFrom)
		}
		if len(wd.Synonyms) > 0 {
			fmt.Fprintf(w, "; synonyms %s", strings.Join(wd.Synonyms, ", "))
		}
		if len(wd.Corrections) > 0 {
			fmt.Fprintf(w, "; read as a typo of %s", strings.Join(wd.Corrections, ", "))
		}
		fmt.Fprintln(w)
	}
	for i, h := range r.Hits {
		parts := make([]string, len(h.Parts))
		for j, p := range h.Parts {
			parts[j] = fmt.Sprintf("%s %.3f×%.3f", p.Name, p.Value, p.Weight)
		}
		if h.Exact {
			fmt.Fprintf(w, "%d. %s: score 1, as a phrasing is the question word for word (the parts give %.3f = %s); coverage %.3f\n",
				i+1, h.ID, h.Sum, strings.Join(parts, " + "), h.Coverage)
		} else {
			fmt.Fprintf(w, "%d. %s: score %.3f = %s; coverage %.3f\n", i+1, h.ID, h.Score, strings.Join(parts, " + "), h.Coverage)
		}
		if h.Phrasing != "" {
			fmt.Fprintf(w, "   closest phrasing %q matches %s\n", h.Phrasing, strings.Join(h.Matched, ", "))
			if len(h.Details) > 0 {
				fmt.Fprintf(w, "   a detail of that phrasing alone, so weighed less: %s\n", strings.Join(h.Details, ", "))
			}
		}
		if len(h.Missed) > 0 {
			fmt.Fprintf(w, "   lacks %s\n", strings.Join(h.Missed, ", "))
		}
	}
	if len(r.Ranked) > 0 {
		fmt.Fprintf(w, "Ordered by what the tuning sets' messages wanted (score + %.2f × share):\n", r.RankWeight)
		for i, e := range r.Ranked {
			fmt.Fprintf(w, "%d. %s: %.3f + %.2f × %.3f = %.3f\n", i+1, e.ID, e.Score, r.RankWeight, e.Share, e.Ranked)
		}
	}
}

// printUrgent writes why a question was flagged as describing signs that
// need a doctor, or not.
func printUrgent(w io.Writer, u knowledge.ExplainedUrgent) {
	fmt.Fprintf(w, "Urgent: the patterns %s", map[bool]string{true: "flag it", false: "do not flag it"}[u.Patterns])
	if u.Threshold > 0 {
		terms := make([]string, len(u.Terms))
		for i, t := range u.Terms {
			terms[i] = fmt.Sprintf("%s %+.2f", t.Term, t.Weight)
		}
		fmt.Fprintf(w, "; the urgent words give %.2f, flagged from %.2f", u.Probability, u.Threshold)
		if len(terms) > 0 {
			fmt.Fprintf(w, " (%s)", strings.Join(terms, ", "))
		}
	}
	fmt.Fprintln(w)
}
