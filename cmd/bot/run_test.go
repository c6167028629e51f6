package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/smpbot/bot/adapters/telegram/telegramtest"
)

// lines collects what a command writes, line by line, and hands each line
// to whoever waits for one.
type lines struct {
	w    *io.PipeWriter
	mu   sync.Mutex
	all  bytes.Buffer
	each chan string
	done chan struct{}
}

func newLines(t *testing.T) *lines {
	t.Helper()
	r, w := io.Pipe()
	l := &lines{w: w, each: make(chan string, 1024), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			l.mu.Lock()
			l.all.WriteString(sc.Text() + "\n")
			l.mu.Unlock()
			select {
			case l.each <- sc.Text():
			default:
			}
		}
	}()
	return l
}

// waitFor returns the first line from now on that contains s.
func (l *lines) waitFor(t *testing.T, s string) string {
	t.Helper()
	for line := range l.each {
		if strings.Contains(line, s) {
			return line
		}
	}
	t.Fatalf("output ended without a line holding %q:\n%s", s, l.String())
	return ""
}

// close ends the output and waits until all of it is collected.
func (l *lines) close() {
	l.w.Close()
	<-l.done
	close(l.each)
}

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.all.String()
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, string(body)
}

// TestRunServesAndShutsDown runs the console with the listener asked for
// explicitly, answers a question, reads health, readiness and metrics, then
// cancels: run returns nil and the listener is closed.
func TestRunServesAndShutsDown(t *testing.T) {
	stdin, typing := io.Pipe()
	defer typing.Close()
	stdout, stderr := newLines(t), newLines(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	getenv := envOf(map[string]string{envHTTPAddr: "127.0.0.1:0", envLogFormat: "json", envLogLevel: "info"})
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, nil, getenv, stdin, stdout.w, stderr.w)
	}()

	line := stderr.waitFor(t, `"msg":"serving health and metrics"`)
	_, rest, _ := strings.Cut(line, `"addr":"`)
	addr, _, _ := strings.Cut(rest, `"`)
	base := "http://" + addr
	stderr.waitFor(t, `"msg":"knowledge base ready"`)

	fmt.Fprintln(typing, "why are my dots blurry")
	stdout.waitFor(t, "not medical advice")

	tests := []struct {
		path string
		code int
		want string
	}{
		{"/healthz", http.StatusOK, "ok\n"},
		{"/readyz", http.StatusOK, "ready\n"},
		{"/metrics", http.StatusOK, `smpbot_questions_total{outcome="answered",platform="console"} 1`},
		{"/metrics", http.StatusOK, `smpbot_knowledge_entries `},
		{"/nothing", http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		code, body := httpGet(t, base+tt.path)
		if code != tt.code || !strings.Contains(body, tt.want) {
			t.Errorf("GET %s = %d\n%s\nwant %d with %q", tt.path, code, body, tt.code, tt.want)
		}
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("run after cancel = %v, want nil", err)
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after run returned", addr)
	}
	stdout.close()
	stderr.close()
}

func TestRunConsoleHasNoListenerByDefault(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), nil, envOf(nil), strings.NewReader("what is smp\n"), &stdout, &stderr)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	if strings.Contains(stderr.String(), "serving health and metrics") {
		t.Errorf("the console started the listener without being asked:\n%s", stderr.String())
	}
}

// TestRunWarnsOfUnknownEnv starts the console with misspelled and unknown
// variables: each gets one warning, without its value, and the bot answers.
func TestRunWarnsOfUnknownEnv(t *testing.T) {
	vars := map[string]string{
		"BOT_DATADIR": "/srv/smp-data", "TELEGRAM_TOKN": "123:tokenvalue", "DISCORD_CLIENT_SECRET": "xyz",
		envLogLevel: "info", "PATH": "/usr/bin", "HOME": "/home/bot", "OTHER_THING": "x",
	}
	var stdout, stderr bytes.Buffer
	e := env{getenv: envOf(vars), environ: environOf(vars), stdin: strings.NewReader("what is smp\n"), stdout: &stdout, stderr: &stderr}
	if err := runPlatforms(context.Background(), e, nil, true); err != nil {
		t.Fatalf("runPlatforms: %v\n%s", err, stderr.String())
	}
	if stdout.Len() == 0 {
		t.Errorf("the console answered nothing")
	}
	var warnings []string
	for line := range strings.Lines(stderr.String()) {
		if strings.Contains(line, "unknown environment variable") {
			warnings = append(warnings, line)
		}
	}
	want := []string{
		`level=WARN msg="unknown environment variable BOT_DATADIR (did you mean BOT_DATA_DIR?)"`,
		`level=WARN msg="unknown environment variable DISCORD_CLIENT_SECRET"`,
		`level=WARN msg="unknown environment variable TELEGRAM_TOKN (did you mean TELEGRAM_TOKEN?)"`,
	}
	if len(warnings) != len(want) {
		t.Fatalf("got %d warnings, want %d:\n%s", len(warnings), len(want), stderr.String())
	}
	for i, w := range want {
		if !strings.Contains(warnings[i], w) {
			t.Errorf("warning %d = %q, want it to hold %q", i, warnings[i], w)
		}
	}
	for _, value := range []string{"xyz", "/srv/smp-data", "tokenvalue"} {
		if strings.Contains(stderr.String()+stdout.String(), value) {
			t.Errorf("the value %q shows in the output:\n%s", value, stderr.String())
		}
	}
}

