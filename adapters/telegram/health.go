package telegram

import (
	"sync"
	"time"
)

// failStreak is how many failures in a row of the requests the bot cannot
// do without make it not ready.
const failStreak = 3

// health follows the requests the bot cannot do without (getMe, the long
// polls, setting the webhook) so that readiness reflects recent success:
// not after failStreak failures in a row, nor when none has succeeded for
// staleAfter (0: never stale, as with a webhook, where Telegram calls in).
// It is safe for concurrent use.
type health struct {
	staleAfter time.Duration
	now        func() time.Time

	mu    sync.Mutex
	fails int
	last  time.Time // of the last success
	idle  bool      // standing by while another replica polls
}

// polling tells whether this replica polls (true), or stands by while
// another does, which is not stale however long it lasts.
func (h *health) polling(on bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.idle = !on
	if on {
		h.fails, h.last = 0, h.now()
	}
}

func (h *health) succeeded() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.fails, h.last = 0, h.now()
}

func (h *health) failed() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.fails++
}

// ok reports whether the recent requests went well enough to be ready.
func (h *health) ok() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.fails < failStreak && (h.staleAfter == 0 || h.idle || h.now().Sub(h.last) <= h.staleAfter)
}
