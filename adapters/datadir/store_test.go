package datadir_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/smpbot/bot/adapters/datadir"
	"github.com/smpbot/bot/index"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// dataKB is a data directory and the moderation of the knowledge base in it.
type dataKB struct {
	*datadir.Store
	*knowledge.Moderation
}

// openStore opens a data directory seeded from seed, closed at the end of the
// test.
func openStore(t *testing.T, dir string, seed fs.FS) dataKB {
	t.Helper()
	s, err := datadir.Open(context.Background(), dir, seed, nil)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { s.Close() })
	return dataKB{s, knowledge.NewModeration(s, s)}
}

// source returns an entry's text and revision, failing the test if it has none.
func source(t *testing.T, s dataKB, id string) (string, int64) {
	t.Helper()
	text, rev, err := s.Source(context.Background(), id)
	if err != nil {
		t.Fatalf("Source(%q): %v", id, err)
	}
	return text, rev
}

// edited returns the text of entry id with its body replaced.
func edited(id, body string) string {
	return strings.Replace(knowledgetest.EntryText(id), "What "+id+" is, in a sentence.", body, 1)
}

func TestOpenSeedsOnceAndKeepsEdits(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir, knowledgetest.Files())
	_, rev := source(t, s, "healing")
	if _, err := s.Put(ctx, "alice", edited("healing", "Alice's words."), rev); err != nil {
		t.Fatalf("Put: %v", err)
	}
	s.Close()

	newer := knowledgetest.Files()
	newer["entries/healing.md"] = &fstest.MapFile{Data: []byte(edited("healing", "Upstream words."))}
	s = openStore(t, dir, newer)
	if text, _ := source(t, s, "healing"); !strings.Contains(text, "Alice's words.") {
		t.Errorf("after reopening, healing = %q, want Alice's edit kept", text)
	}
	ups, err := s.Upstream(ctx, newer)
	if err != nil || len(ups) != 1 || ups[0].ID != "healing" || ups[0].New || !ups[0].Edited {
		t.Fatalf("Upstream = %+v, %v; want healing changed upstream and edited locally", ups, err)
	}
	if _, err := s.Merge(ctx, "bob", newer, "healing"); err != nil {
		t.Fatalf("Merge(healing): %v", err)
	}
	if text, _ := source(t, s, "healing"); !strings.Contains(text, "Upstream words.") {
		t.Errorf("after Merge, healing = %q, want the upstream text", text)
	}
	if ups, _ := s.Upstream(ctx, newer); len(ups) != 0 {
		t.Errorf("after Merge, Upstream = %+v, want nothing left", ups)
	}
}

