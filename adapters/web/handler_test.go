package web_test

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/web"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// pages are every page a session can read.
var pages = []string{
	"/", "/entries", "/entries?q=ink&kind=explanation", "/entries/aftercare", "/new", "/new?gap=can+i+swim",
	"/history", "/history/aftercare", "/diff/aftercare", "/restore/aftercare", "/gaps", "/feedback",
	"/ask", "/ask?q=how+deep+should+the+pigment+go", "/synonyms",
}

// aftercareTitle is on every page that shows the knowledge base's data.
const loginHint = "ask the bot for a login link"

func TestEveryPageNeedsASession(t *testing.T) {
	c := newConsole(t)
	expired := c.login("ana")
	c.creds.Age(knowledge.SessionLifetime)
	for _, who := range []struct {
		name string
		b    *browser
	}{{"no session", c.anonymous()}, {"expired session", expired}} {
		for _, p := range pages {
			res := who.b.get(p)
			if res.status != http.StatusUnauthorized || !strings.Contains(res.body, loginHint) {
				t.Errorf("%s: GET %s = %d, want 401 and the login page", who.name, p, res.status)
			}
			for _, data := range []string{"aftercare", "Revision", "csrf"} {
				if strings.Contains(res.body, data) {
					t.Errorf("%s: GET %s shows %q, want no data without a session", who.name, p, data)
				}
			}
		}
	}
}

