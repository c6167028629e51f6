package discord

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// InteractionsPath is the path of the interactions endpoint: the
// Interactions Endpoint URL in the Developer Portal ends with it.
const InteractionsPath = "/interactions"

const (
	// maxInteractionBytes bounds the body of one interaction.
	maxInteractionBytes = 1 << 20
	// respondWithin is how long the endpoint waits for an interaction's
	// response: Discord waits three seconds for the HTTP response.
	respondWithin = 2500 * time.Millisecond
	// endpointShutdown bounds the wait for responses in flight on the
	// way out.
	endpointShutdown = 3 * time.Second
)

// response is the awaited response to an interaction received by the
// endpoint: the handler hands it over on ch, and waits for written before
// it goes on with follow-ups, which Discord takes only once the response
// is in.
type response struct {
	ch      chan *discordgo.InteractionResponse
	written chan struct{}
}

// responses are the responses awaited by the endpoint, by interaction id.
// It is safe for concurrent use.
type responses struct {
	mu sync.Mutex
	m  map[string]*response
}

func (rs *responses) add(id string) *response {
	r := &response{ch: make(chan *discordgo.InteractionResponse, 1), written: make(chan struct{})}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.m[id] = r
	return r
}

// take removes and returns the awaited response of interaction id, if any.
func (rs *responses) take(id string) (*response, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	r, ok := rs.m[id]
	delete(rs.m, id)
	return r, ok
}

// interactionRespond gives the first response to an interaction: in the
// HTTP response, when it came by the endpoint and the endpoint still
// waits, and by REST otherwise.
func (b *Bot) interactionRespond(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, resp *discordgo.InteractionResponse) error {
	r, ok := b.waiting.take(i.ID)
	if !ok {
		return s.InteractionRespond(i, resp, discordgo.WithContext(ctx))
	}
	r.ch <- resp
	select {
	case <-r.written:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// serveInteractions serves the interactions endpoint on ln until ctx ends.
func (b *Bot) serveInteractions(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:      b.endpoint(ctx),
		ReadTimeout:  10 * time.Second,
		WriteTimeout: 10 * time.Second,
		IdleTimeout:  time.Minute,
		ErrorLog:     slog.NewLogLogger(b.log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	b.serving.Store(true)
	defer b.serving.Store(false)
	b.log.InfoContext(ctx, "discord: serving the interactions endpoint", "listen", ln.Addr().String(), "path", InteractionsPath)
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), endpointShutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		b.log.WarnContext(ctx, "discord: interactions endpoint did not stop cleanly", "err", err)
	}
	return nil
}

// endpoint is the HTTP handler of Discord's interactions: every request
// must be signed with the application's key (401 otherwise); a PING is
// answered PONG, and anything else is handled as if it came by the gateway,
// with its first response sent back in the HTTP response. Handlers run
// under ctx.
func (b *Bot) endpoint(ctx context.Context) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path != InteractionsPath:
			http.NotFound(w, r)
			return
		case r.Method != http.MethodPost:
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxInteractionBytes)
		if !discordgo.VerifyInteraction(r, b.cfg.PublicKey) {
			b.log.WarnContext(r.Context(), "discord: refused an interaction with a bad signature", "remote", r.RemoteAddr)
			w.Header().Set("Connection", "close")
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(r.Body)
		var i discordgo.Interaction
		if err == nil {
			err = json.Unmarshal(body, &i)
		}
		if err != nil {
			http.Error(w, "malformed interaction", http.StatusBadRequest)
			return
		}
		if i.Type == discordgo.InteractionPing {
			writeResponse(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
			return
		}
		if ctx.Err() != nil {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		awaited := b.waiting.add(i.ID)
		handled := make(chan struct{})
		go func() {
			defer close(handled)
			b.guard(ctx, "interaction", func(ctx context.Context) { b.onInteraction(ctx, b.session, &i) })
		}()
		timeout := time.NewTimer(respondWithin)
		defer timeout.Stop()
		var resp *discordgo.InteractionResponse
		select {
		case resp = <-awaited.ch:
		case <-handled:
		case <-timeout.C:
		}
		if resp == nil {
			if _, still := b.waiting.take(i.ID); still {
				b.metrics.AdapterError(platform)
				b.log.ErrorContext(ctx, "discord: an interaction got no response in time", "interaction", i.ID)
				http.Error(w, "no response", http.StatusInternalServerError)
				return
			}
			resp = <-awaited.ch // handed over just now
		}
		writeResponse(w, resp)
		close(awaited.written)
	})
}

// writeResponse writes an interaction response as JSON.
func writeResponse(w http.ResponseWriter, resp *discordgo.InteractionResponse) {
	body, err := json.Marshal(resp)
	if err != nil {
		http.Error(w, "cannot encode the response", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}