func TestHistoryUndoRevert(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir(), knowledgetest.Files())
	_, seedRev := source(t, s, "healing")
	v2, err := s.Put(ctx, "alice", edited("healing", "Version two."), seedRev)
	if err != nil {
		t.Fatal(err)
	}
	v3, err := s.Put(ctx, "bob", edited("healing", "Version three."), v2.Rev)
	if err != nil {
		t.Fatal(err)
	}
	type step struct {
		name string
		do   func(rev int64) (knowledge.Record, error)
		want string // a fragment of the text, or "" for removed
	}
	steps := []step{
		{"undo", func(rev int64) (knowledge.Record, error) { return s.Undo(ctx, "carol", "healing", rev) }, "Version two."},
		{"undo the undo", func(rev int64) (knowledge.Record, error) { return s.Undo(ctx, "carol", "healing", rev) }, "Version three."},
		{"revert to the seed", func(rev int64) (knowledge.Record, error) { return s.Revert(ctx, "carol", "healing", seedRev, rev) }, "What healing is"},
		{"remove", func(rev int64) (knowledge.Record, error) { return s.Remove(ctx, "carol", "healing", rev) }, ""},
		{"undo the removal", func(rev int64) (knowledge.Record, error) { return s.Undo(ctx, "carol", "healing", rev) }, "What healing is"},
		{"revert to v3", func(rev int64) (knowledge.Record, error) { return s.Revert(ctx, "carol", "healing", v3.Rev, rev) }, "Version three."},
	}
	rev := v3.Rev
	for _, st := range steps {
		// healing is related from aftercare, so removing it needs that link gone.
		if st.want == "" {
			_, arev := source(t, s, "aftercare")
			if _, err := s.Put(ctx, "carol", knowledgetest.EntryText("aftercare"), arev); err != nil {
				t.Fatalf("unlink aftercare: %v", err)
			}
		}
		r, err := st.do(rev)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		rev = r.Rev
		text, _, err := s.Source(context.Background(), "healing")
		if st.want == "" {
			if !errors.Is(err, knowledge.ErrNotFound) {
				t.Errorf("%s: Source(healing) = %q, %v; want ErrNotFound", st.name, text, err)
			}
			if b, _ := s.Store.Base(); b != nil {
				if _, ok := b.Entry("healing"); ok {
					t.Errorf("%s: the base still serves healing", st.name)
				}
			}
			continue
		}
		if !strings.Contains(text, st.want) {
			t.Errorf("%s: healing = %q, want %q in it", st.name, text, st.want)
		}
		if b, _ := s.Store.Base(); b != nil {
			if e, ok := b.Entry("healing"); !ok || !strings.Contains(e.Body+e.Title, strings.TrimSuffix(st.want, ".")) {
				t.Errorf("%s: the base serves %+v, want %q", st.name, e, st.want)
			}
		}
	}
	hist, err := s.History(ctx, "healing")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range hist {
		got = append(got, r.Author+":"+string(r.Op))
	}
	want := []string{"seed:put", "alice:put", "bob:put", "carol:put", "carol:put", "carol:put", "carol:remove", "carol:put", "carol:put"}
	if !slices.Equal(got, want) {
		t.Errorf("History(healing) = %v, want %v", got, want)
	}
	if _, err := s.Revert(ctx, "carol", "healing", 1_000, rev); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("Revert to a revision that is not healing's = %v, want ErrNotFound", err)
	}
}

func TestTwoModeratorsEditingAtOnce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	alice := openStore(t, dir, knowledgetest.Files())
	bob := openStore(t, dir, knowledgetest.Files()) // another process on the same directory
	_, seen := source(t, alice, "healing")
	if _, bobSeen := source(t, bob, "healing"); bobSeen != seen {
		t.Fatalf("the two stores see revisions %d and %d", seen, bobSeen)
	}
	if _, err := alice.Put(ctx, "alice", edited("healing", "Alice was first."), seen); err != nil {
		t.Fatalf("alice: %v", err)
	}
	_, err := bob.Put(ctx, "bob", edited("healing", "Bob was second."), seen)
	var ce *knowledge.ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, knowledge.ErrConflict) {
		t.Fatalf("bob's Put = %v, want a ConflictError", err)
	}
	if !strings.Contains(ce.Current.Text, "Alice was first.") || ce.Current.Author != "alice" {
		t.Errorf("the conflict shows %s's %q, want alice's text", ce.Current.Author, ce.Current.Text)
	}
	if !strings.Contains(err.Error(), "changed in revision") {
		t.Errorf("conflict message %q does not say what changed", err)
	}
	// Bob retries on the newer text; nothing is lost.
	if _, err := bob.Put(ctx, "bob", edited("healing", "Bob merged."), ce.Current.Rev); err != nil {
		t.Fatalf("bob's retry: %v", err)
	}
	hist, _ := alice.History(ctx, "healing")
	if n := len(hist); n != 3 || !strings.Contains(hist[1].Text, "Alice was first.") {
		t.Errorf("history has %d revisions, want seed, alice's and bob's", n)
	}
	if _, err := alice.Put(ctx, "alice", knowledgetest.EntryText("healing"), 0); !errors.Is(err, knowledge.ErrConflict) {
		t.Errorf("adding an existing entry = %v, want ErrConflict", err)
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir, knowledgetest.Files())
	_, rev := source(t, s, "healing")
	_, synRev := source(t, s, knowledge.SynonymsFile)
	tests := []struct {
		name string
		do   func() error
		want string
	}{
		{"empty title", func() error {
			_, err := s.Put(ctx, "eve", strings.Replace(knowledgetest.EntryText("healing"), "title: About healing", `title: ""`, 1), rev)
			return err
		}, "empty title"},
		{"100 KB body", func() error {
			_, err := s.Put(ctx, "eve", edited("healing", strings.Repeat("x", 100<<10)), rev)
			return err
		}, "over the 32768-byte limit"},
		{"id with ../ in a new entry", func() error {
			_, err := s.Put(ctx, "eve", strings.Replace(knowledgetest.EntryText("x"), "id: x", "id: ../../etc/passwd", 1), 0)
			return err
		}, "is unsafe"},
		{"id with ../ to remove", func() error { return errOf(s.Remove(ctx, "eve", "../log.jsonl", rev)) }, "invalid entry id"},
		{"id with ../ in history", func() error { _, err := s.History(ctx, "../x"); return err }, "invalid entry id"},
		{"front matter in the body", func() error {
			return errOf(s.Put(ctx, "eve", edited("healing", "Text.\n---\nid: evil\n---\nMore."), rev))
		}, `body contains a "---" line`},
		{"synonyms that match everything", func() error {
			return errOf(s.SetSynonyms(ctx, "eve", "the, a, smp\n", synRev))
		}, `"the" would match almost every question`},
		{"broken related link", func() error {
			return errOf(s.Put(ctx, "eve", knowledgetest.EntryText("healing", "nowhere"), rev))
		}, `related id "nowhere" does not exist`},
		{"removing a related entry", func() error { return errOf(s.Remove(ctx, "eve", "healing", rev)) }, `entries/aftercare.md:7: related id "healing" does not exist`},
	}
	before := snapshotDir(t, dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
			if after := snapshotDir(t, dir); after != before {
				t.Errorf("the data directory changed")
			}
		})
	}
}

