//go:build unix

package datadir_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// Only regular files are read: a FIFO in entries/ blocked every reader, and a
// symlink pointing outside the directory was served as a hand edit (issue 11).
func TestOnlyRegularFilesAreRead(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir, knowledgetest.Files())
	_, head := s.Store.Base()

	outside := filepath.Join(t.TempDir(), "outside.md")
	if err := os.WriteFile(outside, []byte(knowledgetest.EntryText("outside")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "entries", "outside.md")); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "entries", "fifo.md")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	// A writer that a blocking reader would let in: before the fix, it
	// made the FIFO a served entry; after it, its write fails or is unread.
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		os.WriteFile(fifo, []byte(knowledgetest.EntryText("fifo")), 0)
	}()
	t.Cleanup(func() {
		if f, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close() // lets the writer in if nothing read the FIFO
		}
		<-wrote
	})

	if _, err := s.Since(ctx, head); err != nil {
		t.Fatalf("Since with a FIFO and a symlink in entries/: %v", err)
	}
	b, got := s.Store.Base()
	for _, id := range []string{"outside", "fifo"} {
		if _, ok := b.Entry(id); ok {
			t.Errorf("entry %s is served, want it skipped", id)
		}
	}
	if got != head {
		t.Errorf("head = %d, want %d: nothing to record", got, head)
	}
	for _, p := range []string{"entries/fifo.md", "entries/outside.md"} {
		if !slices.Contains(s.Skipped(), p) {
			t.Errorf("Skipped() = %v, want %s reported", s.Skipped(), p)
		}
	}

	// A FIFO where an entry's file was is no removal, and a change of the
	// entry replaces it.
	healing := filepath.Join(dir, "entries", "healing.md")
	os.Remove(healing)
	if err := syscall.Mkfifo(healing, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Since(ctx, head); err != nil {
		t.Fatal(err)
	}
	b, _ = s.Store.Base()
	if _, ok := b.Entry("healing"); !ok {
		t.Errorf("a FIFO at entries/healing.md removed healing")
	}
	_, rev := source(t, s, "healing")
	if _, err := s.Put(ctx, "alice", edited("healing", "Alice's words."), rev); err != nil {
		t.Fatalf("Put over a FIFO: %v", err)
	}
	if st, err := os.Lstat(healing); err != nil || !st.Mode().IsRegular() {
		t.Errorf("after Put, entries/healing.md = %v, %v; want a regular file", st, err)
	}
}
