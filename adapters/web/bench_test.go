package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/smpbot/bot/knowledge"
)

// largeBase is a knowledge base of n entries with two questions each.
func largeBase(n int) fstest.MapFS {
	words := []string{"pigment", "needle", "scalp", "healing", "session", "colour", "density", "hairline", "scar", "sun", "sweat", "touch-up", "blur", "ink", "clinic", "price"}
	fsys := fstest.MapFS{"synonyms.txt": {Data: []byte("technician, practitioner, tech\n")}}
	for i := range n {
		a, b := words[i%len(words)], words[(i/len(words))%len(words)]
		text := fmt.Sprintf("---\nid: topic-%05d\ntitle: \"Topic %d: %s and %s\"\nkind: explanation\nquestions:\n  - what about %s and %s number %d\n  - is %s after %s ok %d\ntags: [%s]\n---\nAn answer about %s and %s, number %d. Ask your practitioner first.\n",
			i, i, a, b, a, b, i, a, b, i, strings.ReplaceAll(a, "-", ""), a, b, i)
		fsys[fmt.Sprintf("entries/topic-%05d.md", i)] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

// BenchmarkPages renders each page of the console at 10,000 entries, through
// its handler, as a logged-in moderator. The lists of entries and gaps search
// once per entry or gap shown, remembered until the knowledge base changes:
// the -cold benchmarks show a page's first view, each iteration another
// page never shown before.
//
//	go test -run '^$' -bench Pages -benchtime 20x ./adapters/web
func BenchmarkPages(b *testing.B) {
	c := newConsoleOf(b, largeBase(10_000))
	ctx := b.Context()
	for i := range 1200 {
		c.mod.Observe(ctx, &knowledge.Answer{Question: fmt.Sprintf("an unanswered question number %d", i)}, 0)
	}
	for i := range 100 {
		_ = c.mod.RecordFeedback(ctx, "", fmt.Sprintf("topic-%05d", i), fmt.Sprintf("a bad answer to question %d", i), false)
	}
	br := c.login("ana")
	u, _ := url.Parse(c.url)
	cookies := br.client.Jar.Cookies(u)
	h := c.server.Handler()
	get := func(page string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, page, nil)
		for _, ck := range cookies {
			req.AddCookie(ck)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	for _, list := range []string{"entries", "gaps"} {
		b.Run(list+"-cold", func(b *testing.B) {
			n := 2
			for b.Loop() {
				if rec := get(fmt.Sprintf("/%s?page=%d", list, n)); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), fmt.Sprintf("page %d of", n)) {
					b.Fatalf("GET /%s?page=%d = %d, or not that page", list, n, rec.Code)
				}
				n++
			}
		})
	}
	for _, p := range []struct{ name, path string }{
		{"overview", "/"},
		{"entries", "/entries"},
		{"entries-search", "/entries?q=pigment&page=3"},
		{"editor", "/entries/topic-05000"},
		{"new", "/new"},
		{"history", "/history"},
		{"history-entry", "/history/topic-05000"},
		{"diff", "/diff/topic-05000"},
		{"gaps", "/gaps"},
		{"feedback", "/feedback"},
		{"ask", "/ask?q=" + url.QueryEscape("how long after healing can i go in the sun")},
		{"synonyms", "/synonyms"},
	} {
		if rec := get(p.path); rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d", p.path, rec.Code)
		}
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				get(p.path)
			}
		})
	}
}
