package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smpbot/bot/knowledge"
)

// moderate runs bot kb (or ask) against the data directory dir as alice,
// failing the test unless it succeeds.
func moderate(t *testing.T, dir string, args ...string) string {
	t.Helper()
	return moderateIn(t, dir, "", args...)
}

// moderateIn is moderate with stdin.
func moderateIn(t *testing.T, dir, stdin string, args ...string) string {
	t.Helper()
	out, stderr, err := runBot(t, stdin, withData(dir, args)...)
	if err != nil {
		t.Fatalf("bot %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr)
	}
	return out
}

// withData puts --data dir (and --author alice for kb) after the subcommand.
func withData(dir string, args []string) []string {
	n := 1
	if args[0] == "kb" {
		n = 2
	}
	flags := []string{"--data", dir}
	if args[0] == "kb" {
		flags = append(flags, "--author", "alice")
	}
	return append(append(append([]string{}, args[:n]...), flags...), args[n:]...)
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestKBModeration(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")

	// Show prints the revision line that edit checks.
	shown := moderate(t, dir, "kb", "show", "aftercare")
	if !strings.Contains(shown, "<!-- kb revision ") || !strings.HasPrefix(shown, "---\nid: aftercare\n") {
		t.Fatalf("bot kb show aftercare printed\n%s\nwant the source and its revision line", shown)
	}
	// says puts words in a moderator's mouth at the start of the body.
	says := func(who string) string {
		end := strings.Index(shown[len("---\n"):], "\n---\n") + len("---\n\n---\n")
		return shown[:end] + who + " says: " + shown[end:]
	}
	mine := writeFile(t, "aftercare.md", says("Alice"))
	theirs := writeFile(t, "aftercare.md", says("Bob"))
	if got := moderate(t, dir, "kb", "edit", mine); !strings.Contains(got, "put aftercare") {
		t.Errorf("bot kb edit printed %q", got)
	}

	// A second edit from the same starting point is refused and shown the newer text.
	out, stderr, err := runBot(t, "", withData(dir, []string{"kb", "edit", theirs})...)
	if err == nil || !strings.Contains(err.Error(), "changed in revision") || !strings.Contains(err.Error(), knowledge.ConflictNotice) || !strings.Contains(out, "Alice says") {
		t.Errorf("a conflicting edit: err %v, stderr %q, stdout %.80q; want the conflict and Alice's text", err, stderr, out)
	}
	if got := moderate(t, dir, "kb", "show", "aftercare"); strings.Contains(got, "Bob says") {
		t.Error("the conflicting edit was written")
	}

	// History, undo and revert.
	if got := moderate(t, dir, "kb", "history", "aftercare"); !strings.Contains(got, "seed") || !strings.Contains(got, "alice") {
		t.Errorf("bot kb history printed\n%s", got)
	}
	moderate(t, dir, "kb", "undo", "aftercare")
	if got := moderate(t, dir, "kb", "show", "aftercare"); strings.Contains(got, "Alice says") {
		t.Error("undo left Alice's edit")
	}
	moderate(t, dir, "kb", "undo", "aftercare")
	if got := moderate(t, dir, "kb", "show", "aftercare"); !strings.Contains(got, "Alice says") {
		t.Error("undoing the undo did not bring Alice's edit back")
	}

	// A new entry is answered, and gone once removed; a gap becomes an
	// alternate question, and then gets an answer. Each bot ask --json
	// answers both questions, one per line.
	entry := "---\nid: wig-over-smp\ntitle: Wearing a wig over SMP\nkind: explanation\nquestions:\n  - can i wear a wig over my smp\n---\nWait until the scalp has healed.\n"
	const wig, q = "can i wear a wig over my smp", "can i fly on a plane after smp"
	moderate(t, dir, "kb", "add", writeFile(t, "new.md", entry))
	got := moderateIn(t, dir, wig+"\n"+q+"\n", "ask", "--json")
	if !strings.Contains(got, `"id":"wig-over-smp"`) || strings.Count(got, `"answered":true`) != 1 {
		t.Fatalf("before: bot ask --json printed\n%s\nwant the wig question answered by the new entry and the flying one not", got)
	}
	if got := moderate(t, dir, "kb", "gaps"); !strings.Contains(got, q) {
		t.Errorf("bot kb gaps printed\n%s\nwant %q", got, q)
	}
	moderate(t, dir, "kb", "rm", "wig-over-smp")
	moderate(t, dir, "kb", "question", "aftercare", q)
	got = moderateIn(t, dir, wig+"\n"+q+"\n", "ask", "--json")
	if strings.Contains(got, `"id":"wig-over-smp"`) || !strings.Contains(got, `"answered":true,"urgent":false,"matches":[{"id":"aftercare"`) {
		t.Errorf("after: bot ask --json printed\n%s\nwant the removed entry gone and the flying question answered by aftercare", got)
	}
	if got := moderate(t, dir, "kb", "gaps"); strings.Contains(got, q) {
		t.Errorf("the answered gap is still listed:\n%s", got)
	}

	// Bad input changes nothing.
	for _, bad := range []struct{ name, text, want string }{
		{"unsafe id", strings.Replace(entry, "id: wig-over-smp", "id: ../../etc/passwd", 1), "is unsafe"},
		{"empty title", strings.Replace(entry, "title: Wearing a wig over SMP", "title: \"\"", 1), "empty title"},
		{"front matter in the body", entry + "---\nid: x\n", `body contains a "---" line`},
	} {
		_, _, err := runBot(t, "", withData(dir, []string{"kb", "add", writeFile(t, "bad.md", bad.text)})...)
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("bot kb add with %s = %v, want %q", bad.name, err, bad.want)
		}
	}

	// Export and import round trip; an invalid import writes nothing.
	backup := filepath.Join(t.TempDir(), "kb.md")
	moderate(t, dir, "kb", "export", backup)
	data, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	broken := writeFile(t, "broken.md", strings.Replace(string(data), "id: aftercare", "id: After Care", 1))
	if _, _, err := runBot(t, "", withData(dir, []string{"kb", "import", broken})...); err == nil || !strings.Contains(err.Error(), "unsafe") {
		t.Errorf("bot kb import of a broken export = %v, want the problem", err)
	}
	// A scripted restore that finds everything in place succeeds.
	if out, _, err := runBot(t, "", withData(dir, []string{"kb", "import", backup})...); err != nil || !strings.Contains(out, "nothing to import") {
		t.Errorf("bot kb import of an unchanged export = %q, %v; want a success that says nothing changed", out, err)
	}
	if got := moderate(t, dir, "kb", "sync"); !strings.Contains(got, "every change of the embedded default") {
		t.Errorf("bot kb sync printed\n%s", got)
	}
}
