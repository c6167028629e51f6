package knowledge

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Lifetimes of the web console's credentials.
const (
	// LinkLifetime is how long a login link can be opened, once.
	LinkLifetime = 10 * time.Minute
	// SessionLifetime is how long a web console session lasts.
	SessionLifetime = 12 * time.Hour
)

// Errors of logging in to the web console. Check them with errors.Is.
var (
	// ErrLinkExpired is returned for a login link opened too late.
	ErrLinkExpired = errors.New("the login link has expired")
	// ErrLinkUnknown is returned for a login link that was already used,
	// was ended by a logout of every session, or never existed.
	ErrLinkUnknown = errors.New("the login link was already used or is not one of ours")
	// ErrNoSession is returned for a session that expired, was ended, or
	// never existed.
	ErrNoSession = errors.New("no such session")
)

// CredentialKind tells a login link from a session.
type CredentialKind string

// The kinds of Credential.
const (
	LinkCredential    CredentialKind = "link"
	SessionCredential CredentialKind = "session"
)

// Credential is what is kept of a login link or a session: never the token
// itself, only a key to find it by and a hash of its secret part, so that
// whoever reads the store cannot log in.
type Credential struct {
	// Key is the public part of the token, unique among credentials.
	Key  string         `json:"key"`
	Kind CredentialKind `json:"kind"`
	// Hash is the hex SHA-256 of the token's secret part.
	Hash      string    `json:"hash"`
	Moderator string    `json:"moderator"`
	Expires   time.Time `json:"expires"`
}

// Credentials keeps the web console's login links and sessions where every
// process sharing a knowledge base sees them: a link issued by `bot kb
// web-link` is redeemed by the running bot. Implementations must be safe for
// concurrent use, by several processes when they are shared.
type Credentials interface {
	// PutCredential keeps c under c.Key.
	PutCredential(ctx context.Context, c Credential) error
	// Credential returns the credential kept under key, or ErrNotFound.
	Credential(ctx context.Context, key string) (Credential, error)
	// TakeCredential removes the credential kept under key and returns
	// it, or ErrNotFound: of callers racing for one key, only one gets it.
	TakeCredential(ctx context.Context, key string) (Credential, error)
	// DropCredentials removes every credential.
	DropCredentials(ctx context.Context) error
}

// Logins issues and redeems the web console's login links and checks its
// sessions. A moderator asks a front end for a link, which checks that they
// are one; the link opens once, within LinkLifetime, and starts a session
// naming them for SessionLifetime. Tokens are random, kept only as hashes and
// compared in constant time. A Logins is safe for concurrent use.
type Logins struct {
	store   Credentials
	baseURL string
	now     func() time.Time
}

// NewLogins returns the logins kept in store, with links to the web console
// at baseURL, its public address.
func NewLogins(store Credentials, baseURL string) *Logins {
	return &Logins{store: store, baseURL: strings.TrimRight(baseURL, "/"), now: time.Now}
}

// LoginPath is where a login link points on the web console, followed by
// the link's token.
const LoginPath = "/login/"

// Link is a login link issued to a moderator.
type Link struct {
	URL       string
	Moderator string
	Expires   time.Time
}

// Session is a moderator logged in to the web console.
type Session struct {
	// Token is what the browser presents: set only by Redeem.
	Token     string
	Moderator string
	Expires   time.Time
	// CSRF is the token every form of the session carries: derived from
	// the session's secret, so it is the same on every page and no one
	// without the session can make it.
	CSRF string
}

// IssueLink issues a login link for moderator, whom the caller has checked
// is one. It is the only thing the link names; the moderator is the author
// of every change made in the session.
func (l *Logins) IssueLink(ctx context.Context, moderator string) (Link, error) {
	if strings.TrimSpace(moderator) == "" {
		return Link{}, errors.New("a login link must name its moderator")
	}
	if l.baseURL == "" {
		return Link{}, errors.New("the web console has no public address: set BOT_WEB_URL")
	}
	token, c, err := newCredential(LinkCredential, moderator, l.now().Add(LinkLifetime))
	if err != nil {
		return Link{}, err
	}
	if err := l.store.PutCredential(ctx, c); err != nil {
		return Link{}, fmt.Errorf("keep login link: %w", err)
	}
	return Link{URL: l.baseURL + LoginPath + token, Moderator: moderator, Expires: c.Expires}, nil
}

