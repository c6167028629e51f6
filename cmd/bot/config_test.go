package main

import (
	"bytes"
	"errors"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/smpbot/bot/knowledge"
)

// envOf returns a getenv reading vars.
func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// environOf returns an environ listing vars, sorted by name.
func environOf(vars map[string]string) func() []string {
	return func() []string {
		var kvs []string
		for k, v := range vars {
			kvs = append(kvs, k+"="+v)
		}
		slices.Sort(kvs)
		return kvs
	}
}

func TestConfigProblems(t *testing.T) {
	readOnly := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(readOnly, 0o500); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string // the problem lines, in order
	}{
		{"bad log format", map[string]string{envLogFormat: "xml"}, nil,
			[]string{`BOT_LOG_FORMAT: unknown log format "xml" (want text or json)`}},
		{"bad log level flag", nil, []string{"--log-level", "loud"},
			[]string{`--log-level: unknown log level "loud" (want debug, info, warn or error)`}},
		{"bad address", map[string]string{envHTTPAddr: "localhost"}, nil,
			[]string{`BOT_HTTP_ADDR: "localhost" is not an address such as 127.0.0.1:8081 (or off)`}},
		{"bad port", nil, []string{"--http-addr", "127.0.0.1:http"},
			[]string{`--http-addr: "127.0.0.1:http": port "http" is not a number from 0 to 65535`}},
		{"bad host", nil, []string{"--http-addr", "example.com:80"},
			[]string{`--http-addr: "example.com:80": host "example.com" is not an IP address or localhost`}},
		{"bad global rate", map[string]string{envGlobalRate: "-1"}, nil,
			[]string{`BOT_GLOBAL_RATE: "-1" is not a number of questions a second, such as 20 (or 0 for no limit)`}},
		{"bad concurrency flag", nil, []string{"--max-concurrent", "many"},
			[]string{`--max-concurrent: "many" is not a number of questions, such as 16 (or 0 for no limit)`}},
		{"bad retention", map[string]string{envKeepEvents: "half a year"}, nil,
			[]string{`BOT_KEEP_EVENTS_DAYS: "half a year" is not a number of days from 0 to 36500, such as 180 (or 0 to keep them for ever)`}},
		{"data dir is a file", map[string]string{envDataDir: notDir}, nil,
			[]string{"BOT_DATA_DIR: cannot create the data directory: mkdir " + notDir + ": not a directory"}},
		{"missing knowledge-base dir", map[string]string{envKBDir: notDir + "-missing"}, nil,
			[]string{"BOT_KB_DIR: stat " + notDir + "-missing: no such file or directory"}},
		{"knowledge-base dir is a file", nil, []string{"--kb", notDir},
			[]string{"--kb: " + notDir + " is not a directory"}},
		{"several Discord problems", map[string]string{"DISCORD_TOKEN": "t", "DISCORD_GUILD_ID": "my-server", "DISCORD_RATE_BURST": "0"}, nil,
			[]string{
				`DISCORD_RATE_BURST must be a positive whole number, got "0"`,
				`DISCORD_GUILD_ID must be a server id (a number such as 123456789012345678), got "my-server"`,
			}},
		{"malformed tokens", map[string]string{"DISCORD_TOKEN": "two words", "TELEGRAM_TOKEN": "nope"}, nil,
			[]string{
				"DISCORD_TOKEN contains spaces or control characters; paste the token exactly as the Developer Portal shows it",
				"TELEGRAM_TOKEN is not a bot token: want digits, a colon and letters, as BotFather gives it",
			}},
		{"webhook port taken", map[string]string{
			"TELEGRAM_TOKEN": "123:abc", "TELEGRAM_WEBHOOK_URL": "https://bot.example/hook",
			"TELEGRAM_WEBHOOK_SECRET": "s3cret", "TELEGRAM_WEBHOOK_LISTEN": ":8081",
		}, nil, []string{"BOT_HTTP_ADDR: 127.0.0.1:8081 uses the port of the Telegram webhook (:8081)"}},
		{"every problem at once", map[string]string{envLogFormat: "xml", envLogLevel: "loud", envHTTPAddr: "::1"}, nil,
			[]string{
				`BOT_LOG_FORMAT: unknown log format "xml" (want text or json)`,
				`BOT_LOG_LEVEL: unknown log level "loud" (want debug, info, warn or error)`,
				`BOT_HTTP_ADDR: "::1" is not an address such as 127.0.0.1:8081 (or off)`,
			}},
	}
	if os.Geteuid() != 0 { // root writes anywhere
		tests = append(tests, struct {
			name string
			env  map[string]string
			args []string
			want []string
		}{"read-only data dir", map[string]string{envDataDir: readOnly}, nil,
			[]string{"BOT_DATA_DIR: data directory " + readOnly + " is not writable: permission denied"}})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			_, err := loadConfig(env{getenv: envOf(tt.env), stderr: &stderr}, tt.args, true)
			ce, ok := errors.AsType[*configError](err)
			if !ok {
				t.Fatalf("loadConfig(%v, %q) = %v, want a configuration error", tt.env, tt.args, err)
			}
			if got, want := strings.Join(ce.problems, "\n"), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("loadConfig(%v, %q) problems:\n%s\nwant:\n%s", tt.env, tt.args, got, want)
			}
		})
	}
}

