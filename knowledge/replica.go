package knowledge

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"time"
)

// Defaults of Replica's zero fields.
const (
	// DefaultLeaseTTL is how long a lease lasts unless renewed: how long
	// polling or a gateway shard stays without a holder when its holder
	// dies, and how long before a dead replica's pending updates are taken
	// over.
	DefaultLeaseTTL = 15 * time.Second
	// DefaultClaimTTL is how long a platform update is remembered as taken:
	// Telegram keeps an unacknowledged update for a day.
	DefaultClaimTTL = 25 * time.Hour
)

// Replica is one of the bot's processes among others that share its chat
// platforms: Telegram updates are de-duplicated through its Claims, and
// what only one process may do at a time (long polling, a Discord gateway
// shard) is done under its Leases. The zero value, with WithDefaults, is a
// single process: leases and claims kept in memory.
type Replica struct {
	// Name names this process among the replicas; it must be unique to
	// it, and new for every start.
	Name string
	// Leases and Claims are shared by every replica (adapters/jetstream).
	Leases Leases
	Claims Claims
	// LeaseTTL is the TTL of the leases this replica holds.
	LeaseTTL time.Duration
	// Metrics, when set, counts the leases held and the duplicates dropped.
	Metrics ReplicaMetrics
}

// ReplicaMetrics counts what replicas do to share work. Implementations
// must be safe for concurrent use.
type ReplicaMetrics interface {
	// LeaseHeld tells that this replica won (true) or lost or gave up
	// (false) the named lease.
	LeaseHeld(lease string, held bool)
	// DuplicateDropped counts an update of platform dropped because it
	// was taken before, by this replica or another.
	DuplicateDropped(platform string)
}

// WithDefaults fills in the zero fields for a single process: a random
// name, leases and claims kept in memory, DefaultLeaseTTL.
func (r Replica) WithDefaults() Replica {
	if r.Name == "" {
		r.Name = fmt.Sprintf("r%016x", rand.Uint64())
	}
	if r.Leases == nil {
		r.Leases = NewLocalLeases()
	}
	if r.Claims == nil {
		r.Claims = NewLocalClaims(DefaultClaimTTL)
	}
	r.LeaseTTL = cmp.Or(r.LeaseTTL, DefaultLeaseTTL)
	if r.Metrics == nil {
		r.Metrics = uncounted{}
	}
	return r
}

// Lease returns the lease of the given name held by r.
func (r Replica) Lease(name string) Lease {
	return Lease{Leases: r.Leases, Name: name, Holder: r.Name, TTL: r.LeaseTTL,
		Held: func(held bool) { r.Metrics.LeaseHeld(name, held) }}
}

// Claimer returns the Claimer of r for the updates whose keys begin with
// prefix.
func (r Replica) Claimer(prefix string) *Claimer {
	return &Claimer{Claims: r.Claims, Leases: r.Leases, Holder: r.Name, TTL: r.LeaseTTL, Prefix: prefix}
}

type uncounted struct{}

func (uncounted) LeaseHeld(string, bool)  {}
func (uncounted) DuplicateDropped(string) {}
