package knowledge

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Try validates text, the whole file of an entry, as Put would, against the
// newest knowledge base, and returns the knowledge base that saving it would
// make, without saving anything: for a front end to preview an edit and
// answer questions from it first. Problems come as a *ChangeError of kind
// Invalid, each on the line of text it is about.
func (m *Moderation) Try(ctx context.Context, text string) (*Base, error) {
	text = EnsureNewline(text)
	e, ps := ParseEntry("", []byte(text))
	if len(ps) > 0 {
		return nil, &ChangeError{Kind: Invalid, Problems: ps, Err: &ValidationError{Problems: ps}}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.catchUp(ctx); err != nil {
		return nil, asChangeError(e.ID, err)
	}
	b, err := LoadFiles(m.state.Files(Record{Op: OpPut, ID: e.ID, Text: text}))
	return b, asChangeError(e.ID, err)
}

// Sandbox returns a service answering from base through idx as s would,
// with s's calibration, that tells no observer and records no feedback: for
// trying a change before it is saved. Closing idx stays the caller's.
func (s *Service) Sandbox(base *Base, idx Index) *Service {
	return NewService(base, idx, s.cal, s.log)
}

// Log returns every revision of the knowledge base, oldest first, for a
// history of the whole base.
func (m *Moderation) Log(ctx context.Context) ([]Record, error) {
	recs, err := m.revs.Since(ctx, 0)
	return recs, asChangeError("", err)
}

// AnswerGap closes the gap of question as answered by entry id, which a
// moderator wrote for it: the question is no longer listed as a gap.
func (m *Moderation) AnswerGap(ctx context.Context, author, question, id string) error {
	if _, _, err := m.Text(ctx, id); err != nil {
		return err
	}
	return asChangeError(id, m.closeGap(ctx, author, question, id))
}

// DismissFeedback stops listing question among the 👎 on entry id, for a
// question whose answer a moderator judged right, or not worth acting on.
// The votes still count.
func (m *Moderation) DismissFeedback(ctx context.Context, author, id, question string) error {
	fb, err := m.Feedback(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(fb, func(f EntryFeedback) bool { return f.ID == id })
	if i < 0 || !slices.Contains(fb[i].Unhelpful, question) {
		return asChangeError(id, fmt.Errorf("no 👎 on %s for %q: %w", id, question, ErrNotFound))
	}
	return asChangeError(id, m.events.AddFeedbackEvent(ctx, FeedbackEvent{Time: time.Now().UTC(), Entry: id, Question: question, Dismissed: true, Author: author}))
}
