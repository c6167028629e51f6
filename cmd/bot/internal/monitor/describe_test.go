package monitor_test

import (
	"net/http"
	"testing"

	"github.com/smpbot/bot/cmd/bot/internal/monitor"
)

// described is a check that says how it stands.
type described struct {
	ready bool
	line  string
}

func (d described) Ready() bool      { return d.ready }
func (d described) Describe() string { return d.line }

// /readyz adds a line for each Describer, ready or not, after its verdict.
func TestReadinessDescribes(t *testing.T) {
	tests := []struct {
		name      string
		knowledge bool
		want      string
		code      int
	}{
		{"ready", true, "ready\nnats: connected; 0 behind\n", http.StatusOK},
		{"not ready", false, "not ready: knowledge\nnats: connected; 0 behind\n", http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r monitor.Readiness
			f := new(monitor.Flag)
			f.Set(tt.knowledge)
			r.Add("knowledge", f)
			r.Add("nats", described{true, "connected; 0 behind"})
			h := monitor.Handler(monitor.NewMetrics(), &r)
			if code, body := get(t, h, "/readyz"); code != tt.code || body != tt.want {
				t.Errorf("GET /readyz = %d %q, want %d %q", code, body, tt.code, tt.want)
			}
		})
	}
}
