package telegram

import (
	"context"
	"sync"
)

// job is a piece of work queued on a chat's lane.
type job func(ctx context.Context)

// lanes run the work of each chat in order, and the work of different
// chats apart, so that a chat waiting for its pace holds up no other. A
// chat's lane runs in its own goroutine while it has work. It is safe for
// concurrent use.
type lanes struct {
	run     func(context.Context, job)       // runs one job
	dropped func(ctx context.Context, n int) // is told of jobs left when ctx ended

	mu      sync.Mutex
	queues  map[int64][]job // of the chats with work, the running job first
	changed chan struct{}   // closed and replaced when a lane ends
}

func newLanes(run func(context.Context, job), dropped func(context.Context, int)) *lanes {
	return &lanes{run: run, dropped: dropped, queues: map[int64][]job{}, changed: make(chan struct{})}
}

// push queues on chat's lane the job decide returns, if any, and starts the
// lane when it is idle. decide is given how many jobs the lane holds, and
// is called under the lanes' lock, so that concurrent pushes to one chat
// each see the others' jobs. A started lane runs its jobs until it is empty
// or ctx ends.
func (ls *lanes) push(ctx context.Context, chat int64, decide func(queued int) job) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	q, busy := ls.queues[chat]
	j := decide(len(q))
	if j == nil {
		return
	}
	ls.queues[chat] = append(q, j)
	if !busy {
		go ls.drain(ctx, chat)
	}
}

func (ls *lanes) drain(ctx context.Context, chat int64) {
	for {
		ls.mu.Lock()
		q := ls.queues[chat]
		if len(q) == 0 || ctx.Err() != nil {
			// Told before the lane ends, so that whoever waits for the
			// lanes to end finds the jobs left already reported.
			if len(q) > 0 {
				ls.dropped(ctx, len(q))
			}
			delete(ls.queues, chat)
			close(ls.changed)
			ls.changed = make(chan struct{})
			ls.mu.Unlock()
			return
		}
		ls.mu.Unlock()
		ls.run(ctx, q[0])
		ls.mu.Lock()
		ls.queues[chat] = ls.queues[chat][1:]
		ls.mu.Unlock()
	}
}

// wait blocks until no lane has work, or ctx ends.
func (ls *lanes) wait(ctx context.Context) error {
	for {
		ls.mu.Lock()
		idle, ch := len(ls.queues) == 0, ls.changed
		ls.mu.Unlock()
		if idle {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
