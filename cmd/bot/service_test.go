package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestReloadSkippingAHandEditIsInvalid breaks an entry by hand in the data
// directory: the reload that skips it is reported with one skipped file, so
// that it counts as invalid rather than ok.
func TestReloadSkippingAHandEditIsInvalid(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	kb, err := openService(ctx, "", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer kb.close()
	type reload struct {
		err     error
		skipped int
	}
	reloads := make(chan reload, 16)
	done := make(chan error, 1)
	go func() {
		done <- kb.watch(ctx, func(err error, skipped int) { reloads <- reload{err, skipped} })
	}()
	if err := os.WriteFile(filepath.Join(dir, "entries", "aftercare.md"), []byte("no front matter\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := <-reloads; got.err != nil || got.skipped != 1 {
		t.Errorf("reload after a broken hand edit = %v with %d skipped, want nil with 1", got.err, got.skipped)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("watch = %v, want nil", err)
	}
}