func TestEveryPageRendersInASession(t *testing.T) {
	c := newConsole(t)
	ctx := t.Context()
	c.mod.Observe(ctx, &knowledge.Answer{Question: "can my dog come along"}, 0)
	if err := c.mod.RecordFeedback(ctx, "", "aftercare", "can i swim after a week", false); err != nil {
		t.Fatal(err)
	}
	b := c.login("ana")
	for _, p := range pages {
		res := b.get(p)
		if res.status != http.StatusOK || !strings.Contains(res.body, "ana") || !strings.Contains(res.body, `name="csrf"`) {
			t.Errorf("GET %s = %d, want 200 with ana's session and a CSRF token\n%s", p, res.status, res.body)
		}
	}
	for _, p := range []string{"/entries/nowhere", "/history/nowhere", "/diff/nowhere", "/restore/nowhere", "/entries/..%2Fetc"} {
		if res := b.get(p); res.status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, res.status)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	c := newConsole(t)
	b := c.login("ana")
	for _, res := range []response{c.anonymous().get("/"), b.get("/"), b.get("/entries/aftercare"), b.get("/static/style.css")} {
		for name, want := range map[string]string{
			"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "same-origin",
		} {
			if got := res.header.Get(name); got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
	}
}

func TestLoginLink(t *testing.T) {
	c := newConsole(t)
	b := c.anonymous()
	token := c.link("telegram:42 @ana")

	// Opening the link, as a chat app's preview does, uses nothing up.
	if res := b.get("/login/" + token); res.status != http.StatusOK || !strings.Contains(res.body, `value="`+token+`"`) {
		t.Fatalf("GET /login/TOKEN = %d, want the page with its Log in button\n%s", res.status, res.body)
	}
	res := b.post("/login", url.Values{"token": {token}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("POST /login = %d, want 303", res.status)
	}
	cookie := res.header.Get("Set-Cookie")
	for _, attr := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(cookie, attr) {
			t.Errorf("session cookie %q lacks %s", cookie, attr)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("session cookie %q is Secure over http, which the browser would not send back", cookie)
	}
	if res := b.get("/"); res.status != http.StatusOK || !strings.Contains(res.body, "telegram:42 @ana") {
		t.Errorf("GET / after logging in = %d, want the overview naming the moderator", res.status)
	}

	tests := []struct {
		name, token, want string
		age               bool
	}{
		{"reused link", token, "used already", false},
		{"made-up link", "AAAAAAAAAAAAAAAA.guess", "used already", false},
		{"expired link", c.link("ana"), "expired", true},
	}
	for _, tt := range tests {
		if tt.age {
			c.creds.Age(knowledge.LinkLifetime)
		}
		other := c.anonymous()
		res := other.post("/login", url.Values{"token": {tt.token}})
		if res.status != http.StatusUnauthorized || !strings.Contains(res.body, tt.want) || res.header.Get("Set-Cookie") != "" {
			t.Errorf("%s: POST /login = %d, want 401 saying %q and no cookie\n%s", tt.name, res.status, tt.want, res.body)
		}
	}
}

func TestLogout(t *testing.T) {
	c := newConsole(t)
	b := c.login("ana")
	if res := b.post("/logout", url.Values{}); res.status != http.StatusOK || !strings.Contains(res.body, "logged out") {
		t.Errorf("POST /logout = %d, want the logged-out page", res.status)
	}
	if res := b.get("/"); res.status != http.StatusUnauthorized {
		t.Errorf("GET / after logging out = %d, want 401", res.status)
	}
	other := c.login("bo")
	if err := c.logins.LogoutAll(t.Context()); err != nil {
		t.Fatal(err)
	}
	if res := other.get("/"); res.status != http.StatusUnauthorized {
		t.Errorf("GET / after LogoutAll = %d, want 401", res.status)
	}
}

// edited is aftercare's text with its first line of body replaced.
func edited(t *testing.T, c *console, body string) (string, int64) {
	t.Helper()
	text, rev := c.text("aftercare")
	_, after, ok := strings.Cut(text, "\n---\n")
	if !ok {
		t.Fatalf("aftercare has no front matter end:\n%s", text)
	}
	return strings.Replace(text, after, body+"\n", 1), rev
}

func TestChangesAreRefused(t *testing.T) {
	c := newConsole(t)
	b := c.login("ana")
	text, rev := edited(t, c, "Keep it dry.")
	save := func() url.Values {
		return url.Values{"text": {text}, "base": {strconv.FormatInt(rev, 10)}, "do": {"save"}}
	}
	before := c.head()
	tests := []struct {
		name   string
		origin string
		form   url.Values
		want   int
	}{
		{"missing CSRF token", c.url, func() url.Values { f := save(); f.Set("csrf", ""); return f }(), http.StatusForbidden},
		{"wrong CSRF token", c.url, func() url.Values { f := save(); f.Set("csrf", "x"+b.csrf); return f }(), http.StatusForbidden},
		{"wrong Origin", "https://evil.example", save(), http.StatusForbidden},
		{"no Origin", "", save(), http.StatusForbidden},
		{"oversized body", c.url, func() url.Values { f := save(); f.Set("text", strings.Repeat("x", 300<<10)); return f }(), http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		res := b.postFrom(tt.origin, "/entries/aftercare", tt.form)
		if res.status != tt.want || !strings.Contains(res.body, "Nothing was changed") {
			t.Errorf("%s: POST /entries/aftercare = %d, want %d saying nothing was changed", tt.name, res.status, tt.want)
		}
		if got := c.head(); got != before {
			t.Errorf("%s: head = %d, want %d: something was saved", tt.name, got, before)
		}
	}
	// Other routes are guarded the same way.
	for _, p := range []string{"/new", "/restore/aftercare", "/act", "/synonyms", "/logout"} {
		if res := b.postFrom("https://evil.example", p, url.Values{}); res.status != http.StatusForbidden {
			t.Errorf("POST %s from another origin = %d, want 403", p, res.status)
		}
		if res := b.post(p, url.Values{"csrf": {""}}); res.status != http.StatusForbidden {
			t.Errorf("POST %s without CSRF token = %d, want 403", p, res.status)
		}
	}
	if res := c.anonymous().post("/entries/aftercare", save()); res.status != http.StatusUnauthorized {
		t.Errorf("POST without a session = %d, want 401", res.status)
	}
}

func TestChangesAreRateLimited(t *testing.T) {
	c := newConsole(t)
	b := c.login("ana")
	limited := false
	for i := range 40 {
		res := b.post("/entries/aftercare", url.Values{"do": {"check"}, "text": {"x"}})
		if res.status == http.StatusTooManyRequests {
			limited = true
			if res.header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
			break
		}
		if res.status != http.StatusOK {
			t.Fatalf("change %d: status %d", i, res.status)
		}
	}
	if !limited {
		t.Error("40 changes at once were all accepted, want the session rate-limited")
	}
	// Another session has its own budget.
	if res := c.login("bo").post("/entries/aftercare", url.Values{"do": {"check"}, "text": {"x"}}); res.status != http.StatusOK {
		t.Errorf("another session's change = %d, want 200", res.status)
	}
}

func TestSaveEntry(t *testing.T) {
	c := newConsole(t)
	b := c.login("telegram:42 @ana")
	text, rev := edited(t, c, "Keep your scalp *dry* for four days.")
	// Browsers send a textarea's lines ended with CRLF.
	res := b.post("/entries/aftercare", url.Values{"text": {strings.ReplaceAll(text, "\n", "\r\n")}, "base": {strconv.FormatInt(rev, 10)}, "do": {"save"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("save: status %d, want 303\n%s", res.status, res.body)
	}
	got, newRev := c.text("aftercare")
	if got != text || newRev <= rev {
		t.Errorf("after saving, aftercare is revision %d:\n%s\nwant the saved text after revision %d", newRev, got, rev)
	}
	hist, _ := c.mod.History(t.Context(), "aftercare")
	if author := hist[len(hist)-1].Author; author != "telegram:42 @ana" {
		t.Errorf("the saved revision's author = %q, want the session's moderator", author)
	}
	page := b.get("/entries/aftercare?saved=" + strconv.FormatInt(newRev, 10))
	if !strings.Contains(page.body, "Saved as revision "+strconv.FormatInt(newRev, 10)) || !strings.Contains(page.body, "*dry*") {
		t.Errorf("the editor after saving does not say so or show the text\n%s", page.body)
	}
	// The previews render the one parse of the Markdown for each front end.
	for _, want := range []string{
		`<div class="telegram"><b>SMP aftercare: what to avoid while you heal</b>` + "\n\nKeep your scalp <i>dry</i> for four days.</div>",
		`<div class="discord"><b>SMP aftercare: what to avoid while you heal</b>Keep your scalp *dry* for four days.</div>`,
		`<p>Keep your scalp <em>dry</em> for four days.</p>`,
	} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the previews lack %q\n%s", want, page.body)
		}
	}
}

func TestProblemsShowOnTheirLine(t *testing.T) {
	c := newConsole(t)
	b := c.login("ana")
	before := c.head()
	text := "---\nid: swimming\ntitle: Swimming after SMP\nkind: explenation\nquestions:\n  - can i swim after smp\n---\nWait two weeks. <script>alert(1)</script>\n"
	res := b.post("/new", url.Values{"text": {text}, "base": {"0"}, "do": {"save"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("saving an entry with a mistake: status %d, want 422", res.status)
	}
	if !strings.Contains(res.body, `<li class="bad" id="line-4"><span class="n">4</span><span>kind: explenation</span><span class="problem">`) {
		t.Errorf("line 4's problem is not shown on line 4\n%s", res.body)
	}
	if strings.Contains(res.body, "<script>") || !strings.Contains(res.body, html.EscapeString("<script>")) {
		t.Error("the entry's text is not escaped on the page")
	}
	if !strings.Contains(res.body, html.EscapeString(text)) {
		t.Error("the typed text is not kept in the editor")
	}
	if got := c.head(); got != before {
		t.Errorf("head = %d, want %d: an entry with a problem was saved", got, before)
	}
	fixed := strings.Replace(text, "explenation", "explanation", 1)
	if res := b.post("/new", url.Values{"text": {fixed}, "base": {"0"}, "do": {"save"}}); res.status != http.StatusSeeOther {
		t.Fatalf("saving the fixed entry: status %d, want 303\n%s", res.status, res.body)
	}
	if _, rev := c.text("swimming"); rev != before+1 {
		t.Errorf("swimming is revision %d, want %d", rev, before+1)
	}
}

func TestConflictingSaveKeepsTheText(t *testing.T) {
	c := newConsole(t)
	ana, bo := c.login("ana"), c.login("bo")
	anaText, rev := edited(t, c, "Ana's version.")
	boText, _ := edited(t, c, "Bo's version, typed at length.")
	base := strconv.FormatInt(rev, 10)
	if res := ana.post("/entries/aftercare", url.Values{"text": {anaText}, "base": {base}, "do": {"save"}}); res.status != http.StatusSeeOther {
		t.Fatalf("ana's save: %d", res.status)
	}
	_, anaRev := c.text("aftercare")
	res := bo.post("/entries/aftercare", url.Values{"text": {boText}, "base": {base}, "do": {"save"}})
	if res.status != http.StatusConflict {
		t.Fatalf("bo's save from the same revision: status %d, want 409", res.status)
	}
	for _, want := range []string{"Changed meanwhile", "by ana", diffLine("ins", "Ana&#39;s version."), html.EscapeString("Bo's version, typed at length."), `name="base" value="` + strconv.FormatInt(anaRev, 10) + `"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the conflict page lacks %q\n%s", want, res.body)
		}
	}
	if got, _ := c.text("aftercare"); got != anaText {
		t.Errorf("after the refused save, aftercare is\n%s\nwant ana's", got)
	}
	// Merged by hand, it saves on the newest revision.
	if res := bo.post("/entries/aftercare", url.Values{"text": {boText}, "base": {strconv.FormatInt(anaRev, 10)}, "do": {"save"}}); res.status != http.StatusSeeOther {
		t.Errorf("bo's save after merging: status %d, want 303", res.status)
	}
}

func TestTryItAsksTheEditBeforeSaving(t *testing.T) {
	c := newConsole(t)
	b := c.login("ana")
	before := c.head()
	text := "---\nid: swimming\ntitle: Swimming after SMP\nkind: explanation\nquestions:\n  - can i go swimming after smp\n---\nWait until the scabs are gone, about two weeks.\n"
	res := b.post("/new", url.Values{"text": {text}, "base": {"0"}, "do": {"try"}, "q": {"when can I go swimming after SMP?"}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "The edited version answers") || !strings.Contains(res.body, "<h3>Swimming after SMP</h3>") {
		t.Errorf("try it: status %d, want the new entry's answer\n%s", res.status, res.body)
	}
	if got := c.head(); got != before {
		t.Errorf("head = %d, want %d: trying saved something", got, before)
	}
}

func TestGapInOneClick(t *testing.T) {
	c := newConsole(t)
	ctx := t.Context()
	b := c.login("ana")
	for _, q := range []string{"can I swim with fresh smp", "Can I swim with fresh SMP?", "does my cat like it"} {
		c.mod.Observe(ctx, &knowledge.Answer{Question: q}, 0)
	}
	page := b.get("/gaps")
	if !strings.Contains(page.body, "Can I swim with fresh SMP?") || !strings.Contains(page.body, "2×") {
		t.Fatalf("the gaps inbox does not group and count the swimming question\n%s", page.body)
	}
	cands, err := c.mod.Candidates(ctx, c.svc, "can I swim with fresh smp")
	if err != nil || len(cands) == 0 {
		t.Fatalf("Candidates = %v, %v", cands, err)
	}
	res := b.post("/act", url.Values{"do": {"add"}, "id": {cands[0].ID}, "question": {"Can I swim with fresh SMP?"}, "back": {"/gaps"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("add as a phrasing: status %d\n%s", res.status, res.body)
	}
	if text, _ := c.text(cands[0].ID); !strings.Contains(text, "Can I swim with fresh SMP?") {
		t.Errorf("%s does not have the question as a phrasing:\n%s", cands[0].ID, text)
	}
	if res := b.post("/act", url.Values{"do": {"dismiss"}, "question": {"does my cat like it"}, "back": {"/gaps"}}); res.status != http.StatusSeeOther {
		t.Fatalf("dismiss: status %d", res.status)
	}
	if gaps, _ := c.mod.Gaps(ctx); len(gaps) != 0 {
		t.Errorf("open gaps after both actions = %v, want none", gaps)
	}
	if res := b.post("/act", url.Values{"do": {"dismiss"}, "question": {"never asked"}}); res.status != http.StatusNotFound {
		t.Errorf("dismissing a gap that is not there = %d, want 404", res.status)
	}
}

func TestOutOfScopeInOneClick(t *testing.T) {
	c := newConsole(t)
	ctx := t.Context()
	b := c.login("ana")
	c.mod.Observe(ctx, &knowledge.Answer{Question: "which wig glue is best"}, 0)
	res := b.post("/act", url.Values{"do": {"scope"}, "id": {"not-wigs-hair-systems"}, "question": {"which wig glue is best"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("out of scope: status %d\n%s", res.status, res.body)
	}
	if text, _ := c.text("not-wigs-hair-systems"); !strings.Contains(text, "which wig glue is best") {
		t.Errorf("the out-of-scope entry lacks the question:\n%s", text)
	}
}

func TestNewEntryFromAGapClosesIt(t *testing.T) {
	c := newConsole(t)
	ctx := t.Context()
	b := c.login("ana")
	c.mod.Observe(ctx, &knowledge.Answer{Question: "can i dye my hair after smp"}, 0)
	page := b.get("/new?gap=" + url.QueryEscape("can i dye my hair after smp"))
	if !strings.Contains(page.body, "id: can-i-dye-my-hair-after-smp") {
		t.Fatalf("the new entry does not start from the gap\n%s", page.body)
	}
	text := "---\nid: dye-after-smp\ntitle: Dyeing hair after SMP\nkind: explanation\nquestions:\n  - can i dye my hair after smp\n---\nWait four weeks.\n"
	if res := b.post("/new", url.Values{"text": {text}, "base": {"0"}, "gap": {"can i dye my hair after smp"}, "do": {"save"}}); res.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.status, res.body)
	}
	if gaps, _ := c.mod.Gaps(ctx); len(gaps) != 0 {
		t.Errorf("open gaps = %v, want the one the entry answers closed", gaps)
	}
}

func TestUndoFromHistory(t *testing.T) {
	c := newConsole(t)
	b := c.login("ana")
	orig, _ := c.text("aftercare")
	text, rev := edited(t, c, "A change to undo.")
	if res := b.post("/entries/aftercare", url.Values{"text": {text}, "base": {strconv.FormatInt(rev, 10)}, "do": {"save"}}); res.status != http.StatusSeeOther {
		t.Fatal(res.status)
	}
	_, cur := c.text("aftercare")
	confirm := b.get("/restore/aftercare")
	if !strings.Contains(confirm.body, "Undo the newest change") || !strings.Contains(confirm.body, diffLine("del", "A change to undo.")) {
		t.Fatalf("the undo confirmation does not show what it changes\n%s", confirm.body)
	}
	if got, _ := c.text("aftercare"); got != text {
		t.Fatal("opening the confirmation undid something")
	}
	res := b.post("/restore/aftercare", url.Values{"base": {strconv.FormatInt(cur, 10)}, "rev": {"0"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("undo: %d\n%s", res.status, res.body)
	}
	if got, _ := c.text("aftercare"); got != orig {
		t.Errorf("after undo, aftercare is\n%s\nwant it as it was", got)
	}
	hist := b.get("/history/aftercare")
	if !strings.Contains(hist.body, "undo of revision "+strconv.FormatInt(cur, 10)) {
		t.Errorf("the history does not show the undo\n%s", hist.body)
	}
	// A stale confirmation is refused as a conflict.
	if res := b.post("/restore/aftercare", url.Values{"base": {strconv.FormatInt(cur, 10)}, "rev": {"0"}}); res.status != http.StatusConflict {
		t.Errorf("undo from a stale page = %d, want 409", res.status)
	}
}

func TestDiffBetweenRevisions(t *testing.T) {
	c := newConsole(t)
	b := c.login("ana")
	text, rev := edited(t, c, "New body.")
	b.post("/entries/aftercare", url.Values{"text": {text}, "base": {strconv.FormatInt(rev, 10)}, "do": {"save"}})
	_, cur := c.text("aftercare")
	res := b.get("/diff/aftercare?from=" + strconv.FormatInt(rev, 10) + "&to=" + strconv.FormatInt(cur, 10))
	if !strings.Contains(res.body, diffLine("ins", "New body.")) || !strings.Contains(res.body, `<li class="same">`) {
		t.Errorf("the diff does not show the new line beside the kept ones\n%s", res.body)
	}
}

func TestAskExplains(t *testing.T) {
	c := newConsole(t)
	b := c.login("ana")
	res := b.get("/ask?q=" + url.QueryEscape("how deep should smp pigment go"))
	for _, want := range []string{"What they get", "Why", "Urgent: the patterns do not flag it; the urgent words give", "Words", "pigment", "Best entries", "/entries/pigment-depth"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the Ask page lacks %q\n%s", want, res.body)
		}
	}
	res = b.get("/ask?q=" + url.QueryEscape("will people be able to tell i had smp up close"))
	if !strings.Contains(res.body, "Ordered by what the tuning sets' messages wanted") {
		t.Errorf("the Ask page does not show how the entry words ordered the best entries\n%s", res.body)
	}
	if gaps, _ := c.mod.Gaps(t.Context()); len(gaps) != 0 {
		t.Errorf("asking on the console recorded gaps %v", gaps)
	}
}

func TestFeedbackPage(t *testing.T) {
	c := newConsole(t)
	b := c.login("ana")
	if err := c.mod.RecordFeedback(t.Context(), "", "aftercare", "can i swim after a week", false); err != nil {
		t.Fatal(err)
	}
	res := b.get("/feedback")
	for _, want := range []string{"can i swim after a week", "1 👎", `value="scope"`, "/new?gap=can", `value="dismiss"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the feedback page lacks %q\n%s", want, res.body)
		}
	}
	res = b.post("/act", url.Values{"do": {"dismiss"}, "entry": {"aftercare"}, "question": {"can i swim after a week"}, "back": {"/feedback"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("dismiss a 👎: %d\n%s", res.status, res.body)
	}
	if res := b.get("/feedback"); strings.Contains(res.body, "“can i swim after a week”") {
		t.Errorf("the dismissed question is still listed\n%s", res.body)
	}
}

func TestSynonymsEditor(t *testing.T) {
	c := newConsole(t)
	b := c.login("ana")
	text, rev := c.text(knowledge.SynonymsFile)
	bad := text + "lonely\n"
	res := b.post("/synonyms", url.Values{"text": {bad}, "base": {strconv.FormatInt(rev, 10)}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `class="bad"`) {
		t.Errorf("saving synonyms with a mistake: %d, want 422 with the problem on its line\n%s", res.status, res.body)
	}
	good := text + "pigmentist, micropigmentist\n"
	if res := b.post("/synonyms", url.Values{"text": {good}, "base": {strconv.FormatInt(rev, 10)}}); res.status != http.StatusSeeOther {
		t.Errorf("saving good synonyms: %d\n%s", res.status, res.body)
	}
	if got, _ := c.text(knowledge.SynonymsFile); got != good {
		t.Errorf("synonyms after saving:\n%s\nwant\n%s", got, good)
	}
}

// diffLine is how a diff shows a line, of class same, del or ins, whose
// escaped text is html.
func diffLine(class, html string) string {
	mark := map[string]string{"same": " ", "del": "−", "ins": "&#43;"}[class]
	return `<li class="` + class + `"><span class="mark">` + mark + `</span>` + html + `</li>`
}

func TestEntriesListShowsCollisions(t *testing.T) {
	c := newConsole(t)
	b := c.login("ana")
	text := "---\nid: aftercare-copy\ntitle: Looking after fresh SMP\nkind: explanation\nquestions:\n  - smp aftercare\n---\nA copy.\n"
	if res := b.post("/new", url.Values{"text": {text}, "base": {"0"}, "do": {"save"}}); res.status != http.StatusSeeOther {
		t.Fatalf("save: %d", res.status)
	}
	for try := 0; ; try++ { // until the service answers from the new entry too
		if _, ok := c.svc.Entry("aftercare-copy"); ok {
			break
		} else if try == 200 {
			t.Fatal("the service never answered from the new entry")
		}
		time.Sleep(10 * time.Millisecond)
	}
	res := b.get("/entries?q=aftercare-copy")
	if !strings.Contains(res.body, `<div class="collision">“smp aftercare” → <a href="/entries/aftercare">aftercare</a></div>`) {
		t.Errorf("the list does not show that aftercare answers “smp aftercare” first\n%s", res.body)
	}
	res = b.get("/entries?kind=out-of-scope")
	if strings.Contains(res.body, "<a href=\"/entries/aftercare\">SMP aftercare") || !strings.Contains(res.body, "not-hair-transplants") {
		t.Errorf("the kind filter does not keep only out-of-scope entries\n%s", res.body)
	}
}

// Over https the cookie is Secure and named with the __Host- prefix, which
// browsers accept only from a secure origin.
func TestSecureCookieOverHTTPS(t *testing.T) {
	c := newConsole(t)
	creds := knowledgetest.NewCredentials()
	logins := knowledge.NewLogins(creds, "https://kb.example.org")
	srv, err := web.New(web.Config{Addr: "127.0.0.1:0", URL: "https://kb.example.org"}, c.svc, c.mod, logins, buildIndex, nil)
	if err != nil {
		t.Fatal(err)
	}
	link, err := logins.IssueLink(t.Context(), "ana")
	if err != nil {
		t.Fatal(err)
	}
	_, token, _ := strings.Cut(link.URL, knowledge.LoginPath)
	req := httptest.NewRequest(http.MethodPost, "https://kb.example.org/login", strings.NewReader(url.Values{"token": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://kb.example.org")
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	cookie := rec.Header().Get("Set-Cookie")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(cookie, "__Host-") || !strings.Contains(cookie, "; Secure") || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Strict") {
		t.Errorf("login over https: %d, cookie %q; want a Secure, HttpOnly, SameSite=Strict __Host- cookie", rec.Code, cookie)
	}
	if got := rec.Header().Get("Strict-Transport-Security"); got == "" {
		t.Error("no Strict-Transport-Security over https")
	}
}

func TestOverviewCountsAnsweredQuestions(t *testing.T) {
	c := newConsole(t)
	b := c.login("ana")
	for _, q := range []string{"why are my dots blurry", "how deep should smp pigment go", "can i get a flu jab after smp"} {
		if _, err := c.svc.Answer(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	res := b.get("/")
	for _, want := range []string{"<b>2</b>answered in the last day", "<b>2</b>answered in the last week", ">1</a></b>open gaps"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the overview lacks %q after two answered questions and one not\n%s", want, res.body)
		}
	}
}

func TestRevertAndRefusedUndo(t *testing.T) {
	c := newConsole(t)
	b := c.login("ana")
	orig, first := c.text("aftercare")
	for _, body := range []string{"One.", "Two."} {
		text, rev := edited(t, c, body)
		if res := b.post("/entries/aftercare", url.Values{"text": {text}, "base": {strconv.FormatInt(rev, 10)}, "do": {"save"}}); res.status != http.StatusSeeOther {
			t.Fatalf("save %q: %d", body, res.status)
		}
	}
	_, cur := c.text("aftercare")
	confirm := b.get("/restore/aftercare?rev=" + strconv.FormatInt(first, 10))
	if !strings.Contains(confirm.body, "Revert <b>aftercare</b> to revision "+strconv.FormatInt(first, 10)) || !strings.Contains(confirm.body, diffLine("del", "Two.")) {
		t.Fatalf("the revert confirmation does not show what it changes\n%s", confirm.body)
	}
	res := b.post("/restore/aftercare", url.Values{"rev": {strconv.FormatInt(first, 10)}, "base": {strconv.FormatInt(cur, 10)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("revert: %d\n%s", res.status, res.body)
	}
	if got, _ := c.text("aftercare"); got != orig {
		t.Errorf("after reverting, aftercare is\n%s\nwant revision %d's text", got, first)
	}

	// An entry as the embedded default has it has nothing before it.
	_, healing := c.text("healing-timeline")
	res = b.post("/restore/healing-timeline", url.Values{"rev": {"0"}, "base": {strconv.FormatInt(healing, 10)}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "nothing before it to undo") {
		t.Errorf("undoing the embedded default's revision: %d, want 422 saying why\n%s", res.status, res.body)
	}
	if _, rev := c.text("healing-timeline"); rev != healing {
		t.Errorf("healing-timeline is revision %d after a refused undo, want %d", rev, healing)
	}
}
