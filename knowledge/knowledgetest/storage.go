package knowledgetest

import (
	"errors"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/smpbot/bot/knowledge"
)

// Storage opens a handle on the storage under test: every call returns a
// new one on the same knowledge base, as another process or replica would
// open it.
type Storage func(t *testing.T) (knowledge.Revisions, knowledge.Events)

// CheckStorage checks that a storage adapter keeps the contract of
// knowledge.Revisions and knowledge.Events that moderation relies on, the
// same for every engine: numbering without gaps, compare-and-set between
// two handles, batches, reading only what is new, events in order, and two
// moderators on two handles editing one entry. The storage is seeded with
// Files when its log is empty.
func CheckStorage(t *testing.T, open Storage) {
	ctx := t.Context()
	a, aEvents := open(t)
	b, bEvents := open(t)
	all, err := a.Since(ctx, 0)
	if err != nil {
		t.Fatalf("Since(0): %v", err)
	}
	if len(all) == 0 {
		all = seedLog(t, a, Files())
	}
	head := all[len(all)-1].Rev
	for i, r := range all {
		if r.Rev != int64(i)+1 {
			t.Fatalf("Since(0)[%d].Rev = %d, want %d", i, r.Rev, i+1)
		}
	}

	before := time.Now().Add(-time.Second)
	put := knowledge.Record{Author: "alice", Op: knowledge.OpPut, ID: "storage-one", Text: EntryText("storage-one"), Note: "a note"}
	got, err := a.Commit(ctx, head, put)
	if err != nil || len(got) != 1 {
		t.Fatalf("Commit(%d, one record) = %v, %v", head, got, err)
	}
	if r := got[0]; r.Rev != head+1 || r.Author != "alice" || r.Text != put.Text || r.Note != "a note" || r.Time.Before(before) {
		t.Errorf("Commit(%d) wrote %+v, want revision %d by alice, stamped now, text and note kept", head, r, head+1)
	}
	if _, err := b.Commit(ctx, head, knowledge.Record{Author: "bob", Op: knowledge.OpPut, ID: "storage-two", Text: EntryText("storage-two")}); !errors.Is(err, knowledge.ErrHeadMoved) {
		t.Errorf("Commit on another handle at the old head %d = %v, want ErrHeadMoved", head, err)
	}
	seen, err := b.Since(ctx, head)
	if err != nil || len(seen) != 1 || seen[0].ID != "storage-one" || seen[0].Author != "alice" {
		t.Fatalf("Since(%d) on another handle = %+v, %v, want alice's revision only: the refused commit wrote nothing", head, seen, err)
	}
	head++

	batch := []knowledge.Record{
		{Author: "bob", Op: knowledge.OpPut, ID: "storage-two", Text: EntryText("storage-two")},
		{Author: "bob", Op: knowledge.OpRemove, ID: "storage-one"},
		{Author: "bob", Op: knowledge.OpSynonyms, ID: knowledge.SynonymsFile, Text: "storage, store\n"},
	}
	got, err = b.Commit(ctx, head, batch...)
	if err != nil || len(got) != len(batch) {
		t.Fatalf("Commit(%d, a batch of %d) = %v, %v", head, len(batch), got, err)
	}
	last := head + int64(len(batch))
	for i, r := range got {
		if r.Rev != head+int64(i)+1 || r.Batch != last || r.ID != batch[i].ID || r.Op != batch[i].Op {
			t.Errorf("batch record %d = revision %d, batch %d, %s %s; want revision %d, batch %d, %s %s", i, r.Rev, r.Batch, r.Op, r.ID, head+int64(i)+1, last, batch[i].Op, batch[i].ID)
		}
	}
	if _, err := a.Commit(ctx, head, put); !errors.Is(err, knowledge.ErrHeadMoved) {
		t.Errorf("Commit at %d after a batch moved the head to %d = %v, want ErrHeadMoved", head, last, err)
	}
	for _, tc := range []struct {
		after int64
		want  []string
	}{
		{last, nil},
		{last - 1, []string{knowledge.SynonymsFile}},
		{head, []string{"storage-two", "storage-one", knowledge.SynonymsFile}},
	} {
		recs, err := a.Since(ctx, tc.after)
		var ids []string
		for _, r := range recs {
			ids = append(ids, r.ID)
		}
		if err != nil || !slices.Equal(ids, tc.want) {
			t.Errorf("Since(%d) = %v, %v; want %v", tc.after, ids, err, tc.want)
		}
	}
	var st knowledge.State
	all, err = b.Since(ctx, 0)
	if err != nil {
		t.Fatalf("Since(0): %v", err)
	}
	st.Apply(all...)
	if r := st.Latest("storage-one"); r.Op != knowledge.OpRemove || r.Rev != head+2 {
		t.Errorf("the removal of storage-one reads back as %s at %d, want %s at %d", r.Op, r.Rev, knowledge.OpRemove, head+2)
	}

	// A handle reads its own events at once, in order; another handle
	// (another process) sees them too, once they are written.
	want := []string{"first gap", "second gap", "third gap"}
	for _, q := range want {
		if err := aEvents.AddGapEvent(ctx, knowledge.GapEvent{Time: time.Now().UTC(), Question: q}); err != nil {
			t.Fatalf("AddGapEvent(%q): %v", q, err)
		}
	}
	if err := aEvents.AddFeedbackEvent(ctx, knowledge.FeedbackEvent{Time: time.Now().UTC(), Entry: "storage-two", Helpful: true, Question: "q", Vote: "v"}); err != nil {
		t.Fatalf("AddFeedbackEvent: %v", err)
	}
	for _, h := range []struct {
		name   string
		events knowledge.Events
		own    bool // read at once, not waited for
	}{{"the same handle", aEvents, true}, {"another handle", bEvents, false}} {
		var (
			qs  []string
			fb  []knowledge.FeedbackEvent
			err error
		)
		eventually(t, func() bool {
			var gaps []knowledge.GapEvent
			if gaps, err = h.events.GapEvents(ctx); err != nil {
				return false
			}
			qs = qs[:0]
			for _, g := range gaps {
				qs = append(qs, g.Question)
			}
			fb, err = h.events.FeedbackEvents(ctx)
			return h.own || err == nil && len(qs) == len(want) && len(fb) == 1
		})
		if err != nil || !slices.Equal(qs, want) {
			t.Errorf("GapEvents() on %s = %q, %v; want %q", h.name, qs, err, want)
		}
		if err != nil || len(fb) != 1 || fb[0].Entry != "storage-two" || !fb[0].Helpful || fb[0].Vote != "v" {
			t.Errorf("FeedbackEvents() on %s = %+v, %v; want the one 👍 on storage-two", h.name, fb, err)
		}
	}

	testConflicts(t, a, aEvents, b, bEvents)
}

