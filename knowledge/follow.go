package knowledge

import (
	"context"
	"sync"
	"time"
)

// FollowInterval is how often Follow asks the revision log for news.
const FollowInterval = 250 * time.Millisecond

// Updater is an Index that can follow a changed knowledge base in place,
// faster than a new index is built. Follow uses it when the index answering
// is one.
type Updater interface {
	// Update makes the index search base from now on. Entries base shares
	// with the knowledge base searched before, the very same *Entry, are
	// unchanged. A question is searched wholly before the update or wholly
	// after it, and an update that fails changes nothing.
	Update(base *Base) error
}

// Follow keeps s answering from the newest knowledge base in revs until ctx
// ends, so that changes made by moderators, other replicas and hand edits
// all serve within a second. head is the revision of the knowledge base s
// answers from now, or 0 when it is none of the log's; Follow reads the log
// only after it, and applies each later revision to that knowledge base
// (see Base.Apply). From 0 it starts from the snapshot of a log that keeps
// one (Snapshots).
//
// When the index answering is an Updater, it is updated in place. Otherwise
// Follow builds an index of each revision with build and swaps both in at
// once, closing the index it replaces once no question is being answered
// from it. A revision that fails to load or index is logged, and the last
// good one keeps serving; the next revision is applied to that one. Follow
// returns nil when ctx ends.
func (s *Service) Follow(ctx context.Context, revs Revisions, head int64, build func(*Base) (Index, error)) error {
	var (
		retiring sync.WaitGroup
		good     = s.Base()
		read     = head
		pending  []Record // read after good's revision
		news     bool     // pending has records not yet tried
		tick     = time.NewTicker(FollowInterval)
	)
	defer tick.Stop()
	defer retiring.Wait()
	if head == 0 {
		// Start from nothing, or from the snapshot of a log that keeps one.
		good = &Base{synonyms: &Synonyms{}}
		if snaps, ok := revs.(Snapshots); ok {
			st, err := snaps.Snapshot(ctx)
			if err != nil && ctx.Err() == nil {
				s.log.ErrorContext(ctx, "read the knowledge base's snapshot", "err", err)
			}
			pending = st.Records()
			read, news = st.Head(), len(pending) > 0
		}
	}
	for {
		recs, err := revs.Since(ctx, read)
		if err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "read the knowledge base's revisions", "err", err)
		}
		if len(recs) > 0 {
			read = recs[len(recs)-1].Rev
			pending, news = append(pending, recs...), true
		}
		if news {
			if base := s.follow(ctx, good, pending, read, build, &retiring); base != nil {
				good, pending = base, nil
			}
			news = false
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// follow swaps in the knowledge base recs, up to revision rev, make of prev,
// and returns it, or nil when it fails to load or index.
func (s *Service) follow(ctx context.Context, prev *Base, recs []Record, rev int64, build func(*Base) (Index, error), retiring *sync.WaitGroup) *Base {
	base, err := prev.Apply(recs...)
	if err != nil {
		s.log.ErrorContext(ctx, "load knowledge base", "revision", rev, "err", err)
		return nil
	}
	idx := s.state.Load().idx
	if u, ok := idx.(Updater); ok {
		if err := u.Update(base); err != nil {
			s.log.ErrorContext(ctx, "update the index", "revision", rev, "err", err)
			return nil
		}
		// The snapshot replaced shares the index: nothing to close.
		s.swap(base, idx)
	} else {
		if idx, err = build(base); err != nil {
			s.log.ErrorContext(ctx, "index knowledge base", "revision", rev, "err", err)
			return nil
		}
		if prev := s.swap(base, idx); prev != nil {
			retiring.Go(func() {
				if err := prev.retire(); err != nil {
					s.log.WarnContext(ctx, "close a replaced index", "err", err)
				}
			})
		}
	}
	s.log.InfoContext(ctx, "knowledge base updated", "revision", rev, "entries", len(base.Entries()))
	return base
}
