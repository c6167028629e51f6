package monitor_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smpbot/bot/cmd/bot/internal/monitor"
	"github.com/smpbot/bot/index/indextest"
	"github.com/smpbot/bot/knowledge"
)

// get requests path from h and returns the status and body.
func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

func TestReadiness(t *testing.T) {
	tests := []struct {
		name  string
		flags map[string]bool // in the order added
		want  string          // the /readyz body
		code  int
	}{
		{"no checks", nil, "ready\n", http.StatusOK},
		{"index not built", map[string]bool{"knowledge": false}, "not ready: knowledge\n", http.StatusServiceUnavailable},
		{"all ready", map[string]bool{"knowledge": true, "discord": true}, "ready\n", http.StatusOK},
		{"adapter not connected", map[string]bool{"knowledge": true, "telegram": false}, "not ready: telegram\n", http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r monitor.Readiness
			for _, name := range []string{"knowledge", "discord", "telegram"} {
				if ready, ok := tt.flags[name]; ok {
					f := new(monitor.Flag)
					f.Set(ready)
					r.Add(name, f)
				}
			}
			h := monitor.Handler(monitor.NewMetrics(), &r)
			if code, body := get(t, h, "/readyz"); code != tt.code || body != tt.want {
				t.Errorf("GET /readyz = %d %q, want %d %q", code, body, tt.code, tt.want)
			}
			if code, body := get(t, h, "/healthz"); code != http.StatusOK || body != "ok\n" {
				t.Errorf("GET /healthz = %d %q, want 200 \"ok\\n\" whatever the readiness", code, body)
			}
		})
	}
}

func TestReadinessFollowsChecks(t *testing.T) {
	var r monitor.Readiness
	var kb, adapter monitor.Flag
	r.Add("knowledge", &kb)
	r.Add("discord", &adapter)
	steps := []struct {
		set  func()
		want []string
	}{
		{func() {}, []string{"knowledge", "discord"}},
		{func() { kb.Set(true) }, []string{"discord"}},
		{func() { adapter.Set(true) }, nil},
		{func() { adapter.Set(false) }, []string{"discord"}},
	}
	for i, s := range steps {
		s.set()
		if got := r.NotReady(); !equal(got, s.want) {
			t.Errorf("step %d: NotReady() = %q, want %q", i, got, s.want)
		}
	}
}

func equal(a, b []string) bool {
	return strings.Join(a, ",") == strings.Join(b, ",")
}

func TestMetrics(t *testing.T) {
	svc := indextest.Guide(t)
	m := monitor.NewMetrics("discord", "telegram")
	m.Instrument(svc)
	questions := []struct{ platform, question string }{
		{"discord", "why are my dots blurry"},
		{"discord", "how deep should the pigment go?"},
		{"telegram", "How deep is the Mariana Trench?"},
		{"telegram", "there's pus coming out of my dots and I have a fever"},
		{"", "what is smp"},
	}
	for _, q := range questions {
		ctx := context.Background()
		if q.platform != "" {
			ctx = knowledge.WithPlatform(ctx, q.platform)
		}
		if _, err := svc.Answer(ctx, q.question); err != nil {
			t.Fatalf("Answer(%q): %v", q.question, err)
		}
	}
	m.RateLimited("telegram")
	m.RateLimited("telegram")
	m.AdapterError("discord")
	m.Reloaded(nil, 0)
	m.Reloaded(errors.New("bad entry"), 0)
	m.Reloaded(nil, 2)
	m.DuplicateDropped("telegram")
	m.LeaseHeld("telegram.1.poll", true)
	m.LeaseHeld("discord.1.shard.0-of-2", true)
	m.LeaseHeld("discord.1.shard.0-of-2", false)

	code, body := get(t, monitor.Handler(m, &monitor.Readiness{}), "/metrics")
	if code != http.StatusOK {
		t.Fatalf("GET /metrics = %d\n%s", code, body)
	}
	entries := len(svc.Base().Entries())
	want := []string{
		`smpbot_questions_total{outcome="answered",platform="discord"} 2`,
		`smpbot_questions_total{outcome="not_covered",platform="telegram"} 1`,
		`smpbot_questions_total{outcome="urgent",platform="telegram"} 1`,
		`smpbot_questions_total{outcome="urgent",platform="discord"} 0`,
		`smpbot_questions_total{outcome="answered",platform="unknown"} 1`,
		`smpbot_answer_duration_seconds_count{platform="discord"} 2`,
		`smpbot_answer_duration_seconds_count{platform="telegram"} 2`,
		"smpbot_knowledge_entries " + strconv.Itoa(entries),
		`smpbot_knowledge_reloads_total{result="ok"} 1`,
		`smpbot_knowledge_reloads_total{result="error"} 1`,
		`smpbot_knowledge_reloads_total{result="invalid"} 1`,
		"smpbot_knowledge_skipped_files 2",
		`smpbot_adapter_errors_total{adapter="discord"} 1`,
		`smpbot_adapter_errors_total{adapter="telegram"} 0`,
		`smpbot_rate_limited_total{platform="telegram"} 2`,
		`smpbot_rate_limited_total{platform="discord"} 0`,
		`smpbot_duplicates_dropped_total{platform="telegram"} 1`,
		`smpbot_duplicates_dropped_total{platform="discord"} 0`,
		`smpbot_lease_held{lease="telegram.1.poll"} 1`,
		`smpbot_lease_held{lease="discord.1.shard.0-of-2"} 0`,
		"go_goroutines ",
	}
	for _, w := range want {
		if !strings.Contains(body, "\n"+w) {
			t.Errorf("GET /metrics lacks the line %q", w)
		}
	}
	if t.Failed() {
		t.Logf("GET /metrics:\n%s", body)
	}
}

func TestServeShutsDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- monitor.Serve(ctx, ln, monitor.Handler(monitor.NewMetrics(), &monitor.Readiness{}), slog.New(slog.DiscardHandler))
	}()

	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "ok\n" {
		t.Errorf("GET /healthz = %d %q, want 200 \"ok\\n\"", resp.StatusCode, body)
	}

	cancel()
	if err := <-served; err != nil {
		t.Errorf("Serve after cancel = %v, want nil", err)
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after Serve returned", addr)
	}
}

// TestServeCutsOffSlowClients checks that a connection whose client stalls
// is closed by the server, so that such clients cannot pile up.
func TestServeCutsOffSlowClients(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- monitor.ServeQuickly(ctx, ln, monitor.Handler(monitor.NewMetrics(), &monitor.Readiness{}), 50*time.Millisecond, 4)
	}()
	t.Cleanup(func() {
		cancel()
		<-served
	})
	tests := []struct{ name, sent string }{
		{"body shorter than declared", "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n0123456789"},
		{"headers never finished", "GET /healthz HTTP/1.1\r\nHost: x\r\n"},
		{"idle after a request", "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, tt.sent); err != nil {
				t.Fatal(err)
			}
			// Only keeps a broken server from hanging the test.
			conn.SetReadDeadline(time.Now().Add(30 * time.Second))
			if _, err := io.ReadAll(conn); err != nil {
				t.Errorf("after sending %q and stalling: %v, want the server to close the connection", tt.sent, err)
			}
		})
	}
}
