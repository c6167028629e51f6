// Package indextest builds real indexes for tests: the embedded knowledge
// base answered through the bleve index, as the bot runs by default.
package indextest

import (
	"testing"

	"github.com/smpbot/bot/index"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

// Guide returns a service answering from the embedded knowledge base through
// a real index, with the calibrated thresholds, as the bot runs by default.
// The index is closed when the test ends.
func Guide(tb testing.TB) *knowledge.Service {
	tb.Helper()
	base, err := knowledge.Load(guide.FS())
	if err != nil {
		tb.Fatalf("load the embedded knowledge base: %v", err)
	}
	idx, err := index.Build(base)
	if err != nil {
		tb.Fatalf("index the embedded knowledge base: %v", err)
	}
	tb.Cleanup(func() { idx.Close() })
	cal, err := guide.Calibration()
	if err != nil {
		tb.Fatalf("read the embedded calibration: %v", err)
	}
	return knowledge.NewService(base, idx, cal, nil)
}

// EvalCases returns the embedded evaluation set.
func EvalCases(tb testing.TB) []knowledge.EvalCase {
	tb.Helper()
	cases, err := guide.EvalCases()
	if err != nil {
		tb.Fatal(err)
	}
	return cases
}
