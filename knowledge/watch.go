package knowledge

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// PollInterval is how often Watch looks at the data directory.
const PollInterval = 250 * time.Millisecond

// Watch keeps svc answering from the store's newest knowledge base until ctx
// ends. It looks at the data directory every PollInterval, so that changes
// made through this store, by other processes and by hand all serve within a
// second; for each new revision it builds an index with build and swaps both
// in at once with svc.Update, closing the index it replaces once no question
// is being answered from it. Hand-edited files that fail validation are
// logged and skipped. Watch returns nil when ctx ends.
func (s *Store) Watch(ctx context.Context, svc *Service, build func(*Base) (Index, error), log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var (
		retiring sync.WaitGroup
		last     string
		reported []Problem
		tick     = time.NewTicker(PollInterval)
	)
	defer tick.Stop()
	defer retiring.Wait()
	for {
		if fp := s.fingerprint(); fp != last {
			if err := s.Refresh(ctx); err != nil && ctx.Err() == nil {
				log.ErrorContext(ctx, "reload knowledge base", "dir", s.dir, "err", err)
			}
			last = fp
		}
		if ps := s.Problems(); !slices.Equal(ps, reported) {
			for _, p := range ps {
				log.WarnContext(ctx, "skipping invalid file; its last good version keeps serving", "problem", p.String())
			}
			reported = ps
		}
		if base, head := s.Base(); base != svc.Base() {
			idx, err := build(base)
			if err != nil {
				log.ErrorContext(ctx, "index knowledge base", "revision", head, "err", err)
			} else {
				prev := svc.swap(base, idx)
				log.InfoContext(ctx, "knowledge base updated", "revision", head, "entries", len(base.Entries()))
				if prev != nil {
					retiring.Go(func() {
						if err := prev.retire(); err != nil {
							log.WarnContext(ctx, "close a replaced index", "err", err)
						}
					})
				}
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-s.changed:
		}
	}
}

// fingerprint sums up the names, sizes and modification times of the data
// directory's files, to notice any change cheaply.
func (s *Store) fingerprint() string {
	var b []byte
	add := func(dir string) {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			info, err := e.Info()
			if err != nil || e.IsDir() {
				continue
			}
			b = fmt.Appendf(b, "%s %d %d\n", e.Name(), info.Size(), info.ModTime().UnixNano())
		}
	}
	add(s.dir)
	add(filepath.Join(s.dir, EntriesDir))
	return string(b)
}
