package knowledge

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// NotModeratorNotice is the reply to anyone who is not a moderator trying to
// change the knowledge base. Adapters log each refused attempt, with the
// platform's user id and what was attempted.
const NotModeratorNotice = "Only this community's moderators can change the knowledge base. Nothing was changed."

// Moderation is how moderators change a knowledge base, whatever front end
// they use: every change is validated by the rules of Load against the whole
// would-be knowledge base and is compare-and-set against the revision its
// author last saw, on an ordered revision log; gaps and feedback are kept in
// an event store. It is also the Observer that records gaps and the
// FeedbackRecorder of a Service.
//
// A Moderation is safe for concurrent use.
type Moderation struct {
	revs   Revisions
	events Events

	mu    sync.Mutex // serialises changes; guards the fields below
	state State
	base  *Base // the knowledge base of state, loaded when first asked for

	gapsMu sync.Mutex
	gaps   gapBook
}

// NewModeration returns the moderation of the knowledge base in revs, with
// its gaps and feedback in events.
func NewModeration(revs Revisions, events Events) *Moderation {
	return &Moderation{revs: revs, events: events}
}

// catchUp folds the revisions committed since the state's head. The caller
// holds m.mu.
func (m *Moderation) catchUp(ctx context.Context) error {
	moved, err := Fold(ctx, m.revs, &m.state)
	if moved {
		m.base = nil
	}
	return err
}

// change plans a change against the newest state and commits the records
// plan returns. A plan returns an error to refuse, and changes nothing then.
func (m *Moderation) change(ctx context.Context, plan func() ([]Record, error)) ([]Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for {
		if err := m.catchUp(ctx); err != nil {
			return nil, err
		}
		recs, err := plan()
		if err != nil {
			return nil, err
		}
		out, err := m.revs.Commit(ctx, m.state.Head(), recs...)
		if errors.Is(err, ErrHeadMoved) {
			continue // another writer got in first: plan again on its result
		}
		if err != nil {
			return nil, err
		}
		m.state.Apply(out...)
		m.base = nil
		return out, nil
	}
}

// Base returns the newest knowledge base and its revision.
func (m *Moderation) Base(ctx context.Context) (*Base, int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.catchUp(ctx); err != nil {
		return nil, 0, asChangeError("", err)
	}
	if m.base == nil {
		b, err := m.state.Base()
		if err != nil {
			return nil, 0, asChangeError("", err)
		}
		m.base = b
	}
	return m.base, m.state.Head(), nil
}

// Text returns the text of an entry's file (or of SynonymsFile) and the
// revision that wrote it, which a change of it must name as its base.
func (m *Moderation) Text(ctx context.Context, id string) (text string, rev int64, err error) {
	text, rev, err = m.text(ctx, id)
	return text, rev, asChangeError(id, err)
}

func (m *Moderation) text(ctx context.Context, id string) (text string, rev int64, err error) {
	if err := CheckID(id); err != nil {
		return "", 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.catchUp(ctx); err != nil {
		return "", 0, err
	}
	r := m.state.Latest(id)
	switch {
	case r.Live():
		return r.Text, r.Rev, nil
	case id == SynonymsFile:
		return "", r.Rev, nil
	default:
		return "", 0, fmt.Errorf("entry %q: %w", id, ErrNotFound)
	}
}

// Observe records a question the service did not answer as a gap, unless
// it was declined as out of scope, which the knowledge base answers that
// way on purpose, is small talk, or is still being typed (see AsDraft). It
// is best effort: a gap that cannot be recorded must not cost anyone an
// answer.
func (m *Moderation) Observe(ctx context.Context, a *Answer, _ time.Duration) {
	if !a.Answered && a.Declined == nil && !isDraft(ctx) && !smallTalk(a.Question) {
		_ = m.events.AddGapEvent(ctx, GapEvent{Time: time.Now().UTC(), Question: a.Question})
	}
}

// closeGap notes that a moderator answered question with entry, or
// dismissed it when entry is "".
func (m *Moderation) closeGap(ctx context.Context, author, question, entry string) error {
	return m.events.AddGapEvent(ctx, GapEvent{Time: time.Now().UTC(), Closed: gapKey(question), Entry: entry, Author: author})
}

// Gaps returns the open gaps, most recently asked first.
func (m *Moderation) Gaps(ctx context.Context) ([]Gap, error) {
	evs, err := m.events.GapEvents(ctx)
	if err != nil {
		return nil, asChangeError("", err)
	}
	m.gapsMu.Lock()
	defer m.gapsMu.Unlock()
	return m.gaps.open(evs), nil
}

// DismissGap closes the gap of question without adding it to an entry, for
// a question the knowledge base is not meant to answer.
func (m *Moderation) DismissGap(ctx context.Context, author, question string) error {
	gaps, err := m.Gaps(ctx)
	if err != nil {
		return err
	}
	k := gapKey(question)
	if !slices.ContainsFunc(gaps, func(g Gap) bool { return gapKey(g.Question) == k }) {
		return asChangeError("", fmt.Errorf("no open gap %q: %w", question, ErrNotFound))
	}
	return asChangeError("", m.closeGap(ctx, author, question, ""))
}

// MaxCandidates is how many entries Candidates offers for a gap.
const MaxCandidates = 3

// Candidate is an entry a gap's question may be added to, with the revision
// the change is based on.
type Candidate struct {
	ID, Title string
	Rev       int64
}

// Candidates returns the entries closest to a gap's question, as svc finds
// them, that the question may be added to: never an out-of-scope entry,
// which would teach the bot to decline the question.
func (m *Moderation) Candidates(ctx context.Context, svc *Service, question string) ([]Candidate, error) {
	a, err := svc.Lookup(ctx, question)
	if err != nil {
		return nil, asChangeError("", err)
	}
	var out []Candidate
	for _, match := range a.Matches {
		if len(out) == MaxCandidates {
			break
		}
		if match.Entry == nil || !match.Entry.Answers() {
			continue
		}
		_, rev, err := m.text(ctx, match.ID)
		if errors.Is(err, ErrNotFound) {
			continue // removed since the service last caught up
		}
		if err != nil {
			return nil, asChangeError(match.ID, err)
		}
		out = append(out, Candidate{ID: match.ID, Title: match.Entry.Title, Rev: rev})
	}
	return out, nil
}

// RecordFeedback notes whether the answer entry gave to question helped, as
// the vote with key vote (VoteKey; "" for one that always counts). It
// implements FeedbackRecorder.
func (m *Moderation) RecordFeedback(ctx context.Context, vote, entry, question string, helpful bool) error {
	return m.events.AddFeedbackEvent(ctx, FeedbackEvent{Time: time.Now().UTC(), Entry: entry, Helpful: helpful, Question: question, Vote: vote})
}

// Feedback returns the feedback on each entry that has any, by id.
func (m *Moderation) Feedback(ctx context.Context) ([]EntryFeedback, error) {
	evs, err := m.events.FeedbackEvents(ctx)
	if err != nil {
		return nil, asChangeError("", err)
	}
	return sumFeedback(evs), nil
}
