package knowledge

import (
	"errors"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimitNotice is the polite reply to someone asking faster than the limit.
const RateLimitNotice = "You're asking faster than I can keep up. Please wait a few seconds and ask again."

// BusyNotice is the polite reply to a question refused with ErrBusy.
const BusyNotice = "I'm answering a lot of questions right now. Please try again shortly."

// ErrBusy is returned by Service.Answer for a question beyond the service's
// Capacity.
var ErrBusy = errors.New("too many questions at once")

// Capacity bounds the questions a Service answers across every user and
// platform, on top of each platform's per-user Limiter: a global token
// bucket, and how many questions are answered at once. A question beyond
// either is refused at once rather than queued, so that under a flood
// people hear back quickly. Zero fields mean no limit.
type Capacity struct {
	// Rate is how many questions a second are answered, after a burst of
	// Burst (at least one).
	Rate  float64
	Burst int
	// Concurrent is how many questions are answered at once.
	Concurrent int
}

// LimitTo makes Answer refuse with ErrBusy the questions beyond c. Call it
// before the service is shared.
func (s *Service) LimitTo(c Capacity) {
	s.rate, s.slots = nil, nil
	if c.Rate > 0 {
		s.rate = rate.NewLimiter(rate.Limit(c.Rate), max(c.Burst, 1))
	}
	if c.Concurrent > 0 {
		s.slots = make(chan struct{}, c.Concurrent)
	}
}

// admit takes a place for one question within the service's Capacity, and
// reports whether there was one. A question admitted must leave.
func (s *Service) admit() bool {
	if s.slots != nil {
		select {
		case s.slots <- struct{}{}:
		default:
			return false
		}
	}
	if s.rate != nil && !s.rate.Allow() {
		s.leave()
		return false
	}
	return true
}

// leave gives back the place an admitted question took.
func (s *Service) leave() {
	if s.slots != nil {
		<-s.slots
	}
}

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

// NoticeEvery is how often someone refused by an Admission is told so.
const NoticeEvery = time.Minute

// Admission decides, as each request arrives and before any is answered,
// whether it will be answered: its asker must be within the per-user
// Limiter, and its conversation's queue must have room, so that one person
// flooding a group gets no more than their share and cannot make everyone
// else wait behind them. A refusal is told at most once every NoticeEvery
// per user, and a full queue once per conversation, so that a flood is not
// answered with a notice per message. It is safe for concurrent use.
type Admission struct {
	users, notices *Limiter
}

// NewAdmission allows each user burst requests at once, then one every
// every.
func NewAdmission(every time.Duration, burst int) *Admission {
	return &Admission{users: NewLimiter(every, burst), notices: NewLimiter(NoticeEvery, 1)}
}

// Arrival is a request as it arrives.
type Arrival struct {
	// User and Conversation identify who asks and where, each unique
	// across platforms.
	User, Conversation string
	// Limited says the request counts against the user's limit; a
	// moderator's changes to the knowledge base do not, for one.
	Limited bool
	// Full says the conversation's queue has no room for it.
	Full bool
}

// Verdict is an Admission's decision on an Arrival.
type Verdict struct {
	// Admitted requests are to be answered.
	Admitted bool
	// Notice, for a refused request, is the sentence that says why.
	Notice string
	// Tell says the refusal is to be told with Notice; later ones within
	// NoticeEvery are dropped without a word.
	Tell bool
}

// Admit decides on a request. A request refused for a full queue spends
// none of its asker's limit.
func (a *Admission) Admit(r Arrival) Verdict {
	switch {
	case r.Full:
		return Verdict{Notice: BusyNotice, Tell: a.notices.Allow("conversation:" + r.Conversation)}
	case r.Limited && !a.users.Allow(r.User):
		return Verdict{Notice: RateLimitNotice, Tell: a.notices.Allow("user:" + r.User)}
	}
	return Verdict{Admitted: true}
}
