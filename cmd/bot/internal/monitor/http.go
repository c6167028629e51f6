package monitor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"golang.org/x/net/netutil"
)

// ShutdownTimeout bounds how long Serve waits for requests in flight once
// its context ends.
const ShutdownTimeout = 5 * time.Second

// Handler serves /healthz (the process is alive), /readyz (every check of
// ready passes; 503 naming the ones that do not; then a line for each
// Describer) and /metrics.
func Handler(m *Metrics, ready *Readiness) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if names := ready.NotReady(); len(names) > 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "not ready: %s\n", strings.Join(names, ", "))
		} else {
			fmt.Fprintln(w, "ready")
		}
		for _, d := range ready.Details() {
			fmt.Fprintln(w, d)
		}
	})
	mux.Handle("GET /metrics", m.Handler())
	return mux
}

// Limits of the server, so that slow or idle clients cannot use up the
// process's open files: a request must arrive within readTimeout and its
// response leave within writeTimeout, an idle connection is closed after
// idleTimeout, and beyond maxConns connections wait to be accepted.
const (
	readTimeout  = 10 * time.Second
	writeTimeout = 30 * time.Second
	idleTimeout  = time.Minute
	maxConns     = 64
)

// limits are a server's timeouts and connection cap.
type limits struct {
	read, write, idle time.Duration
	conns             int
}

// Serve serves h on ln until ctx ends, then stops accepting connections,
// lets the requests in flight finish within ShutdownTimeout, closes ln and
// returns nil. It returns an error when serving fails. The server's own
// errors (failed accepts, TLS handshakes from scanners) go to log.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	return serve(ctx, ln, h, log, limits{read: readTimeout, write: writeTimeout, idle: idleTimeout, conns: maxConns})
}

func serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger, lim limits) error {
	ln = netutil.LimitListener(ln, lim.conns)
	srv := &http.Server{
		Handler:      h,
		ReadTimeout:  lim.read,
		WriteTimeout: lim.write,
		IdleTimeout:  lim.idle,
		ErrorLog:     slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:  func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve http: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
		return fmt.Errorf("serve http: %w", serr)
	}
	if err != nil {
		return fmt.Errorf("shut down http: %w", err)
	}
	return nil
}