// testConflicts has two moderators, on two handles, change one entry from
// the same revision: the first wins, and the second is refused as a
// Conflict showing the first one's revision, whatever the change.
func testConflicts(t *testing.T, a knowledge.Revisions, aEvents knowledge.Events, b knowledge.Revisions, bEvents knowledge.Events) {
	ctx := t.Context()
	alice := knowledge.NewModeration(a, aEvents)
	bob := knowledge.NewModeration(b, bEvents)
	edit := func(id, body string) string {
		return strings.Replace(EntryText(id), "What "+id+" is, in a sentence.", body, 1)
	}
	for _, tc := range []struct {
		name string
		id   string
		// first and second are alice's and bob's changes, from base.
		first, second func(m *knowledge.Moderation, author string, base int64) (knowledge.Record, error)
		wantMessage   string
	}{{
		name: "edit, edit", id: "healing",
		first: func(m *knowledge.Moderation, author string, base int64) (knowledge.Record, error) {
			return m.Put(ctx, author, edit("healing", "Alice was first."), base)
		},
		second: func(m *knowledge.Moderation, author string, base int64) (knowledge.Record, error) {
			return m.Put(ctx, author, edit("healing", "Bob was second."), base)
		},
		wantMessage: "changed in revision",
	}, {
		name: "question, edit", id: "aftercare",
		first: func(m *knowledge.Moderation, author string, base int64) (knowledge.Record, error) {
			return m.AddQuestion(ctx, author, "aftercare", "when can I wash my scalp", base)
		},
		second: func(m *knowledge.Moderation, author string, base int64) (knowledge.Record, error) {
			return m.Put(ctx, author, edit("aftercare", "Bob's aftercare."), base)
		},
		wantMessage: "changed in revision",
	}, {
		name: "remove, undo", id: "step-two",
		first: func(m *knowledge.Moderation, author string, base int64) (knowledge.Record, error) {
			return m.Remove(ctx, author, "step-two", base)
		},
		second: func(m *knowledge.Moderation, author string, base int64) (knowledge.Record, error) {
			return m.Undo(ctx, author, "step-two", base)
		},
		wantMessage: "was removed in revision",
	}, {
		name: "synonyms, synonyms", id: knowledge.SynonymsFile,
		first: func(m *knowledge.Moderation, author string, base int64) (knowledge.Record, error) {
			return m.SetSynonyms(ctx, author, "alice, alicia\n", base)
		},
		second: func(m *knowledge.Moderation, author string, base int64) (knowledge.Record, error) {
			return m.SetSynonyms(ctx, author, "bob, robert\n", base)
		},
		wantMessage: "changed in revision",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			_, base, err := alice.Text(ctx, tc.id)
			if err != nil {
				t.Fatalf("Text(%q): %v", tc.id, err)
			}
			if _, bobBase, err := bob.Text(ctx, tc.id); err != nil || bobBase != base {
				t.Fatalf("the two handles see %s at revisions %d and %d (%v)", tc.id, base, bobBase, err)
			}
			won, err := tc.first(alice, "alice", base)
			if err != nil {
				t.Fatalf("alice's change of %s from %d: %v", tc.id, base, err)
			}
			_, err = tc.second(bob, "bob", base)
			var ce *knowledge.ChangeError
			if !errors.As(err, &ce) || ce.Kind != knowledge.Conflict {
				t.Fatalf("bob's change of %s from %d = %v, want a Conflict", tc.id, base, err)
			}
			if ce.Current.Rev != won.Rev || ce.Current.Author != "alice" {
				t.Errorf("bob's conflict shows revision %d by %s, want alice's %d", ce.Current.Rev, ce.Current.Author, won.Rev)
			}
			if !strings.Contains(err.Error(), tc.wantMessage) {
				t.Errorf("bob's conflict says %q, want it to say %q", err, tc.wantMessage)
			}
			if got := knowledge.Refusal(err); !strings.HasPrefix(got, "Nothing was changed: ") {
				t.Errorf("Refusal(bob's conflict) = %q, want it to begin \"Nothing was changed: \"", got)
			}
		})
	}
}

// eventually polls cond until it holds or a minute has passed: it waits
// for what a storage writes in the background, and asserts nothing about
// how soon.
func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
}

// seedLog commits the files of fsys, which must load, as the first revisions
// of revs, as a storage engine seeds a new knowledge base from the embedded
// default.
func seedLog(tb testing.TB, revs knowledge.Revisions, fsys fs.FS) []knowledge.Record {
	tb.Helper()
	files, err := knowledge.ReadFiles(fsys)
	if err == nil {
		_, err = knowledge.LoadFiles(files)
	}
	if err != nil {
		tb.Fatalf("seed: %v", err)
	}
	var recs []knowledge.Record
	for _, p := range slices.Sorted(maps.Keys(files)) {
		id := knowledge.FileID(p)
		recs = append(recs, knowledge.Record{Author: "seed", Op: knowledge.OpFor(id), ID: id, Text: files[p], Upstream: true})
	}
	out, err := revs.Commit(tb.Context(), 0, recs...)
	if err != nil {
		tb.Fatalf("seed: %v", err)
	}
	return out
}
