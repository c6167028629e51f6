package knowledge

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimitNotice is the polite reply to someone asking faster than the limit.
const RateLimitNotice = "You're asking faster than I can keep up. Please wait a few seconds and ask again."

// Limiter decides whether a user may ask now: a per-user token bucket, so one
// person flooding cannot starve the others. It is safe for concurrent use.
type Limiter struct {
	every time.Duration
	burst int

	mu    sync.Mutex
	users map[string]*userLimit
}

type userLimit struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewLimiter allows each user burst questions at once, then one every every.
func NewLimiter(every time.Duration, burst int) *Limiter {
	return &Limiter{every: every, burst: burst, users: map[string]*userLimit{}}
}

// Allow reports whether user may ask now, and spends a token if so.
func (l *Limiter) Allow(user string) bool {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	u, ok := l.users[user]
	if !ok {
		l.forget(now)
		u = &userLimit{lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.users[user] = u
	}
	u.seen = now
	return u.lim.AllowN(now, 1)
}

// forget drops users idle long enough to have a full bucket again, so the map
// stays as small as the set of people actually asking.
func (l *Limiter) forget(now time.Time) {
	if len(l.users) < 1024 {
		return
	}
	idle := l.every * time.Duration(l.burst)
	for k, u := range l.users {
		if now.Sub(u.seen) > idle {
			delete(l.users, k)
		}
	}
}
