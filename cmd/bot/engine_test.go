package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/datadir"
	"github.com/smpbot/bot/adapters/jetstream"
	"github.com/smpbot/bot/adapters/jetstream/jetstreamtest"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// engineTimeout bounds each wait of these tests on the bot and the server.
const engineTimeout = time.Minute

func TestNATSConfigProblems(t *testing.T) {
	data := t.TempDir()
	url := "nats://127.0.0.1:4222"
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"with a data directory", map[string]string{jetstream.EnvURL: url, envDataDir: data},
			"the shared knowledge base (BOT_NATS_URL) and " + data + " (--data, BOT_DATA_DIR) are two knowledge bases: give one"},
		{"with a read-only knowledge base", map[string]string{jetstream.EnvURL: url, envKBDir: data},
			"the shared knowledge base (BOT_NATS_URL) and " + data + " (--kb, BOT_KB_DIR) are two knowledge bases: give one"},
		{"credentials without a server", map[string]string{jetstream.EnvCredentials: "/etc/bot.creds"},
			"BOT_NATS_CREDS is set but BOT_NATS_URL is not: set BOT_NATS_URL to share a knowledge base on NATS, or unset BOT_NATS_CREDS"},
		{"two ways to authenticate", map[string]string{jetstream.EnvURL: url, jetstream.EnvCredentials: "a.creds", jetstream.EnvNKeySeed: "seed.nk"},
			"BOT_NATS_CREDS and BOT_NATS_NKEY are two ways to authenticate: give one"},
		{"certificate without its key", map[string]string{jetstream.EnvURL: url, jetstream.EnvCert: "client.pem"},
			"BOT_NATS_CERT and BOT_NATS_KEY go together: the client certificate and its key"},
		{"not a server address", map[string]string{jetstream.EnvURL: "http://example.com"},
			`BOT_NATS_URL: "http://example.com": scheme "http" is not nats, tls, ws or wss`},
		{"too many replicas", map[string]string{jetstream.EnvURL: url, jetstream.EnvReplicas: "7"},
			"BOT_NATS_REPLICAS must be a whole number from 1 to 5, got 7"},
		{"replicas not a number", map[string]string{jetstream.EnvURL: url, jetstream.EnvReplicas: "three"},
			`BOT_NATS_REPLICAS must be a whole number from 1 to 5, got "three"`},
		{"bad prefix", map[string]string{jetstream.EnvURL: url, jetstream.EnvPrefix: "smp.bot"},
			`BOT_NATS_PREFIX: "smp.bot" must be 1 to 32 letters, digits, - or _`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			err := run(t.Context(), []string{"run"}, envOf(tt.env), strings.NewReader(""), &stdout, &stderr)
			if code := exitCode(err, io.Discard); code != 2 || !strings.Contains(stderr.String(), "bot: "+tt.want+"\n") {
				t.Errorf("bot run with %v exits %d saying\n%s\nwant 2 and the line %q", tt.env, code, stderr.String(), tt.want)
			}
		})
	}
}

