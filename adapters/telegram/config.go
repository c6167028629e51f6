package telegram

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smpbot/bot/knowledge"
)

// DefaultAPIURL is the official Bot API server.
const DefaultAPIURL = "https://api.telegram.org"

// Defaults of the optional Config fields.
const (
	DefaultPollTimeout       = 30 * time.Second
	DefaultWebhookListen     = ":8080"
	DefaultWorkers           = 8
	DefaultRateEvery         = 5 * time.Second
	DefaultRateBurst         = 5
	DefaultChatInterval      = time.Second
	DefaultGroupInterval     = 3 * time.Second
	DefaultSendRate          = 30
	DefaultChatQueue         = 8
	DefaultRequestTimeout    = 15 * time.Second
	DefaultModerationTimeout = 15 * time.Minute
)

// Config configures the Telegram adapter. Every field but Token is optional:
// a zero value means the default. The environment variable that sets a field
// in ConfigFromEnv is named in its comment; fields without one are for
// programs and tests.
type Config struct {
	// Token is the bot's token from BotFather (TELEGRAM_TOKEN), digits, a
	// colon and letters. It is a secret: it never appears in logs or errors.
	Token string
	// APIURL is the base URL of the Bot API server (TELEGRAM_API_URL), by
	// default DefaultAPIURL. Requests go to {APIURL}/bot{Token}/{method}.
	APIURL string
	// PollTimeout is how long one getUpdates long poll waits for news
	// (TELEGRAM_POLL_TIMEOUT), in whole seconds; default 30s.
	PollTimeout time.Duration

	// WebhookURL switches from long polling to a webhook
	// (TELEGRAM_WEBHOOK_URL): it is the public URL Telegram posts updates
	// to, and its path is the path the webhook server answers on.
	WebhookURL string
	// WebhookListen is the address the webhook server listens on
	// (TELEGRAM_WEBHOOK_LISTEN), default ":8080". It speaks plain HTTP: TLS
	// ends at the load balancer or proxy in front of it.
	WebhookListen string
	// WebhookSecret is given to Telegram with setWebhook, and every webhook
	// request must carry it in the X-Telegram-Bot-Api-Secret-Token header
	// (TELEGRAM_WEBHOOK_SECRET). Required with WebhookURL: 1 to 256 of
	// A-Z, a-z, 0-9, _ and -.
	WebhookSecret string

	// Workers bounds how many updates are handled at once, default 8. It is
	// also the webhook's max_connections.
	Workers int
	// RateEvery and RateBurst are the per-user rate limit: RateBurst questions
	// at once, then one every RateEvery (defaults 5 and 5s).
	RateEvery time.Duration
	RateBurst int
	// ChatInterval and GroupInterval pace the bot's messages to one private
	// chat and to one group (defaults 1s and 3s, after a burst of three),
	// following Telegram's limits. Messages wait for their turn; none are
	// dropped.
	ChatInterval  time.Duration
	GroupInterval time.Duration
	// ChatQueue is how many updates of one chat may wait to be handled
	// (default 8: about 15s of a group's pace). Past it the chat is told
	// once a minute that the bot is busy, and the rest are dropped.
	ChatQueue int
	// SendRate is how many messages a second the bot sends across all
	// chats, after a burst of as many (default 30, Telegram's limit).
	SendRate int
	// RequestTimeout is how long a Bot API request may take before it is
	// given up and retried, beyond the wait of a long poll (default 15s).
	RequestTimeout time.Duration

	// Moderation is the knowledge base moderators change with /kb; nil turns
	// moderation off.
	Moderation *knowledge.Moderation
	// Logins issues moderators their login links to the web console with
	// /kb web; nil when the console is off.
	Logins *knowledge.Logins
	// Moderators are the Telegram user ids allowed to use /kb
	// (TELEGRAM_MODERATORS, comma-separated). The /kb command is shown in
	// their private chats with the bot only, and checked on every use.
	Moderators []int64
	// ModerationTimeout is how long a /kb conversation or button waits for
	// the moderator's next step before it lapses (default 15m).
	ModerationTimeout time.Duration

	// Metrics, when set, counts rate-limited questions and failed Bot API
	// requests.
	Metrics Metrics

	// Replica shares the bot with its other replicas: each update is
	// handled once across them (its update_id is claimed before it is
	// acknowledged), and with long polling only the replica holding the
	// poll lease polls. The zero value is a single process.
	Replica knowledge.Replica
}

