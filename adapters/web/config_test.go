package web_test

import (
	"strings"
	"testing"

	"github.com/smpbot/bot/adapters/web"
)

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		addr, url   string
		wantOn      bool
		wantURL     string
		wantProblem string
	}{
		{"", "", false, "", ""},
		{"127.0.0.1:8082", "", true, "http://127.0.0.1:8082", ""},
		{"localhost:8082", "", true, "http://localhost:8082", ""},
		{"127.0.0.1:8082", "https://kb.example.org/", true, "https://kb.example.org", ""},
		{":8082", "", true, "", "BOT_WEB_URL: set the console's public address"},
		{"nowhere", "", true, "", "BOT_WEB_ADDR: \"nowhere\" is not a host:port"},
		{"127.0.0.1:8082", "ftp://kb.example.org", true, "", "not an http or https URL"},
		{"127.0.0.1:8082", "https://kb.example.org/console", true, "", "has a path"},
		{"127.0.0.1:8082", "https://kb.example.org/?x=1", true, "", "plain base URL"},
		{"", "https://kb.example.org", false, "", "BOT_WEB_URL is set but BOT_WEB_ADDR is not"},
	}
	for _, tt := range tests {
		env := map[string]string{web.EnvAddr: tt.addr, web.EnvURL: tt.url}
		cfg, on, err := web.ConfigFromEnv(func(k string) string { return env[k] })
		switch {
		case tt.wantProblem != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantProblem) {
				t.Errorf("ConfigFromEnv(%q, %q) = %v, want an error saying %q", tt.addr, tt.url, err, tt.wantProblem)
			}
		case err != nil || on != tt.wantOn || cfg.URL != tt.wantURL:
			t.Errorf("ConfigFromEnv(%q, %q) = %+v, %v, %v; want URL %q, on %v", tt.addr, tt.url, cfg, on, err, tt.wantURL, tt.wantOn)
		}
	}
}