func errOf(_ knowledge.Record, err error) error { return err }

// snapshotDir returns the files of a data directory's knowledge base and log.
func snapshotDir(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	for _, pat := range []string{"entries/*.md", "synonyms.txt", "log.jsonl"} {
		names, _ := filepath.Glob(filepath.Join(dir, pat))
		for _, n := range names {
			data, err := os.ReadFile(n)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(n + "\n" + string(data))
		}
	}
	return b.String()
}

func TestInjectionStoredVerbatim(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir(), knowledgetest.Files())
	text := strings.Replace(edited("healing", "<script>alert(1)</script> [click](javascript:alert(1)) **<b>x</b>** @everyone"),
		"title: About healing", `title: "<img src=x onerror=alert(1)> *bold*"`, 1)
	_, rev := source(t, s, "healing")
	if _, err := s.Put(ctx, "eve", text, rev); err != nil {
		t.Fatalf("Put: %v", err)
	}
	got, _ := source(t, s, "healing")
	if got != text {
		t.Errorf("stored %q, want %q verbatim", got, text)
	}
	b, _ := s.Store.Base()
	e, _ := b.Entry("healing")
	if e.Title != "<img src=x onerror=alert(1)> *bold*" || !strings.HasPrefix(e.Body, "<script>alert(1)</script>") {
		t.Errorf("served title %q body %q, want the text as written", e.Title, e.Body)
	}
}

func TestTornLogIsRepaired(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir, knowledgetest.Files())
	_, rev := source(t, s, "healing")
	if _, err := s.Put(ctx, "alice", edited("healing", "Kept."), rev); err != nil {
		t.Fatal(err)
	}
	s.Close()
	f, err := os.OpenFile(filepath.Join(dir, datadir.LogFile), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"rev":99,"op":"put","id":"healing","text":"---\nid: heal`)
	f.Close()

	s = openStore(t, dir, knowledgetest.Files())
	text, rev := source(t, s, "healing")
	if !strings.Contains(text, "Kept.") {
		t.Fatalf("after a torn append, healing = %q, want the last whole revision", text)
	}
	if _, err := s.Put(ctx, "alice", edited("healing", "After."), rev); err != nil {
		t.Fatalf("Put after a torn append: %v", err)
	}
	checkLog(t, dir)
}

