package web

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/smpbot/bot/knowledge"
)

// searchBudget is how long a page may spend searching for what its rows
// show: at ten thousand entries a search takes milliseconds, and a list
// shows fifty. What is not found in time is searched for in the background
// and shown on the next view.
const searchBudget = 30 * time.Millisecond

// maxQueued bounds the searches waiting for the background.
const maxQueued = 1024

// searches remembers, for the knowledge base the service answers from, what
// costs a search per question to find out: which phrasings of each entry
// another entry answers first, and which entries a gap's question could be
// added to. A new version of the knowledge base starts afresh. It is safe
// for concurrent use.
type searches struct {
	svc *knowledge.Service
	mod *knowledge.Moderation
	log *slog.Logger
	// later holds what pages had no time to search for, for run.
	later chan search

	mu    sync.Mutex
	base  *knowledge.Base
	byID  map[string][]collision
	gapTo map[string][]knowledge.Candidate
}

// search is one search left for the background: an entry's phrasings, or a
// question's candidates.
type search struct {
	base     *knowledge.Base
	entry    *knowledge.Entry
	question string
}

func newSearches(svc *knowledge.Service, mod *knowledge.Moderation, log *slog.Logger) *searches {
	return &searches{svc: svc, mod: mod, log: log, later: make(chan search, maxQueued)}
}

// run carries out the searches left for later until ctx ends.
func (x *searches) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case s := <-x.later:
			if s.base != x.svc.Base() {
				continue // a newer version has come since
			}
			if s.entry != nil {
				x.collisions(ctx, s.base, s.entry, time.Time{})
			} else {
				x.candidates(ctx, s.base, s.question, time.Time{})
			}
		}
	}
}

// postpone leaves s for run, unless too much is waiting already.
func (x *searches) postpone(s search) {
	select {
	case x.later <- s:
	default:
	}
}

// remembered returns what is remembered of base under key in the map m
// picks, resetting everything when base is not the one remembered.
func remembered[V any](x *searches, base *knowledge.Base, m func() map[string]V, key string) (V, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.base != base {
		x.base, x.byID, x.gapTo = base, map[string][]collision{}, map[string][]knowledge.Candidate{}
	}
	v, ok := m()[key]
	return v, ok
}

// remember keeps v under key in the map m picks, if base is still the one
// remembered.
func remember[V any](x *searches, base *knowledge.Base, m func() map[string]V, key string, v V) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.base == base {
		m()[key] = v
	}
}

// collisions returns the phrasings of e that another entry answers first;
// ok is false when they are not known and there is no time left before
// deadline (the zero time means no limit) to search, so run will.
func (x *searches) collisions(ctx context.Context, base *knowledge.Base, e *knowledge.Entry, deadline time.Time) (cs []collision, ok bool) {
	byID := func() map[string][]collision { return x.byID }
	if cs, ok := remembered(x, base, byID, e.ID); ok {
		return cs, true
	}
	if !deadline.IsZero() && time.Now().After(deadline) {
		x.postpone(search{base: base, entry: e})
		return nil, false
	}
	cs = []collision{}
	for _, q := range slices.Concat([]string{e.Title}, e.Questions) {
		if !deadline.IsZero() && time.Now().After(deadline) {
			// Out of time part way: the background starts it again.
			x.postpone(search{base: base, entry: e})
			return nil, false
		}
		a, err := x.svc.Lookup(ctx, q)
		if err != nil {
			return nil, false
		}
		by := ""
		switch {
		case a.Declined != nil && a.Declined.ID != e.ID:
			by = a.Declined.ID
		case a.Best() != nil && a.Best().ID != e.ID:
			by = a.Best().ID
		}
		if by != "" {
			cs = append(cs, collision{Phrasing: q, By: by})
		}
	}
	remember(x, base, byID, e.ID, cs)
	return cs, true
}

// candidates returns the entries question may be added to, as collisions
// does.
func (x *searches) candidates(ctx context.Context, base *knowledge.Base, question string, deadline time.Time) ([]knowledge.Candidate, bool) {
	gapTo := func() map[string][]knowledge.Candidate { return x.gapTo }
	if cs, ok := remembered(x, base, gapTo, question); ok {
		return cs, true
	}
	if !deadline.IsZero() && time.Now().After(deadline) {
		x.postpone(search{base: base, question: question})
		return nil, false
	}
	cs, err := x.mod.Candidates(ctx, x.svc, question)
	if err != nil {
		x.log.WarnContext(ctx, "cannot find candidates for a question", "error", err)
		return nil, false
	}
	remember(x, base, gapTo, question, cs)
	return cs, true
}
