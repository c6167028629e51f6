package main

import (
	"cmp"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bwmarrin/discordgo"

	"github.com/smpbot/bot/adapters/discord"
)

// redacted replaces a secret wherever it would be shown.
const redacted = "[REDACTED]"

// redactor hides secrets in text: each secret, and its URL-escaped forms,
// becomes [REDACTED]. It is safe for concurrent use.
type redactor struct {
	secrets []string // longest first, so that a secret inside another goes with it
	r       *strings.Replacer
}

// newRedactor returns a redactor for secrets; empty ones are ignored.
func newRedactor(secrets ...string) *redactor {
	seen := map[string]bool{}
	var all []string
	for _, s := range secrets {
		for _, form := range []string{s, url.PathEscape(s), url.QueryEscape(s)} {
			if form != "" && !seen[form] {
				seen[form] = true
				all = append(all, form)
			}
		}
	}
	slices.SortFunc(all, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	pairs := make([]string, 0, 2*len(all))
	for _, s := range all {
		pairs = append(pairs, s, redacted)
	}
	return &redactor{secrets: all, r: strings.NewReplacer(pairs...)}
}

// String returns s with every secret replaced.
func (r *redactor) String(s string) string {
	if !r.leaks(s) {
		return s
	}
	return r.r.Replace(s)
}

func (r *redactor) leaks(s string) bool {
	for _, secret := range r.secrets {
		if strings.Contains(s, secret) {
			return true
		}
	}
	return false
}

// replaceAttr is a slog.HandlerOptions.ReplaceAttr that turns any attribute,
// the message included, whose text holds a secret into its redacted text.
func (r *redactor) replaceAttr(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindGroup {
		return a
	}
	if s := a.Value.String(); r.leaks(s) {
		return slog.String(a.Key, r.r.Replace(s))
	}
	return a
}

// Error returns err with every secret replaced in its message; errors.Is
// and errors.As still see the original.
func (r *redactor) Error(err error) error {
	if err == nil || !r.leaks(err.Error()) {
		return err
	}
	return &redactedError{msg: r.r.Replace(err.Error()), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// newLogger returns a logger writing to w in format ("text" or "json") at
// level and above, with every secret of r redacted.
func newLogger(w io.Writer, format string, level slog.Level, r *redactor) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: r.replaceAttr}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// discordgoLog is where discordgo's own log lines go, so that they are
// structured and redacted like the bot's. discordgo writes them through
// discordgo.Logger, one variable for the whole process that is told no
// session, so it cannot be set per Bot. It is set once, to write to the
// logger of the latest run that started Discord: there is one run in a
// process, but tests start many, one after another, and a session of an
// earlier one may still be logging as the next one starts.
var discordgoLog struct {
	once sync.Once
	to   atomic.Pointer[slog.Logger]
}

// logDiscordgoTo sends discordgo's own log lines to log.
func logDiscordgoTo(log *slog.Logger) {
	discordgoLog.to.Store(log)
	discordgoLog.once.Do(func() {
		discordgo.Logger = func(msgL, _ int, format string, a ...any) {
			discord.LogLine(discordgoLog.to.Load(), msgL, format, a...)
		}
	})
}
