package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Bugs a new user found; each test failed before its fix.

// runBotEnv is runBot with environment variables.
func runBotEnv(t *testing.T, vars map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, envOf(vars), strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestKBAndDataTogetherIsAnError(t *testing.T) {
	kbDir, data := t.TempDir(), filepath.Join(t.TempDir(), "data")
	tests := []struct {
		name string
		vars map[string]string
		args []string
	}{
		{"ask, both flags", nil, []string{"ask", "--kb", kbDir, "--data", data, "is smp safe"}},
		{"ask, flag and variable", map[string]string{envDataDir: data}, []string{"ask", "--kb", kbDir, "is smp safe"}},
		{"chat, both flags", nil, []string{"chat", "--kb", kbDir, "--data", data}},
		{"run, both variables", map[string]string{envKBDir: kbDir, envDataDir: data}, []string{"run"}},
		{"kb list, both flags", nil, []string{"kb", "list", "--kb", kbDir, "--data", data}},
		{"kb list, flag and variable", map[string]string{envDataDir: data}, []string{"kb", "list", "--kb", kbDir}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, err := runBotEnv(t, tt.vars, tt.args...)
			if err == nil || !strings.Contains(err.Error()+stderr, "give one") {
				t.Errorf("bot %s = %v (stderr %q), want an error naming both", strings.Join(tt.args, " "), err, stderr)
			}
		})
	}
}

func TestKBAddNamesTheFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	tests := []struct {
		name, text string
		want       []string
		notWant    string
	}{
		{"malformed", "---\nid: [x\n---\nbody\n", []string{"new-entry.md:2:", "malformed front matter"}, ""},
		{"misspelled key", "---\nid: x\ntitle: X\nkind: explanation\nquestion:\n  - what is x\n---\nbody\n", []string{"new-entry.md:5:", "unknown key question; did you mean questions?"}, "knowledge.Entry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := writeFile(t, "new-entry.md", tt.text)
			_, _, err := runBot(t, "", withData(dir, []string{"kb", "add", file})...)
			if err == nil {
				t.Fatalf("bot kb add of a %s entry succeeded", tt.name)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("bot kb add: %v; want %q in it", err, w)
				}
			}
			if tt.notWant != "" && strings.Contains(err.Error(), tt.notWant) {
				t.Errorf("bot kb add: %v; want no %q in it", err, tt.notWant)
			}
		})
	}
}

func TestKBAuthorWithoutUSER(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	entry := writeFile(t, "x.md", "---\nid: without-user\ntitle: X\nkind: explanation\nquestions: []\n---\nbody\n")
	// No --author and no $USER: the operating system's user name is used.
	if _, stderr, err := runBot(t, "", "kb", "add", "--data", dir, entry); err != nil {
		t.Fatalf("bot kb add without $USER: %v\n%s", err, stderr)
	}
	out := moderate(t, dir, "kb", "history", "without-user")
	if !strings.Contains(out, "put") || strings.Contains(out, "\t\tput") {
		t.Errorf("history:\n%s\nwant a revision with an author", out)
	}
}

// readOnly makes dir and its files unwritable, even by root (with chattr),
// until the test ends.
func readOnly(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := exec.Command("chmod", "-R", "a-w", dir).Run(); err != nil {
			t.Skip("chmod:", err)
		}
		t.Cleanup(func() { exec.Command("chmod", "-R", "u+w", dir).Run() })
		return
	}
	if err := exec.Command("chattr", "-R", "+i", dir).Run(); err != nil {
		t.Skip("root, and chattr +i failed:", err)
	}
	t.Cleanup(func() { exec.Command("chattr", "-R", "-i", dir).Run() })
}

func TestReadOnlyDataDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	moderate(t, dir, "kb", "list") // seeds it
	readOnly(t, dir)
	if out := moderate(t, dir, "kb", "list"); !strings.Contains(out, "aftercare") {
		t.Errorf("bot kb list on a read-only data directory printed %q", out)
	}
	if out := moderate(t, dir, "ask", "how deep should the pigment go"); !strings.Contains(out, "pigment") {
		t.Errorf("bot ask on a read-only data directory printed %q", out)
	}
	_, _, err := runBot(t, "", withData(dir, []string{"kb", "question", "aftercare", "may I shower"})...)
	if err == nil || !strings.Contains(err.Error(), "not writable") {
		t.Errorf("bot kb question on a read-only data directory = %v, want it to say the directory is not writable", err)
	}
}

// A data directory whose newest revision does not load names the way back,
// and bot kb recover takes it (issue 11).
func TestKBRecover(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	moderate(t, dir, "kb", "list")
	f, err := os.OpenFile(filepath.Join(dir, "log.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := strings.Count(moderate(t, dir, "kb", "export"), "<!-- file ")
	fmt.Fprintf(f, `{"rev":%d,"author":"mallory","op":"put","id":"what-is-smp","text":"garbage\n"}`+"\n", n+1)
	f.Close()
	if _, _, err := runBot(t, "", withData(dir, []string{"kb", "list"})...); err == nil || !strings.Contains(err.Error(), "bot kb recover") {
		t.Fatalf("kb list of an unloadable directory = %v, want the way back named", err)
	}
	if out := moderate(t, dir, "kb", "recover"); !strings.Contains(out, fmt.Sprintf("recover revision %d", n)) {
		t.Errorf("kb recover = %q, want revision %d restored", out, n)
	}
	moderate(t, dir, "kb", "list")
}

// Without --rev a change applies to whatever the entry is: three bot kb
// question at once were refused with "changed since" when another got in
// between reading the revision and taking the lock (issue 11).
func TestKBQuestionAtOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	moderate(t, dir, "kb", "list")
	const clis, each = 3, 15
	errs := make(chan error, clis*each)
	var wg sync.WaitGroup
	for c := range clis {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for q := range each {
				_, _, err := runBot(t, "", withData(dir, []string{"kb", "question", "aftercare", fmt.Sprintf("question %d from cli %d", q, c)})...)
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("kb question without --rev: %v", err)
		}
	}
}
