// Package console is the command-line adapter: it reads questions from a
// reader, one per line, and writes answers as plain text that a person reads
// in a terminal.
package console

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/markdown"
)

// Answerer is what the console needs from the knowledge service.
type Answerer interface {
	Answer(ctx context.Context, question string) (*knowledge.Answer, error)
}

// Chat answers each line of in on out until in ends or ctx is cancelled. With
// prompt set it greets the person and shows a prompt before each question,
// as an interactive conversation does.
func Chat(ctx context.Context, svc Answerer, in io.Reader, out io.Writer, prompt bool) error {
	if prompt {
		fmt.Fprintln(out, Greeting)
	}
	lines := make(chan string)
	readErr := make(chan error, 1)
	go func() {
		readErr <- ReadLines(in, func(line string) error {
			select {
			case lines <- line:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		close(lines)
	}()
	for {
		if prompt {
			fmt.Fprint(out, "> ")
		}
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				if prompt {
					fmt.Fprintln(out)
				}
				if err := <-readErr; err != nil && ctx.Err() == nil {
					return fmt.Errorf("read question: %w", err)
				}
				return nil
			}
			switch strings.ToLower(strings.TrimSpace(line)) {
			case "":
				continue
			case "quit", "exit", "bye":
				return nil
			}
			a, err := svc.Answer(ctx, line)
			if errors.Is(err, knowledge.ErrEmptyQuestion) {
				continue
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(out, Render(a))
		}
	}
}

// Greeting opens an interactive conversation.
const Greeting = "Ask me about scalp micropigmentation (SMP) safety: pigment depth, blurry dots, choosing a practitioner, aftercare, infection signs. Type quit to leave.\n" + knowledge.Disclaimer

// Render writes an answer as plain text: the urgent notice first, then the
// answer, the checklist, related topics, sources and the disclaimer.
func Render(a *knowledge.Answer) string {
	var b strings.Builder
	if a.Truncated {
		fmt.Fprintf(&b, "(%s)\n\n", knowledge.LongQuestionNotice)
	}
	if a.Urgent {
		b.WriteString(knowledge.UrgentNotice + "\n\n")
	}
	if best := a.Best(); best != nil {
		fmt.Fprintf(&b, "%s\n%s\n\n%s\n", best.Title, strings.Repeat("=", len([]rune(best.Title))), markdown.Parse(best.Body).Plain())
	} else {
		b.WriteString(markdown.Parse(a.NotCoveredText()).Plain() + "\n")
		if len(a.Matches) > 0 {
			b.WriteString("\n" + knowledge.ClosestTopicsNotice + "\n")
			for _, m := range a.Matches {
				fmt.Fprintf(&b, "  - %s\n", m.Title)
			}
		}
	}
	if len(a.Checklist) > 0 {
		b.WriteString("\nChecklist for choosing a practitioner:\n")
		for _, e := range a.Checklist {
			fmt.Fprintf(&b, "  %d. %s\n", e.Step, strings.TrimSpace(stepPrefix.ReplaceAllString(e.Title, "")))
		}
	}
	if len(a.Related) > 0 {
		b.WriteString("\nRelated topics:\n")
		for _, e := range a.Related {
			fmt.Fprintf(&b, "  - %s\n", e.Title)
		}
	}
	if len(a.Sources) > 0 {
		b.WriteString("\nSources:\n")
		for _, s := range a.Sources {
			fmt.Fprintf(&b, "  - %s: %s\n", s.Title, s.URL)
		}
	}
	b.WriteString("\n" + knowledge.Disclaimer + "\n")
	return b.String()
}

var stepPrefix = regexp.MustCompile(`^(?i)step \d+:\s*`)
