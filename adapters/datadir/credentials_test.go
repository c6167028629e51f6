package datadir_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smpbot/bot/adapters/datadir"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// The logins of the web console are kept as every engine keeps them, and a
// link issued by one process (bot kb web-link) is redeemed by another (the
// running bot) sharing the data directory.
func TestCredentials(t *testing.T) {
	dir := t.TempDir()
	knowledgetest.CheckCredentials(t, func(t *testing.T) knowledge.Credentials {
		return openStore(t, dir, knowledgetest.Files()).Store
	})
}

// A link's token is nowhere on disk, and the directory of logins is its
// owner's only.
func TestCredentialsOnDisk(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	s := openStore(t, dir, knowledgetest.Files())
	link, err := knowledge.NewLogins(s.Store, "http://localhost:8082").IssueLink(ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}
	_, token, _ := strings.Cut(link.URL, knowledge.LoginPath)
	_, secret, _ := strings.Cut(token, ".")
	files, _ := filepath.Glob(filepath.Join(dir, datadir.CredentialsDir, "*"))
	if len(files) == 0 {
		t.Fatalf("no file in %s after issuing a link", datadir.CredentialsDir)
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if strings.Contains(string(data), secret) {
			t.Errorf("%s holds the link's secret", f)
		}
	}
	if info, err := os.Stat(filepath.Join(dir, datadir.CredentialsDir)); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("%s: %v, %v; want a directory of mode 0700", datadir.CredentialsDir, info, err)
	}
}
