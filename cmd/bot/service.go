package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/smpbot/bot/adapters/datadir"
	"github.com/smpbot/bot/adapters/jetstream"
	"github.com/smpbot/bot/index"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

// loadBase reads the knowledge base in dir, or the embedded default when dir
// is empty.
func loadBase(dir string) (*knowledge.Base, error) {
	var fsys fs.FS = guide.FS()
	if dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("knowledge base: %w", err)
		}
		fsys = os.DirFS(dir)
	}
	return knowledge.Load(fsys)
}

// newService loads a knowledge base, indexes it and returns the service that
// answers from it with the calibrated thresholds, or with cal when not nil.
func newService(dir string, cal *knowledge.Calibration, log *slog.Logger) (*knowledge.Service, error) {
	base, err := loadBase(dir)
	if err != nil {
		return nil, err
	}
	return serviceFor(base, cal, log)
}

func serviceFor(base *knowledge.Base, cal *knowledge.Calibration, log *slog.Logger) (*knowledge.Service, error) {
	idx, err := index.Build(base)
	if err != nil {
		return nil, err
	}
	if cal == nil {
		c, err := guide.Calibration()
		if err != nil {
			return nil, fmt.Errorf("read calibration: %w", err)
		}
		cal = &c
	}
	return knowledge.NewService(base, idx, *cal, log), nil
}

// dataDir is the data directory a moderation command works on: --data, else
// BOT_DATA_DIR, else $XDG_DATA_HOME/smp-bot, else ~/.local/share/smp-bot.
func dataDir(e env, flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if d := e.getenv(envDataDir); d != "" {
		return d, nil
	}
	if d := e.getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "smp-bot"), nil
	}
	if h := e.getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "share", "smp-bot"), nil
	}
	return "", fmt.Errorf("no data directory: give --data DIR or set %s", envDataDir)
}

// oneKB refuses a read-only knowledge base and a data directory given
// together: answering from one would silently ignore the other.
func oneKB(kbDir, dataDir string) error {
	if kbDir != "" && dataDir != "" {
		return fmt.Errorf("the read-only knowledge base %s (--kb, %s) and the data directory %s (--data, %s) are two knowledge bases: give one", kbDir, envKBDir, dataDir, envDataDir)
	}
	return nil
}

// dataKB is the knowledge base moderators change, a data directory or the
// shared engine, and its moderation.
type dataKB struct {
	*datadir.Store // nil on the shared engine
	*knowledge.Moderation
	engine *jetstream.Store // nil on a data directory
}

// Close releases the data directory or the connection to the engine.
func (k *dataKB) Close() {
	if k.engine != nil {
		k.engine.Close()
		return
	}
	k.Store.Close()
}

// credentials returns where the web console's logins are kept: beside the
// knowledge base, so that every process sharing it sees them.
func (k *dataKB) credentials() knowledge.Credentials {
	if k.engine != nil {
		return k.engine
	}
	return k.Store
}

// openDataKB opens the data directory dir, seeding it from the embedded
// default on first use. Hand-edited files it skips are logged to log.
func openDataKB(ctx context.Context, dir string, log *slog.Logger) (*dataKB, error) {
	s, err := datadir.Open(ctx, dir, guide.FS(), log)
	if errors.Is(err, datadir.ErrUnloadable) {
		return nil, fmt.Errorf("data directory %s: %w\ngo back to the last revision that loads with: bot kb recover --data %s", dir, err, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("data directory %s: %w", dir, err)
	}
	return &dataKB{Store: s, Moderation: knowledge.NewModeration(s, s)}, nil
}

// openStore opens the data directory dir for a kb command, and warns about
// hand-edited files it skips.
func openStore(ctx context.Context, dir string, stderr io.Writer) (*dataKB, error) {
	s, err := openDataKB(ctx, dir, nil)
	if err != nil {
		return nil, err
	}
	for _, p := range s.Problems() {
		fmt.Fprintf(stderr, "bot: warning: skipping %s (the last good version serves)\n", p)
	}
	return s, nil
}

// answering is the service a command answers from, with the data directory
// behind it when there is one.
type answering struct {
	svc   *knowledge.Service
	store *dataKB // nil for a read-only knowledge base
	head  int64   // the revision of the data directory svc answers from
	// follow is the shared engine's log as svc follows it; nil on a data
	// directory.
	follow *following
}

// openService answers from the read-only knowledge base in kbDir, from the
// data directory dataDir, or from the embedded default when both are empty.
// Answering from a data directory records gaps and feedback in it.
// Hand-edited files it skips are reported by watch.
func openService(ctx context.Context, kbDir, dataDir string, log *slog.Logger) (answering, error) {
	if err := oneKB(kbDir, dataDir); err != nil {
		return answering{}, err
	}
	if dataDir == "" {
		svc, err := newService(kbDir, nil, log)
		return answering{svc: svc}, err
	}
	store, err := openDataKB(ctx, dataDir, log)
	if err != nil {
		return answering{}, err
	}
	base, head := store.Store.Base()
	svc, err := serviceFor(base, nil, log)
	if err != nil {
		store.Close()
		return answering{}, err
	}
	svc.Observe(store.Moderation)
	svc.RecordFeedbackTo(store.Moderation)
	return answering{svc: svc, store: store, head: head}, nil
}

// watch keeps the service answering from the newest knowledge base in the
// data directory until ctx ends; without a data directory it does nothing.
// reloaded, when not nil, is told how each reload of the directory went and
// how many hand-edited files it skips. The caller closes the data directory once
// nothing can write to it any more.
func (a answering) watch(ctx context.Context, reloaded func(err error, skipped int)) error {
	if a.store == nil {
		return nil
	}
	build := func(b *knowledge.Base) (knowledge.Index, error) { return index.Build(b) }
	if a.follow != nil {
		return a.svc.Follow(ctx, a.follow, a.head, build)
	}
	if reloaded != nil {
		a.store.OnReload(reloaded)
	}
	return a.svc.Follow(ctx, a.store.Store, a.head, build)
}

// compactEvery is how often the data directory's old events are compacted.
const compactEvery = 24 * time.Hour

// compact drops the closed gaps and the feedback older than keep from the
// data directory, at start and then daily, until ctx ends; without a data
// directory (the shared knowledge base keeps its events), or with keep 0,
// it does nothing.
func (a answering) compact(ctx context.Context, keep time.Duration, log *slog.Logger) error {
	if a.store == nil || a.store.Store == nil || keep == 0 {
		return nil
	}
	tick := time.NewTicker(compactEvery)
	defer tick.Stop()
	for {
		n, err := a.store.Compact(ctx, time.Now(), keep)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("compact gaps and feedback", "err", err)
		case n > 0:
			log.Info("compacted gaps and feedback", "dropped", n, "older than", keep)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// close releases the data directory.
func (a answering) close() {
	if a.store != nil {
		a.store.Close()
	}
}
