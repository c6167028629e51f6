package jetstream

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// Environment variables of the shared mode; EnvURL switches it on.
const (
	EnvURL         = "BOT_NATS_URL"
	EnvCredentials = "BOT_NATS_CREDS"
	EnvNKeySeed    = "BOT_NATS_NKEY"
	EnvCA          = "BOT_NATS_CA"
	EnvCert        = "BOT_NATS_CERT"
	EnvKey         = "BOT_NATS_KEY"
	EnvPrefix      = "BOT_NATS_PREFIX"
	EnvReplicas    = "BOT_NATS_REPLICAS"
)

// EnvNames returns every environment variable ConfigFromEnv reads.
func EnvNames() []string {
	return []string{EnvURL, EnvCredentials, EnvNKeySeed, EnvCA, EnvCert, EnvKey, EnvPrefix, EnvReplicas}
}

// DefaultPrefix begins the names of the streams and subjects of a knowledge
// base when Config.Prefix is empty.
const DefaultPrefix = "SMPBOT"

// MaxReplicas is the most replicas a JetStream stream can have.
const MaxReplicas = 5

// Config says which NATS servers keep the knowledge base and how to talk to
// them. Only URL is required. The environment variable that sets a field in
// ConfigFromEnv is named in its comment.
type Config struct {
	// URL is one server's address, or several separated by commas, such
	// as nats://10.0.0.1:4222,nats://10.0.0.2:4222 (BOT_NATS_URL).
	URL string
	// Credentials is a user credentials file (BOT_NATS_CREDS), as nsc
	// writes it; NKeySeed is a file holding an nkey seed (BOT_NATS_NKEY).
	// Give at most one.
	Credentials, NKeySeed string
	// CA is a PEM file of the authorities that sign the servers'
	// certificates (BOT_NATS_CA); Cert and Key are the client's own
	// certificate and key for mutual TLS (BOT_NATS_CERT, BOT_NATS_KEY),
	// given together.
	CA, Cert, Key string
	// Prefix begins the names of the streams (PREFIX_LOG, PREFIX_EVENTS)
	// and of their subjects (BOT_NATS_PREFIX), so that several knowledge
	// bases can share one NATS account; default DefaultPrefix.
	Prefix string
	// Replicas is how many servers keep a copy of each stream
	// (BOT_NATS_REPLICAS), 1 to MaxReplicas; default 1. Use 3 on a
	// three-node cluster.
	Replicas int
	// Name names the connection on the server's monitoring pages.
	Name string
}

// validPrefix is what stream names and subjects may both hold.
var validPrefix = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// ConfigFromEnv reads the shared mode's configuration from the
// environment. enabled is false, and the configuration empty, when
// BOT_NATS_URL is not set; any other BOT_NATS_ variable set then is an
// error, since it would be silently ignored. The files it names must be
// readable.
func ConfigFromEnv(getenv func(string) string) (cfg Config, enabled bool, err error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	cfg = Config{
		URL:         get(EnvURL),
		Credentials: get(EnvCredentials),
		NKeySeed:    get(EnvNKeySeed),
		CA:          get(EnvCA),
		Cert:        get(EnvCert),
		Key:         get(EnvKey),
		Prefix:      get(EnvPrefix),
	}
	if cfg.URL == "" {
		var errs []error
		for _, name := range EnvNames()[1:] {
			if get(name) != "" {
				errs = append(errs, fmt.Errorf("%s is set but %s is not: set %s to share a knowledge base on NATS, or unset %s", name, EnvURL, EnvURL, name))
			}
		}
		return Config{}, false, errors.Join(errs...)
	}
	var errs []error
	if s := get(EnvReplicas); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			errs = append(errs, fmt.Errorf("%s must be a whole number from 1 to %d, got %q", EnvReplicas, MaxReplicas, s))
			n = 1
		}
		cfg.Replicas = n
	}
	errs = append(errs, cfg.Validate())
	for _, f := range []struct{ env, path string }{
		{EnvCredentials, cfg.Credentials}, {EnvNKeySeed, cfg.NKeySeed},
		{EnvCA, cfg.CA}, {EnvCert, cfg.Cert}, {EnvKey, cfg.Key},
	} {
		if f.path == "" {
			continue
		}
		if file, err := os.Open(f.path); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.env, err))
		} else {
			file.Close()
		}
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, true, err
	}
	return cfg, true, nil
}

// Validate reports every problem of the configuration, one error a line,
// naming the environment variables that set the fields.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.URL == "" {
		bad("%s: no NATS server address", EnvURL)
	}
	for u := range strings.SplitSeq(c.URL, ",") {
		if u = strings.TrimSpace(u); u == "" && c.URL != "" {
			bad("%s: %q has an empty address between commas", EnvURL, c.URL)
			continue
		}
		if err := checkURL(u); err != nil && u != "" {
			bad("%s: %v", EnvURL, err)
		}
	}
	if c.Credentials != "" && c.NKeySeed != "" {
		bad("%s and %s are two ways to authenticate: give one", EnvCredentials, EnvNKeySeed)
	}
	if (c.Cert == "") != (c.Key == "") {
		bad("%s and %s go together: the client certificate and its key", EnvCert, EnvKey)
	}
	if c.Prefix != "" && !validPrefix.MatchString(c.Prefix) {
		bad("%s: %q must be 1 to 32 letters, digits, - or _", EnvPrefix, c.Prefix)
	}
	if c.Replicas < 0 || c.Replicas > MaxReplicas {
		bad("%s must be a whole number from 1 to %d, got %d", EnvReplicas, MaxReplicas, c.Replicas)
	}
	return errors.Join(errs...)
}

// checkURL accepts a NATS server address: nats://, tls://, ws:// or wss://
// with a host, or a bare host:port.
func checkURL(s string) error {
	if !strings.Contains(s, "://") {
		s = "nats://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not a server address such as nats://127.0.0.1:4222", s)
	}
	switch u.Scheme {
	case "nats", "tls", "ws", "wss":
		return nil
	default:
		return fmt.Errorf("%q: scheme %q is not nats, tls, ws or wss", s, u.Scheme)
	}
}

// prefix is the prefix in use.
func (c Config) prefix() string {
	if c.Prefix == "" {
		return DefaultPrefix
	}
	return c.Prefix
}

// replicas is the replica count in use.
func (c Config) replicas() int { return max(c.Replicas, 1) }
