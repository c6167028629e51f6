package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// runBot runs the command line args with stdin and no environment, returning
// what it printed and its error.
func runBot(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(string) string { return "" }
	err = run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestAsk(t *testing.T) {
	tests := []struct {
		question string
		want     []string // in this order
	}{
		{"how deep should the pigment go?", []string{"papillary", "Sources:", "not medical advice"}},
		{"how do i check a clinic before booking smp", []string{"Checklist for choosing a practitioner:", "1. ", "2. ", "3. "}},
		{"there's pus coming out of my dots and I have a fever", []string{"Please see a doctor today", "infection"}},
		{"How deep is the Mariana Trench?", []string{"only answers questions about SMP safety", "closest topics"}},
		{"what is the capital of peru", []string{"I don't have anything on that"}},
		{"bitcoin price", []string{"I only answer questions about the safety of scalp micropigmentation", "a search engine"}},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			got, _, err := runBot(t, "", "ask", tt.question)
			if err != nil {
				t.Fatalf("bot ask %q: %v", tt.question, err)
			}
			rest := got
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("bot ask %q printed\n%s\nwant %q (in order %q)", tt.question, got, w, tt.want)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

// TestAskExplain is how a moderator sees why a message was flagged urgent
// though no pattern lists its signs, and how its words were read.
func TestAskExplain(t *testing.T) {
	q := "had my smp a week ago, since yesterday i'm shaking and sweating at night and my crown is sore"
	got, _, err := runBot(t, "", "ask", "--explain", q)
	if err != nil {
		t.Fatalf("bot ask --explain %q: %v", q, err)
	}
	rest := got
	for _, w := range []string{"Please see a doctor today", "Why (answered when", "Urgent: the patterns do not flag it; the urgent words give", "flagged from 0.50 (", "Words:", "shaking", "1. "} {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("bot ask --explain %q printed\n%s\nwant %q after what came before", q, got, w)
		}
		rest = rest[i+len(w):]
	}
	q = "will people be able to tell i had smp up close"
	got, _, err = runBot(t, "", "ask", "--explain", q)
	if err != nil {
		t.Fatalf("bot ask --explain %q: %v", q, err)
	}
	if want := "Ordered by what the tuning sets' messages wanted (score + 0.40 × share):\n1. "; !strings.Contains(got, want) {
		t.Errorf("bot ask --explain %q printed\n%s\nwant how the entry words ordered its best entries", q, got)
	}
}

func TestAskJSONLines(t *testing.T) {
	in := "why are my dots blurry\n\nwrite me a poem about the sea\nmy scalp is swollen and oozing pus\n"
	got, _, err := runBot(t, in, "ask", "--json")
	if err != nil {
		t.Fatalf("bot ask --json: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(got), "\n")
	if len(lines) != 4 {
		t.Fatalf("bot ask --json printed %d lines for 4 (3 questions and a blank line):\n%s", len(lines), got)
	}
	if want := `{"question":"","error":"the question was empty"}`; lines[1] != want {
		t.Errorf("line 2, for a blank line = %s, want %s", lines[1], want)
	}
	lines = slices.Delete(lines, 1, 2)
	var answers []jsonAnswer
	for _, l := range lines {
		var a jsonAnswer
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatalf("line %q is not JSON: %v", l, err)
		}
		answers = append(answers, a)
	}
	if a := answers[0]; !a.Answered || len(a.Matches) == 0 || a.Matches[0].ID != "blurry-dots" || a.Matches[0].Text == "" {
		t.Errorf("blurry question: answered=%v matches=%+v, want blurry-dots with its text", a.Answered, a.Matches)
	} else if m := a.Matches[0]; m.Short == "" || m.Short == m.Text || !strings.HasPrefix(m.Text, m.Short+"\n\n") {
		t.Errorf("blurry question: short answer %q, want the first paragraph of %q", m.Short, m.Text)
	}
	if a := answers[1]; a.Answered {
		t.Errorf("poem request: answered with %q, want not covered", a.Matches[0].ID)
	}
	if a := answers[2]; !a.Urgent || !a.Answered {
		t.Errorf("pus question: urgent=%v answered=%v, want both true", a.Urgent, a.Answered)
	}
}

func TestAskJSONLinesHugeLine(t *testing.T) {
	in := strings.Repeat("why are my dots blurry ", 100_000) + "\nwhat is smp\n"
	got, _, err := runBot(t, in, "ask", "--json")
	if err != nil {
		t.Fatalf("bot ask --json with a 2 MB line: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(got), "\n")
	if len(lines) != 2 {
		t.Fatalf("bot ask --json printed %d lines for a huge line and a short one, want 2", len(lines))
	}
	var first, second jsonAnswer
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || !first.Truncated {
		t.Errorf("first answer truncated=%v (%v), want the huge question cut and said so", first.Truncated, err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil || len(second.Matches) == 0 || second.Matches[0].ID != "what-is-smp" {
		t.Errorf("second answer = %+v (%v), want what-is-smp", second.Matches, err)
	}
}

func TestChatFromPipe(t *testing.T) {
	got, _, err := runBot(t, "what is smp\nhow long does healing take\n", "chat")
	if err != nil {
		t.Fatalf("bot chat: %v", err)
	}
	if n := strings.Count(got, "not medical advice"); n != 2 {
		t.Errorf("bot chat answered %d of 2 piped questions:\n%s", n, got)
	}
	if strings.Contains(got, "> ") {
		t.Errorf("bot chat showed a prompt to a pipe:\n%s", got)
	}
}

func TestBareBotChatsWithoutPlatforms(t *testing.T) {
	got, _, err := runBot(t, "can a tattoo artist do smp\n")
	if err != nil {
		t.Fatalf("bot: %v", err)
	}
	if !strings.Contains(got, "Checklist for choosing a practitioner") {
		t.Errorf("bare bot did not answer on the console:\n%s", got)
	}
}

func TestEvalEmbedded(t *testing.T) {
	got, _, err := runBot(t, "", "eval", "--min-urgent", "1")
	if err != nil {
		t.Fatalf("bot eval: %v\n%s", err, got)
	}
	for _, w := range []string{"top-1 accuracy", "top-3 accuracy", "mean reciprocal rank", "off-topic rejection", "urgent recall"} {
		if !strings.Contains(got, w) {
			t.Errorf("bot eval output lacks %q:\n%s", w, got)
		}
	}
	_, _, err = runBot(t, "", "eval", "--min-top1", "1")
	if err == nil || !strings.Contains(err.Error(), "top-1 accuracy") {
		t.Errorf("bot eval --min-top1 1 = %v, want an error naming top-1 accuracy", err)
	}
}

// bot eval refuses what would make its figures meaningless: a percentage
// where a fraction is meant, and a set without questions, which would
// report 100% and calibrate to thresholds that answer everything.
func TestEvalRefuses(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.jsonl")
	if err := os.WriteFile(empty, []byte("\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"eval", "--min-top1", "99"}, "fraction from 0 to 1"},
		{[]string{"eval", empty}, "no questions"},
		{[]string{"eval", "--calibrate", empty}, "no questions"},
	} {
		got, stderr, err := runBot(t, "", tt.args...)
		if err == nil || !strings.Contains(stderr+err.Error(), tt.want) || strings.Contains(got, "%") {
			t.Errorf("bot %q = %v (stdout %q, stderr %q), want a refusal saying %q and no figures", tt.args, err, got, stderr, tt.want)
		}
	}
}

// Several sets are reported one by one, adjacent questions with them.
func TestEvalSeveralSets(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.jsonl")
	b := filepath.Join(dir, "b.jsonl")
	os.WriteFile(a, []byte(`{"question": "why are my dots blurry", "expect": ["blurry-dots"]}`+"\n"), 0o644)
	os.WriteFile(b, []byte(`{"question": "how deep does the needle go", "expect": ["pigment-depth"], "adjacent": true}`+"\n"), 0o644)
	got, _, err := runBot(t, "", "eval", a, b)
	if err != nil {
		t.Fatalf("bot eval a b: %v\n%s", err, got)
	}
	for _, w := range []string{a + ": 1 on-topic", b + ": 1 on-topic, 0 off-topic, 0 urgent, 1 adjacent", "adjacent, wrong entry"} {
		if !strings.Contains(got, w) {
			t.Errorf("bot eval a b lacks %q:\n%s", w, got)
		}
	}
}

// TestKBLint runs bot kb lint on knowledge bases of its own: the embedded
// one is knowledge/guide's TestLint.
func TestKBLint(t *testing.T) {
	const front = "---\nid: %s\ntitle: A title\nkind: %s\nquestions: [a, b]\n---\n"
	tests := []struct {
		name, id, kind, body string
		want                 string // a line of the output
		ok                   bool
	}{
		{name: "valid", id: "good", kind: "explanation", body: "One sentence. Two.", want: "ok: 1 entries", ok: true},
		{name: "invalid", id: "bad-entry", kind: "recipe", body: "Body.", want: `entries/bad-entry.md:4: unknown kind "recipe"`},
		{name: "long short answer", id: "wordy", kind: "explanation", body: "One. Two. Three.", want: "entries/wordy.md:7: short answer (the body's first paragraph): 3 sentences, over 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, "entries"), 0o755); err != nil {
				t.Fatal(err)
			}
			text := fmt.Sprintf(front, tt.id, tt.kind) + tt.body + "\n"
			if err := os.WriteFile(filepath.Join(dir, "entries", tt.id+".md"), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			got, _, err := runBot(t, "", "kb", "lint", dir)
			if (err == nil) != tt.ok || !strings.Contains(got, tt.want) {
				t.Errorf("bot kb lint on %s = %q, %v; want a line %q and ok %v", tt.name, got, err, tt.want, tt.ok)
			}
		})
	}
}

func TestKBShowAndList(t *testing.T) {
	got, _, err := runBot(t, "", "kb", "show", "pigment-depth")
	if err != nil || !strings.HasPrefix(got, "---\nid: pigment-depth\n") {
		t.Errorf("bot kb show pigment-depth = %q, %v; want the entry's source", got, err)
	}
	if got, _, err := runBot(t, "", "kb", "show", "synonyms.txt"); err != nil || got == "" {
		t.Errorf("bot kb show synonyms.txt = %q, %v; want the embedded synonyms", got, err)
	}
	if _, _, err := runBot(t, "", "kb", "show", "../etc/passwd"); err == nil {
		t.Error("bot kb show ../etc/passwd succeeded, want an error")
	}
	got, _, err = runBot(t, "", "kb", "list")
	if err != nil || !strings.Contains(got, "checklist-training") {
		t.Errorf("bot kb list = %q, %v; want every entry", got, err)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"ask"}, {"ask", "--nope"}, {"kb"}, {"kb", "zap"}} {
		_, stderr, err := runBot(t, "", args...)
		if !errors.Is(err, errUsage) {
			t.Errorf("bot %q = %v, want a usage error", args, err)
		}
		if stderr == "" {
			t.Errorf("bot %q printed nothing on stderr", args)
		}
	}
	if got, _, err := runBot(t, "", "help"); err != nil || !strings.Contains(got, "bot ask") {
		t.Errorf("bot help = %q, %v", got, err)
	}
	for _, help := range []string{"--help", "-h", "help"} {
		got, stderr, err := runBot(t, "", "kb", help)
		if (err != nil && !errors.Is(err, flag.ErrHelp)) || !strings.Contains(got, "bot kb lint") || stderr != "" {
			t.Errorf("bot kb %s = %q (stderr %q), %v; want the kb usage on stdout", help, got, stderr, err)
		}
	}
}

// TestHelpPlaceholders reads the flags' help: each placeholder names the
// kind of value, not a word of the sentence after it.
func TestHelpPlaceholders(t *testing.T) {
	_, stderr, _ := runBot(t, "", "run", "--help")
	for _, want := range []string{"-global-rate number", "-max-concurrent number", "-exit-on-failure true|false"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("bot run --help lacks %q:\n%s", want, stderr)
		}
	}
	if got, _, _ := runBot(t, "", "help"); !strings.Contains(got, "bot eval [flags] [FILE.jsonl]") {
		t.Errorf("bot help shows FILE.jsonl as required:\n%s", got)
	}
}

// TestKBSubcommandHelp asks each bot kb subcommand for help: each prints
// its own usage.
func TestKBSubcommandHelp(t *testing.T) {
	for _, sub := range []string{"lint", "list", "show", "add", "edit", "rm", "question", "history", "undo", "revert", "gaps", "feedback", "export", "import", "sync"} {
		_, stderr, err := runBot(t, "", "kb", sub, "--help")
		if !errors.Is(err, flag.ErrHelp) || !strings.HasPrefix(stderr, "Usage: bot kb "+sub) {
			t.Errorf("bot kb %s --help = %v, printing\n%s\nwant its own usage", sub, err, stderr)
		}
	}
}

// TestMistakesAreOneLine makes mistakes on the command line: each gets one
// line saying what is wrong and one pointing to help, not the whole usage.
func TestMistakesAreOneLine(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"ask", "--nope"}, {"run", "--nope"}, {"kb", "list", "--nope"}} {
		_, stderr, err := runBot(t, "", args...)
		if !errors.Is(err, errUsage) || strings.Count(stderr, "\n") > 2 || !strings.Contains(stderr, "help") {
			t.Errorf("bot %q = %v, printing\n%s\nwant a usage error in at most two lines pointing to help", args, err, stderr)
		}
	}
}
