package jetstream_test

import (
	"testing"

	"github.com/smpbot/bot/adapters/jetstream"
	"github.com/smpbot/bot/adapters/jetstream/jetstreamtest"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// benchStore opens a Store on a new server, its log seeded.
func benchStore(b *testing.B) *jetstream.Store {
	b.Helper()
	srv := jetstreamtest.Start(b)
	s, err := jetstream.Open(b.Context(), jetstream.Config{URL: srv.URL()}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	if _, err := s.Commit(b.Context(), 0, knowledge.Record{Author: "seed", Op: knowledge.OpPut, ID: "healing", Text: knowledgetest.EntryText("healing")}); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkCommit is one moderator's change: a compare-and-set publish of a
// record, stored on disk.
func BenchmarkCommit(b *testing.B) {
	s := benchStore(b)
	rec := knowledge.Record{Author: "alice", Op: knowledge.OpPut, ID: "healing", Text: knowledgetest.EntryText("healing")}
	head := int64(1)
	for b.Loop() {
		if _, err := s.Commit(b.Context(), head, rec); err != nil {
			b.Fatal(err)
		}
		head++
	}
}

// BenchmarkSinceNothingNew is what each replica pays four times a second
// to follow a log that has not moved.
func BenchmarkSinceNothingNew(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if recs, err := s.Since(b.Context(), 1); err != nil || len(recs) != 0 {
			b.Fatal(recs, err)
		}
	}
}

// BenchmarkSinceOneNew reads the one revision another replica committed.
func BenchmarkSinceOneNew(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if recs, err := s.Since(b.Context(), 0); err != nil || len(recs) != 1 {
			b.Fatal(recs, err)
		}
	}
}

// BenchmarkSinceWhole10k reads a log of 10,000 revisions from the start, as
// a replica does when it starts.
func BenchmarkSinceWhole10k(b *testing.B) {
	s := benchStore(b)
	const n = 10_000
	for head := int64(1); head < n; {
		recs := make([]knowledge.Record, min(jetstream.MaxBatch, n-head))
		for i := range recs {
			recs[i] = knowledge.Record{Author: "alice", Op: knowledge.OpPut, ID: "healing", Text: knowledgetest.EntryText("healing")}
		}
		if _, err := s.Commit(b.Context(), head, recs...); err != nil {
			b.Fatal(err)
		}
		head += int64(len(recs))
	}
	for b.Loop() {
		if recs, err := s.Since(b.Context(), 0); err != nil || len(recs) != n {
			b.Fatal(len(recs), err)
		}
	}
}
