package telegram

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/smpbot/bot/adapters/telegram/telegramtest"
	"github.com/smpbot/bot/index"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// longID is an entry id of the longest allowed length, too long to fit in
// callback data as it is.
var longID = strings.Repeat("ink-and-needles-", 4)[:63] + "x"

// testBase is a small knowledge base that exercises the renderer: Markdown
// of every kind, text that needs escaping, a checklist, an entry too long
// for one message, and an id of the longest allowed length.
func testBase(t testing.TB) *knowledge.Base {
	t.Helper()
	base, err := knowledge.Load(testFS())
	if err != nil {
		t.Fatalf("test knowledge base: %v", err)
	}
	return base
}

// testFS holds the files of the test knowledge base.
func testFS() fstest.MapFS {
	entry := func(id, front, body string) (string, *fstest.MapFile) {
		return "entries/" + id + ".md", &fstest.MapFile{Data: []byte("---\nid: " + id + "\n" + front + "---\n" + body + "\n")}
	}
	var long strings.Builder
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&long, "Paragraph %d of the aftercare notes: keep the scalp clean, dry and out of the sun, and do not pick at it while it heals. **Rule %d** matters.\n\n", i, i)
	}
	fsys := fstest.MapFS{}
	for _, e := range [][3]string{
		{"pigment-depth", `title: How deep SMP pigment should go
kind: explanation
questions: [how deep does smp pigment go, what depth is smp ink placed at]
related: [blurry-dots, step-training]
sources:
  - {title: "Textbook chapter", url: "https://example.org/chapter?a=1&b=2"}
  - {title: "Guide <core>", url: "https://example.org/guide"}
`, `SMP pigment belongs in the **upper dermis**, *just* below the surface: depth < 1 mm & even.

**What the sources say**

- A textbook puts it in the [papillary dermis](https://example.org/chapter?a=1&b=2).
- Too deep, and the dots *blur* over time.

1. Ask what depth they aim for.
2. Ask why.`},
		{"blurry-dots", `title: Why SMP dots blur
kind: explanation
questions: [why are my smp dots blurry, smp dots spreading]
related: [pigment-depth]
`, "Dots blur when pigment goes too deep."},
		{"infection-signs", `title: Signs of infection after SMP
kind: explanation
questions: [signs of infection after smp, is my scalp infected, swollen oozing scalp]
`, "Redness that spreads, pus or fever need a doctor."},
		{"step-training", `title: "Step 1: Check their training"
kind: checklist
checklist: choosing-a-practitioner
step: 1
questions: [how do i check smp training]
`, "Ask which academy trained them."},
		{"step-reviews", `title: "Step 2: Check their reviews"
kind: checklist
checklist: choosing-a-practitioner
step: 2
questions: [are smp reviews reliable]
`, "Look at healed results."},
		{"step-questions", `title: "Step 3: Ask questions"
kind: checklist
checklist: choosing-a-practitioner
step: 3
questions: [what should i ask my smp artist]
`, "Ask about depth and pigment."},
		{"aftercare-everything", `title: Everything about aftercare
kind: explanation
questions: [tell me everything about aftercare]
`, long.String()},
		{"not-sea", `title: The depth of the sea
kind: out-of-scope
questions: [how deep is the ocean, how deep is the mariana trench]
`, "I only cover SMP safety: an encyclopedia knows how deep the sea is."},
		{longID, `title: Ink & needles <explained>
kind: explanation
questions: [what about ink and needles]
`, "Needles & ink: single-use, always."},
	} {
		name, file := entry(e[0], e[1], e[2])
		fsys[name] = file
	}
	return fsys
}

// newService answers from the test knowledge base. A calibration that
// nothing meets makes every answer "not covered".
func newService(t testing.TB, cal knowledge.Calibration, log *slog.Logger) *knowledge.Service {
	t.Helper()
	return serviceFor(t, testBase(t), cal, log)
}

func serviceFor(t testing.TB, base *knowledge.Base, cal knowledge.Calibration, log *slog.Logger) *knowledge.Service {
	t.Helper()
	idx, err := index.Build(base)
	if err != nil {
		t.Fatalf("index.Build: %v", err)
	}
	t.Cleanup(func() { idx.Close() })
	return knowledge.NewService(base, idx, cal, log)
}

// buildIndex is what Service.Follow builds a new index with, for an index
// it cannot update in place. Follow closes the indexes it replaces.
func buildIndex(b *knowledge.Base) (knowledge.Index, error) { return index.Build(b) }

// testKB is the moderation of the test knowledge base, kept in memory.
type testKB struct {
	*knowledge.Moderation
	mem *knowledgetest.Memory
}

