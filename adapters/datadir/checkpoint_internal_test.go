package datadir

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

// openGuide opens the data directory dir, seeded from the embedded guide on
// first use, and closes it when the test ends.
func openGuide(tb testing.TB, dir string) *Store {
	tb.Helper()
	s, err := Open(context.Background(), dir, guide.FS(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// growLog makes dir a data directory seeded from the embedded guide whose
// log then puts its last seeded entry again, with a revision number in the
// text, until the log holds revs revisions. It writes the lines itself, as a
// long-lived directory's history would have them, without a checkpoint.
func growLog(tb testing.TB, dir string, revs int64) {
	tb.Helper()
	ctx := context.Background()
	s := openGuide(tb, dir)
	recs, err := s.Since(ctx, 0)
	s.Close()
	if err != nil || len(recs) == 0 {
		tb.Fatalf("Since(0) = %d records, %v", len(recs), err)
	}
	head := recs[len(recs)-1].Rev
	last := recs[len(recs)-1]
	for last.Op != knowledge.OpPut {
		recs = recs[:len(recs)-1]
		last = recs[len(recs)-1]
	}
	f, err := os.OpenFile(filepath.Join(dir, LogFile), os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for rev := head + 1; rev <= revs; rev++ {
		r := last
		r.Rev, r.Batch = rev, 0
		r.Text = strings.Replace(last.Text, "\n---\n", "\n---\n\nRevision "+strconv.FormatInt(rev, 10)+".\n\n", 1)
		if err := enc.Encode(r); err != nil {
			tb.Fatal(err)
		}
	}
}

// spoil overwrites the middle of the log's first line with as many bytes
// of garbage, so that reading it fails: what reads only what is new never
// notices.
func spoil(t *testing.T, dir string) {
	t.Helper()
	p := filepath.Join(dir, LogFile)
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt([]byte("#####"), 20); err != nil {
		t.Fatal(err)
	}
}

// TestOpenResumesFromCheckpoint checks that a directory with a long history
// opens from its checkpoint, reading only the log's records after it, and
// serves the same knowledge base as reading the whole log did.
func TestOpenResumesFromCheckpoint(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	revs := int64(checkpointEvery + 200)
	growLog(t, dir, revs)
	first := openGuide(t, dir)
	want, head := first.Base()
	first.Close()
	if head != revs {
		t.Fatalf("head = %d, want %d", head, revs)
	}
	if _, err := os.Stat(filepath.Join(dir, checkpointFile)); err != nil {
		t.Fatalf("no checkpoint after opening %d revisions: %v", revs, err)
	}

	spoil(t, dir) // the history before the checkpoint is no longer read
	s, err := Open(ctx, dir, guide.FS(), nil)
	if err != nil {
		t.Fatalf("Open with a checkpoint read the history before it: %v", err)
	}
	defer s.Close()
	got, gotHead := s.Base()
	if gotHead != head || len(got.Entries()) != len(want.Entries()) {
		t.Fatalf("resumed at revision %d with %d entries, want %d with %d", gotHead, len(got.Entries()), head, len(want.Entries()))
	}
	for _, e := range want.Entries() {
		if g, ok := got.Entry(e.ID); !ok || g.Body != e.Body {
			t.Errorf("entry %s differs after resuming from the checkpoint", e.ID)
		}
	}
	// Answering and moderation start from the store's state too.
	var st knowledge.State
	if moved, err := knowledge.Fold(ctx, s, &st); err != nil || !moved || st.Head() != head {
		t.Errorf("Fold from nothing = head %d, moved %v, %v; want head %d without reading the history", st.Head(), moved, err, head)
	}
	// History asks for everything, and says the log is damaged.
	if _, err := s.Since(ctx, 0); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("Since(0) on a spoiled log = %v, want the corruption reported", err)
	}
}

// TestStaleCheckpointIsIgnored checks that a checkpoint the log no longer
// holds, because the log was replaced by an older copy, is not believed.
func TestStaleCheckpointIsIgnored(t *testing.T) {
	dir := t.TempDir()
	growLog(t, dir, checkpointEvery+5)
	openGuide(t, dir).Close() // reads the whole log, and checkpoints it
	p := filepath.Join(dir, LogFile)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	// Keep the first 100 revisions, as a restored backup would.
	cut := 0
	for range 100 {
		cut += strings.IndexByte(string(data[cut:]), '\n') + 1
	}
	if err := os.WriteFile(p, data[:cut], 0o644); err != nil {
		t.Fatal(err)
	}
	s := openGuide(t, dir)
	if _, head := s.Base(); head < 100 || head >= checkpointEvery {
		t.Errorf("head after restoring 100 revisions = %d, want the restored log's, not the checkpoint's", head)
	}
}

// TestFollowingReadsOnlyWhatIsNew checks that a store catching up with
// another process's commit reads only the new record, so that the cost of
// following the log does not grow with its history.
func TestFollowingReadsOnlyWhatIsNew(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	reader := openGuide(t, dir)
	_, head := reader.Base()
	spoil(t, dir)

	// Another process appends an edit, as its fileLog would.
	id := reader.state.IDs()[0]
	line, err := json.Marshal(knowledge.Record{Rev: head + 1, Author: "mod", Op: knowledge.OpPut, ID: id, Text: reader.state.Latest(id).Text + "\nOne more line.\n"})
	if err != nil {
		t.Fatal(err)
	}
	if err := appendLines(filepath.Join(dir, LogFile), append(line, '\n'), true); err != nil {
		t.Fatal(err)
	}
	recs, err := reader.Since(ctx, head)
	if err != nil {
		t.Fatalf("Since(%d) after another process's commit read more than the new record: %v", head, err)
	}
	if len(recs) != 1 || recs[0].Rev != head+1 {
		t.Fatalf("Since(%d) = %d records, want the one new one", head, len(recs))
	}
}
