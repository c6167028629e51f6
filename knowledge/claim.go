package knowledge

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"
)

// Claims records which platform updates have been taken, and by which
// replica, so that an update a platform sends twice (Telegram sends again
// what it thinks was not received, perhaps to another replica) is handled
// once, and an update taken by a replica that died before handling it is
// handled by another. A claim keeps the update as received until it is
// done. Claims are forgotten some time after they are taken (a day, for
// Telegram, which keeps an update that long). Implementations must be safe
// for concurrent use.
type Claims interface {
	// Take records key as taken by holder, keeping payload with it until
	// it is done. It reports false when key was taken before, by anyone.
	Take(ctx context.Context, key, holder string, payload []byte) (bool, error)
	// Done records that key was handled: it stays taken, without its
	// payload, and is no longer pending.
	Done(ctx context.Context, key string) error
	// Pending returns the claims taken and not done whose keys begin with
	// prefix, which is empty or ends with a dot.
	Pending(ctx context.Context, prefix string) ([]Claim, error)
	// Reassign makes to the holder of key, if key is pending and still
	// held by from. It reports whether it did.
	Reassign(ctx context.Context, key, from, to string) (bool, error)
}

// Claim is an update taken and not yet done.
type Claim struct {
	Key, Holder string
	Payload     []byte
}

// Claimer takes the updates a replica receives through Claims, so that
// each is handled once across replicas, and hands it the updates of
// replicas that died before handling theirs. A replica holds a liveness
// lease named after itself while it runs (see Run); a pending claim whose
// holder's liveness lease has lapsed is taken over by the replica that
// wins that lease. It is safe for concurrent use.
type Claimer struct {
	// Claims and Leases are where claims and liveness leases are kept.
	Claims Claims
	Leases Leases
	// Holder names this replica; it must be unique to the process.
	Holder string
	// Prefix begins the keys of the updates this Claimer takes over, and
	// ends with a dot: those of one bot on one platform.
	Prefix string
	// TTL is the liveness lease's: how long after a replica stops renewing
	// it (a crash, or a lost connection to the engine) its pending updates
	// are taken over by another.
	TTL time.Duration
	// Recovered, if set, is told of every pending update taken over from
	// a replica that stopped.
	Recovered func(key string)
	// Failed, if set, is told of every failure to reach the engine.
	Failed func(err error)

	mu   sync.Mutex
	live bool // whether the liveness lease has been acquired
}

// liveness names a replica's liveness lease.
func liveness(holder string) string { return "replica." + holder }

// Take records that this replica takes the update named key, received as
// payload. It reports false for an update taken before: a duplicate, to be
// dropped. The first Take acquires the replica's liveness lease, so that a
// claim is never seen held by a replica that has not said it is alive.
func (c *Claimer) Take(ctx context.Context, key string, payload []byte) (bool, error) {
	c.mu.Lock()
	live := c.live
	c.mu.Unlock()
	if !live {
		if err := c.renew(ctx); err != nil {
			return false, err
		}
	}
	return c.Claims.Take(ctx, key, c.Holder, payload)
}

// Done records that the update named key was handled.
func (c *Claimer) Done(ctx context.Context, key string) error {
	return c.Claims.Done(ctx, key)
}

// renew acquires or renews this replica's liveness lease.
func (c *Claimer) renew(ctx context.Context) error {
	ok, err := c.Leases.Acquire(ctx, liveness(c.Holder), c.Holder, c.TTL)
	if err == nil && !ok {
		// Another replica found this one's lease lapsed and holds it now:
		// it has taken over, or is taking over, the pending updates.
		err = errLivenessTaken
	}
	c.mu.Lock()
	c.live = err == nil
	c.mu.Unlock()
	return err
}

// errLivenessTaken is a replica finding its liveness lease held by another.
var errLivenessTaken = errors.New("this replica's liveness lease is held by another replica, taking over its pending updates")

