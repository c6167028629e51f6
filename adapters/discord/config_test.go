package discord

import (
	"bytes"
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
		wantErr     []string // parts of the error, each on a line of its own; none for no error
	}{
		{name: "disabled", env: map[string]string{}},
		{name: "disabled by blank token", env: map[string]string{EnvToken: "  ", EnvGuildID: "x"}},
		{name: "token only", env: map[string]string{EnvToken: token}, wantEnabled: true,
			want: Config{Token: token, Shards: 1, RateEvery: DefaultRateEvery, RateBurst: DefaultRateBurst}},
		{name: "everything", env: map[string]string{EnvToken: "Bot " + token, EnvGuildID: "123456789012345678", EnvAPIURL: "http://127.0.0.1:8080/", EnvRateEvery: "30s", EnvRateBurst: "2"}, wantEnabled: true,
			want: Config{Token: token, Shards: 1, GuildID: "123456789012345678", APIURL: "http://127.0.0.1:8080", RateEvery: 30 * time.Second, RateBurst: 2}},
		{name: "moderator roles", env: map[string]string{EnvToken: token, EnvModeratorRoles: " 123456789012345678, ,223456789012345678 "}, wantEnabled: true,
			want: Config{Token: token, Shards: 1, RateEvery: DefaultRateEvery, RateBurst: DefaultRateBurst, ModeratorRoles: []string{"123456789012345678", "223456789012345678"}}},
		{name: "moderator role a name", env: map[string]string{EnvToken: token, EnvModeratorRoles: "123456789012345678,Mods"}, wantEnabled: true, wantErr: []string{EnvModeratorRoles}},
		{name: "guild not a number", env: map[string]string{EnvToken: token, EnvGuildID: "my-server"}, wantEnabled: true, wantErr: []string{EnvGuildID}},
		{name: "guild too big", env: map[string]string{EnvToken: token, EnvGuildID: "99999999999999999999999"}, wantEnabled: true, wantErr: []string{EnvGuildID}},
		{name: "api url with path", env: map[string]string{EnvToken: token, EnvAPIURL: "http://proxy/api/v9"}, wantEnabled: true, wantErr: []string{EnvAPIURL}},
		{name: "api url without scheme", env: map[string]string{EnvToken: token, EnvAPIURL: "127.0.0.1:8080"}, wantEnabled: true, wantErr: []string{EnvAPIURL}},
		{name: "api url ftp", env: map[string]string{EnvToken: token, EnvAPIURL: "ftp://proxy"}, wantEnabled: true, wantErr: []string{EnvAPIURL}},
		{name: "api url with credentials", env: map[string]string{EnvToken: token, EnvAPIURL: "http://u:p@proxy"}, wantEnabled: true, wantErr: []string{EnvAPIURL}},
		{name: "token with space", env: map[string]string{EnvToken: "abc " + token}, wantEnabled: true, wantErr: []string{EnvToken}},
		{name: "bad rate every", env: map[string]string{EnvToken: token, EnvRateEvery: "often"}, wantEnabled: true, wantErr: []string{EnvRateEvery}},
		{name: "negative rate every", env: map[string]string{EnvToken: token, EnvRateEvery: "-1s"}, wantEnabled: true, wantErr: []string{EnvRateEvery}},
		{name: "every problem at once", env: map[string]string{EnvToken: token, EnvGuildID: "my-server", EnvAPIURL: "proxy", EnvRateEvery: "often", EnvRateBurst: "0"}, wantEnabled: true,
			wantErr: []string{EnvRateEvery, EnvRateBurst, EnvGuildID, EnvAPIURL}},
		{name: "interactions endpoint without the gateway", env: map[string]string{EnvToken: token, EnvPublicKey: strings.Repeat("ab", 32), EnvGateway: "off", EnvShards: "2"}, wantEnabled: true,
			want: Config{Token: token, Shards: 2, RateEvery: DefaultRateEvery, RateBurst: DefaultRateBurst, PublicKey: bytes.Repeat([]byte{0xab}, 32), InteractionsListen: DefaultInteractionsListen, NoGateway: true}},
		{name: "public key too short", env: map[string]string{EnvToken: token, EnvPublicKey: "abcd"}, wantEnabled: true, wantErr: []string{EnvPublicKey}},
		{name: "gateway off without public key", env: map[string]string{EnvToken: token, EnvGateway: "off"}, wantEnabled: true, wantErr: []string{EnvGateway}},
		{name: "gateway maybe", env: map[string]string{EnvToken: token, EnvGateway: "maybe", EnvPublicKey: strings.Repeat("ab", 32)}, wantEnabled: true, wantErr: []string{EnvGateway}},
		{name: "listen without public key", env: map[string]string{EnvToken: token, EnvInteractionsAddr: ":9000"}, wantEnabled: true, wantErr: []string{EnvInteractionsAddr}},
		{name: "no shards", env: map[string]string{EnvToken: token, EnvShards: "0"}, wantEnabled: true, wantErr: []string{EnvShards}},
		{name: "bad rate burst", env: map[string]string{EnvToken: token, EnvRateBurst: "0"}, wantEnabled: true, wantErr: []string{EnvRateBurst}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, enabled, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
			if enabled != tt.wantEnabled {
				t.Errorf("ConfigFromEnv(%v) enabled = %v, want %v", tt.env, enabled, tt.wantEnabled)
			}
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatalf("ConfigFromEnv(%v) error = nil, want one naming %s", tt.env, tt.wantErr)
				}
				lines := strings.Split(err.Error(), "\n")
				if len(lines) != len(tt.wantErr) {
					t.Errorf("ConfigFromEnv(%v) error = %q, want %d lines naming %s", tt.env, err, len(tt.wantErr), tt.wantErr)
				}
				for i, line := range lines {
					if i < len(tt.wantErr) && !strings.Contains(line, tt.wantErr[i]) {
						t.Errorf("ConfigFromEnv(%v) error line %d = %q, want it to name %s", tt.env, i+1, line, tt.wantErr[i])
					}
				}
				if msg := err.Error(); strings.Contains(msg, "SECRET") {
					t.Errorf("error %q holds the token", msg)
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
