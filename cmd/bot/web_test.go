package main

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smpbot/bot/adapters/jetstream"
	"github.com/smpbot/bot/adapters/jetstream/jetstreamtest"
)

// TestRunServesTheWebConsoleAlone runs bot run with only the web console
// configured, on a data directory and on the shared engine; bot kb
// web-link, another process on the same knowledge base, issues a link the
// running bot lets alice in with, and bot kb web-logout-all ends her session.
func TestRunServesTheWebConsoleAlone(t *testing.T) {
	for _, tt := range []struct {
		name  string
		store func(t *testing.T) map[string]string
	}{
		{"data directory", func(t *testing.T) map[string]string {
			return map[string]string{envDataDir: filepath.Join(t.TempDir(), "data")}
		}},
		{"NATS", func(t *testing.T) map[string]string {
			return map[string]string{jetstream.EnvURL: jetstreamtest.Start(t).URL()}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) { serveWebConsoleAlone(t, tt.store(t)) })
	}
}

func serveWebConsoleAlone(t *testing.T, vars map[string]string) {
	addr := freeAddr(t)
	for k, v := range map[string]string{"BOT_WEB_ADDR": addr, envHTTPAddr: "off", envLogFormat: "json", envLogLevel: "info", "USER": "alice"} {
		vars[k] = v
	}
	stdout, stderr := newLines(t), newLines(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"run"}, envOf(vars), strings.NewReader(""), stdout.w, stderr.w) }()
	stderr.waitFor(t, `"msg":"serving the web console"`)

	out, errOut, err := runBotEnv(t, vars, "kb", "web-link")
	if err != nil || !strings.Contains(out, "Login link for alice") {
		t.Fatalf("bot kb web-link = %v\n%s%s", err, out, errOut)
	}
	link := strings.TrimSpace(out[strings.LastIndex(out, "http://"):])
	base := "http://" + addr
	if !strings.HasPrefix(link, base+"/login/") {
		t.Fatalf("the link %q is not on %s", link, base)
	}
	if strings.Contains(stderr.String(), strings.TrimPrefix(link, base+"/login/")) {
		t.Error("the log holds the link's token")
	}

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(url.Values{"token": {strings.TrimPrefix(link, base+"/login/")}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	res, err = client.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET / after logging in = %d, want 200", res.StatusCode)
	}

	if out, errOut, err := runBotEnv(t, vars, "kb", "web-logout-all"); err != nil {
		t.Fatalf("bot kb web-logout-all = %v\n%s%s", err, out, errOut)
	}
	res, err = client.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET / after web-logout-all = %d, want 401", res.StatusCode)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("run after cancel = %v, want nil", err)
	}
	stdout.close()
	stderr.close()
}

func TestWebConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		args []string
		want string
	}{
		{"web without a data directory", map[string]string{"BOT_WEB_ADDR": "127.0.0.1:8082"}, []string{"run"}, "BOT_WEB_ADDR is set but neither BOT_DATA_DIR nor BOT_NATS_URL is"},
		{"public web without its URL", map[string]string{"BOT_WEB_ADDR": ":8082", envDataDir: t.TempDir()}, []string{"run"}, "BOT_WEB_URL: set the console's public address"},
		{"web URL with a path", map[string]string{"BOT_WEB_ADDR": ":8082", "BOT_WEB_URL": "https://example.org/kb", envDataDir: t.TempDir()}, []string{"run"}, "has a path"},
		{"metrics on the web port", map[string]string{"BOT_WEB_ADDR": "127.0.0.1:8082", envHTTPAddr: "127.0.0.1:8082", envDataDir: t.TempDir()}, []string{"run"}, "uses the port of the web console"},
		{"web-link without the web", map[string]string{envDataDir: t.TempDir(), "USER": "alice"}, []string{"kb", "web-link"}, "the web console is not configured"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, err := runBotEnv(t, tt.vars, tt.args...)
			if err == nil || !strings.Contains(err.Error()+stderr, tt.want) {
				t.Errorf("bot %s with %v = %v (stderr %q), want an error saying %q", strings.Join(tt.args, " "), tt.vars, err, stderr, tt.want)
			}
		})
	}
}