// Metrics counts what happens in the adapter. Implementations must be safe
// for concurrent use.
type Metrics interface {
	// RateLimited counts a question refused on platform because its asker
	// went over the rate limit, or the bot was busy (knowledge.ErrBusy).
	RateLimited(platform string)
	// AdapterError counts a failed request to the chat platform.
	AdapterError(adapter string)
}

// Environment variables read by ConfigFromEnv.
const (
	EnvToken         = "TELEGRAM_TOKEN"
	envAPIURL        = "TELEGRAM_API_URL"
	envPollTimeout   = "TELEGRAM_POLL_TIMEOUT"
	envWebhookURL    = "TELEGRAM_WEBHOOK_URL"
	envWebhookListen = "TELEGRAM_WEBHOOK_LISTEN"
	envWebhookSecret = "TELEGRAM_WEBHOOK_SECRET"
	envModerators    = "TELEGRAM_MODERATORS"
)

// EnvNames returns every environment variable ConfigFromEnv reads.
func EnvNames() []string {
	return []string{EnvToken, envAPIURL, envPollTimeout, envWebhookURL, envWebhookListen, envWebhookSecret, envModerators}
}

// ConfigFromEnv reads the adapter's configuration from the environment
// through getenv. The adapter is enabled when TELEGRAM_TOKEN is set. A
// setting that is invalid, or set without the token, is an error. The error
// joins every problem found (errors.Join), each one line that names its
// variable and never contains the token or the secret.
func ConfigFromEnv(getenv func(string) string) (cfg Config, enabled bool, err error) {
	cfg = Config{
		Token:         getenv(EnvToken),
		APIURL:        getenv(envAPIURL),
		WebhookURL:    getenv(envWebhookURL),
		WebhookListen: getenv(envWebhookListen),
		WebhookSecret: getenv(envWebhookSecret),
	}
	var errs []error
	if cfg.Token == "" {
		for _, name := range []string{envAPIURL, envPollTimeout, envWebhookURL, envWebhookListen, envWebhookSecret, envModerators} {
			if getenv(name) != "" {
				errs = append(errs, fmt.Errorf("%s is set but %s is not", name, EnvToken))
			}
		}
		return Config{}, false, errors.Join(errs...)
	}
	if s := getenv(envPollTimeout); s != "" {
		d, err := time.ParseDuration(s)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s is not a duration such as 30s", envPollTimeout))
		case d == 0:
			errs = append(errs, errPollTimeout) // else withDefaults would take it for unset
		default:
			cfg.PollTimeout = d
		}
	}
	if cfg.WebhookURL == "" && cfg.WebhookListen != "" {
		errs = append(errs, fmt.Errorf("%s is set but %s is not", envWebhookListen, envWebhookURL))
	}
	if cfg.Moderators, err = parseModerators(getenv(envModerators)); err != nil {
		errs = append(errs, err)
	}
	cfg = cfg.withDefaults()
	if err := errors.Join(append(errs, cfg.check())...); err != nil {
		return Config{}, true, err
	}
	return cfg, true, nil
}