// Redeem uses up the login link with token and starts a session for its
// moderator. A link is good once: a second Redeem of it is ErrLinkUnknown.
func (l *Logins) Redeem(ctx context.Context, token string) (Session, error) {
	c, err := l.take(ctx, LinkCredential, token)
	if errors.Is(err, ErrNotFound) {
		return Session{}, ErrLinkUnknown
	}
	if err != nil {
		return Session{}, err
	}
	if !l.now().Before(c.Expires) {
		return Session{}, ErrLinkExpired
	}
	stoken, s, err := newCredential(SessionCredential, c.Moderator, l.now().Add(SessionLifetime))
	if err != nil {
		return Session{}, err
	}
	if err := l.store.PutCredential(ctx, s); err != nil {
		return Session{}, fmt.Errorf("keep session: %w", err)
	}
	return Session{Token: stoken, Moderator: s.Moderator, Expires: s.Expires, CSRF: csrfOf(stoken)}, nil
}

// Session returns the live session with token, or ErrNoSession.
func (l *Logins) Session(ctx context.Context, token string) (Session, error) {
	key, secret, ok := splitToken(token)
	if !ok {
		return Session{}, ErrNoSession
	}
	c, err := l.store.Credential(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, err
	}
	if c.Kind != SessionCredential || !matches(c, secret) || !l.now().Before(c.Expires) {
		return Session{}, ErrNoSession
	}
	return Session{Moderator: c.Moderator, Expires: c.Expires, CSRF: csrfOf(token)}, nil
}

// Logout ends the session with token; ending one that has ended already is
// not an error.
func (l *Logins) Logout(ctx context.Context, token string) error {
	_, err := l.take(ctx, SessionCredential, token)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// LogoutAll ends every session and voids every link not yet used.
func (l *Logins) LogoutAll(ctx context.Context) error {
	return l.store.DropCredentials(ctx)
}

// take removes and returns the credential of kind with token. A token whose
// secret does not match is not removed, so no one can end another's session
// by guessing its key.
func (l *Logins) take(ctx context.Context, kind CredentialKind, token string) (Credential, error) {
	key, secret, ok := splitToken(token)
	if !ok {
		return Credential{}, ErrNotFound
	}
	c, err := l.store.Credential(ctx, key)
	if err != nil {
		return Credential{}, err
	}
	if c.Kind != kind || !matches(c, secret) {
		return Credential{}, ErrNotFound
	}
	// Only one of two racing takers gets it: the link is single-use.
	return l.store.TakeCredential(ctx, key)
}

// A token is "<key>.<secret>": the key finds the credential, and the secret,
// of which only a hash is kept, proves the token is the one issued.
const (
	keyBytes    = 12
	secretBytes = 32
)

var tokenEncoding = base64.RawURLEncoding

func newCredential(kind CredentialKind, moderator string, expires time.Time) (string, Credential, error) {
	raw := make([]byte, keyBytes+secretBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", Credential{}, fmt.Errorf("make token: %w", err)
	}
	key, secret := tokenEncoding.EncodeToString(raw[:keyBytes]), tokenEncoding.EncodeToString(raw[keyBytes:])
	c := Credential{Key: key, Kind: kind, Hash: hashSecret(secret), Moderator: moderator, Expires: expires.UTC()}
	return key + "." + secret, c, nil
}

// ValidCredentialKey reports whether key can be the key of a token, which
// a store may use as a file name.
func ValidCredentialKey(key string) bool {
	b, err := tokenEncoding.DecodeString(key)
	return err == nil && len(b) == keyBytes
}

func splitToken(token string) (key, secret string, ok bool) {
	key, secret, ok = strings.Cut(token, ".")
	return key, secret, ok && ValidCredentialKey(key) && secret != ""
}

func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// matches compares the hash of secret with the credential's in constant time.
func matches(c Credential, secret string) bool {
	return subtle.ConstantTimeCompare([]byte(c.Hash), []byte(hashSecret(secret))) == 1
}

// csrfOf derives a session's CSRF token from its token.
func csrfOf(token string) string {
	h := sha256.Sum256([]byte("smpbot web csrf\x00" + token))
	return tokenEncoding.EncodeToString(h[:])
}

// SameToken compares two tokens, such as a form's CSRF token with its
// session's, in constant time.
func SameToken(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