// Run renews the replica's liveness lease every TTL/3 and, every TTL, takes
// over the pending updates of replicas whose liveness lease has lapsed,
// passing each to handle, which must call Done once it is handled. It
// returns nil when ctx ends, releasing the liveness lease, so that what
// this replica took and did not do is taken over at once.
func (c *Claimer) Run(ctx context.Context, handle func(ctx context.Context, key string, payload []byte)) error {
	renew := time.NewTicker(c.TTL / 3)
	defer renew.Stop()
	sweep := time.NewTicker(c.TTL)
	defer sweep.Stop()
	if err := c.renew(ctx); err != nil {
		c.failed(ctx, err)
	}
	for {
		select {
		case <-ctx.Done():
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
			defer cancel()
			if err := c.Leases.Release(rctx, liveness(c.Holder), c.Holder); err != nil {
				c.failed(ctx, err)
			}
			return nil
		case <-renew.C:
			if err := c.renew(ctx); err != nil {
				c.failed(ctx, err)
			}
		case <-sweep.C:
			if err := c.sweep(ctx, handle); err != nil {
				c.failed(ctx, err)
			}
		}
	}
}

func (c *Claimer) failed(ctx context.Context, err error) {
	if ctx.Err() == nil && c.Failed != nil {
		c.Failed(err)
	}
}

// sweep takes over the pending updates of replicas that stopped. The
// liveness leases it wins are given up once their updates are handled, so
// that a replica that was only cut off from the engine for a while finds
// its lease again.
func (c *Claimer) sweep(ctx context.Context, handle func(ctx context.Context, key string, payload []byte)) error {
	pending, err := c.Claims.Pending(ctx, c.Prefix)
	if err != nil {
		return err
	}
	dead := map[string]bool{}
	defer func() {
		for holder, gone := range dead {
			if gone {
				if err := c.Leases.Release(ctx, liveness(holder), c.Holder); err != nil {
					c.failed(ctx, err)
				}
			}
		}
	}()
	for _, cl := range pending {
		if cl.Holder == c.Holder {
			continue
		}
		gone, seen := dead[cl.Holder]
		if !seen {
			// Winning a replica's liveness lease proves it lapsed.
			gone, err = c.Leases.Acquire(ctx, liveness(cl.Holder), c.Holder, c.TTL)
			if err != nil {
				return err
			}
			dead[cl.Holder] = gone
		}
		if !gone {
			continue
		}
		ok, err := c.Claims.Reassign(ctx, cl.Key, cl.Holder, c.Holder)
		if err != nil {
			return err
		}
		if ok {
			if c.Recovered != nil {
				c.Recovered(cl.Key)
			}
			handle(ctx, cl.Key, cl.Payload)
		}
	}
	return nil
}

// LocalClaims are Claims kept in memory, for a bot that runs as a single
// process: they drop the updates a platform sends twice. It is safe for
// concurrent use.
type LocalClaims struct {
	ttl time.Duration
	now func() time.Time

	mu     sync.Mutex
	claims map[string]localClaim
	prune  time.Time // when expired claims are next dropped
}

type localClaim struct {
	holder  string
	payload []byte
	done    bool
	until   time.Time
}

// NewLocalClaims returns empty in-memory claims, each forgotten ttl after
// it is taken.
func NewLocalClaims(ttl time.Duration) *LocalClaims {
	return &LocalClaims{ttl: ttl, now: time.Now, claims: map[string]localClaim{}}
}

// Take implements Claims.
func (cs *LocalClaims) Take(_ context.Context, key, holder string, payload []byte) (bool, error) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	now := cs.now()
	if now.After(cs.prune) {
		for k, c := range cs.claims {
			if now.After(c.until) {
				delete(cs.claims, k)
			}
		}
		cs.prune = now.Add(cs.ttl / 10)
	}
	if c, ok := cs.claims[key]; ok && now.Before(c.until) {
		return false, nil
	}
	cs.claims[key] = localClaim{holder: holder, payload: payload, until: now.Add(cs.ttl)}
	return true, nil
}

// Done implements Claims.
func (cs *LocalClaims) Done(_ context.Context, key string) error {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if c, ok := cs.claims[key]; ok {
		c.done, c.payload = true, nil
		cs.claims[key] = c
	}
	return nil
}

// Pending implements Claims.
func (cs *LocalClaims) Pending(_ context.Context, prefix string) ([]Claim, error) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	var out []Claim
	for k, c := range cs.claims {
		if !c.done && strings.HasPrefix(k, prefix) {
			out = append(out, Claim{Key: k, Holder: c.holder, Payload: c.payload})
		}
	}
	return out, nil
}

// Reassign implements Claims.
func (cs *LocalClaims) Reassign(_ context.Context, key, from, to string) (bool, error) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	c, ok := cs.claims[key]
	if !ok || c.done || c.holder != from {
		return false, nil
	}
	c.holder = to
	cs.claims[key] = c
	return true, nil
}
