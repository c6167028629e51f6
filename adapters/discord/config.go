package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/smpbot/bot/knowledge"
)

// Config holds the Discord settings. The zero value of every optional field
// means its default.
type Config struct {
	// Token is the bot token from the Developer Portal (Bot → Reset Token),
	// without the "Bot " prefix. It is required and never logged.
	Token string
	// GuildID, when set, registers the slash commands to this one server
	// (guild), where changes show at once; otherwise they are registered
	// globally for every server and direct message.
	GuildID string
	// APIURL is the scheme and host of a REST proxy, such as
	// http://127.0.0.1:8080, that serves the same /api/v9/... paths as
	// https://discord.com. The gateway is the one its /gateway answer names.
	// Empty means Discord itself.
	APIURL string
	// RateEvery and RateBurst limit each user to RateBurst questions at once,
	// then one every RateEvery. Zero means DefaultRateEvery and
	// DefaultRateBurst.
	RateEvery time.Duration
	RateBurst int
	// Moderation is the knowledge base moderators change with the /kb commands;
	// nil turns moderation off and leaves /kb unregistered. The knowledge
	// service must follow it (Service.Follow) for changes to be answered.
	Moderation *knowledge.Moderation
	// Logins issues moderators their login links to the web console with
	// /kb web; nil when the console is off.
	Logins *knowledge.Logins
	// ModeratorRoles are the ids of the roles whose members may moderate,
	// besides members with the Manage Server permission in the GuildID
	// server.
	ModeratorRoles []string
	// Metrics, when not nil, counts rate-limited questions and errors
	// talking to Discord.
	Metrics Metrics

	// PublicKey is the application's public key from the Developer Portal
	// (DISCORD_PUBLIC_KEY, 64 hex digits). When set, the bot serves
	// Discord's HTTP interactions endpoint on InteractionsListen: slash
	// commands, autocomplete, buttons and forms arrive there, each checked
	// against this key, and are answered in the HTTP response.
	PublicKey ed25519.PublicKey
	// InteractionsListen is the address the interactions endpoint listens
	// on (DISCORD_INTERACTIONS_LISTEN), default ":8083". It speaks plain
	// HTTP at the path /interactions: TLS ends at the load balancer.
	InteractionsListen string
	// NoGateway leaves the gateway closed (DISCORD_GATEWAY=off), for a bot
	// that receives only interactions, by the endpoint: it then answers no
	// mentions and no direct messages. It needs PublicKey.
	NoGateway bool
	// Shards is how many gateway shards the bot opens (DISCORD_SHARDS),
	// default 1; Discord asks for one per 2,500 servers. Across replicas
	// each shard is held by one replica at a time, under a lease.
	Shards int
	// Replica shares the gateway shards with the bot's other replicas,
	// one lease per shard. The zero value is a single process.
	Replica knowledge.Replica
}

// Metrics counts what happens on a platform, for monitoring. Its methods
// must be safe for concurrent use.
type Metrics interface {
	// RateLimited counts a question refused because its asker went over
	// the rate limit, or the bot was busy (knowledge.ErrBusy).
	RateLimited(platform string)
	// AdapterError counts a failed call to the platform, a dropped
	// connection or a failed handler.
	AdapterError(adapter string)
}

// Defaults of the per-user rate limit.
const (
	DefaultRateEvery = 10 * time.Second
	DefaultRateBurst = 5
)

// Environment variables read by ConfigFromEnv.
const (
	EnvToken     = "DISCORD_TOKEN"
	EnvGuildID   = "DISCORD_GUILD_ID"
	EnvAPIURL    = "DISCORD_API_URL"
	EnvRateEvery = "DISCORD_RATE_EVERY"
	EnvRateBurst = "DISCORD_RATE_BURST"
	// EnvModeratorRoles holds comma-separated role ids.
	EnvModeratorRoles   = "DISCORD_MODERATOR_ROLES"
	EnvPublicKey        = "DISCORD_PUBLIC_KEY"
	EnvInteractionsAddr = "DISCORD_INTERACTIONS_LISTEN"
	EnvGateway          = "DISCORD_GATEWAY"
	EnvShards           = "DISCORD_SHARDS"
)

// DefaultInteractionsListen is where the interactions endpoint listens
// unless told otherwise: off the Telegram webhook's :8080, the health
// listener's 127.0.0.1:8081 and the web console's usual 8082.
const DefaultInteractionsListen = ":8083"

// EnvNames returns every environment variable ConfigFromEnv reads.
func EnvNames() []string {
	return []string{EnvToken, EnvGuildID, EnvAPIURL, EnvRateEvery, EnvRateBurst, EnvModeratorRoles,
		EnvPublicKey, EnvInteractionsAddr, EnvGateway, EnvShards}
}

