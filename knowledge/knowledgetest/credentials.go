package knowledgetest

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/smpbot/bot/knowledge"
)

// Credentials keeps the web console's login links and sessions
// (knowledge.Credentials) in memory. It is safe for concurrent use.
type Credentials struct {
	mu    sync.Mutex
	creds map[string]knowledge.Credential
}

// NewCredentials returns an empty Credentials.
func NewCredentials() *Credentials {
	return &Credentials{creds: map[string]knowledge.Credential{}}
}

// PutCredential keeps c under c.Key.
func (m *Credentials) PutCredential(ctx context.Context, c knowledge.Credential) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.creds[c.Key] = c
	return ctx.Err()
}

// Credential returns the credential kept under key.
func (m *Credentials) Credential(ctx context.Context, key string) (knowledge.Credential, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.creds[key]
	if !ok {
		return knowledge.Credential{}, knowledge.ErrNotFound
	}
	return c, ctx.Err()
}

// TakeCredential removes and returns the credential kept under key.
func (m *Credentials) TakeCredential(ctx context.Context, key string) (knowledge.Credential, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.creds[key]
	if !ok {
		return knowledge.Credential{}, knowledge.ErrNotFound
	}
	delete(m.creds, key)
	return c, ctx.Err()
}

// DropCredentials removes every credential.
func (m *Credentials) DropCredentials(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	clear(m.creds)
	return ctx.Err()
}

// Age makes every credential d older, as if d had passed: a link aged by
// knowledge.LinkLifetime has expired.
func (m *Credentials) Age(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, c := range m.creds {
		c.Expires = c.Expires.Add(-d)
		m.creds[k] = c
	}
}

// All returns every credential kept.
func (m *Credentials) All() []knowledge.Credential {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Collect(maps.Values(m.creds))
}
