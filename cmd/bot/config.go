package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smpbot/bot/adapters/discord"
	"github.com/smpbot/bot/adapters/jetstream"
	"github.com/smpbot/bot/adapters/telegram"
	"github.com/smpbot/bot/adapters/web"
	"github.com/smpbot/bot/index/spell"
	"github.com/smpbot/bot/knowledge"
)

// Environment variables of `bot run`; the adapters read their own
// (DISCORD_*, TELEGRAM_*).
const (
	envKBDir     = "BOT_KB_DIR"
	envDataDir   = "BOT_DATA_DIR"
	envHTTPAddr  = "BOT_HTTP_ADDR"
	envLogFormat = "BOT_LOG_FORMAT"
	envLogLevel  = "BOT_LOG_LEVEL"
	// envGlobalRate and envMaxConcurrent set the bot's capacity, across
	// every platform and user.
	envGlobalRate    = "BOT_GLOBAL_RATE"
	envMaxConcurrent = "BOT_MAX_CONCURRENT"
	// envExitOnFailure makes a platform that fails for good end the
	// process, for supervisors that restart it.
	envExitOnFailure = "BOT_EXIT_ON_FAILURE"
	// envLeaseTTL is how long a replica's leases last unless renewed.
	envLeaseTTL = "BOT_LEASE_TTL"
	// envKeepEvents is how many days closed gaps and feedback are kept in
	// a data directory.
	envKeepEvents = "BOT_KEEP_EVENTS_DAYS"
)

// envPrefixes begin the names of the variables of `bot run` and its
// adapters; another variable named so is likely a misspelling of one.
var envPrefixes = []string{"BOT_", "DISCORD_", "TELEGRAM_"}

// envNames returns every environment variable `bot run` reads: its own and
// the adapters'.
func envNames() []string {
	own := []string{envKBDir, envDataDir, envHTTPAddr, envLogFormat, envLogLevel, envGlobalRate, envMaxConcurrent, envExitOnFailure, envLeaseTTL, envKeepEvents}
	return slices.Concat(own, discord.EnvNames(), telegram.EnvNames(), web.EnvNames(), jetstream.EnvNames())
}

// Default capacity: well within what Telegram lets a bot send (30 messages
// a second) and what two cores answer.
const (
	defaultGlobalRate    = 20
	defaultMaxConcurrent = 16
)

// The days closed gaps and feedback are kept by default, and at most: a
// hundred years is for ever to anyone, and keeps the duration in range.
const (
	defaultKeepEventsDays = int(knowledge.DefaultEventRetention / (24 * time.Hour))
	maxKeepEventsDays     = 36500
)

// defaultHTTPAddr is where health and metrics are served when a platform
// is configured. It stays on loopback, and off the Telegram webhook's
// default :8080.
const defaultHTTPAddr = "127.0.0.1:8081"

// config is the configuration of `bot run`, from the environment and flags.
type config struct {
	kbDir   string
	dataDir string
	// httpAddr is where health and metrics are served; empty means off.
	httpAddr  string
	logFormat string
	logLevel  slog.Level
	// capacity bounds the questions the platforms' users get answered.
	capacity knowledge.Capacity
	// exitOnFailure ends the process when a platform fails for good;
	// otherwise the others keep running.
	exitOnFailure bool
	// leaseTTL is how long this replica's leases last unless renewed.
	leaseTTL time.Duration
	// keepEvents is how long closed gaps and feedback are kept in the data
	// directory; 0 keeps them for ever.
	keepEvents time.Duration
	discord    *discord.Config  // nil when not configured
	telegram   *telegram.Config // nil when not configured
	web        *web.Config      // nil when not configured
	// nats is the shared knowledge base on NATS JetStream, instead of a
	// data directory; nil when not configured.
	nats *jetstream.Config
	// console is set when no platform is configured and the bot chats on
	// the console instead.
	console bool
	// secrets are the values that must never be logged.
	secrets []string
}

// configError lists every problem found in the configuration, one per line.
type configError struct{ problems []string }

func (e *configError) Error() string { return strings.Join(e.problems, "\n") }

// setting is one option that a flag or an environment variable sets; the
// flag wins.
type setting struct {
	flag, env string
	value     *string
}

