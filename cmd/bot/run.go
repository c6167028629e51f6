package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/smpbot/bot/adapters/console"
	"github.com/smpbot/bot/adapters/discord"
	"github.com/smpbot/bot/adapters/telegram"
	"github.com/smpbot/bot/adapters/web"
	"github.com/smpbot/bot/cmd/bot/internal/monitor"
	"github.com/smpbot/bot/index"
	"github.com/smpbot/bot/knowledge"
)

// shutdownGrace is how long the pieces get to finish what they are doing
// once the bot is told to stop (SIGINT, SIGTERM); a supervisor's patience
// is usually ten seconds.
const shutdownGrace = 9 * time.Second

// platform is a configured chat platform adapter.
type platform struct {
	name string
	run  func(ctx context.Context) error
	// ready reports whether the adapter is connected; nil when the adapter
	// cannot tell, and counts as ready while it runs.
	ready monitor.Checker
}

// runPlatforms runs every configured platform adapter and the health and
// metrics listener until ctx ends. With no platform configured it chats on
// the console when console is set, and is a configuration error otherwise.
func runPlatforms(ctx context.Context, e env, args []string, console bool) error {
	cfg, err := loadConfig(e, args, console)
	red := newRedactor(cfg.secrets...)
	if ce, ok := errors.AsType[*configError](err); ok {
		for _, p := range ce.problems {
			fmt.Fprintf(e.stderr, "bot: %s\n", red.String(p))
		}
		// A misspelled name may be the cause: say so here too.
		for _, w := range unknownEnv(e.environ()) {
			fmt.Fprintf(e.stderr, "bot: %s\n", w)
		}
		return errUsage
	}
	if err != nil {
		return err
	}
	log := newLogger(e.stderr, cfg.logFormat, cfg.logLevel, red)
	for _, w := range unknownEnv(e.environ()) {
		log.Warn(w)
	}
	return red.Error(serve(ctx, e, cfg, log))
}

// serve runs the bot as configured: the listener first, so that /healthz
// answers while the knowledge base loads, then the service, then the
// platforms.
func serve(ctx context.Context, e env, cfg config, log *slog.Logger) error {
	var names []string
	if cfg.discord != nil {
		names = append(names, "discord")
	}
	if cfg.telegram != nil {
		names = append(names, "telegram")
	}
	metrics := monitor.NewMetrics(names...)
	var ready monitor.Readiness
	var kbReady monitor.Flag
	ready.Add("knowledge", &kbReady)

	// stop ends every piece when one of them is done: the console at the
	// end of its input, a platform that fails when it is to take the
	// process with it.
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	g, gctx := errgroup.WithContext(ctx)
	if cfg.httpAddr != "" {
		ln, err := new(net.ListenConfig).Listen(ctx, "tcp", cfg.httpAddr)
		if err != nil {
			return fmt.Errorf("health and metrics listener: %w", err)
		}
		log.Info("serving health and metrics", "addr", ln.Addr().String())
		g.Go(func() error { return monitor.Serve(gctx, ln, monitor.Handler(metrics, &ready), log) })
	}

	kb, platforms, err := start(ctx, cfg, metrics, log)
	if err != nil {
		kb.close()
		stop()
		return errors.Join(err, g.Wait())
	}
	// Closed once every piece has stopped: adapters may be writing a
	// moderator's change until then.
	defer kb.close()
	svc := kb.svc
	if kb.follow != nil {
		st := engineStatus{kb.follow}
		ready.Add("nats", st)
		metrics.Follow(st.applied, st.lag)
	}
	g.Go(func() error { return kb.watch(gctx, metrics.Reloaded) })
	g.Go(func() error { return kb.compact(gctx, cfg.keepEvents, log) })
	kbReady.Set(true)
	log.Info("knowledge base ready", "entries", len(svc.Base().Entries()))

	if cfg.console {
		g.Go(func() error {
			defer stop()
			return console.Chat(knowledge.WithPlatform(gctx, "console"), svc, e.stdin, e.stdout, isTerminal(e.stdin))
		})
	}
	for _, p := range platforms {
		var running monitor.Flag
		check := p.ready
		if check == nil {
			check = &running
		}
		ready.Add(p.name, check)
		log.Info("starting", "platform", p.name)
		g.Go(func() error {
			running.Set(true)
			err := p.run(gctx)
			running.Set(false)
			switch {
			case err == nil:
				log.Info("stopped", "platform", p.name)
			case cfg.exitOnFailure:
				stop()
				return err // adapters name themselves in their errors
			default:
				// The others keep serving; /readyz names this one.
				log.Error("platform failed; the others keep running", "platform", p.name, "err", err)
			}
			return nil
		})
	}
	return wait(ctx, g, log)
}