func TestExportImport(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir(), knowledgetest.Files())
	_, rev := source(t, s, "healing")
	if _, err := s.Put(ctx, "alice", edited("healing", "A line that looks like a separator:\n<!-- file 0123456789abcdef entries/x.md -->"), rev); err != nil {
		t.Fatal(err)
	}
	var backup bytes.Buffer
	if err := s.Export(ctx, &backup); err != nil {
		t.Fatal(err)
	}
	_, rev = source(t, s, "healing")
	if _, err := s.Put(ctx, "bob", edited("healing", "Bob's mistake."), rev); err != nil {
		t.Fatal(err)
	}

	other := openStore(t, t.TempDir(), knowledgetest.Files())
	bad := strings.Replace(backup.String(), "title: About healing", `title: ""`, 1)
	if _, err := other.Import(ctx, "carol", strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "empty title") {
		t.Errorf("importing an invalid export = %v, want the problem", err)
	}
	if text, _ := source(t, other, "healing"); strings.Contains(text, "separator") {
		t.Errorf("an invalid import changed the knowledge base")
	}

	recs, err := s.Import(ctx, "carol", &backup)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if len(recs) != 1 || recs[0].ID != "healing" {
		t.Errorf("Import wrote %+v, want one record for healing", recs)
	}
	if text, _ := source(t, s, "healing"); !strings.Contains(text, "<!-- file 0123456789abcdef entries/x.md -->") {
		t.Errorf("after Import, healing = %q, want the exported text", text)
	}
}

func TestGapsAndFeedback(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir(), knowledgetest.Files())
	for _, q := range []string{"Can I fly after SMP?", "is it safe to swim", "can i fly after smp"} {
		if err := s.RecordGap(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	gaps, err := s.Gaps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(gaps) != 2 || gaps[0].Question != "can i fly after smp" || gaps[0].Count != 2 || gaps[1].Count != 1 {
		t.Errorf("Gaps = %+v, want the flying question twice, newest first, then swimming", gaps)
	}
	// As an observer, the store records what was not answered, but not a
	// question still being typed, nor one declined as out of scope.
	s.Observe(ctx, &knowledge.Answer{Question: "is it safe to swim"}, 0)
	s.Observe(knowledge.AsDraft(ctx), &knowledge.Answer{Question: "can i fl"}, 0)
	s.Observe(ctx, &knowledge.Answer{Question: "how deep should it go", Answered: true}, 0)
	s.Observe(ctx, &knowledge.Answer{Question: "fue or fut", Declined: &knowledge.Entry{ID: "not-transplants"}}, 0)
	if gaps, err = s.Gaps(ctx); err != nil || len(gaps) != 2 || gaps[0].Question != "is it safe to swim" || gaps[0].Count != 2 {
		t.Errorf("Gaps after observing = %+v, %v; want swimming asked twice, newest, and nothing else new", gaps, err)
	}
	for _, f := range []struct {
		q       string
		helpful bool
	}{{"a", true}, {"b", false}, {"c", false}, {"b", false}} {
		if err := s.RecordFeedback(ctx, "healing", f.q, f.helpful); err != nil {
			t.Fatal(err)
		}
	}
	fb, err := s.Feedback(ctx)
	if err != nil || len(fb) != 1 || fb[0].Up != 1 || fb[0].Down != 3 || !slices.Equal(fb[0].Unhelpful, []string{"b", "c"}) {
		t.Errorf("Feedback = %+v, %v; want healing 1 up, 3 down, unhelpful [b c]", fb, err)
	}
}

// live makes svc follow s, stopped at the end of the test.
func live(t *testing.T, s dataKB, svc *knowledge.Service) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		done <- svc.Follow(ctx, s.Store, func(b *knowledge.Base) (knowledge.Index, error) { return index.Build(b) })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Follow: %v", err)
		}
	})
}

