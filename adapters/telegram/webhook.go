package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"golang.org/x/net/netutil"
)

// secretHeader carries the webhook secret in every request from Telegram.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// maxUpdateBytes bounds the body of one webhook request.
const maxUpdateBytes = 1 << 20

// serverLimits are the webhook server's timeouts and connection cap, so
// that slow or idle clients cannot use up the process's open files: a
// request must arrive within read and its answer leave within write, an
// idle connection is closed after idle, and beyond conns connections wait
// to be accepted.
type serverLimits struct {
	read, write, idle time.Duration
	conns             int
}

// serveWebhook receives updates on a webhook until ctx ends; handlers run
// under hctx. An update is acknowledged (200) once it is recorded as taken
// in the claims shared by the replicas and accepted (see accept), so that
// no request waits for a chat's pace; a duplicate, which Telegram sends
// when an acknowledgement was lost, perhaps to another replica, is
// acknowledged and dropped. The webhook stays
// set when the bot stops, so Telegram keeps updates until it is back.
func (b *Bot) serveWebhook(ctx, hctx context.Context) error {
	public, err := url.Parse(b.cfg.WebhookURL)
	if err != nil {
		return fmt.Errorf("webhook URL: %w", err)
	}
	ln, err := net.Listen("tcp", b.cfg.WebhookListen)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	ln = netutil.LimitListener(ln, b.web.conns)
	srv := &http.Server{
		Handler:      b.webhook(hctx, public.EscapedPath()),
		ReadTimeout:  b.web.read,
		WriteTimeout: b.web.write,
		IdleTimeout:  b.web.idle,
		ErrorLog:     slog.NewLogLogger(b.log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	allowed, err := json.Marshal(allowedUpdates())
	if err == nil {
		err = b.call(ctx, "setWebhook", untilDone, func(api *tgbotapi.BotAPI) error {
			_, err := api.MakeRequest("setWebhook", tgbotapi.Params{
				"url":             b.cfg.WebhookURL,
				"secret_token":    b.cfg.WebhookSecret,
				"allowed_updates": string(allowed),
				"max_connections": strconv.Itoa(b.cfg.Workers),
			})
			return err
		})
	}
	if err == nil {
		b.log.InfoContext(ctx, "webhook set", "listen", ln.Addr().String())
		b.ready.Store(true)
		select {
		case <-ctx.Done():
		case err = <-served:
			return fmt.Errorf("webhook: %w", err)
		}
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drainTimeout+time.Second)
	defer cancel()
	if serr := srv.Shutdown(sctx); serr != nil {
		b.log.WarnContext(ctx, "webhook server did not stop cleanly", "error", serr)
	}
	if err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}

// webhook is the HTTP handler for updates posted to path. Requests without
// the secret are rejected; an update that does not decode is skipped.
func (b *Bot) webhook(hctx context.Context, path string) http.Handler {
	if path == "" {
		path = "/"
	}
	want := []byte(b.cfg.WebhookSecret)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path != path:
			http.NotFound(w, r)
			return
		case r.Method != http.MethodPost:
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		case subtle.ConstantTimeCompare([]byte(r.Header.Get(secretHeader)), want) != 1:
			b.log.WarnContext(r.Context(), "rejected a webhook request without the secret", "remote", r.RemoteAddr)
			w.Header().Set("Connection", "close") // no keep-alive for strangers
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxUpdateBytes))
		var u tgbotapi.Update
		if err == nil {
			err = json.Unmarshal(raw, &u)
		}
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			http.Error(w, "update too large", http.StatusRequestEntityTooLarge)
			return
		case err != nil:
			// It came with the secret, so from Telegram: acknowledge it, or
			// Telegram would send it again and again.
			b.log.WarnContext(r.Context(), "skipped a malformed update", "err", err)
			return
		}
		if hctx.Err() != nil {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		// Acknowledged once recorded as taken: if this replica stops
		// before handling it, another does.
		if done, ok := b.take(r.Context(), u.UpdateID, raw); ok {
			b.accept(hctx, &u, done)
		}
		w.WriteHeader(http.StatusOK)
	})
}
