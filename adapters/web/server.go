package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/smpbot/bot/knowledge"
)

// Limits of the server, so that slow, idle or greedy clients cannot use up
// the process.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 30 * time.Second // a try-it answer builds an index
	idleTimeout       = time.Minute
	maxHeaderBytes    = 16 << 10
	// maxBodyBytes bounds a form: an entry is at most 32 KiB, synonyms
	// 64 KiB, and form encoding may triple them.
	maxBodyBytes = 256 << 10
	// shutdownTimeout is how long requests in flight get to finish.
	shutdownTimeout = 5 * time.Second
)

// Per-session limit on changes: a burst, then one every changeEvery.
const (
	changeEvery = 2 * time.Second
	changeBurst = 20
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// IndexBuilder builds a search index of a knowledge base, for answering
// from an edit before it is saved.
type IndexBuilder func(*knowledge.Base) (knowledge.Index, error)

// Server is the web console. It is safe for concurrent use.
type Server struct {
	cfg    Config
	base   *url.URL
	https  bool // the public URL is https
	svc    *knowledge.Service
	mod    *knowledge.Moderation
	logins *knowledge.Logins
	build  IndexBuilder
	log    *slog.Logger
	pages  map[string]*template.Template
	limit  *knowledge.Limiter
	// answered counts the questions the service answered, for the
	// overview.
	answered *activity
	// trying holds a token while a try-it question builds its index.
	trying chan struct{}
	// searches remembers what costs a search per question.
	searches *searches
}

// New returns the console described by cfg, answering from svc, changing the
// knowledge base through mod and letting in whoever redeems a link of
// logins. build makes the index a try-it question is answered from. A nil
// logger discards the logs.
func New(cfg Config, svc *knowledge.Service, mod *knowledge.Moderation, logins *knowledge.Logins, build IndexBuilder, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := checkURL(cfg.URL); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if svc == nil || mod == nil || logins == nil || build == nil {
		return nil, errors.New("web: the console needs a service, a moderation, logins and an index builder")
	}
	log = log.With("platform", "web")
	u, _ := url.Parse(cfg.URL)
	pages, err := parsePages()
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	return &Server{
		cfg: cfg, base: u, https: u.Scheme == "https",
		svc: svc, mod: mod, logins: logins, build: build, log: log,
		pages:    pages,
		limit:    knowledge.NewLimiter(changeEvery, changeBurst),
		answered: newActivity(time.Now),
		searches: newSearches(svc, mod, log),
		trying:   make(chan struct{}, 1),
	}, nil
}

// Observe counts the questions the service answers, for the overview. It
// implements knowledge.Observer; register it before the service is shared.
func (s *Server) Observe(_ context.Context, a *knowledge.Answer, _ time.Duration) {
	if a.Answered {
		s.answered.add()
	}
}

// Run serves the console on cfg.Addr until ctx ends, then gives requests in
// flight a moment to finish. Meanwhile it finishes the searches pages had no
// time for.
func (s *Server) Run(ctx context.Context) error {
	ln, err := new(net.ListenConfig).Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("web: %w", err)
	}
	return s.serve(ctx, ln)
}

// serve serves the console on ln until ctx ends.
func (s *Server) serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	s.log.InfoContext(ctx, "serving the web console", "addr", ln.Addr().String(), "url", s.cfg.URL)
	searched := make(chan struct{})
	go func() {
		defer close(searched)
		s.searches.run(ctx)
	}()
	defer func() { <-searched }()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("web: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		s.log.WarnContext(ctx, "web console did not stop cleanly", "error", err)
	}
	return nil
}

// Handler returns the console's HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /login/{token}", s.loginPage)
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		s.change(s.login)(w, r, knowledge.Session{}) // the link is the proof
	})
	mux.Handle("POST /logout", s.session(s.change(s.logout)))

	page := func(pattern string, h handler) { mux.Handle(pattern, s.session(h)) }
	act := func(pattern string, h handler) { mux.Handle(pattern, s.session(s.change(h))) }
	page("GET /{$}", s.overview)
	page("GET /entries", s.entries)
	page("GET /entries/{id}", s.editEntry)
	act("POST /entries/{id}", s.saveEntry)
	page("GET /new", s.newEntry)
	act("POST /new", s.saveEntry)
	page("GET /history", s.history)
	page("GET /history/{id}", s.history)
	page("GET /diff/{id}", s.diff)
	page("GET /restore/{id}", s.confirmRestore)
	act("POST /restore/{id}", s.restore)
	page("GET /gaps", s.gaps)
	page("GET /feedback", s.feedback)
	act("POST /act", s.act)
	page("GET /ask", s.ask)
	page("GET /synonyms", s.synonyms)
	act("POST /synonyms", s.saveSynonyms)
	return s.secure(mux)
}
