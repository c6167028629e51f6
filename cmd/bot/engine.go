package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/smpbot/bot/adapters/datadir"
	"github.com/smpbot/bot/adapters/jetstream"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

// The shared mode: the knowledge base on NATS JetStream (BOT_NATS_URL),
// followed by every replica.

// openEngine opens the shared knowledge base, seeding it from the embedded
// default if its log is empty. With wait set it tries again until NATS
// answers or ctx ends, logging each failure; otherwise it fails at once.
func openEngine(ctx context.Context, cfg jetstream.Config, wait bool, log *slog.Logger) (*dataKB, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	retry := knowledge.Backoff{Min: 500 * time.Millisecond, Max: 30 * time.Second}
	for try := 1; ; try++ {
		s, err := jetstream.Open(ctx, cfg, log)
		if err == nil {
			if err = seedEngine(ctx, s); err == nil {
				return &dataKB{Moderation: knowledge.NewModeration(s, s), engine: s}, nil
			}
			s.Close()
		}
		if !wait || !errors.Is(err, knowledge.ErrUnavailable) || ctx.Err() != nil {
			return nil, fmt.Errorf("shared knowledge base at %s: %w", cfg.URL, err)
		}
		d := retry.Delay(try)
		log.Warn("cannot reach NATS; trying again", "url", cfg.URL, "in", d.String(), "err", err)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(d):
		}
	}
}

