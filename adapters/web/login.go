package web

import (
	"errors"
	"net/http"

	"github.com/smpbot/bot/knowledge"
)

// loginData is what the login pages show.
type loginData struct {
	// Token is the link's token, when a link was opened.
	Token string
}

// loginPage is where a login link points. Opening it changes nothing, so
// that a chat app fetching the link for a preview does not use it up: the
// moderator logs in by pressing its button.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", view{Title: "Log in", Data: loginData{Token: r.PathValue("token")}})
}

// loginRequired shows the login page, saying why, instead of what was asked
// for.
func (s *Server) loginRequired(w http.ResponseWriter, r *http.Request, why string) {
	s.render(w, r, http.StatusUnauthorized, "login", view{Title: "Log in", Error: why, Data: loginData{}})
}

// login redeems a login link for a session cookie.
func (s *Server) login(w http.ResponseWriter, r *http.Request, _ knowledge.Session) {
	sess, err := s.logins.Redeem(r.Context(), r.PostForm.Get("token"))
	switch {
	case errors.Is(err, knowledge.ErrLinkExpired):
		s.loginRequired(w, r, "That login link has expired: links last "+knowledge.LinkLifetime.String()+". Ask for a new one.")
		return
	case errors.Is(err, knowledge.ErrLinkUnknown):
		s.log.WarnContext(r.Context(), "refused a login link that was used already or is not ours")
		s.loginRequired(w, r, "That login link was used already, or is not one of ours. Ask for a new one.")
		return
	case err != nil:
		s.internal(w, r, err)
		return
	}
	s.log.InfoContext(r.Context(), "moderator logged in to the web console", "moderator", sess.Moderator)
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(), Value: sess.Token, Path: "/", Expires: sess.Expires,
		HttpOnly: true, Secure: s.https, SameSite: http.SameSiteStrictMode,
	})
	redirect(w, r, "/")
}

// logout ends the session and forgets its cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request, sess knowledge.Session) {
	if err := s.logins.Logout(r.Context(), sess.Token); err != nil {
		s.internal(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.https, SameSite: http.SameSiteStrictMode,
	})
	s.render(w, r, http.StatusOK, "login", view{Title: "Logged out", Flash: "You are logged out.", Data: loginData{}})
}
