package web_test

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/smpbot/bot/adapters/web"
	"github.com/smpbot/bot/index"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// console is a web console over the embedded knowledge base kept in
// memory, answering through a real index that follows its changes, as
// cmd/bot wires it.
type console struct {
	t      testing.TB
	url    string
	svc    *knowledge.Service
	mod    *knowledge.Moderation
	mem    *knowledgetest.Memory
	creds  *knowledgetest.Credentials
	logins *knowledge.Logins
	server *web.Server
}

func buildIndex(b *knowledge.Base) (knowledge.Index, error) { return index.Build(b) }

func newConsole(t testing.TB) *console {
	t.Helper()
	return newConsoleOf(t, guide.FS())
}

// newConsoleOf is newConsole over the knowledge base in seed.
func newConsoleOf(t testing.TB, seed fs.FS) *console {
	t.Helper()
	mem := knowledgetest.NewMemory(t, seed)
	mod := knowledge.NewModeration(mem, mem)
	base, head, err := mod.Base(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	idx, err := buildIndex(base)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := guide.Calibration()
	if err != nil {
		t.Fatal(err)
	}
	svc := knowledge.NewService(base, idx, cal, nil)
	svc.Observe(mod)
	svc.RecordFeedbackTo(mod)

	var h http.Handler
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	creds := knowledgetest.NewCredentials()
	logins := knowledge.NewLogins(creds, ts.URL)
	srv, err := web.New(web.Config{Addr: ts.Listener.Addr().String(), URL: ts.URL}, svc, mod, logins, buildIndex, slog.New(slog.NewTextHandler(testLog{t}, nil)))
	if err != nil {
		t.Fatal(err)
	}
	svc.Observe(srv)
	h = srv.Handler()

	ctx, cancel := context.WithCancel(context.Background())
	followed := make(chan error, 1)
	go func() { followed <- svc.Follow(ctx, mem, head, buildIndex) }()
	t.Cleanup(func() {
		cancel()
		<-followed
	})
	return &console{t: t, url: ts.URL, svc: svc, mod: mod, mem: mem, creds: creds, logins: logins, server: srv}
}

// link issues a login link for moderator and returns its token.
func (c *console) link(moderator string) string {
	c.t.Helper()
	l, err := c.logins.IssueLink(c.t.Context(), moderator)
	if err != nil {
		c.t.Fatal(err)
	}
	_, token, _ := strings.Cut(l.URL, knowledge.LoginPath)
	return token
}

// browser is a client of the console with its own cookies.
type browser struct {
	c      *console
	client *http.Client
	// csrf is the CSRF token of the last page that had one.
	csrf string
}

// anonymous returns a browser with no session.
func (c *console) anonymous() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{c: c, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// login returns a browser logged in as moderator.
func (c *console) login(moderator string) *browser {
	c.t.Helper()
	b := c.anonymous()
	res := b.post("/login", url.Values{"token": {c.link(moderator)}})
	if res.status != http.StatusSeeOther {
		c.t.Fatalf("POST /login: status %d, want 303\n%s", res.status, res.body)
	}
	b.get("/") // for its CSRF token
	return b
}

type response struct {
	status int
	body   string
	header http.Header
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) do(req *http.Request) response {
	b.c.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if m := csrfField.FindSubmatch(body); m != nil {
		b.csrf = string(m[1])
	}
	return response{res.StatusCode, string(body), res.Header}
}

func (b *browser) get(path string) response {
	b.c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.c.url+path, nil)
	return b.do(req)
}

// post sends form from the console's own origin with the session's CSRF
// token, unless form sets its own.
func (b *browser) post(path string, form url.Values) response {
	b.c.t.Helper()
	return b.postFrom(b.c.url, path, form)
}

func (b *browser) postFrom(origin, path string, form url.Values) response {
	b.c.t.Helper()
	if b.csrf != "" && !form.Has("csrf") {
		form.Set("csrf", b.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, b.c.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return b.do(req)
}

// text returns an entry's text and revision.
func (c *console) text(id string) (string, int64) {
	c.t.Helper()
	text, rev, err := c.mod.Text(c.t.Context(), id)
	if err != nil {
		c.t.Fatalf("Text(%q): %v", id, err)
	}
	return text, rev
}

// head returns the newest revision.
func (c *console) head() int64 {
	c.t.Helper()
	_, rev, err := c.mod.Base(c.t.Context())
	if err != nil {
		c.t.Fatal(err)
	}
	return rev
}

// testLog writes the console's log to the test's.
type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