// A misspelled name that leaves the configuration invalid is named with
// the problems.
func TestRunBadConfigNamesMisspelling(t *testing.T) {
	vars := map[string]string{"TELEGRAM_TOKN": "123:tokenvalue", "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/hook"}
	var stdout, stderr bytes.Buffer
	e := env{getenv: envOf(vars), environ: environOf(vars), stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}
	if err := runPlatforms(context.Background(), e, nil, false); !errors.Is(err, errUsage) {
		t.Fatalf("runPlatforms = %v, want a usage error", err)
	}
	if got := stderr.String(); !strings.Contains(got, "TELEGRAM_TOKN (did you mean TELEGRAM_TOKEN?)") || strings.Contains(got, "tokenvalue") {
		t.Errorf("stderr = %q, want the misspelled name with its suggestion, and not its value", got)
	}
}

func TestRunBadConfigExitsWithEveryProblem(t *testing.T) {
	var stdout, stderr bytes.Buffer
	getenv := envOf(map[string]string{envLogFormat: "xml", envHTTPAddr: "nowhere"})
	err := run(context.Background(), nil, getenv, strings.NewReader(""), &stdout, &stderr)
	if code := exitCode(err, &stderr); code != 2 {
		t.Errorf("exit code = %d, want 2", code)
	}
	want := "bot: BOT_LOG_FORMAT: unknown log format \"xml\" (want text or json)\n" +
		"bot: BOT_HTTP_ADDR: \"nowhere\" is not an address such as 127.0.0.1:8081 (or off)\n"
	if got := stderr.String(); got != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", got, want)
	}
}

