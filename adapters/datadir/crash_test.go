package datadir_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/datadir"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// crashDirEnv tells the test binary, run again by TestKillDuringWrites, to
// write to a data directory until it is killed.
const crashDirEnv = "KNOWLEDGE_CRASH_DIR"

// crashVersion is version n of the entry the writer keeps changing: large, so
// that a kill often lands in the middle of writing it.
func crashVersion(n int) string {
	return edited("healing", fmt.Sprintf("Version %d.\n\n%s", n, strings.Repeat("All work and no play. ", 1200)))
}

// TestCrashWriter is the child of TestKillDuringWrites: it edits, removes and
// restores entries and records gaps in a loop, and is killed at a random
// moment.
func TestCrashWriter(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("only run by TestKillDuringWrites")
	}
	ctx := context.Background()
	st, err := datadir.Open(ctx, dir, knowledgetest.Files(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := knowledge.NewModeration(st, st)
	fmt.Println("ready")
	for n := 1; ; n++ {
		_, rev, err := s.Text(ctx, "healing")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Put(ctx, "writer", crashVersion(n), rev); err != nil {
			t.Fatal(err)
		}
		_, rev, _ = s.Text(ctx, "step-two")
		if n%2 == 0 {
			_, err = s.Remove(ctx, "writer", "step-two", rev)
		} else if rev != 0 {
			_, err = s.Undo(ctx, "writer", "step-two", rev)
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := st.AddGapEvent(ctx, knowledge.GapEvent{Time: time.Now(), Question: fmt.Sprintf("question %d", n)}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestKillDuringWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	s, err := datadir.Open(context.Background(), dir, knowledgetest.Files(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for round := range 8 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashWriter$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := bufio.NewScanner(out)
		if !ready.Scan() || ready.Text() != "ready" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: the writer did not start: %q", round, ready.Text())
		}
		time.Sleep(time.Duration(rand.IntN(150)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()

		// Every file is a whole version, before anything repairs it.
		data, err := os.ReadFile(filepath.Join(dir, "entries", "healing.md"))
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if !isVersion(string(data)) {
			t.Fatalf("round %d: healing.md is torn:\n%.200s", round, data)
		}
		if data, err := os.ReadFile(filepath.Join(dir, "entries", "step-two.md")); err == nil && string(data) != knowledgetest.StepText("step-two", "2") {
			t.Fatalf("round %d: step-two.md is torn: %q", round, data)
		}

		s, err := datadir.Open(context.Background(), dir, knowledgetest.Files(), nil)
		if err != nil {
			t.Fatalf("round %d: reopen after kill -9: %v", round, err)
		}
		if ps := s.Problems(); len(ps) > 0 {
			t.Errorf("round %d: after reopening, problems %v", round, ps)
		}
		m := knowledge.NewModeration(s, s)
		text, _, err := m.Text(context.Background(), "healing")
		if err != nil || !isVersion(text) {
			t.Errorf("round %d: healing = %.80q, %v; want a whole version", round, text, err)
		}
		if _, err := m.Gaps(context.Background()); err != nil {
			t.Errorf("round %d: Gaps: %v", round, err)
		}
		s.Close()
		checkLog(t, dir)
	}
}

// isVersion reports whether text is the seed or a whole crashVersion.
func isVersion(text string) bool {
	if text == knowledgetest.EntryText("healing") {
		return true
	}
	var n int
	if _, err := fmt.Sscanf(strings.SplitN(text, "---\n", 3)[2], "Version %d.", &n); err != nil {
		return false
	}
	return text == crashVersion(n)
}

// checkLog fails unless every line of the log is a whole record, numbered
// 1, 2, 3 … without gaps.
func checkLog(t *testing.T, dir string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, datadir.LogFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.Errorf("the log ends in a torn line")
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		var r knowledge.Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("log line %d: %v", i+1, err)
		}
		if r.Rev != int64(i+1) {
			t.Fatalf("log line %d has revision %d", i+1, r.Rev)
		}
	}
}
