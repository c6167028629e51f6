package knowledge

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// Leases grants named leases that lapse unless renewed, so that of several
// replicas exactly one does a piece of work that must not be done twice at
// once: polling Telegram, or holding a Discord gateway shard. The engine
// that keeps them (adapters/jetstream across replicas, LocalLeases in one
// process) lets a lease lapse ttl after it was last acquired or renewed,
// by its own clock. Implementations must be safe for concurrent use.
type Leases interface {
	// Acquire takes the named lease for holder for ttl, or renews it for
	// ttl when holder has it already. It reports false, with a nil error,
	// when another holder has it.
	Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// Release gives the named lease up if holder has it, so that another
	// may take it at once; it does nothing otherwise.
	Release(ctx context.Context, name, holder string) error
}

// Lease is one named lease that one holder, a replica, wants in order to
// run a piece of work. The zero values of Held and Failed do nothing.
type Lease struct {
	Leases Leases
	// Name names the work, Holder the replica; TTL is how long the lease
	// lasts unless renewed. It is renewed every TTL/3.
	Name, Holder string
	TTL          time.Duration
	// Held, if set, is told true when the lease is won, and false when it
	// is lost or given up, or first found held by another: whether this
	// holder does the work or stands by.
	Held func(held bool)
	// Failed, if set, is told of every failed attempt to acquire or renew
	// the lease: the engine cannot be reached.
	Failed func(err error)
}

// releaseTimeout bounds giving a lease up on the way out.
const releaseTimeout = 2 * time.Second

// Run runs work while l is held, until ctx ends. It waits for the lease,
// trying again every TTL/3; once it is won, it runs work and renews the
// lease every TTL/3. When a renewal is refused, or none has succeeded by
// three quarters of TTL after the last one was asked (so that work stops
// before the engine can give the lease to another), work's context ends,
// and once work returns Run waits for the lease again. When ctx ends, work's
// context ends too, and Run releases the lease once work has returned, and
// returns nil. Run returns work's error when work fails while the lease is
// held, and nil when work returns nil.
func (l Lease) Run(ctx context.Context, work func(context.Context) error) error {
	if l.TTL <= 0 {
		return errors.New("lease: no TTL")
	}
	standby := false // told Held(false) since the lease was last held
	for ctx.Err() == nil {
		asked := time.Now()
		ok, err := l.Leases.Acquire(ctx, l.Name, l.Holder, l.TTL)
		if err != nil && ctx.Err() == nil && l.Failed != nil {
			l.Failed(err)
		}
		if err == nil && !ok && !standby && l.Held != nil {
			l.Held(false)
		}
		if err != nil || !ok {
			standby = standby || err == nil
			sleep(ctx, l.TTL/3)
			continue
		}
		standby = true // hold tells Held(false) on the way out
		lost, err := l.hold(ctx, asked, work)
		if !lost {
			return err
		}
	}
	return nil
}

// hold runs work while the lease, acquired when asked, is held. It reports
// whether the lease was lost; when it was not, err is work's.
func (l Lease) hold(ctx context.Context, asked time.Time, work func(context.Context) error) (lost bool, err error) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var lapsed atomic.Bool
	lose := func() {
		lapsed.Store(true)
		cancel()
	}
	safe := l.TTL - l.TTL/4
	lapse := time.AfterFunc(time.Until(asked.Add(safe)), lose)
	defer lapse.Stop()
	if l.Held != nil {
		l.Held(true)
		defer l.Held(false)
	}
	done := make(chan error, 1)
	go func() { done <- work(wctx) }()
	renew := time.NewTicker(l.TTL / 3)
	defer renew.Stop()
	for {
		select {
		case err = <-done:
			rctx, stop := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
			if rerr := l.Leases.Release(rctx, l.Name, l.Holder); rerr != nil && l.Failed != nil {
				l.Failed(rerr)
			}
			stop()
			if lapsed.Load() {
				return true, nil
			}
			if ctx.Err() != nil {
				return false, nil
			}
			return false, err
		case <-renew.C:
			if wctx.Err() != nil {
				continue // waiting for work to return
			}
			asked := time.Now()
			ok, err := l.Leases.Acquire(wctx, l.Name, l.Holder, l.TTL)
			switch {
			case err != nil:
				if wctx.Err() == nil && l.Failed != nil {
					l.Failed(err)
				}
			case !ok:
				lose()
			case lapse.Stop():
				lapse.Reset(time.Until(asked.Add(safe)))
			}
		}
	}
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// LocalLeases are Leases kept in memory, for a bot that runs as a single
// process: every lease is won at once by the one holder that asks. It is
// safe for concurrent use.
type LocalLeases struct {
	now func() time.Time

	mu     sync.Mutex
	leases map[string]localLease
}

type localLease struct {
	holder string
	until  time.Time
}

// NewLocalLeases returns empty in-memory leases.
func NewLocalLeases() *LocalLeases {
	return &LocalLeases{now: time.Now, leases: map[string]localLease{}}
}

// Acquire implements Leases.
func (ls *LocalLeases) Acquire(_ context.Context, name, holder string, ttl time.Duration) (bool, error) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	now := ls.now()
	if l, ok := ls.leases[name]; ok && l.holder != holder && now.Before(l.until) {
		return false, nil
	}
	ls.leases[name] = localLease{holder: holder, until: now.Add(ttl)}
	return true, nil
}

// Release implements Leases.
func (ls *LocalLeases) Release(_ context.Context, name, holder string) error {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if l, ok := ls.leases[name]; ok && l.holder == holder {
		delete(ls.leases, name)
	}
	return nil
}
