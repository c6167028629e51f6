package knowledge

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"
)

// Gap is a question nobody got an answer to, grouped with the questions that
// read the same once case, punctuation and spacing are ignored. Who asked is
// not kept.
type Gap struct {
	// Question is the newest wording.
	Question string
	Count    int
	First    time.Time
	Last     time.Time
}

// gapEvent is a line of GapsFile: a question asked and not answered, or a
// gap closed by a moderator.
type gapEvent struct {
	Time     time.Time `json:"time"`
	Question string    `json:"question,omitempty"`
	// Closed is the grouping key of a gap a moderator answered.
	Closed string `json:"closed,omitempty"`
	Entry  string `json:"entry,omitempty"`
	Author string `json:"author,omitempty"`
}

// gapKey groups questions that differ only in case, punctuation and spacing.
func gapKey(q string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	}), " ")
}

// Observe records a question the service did not answer as a gap, unless
// it was declined as out of scope, which the knowledge base answers that
// way on purpose, or is still being typed (see AsDraft), so that a Store
// can be a Service's Observer. It is best effort: a gap that cannot be
// recorded must not cost anyone an answer.
func (s *Store) Observe(ctx context.Context, a *Answer, _ time.Duration) {
	if !a.Answered && a.Declined == nil && !isDraft(ctx) {
		_ = s.RecordGap(ctx, a.Question)
	}
}

// RecordGap notes that question got no answer.
func (s *Store) RecordGap(ctx context.Context, question string) error {
	return s.appendEvent(ctx, GapsFile, gapEvent{Time: time.Now().UTC(), Question: question})
}

// closeGap notes that a moderator answered question with an entry.
func (s *Store) closeGap(ctx context.Context, author, question, entry string) error {
	return s.appendEvent(ctx, GapsFile, gapEvent{Time: time.Now().UTC(), Closed: gapKey(question), Entry: entry, Author: author})
}

// Gaps returns the open gaps, most recently asked first.
func (s *Store) Gaps(ctx context.Context) ([]Gap, error) {
	groups := map[string]*Gap{}
	err := s.readEvents(ctx, GapsFile, func() any { return &gapEvent{} }, func(v any) {
		ev := v.(*gapEvent)
		if ev.Closed != "" {
			delete(groups, ev.Closed)
			return
		}
		k := gapKey(ev.Question)
		if k == "" {
			return
		}
		g := groups[k]
		if g == nil {
			g = &Gap{First: ev.Time}
			groups[k] = g
		}
		g.Question, g.Last = ev.Question, ev.Time
		g.Count++
	})
	if err != nil {
		return nil, err
	}
	out := make([]Gap, 0, len(groups))
	for _, g := range groups {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Last.Equal(out[j].Last) {
			return out[i].Last.After(out[j].Last)
		}
		return out[i].Question < out[j].Question
	})
	return out, nil
}

// appendEvent appends v as a line of the events file name, cutting off a
// line a crash tore first. Events are not synced to disk: losing the last few
// to a power cut is better than making an asker wait on the disk.
func (s *Store) appendEvent(ctx context.Context, name string, v any) error {
	line, err := json.Marshal(v)
	if err != nil {
		return err
	}
	unlock, err := s.event.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	p := filepath.Join(s.dir, name)
	_, size, err := readLines(p)
	if err != nil {
		return err
	}
	if err := repairTail(p, size); err != nil {
		return err
	}
	return appendLines(p, append(line, '\n'), false)
}

// readEvents decodes each line of the events file name into a fresh value
// from newValue and passes it to fn, skipping lines that do not decode.
func (s *Store) readEvents(ctx context.Context, name string, newValue func() any, fn func(any)) error {
	unlock, err := s.event.lock(ctx)
	if err != nil {
		return err
	}
	lines, _, err := readLines(filepath.Join(s.dir, name))
	unlock()
	if err != nil {
		return err
	}
	for _, l := range lines {
		v := newValue()
		if json.Unmarshal(l, v) == nil {
			fn(v)
		}
	}
	return nil
}