// fakePlatforms is a Bot API and a Discord REST API that refuse every
// request, quoting the credentials they were given, as a careless proxy
// might.
func fakePlatforms(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"ok":false,"error_code":401,"description":"Unauthorized: %s %s","message":"401: Unauthorized %s","code":0}`,
			r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("Authorization"))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestRunNeverShowsSecrets(t *testing.T) {
	api := fakePlatforms(t)
	tests := []struct {
		name string
		env  map[string]string
	}{
		{"malformed tokens", map[string]string{
			"DISCORD_TOKEN": "Bot " + fakeDiscordToken + " x", "TELEGRAM_TOKEN": fakeTelegramToken + " ", envLogLevel: "debug",
		}},
		{"secret quoted by another setting", map[string]string{
			"DISCORD_TOKEN": "guildtoken", "DISCORD_GUILD_ID": "guildtoken",
		}},
		{"bad webhook setting", map[string]string{
			"TELEGRAM_TOKEN": "123:abc", "TELEGRAM_WEBHOOK_URL": "https://bot.example/hook?x=" + fakeWebhookSecret,
			"TELEGRAM_WEBHOOK_SECRET": fakeWebhookSecret,
		}},
		{"platforms refuse the tokens", map[string]string{
			"DISCORD_TOKEN": fakeDiscordToken, "DISCORD_API_URL": api,
			"TELEGRAM_TOKEN": "123456:fakeTelegramToken_x", "TELEGRAM_API_URL": api,
			envHTTPAddr: "127.0.0.1:0", envLogLevel: "debug", envExitOnFailure: "true",
		}},
		{"platforms refuse the tokens, json logs", map[string]string{
			"TELEGRAM_TOKEN": "123456:fakeTelegramToken_x", "TELEGRAM_API_URL": api,
			envHTTPAddr: "off", envLogLevel: "debug", envLogFormat: "json", envExitOnFailure: "true",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), nil, envOf(tt.env), strings.NewReader(""), &stdout, &stderr)
			if err == nil {
				t.Fatalf("run succeeded with %v, want an error", tt.env)
			}
			exitCode(err, &stderr)
			out := stderr.String() + stdout.String()
			for _, name := range []string{"DISCORD_TOKEN", "TELEGRAM_TOKEN", "TELEGRAM_WEBHOOK_SECRET"} {
				secret := strings.TrimPrefix(strings.TrimSpace(tt.env[name]), "Bot ")
				if secret != "" && strings.Contains(out, secret) {
					t.Errorf("%s %q shows in the output:\n%s", name, secret, out)
				}
			}
			if t.Failed() || testing.Verbose() {
				t.Logf("output:\n%s", out)
			}
		})
	}
}

// TestNothingToServe runs the bot as a service manager would, with a
// misspelled token: with no platform, "bot run", and bare "bot" without a
// terminal or input, are a configuration error naming the variables that
// enable one, so that Restart=on-failure and container restarts see it.
func TestNothingToServe(t *testing.T) {
	t.Setenv("TELEGRAM_TOKN", "123:abc")
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	empty, err := os.Create(filepath.Join(t.TempDir(), "empty"))
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	// A pipe that closes before it brings anything, as "true | bot" gives.
	closed, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer closed.Close()
	w.Close()
	tests := []struct {
		name  string
		args  []string
		stdin io.Reader
	}{
		{"bare bot reading /dev/null", nil, devNull},
		{"bare bot reading a pipe closed at once", nil, closed},
		{"bare bot reading an empty file", []string{"--log-format", "json"}, empty},
		{"bot run with questions piped in", []string{"run"}, strings.NewReader("what is smp\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, envOf(nil), tt.stdin, &stdout, &stderr)
			if code := exitCode(err, &stderr); code != 2 {
				t.Errorf("bot %q exit code = %d, want 2", tt.args, code)
			}
			for _, want := range []string{"no platform configured: set DISCORD_TOKEN or TELEGRAM_TOKEN", "TELEGRAM_TOKN (did you mean TELEGRAM_TOKEN?)"} {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("bot %q stderr = %q, want it to hold %q", tt.args, stderr.String(), want)
				}
			}
			if stdout.Len() > 0 {
				t.Errorf("bot %q printed %q, want nothing on stdout", tt.args, stdout.String())
			}
		})
	}
}

// TestBareBotChatsFromAPipe pipes a question to bare "bot": it answers on
// standard output, and logs nothing below a warning on standard error.
func TestBareBotChatsFromAPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := io.WriteString(w, "what is smp\n"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), nil, envOf(nil), r, &stdout, &stderr); err != nil {
		t.Fatalf("bot: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "not medical advice") {
		t.Errorf("bot answered nothing from a pipe:\n%s", stdout.String())
	}
	if strings.Contains(stdout.String()+stderr.String(), "level=INFO") {
		t.Errorf("the console shows info logs:\nstdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	}
}

// TestRunOutlivesAPlatformThatFails runs Discord with a refused token beside
// a working Telegram: Discord's failure is logged and named on /readyz, and
// Telegram keeps answering.
func TestRunOutlivesAPlatformThatFails(t *testing.T) {
	tg := telegramtest.New(t)
	getenv := envOf(map[string]string{
		"DISCORD_TOKEN": fakeDiscordToken, "DISCORD_API_URL": fakePlatforms(t),
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_URL": tg.URL(),
		envHTTPAddr: "127.0.0.1:0", envLogFormat: "json",
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr := newLines(t), newLines(t)
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"run"}, getenv, strings.NewReader(""), stdout.w, stderr.w) }()
	line := stderr.waitFor(t, `"msg":"serving health and metrics"`)
	_, rest, _ := strings.Cut(line, `"addr":"`)
	addr, _, _ := strings.Cut(rest, `"`)
	stderr.waitFor(t, `"msg":"platform failed; the others keep running","platform":"discord"`)

	member := telegramtest.User{ID: 777, Name: "Sam"}
	tg.Ask(member, telegramtest.Private(member), "what is smp")
	if sent := tg.WaitSent(1); !strings.Contains(sent[0].Text, "not medical advice") {
		t.Errorf("Telegram answered %q, want an answer", sent[0].Text)
	}
	if code, body := httpGet(t, "http://"+addr+"/readyz"); code != http.StatusServiceUnavailable || body != "not ready: discord\n" {
		t.Errorf("GET /readyz = %d %q, want 503 naming discord alone", code, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run after cancel = %v, want nil", err)
	}
	stdout.close()
	stderr.close()
}