// source names where a setting came from, for messages.
func (s setting) source(set map[string]bool) string {
	if set[s.flag] {
		return "--" + s.flag
	}
	return s.env
}

// loadConfig reads the configuration of `bot run` from args and the
// environment and validates all of it, returning a *configError that lists
// every problem, or flag.ErrHelp or errUsage for the command line itself.
// With no platform configured, console chooses the console over an error.
func loadConfig(e env, args []string, console bool) (config, error) {
	flags := newFlags(e, "run", `bot [run] [flags]

Runs every platform configured in the environment (DISCORD_TOKEN,
TELEGRAM_TOKEN), with health and metrics over HTTP. With none, "bot run" is
an error, and bare "bot" chats on the console when standard input is a
terminal, a non-empty file or a pipe that brings something. Each flag overrides the environment variable named with
it; tokens are read only from the environment. See the README for every
setting.`)
	var cfg config
	kbDir := setting{"kb", envKBDir, flags.String("kb", "", "knowledge-base `directory` (default: the embedded one); "+envKBDir)}
	dataDir := setting{"data", envDataDir, flags.String("data", "", "data `directory`: the knowledge base moderators edit, with its history (default: the embedded knowledge base, read-only); "+envDataDir)}
	httpAddr := setting{"http-addr", envHTTPAddr, flags.String("http-addr", "", "`address` of /healthz, /readyz and /metrics, or off (default "+defaultHTTPAddr+" with a platform, off on the console); "+envHTTPAddr)}
	logFormat := setting{"log-format", envLogFormat, flags.String("log-format", "", "log `format`: text or json (default text); "+envLogFormat)}
	logLevel := setting{"log-level", envLogLevel, flags.String("log-level", "", "log `level`: debug, info, warn or error (default info; warn on the console); "+envLogLevel)}
	globalRate := setting{"global-rate", envGlobalRate, flags.String("global-rate", "", "`number` of questions a second answered across every platform and user, after a burst of as many; 0 for no limit (default "+strconv.Itoa(defaultGlobalRate)+"); "+envGlobalRate)}
	maxConcurrent := setting{"max-concurrent", envMaxConcurrent, flags.String("max-concurrent", "", "`number` of questions answered at once; 0 for no limit (default "+strconv.Itoa(defaultMaxConcurrent)+"); "+envMaxConcurrent)}
	exitOnFailure := setting{"exit-on-failure", envExitOnFailure, flags.String("exit-on-failure", "", "`true|false`: exit when a platform fails for good, such as on a revoked token (default false: the others keep running); "+envExitOnFailure)}
	leaseTTL := setting{"lease-ttl", envLeaseTTL, flags.String("lease-ttl", "", "`duration` of a replica's leases (Telegram polling, Discord gateway shards) unless renewed, and before a stopped replica's updates are taken over (default "+knowledge.DefaultLeaseTTL.String()+"); "+envLeaseTTL)}
	keepEvents := setting{"keep-events-days", envKeepEvents, flags.String("keep-events-days", "", "`days` closed gaps and feedback are kept in the data directory; 0 keeps them for ever (default "+strconv.Itoa(defaultKeepEventsDays)+"); "+envKeepEvents)}
	if err := parse(flags, args); err != nil {
		return cfg, err
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(e.stderr, "bot run: unexpected argument %q\n", flags.Arg(0))
		return cfg, errUsage
	}
	set := map[string]bool{}
	flags.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, s := range []setting{kbDir, dataDir, httpAddr, logFormat, logLevel, globalRate, maxConcurrent, exitOnFailure, leaseTTL, keepEvents} {
		if !set[s.flag] {
			*s.value = strings.TrimSpace(e.getenv(s.env))
		}
	}
	cfg.kbDir, cfg.dataDir, cfg.logFormat = *kbDir.value, *dataDir.value, *logFormat.value

	var problems []string
	bad := func(s setting, format string, args ...any) {
		problems = append(problems, s.source(set)+": "+fmt.Sprintf(format, args...))
	}
	if err := oneKB(cfg.kbDir, cfg.dataDir); err != nil {
		problems = append(problems, err.Error())
	}
	cfg.secrets = secrets(e.getenv)
	if nc, ok, err := natsConfig(e.getenv, cfg.kbDir, cfg.dataDir); err != nil {
		problems = append(problems, strings.Split(err.Error(), "\n")...)
	} else if ok {
		cfg.nats = &nc
	}

	// An adapter's error may join several problems, one a line.
	if dc, ok, err := discord.ConfigFromEnv(e.getenv); err != nil {
		problems = append(problems, strings.Split(err.Error(), "\n")...)
	} else if ok {
		cfg.discord = &dc
	}
	if tc, ok, err := telegram.ConfigFromEnv(e.getenv); err != nil {
		problems = append(problems, strings.Split(err.Error(), "\n")...)
	} else if ok {
		cfg.telegram = &tc
	}

	if wc, ok, err := web.ConfigFromEnv(e.getenv); err != nil {
		problems = append(problems, strings.Split(err.Error(), "\n")...)
	} else if ok {
		cfg.web = &wc
		if cfg.dataDir == "" && cfg.nats == nil {
			problems = append(problems, web.EnvAddr+" is set but neither "+envDataDir+" nor "+jetstream.EnvURL+" is: the web console changes the knowledge base in a data directory or on NATS")
		}
	}

	if cfg.discord == nil && cfg.telegram == nil && cfg.web == nil {
		if !console {
			problems = append(problems, "no platform configured: set "+discord.EnvToken+" or "+telegram.EnvToken+" (or chat on the console with bot chat)")
		}
		cfg.console = console
	}

	switch cfg.logFormat {
	case "":
		cfg.logFormat = "text"
	case "text", "json":
	default:
		bad(logFormat, "unknown log format %q (want text or json)", cfg.logFormat)
	}
	if level := *logLevel.value; level != "" {
		if err := cfg.logLevel.UnmarshalText([]byte(level)); err != nil {
			bad(logLevel, "unknown log level %q (want debug, info, warn or error)", level)
		}
	} else if cfg.console {
		cfg.logLevel = slog.LevelWarn // only what the person at the console must know
	}
	switch addr := *httpAddr.value; {
	case addr == "off":
	case addr == "" && (cfg.discord != nil || cfg.telegram != nil || cfg.web != nil):
		cfg.httpAddr = defaultHTTPAddr
	case addr == "":
	default:
		if err := checkAddr(addr); err != nil {
			bad(httpAddr, "%v", err)
		}
		cfg.httpAddr = addr
	}
	if cfg.httpAddr != "" && cfg.telegram != nil && samePort(cfg.httpAddr, cfg.telegram.WebhookListen) {
		bad(httpAddr, "%s uses the port of the Telegram webhook (%s)", cfg.httpAddr, cfg.telegram.WebhookListen)
	}
	if cfg.httpAddr != "" && cfg.web != nil && samePort(cfg.httpAddr, cfg.web.Addr) {
		bad(httpAddr, "%s uses the port of the web console (%s)", cfg.httpAddr, cfg.web.Addr)
	}
	cfg.capacity = knowledge.Capacity{Rate: defaultGlobalRate, Burst: defaultGlobalRate, Concurrent: defaultMaxConcurrent}
	if v := *globalRate.value; v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || r < 0 || math.IsInf(r, 0) || math.IsNaN(r) {
			bad(globalRate, "%q is not a number of questions a second, such as %d (or 0 for no limit)", v, defaultGlobalRate)
		}
		cfg.capacity.Rate, cfg.capacity.Burst = r, int(math.Ceil(r))
	}
	if v := *maxConcurrent.value; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			bad(maxConcurrent, "%q is not a number of questions, such as %d (or 0 for no limit)", v, defaultMaxConcurrent)
		}
		cfg.capacity.Concurrent = n
	}
	if v := *exitOnFailure.value; v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad(exitOnFailure, "%q is not true or false", v)
		}
		cfg.exitOnFailure = b
	}
	cfg.leaseTTL = knowledge.DefaultLeaseTTL
	if v := *leaseTTL.value; v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			bad(leaseTTL, "%q is not a duration of a second or more, such as 15s", v)
		}
		cfg.leaseTTL = d
	}
	if cfg.discord != nil && cfg.discord.InteractionsListen != "" {
		if cfg.httpAddr != "" && samePort(cfg.httpAddr, cfg.discord.InteractionsListen) {
			bad(httpAddr, "%s uses the port of the Discord interactions endpoint (%s)", cfg.httpAddr, cfg.discord.InteractionsListen)
		}
		if cfg.telegram != nil && samePort(cfg.telegram.WebhookListen, cfg.discord.InteractionsListen) {
			problems = append(problems, fmt.Sprintf("the Telegram webhook (%s) and the Discord interactions endpoint (%s) use one port", cfg.telegram.WebhookListen, cfg.discord.InteractionsListen))
		}
	}
	cfg.keepEvents = knowledge.DefaultEventRetention
	if v := *keepEvents.value; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > maxKeepEventsDays {
			bad(keepEvents, "%q is not a number of days from 0 to %d, such as %d (or 0 to keep them for ever)", v, maxKeepEventsDays, defaultKeepEventsDays)
		}
		cfg.keepEvents = time.Duration(n) * 24 * time.Hour
	}
	if cfg.kbDir != "" {
		if err := checkDir(cfg.kbDir); err != nil {
			bad(kbDir, "%v", err)
		}
	}
	if cfg.dataDir != "" {
		if err := checkWritable(cfg.dataDir); err != nil {
			bad(dataDir, "%v", err)
		}
	}
	if len(problems) > 0 {
		return cfg, &configError{problems: problems}
	}
	return cfg, nil
}