// moderatedService answers from a knowledge base kept in memory, seeded
// with the test knowledge base, that records gaps and feedback and whose
// changes serve within a second, as cmd/bot wires it.
func moderatedService(t testing.TB, cal knowledge.Calibration, log *slog.Logger) (*knowledge.Service, *testKB) {
	t.Helper()
	mem := knowledgetest.NewMemory(t, testFS())
	kb := &testKB{knowledge.NewModeration(mem, mem), mem}
	base, head, err := kb.Base(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	idx, err := buildIndex(base)
	if err != nil {
		t.Fatalf("index.Build: %v", err)
	}
	svc := knowledge.NewService(base, idx, cal, log)
	svc.Observe(kb)
	svc.RecordFeedbackTo(kb)
	ctx, cancel := context.WithCancel(context.Background())
	followed := make(chan error, 1)
	go func() { followed <- svc.Follow(ctx, mem, head, buildIndex) }()
	t.Cleanup(func() {
		cancel()
		<-followed
	})
	return svc, kb
}

// logRecorder is a slog handler that keeps every record as a line of text.
type logRecorder struct {
	mu      sync.Mutex
	lines   []string
	changed chan struct{}
}

func newLogRecorder() *logRecorder { return &logRecorder{changed: make(chan struct{})} }

func (l *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *logRecorder) WithGroup(string) slog.Handler            { return l }

func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	line := r.Message
	r.Attrs(func(a slog.Attr) bool {
		line += " " + a.String()
		return true
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, line)
	close(l.changed)
	l.changed = make(chan struct{})
	return nil
}

func (l *logRecorder) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// matching returns the lines containing every one of words.
func (l *logRecorder) matching(words ...string) []string {
	var out []string
	for _, line := range l.all() {
		if containsAll(line, words...) {
			out = append(out, line)
		}
	}
	return out
}

func containsAll(s string, words ...string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// waitFor blocks until a line contains every one of words.
func (l *logRecorder) waitFor(t testing.TB, words ...string) {
	t.Helper()
	limit := time.NewTimer(telegramtest.WaitLimit)
	defer limit.Stop()
	for {
		l.mu.Lock()
		ch := l.changed
		l.mu.Unlock()
		if len(l.matching(words...)) > 0 {
			return
		}
		select {
		case <-ch:
		case <-limit.C:
			t.Fatalf("gave up waiting for a log line with %q; logs:\n%s", words, strings.Join(l.all(), "\n"))
		}
	}
}

// harness is a bot running against a fake Bot API.
type harness struct {
	f        *telegramtest.Server
	bot      *Bot
	logs     *logRecorder       // the adapter's
	feedback *logRecorder       // the service's
	cancel   context.CancelFunc // ends Run's context
	stop     func() error       // cancels Run and returns its result
	store    *testKB            // with options.moderators
	t        testing.TB
	taps     int // button taps so far, to number them
}

type options struct {
	cal    knowledge.Calibration
	config func(*Config)
	fake   *telegramtest.Server // to share one fake between runs
	// moderators, when set, turns moderation on: the bot answers from a
	// knowledge base in memory (harness.store).
	moderators []int64
	// now, when set, is the moderation clock.
	now func() time.Time
	// capacity bounds the questions the service answers.
	capacity knowledge.Capacity
}

// start runs a bot against a fake Bot API until the test ends. Sends are not
// paced, retries do not wait and the webhook server's timeouts are short,
// unless opts say otherwise.
func start(t testing.TB, opts options) *harness {
	t.Helper()
	h := &harness{f: opts.fake, logs: newLogRecorder(), feedback: newLogRecorder(), t: t}
	if h.f == nil {
		h.f = telegramtest.New(t)
	}
	cfg := Config{Token: telegramtest.Token, APIURL: h.f.URL(), PollTimeout: time.Second, ChatInterval: time.Nanosecond, GroupInterval: time.Nanosecond}
	if opts.config != nil {
		opts.config(&cfg)
	}
	var svc *knowledge.Service
	if opts.moderators != nil {
		svc, h.store = moderatedService(t, opts.cal, slog.New(h.feedback))
		cfg.Moderation, cfg.Moderators = h.store.Moderation, opts.moderators
	} else {
		svc = newService(t, opts.cal, slog.New(h.feedback))
	}
	svc.LimitTo(opts.capacity)
	bot, err := New(cfg, svc, slog.New(h.logs))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	bot.retry = knowledge.Backoff{Min: time.Millisecond, Max: 5 * time.Millisecond}
	bot.web = serverLimits{read: 50 * time.Millisecond, write: 50 * time.Millisecond, idle: 50 * time.Millisecond, conns: 16}
	if opts.now != nil {
		bot.mod.now = opts.now
	}
	h.bot = bot
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	done := make(chan error, 1)
	go func() { done <- bot.Run(ctx) }()
	var once sync.Once
	var result error
	h.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case result = <-done:
			case <-time.After(telegramtest.WaitLimit):
				t.Fatal("Run did not return after its context ended")
			}
		})
		return result
	}
	t.Cleanup(func() {
		if err := h.stop(); err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
		for _, line := range h.logs.all() {
			if strings.Contains(line, telegramtest.Token) || strings.Contains(line, "TEST-token") {
				t.Errorf("the token is in a log line: %s", line)
			}
		}
	})
	return h
}

// waitHandled waits until the bot has received every update up to id and
// handled all it queued, and returns the requests so far.
func (h *harness) waitHandled(id int) []telegramtest.Request {
	h.t.Helper()
	h.f.WaitHandled(id)
	h.waitIdle()
	return h.f.Requests()
}

// waitIdle waits until the bot has handled every update it queued.
// webhookAddr waits until the bot has set its webhook and returns the
// address its webhook server listens on, as the bot logs it. Tests listen
// on port 0 of 127.0.0.1, so that the system chooses a free port that no
// other test can take between its choice and the bot's listening.
func (h *harness) webhookAddr() string {
	h.t.Helper()
	const set = "webhook set listen="
	h.logs.waitFor(h.t, set)
	addr, _ := strings.CutPrefix(h.logs.matching(set)[0], set)
	return addr
}

func (h *harness) waitIdle() {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), telegramtest.WaitLimit)
	defer cancel()
	if err := h.bot.lanes.wait(ctx); err != nil {
		h.t.Fatalf("gave up waiting for the bot to handle what it received: %v", err)
	}
}

// People and chats of the tests.
var (
	ann     = telegramtest.User{ID: 11, Name: "Ann"}
	ben     = telegramtest.User{ID: 12, Name: "Ben"}
	annChat = telegramtest.Private(ann)
	benChat = telegramtest.Private(ben)
	group   = telegramtest.Chat{ID: -1001, Type: "supergroup", Title: "SMP talk"}
)