// natsEnv runs bot with the shared knowledge base at url, failing the test
// unless it succeeds.
func natsEnv(t *testing.T, url string, args ...string) string {
	t.Helper()
	out, stderr, err := runBotEnv(t, map[string]string{jetstream.EnvURL: url, "USER": "alice"}, args...)
	if err != nil {
		t.Fatalf("bot %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr)
	}
	return out
}

// bot kb works on the shared knowledge base as on a data directory: two
// moderators editing one entry from the same revision, the second refused
// as on files.
func TestKBOnTheSharedEngine(t *testing.T) {
	url := jetstreamtest.Start(t).URL()
	shown := natsEnv(t, url, "kb", "show", "aftercare")
	if !strings.Contains(shown, "<!-- kb revision ") {
		t.Fatalf("bot kb show aftercare on the engine printed\n%s", shown)
	}
	first := writeFile(t, "aftercare.md", strings.Replace(shown, "\n---\n", "\n---\nAlice was first.\n\n", 1))
	second := writeFile(t, "aftercare.md", strings.Replace(shown, "\n---\n", "\n---\nBob was second.\n\n", 1))
	natsEnv(t, url, "kb", "edit", first)
	out, _, err := runBotEnv(t, map[string]string{jetstream.EnvURL: url, "USER": "bob"}, "kb", "edit", second)
	if err == nil || !strings.Contains(err.Error(), "Nothing was changed: aftercare changed in revision") || !strings.Contains(out, "Alice was first.") {
		t.Errorf("bob's edit from the same revision = %v, printing\n%s\nwant the conflict refusal and alice's text", err, out)
	}
	if hist := natsEnv(t, url, "kb", "history", "aftercare"); !strings.Contains(hist, "alice") || strings.Contains(hist, "bob") {
		t.Errorf("bot kb history aftercare on the engine:\n%s\nwant alice's edit and not bob's", hist)
	}
	for _, sub := range []string{"export", "sync", "recover"} {
		if _, _, err := runBotEnv(t, map[string]string{jetstream.EnvURL: url, "USER": "alice"}, "kb", sub); err == nil || !strings.Contains(err.Error(), "data directory") {
			t.Errorf("bot kb %s on the engine = %v, want it refused as a data directory's", sub, err)
		}
	}
}

// bot kb migrate copies a data directory's whole history, with authors and
// times, and its gaps, into the engine, and refuses to run twice.
func TestMigrate(t *testing.T) {
	ctx := t.Context()
	url := jetstreamtest.Start(t).URL()
	dir := t.TempDir()
	moderate(t, dir, "kb", "add", writeFile(t, "new.md", knowledgetest.EntryText("migrated-entry")))
	moderate(t, dir, "kb", "rm", "migrated-entry")
	src, err := datadir.Open(ctx, dir, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := src.AddGapEvent(ctx, knowledge.GapEvent{Time: time.Now().UTC(), Question: "an open question"}); err != nil {
		t.Fatal(err)
	}
	want, err := src.Since(ctx, 0)
	src.Close()
	if err != nil {
		t.Fatal(err)
	}

	vars := map[string]string{jetstream.EnvURL: url}
	out, stderr, err := runBotEnv(t, vars, "kb", "migrate", "--data", dir)
	if err != nil || !strings.Contains(out, fmt.Sprintf("migrated %d revisions, 1 gap events", len(want))) {
		t.Fatalf("bot kb migrate = %v\n%s%s", err, out, stderr)
	}
	dst, err := jetstream.Open(ctx, jetstream.Config{URL: url}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	got, err := dst.Since(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("the engine holds %d revisions, the data directory %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Rev != w.Rev || !g.Time.Equal(w.Time) || g.Author != w.Author || g.Op != w.Op || g.ID != w.ID || g.Text != w.Text || g.Batch != w.Batch || g.Upstream != w.Upstream {
			t.Errorf("revision %d migrated as %+v, want %+v", w.Rev, g, w)
		}
	}
	if gaps, err := dst.GapEvents(ctx); err != nil || len(gaps) != 1 || gaps[0].Question != "an open question" {
		t.Errorf("the engine's gaps = %+v, %v; want the open question", gaps, err)
	}

	_, _, err = runBotEnv(t, vars, "kb", "migrate", "--data", dir)
	if err == nil || !errors.Is(err, jetstream.ErrNotEmpty) {
		t.Errorf("a second bot kb migrate = %v, want it refused: not empty", err)
	}
	if again, _ := dst.Since(ctx, 0); len(again) != len(want) {
		t.Errorf("after the refused second migration the engine holds %d revisions, want %d", len(again), len(want))
	}
}

// A bot on the shared knowledge base answers a change another process made
// through the engine; with NATS gone it keeps answering and says so on
// /readyz, and once NATS is back it catches up.
func TestRunFollowsTheSharedEngine(t *testing.T) {
	srv := jetstreamtest.Start(t)
	url := srv.URL()
	stdin, typing := io.Pipe()
	defer typing.Close()
	stdout, stderr := newLines(t), newLines(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*engineTimeout)
	defer cancel()
	getenv := envOf(map[string]string{jetstream.EnvURL: url, envHTTPAddr: "127.0.0.1:0", envLogFormat: "json", envLogLevel: "info"})
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, getenv, stdin, stdout.w, stderr.w) }()
	line := stderr.waitFor(t, `"msg":"serving health and metrics"`)
	_, rest, _ := strings.Cut(line, `"addr":"`)
	addr, _, _ := strings.Cut(rest, `"`)
	base := "http://" + addr
	stderr.waitFor(t, `"msg":"knowledge base ready"`)

	code, body := httpGet(t, base+"/readyz")
	if code != http.StatusOK || !strings.Contains(body, "nats: connected to nats://127.0.0.1:") || !strings.Contains(body, "0 behind the log") {
		t.Errorf("GET /readyz = %d\n%s\nwant ready, connected, 0 behind", code, body)
	}
	if _, body := httpGet(t, base+"/metrics"); !strings.Contains(body, "smpbot_knowledge_revision ") || !strings.Contains(body, "smpbot_knowledge_lag_revisions 0") {
		t.Errorf("GET /metrics lacks the revision and the lag:\n%s", body)
	}

	// answers asks until the bot's answer holds want.
	answers := func(question, want string) {
		t.Helper()
		deadline := time.Now().Add(engineTimeout)
		for {
			fmt.Fprintln(typing, question)
			if strings.Contains(answer(t, stdout), want) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("after %s the bot still does not answer %q with %q:\n%s", engineTimeout, question, want, stdout.String())
			}
		}
	}
	add := func(id string) {
		t.Helper()
		text := strings.Replace(knowledgetest.EntryText(id), "What "+id+" is, in a sentence.", "Zebrafish pigment "+id+" answers here.", 1)
		natsEnv(t, url, "kb", "add", writeFile(t, id+".md", text))
	}
	add("zebrafish-one")
	answers("what is zebrafish-one", "Zebrafish pigment zebrafish-one answers here.")

	srv.Stop()
	deadline := time.Now().Add(engineTimeout)
	for {
		code, body = httpGet(t, base+"/readyz")
		if strings.Contains(body, "NATS unreachable") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /readyz with NATS stopped = %d\n%s", code, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code != http.StatusOK {
		t.Errorf("GET /readyz with NATS stopped = %d, want 200: the replica keeps answering", code)
	}
	answers("what is zebrafish-one", "Zebrafish pigment zebrafish-one answers here.")

	srv.Restart()
	add("zebrafish-two")
	answers("what is zebrafish-two", "Zebrafish pigment zebrafish-two answers here.")

	cancel()
	if err := <-done; err != nil {
		t.Errorf("run after cancel = %v, want nil", err)
	}
	stdout.close()
	stderr.close()
	if s := stderr.String(); !strings.Contains(s, "lost the connection to NATS") || !strings.Contains(s, "connected to NATS again") {
		t.Errorf("the log does not tell of the lost and regained connection:\n%s", s)
	}
}

