package jetstream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	natsjs "github.com/nats-io/nats.go/jetstream"

	"github.com/smpbot/bot/knowledge"
)

// Key prefixes of a claim's two keys.
const (
	pendingPrefix = "pending."
	donePrefix    = "done."
)

// Claims are knowledge.Claims kept in a JetStream key-value bucket whose
// keys expire after the bucket's TTL. A claim taken and not done is the
// key pending.KEY, created once, holding its holder and payload; a claim
// done is the key done.KEY, written before pending.KEY is removed, so that
// a duplicate arriving after the removal finds it. Pending lists only the
// pending keys, however many updates were done that day. It is safe for
// concurrent use.
type Claims struct {
	kv natsjs.KeyValue
}

// pendingValue is the value of a pending key.
type pendingValue struct {
	Holder  string `json:"holder"`
	Payload []byte `json:"payload"`
}

// NewClaims returns the claims kept in the named bucket, creating it with
// file storage and the given number of replicas if it does not exist. A
// claim is forgotten ttl after it is taken or done: it should outlast the
// time the platform may send an update again (Telegram keeps an update for
// a day).
func NewClaims(ctx context.Context, js natsjs.JetStream, bucket string, replicas int, ttl time.Duration) (*Claims, error) {
	kv, err := js.CreateOrUpdateKeyValue(ctx, natsjs.KeyValueConfig{
		Bucket:         bucket,
		Description:    "smpbot claims: which platform updates were taken, by which replica, and done",
		History:        1,
		TTL:            ttl,
		Storage:        natsjs.FileStorage,
		Replicas:       replicas,
		LimitMarkerTTL: markerTTL,
	})
	if err != nil {
		return nil, fmt.Errorf("jetstream: claim bucket %s: %w", bucket, err)
	}
	return &Claims{kv: kv}, nil
}

// Take implements knowledge.Claims.
func (c *Claims) Take(ctx context.Context, key, holder string, payload []byte) (bool, error) {
	v, err := json.Marshal(pendingValue{Holder: holder, Payload: payload})
	if err != nil {
		return false, err
	}
	rev, err := c.kv.Create(ctx, pendingPrefix+key, v)
	if errors.Is(err, natsjs.ErrKeyExists) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("jetstream: take %s: %w", key, err)
	}
	// Done writes done.KEY before it removes pending.KEY, so this create
	// came after that removal if done.KEY is not there.
	switch _, err := c.kv.Get(ctx, donePrefix+key); {
	case errors.Is(err, natsjs.ErrKeyNotFound):
		return true, nil
	case err != nil:
		return false, fmt.Errorf("jetstream: take %s: %w", key, err)
	}
	if err := c.kv.Purge(ctx, pendingPrefix+key, natsjs.LastRevision(rev), natsjs.PurgeTTL(markerTTL)); err != nil && !wrongLastSeq(err) {
		return false, fmt.Errorf("jetstream: drop duplicate %s: %w", key, err)
	}
	return false, nil
}

// Done implements knowledge.Claims.
func (c *Claims) Done(ctx context.Context, key string) error {
	if _, err := c.kv.Put(ctx, donePrefix+key, nil); err != nil {
		return fmt.Errorf("jetstream: done %s: %w", key, err)
	}
	if err := c.kv.Purge(ctx, pendingPrefix+key, natsjs.PurgeTTL(markerTTL)); err != nil {
		return fmt.Errorf("jetstream: done %s: %w", key, err)
	}
	return nil
}

// Pending implements knowledge.Claims.
func (c *Claims) Pending(ctx context.Context, prefix string) ([]knowledge.Claim, error) {
	keys, err := c.kv.ListKeysFiltered(ctx, pendingPrefix+prefix+">")
	if err != nil {
		return nil, fmt.Errorf("jetstream: list pending claims: %w", err)
	}
	var names []string
	for k := range keys.Keys() { // the lister stops itself at the end
		names = append(names, k)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("jetstream: list pending claims: %w", err)
	}
	var out []knowledge.Claim
	for _, name := range names {
		e, err := c.kv.Get(ctx, name)
		if errors.Is(err, natsjs.ErrKeyNotFound) {
			continue // done meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("jetstream: read claim %s: %w", name, err)
		}
		var v pendingValue
		if err := json.Unmarshal(e.Value(), &v); err != nil {
			return nil, fmt.Errorf("jetstream: claim %s: %w", name, err)
		}
		key := strings.TrimPrefix(name, pendingPrefix)
		// A replica that stopped within Done leaves both keys.
		if _, err := c.kv.Get(ctx, donePrefix+key); err == nil {
			if err := c.Done(ctx, key); err != nil {
				return nil, err
			}
			continue
		}
		out = append(out, knowledge.Claim{Key: key, Holder: v.Holder, Payload: v.Payload})
	}
	return out, nil
}

// Reassign implements knowledge.Claims.
func (c *Claims) Reassign(ctx context.Context, key, from, to string) (bool, error) {
	e, err := c.kv.Get(ctx, pendingPrefix+key)
	if errors.Is(err, natsjs.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("jetstream: read claim %s: %w", key, err)
	}
	var v pendingValue
	if err := json.Unmarshal(e.Value(), &v); err != nil {
		return false, fmt.Errorf("jetstream: claim %s: %w", key, err)
	}
	if v.Holder != from {
		return false, nil
	}
	v.Holder = to
	b, err := json.Marshal(v)
	if err != nil {
		return false, err
	}
	_, err = c.kv.Update(ctx, pendingPrefix+key, b, e.Revision())
	if errors.Is(err, natsjs.ErrKeyRevisionMismatch) || wrongLastSeq(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("jetstream: reassign %s: %w", key, err)
	}
	return true, nil
}
