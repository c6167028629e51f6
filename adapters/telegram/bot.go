package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/smpbot/bot/knowledge"
)

// Shutdown budget: once Run's context ends, updates already fetched get
// drainTimeout to be answered, then the offset is committed within
// commitTimeout, so Run returns well within five seconds.
const (
	drainTimeout  = 3 * time.Second
	commitTimeout = 1500 * time.Millisecond
)

// Retries of one request: sends give up after sendAttempts; getMe,
// getUpdates and webhook set-up retry until the context ends.
const (
	sendAttempts = 5
	untilDone    = 0
)

// Inline queries come as someone types "@bot …", one each time they pause,
// so they have a limit of their own, looser than questions': a burst of
// inlineBurst, then one every inlineEvery. It lets a person type at ease and
// keeps a script from taking the bot's capacity from everyone else.
const (
	inlineEvery = 250 * time.Millisecond
	inlineBurst = 8
)

// Bot is the Telegram adapter: it receives updates by long polling or a
// webhook, answers them from a knowledge.Service and sends the replies.
// Whether an update is answered is decided as it arrives (see accept);
// those that are wait in their chat's queue and are handled in order within
// each chat, concurrently across chats, up to Config.Workers at once not
// counting the time a reply waits for its chat's pace.
type Bot struct {
	cfg  Config
	svc  *knowledge.Service
	log  *slog.Logger
	base *tgbotapi.BotAPI // never used directly: see api
	http *http.Client

	asks    *knowledge.Admission // questions, commands and taps
	inline  *knowledge.Admission // inline queries
	lanes   *lanes
	pace    *throttle
	workers chan struct{} // one slot per update being handled
	retry   knowledge.Backoff
	web     serverLimits // of the webhook server

	mod *moderation // nil when moderation is off

	claimer *knowledge.Claimer // of the updates of this bot

	running atomic.Bool
	ready   atomic.Bool
	health  *health
	me      tgbotapi.User // set by Run before any update is handled
}

// Ready reports whether the bot is connected and receiving updates, or
// standing by while another replica polls: from the moment getMe succeeds
// (with a webhook: the webhook is set) until Run returns, but not after
// three failed polls in a row, nor when no poll has succeeded for a minute
// beyond the poll timeout while this replica polls. It is safe for
// concurrent use.
func (b *Bot) Ready() bool { return b.ready.Load() && b.health.ok() }

// New returns a bot for cfg answering from svc. It checks cfg but does not
// touch the network. A nil logger discards logs.
func New(cfg Config, svc *knowledge.Service, log *slog.Logger) (*Bot, error) {
	cfg = cfg.withDefaults()
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("telegram: %w", err)
	}
	if svc == nil {
		return nil, errors.New("telegram: no knowledge service")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// The library formats its endpoint with Sprintf: a literal % in the URL
	// must be doubled.
	base := &tgbotapi.BotAPI{Token: cfg.Token}
	base.SetAPIEndpoint(strings.ReplaceAll(cfg.APIURL, "%", "%%") + "/bot%s/%s")
	h := &health{now: time.Now}
	if cfg.WebhookURL == "" {
		h.staleAfter = cfg.PollTimeout + time.Minute
	}
	b := &Bot{
		health:  h,
		cfg:     cfg,
		svc:     svc,
		log:     log.With("adapter", "telegram"),
		base:    base,
		http:    &http.Client{Timeout: cfg.PollTimeout + cfg.RequestTimeout},
		asks:    knowledge.NewAdmission(cfg.RateEvery, cfg.RateBurst),
		inline:  knowledge.NewAdmission(inlineEvery, inlineBurst),
		pace:    newThrottle(cfg.ChatInterval, cfg.GroupInterval, cfg.SendRate),
		workers: make(chan struct{}, cfg.Workers),
		retry:   knowledge.Backoff{Min: time.Second, Max: 30 * time.Second},
		// Telegram opens at most max_connections (Workers, at most 100).
		web: serverLimits{read: 10 * time.Second, write: 10 * time.Second, idle: time.Minute, conns: 128},
		mod: newModeration(cfg, time.Now),
	}
	b.cfg.Replica = cfg.Replica.WithDefaults()
	b.claimer = b.cfg.Replica.Claimer(b.claimPrefix())
	b.claimer.Failed = func(err error) { b.log.Warn("replicas: the shared engine cannot be reached", "err", err) }
	b.lanes = newLanes(b.process, b.dropped)
	return b, nil
}

// rateLimited and adapterError count events in Config.Metrics, if set.
func (b *Bot) rateLimited() {
	if b.cfg.Metrics != nil {
		b.cfg.Metrics.RateLimited(platform)
	}
}