// ConfigFromEnv reads the Discord settings through getenv (os.Getenv in
// production). The adapter is enabled when DISCORD_TOKEN is set. The error
// joins every problem found (errors.Join), each one line that names its
// variable and never contains the token.
func ConfigFromEnv(getenv func(string) string) (cfg Config, enabled bool, err error) {
	cfg = Config{
		Token:   strings.TrimSpace(getenv(EnvToken)),
		GuildID: strings.TrimSpace(getenv(EnvGuildID)),
		APIURL:  strings.TrimSpace(getenv(EnvAPIURL)),
	}
	if cfg.Token == "" {
		return Config{}, false, nil
	}
	var errs []error
	if s := strings.TrimSpace(getenv(EnvRateEvery)); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("%s must be a positive duration such as 10s, got %q", EnvRateEvery, s))
		}
		cfg.RateEvery = max(d, 0)
	}
	if s := strings.TrimSpace(getenv(EnvRateBurst)); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			errs = append(errs, fmt.Errorf("%s must be a positive whole number, got %q", EnvRateBurst, s))
		}
		cfg.RateBurst = max(n, 0)
	}
	if s := strings.TrimSpace(getenv(EnvPublicKey)); s != "" {
		key, err := hex.DecodeString(s)
		if err != nil || len(key) != ed25519.PublicKeySize {
			errs = append(errs, fmt.Errorf("%s must be the application's public key as the Developer Portal shows it: %d hex digits", EnvPublicKey, 2*ed25519.PublicKeySize))
		} else {
			cfg.PublicKey = key
		}
	}
	cfg.InteractionsListen = strings.TrimSpace(getenv(EnvInteractionsAddr))
	switch s := strings.TrimSpace(getenv(EnvGateway)); s {
	case "", "on":
	case "off":
		cfg.NoGateway = true
	default:
		errs = append(errs, fmt.Errorf("%s must be on or off, got %q", EnvGateway, s))
	}
	if s := strings.TrimSpace(getenv(EnvShards)); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			errs = append(errs, fmt.Errorf("%s must be a positive whole number, got %q", EnvShards, s))
		}
		cfg.Shards = max(n, 0)
	}
	for _, r := range strings.Split(getenv(EnvModeratorRoles), ",") {
		if r = strings.TrimSpace(r); r != "" {
			cfg.ModeratorRoles = append(cfg.ModeratorRoles, r)
		}
	}
	if err := errors.Join(append(errs, cfg.validate())...); err != nil {
		return Config{}, true, err
	}
	return cfg, true, nil
}

// validate checks cfg and fills in defaults. Its error joins every problem.
func (cfg *Config) validate() error {
	var errs []error
	cfg.Token = strings.TrimPrefix(cfg.Token, "Bot ")
	if cfg.Token == "" {
		errs = append(errs, errors.New(EnvToken+" is empty"))
	}
	if strings.ContainsFunc(cfg.Token, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		errs = append(errs, errors.New(EnvToken+" contains spaces or control characters; paste the token exactly as the Developer Portal shows it"))
	}
	if cfg.GuildID != "" && !isSnowflake(cfg.GuildID) {
		errs = append(errs, fmt.Errorf("%s must be a server id (a number such as 123456789012345678), got %q", EnvGuildID, cfg.GuildID))
	}
	for _, r := range cfg.ModeratorRoles {
		if !isSnowflake(r) {
			errs = append(errs, fmt.Errorf("%s must be role ids (numbers such as 123456789012345678) separated by commas, got %q", EnvModeratorRoles, r))
			break
		}
	}
	if cfg.APIURL != "" {
		u, err := url.Parse(cfg.APIURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			(u.Path != "" && u.Path != "/") || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			errs = append(errs, fmt.Errorf("%s must be a scheme and host such as http://127.0.0.1:8080, got %q", EnvAPIURL, cfg.APIURL))
		} else {
			cfg.APIURL = u.Scheme + "://" + u.Host
		}
	}
	if cfg.RateEvery < 0 || cfg.RateBurst < 0 {
		errs = append(errs, errors.New("the Discord rate limit must not be negative"))
	}
	if cfg.PublicKey != nil && len(cfg.PublicKey) != ed25519.PublicKeySize {
		errs = append(errs, fmt.Errorf("%s must be %d bytes", EnvPublicKey, ed25519.PublicKeySize))
	}
	if cfg.PublicKey == nil && cfg.InteractionsListen != "" {
		errs = append(errs, fmt.Errorf("%s is set but %s is not", EnvInteractionsAddr, EnvPublicKey))
	}
	if cfg.PublicKey != nil && cfg.InteractionsListen == "" {
		cfg.InteractionsListen = DefaultInteractionsListen
	}
	if cfg.InteractionsListen != "" {
		if _, _, err := net.SplitHostPort(cfg.InteractionsListen); err != nil {
			errs = append(errs, fmt.Errorf("%s is not a listen address such as :8083", EnvInteractionsAddr))
		}
	}
	if cfg.NoGateway && cfg.PublicKey == nil {
		errs = append(errs, fmt.Errorf("%s=off needs %s: without the gateway, interactions come only by the endpoint", EnvGateway, EnvPublicKey))
	}
	if cfg.Shards < 0 {
		errs = append(errs, errors.New("the number of Discord shards must not be negative"))
	}
	if cfg.Shards == 0 {
		cfg.Shards = 1
	}
	if cfg.RateEvery == 0 {
		cfg.RateEvery = DefaultRateEvery
	}
	if cfg.RateBurst == 0 {
		cfg.RateBurst = DefaultRateBurst
	}
	return errors.Join(errs...)
}

// isSnowflake reports whether s looks like a Discord id: a 64-bit unsigned
// decimal number.
func isSnowflake(s string) bool {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return false
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}
