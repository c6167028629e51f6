package web

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Environment variables of the web console.
const (
	// EnvAddr is the address the console listens on; setting it turns the
	// console on.
	EnvAddr = "BOT_WEB_ADDR"
	// EnvURL is the console's public base URL, used in login links.
	EnvURL = "BOT_WEB_URL"
)

// EnvNames returns every environment variable ConfigFromEnv reads.
func EnvNames() []string { return []string{EnvAddr, EnvURL} }

// Config is the web console's configuration.
type Config struct {
	// Addr is the host:port the console listens on.
	Addr string
	// URL is the public base URL the console is reached at, such as
	// https://kb.example.org: login links point there, changes must come
	// from its origin, and the cookie is Secure when it is https.
	URL string
}

// ConfigFromEnv reads the console's configuration through getenv. It is
// enabled when BOT_WEB_ADDR is set; BOT_WEB_URL defaults to http:// and that
// address when it is a loopback one. The error joins every problem, one a
// line, each naming its variable.
func ConfigFromEnv(getenv func(string) string) (cfg Config, enabled bool, err error) {
	cfg = Config{Addr: strings.TrimSpace(getenv(EnvAddr)), URL: strings.TrimSpace(getenv(EnvURL))}
	if cfg.Addr == "" {
		if cfg.URL != "" {
			return Config{}, false, fmt.Errorf("%s is set but %s is not", EnvURL, EnvAddr)
		}
		return Config{}, false, nil
	}
	var errs []error
	host, _, aerr := net.SplitHostPort(cfg.Addr)
	if aerr != nil {
		errs = append(errs, fmt.Errorf("%s: %q is not a host:port such as 127.0.0.1:8082", EnvAddr, cfg.Addr))
	}
	if cfg.URL == "" {
		if ip := net.ParseIP(host); aerr == nil && (host == "localhost" || ip != nil && ip.IsLoopback()) {
			cfg.URL = "http://" + cfg.Addr
		} else if aerr == nil {
			errs = append(errs, fmt.Errorf("%s: set the console's public address, such as https://kb.example.org, for its login links", EnvURL))
		}
	}
	if cfg.URL != "" {
		if err := checkURL(cfg.URL); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", EnvURL, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, true, err
	}
	cfg.URL = strings.TrimRight(cfg.URL, "/")
	return cfg, true, nil
}

// checkURL accepts an http or https URL with a host and no query, user or
// fragment.
func checkURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil, u.Host == "":
		return fmt.Errorf("%q is not a URL such as https://kb.example.org", s)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%q is not an http or https URL", s)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return fmt.Errorf("%q must be a plain base URL, without user, query or fragment", s)
	case u.Path != "" && u.Path != "/":
		return fmt.Errorf("%q has a path: serve the console at the root of its own host name", s)
	}
	return nil
}

// origin returns the scheme and host of the base URL u, as browsers send
// them in the Origin header.
func origin(u *url.URL) string { return u.Scheme + "://" + u.Host }