func TestConfigFlagsWin(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "data", "nested")
	kbDir, otherDir := t.TempDir(), t.TempDir()
	defaults := knowledge.Capacity{Rate: defaultGlobalRate, Burst: defaultGlobalRate, Concurrent: defaultMaxConcurrent}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want config
	}{
		{"defaults on the console", nil, nil,
			config{logFormat: "text", logLevel: slog.LevelWarn, capacity: defaults}},
		{"log level asked for on the console", map[string]string{envLogLevel: "info"}, nil,
			config{logFormat: "text", logLevel: slog.LevelInfo, capacity: defaults}},
		{"default address with a platform", map[string]string{"TELEGRAM_TOKEN": "123:abc"}, nil,
			config{httpAddr: defaultHTTPAddr, logFormat: "text", capacity: defaults}},
		{"off with a platform", map[string]string{"TELEGRAM_TOKEN": "123:abc", envHTTPAddr: "off"}, nil,
			config{logFormat: "text", capacity: defaults}},
		{"environment", map[string]string{envHTTPAddr: "127.0.0.1:9000", envLogFormat: "json", envLogLevel: "debug", envDataDir: dataDir,
			envGlobalRate: "2.5", envMaxConcurrent: "0"}, nil,
			config{httpAddr: "127.0.0.1:9000", logFormat: "json", logLevel: slog.LevelDebug, dataDir: dataDir,
				capacity: knowledge.Capacity{Rate: 2.5, Burst: 3}}},
		{"flags over environment", map[string]string{envHTTPAddr: "bad", envLogFormat: "xml", envLogLevel: "loud", envKBDir: kbDir, envGlobalRate: "x", envMaxConcurrent: "-1", envKeepEvents: "forever"},
			[]string{"--http-addr", "[::1]:0", "--log-format", "json", "--log-level", "WARN", "--kb", otherDir, "--global-rate", "0", "--max-concurrent", "4", "--keep-events-days", "30"},
			config{httpAddr: "[::1]:0", logFormat: "json", logLevel: slog.LevelWarn, kbDir: otherDir, capacity: knowledge.Capacity{Concurrent: 4}, keepEvents: 30 * 24 * time.Hour}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := loadConfig(env{getenv: envOf(tt.env), stderr: new(bytes.Buffer)}, tt.args, true)
			if err != nil {
				t.Fatalf("loadConfig(%v, %q): %v", tt.env, tt.args, err)
			}
			if got.httpAddr != tt.want.httpAddr || got.logFormat != tt.want.logFormat || got.logLevel != tt.want.logLevel ||
				got.kbDir != tt.want.kbDir || got.dataDir != tt.want.dataDir || got.capacity != tt.want.capacity ||
				tt.want.keepEvents != 0 && got.keepEvents != tt.want.keepEvents {
				t.Errorf("loadConfig(%v, %q) = http %q, format %q, level %v, kb %q, data %q, capacity %+v; want %q, %q, %v, %q, %q, %+v",
					tt.env, tt.args, got.httpAddr, got.logFormat, got.logLevel, got.kbDir, got.dataDir, got.capacity,
					tt.want.httpAddr, tt.want.logFormat, tt.want.logLevel, tt.want.kbDir, tt.want.dataDir, tt.want.capacity)
			}
		})
	}
	if st, err := os.Stat(dataDir); err != nil || !st.IsDir() {
		t.Errorf("the data directory %s was not created: %v", dataDir, err)
	}
}

