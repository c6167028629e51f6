package telegram

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestConfigFromEnv(t *testing.T) {
	const token = "123456789:AAE-secret_Token"
	tests := []struct {
		name        string
		env         map[string]string
		want        Config
		wantEnabled bool
		wantErr     string
	}{
		{name: "disabled", env: nil},
		{name: "token only", env: map[string]string{"TELEGRAM_TOKEN": token}, wantEnabled: true,
			want: Config{Token: token, APIURL: DefaultAPIURL, PollTimeout: DefaultPollTimeout}},
		{name: "self-hosted API and poll timeout", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_API_URL": "http://127.0.0.1:8081/", "TELEGRAM_POLL_TIMEOUT": "50s"}, wantEnabled: true,
			want: Config{Token: token, APIURL: "http://127.0.0.1:8081", PollTimeout: 50 * time.Second}},
		{name: "webhook", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_WEBHOOK_URL": "https://bot.example.com/tg", "TELEGRAM_WEBHOOK_SECRET": "abc_DEF-123"}, wantEnabled: true,
			want: Config{Token: token, APIURL: DefaultAPIURL, PollTimeout: DefaultPollTimeout, WebhookURL: "https://bot.example.com/tg", WebhookListen: DefaultWebhookListen, WebhookSecret: "abc_DEF-123"}},
		{name: "webhook with listen address", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_WEBHOOK_URL": "https://bot.example.com/tg", "TELEGRAM_WEBHOOK_SECRET": "s", "TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1:9000"}, wantEnabled: true,
			want: Config{Token: token, APIURL: DefaultAPIURL, PollTimeout: DefaultPollTimeout, WebhookURL: "https://bot.example.com/tg", WebhookListen: "127.0.0.1:9000", WebhookSecret: "s"}},
		{name: "moderators", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_MODERATORS": " 123456789, 42,123456789,"}, wantEnabled: true,
			want: Config{Token: token, APIURL: DefaultAPIURL, PollTimeout: DefaultPollTimeout, Moderators: []int64{123456789, 42}}},

		{name: "malformed token", env: map[string]string{"TELEGRAM_TOKEN": "AAE-secret_Token"}, wantEnabled: true, wantErr: "TELEGRAM_TOKEN is not a bot token"},
		{name: "token with a space", env: map[string]string{"TELEGRAM_TOKEN": token + " x"}, wantEnabled: true, wantErr: "TELEGRAM_TOKEN is not a bot token"},
		{name: "setting without token", env: map[string]string{"TELEGRAM_WEBHOOK_URL": "https://x.example"}, wantErr: "TELEGRAM_WEBHOOK_URL is set but TELEGRAM_TOKEN is not"},
		{name: "API URL without scheme", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_API_URL": "api.telegram.org"}, wantEnabled: true, wantErr: "TELEGRAM_API_URL: want an absolute http or https URL"},
		{name: "API URL with query", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_API_URL": "https://x.example/?a=1"}, wantEnabled: true, wantErr: "TELEGRAM_API_URL: must not have a query"},
		{name: "poll timeout not a duration", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_POLL_TIMEOUT": "30"}, wantEnabled: true, wantErr: "TELEGRAM_POLL_TIMEOUT is not a duration"},
		{name: "poll timeout too long", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_POLL_TIMEOUT": "1h"}, wantEnabled: true, wantErr: "TELEGRAM_POLL_TIMEOUT must be whole seconds"},
		{name: "poll timeout zero", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_POLL_TIMEOUT": "0s"}, wantEnabled: true, wantErr: "TELEGRAM_POLL_TIMEOUT must be whole seconds between 1s and 10m"},
		{name: "webhook over plain http", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_WEBHOOK_URL": "http://bot.example.com/tg", "TELEGRAM_WEBHOOK_SECRET": "abc"}, wantEnabled: true, wantErr: "TELEGRAM_WEBHOOK_URL must be an https URL"},
		{name: "poll timeout fractional", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_POLL_TIMEOUT": "1500ms"}, wantEnabled: true, wantErr: "TELEGRAM_POLL_TIMEOUT must be whole seconds"},
		{name: "webhook without secret", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_WEBHOOK_URL": "https://bot.example.com/tg"}, wantEnabled: true, wantErr: "TELEGRAM_WEBHOOK_SECRET is required"},
		{name: "secret with bad characters", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_WEBHOOK_URL": "https://bot.example.com/tg", "TELEGRAM_WEBHOOK_SECRET": "no spaces!"}, wantEnabled: true, wantErr: "TELEGRAM_WEBHOOK_SECRET must be 1 to 256 characters"},
		{name: "secret too long", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_WEBHOOK_URL": "https://bot.example.com/tg", "TELEGRAM_WEBHOOK_SECRET": strings.Repeat("a", 257)}, wantEnabled: true, wantErr: "TELEGRAM_WEBHOOK_SECRET must be 1 to 256 characters"},
		{name: "secret without webhook", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_WEBHOOK_SECRET": "abc"}, wantEnabled: true, wantErr: "TELEGRAM_WEBHOOK_SECRET is set but TELEGRAM_WEBHOOK_URL is not"},
		{name: "listen without webhook", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_WEBHOOK_LISTEN": ":80"}, wantEnabled: true, wantErr: "TELEGRAM_WEBHOOK_LISTEN is set but TELEGRAM_WEBHOOK_URL is not"},
		{name: "moderator not a number", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_MODERATORS": "42,@ann"}, wantEnabled: true, wantErr: `TELEGRAM_MODERATORS: "@ann" is not a user id`},
		{name: "moderator a group", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_MODERATORS": "-1001"}, wantEnabled: true, wantErr: `TELEGRAM_MODERATORS: "-1001" is not a user id`},
		{name: "moderators without token", env: map[string]string{"TELEGRAM_MODERATORS": "42"}, wantErr: "TELEGRAM_MODERATORS is set but TELEGRAM_TOKEN is not"},
		{name: "bad listen address", env: map[string]string{"TELEGRAM_TOKEN": token, "TELEGRAM_WEBHOOK_URL": "https://bot.example.com/tg", "TELEGRAM_WEBHOOK_SECRET": "abc", "TELEGRAM_WEBHOOK_LISTEN": "8080"}, wantEnabled: true, wantErr: "TELEGRAM_WEBHOOK_LISTEN is not a listen address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, enabled, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
			if enabled != tt.wantEnabled {
				t.Errorf("ConfigFromEnv(%v) enabled = %v, want %v", tt.env, enabled, tt.wantEnabled)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ConfigFromEnv(%v) error = %v, want one containing %q", tt.env, err, tt.wantErr)
				}
				if msg := err.Error(); strings.Contains(msg, "secret_Token") || strings.Contains(msg, "\n") {
					t.Errorf("error %q quotes the token or spans lines", msg)
				}
				return
			}
			if err != nil {
				t.Fatalf("ConfigFromEnv(%v) error = %v", tt.env, err)
			}
			if tt.wantEnabled {
				tt.want = tt.want.withDefaults()
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ConfigFromEnv(%v) =\n%+v, want\n%+v", tt.env, got, tt.want)
			}
		})
	}
}

// TestConfigFromEnvReportsEveryProblem checks that the problems of a
// configuration are reported all at once, one a line, as Discord's and
// BOT_*'s are, rather than one per attempt to start.
func TestConfigFromEnvReportsEveryProblem(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{name: "with a token",
			env: map[string]string{
				"TELEGRAM_TOKEN":          "not-a-token",
				"TELEGRAM_API_URL":        "api.telegram.org",
				"TELEGRAM_POLL_TIMEOUT":   "0s",
				"TELEGRAM_WEBHOOK_URL":    "http://bot.example.com/tg",
				"TELEGRAM_WEBHOOK_SECRET": "no spaces!",
				"TELEGRAM_WEBHOOK_LISTEN": "8080",
				"TELEGRAM_MODERATORS":     "@ann",
			},
			want: []string{
				"TELEGRAM_POLL_TIMEOUT must be whole seconds",
				"TELEGRAM_MODERATORS: \"@ann\" is not a user id",
				"TELEGRAM_TOKEN is not a bot token",
				"TELEGRAM_API_URL: want an absolute http or https URL",
				"TELEGRAM_WEBHOOK_URL must be an https URL",
				"TELEGRAM_WEBHOOK_SECRET must be 1 to 256 characters",
				"TELEGRAM_WEBHOOK_LISTEN is not a listen address",
			}},
		{name: "without a token",
			env: map[string]string{"TELEGRAM_WEBHOOK_URL": "https://bot.example.com/tg", "TELEGRAM_MODERATORS": "42"},
			want: []string{
				"TELEGRAM_WEBHOOK_URL is set but TELEGRAM_TOKEN is not",
				"TELEGRAM_MODERATORS is set but TELEGRAM_TOKEN is not",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
			if err == nil {
				t.Fatalf("ConfigFromEnv(%v) error = nil, want %d problems", tt.env, len(tt.want))
			}
			lines := strings.Split(err.Error(), "\n")
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("ConfigFromEnv(%v) error lacks %q:\n%v", tt.env, want, err)
				}
			}
			if len(lines) != len(tt.want) {
				t.Errorf("ConfigFromEnv(%v) error has %d lines, want one per problem (%d):\n%v", tt.env, len(lines), len(tt.want), err)
			}
		})
	}
}

func TestNewChecksConfig(t *testing.T) {
	svc := newService(t, notCovered, nil)
	if _, err := New(Config{Token: "nope"}, svc, nil); err == nil || !strings.Contains(err.Error(), "TELEGRAM_TOKEN") {
		t.Errorf("New with a bad token: error %v, want one naming TELEGRAM_TOKEN", err)
	}
	if _, err := New(Config{Token: "1:a"}, nil, nil); err == nil {
		t.Error("New without a service: no error")
	}
}