// answer returns the lines of the bot's next answer, up to its notice.
func answer(t *testing.T, out *lines) string {
	t.Helper()
	var b strings.Builder
	for line := range out.each {
		b.WriteString(line + "\n")
		if strings.Contains(line, "not medical advice") {
			return b.String()
		}
	}
	t.Fatalf("output ended within an answer:\n%s", b.String())
	return ""
}

// A replica started while NATS is down waits for it, not ready meanwhile,
// and serves once NATS is up.
func TestRunWaitsForNATS(t *testing.T) {
	srv := jetstreamtest.Start(t)
	srv.Stop()
	stdout, stderr := newLines(t), newLines(t)
	stdin, typing := io.Pipe()
	defer typing.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 2*engineTimeout)
	defer cancel()
	getenv := envOf(map[string]string{jetstream.EnvURL: srv.URL(), envHTTPAddr: "127.0.0.1:0", envLogFormat: "json", envLogLevel: "info"})
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, getenv, stdin, stdout.w, stderr.w) }()
	line := stderr.waitFor(t, `"msg":"serving health and metrics"`)
	_, rest, _ := strings.Cut(line, `"addr":"`)
	addr, _, _ := strings.Cut(rest, `"`)
	stderr.waitFor(t, `"msg":"cannot reach NATS; trying again"`)
	if code, body := httpGet(t, "http://"+addr+"/readyz"); code != http.StatusServiceUnavailable || body != "not ready: knowledge\n" {
		t.Errorf("GET /readyz while waiting for NATS = %d %q, want 503 naming the knowledge base", code, body)
	}
	srv.Restart()
	stderr.waitFor(t, `"msg":"knowledge base ready"`)
	fmt.Fprintln(typing, "why are my dots blurry")
	if a := answer(t, stdout); !strings.Contains(a, "not medical advice") {
		t.Errorf("the bot answered %q", a)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run after cancel = %v, want nil", err)
	}
	stdout.close()
	stderr.close()
}

// A credentials file that cannot be read is a configuration error, not a
// server to wait for.
func TestNATSFilesMustBeReadable(t *testing.T) {
	missing := t.TempDir() + "/missing.creds"
	var stderr strings.Builder
	err := run(t.Context(), []string{"run"}, envOf(map[string]string{jetstream.EnvURL: "nats://127.0.0.1:4222", jetstream.EnvCredentials: missing}), strings.NewReader(""), io.Discard, &stderr)
	if want := "bot: BOT_NATS_CREDS: open " + missing + ": no such file or directory\n"; exitCode(err, io.Discard) != 2 || !strings.Contains(stderr.String(), want) {
		t.Errorf("bot run with a missing credentials file = %v, saying\n%s\nwant exit 2 and %q", err, stderr.String(), want)
	}
}

func TestNATSSecrets(t *testing.T) {
	for _, tc := range []struct {
		urls string
		want []string
	}{
		{"nats://127.0.0.1:4222", nil},
		{"nats://bot:s3cret@10.0.0.1:4222, nats://t0ken@10.0.0.2:4222", []string{"s3cret", "t0ken"}},
	} {
		if got := natsSecrets(tc.urls); strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("natsSecrets(%q) = %q, want %q", tc.urls, got, tc.want)
		}
	}
}

// bot ask answers from the shared knowledge base when BOT_NATS_URL is set.
func TestAskOnTheSharedEngine(t *testing.T) {
	url := jetstreamtest.Start(t).URL()
	id := "zebrafish-ask"
	text := strings.Replace(knowledgetest.EntryText(id), "What "+id+" is, in a sentence.", "Zebrafish pigment asked here.", 1)
	natsEnv(t, url, "kb", "add", writeFile(t, id+".md", text))
	if out := natsEnv(t, url, "ask", "what is zebrafish-ask"); !strings.Contains(out, "Zebrafish pigment asked here.") {
		t.Errorf("bot ask on the engine answered\n%s\nwant the entry added there", out)
	}
}
