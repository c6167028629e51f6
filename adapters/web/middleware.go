package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/smpbot/bot/knowledge"
)

// handler serves a request of a moderator's session; the zero session on
// the routes that need none.
type handler func(w http.ResponseWriter, r *http.Request, sess knowledge.Session)

// contentSecurity allows nothing but the console's own styles, images and
// forms: no script at all, no frames, no plugins.
const contentSecurity = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// secure sets the security headers of every response. The referrer policy
// is same-origin, not no-referrer: under no-referrer browsers send "Origin:
// null" with a form, and change could not tell the console's own forms from
// another site's.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurity)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		if s.https {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// cookieName is the session cookie's name: with the __Host- prefix over
// https, which browsers accept only from a secure origin, for the whole host.
func (s *Server) cookieName() string {
	if s.https {
		return "__Host-smpbot-session"
	}
	return "smpbot-session"
}

// session serves h to a request with a live session; any other gets the
// login page, and nothing else.
func (s *Server) session(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(s.cookieName())
		if err != nil {
			s.loginRequired(w, r, "")
			return
		}
		sess, err := s.logins.Session(r.Context(), c.Value)
		if errors.Is(err, knowledge.ErrNoSession) {
			s.loginRequired(w, r, "Your session has ended.")
			return
		}
		if err != nil {
			s.log.ErrorContext(r.Context(), "cannot check a session", "error", err)
			s.fail(w, r, http.StatusInternalServerError, knowledge.FailureNotice)
			return
		}
		sess.Token = c.Value
		h(w, r, sess)
	})
}

// change guards a request that changes something: it must come from the
// console's own origin, within the body limit and, in a session, carry the
// session's CSRF token and be within the session's rate limit.
func (s *Server) change(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, sess knowledge.Session) {
		if o := r.Header.Get("Origin"); o != origin(s.base) {
			s.log.WarnContext(r.Context(), "refused a change from another origin", "origin", o, "path", r.URL.Path)
			s.fail(w, r, http.StatusForbidden, "This change did not come from the web console's own page ("+origin(s.base)+"), so it was refused. Nothing was changed.")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		if err := r.ParseForm(); err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				s.fail(w, r, http.StatusRequestEntityTooLarge, "What you sent is too large. Nothing was changed.")
				return
			}
			s.fail(w, r, http.StatusBadRequest, "That form could not be read. Nothing was changed.")
			return
		}
		if sess.Moderator != "" {
			if !knowledge.SameToken(r.PostForm.Get("csrf"), sess.CSRF) {
				s.log.WarnContext(r.Context(), "refused a change without the session's CSRF token", "path", r.URL.Path)
				s.fail(w, r, http.StatusForbidden, "This form has expired or did not come from the web console. Reload the page and try again. Nothing was changed.")
				return
			}
			if !s.limit.Allow(sess.CSRF) {
				w.Header().Set("Retry-After", "2")
				s.fail(w, r, http.StatusTooManyRequests, "Too many changes at once: wait a moment and send it again. Nothing was changed.")
				return
			}
		}
		h(w, r, sess)
	}
}

// formText returns a textarea's value with the line ends browsers send
// (CRLF) made the knowledge base's (LF).
func formText(r *http.Request, name string) string {
	return strings.ReplaceAll(r.PostForm.Get(name), "\r\n", "\n")
}
