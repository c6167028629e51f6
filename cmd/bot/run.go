package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"golang.org/x/sync/errgroup"

	"github.com/smpbot/bot/adapters/console"
	"github.com/smpbot/bot/adapters/discord"
	"github.com/smpbot/bot/knowledge"
)

// platform is a configured chat platform adapter.
type platform struct {
	name string
	run  func(ctx context.Context) error
}

// runPlatforms runs every configured platform adapter until ctx ends; with
// none configured it chats on the console.
func runPlatforms(ctx context.Context, e env, args []string) error {
	flags := newFlags(e, "run", `bot [run] [--kb DIR]

Runs every platform configured in the environment (DISCORD_TOKEN,
TELEGRAM_TOKEN); with none, chats on the console.`)
	dir := flags.String("kb", "", "knowledge-base `directory` (default: the embedded one)")
	if err := parse(flags, args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	svc, err := newService(*dir, nil, log)
	if err != nil {
		return err
	}
	ps, err := platforms(e.getenv, svc, log)
	if err != nil {
		return err
	}
	if len(ps) == 0 {
		return console.Chat(ctx, svc, e.stdin, e.stdout, isTerminal(e.stdin))
	}
	g, ctx := errgroup.WithContext(ctx)
	for _, p := range ps {
		log.Info("starting", "platform", p.name)
		g.Go(func() error {
			if err := p.run(ctx); err != nil {
				return fmt.Errorf("%s: %w", p.name, err)
			}
			log.Info("stopped", "platform", p.name)
			return nil
		})
	}
	return g.Wait()
}

// platforms builds the adapters configured in the environment, reporting
// every configuration problem at once.
func platforms(getenv func(string) string, svc *knowledge.Service, log *slog.Logger) ([]platform, error) {
	var ps []platform
	var errs []error
	if cfg, ok, err := discord.ConfigFromEnv(getenv); err != nil {
		errs = append(errs, err)
	} else if ok {
		b, err := discord.New(cfg, svc, log.With("platform", "discord"))
		if err != nil {
			errs = append(errs, err)
		} else {
			ps = append(ps, platform{"discord", b.Run})
		}
	}
	return ps, errors.Join(errs...)
}
