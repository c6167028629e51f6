package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/smpbot/bot/adapters/telegram/telegramtest"
)

// flowTimeout bounds each browser flow, so that a broken page fails the test
// instead of hanging it.
const flowTimeout = 90 * time.Second

// chromium starts a headless Chromium for the test, or skips the test
// without one unless CI=true, where a missing browser is a failure.
func chromium(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no Chromium: install it (apt-get install -y chromium); browser tests must run in CI")
		}
		t.Skip("no Chromium on this machine (apt-get install -y chromium): skipping the browser tests")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Headless,
		chromedp.WindowSize(1280, 900), chromedp.Flag("disable-dev-shm-usage", true))
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	root, cancelRoot := chromedp.NewContext(alloc)
	t.Cleanup(cancelRoot)
	if err := chromedp.Do(root, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return root
}

// window is a browser window with cookies of its own.
type window struct {
	t   *testing.T
	ctx context.Context
	// shots is where screenshots go.
	shots string
}

func newWindow(t *testing.T, root context.Context, shots string) *window {
	t.Helper()
	ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	return &window{t: t, ctx: ctx, shots: shots}
}

// do runs steps within flowTimeout.
func (w *window) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.ctx, flowTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		w.t.Fatalf("%s: %v\nthe page shows:\n%s", what, err, w.text("body"))
	}
}

// openUntil opens url until the page has an element sel matches: a list
// shows what its background searches find on the next view.
func (w *window) openUntil(url, sel string) {
	w.t.Helper()
	for try := 1; ; try++ {
		w.do("open "+url, chromedp.Navigate(url))
		ctx, cancel := context.WithTimeout(w.ctx, flowTimeout)
		found, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf("document.querySelector(%q) !== null", sel)))
		cancel()
		if err != nil {
			w.t.Fatalf("look for %s: %v", sel, err)
		}
		if found {
			return
		}
		if try == 50 {
			w.t.Fatalf("%s never showed %s; it shows:\n%s", url, sel, w.text("body"))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// text returns the visible text of the first element sel matches.
func (w *window) text(sel string) string {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.ctx, flowTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		return fmt.Sprintf("(no %s: %v)", sel, err)
	}
	return s
}

// value returns the value of the form field sel matches.
func (w *window) value(sel string) string {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.ctx, flowTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		w.t.Fatalf("value of %s: %v", sel, err)
	}
	return s
}

// screenshotDir is where a test's screenshots go: $SMPBOT_SCREENSHOTS,
// else the test's temporary directory.
func screenshotDir(t *testing.T) string {
	if dir := os.Getenv("SMPBOT_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// screenshot saves the whole page as name.png in the window's screenshot
// directory.
func (w *window) screenshot(name string) {
	w.t.Helper()
	dir := w.shots
	ctx, cancel := context.WithTimeout(w.ctx, flowTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		w.t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		w.t.Fatal(err)
	}
	w.t.Logf("screenshot: %s", p)
}

// wants fails the test unless the page's text has every one of want.
func (w *window) wants(what string, want ...string) {
	w.t.Helper()
	body := w.text("body")
	for _, s := range want {
		if !strings.Contains(body, s) {
			w.t.Errorf("%s: the page lacks %q; it shows:\n%s", what, s, body)
		}
	}
}

// webBot is the bot run with Telegram (its fake) and the web console on one
// data directory, mo moderating.
type webBot struct {
	base string
	tg   *telegramtest.Server
}

var (
	mo     = telegramtest.User{ID: 4242, Name: "Mo", Username: "mo"}
	member = telegramtest.User{ID: 777, Name: "Sam"}
)

func startWebBot(t *testing.T) *webBot {
	t.Helper()
	tg := telegramtest.New(t)
	addr := freeAddr(t)
	getenv := envOf(map[string]string{
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_URL": tg.URL(), "TELEGRAM_MODERATORS": fmt.Sprint(mo.ID),
		"BOT_WEB_ADDR": addr, envDataDir: t.TempDir(), envHTTPAddr: "off", envLogFormat: "json", envLogLevel: "info",
	})
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := newLines(t), newLines(t)
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, getenv, strings.NewReader(""), stdout.w, stderr.w) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run after cancel = %v, want nil", err)
		}
		stdout.close()
		stderr.close()
		if t.Failed() {
			t.Logf("the bot logged:\n%s", stderr.String())
		}
	})
	stderr.waitFor(t, `"msg":"serving the web console"`)
	return &webBot{base: "http://" + addr, tg: tg}
}

