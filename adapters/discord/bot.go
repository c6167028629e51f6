package discord

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
	"golang.org/x/sync/errgroup"

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
	// platform names the adapter in metrics and in the context of the
	// questions it asks.
	platform = "discord"
	// retryPause is how long a REST call waits before it is sent again
	// after a server error.
	retryPause = 250 * time.Millisecond
)

// Bot answers questions on Discord. Its event handlers run concurrently, each
// in its own goroutine.
type Bot struct {
	cfg     Config
	svc     *knowledge.Service
	log     *slog.Logger
	asks    *knowledge.Admission
	metrics Metrics
	// shards are the gateway connections, one per shard; session and
	// gateway are shard 0's, whose session also makes the REST calls of
	// the interactions endpoint.
	shards  []*shard
	session *discordgo.Session
	gateway *gatewayHealth
	// rewrite points discordgo at Config.APIURL; nil for Discord itself.
	rewrite *rewriteTransport
	// retry paces the attempts to connect at start-up.
	retry   knowledge.Backoff
	started atomic.Bool
	// running is set while Run runs.
	running atomic.Bool
	// registered is set while the slash commands are registered and Run
	// has not begun closing: with the gateway, by shard 0's holder.
	registered atomic.Bool
	// serving is set while the interactions endpoint listens.
	serving atomic.Bool
	// waiting holds the interactions received by the endpoint whose
	// response is awaited for the HTTP response.
	waiting responses
}

// shard is one gateway connection, held by one replica at a time.
type shard struct {
	id      int
	session *discordgo.Session
	gateway *gatewayHealth
	// held is set while this replica holds the shard's lease, and
	// decided once it is known whether it does.
	held, decided atomic.Bool
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
	var transport http.RoundTripper = http.DefaultTransport
	var rewrite *rewriteTransport
	if cfg.APIURL != "" {
		proxy, err := url.Parse(cfg.APIURL)
		if err != nil {
			return nil, fmt.Errorf("discord: %s: %w", EnvAPIURL, err)
		}
		discord, err := url.Parse(discordgo.EndpointDiscord)
		if err != nil {
			return nil, fmt.Errorf("discord: discordgo endpoint: %w", err)
		}
		rewrite = &rewriteTransport{from: discord.Host, to: proxy, next: transport}
		transport = rewrite
	}
	client := &http.Client{Timeout: restTimeout, Transport: &retryTransport{next: transport, pause: retryPause}}
	var shards []*shard
	for id := range cfg.Shards {
		s, err := discordgo.New("Bot " + cfg.Token)
		if err != nil {
			return nil, fmt.Errorf("discord: new session: %w", err)
		}
		s.StateEnabled = false // the bot needs only its own user, which State keeps anyway
		s.Identify.Intents = intents
		s.ShardID, s.ShardCount = id, cfg.Shards
		s.Client = client
		shards = append(shards, &shard{id: id, session: s, gateway: &gatewayHealth{now: time.Now}})
	}
	cfg.Replica = cfg.Replica.WithDefaults()
	metrics := cfg.Metrics
	if metrics == nil {
		metrics = uncounted{}
	}
	if cfg.Moderation != nil && cfg.GuildID == "" && len(cfg.ModeratorRoles) == 0 {
		log.Warn("discord: no one can moderate: Manage Server counts only in the " + EnvGuildID + " server; set it, or " + EnvModeratorRoles)
	}
	return &Bot{
		cfg:     cfg,
		svc:     svc,
		log:     log,
		asks:    knowledge.NewAdmission(cfg.RateEvery, cfg.RateBurst),
		metrics: metrics,
		shards:  shards,
		session: shards[0].session,
		gateway: shards[0].gateway,
		rewrite: rewrite,
		retry:   knowledge.Backoff{Min: time.Second, Max: time.Minute},
		waiting: responses{m: map[string]*response{}},
	}, nil
}