// serving builds a service answering from the store, kept live.
func serving(t *testing.T, s dataKB, cal knowledge.Calibration) *knowledge.Service {
	t.Helper()
	base, _ := s.Store.Base()
	// Follow closes the index once it has replaced it.
	idx, err := index.Build(base)
	if err != nil {
		t.Fatal(err)
	}
	svc := knowledge.NewService(base, idx, cal, nil)
	svc.Observe(s.Moderation)
	svc.RecordFeedbackTo(s.Moderation)
	live(t, s, svc)
	return svc
}

// eventually fails the test unless cond becomes true; it polls, so that no
// test depends on how fast the machine is.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestHandEditsAreLive(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir, knowledgetest.Files())
	svc := serving(t, s, knowledge.Calibration{})
	file := filepath.Join(dir, "entries", "healing.md")

	if err := os.WriteFile(file, []byte(edited("healing", "Edited by hand.")), 0o644); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the hand edit to serve", func() bool {
		e, ok := svc.Entry("healing")
		return ok && e.Body == "Edited by hand."
	})
	hist, _ := s.History(context.Background(), "healing")
	if last := hist[len(hist)-1]; last.Author != datadir.HandEdit {
		t.Errorf("the hand edit is recorded by %q, want %q", last.Author, datadir.HandEdit)
	}

	// An invalid hand edit is skipped and reported; the last good version serves.
	if err := os.WriteFile(file, []byte("---\nid: healing\ntitle: \"\"\n---\nBroken.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the invalid edit to be reported", func() bool {
		ps := s.Problems()
		return len(ps) > 0 && strings.Contains(ps[0].String(), "entries/healing.md:3: empty title")
	})
	if e, _ := svc.Entry("healing"); e.Body != "Edited by hand." {
		t.Errorf("after an invalid hand edit, healing serves %q, want the last good body", e.Body)
	}
	if a, err := svc.Answer(context.Background(), "what is healing"); err != nil || a.Best() == nil || a.Best().ID != "healing" {
		t.Errorf("after an invalid hand edit, the healing question is not answered: %+v, %v", a, err)
	}

	// A new file by hand is picked up too.
	newFile := filepath.Join(dir, "entries", "new-topic.md")
	if err := os.WriteFile(newFile, []byte(knowledgetest.EntryText("new-topic")), 0o644); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the new entry to be answered", func() bool {
		a, err := svc.Answer(context.Background(), "what is new-topic")
		return err == nil && a.Best() != nil && a.Best().ID == "new-topic"
	})
}

func TestGapBecomesQuestion(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir(), knowledgetest.Files())
	svc := serving(t, s, knowledge.Calibration{MinScore: 0.3, MinCoverage: 0.5})
	const q = "can i fly on a plane"
	if a, err := svc.Answer(ctx, q); err != nil || a.Answered {
		t.Fatalf("Answer(%q) = %+v, %v before the gap is filled; want it unanswered", q, a, err)
	}
	gaps, err := s.Gaps(ctx)
	if err != nil || len(gaps) != 1 || gaps[0].Question != q {
		t.Fatalf("Gaps = %+v, %v; want %q", gaps, err, q)
	}
	_, rev := source(t, s, "healing")
	if _, err := s.AddQuestion(ctx, "alice", "healing", gaps[0].Question, rev); err != nil {
		t.Fatalf("AddQuestion: %v", err)
	}
	if gaps, _ := s.Gaps(ctx); len(gaps) != 0 {
		t.Errorf("after answering it, Gaps = %+v, want none", gaps)
	}
	eventually(t, "the gap question to be answered", func() bool {
		a, err := svc.Answer(ctx, q)
		return err == nil && a.Answered && a.Best().ID == "healing"
	})
	if err := svc.FeedbackOn(ctx, "healing", q, false); err != nil {
		t.Fatal(err)
	}
	if fb, _ := s.Feedback(ctx); len(fb) != 1 || fb[0].Down != 1 || fb[0].Unhelpful[0] != q {
		t.Errorf("Feedback = %+v, want the 👎 on healing with its question", fb)
	}
}
