package datadir

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

// TestEventsAreNoChange checks that recording a gap or feedback leaves the
// directory's fingerprint as it was, so that no event makes the knowledge
// base reload.
func TestEventsAreNoChange(t *testing.T) {
	ctx := context.Background()
	s := openGuide(t, t.TempDir())
	before := s.fingerprint()
	if err := s.AddGapEvent(ctx, knowledge.GapEvent{Time: time.Now(), Question: "is it safe on a sunburn"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFeedbackEvent(ctx, knowledge.FeedbackEvent{Time: time.Now(), Entry: "healing", Helpful: true}); err != nil {
		t.Fatal(err)
	}
	if after := s.fingerprint(); after != before {
		t.Errorf("a gap and a feedback event changed the fingerprint from\n%s\nto\n%s", before, after)
	}
}

// TestAppendRepairsTornEvent checks that an append after a crash that tore
// the last event line drops the torn line and keeps the rest.
func TestAppendRepairsTornEvent(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openGuide(t, dir)
	p := filepath.Join(dir, GapsFile)
	if err := os.WriteFile(p, []byte(`{"question":"one"}`+"\n"+`{"question":"tw`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.AddGapEvent(ctx, knowledge.GapEvent{Question: "three"}); err != nil {
		t.Fatal(err)
	}
	evs, err := s.GapEvents(ctx)
	if err != nil || len(evs) != 2 || evs[0].Question != "one" || evs[1].Question != "three" {
		t.Errorf("GapEvents = %+v, %v; want one and three", evs, err)
	}
}

// TestEventsNeverWaitForTheDisk checks that recording an event returns at
// once while another holds the events lock, as a moderator's long read or
// another process would: questions are not held up by it. Past the queue's
// bound events are refused, and what was accepted is written once the lock
// is free.
func TestEventsNeverWaitForTheDisk(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openGuide(t, dir)
	unlock, err := s.event.lock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	accepted := 0
	for {
		err := s.AddGapEvent(ctx, knowledge.GapEvent{Time: time.Now(), Question: fmt.Sprintf("question number %d about pigment", accepted)})
		if errors.Is(err, errEventsBusy) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		accepted++
		if accepted > maxPendingEvents {
			t.Fatal("the queue of events has no bound")
		}
	}
	unlock()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.AddGapEvent(ctx, knowledge.GapEvent{Question: "after closing"}); err == nil {
		t.Error("AddGapEvent after Close = nil, want a refusal")
	}
	again := openGuide(t, dir)
	evs, err := again.GapEvents(ctx)
	if err != nil || len(evs) != accepted {
		t.Errorf("GapEvents after Close = %d events, %v; want the %d accepted", len(evs), err, accepted)
	}
}

// TestCompactKeepsOpenGaps checks that compacting drops old closed gaps and
// old feedback, keeps what is recent and every open gap, and leaves the
// inbox as it was.
func TestCompactKeepsOpenGaps(t *testing.T) {
	ctx := context.Background()
	s := openGuide(t, t.TempDir())
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	old, recent := now.AddDate(0, -7, 0), now.AddDate(0, 0, -3)
	for _, ev := range []knowledge.GapEvent{
		{Time: old, Question: "answered long ago?"},
		{Time: old.Add(time.Hour), Closed: "answered long ago", Entry: "what-is-smp", Author: "mod"},
		{Time: old, Question: "still open from long ago?"},
		{Time: recent, Question: "asked this week?"},
	} {
		if err := s.AddGapEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	for _, ev := range []knowledge.FeedbackEvent{
		{Time: old, Entry: "what-is-smp", Helpful: false},
		{Time: recent, Entry: "what-is-smp", Helpful: true},
	} {
		if err := s.AddFeedbackEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	m := knowledge.NewModeration(s, s)
	before, err := m.Gaps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Compact(ctx, now, knowledge.DefaultEventRetention)
	if err != nil || n != 3 {
		t.Fatalf("Compact = %d, %v; want the old question, its closing and the old vote dropped", n, err)
	}
	after, err := m.Gaps(ctx)
	if err != nil || len(after) != len(before) || len(after) != 2 {
		t.Errorf("open gaps after compacting = %+v, %v; want as before: %+v", after, err, before)
	}
	fb, err := s.FeedbackEvents(ctx)
	if err != nil || len(fb) != 1 || !fb[0].Helpful {
		t.Errorf("feedback after compacting = %+v, %v; want this week's vote only", fb, err)
	}
}

// BenchmarkAddGapEvent records a gap with none and with 300,000 recorded:
// it costs the same.
//
//	go test -run '^$' -bench AddGapEvent -benchmem ./adapters/datadir/
func BenchmarkAddGapEvent(b *testing.B) {
	for _, n := range []int{0, 300_000} {
		b.Run(fmt.Sprint("gaps=", n), func(b *testing.B) {
			ctx := context.Background()
			dir := b.TempDir()
			s := openGuide(b, dir)
			var buf bytes.Buffer
			for i := range n {
				fmt.Fprintf(&buf, `{"time":"2026-01-02T03:04:05Z","question":"how long until question %d heals"}`+"\n", i%50_000)
			}
			if err := os.WriteFile(filepath.Join(dir, GapsFile), buf.Bytes(), 0o644); err != nil {
				b.Fatal(err)
			}
			ev := knowledge.GapEvent{Time: time.Now().UTC(), Question: "can i swim the day after a session"}
			b.ResetTimer()
			for range b.N {
				if err := s.AddGapEvent(ctx, ev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpen100k opens a data directory whose log holds 100,000
// revisions: the seed, then the same entry put over and over, with the
// checkpoint the store keeps.
//
//	go test -run '^$' -bench Open100k -benchtime 3x -benchmem ./adapters/datadir/
func BenchmarkOpen100k(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	growLog(b, dir, 100_000)
	// The first open reads the whole log, which no commit wrote, and
	// checkpoints it; a directory the bot writes has its checkpoint already.
	openGuide(b, dir).Close()
	b.ResetTimer()
	for range b.N {
		s, err := Open(ctx, dir, guide.FS(), nil)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkGaps lists the open gaps of a directory that has recorded
// 300,000 unanswered questions (50,000 distinct), one more recorded before
// each listing, as a moderator's /kb gaps does while people ask: only the
// new line is read from the file.
//
//	go test -run '^$' -bench Gaps -benchmem ./adapters/datadir/
func BenchmarkGaps(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	s := openGuide(b, dir)
	var buf bytes.Buffer
	for i := range 300_000 {
		fmt.Fprintf(&buf, `{"time":"2026-01-02T03:04:05Z","question":"how long until question %d heals"}`+"\n", i%50_000)
	}
	if err := os.WriteFile(filepath.Join(dir, GapsFile), buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	m := knowledge.NewModeration(s, s)
	if _, err := m.Gaps(ctx); err != nil {
		b.Fatal(err)
	}
	ev := knowledge.GapEvent{Time: time.Now().UTC(), Question: "can i swim the day after a session"}
	b.ResetTimer()
	for range b.N {
		if err := s.AddGapEvent(ctx, ev); err != nil {
			b.Fatal(err)
		}
		if gaps, err := m.Gaps(ctx); err != nil || len(gaps) != 50_001 {
			b.Fatalf("Gaps = %d, %v", len(gaps), err)
		}
	}
}
