package jetstream

import (
	"context"
	"errors"
	"fmt"
	"time"

	natsjs "github.com/nats-io/nats.go/jetstream"
)

// markerTTL is how long a bucket keeps the marker of a key that lapsed or
// was removed, so that a replica watching it sees the removal.
const markerTTL = time.Minute

// Leases are knowledge.Leases kept in a JetStream key-value bucket: a
// lease is a key holding its holder's name, written with a per-key TTL, so
// that the server removes it when its holder stops renewing it. Renewal is
// a compare-and-set write of a new value with a fresh TTL. The server's
// clock decides when a lease lapses. It is safe for concurrent use.
type Leases struct {
	js      natsjs.JetStream
	kv      natsjs.KeyValue
	subject string // the bucket's subject prefix
}

// NewLeases returns the leases kept in the named bucket, creating it with
// file storage and the given number of replicas (1 or 3; a lease held in an
// R1 bucket is lost with its server) if it does not exist.
func NewLeases(ctx context.Context, js natsjs.JetStream, bucket string, replicas int) (*Leases, error) {
	kv, err := js.CreateOrUpdateKeyValue(ctx, natsjs.KeyValueConfig{
		Bucket:         bucket,
		Description:    "smpbot leases: which replica polls Telegram or holds a Discord gateway shard",
		History:        1,
		Storage:        natsjs.FileStorage,
		Replicas:       replicas,
		LimitMarkerTTL: markerTTL,
	})
	if err != nil {
		return nil, fmt.Errorf("jetstream: lease bucket %s: %w", bucket, err)
	}
	return &Leases{js: js, kv: kv, subject: "$KV." + bucket + "."}, nil
}

// Acquire implements knowledge.Leases.
func (l *Leases) Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	e, err := l.kv.Get(ctx, name)
	switch {
	case errors.Is(err, natsjs.ErrKeyNotFound):
		_, err = l.kv.Create(ctx, name, []byte(holder), natsjs.KeyTTL(ttl))
		if errors.Is(err, natsjs.ErrKeyExists) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("jetstream: acquire lease %s: %w", name, err)
		}
		return true, nil
	case err != nil:
		return false, fmt.Errorf("jetstream: read lease %s: %w", name, err)
	case string(e.Value()) != holder:
		return false, nil
	}
	// The key-value API sets a TTL only on creation: renew with a
	// compare-and-set publish to the key's subject.
	_, err = l.js.Publish(ctx, l.subject+name, []byte(holder),
		natsjs.WithExpectLastSequencePerSubject(e.Revision()), natsjs.WithMsgTTL(ttl))
	if wrongLastSeq(err) {
		return false, nil // lapsed and taken, or released, meanwhile
	}
	if err != nil {
		return false, fmt.Errorf("jetstream: renew lease %s: %w", name, err)
	}
	return true, nil
}

// Release implements knowledge.Leases.
func (l *Leases) Release(ctx context.Context, name, holder string) error {
	e, err := l.kv.Get(ctx, name)
	switch {
	case errors.Is(err, natsjs.ErrKeyNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("jetstream: read lease %s: %w", name, err)
	case string(e.Value()) != holder:
		return nil
	}
	err = l.kv.Purge(ctx, name, natsjs.LastRevision(e.Revision()), natsjs.PurgeTTL(markerTTL))
	if err != nil && !wrongLastSeq(err) {
		return fmt.Errorf("jetstream: release lease %s: %w", name, err)
	}
	return nil
}
