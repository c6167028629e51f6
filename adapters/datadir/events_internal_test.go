package datadir

import (
	"bytes"
	"context"
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
	s, err := Open(ctx, t.TempDir(), guide.FS(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
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
	s, err := Open(ctx, dir, guide.FS(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
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

// BenchmarkAddGapEvent records a gap with none and with 300,000 recorded:
// it costs the same.
//
//	go test -run '^$' -bench AddGapEvent -benchmem ./adapters/datadir/
func BenchmarkAddGapEvent(b *testing.B) {
	for _, n := range []int{0, 300_000} {
		b.Run(fmt.Sprint("gaps=", n), func(b *testing.B) {
			ctx := context.Background()
			dir := b.TempDir()
			s, err := Open(ctx, dir, guide.FS(), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
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
	s, err := Open(ctx, dir, guide.FS(), nil)
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	b.ResetTimer()
	for range b.N {
		s, err := Open(ctx, dir, guide.FS(), nil)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
