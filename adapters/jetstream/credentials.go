package jetstream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	natsjs "github.com/nats-io/nats.go/jetstream"

	"github.com/smpbot/bot/knowledge"
)

// credentialsTTL is how long the bucket of login links and sessions keeps a
// key: longer than any credential lives, so that NATS forgets the expired
// ones by itself.
const credentialsTTL = knowledge.SessionLifetime + knowledge.LinkLifetime

// credentialsBucket makes, or opens, the key-value bucket of the web
// console's login links and sessions, one key a credential.
func (s *Store) credentialsBucket(ctx context.Context, replicas int) (natsjs.KeyValue, error) {
	return s.js.CreateOrUpdateKeyValue(ctx, natsjs.KeyValueConfig{
		Bucket:      s.n.prefix + "_LOGINS",
		Description: "smp-bot web console: login links and sessions, hashed",
		History:     1,
		TTL:         credentialsTTL,
		Storage:     natsjs.FileStorage,
		Replicas:    replicas,
	})
}

// PutCredential keeps c under its key, for every replica to see. It
// implements knowledge.Credentials.
func (s *Store) PutCredential(ctx context.Context, c knowledge.Credential) error {
	if !knowledge.ValidCredentialKey(c.Key) {
		return fmt.Errorf("credential key %q: %w", c.Key, knowledge.ErrNotFound)
	}
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	_, err = s.logins.Put(ctx, c.Key, data)
	return s.classify(err)
}

// Credential returns the credential kept under key, or knowledge.ErrNotFound.
func (s *Store) Credential(ctx context.Context, key string) (knowledge.Credential, error) {
	c, _, err := s.credential(ctx, key)
	return c, err
}

// credential returns the credential kept under key and its revision in the
// bucket.
func (s *Store) credential(ctx context.Context, key string) (knowledge.Credential, uint64, error) {
	if !knowledge.ValidCredentialKey(key) {
		return knowledge.Credential{}, 0, knowledge.ErrNotFound
	}
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	e, err := s.logins.Get(ctx, key)
	if errors.Is(err, natsjs.ErrKeyNotFound) {
		return knowledge.Credential{}, 0, knowledge.ErrNotFound
	}
	if err != nil {
		return knowledge.Credential{}, 0, s.classify(err)
	}
	var c knowledge.Credential
	if err := json.Unmarshal(e.Value(), &c); err != nil {
		return knowledge.Credential{}, 0, fmt.Errorf("credential %s: %w", key, err)
	}
	return c, e.Revision(), nil
}

// TakeCredential removes the credential kept under key and returns it, or
// knowledge.ErrNotFound. The removal is compare-and-set on the revision
// read, so of replicas racing for one link only one gets it.
func (s *Store) TakeCredential(ctx context.Context, key string) (knowledge.Credential, error) {
	c, rev, err := s.credential(ctx, key)
	if err != nil {
		return knowledge.Credential{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	err = s.logins.Delete(ctx, key, natsjs.LastRevision(rev))
	if err != nil {
		if wrongLastSeq(err) {
			return knowledge.Credential{}, knowledge.ErrNotFound // another took it first
		}
		return knowledge.Credential{}, s.classify(err)
	}
	return c, nil
}

// DropCredentials removes every login link and session.
func (s *Store) DropCredentials(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()
	keys, err := s.logins.ListKeys(ctx)
	if err != nil {
		return s.classify(err)
	}
	var errs []error
	for k := range keys.Keys() {
		if err := s.logins.Purge(ctx, k); err != nil {
			errs = append(errs, err)
		}
	}
	return s.classify(errors.Join(errs...))
}