func (b *Bot) adapterError() {
	if b.cfg.Metrics != nil {
		b.cfg.Metrics.AdapterError(platform)
	}
}

// platform names the adapter in metrics and on the context of questions.
const platform = "telegram"

// Run connects to the Bot API (getMe, setMyCommands, then deleteWebhook for
// long polling or setWebhook for a webhook) and answers updates until ctx
// ends. While the Bot API cannot be reached it keeps retrying with backoff.
// After ctx ends, updates already queued get drainTimeout to be answered,
// and Run returns nil within five seconds; it returns an error only when
// Telegram refuses the bot (a revoked token, for one). Run may be called
// once.
func (b *Bot) Run(ctx context.Context) error {
	if !b.running.CompareAndSwap(false, true) {
		return errors.New("telegram: Run called twice")
	}
	defer b.http.CloseIdleConnections()
	defer b.ready.Store(false)
	err := b.call(ctx, "getMe", untilDone, func(api *tgbotapi.BotAPI) (err error) {
		b.me, err = api.GetMe()
		return err
	})
	if ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return fmt.Errorf("telegram: connect: %w", err)
	}
	b.log.InfoContext(ctx, "connected", "bot", b.me.UserName, "webhook", b.cfg.WebhookURL != "")
	b.registerCommands(ctx)

	// Handlers outlive ctx by drainTimeout, so that what was received is
	// answered rather than cut off.
	hctx, cancel := context.WithCancel(knowledge.WithPlatform(context.WithoutCancel(ctx), platform))
	defer cancel()
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(drainTimeout, cancel) })
	defer stop()

	// The liveness lease outlives the handlers, so that no other replica
	// takes over an update this one is still handling.
	cctx, stopClaims := context.WithCancel(context.WithoutCancel(ctx))
	claimed := make(chan error, 1)
	go func() { claimed <- b.claimer.Run(cctx, b.recovered(hctx)) }()

	if b.cfg.WebhookURL != "" {
		err = b.serveWebhook(ctx, hctx)
	} else {
		// Standing by for the poll lease is ready too: the replica that
		// holds it polls.
		b.ready.Store(true)
		err = b.cfg.Replica.Lease(b.pollLease()).Run(ctx, func(ctx context.Context) error { return b.poll(ctx, hctx) })
	}
	b.lanes.wait(context.Background()) // they end with hctx at the latest
	stopClaims()
	<-claimed
	if err != nil {
		return fmt.Errorf("telegram: %w", err)
	}
	return nil
}

// registerCommands tells Telegram which commands to suggest: the public
// ones to everyone, and /kb besides in each moderator's private chat (whose
// chat id is the moderator's user id). A failure is logged: Telegram refuses
// the chat of a moderator who has never opened a chat with the bot.
func (b *Bot) registerCommands(ctx context.Context) {
	configs := []tgbotapi.SetMyCommandsConfig{tgbotapi.NewSetMyCommands(botCommands()...)}
	if b.mod != nil {
		for _, id := range b.cfg.Moderators {
			configs = append(configs, tgbotapi.NewSetMyCommandsWithScope(tgbotapi.NewBotCommandScopeChat(id), append(botCommands(), kbCommand())...))
		}
	}
	for _, c := range configs {
		err := b.call(ctx, "setMyCommands", sendAttempts, func(api *tgbotapi.BotAPI) error {
			_, err := api.Request(c)
			return err
		})
		if err != nil && ctx.Err() == nil {
			b.log.WarnContext(ctx, "could not register commands", "scope", c.Scope, "err", err)
		}
	}
}

// allowedUpdates are the kinds of update the bot asks Telegram for.
func allowedUpdates() []string { return []string{"message", "callback_query", "inline_query"} }

// process runs one job of a chat's lane in a worker slot. A panic is
// logged, so that one bad update cannot stop the bot.
func (b *Bot) process(ctx context.Context, j job) {
	select {
	case b.workers <- struct{}{}:
	case <-ctx.Done():
		return
	}
	defer func() { <-b.workers }()
	defer func() {
		if r := recover(); r != nil {
			b.log.ErrorContext(ctx, "panic while handling an update", "panic", r)
		}
	}()
	j(ctx)
}

// dropped logs the jobs a chat's lane still held when the bot stopped:
// their updates were acknowledged when they arrived and are not answered.
func (b *Bot) dropped(ctx context.Context, n int) {
	b.log.WarnContext(ctx, "stopped with updates unanswered", "updates", n)
}
