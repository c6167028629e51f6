package discord

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestConfigFromEnv(t *testing.T) {
	const token = "MTAx.SECRET.abc"
	tests := []struct {
		name        string
		env         map[string]string
		wantEnabled bool
		want        Config
		wantErr     string // part of the error, "" for none
	}{
		{name: "disabled", env: map[string]string{}},
		{name: "disabled by blank token", env: map[string]string{EnvToken: "  ", EnvGuildID: "x"}},
		{name: "token only", env: map[string]string{EnvToken: token}, wantEnabled: true,
			want: Config{Token: token, RateEvery: DefaultRateEvery, RateBurst: DefaultRateBurst}},
		{name: "everything", env: map[string]string{EnvToken: "Bot " + token, EnvGuildID: "123456789012345678", EnvAPIURL: "http://127.0.0.1:8080/", EnvRateEvery: "30s", EnvRateBurst: "2"}, wantEnabled: true,
			want: Config{Token: token, GuildID: "123456789012345678", APIURL: "http://127.0.0.1:8080", RateEvery: 30 * time.Second, RateBurst: 2}},
		{name: "moderator roles", env: map[string]string{EnvToken: token, EnvModeratorRoles: " 123456789012345678, ,223456789012345678 "}, wantEnabled: true,
			want: Config{Token: token, RateEvery: DefaultRateEvery, RateBurst: DefaultRateBurst, ModeratorRoles: []string{"123456789012345678", "223456789012345678"}}},
		{name: "moderator role a name", env: map[string]string{EnvToken: token, EnvModeratorRoles: "123456789012345678,Mods"}, wantEnabled: true, wantErr: EnvModeratorRoles},
		{name: "guild not a number", env: map[string]string{EnvToken: token, EnvGuildID: "my-server"}, wantEnabled: true, wantErr: EnvGuildID},
		{name: "guild too big", env: map[string]string{EnvToken: token, EnvGuildID: "99999999999999999999999"}, wantEnabled: true, wantErr: EnvGuildID},
		{name: "api url with path", env: map[string]string{EnvToken: token, EnvAPIURL: "http://proxy/api/v9"}, wantEnabled: true, wantErr: EnvAPIURL},
		{name: "api url without scheme", env: map[string]string{EnvToken: token, EnvAPIURL: "127.0.0.1:8080"}, wantEnabled: true, wantErr: EnvAPIURL},
		{name: "api url ftp", env: map[string]string{EnvToken: token, EnvAPIURL: "ftp://proxy"}, wantEnabled: true, wantErr: EnvAPIURL},
		{name: "api url with credentials", env: map[string]string{EnvToken: token, EnvAPIURL: "http://u:p@proxy"}, wantEnabled: true, wantErr: EnvAPIURL},
		{name: "token with space", env: map[string]string{EnvToken: "abc " + token}, wantEnabled: true, wantErr: EnvToken},
		{name: "bad rate every", env: map[string]string{EnvToken: token, EnvRateEvery: "often"}, wantEnabled: true, wantErr: EnvRateEvery},
		{name: "negative rate every", env: map[string]string{EnvToken: token, EnvRateEvery: "-1s"}, wantEnabled: true, wantErr: EnvRateEvery},
		{name: "bad rate burst", env: map[string]string{EnvToken: token, EnvRateBurst: "0"}, wantEnabled: true, wantErr: EnvRateBurst},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, enabled, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
			if enabled != tt.wantEnabled {
				t.Errorf("ConfigFromEnv(%v) enabled = %v, want %v", tt.env, enabled, tt.wantEnabled)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ConfigFromEnv(%v) error = %v, want one naming %s", tt.env, err, tt.wantErr)
				}
				if msg := err.Error(); strings.Contains(msg, "SECRET") || strings.Contains(msg, "\n") {
					t.Errorf("error %q holds the token or several lines", msg)
				}
				return
			}
			if err != nil {
				t.Fatalf("ConfigFromEnv(%v) error = %v", tt.env, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ConfigFromEnv(%v) = %+v, want %+v", tt.env, got, tt.want)
			}
		})
	}
}