// secrets returns the values in the environment that must never be logged:
// the platform tokens and the webhook secret, as given and trimmed, and the
// passwords or tokens in the NATS servers' addresses.
func secrets(getenv func(string) string) []string {
	var out []string
	for _, name := range []string{discord.EnvToken, "TELEGRAM_TOKEN", "TELEGRAM_WEBHOOK_SECRET"} {
		v := getenv(name)
		out = append(out, v, strings.TrimSpace(v), strings.TrimPrefix(strings.TrimSpace(v), "Bot "))
	}
	return append(out, natsSecrets(getenv(jetstream.EnvURL))...)
}

// unknownEnv returns a warning for each variable in environ (NAME=value
// pairs, as os.Environ gives them) named with one of envPrefixes that `bot
// run` does not read, suggesting the name it probably meant. The warnings
// name the variables only: their values may be secrets.
func unknownEnv(environ []string) []string {
	known := envNames()
	var warnings []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if slices.Contains(known, name) || !slices.ContainsFunc(envPrefixes, func(p string) bool { return strings.HasPrefix(name, p) }) {
			continue
		}
		w := "unknown environment variable " + name
		if meant := closest(name, known); meant != "" {
			w += " (did you mean " + meant + "?)"
		}
		warnings = append(warnings, w)
	}
	return warnings
}

