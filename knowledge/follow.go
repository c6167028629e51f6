package knowledge

import (
	"context"
	"sync"
	"time"
)

// FollowInterval is how often Follow asks the revision log for news.
const FollowInterval = 250 * time.Millisecond

// Follow keeps s answering from the newest knowledge base in revs until ctx
// ends, so that changes made by moderators, other replicas and hand edits
// all serve within a second. head is the revision s answers from now (0 when
// unknown), which is not indexed again. For each later revision it builds an
// index with
// build and swaps both in at once, closing the index it replaces once no
// question is being answered from it. A revision that fails to load or index
// is logged, and the last good one keeps serving. Follow returns nil when
// ctx ends.
func (s *Service) Follow(ctx context.Context, revs Revisions, head int64, build func(*Base) (Index, error)) error {
	var (
		retiring sync.WaitGroup
		st       State
		served   = head
		tick     = time.NewTicker(FollowInterval)
	)
	defer tick.Stop()
	defer retiring.Wait()
	for {
		if _, err := Fold(ctx, revs, &st); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "read the knowledge base's revisions", "err", err)
		}
		if st.Head() != served {
			served = st.Head()
			s.follow(ctx, &st, build, &retiring)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// follow swaps in the knowledge base of st.
func (s *Service) follow(ctx context.Context, st *State, build func(*Base) (Index, error), retiring *sync.WaitGroup) {
	base, err := st.Base()
	if err != nil {
		s.log.ErrorContext(ctx, "load knowledge base", "revision", st.Head(), "err", err)
		return
	}
	idx, err := build(base)
	if err != nil {
		s.log.ErrorContext(ctx, "index knowledge base", "revision", st.Head(), "err", err)
		return
	}
	prev := s.swap(base, idx)
	s.log.InfoContext(ctx, "knowledge base updated", "revision", st.Head(), "entries", len(base.Entries()))
	if prev != nil {
		retiring.Go(func() {
			if err := prev.retire(); err != nil {
				s.log.WarnContext(ctx, "close a replaced index", "err", err)
			}
		})
	}
}