func TestConfigUsageMistakes(t *testing.T) {
	for _, args := range [][]string{{"--bogus"}, {"extra"}} {
		var stderr bytes.Buffer
		_, err := loadConfig(env{getenv: envOf(nil), stderr: &stderr}, args, true)
		if !errors.Is(err, errUsage) {
			t.Errorf("loadConfig(%q) = %v, want errUsage", args, err)
		}
		if stderr.Len() == 0 {
			t.Errorf("loadConfig(%q) printed nothing", args)
		}
	}
}

func TestUnknownEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"misspelled BOT_ name", map[string]string{"BOT_DATADIR": "/srv/data"},
			[]string{"unknown environment variable BOT_DATADIR (did you mean BOT_DATA_DIR?)"}},
		{"misspelled TELEGRAM_ name", map[string]string{"TELEGRAM_TOKN": "123:abc"},
			[]string{"unknown environment variable TELEGRAM_TOKN (did you mean TELEGRAM_TOKEN?)"}},
		{"misspelled DISCORD_ name", map[string]string{"DISCORD_GUILDID": "1"},
			[]string{"unknown environment variable DISCORD_GUILDID (did you mean DISCORD_GUILD_ID?)"}},
		{"case and underscores", map[string]string{"BOT_Max_Con_Current": "4"},
			[]string{"unknown environment variable BOT_Max_Con_Current (did you mean BOT_MAX_CONCURRENT?)"}},
		{"nothing near", map[string]string{"DISCORD_CLIENT_SECRET": "xyz"},
			[]string{"unknown environment variable DISCORD_CLIENT_SECRET"}},
		{"known and unrelated names", map[string]string{
			envDataDir: "/srv/data", "TELEGRAM_TOKEN": "123:abc", "DISCORD_GUILD_ID": "1",
			"PATH": "/bin", "HOME": "/root", "OTHER_THING": "x", "BOTANIST": "x",
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unknownEnv(environOf(tt.env)()); !slices.Equal(got, tt.want) {
				t.Errorf("unknownEnv(%v) = %q, want %q", tt.env, got, tt.want)
			}
		})
	}
}

// TestEnvNamesAreWhatIsRead checks that envNames lists exactly the BOT_,
// DISCORD_ and TELEGRAM_ variables that loadConfig reads, with both
// platforms configured so that every one of them is read.
func TestEnvNamesAreWhatIsRead(t *testing.T) {
	vars := map[string]string{"DISCORD_TOKEN": fakeDiscordToken, "TELEGRAM_TOKEN": "123:abc"}
	read := map[string]bool{}
	getenv := func(k string) string {
		if slices.ContainsFunc(envPrefixes, func(p string) bool { return strings.HasPrefix(k, p) }) {
			read[k] = true
		}
		return vars[k]
	}
	if _, err := loadConfig(env{getenv: getenv, stderr: new(bytes.Buffer)}, nil, false); err != nil {
		t.Fatalf("loadConfig: %v", err)
	}
	got, want := envNames(), slices.Sorted(maps.Keys(read))
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("envNames() = %q\nbut loadConfig reads %q", got, want)
	}
}