// Run serves the interactions endpoint, when Config.PublicKey is set, and
// holds the gateway shards this replica wins the lease of (every shard, in
// a single process), registering the slash commands, and answers until
// ctx ends; then it closes what it opened and returns nil. While Discord
// cannot be reached it keeps trying, with backoff. It returns an error when
// Discord refuses the token or the commands, or the endpoint cannot
// listen. Run may be called only once.
func (b *Bot) Run(ctx context.Context) error {
	if !b.started.CompareAndSwap(false, true) {
		return errors.New("discord: Run called more than once")
	}
	b.running.Store(true)
	defer b.running.Store(false)
	g, gctx := errgroup.WithContext(ctx)
	if b.cfg.PublicKey != nil {
		ln, err := new(net.ListenConfig).Listen(ctx, "tcp", b.cfg.InteractionsListen)
		if err != nil {
			return fmt.Errorf("discord: interactions endpoint: %w", err)
		}
		g.Go(func() error { return b.serveInteractions(gctx, ln) })
	}
	if b.cfg.NoGateway {
		g.Go(func() error { return b.registerWithoutGateway(gctx) })
		return g.Wait()
	}
	for _, sh := range b.shards {
		b.handle(ctx, sh)
		lease := b.cfg.Replica.Lease(b.shardLease(sh.id))
		held := lease.Held
		lease.Held = func(h bool) {
			sh.held.Store(h)
			sh.decided.Store(true)
			held(h)
		}
		g.Go(func() error {
			return lease.Run(gctx, func(ctx context.Context) error { return b.runShard(ctx, sh) })
		})
	}
	return g.Wait()
}

// shardLease names the lease of a gateway shard of this bot.
func (b *Bot) shardLease(id int) string {
	app, _, _ := strings.Cut(b.cfg.Token, ".") // the application id, in base64
	return fmt.Sprintf("discord.%x.shard.%d-of-%d", app, id, b.cfg.Shards)
}

// handle adds the event handlers of a shard's session, whose events are
// handled until ctx ends.
func (b *Bot) handle(ctx context.Context, sh *shard) {
	s := sh.session
	s.AddHandler(func(s *discordgo.Session, m *discordgo.MessageCreate) {
		b.guard(ctx, "message", func(ctx context.Context) { b.onMessage(ctx, s, m.Message) })
	})
	s.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		b.guard(ctx, "interaction", func(ctx context.Context) { b.onInteraction(ctx, s, i.Interaction) })
	})
	s.AddHandler(func(*discordgo.Session, *discordgo.Connect) { sh.gateway.connected() })
	s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) {
		if ctx.Err() == nil {
			sh.gateway.dropped()
			b.metrics.AdapterError(platform)
			b.log.WarnContext(ctx, "discord: gateway connection lost; reconnecting", "shard", sh.id)
		}
	})
}