// say sends text in from's private chat and returns the text of the bot's
// reply.
func (b *webBot) say(from telegramtest.User, text string) string {
	n := b.tg.SentCount()
	b.tg.Ask(from, telegramtest.Private(from), text)
	sent := b.tg.WaitSent(n + 1)
	return sent[len(sent)-1].Text
}

// link asks for a login link with /kb web in mo's private chat.
func (b *webBot) link(t *testing.T) string {
	t.Helper()
	reply := b.say(mo, "/kb web")
	i := strings.Index(reply, b.base+"/login/")
	if i < 0 {
		t.Fatalf("/kb web = %q, want a link to %s", reply, b.base)
	}
	return strings.Fields(reply[i:])[0]
}

// login opens a link from /kb web in w and presses its button.
func (b *webBot) login(t *testing.T, w *window) {
	t.Helper()
	w.do("log in",
		chromedp.Navigate(b.link(t)),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".cards")),
	)
}

// TestWebConsoleInABrowser drives the console in headless Chromium through
// the flows moderators rely on, each ending with a screenshot.
func TestWebConsoleInABrowser(t *testing.T) {
	root := chromium(t)
	bot := startWebBot(t)
	shots := screenshotDir(t)
	w := newWindow(t, root, shots)
	const title = "Flying after an SMP session"

	if !t.Run("log in from a link issued on Telegram", func(t *testing.T) {
		w.t = t
		bot.login(t, w)
		w.wants("overview", "telegram:4242 @mo", "entries", "open gaps")
		w.screenshot("overview")
	}) {
		return
	}

	if !t.Run("add an entry with a mistake, fix it, save", func(t *testing.T) {
		w.t = t
		text := "---\nid: flying-after-smp\ntitle: " + title + "\nkind: explenation\nquestions:\n  - can i fly the day after my smp session\n---\nAsk your practitioner about **travel plans** before you book your session.\n\n- Keep the fresh scalp out of the sun on the way.\n- Cabin air is dry: *do not scratch*.\n"
		w.do("save an entry with a mistake",
			chromedp.Navigate(bot.base+"/new"),
			chromedp.SetValue(chromedp.ID("text"), text),
			chromedp.Click(chromedp.CSS(`button[value="save"]`)),
			chromedp.WaitVisible(chromedp.CSS(".problems")),
		)
		if got := w.text("#line-4"); !strings.Contains(got, "kind: explenation") || !strings.Contains(got, "explanation") {
			t.Errorf("line 4 shows %q, want the line and its problem", got)
		}
		if got := w.value("#text"); got != text {
			t.Errorf("the editor holds %q, want the text typed", got)
		}
		w.screenshot("editor-problem")
		w.do("fix it and save",
			chromedp.SetValue(chromedp.ID("text"), strings.Replace(text, "explenation", "explanation", 1)),
			chromedp.Click(chromedp.CSS(`button[value="save"]`)),
			chromedp.WaitVisible(chromedp.CSS(".flash")),
		)
		w.wants("after saving", "Saved as revision", "Edit flying-after-smp")
		w.screenshot("editor-saved")
	}) {
		return
	}

	if !t.Run("ask the new question on the Ask page and on Telegram", func(t *testing.T) {
		w.t = t
		// The bot answers from the change once its watcher has read it,
		// within a second: ask again until then.
		for try := 1; ; try++ {
			w.do("ask", chromedp.Navigate(bot.base+"/ask?q=can+i+fly+the+day+after+my+smp"), chromedp.WaitVisible(chromedp.CSS(".answer")))
			if strings.Contains(w.text(".answer"), title) || try == 50 {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		w.wants("the Ask page", title, "Why", "Best entries", "flying-after-smp")
		w.screenshot("ask")
		for try := 1; ; try++ {
			if got := bot.say(member, "can i fly the day after my smp"); strings.Contains(got, title) {
				break
			} else if try == 20 {
				t.Fatalf("Telegram answers %q, want the new entry", got)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}) {
		return
	}

	var candidate string
	if !t.Run("turn a gap into a phrasing in one click", func(t *testing.T) {
		w.t = t
		const q = "can i get a flu jab after smp"
		if got := bot.say(member, q); !strings.Contains(got, "don't have anything") {
			t.Fatalf("Telegram answered %q to %q, want it not covered", got, q)
		}
		w.openUntil(bot.base+"/gaps", `form input[name="do"][value="add"]`)
		w.wants("the gaps inbox", q, "1×")
		w.screenshot("gaps")
		candidate = w.value(`form input[name="do"][value="add"] ~ input[name="id"]`)
		w.do("add it to the first candidate",
			chromedp.Click(chromedp.CSS(`form:has(input[value="add"]) button`)),
			chromedp.WaitVisible(chromedp.CSS(".flash")),
		)
		w.wants("after adding", "Added “"+q+"” to "+candidate, "No open gaps.")
		w.do("open the entry", chromedp.Navigate(bot.base+"/entries/"+candidate), chromedp.WaitVisible(chromedp.ID("text")))
		if got := w.value("#text"); !strings.Contains(got, q) {
			t.Errorf("%s after the click:\n%s\nwant the question among its phrasings", candidate, got)
		}
	}) {
		return
	}

	if !t.Run("undo a change from the history page", func(t *testing.T) {
		w.t = t
		w.do("undo",
			chromedp.Navigate(bot.base+"/history/"+candidate),
			chromedp.Click(chromedp.CSS(`a[href="/restore/`+candidate+`"]`)),
			chromedp.WaitVisible(chromedp.CSS(`button.danger`)),
		)
		w.wants("the confirmation", "Undo the newest change", "can i get a flu jab after smp")
		w.screenshot("undo-confirm")
		w.do("confirm", chromedp.Click(chromedp.CSS(`button.danger`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
		w.wants("the history after undoing", "undo of revision", "telegram:4242 @mo")
		w.screenshot("history")
		w.do("open the entry", chromedp.Navigate(bot.base+"/entries/"+candidate), chromedp.WaitVisible(chromedp.ID("text")))
		if got := w.value("#text"); strings.Contains(got, "flu jab") {
			t.Errorf("%s after undo still has the phrasing:\n%s", candidate, got)
		}
	}) {
		return
	}

	t.Run("two browsers edit one entry", func(t *testing.T) {
		w.t = t
		other := newWindow(t, root, shots)
		bot.login(t, other)
		for _, x := range []*window{w, other} {
			x.do("open the editor", chromedp.Navigate(bot.base+"/entries/flying-after-smp"), chromedp.WaitVisible(chromedp.ID("text")))
		}
		text := w.value("#text")
		first := strings.Replace(text, "Ask your practitioner", "First: ask your practitioner", 1)
		second := strings.Replace(text, "before you book your session.", "before you book your session, and pack a hat.", 1)
		w.do("the first saves",
			chromedp.SetValue(chromedp.ID("text"), first),
			chromedp.Click(chromedp.CSS(`button[value="save"]`)),
			chromedp.WaitVisible(chromedp.CSS(".flash")),
		)
		other.do("the second saves",
			chromedp.SetValue(chromedp.ID("text"), second),
			chromedp.Click(chromedp.CSS(`button[value="save"]`)),
			chromedp.WaitVisible(chromedp.CSS(".conflict")),
		)
		other.wants("the conflict", "Changed meanwhile", "First: ask your practitioner", "Merge their change")
		if got := other.value("#text"); got != second {
			t.Errorf("after the conflict the editor holds\n%s\nwant the second browser's text\n%s", got, second)
		}
		other.screenshot("conflict")
	})
}
