package monitor

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// ServeQuickly is Serve with timeouts of d and at most conns connections.
func ServeQuickly(ctx context.Context, ln net.Listener, h http.Handler, d time.Duration, conns int) error {
	return serve(ctx, ln, h, slog.New(slog.DiscardHandler), limits{read: d, write: d, idle: d, conns: conns})
}
