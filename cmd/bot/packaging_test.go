package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestPackaging keeps the Dockerfile and the systemd unit in step with the
// code: the Go image is the release go.mod needs, and both run "bot run",
// which fails rather than exits 0 when nothing is configured.
func TestPackaging(t *testing.T) {
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	gomod, dockerfile, unit := read("../../go.mod"), read("Dockerfile"), read("smp-bot.service")
	goVersion := regexp.MustCompile(`(?m)^go (\S+)$`).FindStringSubmatch(gomod)
	if goVersion == nil {
		t.Fatal("go.mod has no go directive")
	}
	if want := "FROM golang:" + goVersion[1] + " AS build"; !strings.Contains(dockerfile, want) {
		t.Errorf("Dockerfile lacks %q (go.mod: go %s)", want, goVersion[1])
	}
	if !strings.Contains(dockerfile, `ENTRYPOINT ["/bot"]`+"\n"+`CMD ["run"]`) {
		t.Error(`Dockerfile does not run "/bot run"`)
	}
	if !strings.Contains(unit, "\nExecStart=/usr/local/bin/bot run\n") {
		t.Error(`smp-bot.service does not run "bot run"`)
	}
}
