package knowledge_test

import (
	"context"
	"errors"
	"maps"
	"reflect"
	"slices"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/smpbot/bot/index"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// files returns the files of fsys by path.
func files(t *testing.T, fsys fstest.MapFS) map[string]string {
	t.Helper()
	m, err := knowledge.ReadFiles(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestApplyLoadsAsLoad(t *testing.T) {
	seed := files(t, knowledgetest.Files())
	base, err := knowledge.LoadFiles(seed)
	if err != nil {
		t.Fatal(err)
	}
	put := func(id, text string) knowledge.Record {
		return knowledge.Record{Op: knowledge.OpFor(id), ID: id, Text: text}
	}
	rm := func(id string) knowledge.Record { return knowledge.Record{Op: knowledge.OpRemove, ID: id} }
	tests := []struct {
		name string
		recs []knowledge.Record
		ok   bool
	}{
		{"change a body", []knowledge.Record{put("healing", edited("healing", "Healing takes a month."))}, true},
		{"add an entry", []knowledge.Record{put("pain", knowledgetest.EntryText("pain", "healing"))}, true},
		{"remove an entry", []knowledge.Record{rm("aftercare")}, true},
		{"change synonyms", []knowledge.Record{put(knowledge.SynonymsFile, "scab, crust\n")}, true},
		{"remove synonyms", []knowledge.Record{{Op: knowledge.OpSynonyms, ID: knowledge.SynonymsFile}}, true},
		{"add then remove", []knowledge.Record{put("pain", knowledgetest.EntryText("pain")), rm("pain")}, true},
		{"remove then restore", []knowledge.Record{rm("healing"), put("healing", edited("healing", "Back."))}, true},
		{"break a related link", []knowledge.Record{rm("healing")}, false},
		{"id unlike the file name", []knowledge.Record{put("healing", knowledgetest.EntryText("other"))}, false},
		{"a bad synonyms line", []knowledge.Record{put(knowledge.SynonymsFile, "lonely\n")}, false},
		{"a gap in a checklist", []knowledge.Record{rm("step-one")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := maps.Clone(seed)
			for _, r := range tt.recs {
				if r.Present() {
					want[knowledge.FilePath(r.ID)] = r.Text
				} else {
					delete(want, knowledge.FilePath(r.ID))
				}
			}
			wantBase, wantErr := knowledge.LoadFiles(want)
			got, err := base.Apply(tt.recs...)
			if !tt.ok {
				var verr *knowledge.ValidationError
				if !errors.As(err, &verr) || wantErr == nil {
					t.Fatalf("Apply(%s) = %v, LoadFiles = %v; want both to refuse", tt.name, err, wantErr)
				}
				return
			}
			if err != nil || wantErr != nil {
				t.Fatalf("Apply(%s) = %v, LoadFiles = %v; want both to load", tt.name, err, wantErr)
			}
			if !reflect.DeepEqual(got.Entries(), wantBase.Entries()) {
				t.Errorf("Apply(%s).Entries() = %v, want %v", tt.name, got.Entries(), wantBase.Entries())
			}
			if !reflect.DeepEqual(got.Synonyms().Groups, wantBase.Synonyms().Groups) || !reflect.DeepEqual(got.Synonyms().Phrases, wantBase.Synonyms().Phrases) {
				t.Errorf("Apply(%s).Synonyms() = %+v, want %+v", tt.name, got.Synonyms(), wantBase.Synonyms())
			}
			if !slices.Equal(got.Checklists(), wantBase.Checklists()) {
				t.Errorf("Apply(%s).Checklists() = %v, want %v", tt.name, got.Checklists(), wantBase.Checklists())
			}
			// What the records leave alone is the base's own, which is how
			// an index tells what changed.
			touched := map[string]bool{}
			for _, r := range tt.recs {
				touched[r.ID] = true
			}
			for _, e := range got.Entries() {
				if prev, ok := base.Entry(e.ID); ok && !touched[e.ID] && prev != e {
					t.Errorf("Apply(%s): entry %s untouched but parsed again", tt.name, e.ID)
				}
			}
			if !touched[knowledge.SynonymsFile] && got.Synonyms() != base.Synonyms() {
				t.Errorf("Apply(%s): synonyms untouched but parsed again", tt.name)
			}
		})
	}
}

// sinceLog is a revision log that remembers the revisions it was asked to
// read after.
type sinceLog struct {
	*knowledgetest.Memory
	mu    sync.Mutex
	since []int64
}

func (l *sinceLog) Since(ctx context.Context, rev int64) ([]knowledge.Record, error) {
	l.mu.Lock()
	l.since = append(l.since, rev)
	l.mu.Unlock()
	return l.Memory.Since(ctx, rev)
}

// searchOnly hides everything of an index but Search, so that Follow builds
// a new index for every revision rather than updating it in place.
type searchOnly struct{ *index.Index }

func (s searchOnly) Search(ctx context.Context, q string, limit int) ([]knowledge.Hit, error) {
	return s.Index.Search(ctx, q, limit)
}

func TestFollow(t *testing.T) {
	tests := []struct {
		name string
		wrap func(*index.Index) knowledge.Index
		// inPlace is set when Follow keeps the first index, which is then
		// the test's to close.
		inPlace bool
	}{
		{"updated in place", func(x *index.Index) knowledge.Index { return x }, true},
		{"built anew", func(x *index.Index) knowledge.Index { return searchOnly{x} }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			mem := knowledgetest.NewMemory(t, knowledgetest.Files())
			log := &sinceLog{Memory: mem}
			s := kb{knowledge.NewModeration(mem, mem), mem}
			base, head, err := s.Base(ctx)
			if err != nil {
				t.Fatal(err)
			}
			idx, err := index.Build(base)
			if err != nil {
				t.Fatal(err)
			}
			svc := knowledge.NewService(base, tt.wrap(idx), knowledge.Calibration{}, nil)
			build := func(b *knowledge.Base) (knowledge.Index, error) {
				x, err := index.Build(b)
				return tt.wrap(x), err
			}
			followCtx, cancel := context.WithCancel(ctx)
			done := make(chan error)
			go func() { done <- svc.Follow(followCtx, log, head, build) }()
			t.Cleanup(func() {
				cancel()
				if err := <-done; err != nil {
					t.Errorf("Follow: %v", err)
				}
				if tt.inPlace {
					idx.Close()
				}
			})

			answers := func(q, id string) func() bool {
				return func() bool {
					a, err := svc.Lookup(ctx, q)
					return err == nil && len(a.Matches) > 0 && a.Matches[0].Entry.ID == id
				}
			}
			// A revision that does not load (healing is aftercare's related
			// entry) keeps the last good one answering; the next one that
			// loads is applied to it with the one before.
			if _, err := mem.Commit(ctx, head, knowledge.Record{Op: knowledge.OpRemove, ID: "healing"}); err != nil {
				t.Fatal(err)
			}
			recs, err := mem.Commit(ctx, head+1, knowledge.Record{Op: knowledge.OpPut, ID: "aftercare",
				Text: edited("aftercare", "Keep the scalp out of the quokka pool for a week.")})
			if err != nil {
				t.Fatal(err)
			}
			eventually(t, "the edited body to answer", answers("quokka pool", "aftercare"))
			if got := svc.Base(); got.Entries()[0].ID != "aftercare" || len(got.Entries()) != 3 {
				t.Errorf("after the edit, Base().Entries() = %v, want aftercare and the two steps", got.Entries())
			}
			if _, err := mem.Commit(ctx, recs[0].Rev, knowledge.Record{Op: knowledge.OpPut, ID: "pain",
				Text: edited("pain", "Numbing cream helps with the zebrafish sting.")}); err != nil {
				t.Fatal(err)
			}
			eventually(t, "the new entry to answer", answers("zebrafish sting", "pain"))

			log.mu.Lock()
			defer log.mu.Unlock()
			if len(log.since) == 0 || log.since[0] != head || slices.Min(log.since) < head {
				t.Errorf("Follow from revision %d read the log after %v, want after %d and later only", head, log.since, head)
			}
		})
	}
}

// TestFollowFromNothing checks that a service answering from none of the
// log's revisions starts from the log's snapshot, never reading the history
// before it, and answers what came after it.
func TestFollowFromNothing(t *testing.T) {
	ctx := t.Context()
	mem := knowledgetest.NewMemory(t, knowledgetest.Files())
	var full knowledge.State
	if _, err := knowledge.Fold(ctx, mem, &full); err != nil {
		t.Fatal(err)
	}
	log := snapshotted{Memory: mem, snap: knowledge.Restore(full.Head(), full.Records())}
	if _, err := mem.Commit(ctx, full.Head(), knowledge.Record{Op: knowledge.OpPut, ID: "healing",
		Text: edited("healing", "Scabs fall off like quokka fur.")}); err != nil {
		t.Fatal(err)
	}
	// The service answers from another knowledge base at first.
	other, err := knowledge.LoadFiles(map[string]string{"entries/other.md": knowledgetest.EntryText("other")})
	if err != nil {
		t.Fatal(err)
	}
	idx, err := index.Build(other)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	svc := knowledge.NewService(other, idx, knowledge.Calibration{}, nil)
	followCtx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() {
		done <- svc.Follow(followCtx, log, 0, func(b *knowledge.Base) (knowledge.Index, error) { return index.Build(b) })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Follow: %v", err)
		}
	})
	eventually(t, "the edit after the snapshot to answer", func() bool {
		a, err := svc.Lookup(ctx, "quokka fur")
		return err == nil && len(a.Matches) > 0 && a.Matches[0].Entry.ID == "healing"
	})
	if _, ok := svc.Base().Entry("other"); ok {
		t.Errorf("after following the log from nothing, the entry only the first knowledge base had is still there")
	}
}
