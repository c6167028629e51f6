package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/smpbot/bot/adapters/discord/discordtest"
)

const (
	fakeDiscordToken  = "MTIzNDU2.fake-discord.Token_x"
	fakeTelegramToken = "123456:fakeTelegram/Token+x"
	fakeWebhookSecret = "fake_webhook-secret"
)

func TestRedactedLogs(t *testing.T) {
	red := newRedactor(fakeDiscordToken, fakeTelegramToken, fakeWebhookSecret, "")
	urlErr := &url.Error{Op: "Get", URL: "https://api.example/bot" + url.PathEscape(fakeTelegramToken) + "/getMe", Err: errors.New("EOF")}
	tests := []struct {
		name string
		log  func(*slog.Logger)
	}{
		{"message", func(l *slog.Logger) { l.Info("token is " + fakeDiscordToken) }},
		{"string attr", func(l *slog.Logger) { l.Info("x", "token", fakeTelegramToken) }},
		{"error attr", func(l *slog.Logger) {
			l.Warn("x", "error", fmt.Errorf("connect: %w", errors.New("bad "+fakeWebhookSecret)))
		}},
		{"url-escaped", func(l *slog.Logger) { l.Error("x", "error", urlErr) }},
		{"query-escaped", func(l *slog.Logger) { l.Error("x", "url", "https://x/?t="+url.QueryEscape(fakeTelegramToken)) }},
		{"with attrs", func(l *slog.Logger) { l.With("token", fakeDiscordToken).Info("x") }},
		{"group", func(l *slog.Logger) { l.Info("x", slog.Group("cfg", "token", fakeDiscordToken, "n", 1)) }},
		{"any", func(l *slog.Logger) { l.Info("x", "cfg", struct{ Token string }{fakeTelegramToken}) }},
	}
	for _, format := range []string{"text", "json"} {
		for _, tt := range tests {
			t.Run(format+"/"+tt.name, func(t *testing.T) {
				var out bytes.Buffer
				tt.log(newLogger(&out, format, slog.LevelDebug, red))
				got := out.String()
				for _, secret := range red.secrets {
					if strings.Contains(got, secret) {
						t.Errorf("log holds secret %q:\n%s", secret, got)
					}
				}
				if !strings.Contains(got, redacted) {
					t.Errorf("log does not say %s:\n%s", redacted, got)
				}
			})
		}
	}
}

func TestRedactedLogsKeepTheRest(t *testing.T) {
	var out bytes.Buffer
	newLogger(&out, "text", slog.LevelInfo, newRedactor(fakeDiscordToken)).Info("connected", "user", "smpbot", "n", 3)
	if got := out.String(); !strings.Contains(got, `msg=connected user=smpbot n=3`) {
		t.Errorf("log without secrets was changed: %s", got)
	}
}

func TestRedactedError(t *testing.T) {
	red := newRedactor(fakeTelegramToken)
	err := red.Error(fmt.Errorf("get /bot%s/getMe: %w", fakeTelegramToken, fs.ErrNotExist))
	if strings.Contains(err.Error(), fakeTelegramToken) || !strings.Contains(err.Error(), "/bot"+redacted+"/getMe") {
		t.Errorf("redacted error = %q", err)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("errors.Is(%v, fs.ErrNotExist) = false after redaction", err)
	}
	plain := errors.New("nothing secret")
	if got := red.Error(plain); got != plain {
		t.Errorf("Error(%v) = %v, want it unchanged", plain, got)
	}
}

// TestDiscordgoLogsAreStructured checks that discordgo's own log lines go
// through the bot's structured logger, not Go's standard one.
func TestDiscordgoLogsAreStructured(t *testing.T) {
	d := discordtest.New(t)
	getenv := envOf(map[string]string{
		"DISCORD_TOKEN": d.Token, "DISCORD_API_URL": d.URL, "DISCORD_GUILD_ID": "100000000000000001",
		envHTTPAddr: "off", envLogFormat: "json",
	})
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := newLines(t), newLines(t)
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"run"}, getenv, strings.NewReader(""), stdout.w, stderr.w) }()
	d.WaitReady(t, 1)

	// discordgo logs an event it cannot decode as an error of its own.
	d.Dispatch(t, "MESSAGE_CREATE", "not a message")
	// Events are decoded in order: once this one is answered, the one
	// before has been logged.
	ch := d.NewID()
	d.Message(t, map[string]any{"channel_id": ch, "author": map[string]any{"id": d.NewID(), "username": "asker"}, "content": "what is smp"})
	d.Messages(t, ch, 1)
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run after cancel = %v, want nil", err)
	}
	stdout.close()
	stderr.close()

	for line := range strings.Lines(stderr.String()) {
		var rec struct{ Level, Msg, Platform string }
		if json.Unmarshal([]byte(line), &rec) == nil && strings.Contains(rec.Msg, "error unmarshalling MESSAGE_CREATE event") {
			if rec.Level != "ERROR" || rec.Platform != "discord" || !strings.HasPrefix(rec.Msg, "discordgo: ") {
				t.Errorf("discordgo's line logged as %+v, want level ERROR, platform discord and a message starting \"discordgo: \"", rec)
			}
			return
		}
	}
	t.Errorf("discordgo's error about the event it could not decode is not among the bot's logs:\n%s", stderr.String())
}
