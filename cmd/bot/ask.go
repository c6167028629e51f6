package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/smpbot/bot/adapters/console"
	"github.com/smpbot/bot/knowledge"
)

func ask(ctx context.Context, e env, args []string) error {
	flags := newFlags(e, "ask", `bot ask [--json] [--kb DIR | --data DIR] [QUESTION]

Answers QUESTION. With --json it prints one JSON object; with --json and no
QUESTION it answers each line of standard input, one JSON object per line.`)
	asJSON := flags.Bool("json", false, "print JSON instead of text")
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
	kb, err := openService(ctx, *dir, *data, nil)
	if err != nil {
		return err
	}
	defer kb.close()
	svc := kb.svc
	if !*asJSON {
		a, err := svc.Answer(ctx, question)
		if err != nil {
			return err
		}
		fmt.Fprint(e.stdout, console.Render(a))
		return nil
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	answerLine := func(q string) error {
		a, err := svc.Answer(ctx, q)
		if errors.Is(err, knowledge.ErrEmptyQuestion) {
			return nil
		}
		if err != nil {
			return err
		}
		return enc.Encode(toJSON(a))
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
