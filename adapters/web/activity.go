package web

import (
	"sync"
	"time"
)

// activity counts events by the hour over the last week, in memory: how
// many questions were answered since the bot started.
type activity struct {
	now   func() time.Time
	mu    sync.Mutex
	start time.Time
	hours [7 * 24]int // by hour, ring-indexed by hour since the epoch
	at    [7 * 24]int64
}

func newActivity(now func() time.Time) *activity {
	return &activity{now: now, start: now()}
}

func (a *activity) add() {
	h := a.now().Unix() / 3600
	i := h % int64(len(a.hours))
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.at[i] != h {
		a.at[i], a.hours[i] = h, 0
	}
	a.hours[i]++
}

// since returns the count over the last n hours, and when counting began.
func (a *activity) since(n int) (int, time.Time) {
	h := a.now().Unix() / 3600
	a.mu.Lock()
	defer a.mu.Unlock()
	total := 0
	for i := range a.hours {
		if h-a.at[i] < int64(n) {
			total += a.hours[i]
		}
	}
	return total, a.start
}
