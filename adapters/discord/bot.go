package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/smpbot/bot/knowledge"
)

const (
	// restTimeout bounds one REST call to Discord.
	restTimeout = 20 * time.Second
	// handlerTimeout bounds the handling of one event. Interaction tokens
	// stay valid for 15 minutes; a person waits far less.
	handlerTimeout = time.Minute
	// intents are the gateway events the bot needs. None is privileged:
	// Discord sends the content of DMs and of messages that mention the
	// bot without the MessageContent intent.
	intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
)

// Bot answers questions on Discord. Its event handlers run concurrently, each
// in its own goroutine.
type Bot struct {
	cfg     Config
	svc     *knowledge.Service
	log     *slog.Logger
	limiter *knowledge.Limiter
	session *discordgo.Session
	started atomic.Bool
	// registered is set while the slash commands are registered and Run
	// has not begun closing the session.
	registered atomic.Bool
}

// New returns a Bot answering from svc. It checks cfg but does not touch the
// network; Run connects. A nil logger discards the logs.
func New(cfg Config, svc *knowledge.Service, log *slog.Logger) (*Bot, error) {
	if svc == nil {
		return nil, errors.New("discord: no knowledge service")
	}
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("discord: new session: %w", err)
	}
	s.StateEnabled = false // the bot needs only its own user, which State keeps anyway
	s.Identify.Intents = intents
	s.Client = &http.Client{Timeout: restTimeout}
	if cfg.APIURL != "" {
		proxy, err := url.Parse(cfg.APIURL)
		if err != nil {
			return nil, fmt.Errorf("discord: %s: %w", EnvAPIURL, err)
		}
		discord, err := url.Parse(discordgo.EndpointDiscord)
		if err != nil {
			return nil, fmt.Errorf("discord: discordgo endpoint: %w", err)
		}
		s.Client.Transport = &rewriteTransport{from: discord.Host, to: proxy, next: http.DefaultTransport}
	}
	return &Bot{
		cfg:     cfg,
		svc:     svc,
		log:     log,
		limiter: knowledge.NewLimiter(cfg.RateEvery, cfg.RateBurst),
		session: s,
	}, nil
}

// Run connects to the Discord gateway, registers the slash commands and
// answers until ctx ends; then it closes the session and returns nil. It
// returns an error when it cannot connect or register the commands. Run may
// be called only once.
func (b *Bot) Run(ctx context.Context) error {
	if !b.started.CompareAndSwap(false, true) {
		return errors.New("discord: Run called more than once")
	}
	s := b.session
	// Gateway connections live until Run returns, not merely until ctx
	// ends, so that Close can still say goodbye on the open one.
	gateway, closeGateway := context.WithCancel(context.WithoutCancel(ctx))
	defer closeGateway()
	s.Dialer = gatewayDialer(gateway)
	s.AddHandler(func(s *discordgo.Session, m *discordgo.MessageCreate) {
		b.guard(ctx, "message", func(ctx context.Context) { b.onMessage(ctx, s, m.Message) })
	})
	s.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		b.guard(ctx, "interaction", func(ctx context.Context) { b.onInteraction(ctx, s, i.Interaction) })
	})

	opened := make(chan error, 1)
	go func() { opened <- s.Open() }()
	select {
	case err := <-opened:
		if err != nil {
			return fmt.Errorf("discord: connect to the gateway: %w", err)
		}
	case <-ctx.Done():
		closeGateway() // makes a pending Open fail at once
		if err := <-opened; err == nil {
			b.close(s)
		}
		return nil
	}

	user, appID := identity(s)
	scope := "global"
	if b.cfg.GuildID != "" {
		scope = "guild " + b.cfg.GuildID
	}
	if _, err := s.ApplicationCommandBulkOverwrite(appID, b.cfg.GuildID, commands(), discordgo.WithContext(ctx)); err != nil {
		b.close(s)
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("discord: register slash commands (%s): %w", scope, err)
	}
	b.registered.Store(true)
	b.log.InfoContext(ctx, "discord: connected", "user", user.Username, "user_id", user.ID, "commands", scope)

	<-ctx.Done()
	b.registered.Store(false)
	b.close(s)
	return nil
}

// Ready reports whether the bot is connected to the gateway with its slash
// commands registered, for a health check. It is false while discordgo
// reconnects, and may be false for a moment while the session is busy.
// It is safe for concurrent use.
func (b *Bot) Ready() bool {
	// Open and Close hold the session's lock for as long as they take, and
	// a health check must not wait for them.
	if !b.registered.Load() || !b.session.TryRLock() {
		return false
	}
	defer b.session.RUnlock()
	return b.session.DataReady
}

// close says goodbye to the gateway.
func (b *Bot) close(s *discordgo.Session) {
	if err := s.Close(); err != nil {
		b.log.Warn("discord: close session", "err", err)
		return
	}
	b.log.Info("discord: session closed")
}

// identity returns the bot's user and application id from the READY event.
func identity(s *discordgo.Session) (user discordgo.User, appID string) {
	s.State.RLock()
	defer s.State.RUnlock()
	if s.State.User != nil {
		user = *s.State.User
	}
	appID = user.ID // a bot's application has its user's id
	if s.State.Application != nil && s.State.Application.ID != "" {
		appID = s.State.Application.ID
	}
	return user, appID
}

// guard handles one event under a deadline, recovering and logging a panic
// so that one bad event cannot take the bot down.
func (b *Bot) guard(ctx context.Context, event string, handle func(context.Context)) {
	ctx, cancel := context.WithTimeout(knowledge.WithPlatform(ctx, "discord"), handlerTimeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			b.log.ErrorContext(ctx, "discord: handler panicked", "event", event, "panic", r, "stack", string(debug.Stack()))
		}
	}()
	handle(ctx)
}

// rewriteTransport sends the requests meant for one host to another scheme
// and host, keeping the path: it points discordgo, whose endpoints are fixed
// at https://discord.com, at a REST proxy.
type rewriteTransport struct {
	from string
	to   *url.URL
	next http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *rewriteTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == t.from {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host, r.Host = t.to.Scheme, t.to.Host, ""
	}
	return t.next.RoundTrip(r)
}

// gatewayDialer dials gateway websockets that close when ctx ends, and
// refuses to dial after that, so that discordgo's reconnect loop cannot
// reopen a session Run has closed.
func gatewayDialer(ctx context.Context) *websocket.Dialer {
	d := *websocket.DefaultDialer
	d.NetDialContext = func(dctx context.Context, network, addr string) (net.Conn, error) {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("gateway closed: %w", err)
		}
		conn, err := (&net.Dialer{}).DialContext(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		c := &boundConn{Conn: conn}
		c.stop = context.AfterFunc(ctx, func() { conn.Close() })
		return c, nil
	}
	return &d
}

// boundConn is a connection closed by its dialer's context.
type boundConn struct {
	net.Conn
	stop func() bool
}

// Close implements net.Conn.
func (c *boundConn) Close() error {
	c.stop()
	return c.Conn.Close()
}