// withDefaults fills in the zero fields.
func (c Config) withDefaults() Config {
	c.APIURL = strings.TrimRight(cmp.Or(c.APIURL, DefaultAPIURL), "/")
	c.PollTimeout = cmp.Or(c.PollTimeout, DefaultPollTimeout)
	if c.WebhookURL != "" {
		c.WebhookListen = cmp.Or(c.WebhookListen, DefaultWebhookListen)
	}
	c.Workers = cmp.Or(c.Workers, DefaultWorkers)
	c.RateEvery = cmp.Or(c.RateEvery, DefaultRateEvery)
	c.RateBurst = cmp.Or(c.RateBurst, DefaultRateBurst)
	c.ChatInterval = cmp.Or(c.ChatInterval, DefaultChatInterval)
	c.GroupInterval = cmp.Or(c.GroupInterval, DefaultGroupInterval)
	c.SendRate = cmp.Or(c.SendRate, DefaultSendRate)
	c.ChatQueue = cmp.Or(c.ChatQueue, DefaultChatQueue)
	c.RequestTimeout = cmp.Or(c.RequestTimeout, DefaultRequestTimeout)
	c.ModerationTimeout = cmp.Or(c.ModerationTimeout, DefaultModerationTimeout)
	return c
}

// errPollTimeout is a poll timeout out of the range Telegram accepts.
var errPollTimeout = fmt.Errorf("%s must be whole seconds between 1s and 10m", envPollTimeout)

var (
	tokenPattern  = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)
	secretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

// check validates a configuration with its defaults filled in. Its error
// joins every problem; each names the environment variable of its field and
// never quotes the token or the secret.
func (c Config) check() error {
	var errs []error
	if !tokenPattern.MatchString(c.Token) {
		errs = append(errs, fmt.Errorf("%s is not a bot token: want digits, a colon and letters, as BotFather gives it", EnvToken))
	}
	if err := checkURL(c.APIURL); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", envAPIURL, err))
	}
	if c.PollTimeout < time.Second || c.PollTimeout > 10*time.Minute || c.PollTimeout%time.Second != 0 {
		errs = append(errs, errPollTimeout)
	}
	if c.WebhookURL == "" {
		if c.WebhookSecret != "" {
			errs = append(errs, fmt.Errorf("%s is set but %s is not", envWebhookSecret, envWebhookURL))
		}
	} else {
		if err := checkURL(c.WebhookURL); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", envWebhookURL, err))
		} else if !strings.HasPrefix(c.WebhookURL, "https://") {
			errs = append(errs, fmt.Errorf("%s must be an https URL: Telegram sends updates to nothing else", envWebhookURL))
		}
		if c.WebhookSecret == "" {
			errs = append(errs, fmt.Errorf("%s is required with %s", envWebhookSecret, envWebhookURL))
		} else if !secretPattern.MatchString(c.WebhookSecret) {
			errs = append(errs, fmt.Errorf("%s must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -", envWebhookSecret))
		}
		if _, _, err := net.SplitHostPort(c.WebhookListen); err != nil {
			errs = append(errs, fmt.Errorf("%s is not a listen address such as :8080", envWebhookListen))
		}
	}
	if c.Workers < 1 || c.RateBurst < 1 || c.RateEvery < 0 || c.ChatInterval < 0 || c.GroupInterval < 0 ||
		c.SendRate < 1 || c.ChatQueue < 1 || c.RequestTimeout < 0 || c.ModerationTimeout < 0 {
		errs = append(errs, errors.New("workers, rate limits, send intervals and timeouts must be positive"))
	}
	for _, id := range c.Moderators {
		if id <= 0 {
			errs = append(errs, fmt.Errorf("%s: %d is not a user id", envModerators, id))
			break
		}
	}
	return errors.Join(errs...)
}

// parseModerators reads a comma-separated list of user ids.
func parseModerators(s string) ([]int64, error) {
	var ids []int64
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("%s: %q is not a user id: want positive numbers separated by commas, such as 123456789,987654321", envModerators, f)
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// checkURL accepts an absolute http or https URL without query or fragment.
// It does not quote the URL, which may hold credentials.
func checkURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return errors.New("not a URL")
	case u.Scheme != "http" && u.Scheme != "https", u.Host == "":
		return errors.New("want an absolute http or https URL")
	case u.RawQuery != "" || u.Fragment != "":
		return errors.New("must not have a query or fragment")
	}
	return nil
}
