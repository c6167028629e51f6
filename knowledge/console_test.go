package knowledge_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

func TestTryValidatesWithoutSaving(t *testing.T) {
	s := newKB(t)
	before := head(t, s)
	tests := []struct {
		name, text string
		wantLine   int // of the first problem; 0 for none
	}{
		{"valid new entry", knowledgetest.EntryText("ink", "healing"), 0},
		{"unknown kind", strings.Replace(knowledgetest.EntryText("ink"), "kind: explanation", "kind: explenation", 1), 4},
		{"unknown related", knowledgetest.EntryText("ink", "nowhere"), 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := s.Try(t.Context(), tt.text)
			if tt.wantLine == 0 {
				if err != nil {
					t.Fatalf("Try(%q): %v", tt.text, err)
				}
				if _, ok := b.Entry("ink"); !ok {
					t.Errorf("Try(%q) made a base without ink", tt.text)
				}
				return
			}
			var ce *knowledge.ChangeError
			if !errors.As(err, &ce) || ce.Kind != knowledge.Invalid || len(ce.Problems) == 0 {
				t.Fatalf("Try(%q) = %v, want Invalid problems", tt.text, err)
			}
			if got := ce.Problems[0].Line; got != tt.wantLine {
				t.Errorf("Try(%q).Problems[0] = %v, want line %d", tt.text, ce.Problems[0], tt.wantLine)
			}
		})
	}
	if got := head(t, s); got != before {
		t.Errorf("after Try, head = %d, want %d: Try saved something", got, before)
	}
}

func TestAnswerGapClosesIt(t *testing.T) {
	s := newKB(t)
	ctx := t.Context()
	s.Observe(ctx, &knowledge.Answer{Question: "can I swim with it"}, 0)
	if err := s.AnswerGap(ctx, "ana", "can I swim with it", "nowhere"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("AnswerGap with an unknown entry: err = %v, want ErrNotFound", err)
	}
	if err := s.AnswerGap(ctx, "ana", "Can I swim with it?", "healing"); err != nil {
		t.Fatal(err)
	}
	if gaps, _ := s.Gaps(ctx); len(gaps) != 0 {
		t.Errorf("Gaps() after AnswerGap = %v, want none", gaps)
	}
	recs, err := s.Log(ctx)
	if err != nil || len(recs) != int(head(t, s)) {
		t.Errorf("Log() = %d records, %v; want %d", len(recs), err, head(t, s))
	}
}

func TestDismissFeedback(t *testing.T) {
	s := newKB(t)
	ctx := t.Context()
	for _, q := range []string{"is healing slow", "why so red"} {
		if err := s.RecordFeedback(ctx, "", "healing", q, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DismissFeedback(ctx, "ana", "healing", "never asked"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("DismissFeedback of a question without 👎: err = %v, want ErrNotFound", err)
	}
	if err := s.DismissFeedback(ctx, "ana", "healing", "why so red"); err != nil {
		t.Fatal(err)
	}
	fb, _ := s.Feedback(ctx)
	if len(fb) != 1 || fb[0].Down != 2 || !slices.Equal(fb[0].Unhelpful, []string{"is healing slow"}) {
		t.Errorf("Feedback() after dismissing = %+v, want 2 👎 and only the other question", fb)
	}
}