// seedEngine records every file of the embedded default as the first
// revisions of an empty log, as a new data directory is seeded. Of several
// replicas starting at once, one seeds and the others find it done.
func seedEngine(ctx context.Context, s *jetstream.Store) error {
	recs, err := s.Since(ctx, 0)
	if err != nil || len(recs) > 0 {
		return err
	}
	files, err := knowledge.ReadFiles(guide.FS())
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	var empty knowledge.State
	seed := empty.Changes(datadir.SeedAuthor, "", files)
	for i := range seed {
		seed[i].Upstream = true
	}
	if _, err := s.Commit(ctx, 0, seed...); err != nil && !errors.Is(err, knowledge.ErrHeadMoved) {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}

// openEngineService answers from the shared knowledge base, recording gaps
// and feedback in it. With wait set it waits for NATS as openEngine does.
func openEngineService(ctx context.Context, cfg jetstream.Config, wait bool, log *slog.Logger) (answering, error) {
	kb, err := openEngine(ctx, cfg, wait, log)
	if err != nil {
		return answering{}, err
	}
	base, head, err := kb.Moderation.Base(ctx)
	if err != nil {
		kb.Close()
		return answering{}, fmt.Errorf("shared knowledge base: %w", err)
	}
	svc, err := serviceFor(base, nil, log)
	if err != nil {
		kb.Close()
		return answering{}, err
	}
	svc.Observe(kb.Moderation)
	svc.RecordFeedbackTo(kb.Moderation)
	f := &following{Store: kb.engine}
	f.read.Store(head)
	return answering{svc: svc, store: kb, head: head, follow: f}, nil
}

// openAnswering is openService for bot ask and bot chat, which answer from
// the shared knowledge base when BOT_NATS_URL is set, without waiting for
// NATS.
func openAnswering(ctx context.Context, e env, kbDir, dataDir string, log *slog.Logger) (answering, error) {
	cfg, ok, err := natsConfig(e.getenv, kbDir, dataDir)
	switch {
	case err != nil:
		return answering{}, err
	case ok:
		return openEngineService(ctx, cfg, false, log)
	default:
		return openService(ctx, kbDir, dataDir, log)
	}
}

// following is the shared log as the service follows it, noting the
// newest revision it has read, and so applied, for health and metrics.
type following struct {
	*jetstream.Store
	read atomic.Int64
}

// Since reads the log and notes how far. While NATS is disconnected it
// finds nothing new rather than failing four times a second: the loss and
// the recovery of the connection are logged once each.
func (f *following) Since(ctx context.Context, rev int64) ([]knowledge.Record, error) {
	recs, err := f.Store.Since(ctx, rev)
	if err != nil && !f.Ready() {
		return nil, nil
	}
	if len(recs) > 0 {
		f.read.Store(recs[len(recs)-1].Rev)
	}
	return recs, err
}

// engineStatus tells /readyz and the metrics how a replica stands with the
// shared knowledge base. It never makes the replica unready: without NATS
// it keeps answering from its index, and refuses only changes.
type engineStatus struct{ follow *following }

// Ready is always true: see engineStatus.
func (engineStatus) Ready() bool { return true }

// applied is the revision the index answers from; lag is how many
// revisions of the log it is behind, as far as the replica last saw.
func (s engineStatus) applied() int64 { return s.follow.read.Load() }
func (s engineStatus) lag() int64     { return max(s.follow.Head()-s.applied(), 0) }

// Describe says whether NATS is connected, and how far the index is behind
// the log.
func (s engineStatus) Describe() string {
	conn := "connected to " + s.follow.Server()
	if !s.follow.Ready() {
		conn = "NATS unreachable: answering from the index as it is, refusing changes"
	}
	return fmt.Sprintf("%s; index at revision %d, %d behind the log", conn, s.applied(), s.lag())
}

// natsConfig reads the shared mode's settings from the environment: ok is
// false when BOT_NATS_URL is not set. The shared knowledge base and a
// knowledge base in kbDir or dataDir are two knowledge bases, which is an
// error.
func natsConfig(getenv func(string) string, kbDir, dataDir string) (cfg jetstream.Config, ok bool, err error) {
	cfg, ok, err = jetstream.ConfigFromEnv(getenv)
	if err != nil || !ok {
		return cfg, ok, err
	}
	for _, other := range []struct{ dir, names string }{
		{kbDir, "--kb, " + envKBDir},
		{dataDir, "--data, " + envDataDir},
	} {
		if other.dir != "" {
			return cfg, ok, fmt.Errorf("the shared knowledge base (%s) and %s (%s) are two knowledge bases: give one", jetstream.EnvURL, other.dir, other.names)
		}
	}
	cfg.Name = "smp-bot"
	return cfg, ok, nil
}

// natsSecrets returns the passwords, or tokens, in the comma-separated
// server addresses urls.
func natsSecrets(urls string) []string {
	var out []string
	for u := range strings.SplitSeq(urls, ",") {
		p, err := url.Parse(strings.TrimSpace(u))
		if err != nil || p.User == nil {
			continue
		}
		if pw, ok := p.User.Password(); ok {
			out = append(out, pw)
		} else {
			out = append(out, p.User.Username()) // a token
		}
	}
	return out
}

// engine opens the shared knowledge base for a kb command when BOT_NATS_URL
// is set: ok is false when it is not. A knowledge base also named with
// --kb, --data or BOT_DATA_DIR is an error.
func (c kbCommand) engine(ctx context.Context) (kb *dataKB, ok bool, err error) {
	dataDir := *c.data
	if dataDir == "" {
		dataDir = c.e.getenv(envDataDir)
	}
	cfg, ok, err := natsConfig(c.e.getenv, *c.kbDir, dataDir)
	if err != nil || !ok {
		return nil, ok, err
	}
	cfg.Name = "smp-bot kb"
	kb, err = openEngine(ctx, cfg, false, nil)
	return kb, true, err
}

// migrate copies the data directory named by --data, its whole history
// with authors and times, its gaps and its feedback, into the shared
// knowledge base, which must be empty: it never runs twice.
func (c kbCommand) migrate(ctx context.Context) error {
	if err := c.args("migrate", 0, "no arguments, and the data directory as --data DIR"); err != nil {
		return err
	}
	dir := *c.data
	if dir == "" {
		return fmt.Errorf("kb migrate copies a data directory: name it with --data DIR")
	}
	cfg, ok, err := jetstream.ConfigFromEnv(c.e.getenv)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("kb migrate copies into the shared knowledge base: set %s (and its other settings, as for bot run)", jetstream.EnvURL)
	}
	if _, err := os.Stat(filepath.Join(dir, datadir.LogFile)); err != nil {
		return fmt.Errorf("%s has no history to migrate: %w", dir, err)
	}
	src, err := openStore(ctx, dir, c.e.stderr)
	if err != nil {
		return err
	}
	defer src.Close()
	recs, err := src.Store.Since(ctx, 0)
	if err != nil {
		return err
	}
	gaps, err := src.GapEvents(ctx)
	if err != nil {
		return err
	}
	feedback, err := src.FeedbackEvents(ctx)
	if err != nil {
		return err
	}
	cfg.Name = "smp-bot kb migrate"
	dst, err := jetstream.Open(ctx, cfg, nil) // not openEngine: that seeds
	if err != nil {
		return err
	}
	defer dst.Close()
	if err := dst.Migrate(ctx, recs); errors.Is(err, jetstream.ErrNotEmpty) {
		return fmt.Errorf("%w\nIf bot run started on it before the migration, it seeded it from the embedded default: migrate under another %s, and run the bots with it", err, jetstream.EnvPrefix)
	} else if err != nil {
		return err
	}
	for _, ev := range gaps {
		if err := dst.AddGapEvent(ctx, ev); err != nil {
			return fmt.Errorf("copied every revision, then a gap: %w", err)
		}
	}
	for _, ev := range feedback {
		if err := dst.AddFeedbackEvent(ctx, ev); err != nil {
			return fmt.Errorf("copied every revision and gap, then feedback: %w", err)
		}
	}
	fmt.Fprintf(c.e.stdout, "migrated %d revisions, %d gap events and %d feedback events from %s\n", len(recs), len(gaps), len(feedback), dir)
	return nil
}
