package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/smpbot/bot/knowledge"
)

// view is what every page template gets.
type view struct {
	Title string
	// Nav names the section the page belongs to, highlighted in the
	// navigation.
	Nav  string
	Sess knowledge.Session
	// Flash says what was just done; Error what went wrong.
	Flash, Error string
	Data         any
}

var funcs = template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"join": strings.Join,
	"pct":  func(f float64) string { return fmt.Sprintf("%.3f", f) },
	"add":  func(a, b int) int { return a + b },
	// pair passes a question and its page's data to the "actions"
	// template.
	"pair": func(q any, d inboxData) map[string]any { return map[string]any{"Q": q, "D": d} },
	"diffClass": func(op knowledge.DiffOp) string {
		return [...]string{"same", "del", "ins"}[op]
	},
	"diffMark": func(op knowledge.DiffOp) string { return [...]string{" ", "−", "+"}[op] },
}

// parsePages parses each page's template with the layout around it.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, err
		}
		pages[name] = t
	}
	return pages, nil
}

// render writes page name with v, or a failure if it does not render.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	v.Sess.Token = "" // the cookie's secret has no business in a page
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", v); err != nil {
		s.log.ErrorContext(r.Context(), "cannot render a page", "page", name, "error", err)
		http.Error(w, knowledge.FailureNotice, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail shows msg on a page of its own, with status.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, status, "error", view{Title: http.StatusText(status), Error: msg})
}

// internal logs err and shows the failure notice.
func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	s.log.ErrorContext(r.Context(), "web console request failed", "path", r.URL.Path, "error", err)
	s.fail(w, r, http.StatusInternalServerError, knowledge.FailureNotice)
}

// redirect sends the browser to path on the console, after a change.
func redirect(w http.ResponseWriter, r *http.Request, path string) {
	http.Redirect(w, r, path, http.StatusSeeOther)
}
