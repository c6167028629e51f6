package datadir_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
	text, rev, err := s.Text(context.Background(), id)
	if err != nil {
		t.Fatalf("Text(%q): %v", id, err)
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
	var ce *knowledge.ChangeError
	if !errors.As(err, &ce) || ce.Kind != knowledge.Conflict {
		t.Fatalf("bob's Put = %v, want a Conflict", err)
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

// live makes svc, answering from revision head, follow s until the test ends.
func live(t *testing.T, s dataKB, svc *knowledge.Service, head int64) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		done <- svc.Follow(ctx, s.Store, head, func(b *knowledge.Base) (knowledge.Index, error) { return index.Build(b) })
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
	base, head := s.Store.Base()
	idx, err := index.Build(base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() }) // Follow updates it in place
	svc := knowledge.NewService(base, idx, cal, nil)
	svc.Observe(s.Moderation)
	svc.RecordFeedbackTo(s.Moderation)
	live(t, s, svc, head)
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

func TestEventsOnFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir, knowledgetest.Files())
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	gap := knowledge.GapEvent{Time: when, Question: "can i fly"}
	fb := knowledge.FeedbackEvent{Time: when, Entry: "healing", Question: "how long", Helpful: false}
	if err := s.AddGapEvent(ctx, gap); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFeedbackEvent(ctx, fb); err != nil {
		t.Fatal(err)
	}
	// Events are written by the time they are read.
	if gaps, err := s.GapEvents(ctx); err != nil || len(gaps) != 1 {
		t.Fatalf("GapEvents after one = %+v, %v", gaps, err)
	}
	// A torn line, as a crash leaves it, is cut off before the next event.
	f, err := os.OpenFile(filepath.Join(dir, datadir.GapsFile), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"time":"2026-`)
	f.Close()
	if err := s.AddGapEvent(ctx, gap); err != nil {
		t.Fatal(err)
	}
	// Closing writes what is queued; another process sees it then.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	again := openStore(t, dir, knowledgetest.Files())
	gaps, err := again.GapEvents(ctx)
	if err != nil || len(gaps) != 2 || gaps[0] != gap || gaps[1] != gap {
		t.Errorf("GapEvents after reopening = %+v, %v; want the two written", gaps, err)
	}
	fbs, err := again.FeedbackEvents(ctx)
	if err != nil || len(fbs) != 1 || fbs[0] != fb {
		t.Errorf("FeedbackEvents after reopening = %+v, %v; want %+v", fbs, err, fb)
	}
}

func TestCommitIsCompareAndSet(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir(), knowledgetest.Files())
	_, head := s.Store.Base()
	rec := knowledge.Record{Author: "alice", Op: knowledge.OpPut, ID: "healing", Text: edited("healing", "Alice's.")}
	out, err := s.Commit(ctx, head, rec)
	if err != nil || len(out) != 1 || out[0].Rev != head+1 {
		t.Fatalf("Commit at the head = %+v, %v; want revision %d", out, err, head+1)
	}
	if _, err := s.Commit(ctx, head, rec); !errors.Is(err, knowledge.ErrHeadMoved) {
		t.Errorf("Commit at the old head = %v, want ErrHeadMoved", err)
	}
	recs, err := s.Since(ctx, head)
	if err != nil || len(recs) != 1 || recs[0].Author != "alice" {
		t.Errorf("Since(%d) = %+v, %v; want alice's revision", head, recs, err)
	}
}

// An export can name a file only where it is written: entries/sub/x.md would
// be validated as nothing and written as entries/x.md (issue 11).
func TestImportWritesOnlyWhatItValidated(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir, knowledgetest.Files())
	var backup bytes.Buffer
	if err := s.Export(ctx, &backup); err != nil {
		t.Fatal(err)
	}
	_, head := s.Store.Base()
	boundary := strings.Fields(backup.String()[strings.Index(backup.String(), "<!-- file "):])[2]
	garbage := backup.String() + "<!-- file " + boundary + " entries/sub/garbage.md -->\nnot an entry\n"
	if _, err := s.Import(ctx, "mallory", strings.NewReader(garbage)); err == nil {
		t.Errorf("Import of entries/sub/*.md succeeded, want it refused")
	}
	s.Close()
	s = openStore(t, dir, knowledgetest.Files())
	if _, got := s.Store.Base(); got != head {
		t.Errorf("after a refused import, head = %d, want %d", got, head)
	}
}

// breakLog appends a revision that does not load, as a hand-edited log or an
// older version could, and returns the head before it.
func breakLog(t *testing.T, dir string) int64 {
	t.Helper()
	s := openStore(t, dir, knowledgetest.Files())
	_, head := s.Store.Base()
	s.Close()
	line, err := json.Marshal(knowledge.Record{Rev: head + 1, Author: "mallory", Op: knowledge.OpPut, ID: "healing", Text: "no front matter\n"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, datadir.LogFile), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(append(line, '\n')); err != nil {
		t.Fatal(err)
	}
	return head
}

func TestRecover(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	before := breakLog(t, dir)
	if _, err := datadir.Open(ctx, dir, knowledgetest.Files(), nil); !errors.Is(err, datadir.ErrUnloadable) {
		t.Fatalf("Open of an unloadable directory = %v, want ErrUnloadable", err)
	}
	recs, err := datadir.Recover(ctx, dir, "alice")
	if err != nil {
		t.Fatalf("Recover: %v", err)
	}
	if len(recs) != 1 || recs[0].ID != "healing" || recs[0].Note != fmt.Sprintf("recover revision %d", before) {
		t.Errorf("Recover wrote %+v, want healing as of revision %d", recs, before)
	}
	s := openStore(t, dir, knowledgetest.Files())
	if text, _ := source(t, s, "healing"); text != knowledgetest.EntryText("healing") {
		t.Errorf("after Recover, healing = %q, want its text before the bad revision", text)
	}
	s.Close()
	if _, err := datadir.Recover(ctx, dir, "alice"); !errors.Is(err, knowledge.ErrNoChange) {
		t.Errorf("Recover of a directory that loads = %v, want ErrNoChange", err)
	}
}