// runShard connects a gateway shard, with shard 0 registering the slash
// commands, and keeps it open until ctx ends.
func (b *Bot) runShard(ctx context.Context, sh *shard) error {
	s := sh.session
	// Gateway connections live until runShard returns, not merely until
	// ctx ends, so that Close can still say goodbye on the open one.
	gateway, closeGateway := context.WithCancel(context.WithoutCancel(ctx))
	defer closeGateway()
	s.Dialer = gatewayDialer(gateway)

	if err := b.connect(ctx, s, closeGateway); err != nil || ctx.Err() != nil {
		return err
	}
	user, appID := identity(s)
	if sh.id == 0 {
		if err := b.register(ctx, appID); err != nil {
			b.close(s)
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		defer b.registered.Store(false)
	}
	b.log.InfoContext(ctx, "discord: connected", "user", user.Username, "user_id", user.ID, "shard", sh.id, "shards", b.cfg.Shards)
	<-ctx.Done()
	b.registered.Store(false)
	b.close(s)
	return nil
}

// register registers the slash commands of application appID.
func (b *Bot) register(ctx context.Context, appID string) error {
	scope := "global"
	if b.cfg.GuildID != "" {
		scope = "guild " + b.cfg.GuildID
	}
	if _, err := b.session.ApplicationCommandBulkOverwrite(appID, b.cfg.GuildID, commands(b.cfg.Moderation != nil), discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("discord: register slash commands (%s): %w", scope, err)
	}
	b.registered.Store(true)
	b.log.InfoContext(ctx, "discord: slash commands registered", "commands", scope)
	return nil
}

// registerWithoutGateway registers the slash commands by REST alone,
// retrying with backoff while Discord cannot be reached, and keeps them
// counted as registered until ctx ends.
func (b *Bot) registerWithoutGateway(ctx context.Context) error {
	for try := 1; ; try++ {
		app, err := b.session.Application("@me")
		if err == nil {
			err = b.register(ctx, app.ID)
		}
		switch {
		case ctx.Err() != nil:
			return nil
		case err == nil:
			<-ctx.Done()
			b.registered.Store(false)
			return nil
		case refused(err):
			return fmt.Errorf("discord: %w", err)
		}
		b.metrics.AdapterError(platform)
		wait := b.retry.Delay(try)
		b.log.WarnContext(ctx, "discord: cannot register the slash commands; retrying", "err", b.dialled(err), "attempt", try, "wait", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// connect opens the session, retrying with backoff while Discord cannot be
// reached, until ctx ends. It returns an error only when Discord refuses
// the bot (a 401 or 403: a revoked token), which no retry mends; when ctx
// ends first it returns nil with the session closed.
func (b *Bot) connect(ctx context.Context, s *discordgo.Session, closeGateway func()) error {
	for try := 1; ; try++ {
		opened := make(chan error, 1)
		go func() { opened <- s.Open() }()
		var err error
		select {
		case err = <-opened:
		case <-ctx.Done():
			closeGateway() // makes a pending Open fail at once
			if err := <-opened; err == nil {
				b.close(s)
			}
			return nil
		}
		if err == nil {
			return nil
		}
		err = b.dialled(err)
		if refused(err) {
			return fmt.Errorf("discord: connect to the gateway: %w", err)
		}
		b.metrics.AdapterError(platform)
		wait := b.retry.Delay(try)
		b.log.WarnContext(ctx, "discord: cannot connect to the gateway; retrying", "err", err, "attempt", try, "wait", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// refused reports whether err is Discord refusing the bot's token.
func refused(err error) bool {
	var re *discordgo.RESTError
	return errors.As(err, &re) && re.Response != nil &&
		(re.Response.StatusCode == http.StatusUnauthorized || re.Response.StatusCode == http.StatusForbidden)
}

// dialled makes err, whose URL is the one discordgo asked for, name the
// URL actually dialled when the requests go to Config.APIURL.
func (b *Bot) dialled(err error) error {
	var ue *url.Error
	if b.rewrite == nil || !errors.As(err, &ue) {
		return err
	}
	if u, perr := url.Parse(ue.URL); perr == nil && u.Host == b.rewrite.from {
		u.Scheme, u.Host = b.rewrite.to.Scheme, b.rewrite.to.Host
		ue.URL = u.String() // a fresh error of this one request: not shared
	}
	return err
}

// Ready reports whether the bot is connected, for a health check: the
// interactions endpoint listens, when configured, and every gateway shard
// this replica holds is connected, shard 0 with the slash commands
// registered. A replica sharing the gateway with others and holding no
// shard is ready: it stands by. A shard is not ready while discordgo
// reconnects, after the connection dropped three times within a minute
// until it has stayed up for a minute, and may not be for a moment while
// the session is busy. It is safe for concurrent use.
func (b *Bot) Ready() bool {
	switch {
	case !b.running.Load(), b.cfg.PublicKey != nil && !b.serving.Load():
		return false
	case b.cfg.NoGateway:
		return b.registered.Load()
	}
	for _, sh := range b.shards {
		switch {
		case !sh.decided.Load():
			return false
		case sh.held.Load() && (!sh.ok() || (sh.id == 0 && !b.registered.Load())):
			return false
		}
	}
	return true
}

// ok reports whether the shard's connection is up and steady.
func (sh *shard) ok() bool {
	// Open and Close hold the session's lock for as long as they take, and
	// a health check must not wait for them.
	if !sh.gateway.ok() || !sh.session.TryRLock() {
		return false
	}
	defer sh.session.RUnlock()
	return sh.session.DataReady
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
	ctx, cancel := context.WithTimeout(knowledge.WithPlatform(ctx, platform), handlerTimeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			b.metrics.AdapterError(platform)
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

// retryTransport sends a REST call again, once, when Discord answers it with
// 500, 503 or 504 (discordgo itself retries only 502). Creating a message is
// not retried: a server error may come after the message was posted, and
// the bot must never answer twice. Answering an interaction is retried,
// since Discord accepts only the first answer.
type retryTransport struct {
	next  http.RoundTripper
	pause time.Duration
}

// RoundTrip implements http.RoundTripper.
func (t *retryTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err != nil || !retryable(r, resp.StatusCode) {
		return resp, err
	}
	retry := r.Clone(r.Context())
	if r.Body != nil && r.Body != http.NoBody {
		if retry.Body, err = r.GetBody(); err != nil {
			return resp, nil
		}
	}
	select {
	case <-r.Context().Done():
		return resp, nil
	case <-time.After(t.pause):
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return t.next.RoundTrip(retry)
}

// retryable reports whether a call that got status may be sent again.
func retryable(r *http.Request, status int) bool {
	switch status {
	case http.StatusInternalServerError, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
	default:
		return false
	}
	if r.Body != nil && r.Body != http.NoBody && r.GetBody == nil {
		return false
	}
	return r.Method != http.MethodPost || strings.HasSuffix(r.URL.Path, "/callback")
}

// uncounted is the Metrics of a Bot configured without any.
type uncounted struct{}

func (uncounted) RateLimited(string)  {}
func (uncounted) AdapterError(string) {}

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
