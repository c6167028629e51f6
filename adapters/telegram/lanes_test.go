package telegram

import (
	"context"
	"sync/atomic"
	"testing"
)

// When the context ends, a lane reports the jobs it still holds before it
// ends, so that Run, which waits for the lanes, returns only after the
// bot has logged what it left unanswered.
func TestLanesReportLeftJobsBeforeEnding(t *testing.T) {
	for range 200 {
		var reported atomic.Int64
		ls := newLanes(func(ctx context.Context, j job) { j(ctx) }, func(_ context.Context, n int) { reported.Add(int64(n)) })
		ctx, cancel := context.WithCancel(context.Background())
		started := make(chan struct{})
		ls.push(ctx, 1, func(int) job {
			return func(ctx context.Context) { close(started); <-ctx.Done() }
		})
		ls.push(ctx, 1, func(int) job { return func(context.Context) { t.Error("a job queued behind a cut-off one ran") } })
		<-started
		cancel()
		if err := ls.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := reported.Load(); got != 1 {
			t.Fatalf("the lanes had ended with %d jobs reported left, want 1", got)
		}
	}
}