// closest returns the name in known that name is equal to but for case and
// underscores, or else the nearest one within two edits; "" if there is
// none.
func closest(name string, known []string) string {
	fold := func(s string) string { return strings.ToUpper(strings.ReplaceAll(s, "_", "")) }
	best, bestDist := "", 3
	for _, k := range known {
		d := spell.Distance([]rune(name), []rune(k), 2, nil)
		if fold(name) == fold(k) {
			d = 0
		}
		if d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// checkAddr accepts a TCP listen address such as 127.0.0.1:8081 or :8081.
func checkAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not an address such as %s (or off)", addr, defaultHTTPAddr)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("%q: port %q is not a number from 0 to 65535", addr, port)
	}
	if host != "" && net.ParseIP(host) == nil && host != "localhost" {
		return fmt.Errorf("%q: host %q is not an IP address or localhost", addr, host)
	}
	return nil
}

// samePort reports whether two listen addresses use the same TCP port.
func samePort(a, b string) bool {
	_, pa, errA := net.SplitHostPort(a)
	_, pb, errB := net.SplitHostPort(b)
	return errA == nil && errB == nil && pa == pb && pa != "0"
}

// checkDir makes sure dir is a directory.
func checkDir(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	return nil
}

// checkWritable makes sure the bot can write in dir, creating it if needed.
func checkWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("cannot create the data directory: %w", err)
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		if pe, ok := errors.AsType[*os.PathError](err); ok {
			err = pe.Err // the reason, without the probe's random name
		}
		return fmt.Errorf("data directory %s is not writable: %w", dir, err)
	}
	name := f.Name()
	return errors.Join(f.Close(), os.Remove(name))
}