// wait waits for g, but once ctx ends gives it only shutdownGrace more.
func wait(ctx context.Context, g *errgroup.Group, log *slog.Logger) error {
	done := make(chan error, 1)
	go func() { done <- g.Wait() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", shutdownGrace.String())
	t := time.NewTimer(shutdownGrace)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return fmt.Errorf("still stopping after %s; giving up", shutdownGrace)
	}
}

// start builds the knowledge service, instrumented with metrics, and the
// configured adapters answering from it.
func start(ctx context.Context, cfg config, metrics *monitor.Metrics, log *slog.Logger) (answering, []platform, error) {
	var (
		kb  answering
		err error
	)
	if cfg.nats != nil {
		kb, err = openEngineService(ctx, *cfg.nats, true, log)
	} else {
		kb, err = openService(ctx, cfg.kbDir, cfg.dataDir, log)
	}
	if err != nil {
		return kb, nil, err
	}
	svc := kb.svc
	metrics.Instrument(svc)
	if cfg.discord != nil || cfg.telegram != nil {
		svc.LimitTo(cfg.capacity) // the console's one user waits for each answer
	}
	var ps []platform
	var errs []error
	replica := knowledge.Replica{Name: replicaName(), LeaseTTL: cfg.leaseTTL, Metrics: metrics}
	if kb.store != nil && kb.store.engine != nil && (cfg.discord != nil || cfg.telegram != nil) {
		replica.Leases, replica.Claims, err = sharedWork(ctx, kb.store.engine, cfg.nats.Replicas)
		if err != nil {
			return kb, nil, err
		}
	}
	var logins *knowledge.Logins // nil when the web console is off
	if cfg.web != nil {
		// loadConfig has checked that there is a data directory or a
		// shared knowledge base.
		logins = knowledge.NewLogins(kb.store.credentials(), cfg.web.URL)
		build := func(b *knowledge.Base) (knowledge.Index, error) { return index.Build(b) }
		w, err := web.New(*cfg.web, svc, kb.store.Moderation, logins, build, log)
		if err != nil {
			errs = append(errs, err)
		} else {
			svc.Observe(w)
			ps = append(ps, platform{"web", w.Run, nil})
		}
	}
	if cfg.discord != nil {
		dc := *cfg.discord
		if kb.store != nil { // without a data directory: no /kb
			dc.Moderation, dc.Logins = kb.store.Moderation, logins
		}
		dc.Metrics = metrics
		dc.Replica = replica
		dlog := log.With("platform", "discord")
		logDiscordgoTo(dlog)
		b, err := discord.New(dc, svc, dlog)
		if err != nil {
			errs = append(errs, err)
		} else {
			ps = append(ps, platform{"discord", b.Run, checker(b)})
		}
	}
	if cfg.telegram != nil {
		tc := *cfg.telegram
		if kb.store != nil { // without a data directory: no /kb
			tc.Moderation, tc.Logins = kb.store.Moderation, logins
		}
		tc.Metrics = metrics
		tc.Replica = replica
		b, err := telegram.New(tc, svc, log)
		if err != nil {
			errs = append(errs, err)
		} else {
			ps = append(ps, platform{"telegram", b.Run, checker(b)})
		}
	}
	return kb, ps, errors.Join(errs...)
}

// checker returns an adapter's own readiness check, when it has one: a
// Ready() bool method that reports whether it is connected to its platform.
func checker(adapter any) monitor.Checker {
	c, _ := adapter.(monitor.Checker)
	return c
}
