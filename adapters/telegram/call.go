package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"golang.org/x/time/rate"
)

// call makes one Bot API request through req, retrying what may succeed
// later: it waits as long as a 429 response's retry_after asks, and backs off
// exponentially with jitter after network errors, 5xx responses and
// undecodable ones. It gives up after attempts tries (untilDone: never) or
// when ctx ends, and on any other API error.
func (b *Bot) call(ctx context.Context, method string, attempts int, req func(*tgbotapi.BotAPI) error) error {
	for try := 1; ; try++ {
		err := req(b.api(ctx))
		if err == nil {
			if attempts == untilDone {
				b.health.succeeded()
			}
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w", method, ctx.Err())
		}
		if attempts == untilDone { // the requests the bot cannot do without
			b.health.failed()
		}
		b.adapterError()
		wait, ok := b.retryAfter(err, try)
		if !ok || (attempts != untilDone && try >= attempts) {
			return fmt.Errorf("%s: %w", method, err)
		}
		b.log.WarnContext(ctx, "bot API request failed, retrying", "method", method, "err", err, "attempt", try, "wait", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%s: %w", method, ctx.Err())
		case <-t.C:
		}
	}
}

// retryAfter says whether a failed request is worth repeating, and when.
func (b *Bot) retryAfter(err error, try int) (time.Duration, bool) {
	var apiErr *tgbotapi.Error
	if !errors.As(err, &apiErr) {
		return b.retry.Delay(try), true // network, 5xx or garbled response
	}
	switch {
	case apiErr.RetryAfter > 0:
		return time.Duration(apiErr.RetryAfter) * time.Second, true
	case apiErr.Code >= 500, apiErr.Code == http.StatusConflict:
		// 409: another getUpdates or a webhook is in the way, as during a
		// rolling restart.
		return b.retry.Delay(try), true
	}
	return 0, false
}

// api returns the library client with every request bound to ctx, so that
// cancelling ctx ends a long poll or a send at once. The library takes no
// context of its own.
func (b *Bot) api(ctx context.Context) *tgbotapi.BotAPI {
	api := *b.base
	api.Client = doer(func(req *http.Request) (*http.Response, error) {
		resp, err := b.http.Do(req.WithContext(ctx))
		if err != nil {
			return nil, b.redact(err)
		}
		if resp.StatusCode >= 500 {
			// The library would try to decode a proxy's HTML error page.
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
			return nil, &serverError{method: path.Base(req.URL.Path), status: resp.Status}
		}
		return resp, nil
	})
	return &api
}

// doer adapts a function to the library's HTTPClient.
type doer func(*http.Request) (*http.Response, error)

func (d doer) Do(req *http.Request) (*http.Response, error) { return d(req) }

// serverError is a 5xx response from the Bot API or a proxy in front of it.
type serverError struct{ method, status string }

func (e *serverError) Error() string { return e.method + ": server error " + e.status }

// redact removes the token, which is part of every request URL, from an
// HTTP client error.
func (b *Bot) redact(err error) error {
	var urlErr *url.Error
	if !errors.As(err, &urlErr) {
		return err
	}
	return &url.Error{Op: urlErr.Op, URL: strings.ReplaceAll(urlErr.URL, b.cfg.Token, "[REDACTED]"), Err: urlErr.Err}
}

// throttle paces outgoing messages within Telegram's limits: about one
// message a second in a chat, twenty a minute in a group and thirty a second
// overall (by default: see Config). It is safe for concurrent use.
type throttle struct {
	chat, group rate.Limit
	all         *rate.Limiter

	mu    sync.Mutex
	chats map[int64]*rate.Limiter
}

const (
	chatBurst       = 3
	maxIdleLimiters = 1024
)

func newThrottle(chat, group time.Duration, perSecond int) *throttle {
	return &throttle{
		chat:  rate.Every(chat),
		group: rate.Every(group),
		all:   rate.NewLimiter(rate.Limit(perSecond), perSecond),
		chats: map[int64]*rate.Limiter{},
	}
}

// wait blocks until a message may be sent to the chat, or ctx ends.
func (t *throttle) wait(ctx context.Context, chat *tgbotapi.Chat) error {
	t.mu.Lock()
	lim, ok := t.chats[chat.ID]
	if !ok {
		t.forget()
		every := t.chat
		if !chat.IsPrivate() {
			every = t.group
		}
		lim = rate.NewLimiter(every, chatBurst)
		t.chats[chat.ID] = lim
	}
	t.mu.Unlock()
	if err := lim.Wait(ctx); err != nil {
		return err
	}
	return t.all.Wait(ctx)
}

// forget drops the limiters of chats that could send a full burst now, so
// the map holds only chats that are busy.
func (t *throttle) forget() {
	if len(t.chats) < maxIdleLimiters {
		return
	}
	for id, lim := range t.chats {
		if lim.Tokens() >= chatBurst {
			delete(t.chats, id)
		}
	}
}
