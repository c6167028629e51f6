package telegram

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
)

// This file is a fake Telegram Bot API server for the real library to talk
// to. It keeps a queue of updates with Telegram's offset semantics, answers
// long polls, checks every message the way Telegram would (HTML, length,
// button data) and records every request.

const (
	testToken   = "123456:TEST-token_abc"
	botID       = 4242
	botUsername = "smp_safety_bot"
)

// waitLimit only keeps a broken test from hanging; nothing is timed.
const waitLimit = 30 * time.Second

type fakeAPI struct {
	t   *testing.T
	srv *httptest.Server

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced on every change
	requests  []*apiRequest
	queue     []queued // updates not yet confirmed, in id order
	nextID    int      // next update_id
	nextMsgID int
	faults    map[string][]fault
}

type queued struct {
	id  int
	raw string
}

// apiRequest is one request the fake received.
type apiRequest struct {
	method string
	form   url.Values
	status int    // 0 while a long poll is open
	reject string // why a request was refused as Telegram would
}

// fault replaces the fake's next response to a method. A fault with a gate
// holds the request until the gate is closed, then answers normally.
type fault struct {
	status int
	body   string
	gate   chan struct{}
}

func newFakeAPI(t *testing.T) *fakeAPI {
	t.Helper()
	f := unstartedFakeAPI(t)
	f.srv.Start()
	return f
}

// unstartedFakeAPI returns a fake that does not listen until f.srv.Start.
func unstartedFakeAPI(t *testing.T) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, changed: make(chan struct{}), nextID: 100, nextMsgID: 1000, faults: map[string][]fault{}}
	f.srv = httptest.NewUnstartedServer(f)
	t.Cleanup(func() {
		f.srv.CloseClientConnections()
		f.srv.Close()
		for _, r := range f.all() {
			if r.reject != "" {
				t.Errorf("the bot sent %s that Telegram would refuse: %s\n%s", r.method, r.reject, r.form.Encode())
			}
		}
	})
	return f
}

func (f *fakeAPI) url() string { return f.srv.URL }

// signal wakes everything waiting for a change. f.mu must be held.
func (f *fakeAPI) signal() {
	close(f.changed)
	f.changed = make(chan struct{})
}

func (f *fakeAPI) all() []apiRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]apiRequest, len(f.requests))
	for i, r := range f.requests {
		out[i] = *r
	}
	return out
}

// failNext makes the next calls to method get the given faults, in order.
func (f *fakeAPI) failNext(method string, faults ...fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[method] = append(f.faults[method], faults...)
}

// push queues updates, given as JSON with "%d" standing for the update_id,
// and returns their ids.
func (f *fakeAPI) push(updates ...string) []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []int
	for _, u := range updates {
		id := f.nextID
		f.nextID++
		f.queue = append(f.queue, queued{id: id, raw: strings.ReplaceAll(u, "%d", strconv.Itoa(id))})
		ids = append(ids, id)
	}
	f.signal()
	return ids
}

// msgID returns a fresh message id for an incoming message.
func (f *fakeAPI) msgID() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextMsgID++
	return f.nextMsgID
}

// waitFor blocks until cond holds for the requests so far and returns them.
func (f *fakeAPI) waitFor(what string, cond func([]apiRequest) bool) []apiRequest {
	f.t.Helper()
	limit := time.NewTimer(waitLimit)
	defer limit.Stop()
	for {
		f.mu.Lock()
		ch := f.changed
		f.mu.Unlock()
		reqs := f.all()
		if cond(reqs) {
			return reqs
		}
		select {
		case <-ch:
		case <-limit.C:
			var methods []string
			for _, r := range reqs {
				methods = append(methods, fmt.Sprintf("%s(%d)", r.method, r.status))
			}
			f.t.Fatalf("gave up waiting for %s; requests: %v", what, methods)
		}
	}
}

// waitHandled waits until the bot asks for updates past id, which it does
// only once every update up to id has been handled.
func (f *fakeAPI) waitHandled(id int) []apiRequest {
	f.t.Helper()
	return f.waitFor(fmt.Sprintf("updates up to %d to be handled", id), func(reqs []apiRequest) bool {
		for _, r := range reqs {
			if off, _ := strconv.Atoi(r.form.Get("offset")); r.method == "getUpdates" && off > id {
				return true
			}
		}
		return false
	})
}

// waitSent waits until n messages have been delivered and returns them.
func (f *fakeAPI) waitSent(n int) []sentMessage {
	f.t.Helper()
	var msgs []sentMessage
	f.waitFor(fmt.Sprintf("%d messages", n), func(reqs []apiRequest) bool {
		msgs = delivered(f.t, reqs)
		return len(msgs) >= n
	})
	return msgs
}

// sent returns the messages delivered so far.
func (f *fakeAPI) sent() []sentMessage { return delivered(f.t, f.all()) }

// calls returns the successful requests to method.
func calls(reqs []apiRequest, method string) []apiRequest {
	var out []apiRequest
	for _, r := range reqs {
		if r.method == method && r.status == http.StatusOK {
			out = append(out, r)
		}
	}
	return out
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	token, method, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	if err := r.ParseForm(); err != nil {
		f.t.Errorf("%s: %v", method, err)
	}
	req := &apiRequest{method: method, form: r.PostForm}
	f.mu.Lock()
	f.requests = append(f.requests, req)
	var ft *fault
	if q := f.faults[method]; len(q) > 0 {
		ft, f.faults[method] = &q[0], q[1:]
	}
	f.signal()
	f.mu.Unlock()

	status, body := f.respond(r, token, method, ft)
	f.mu.Lock()
	req.status = status
	if status == http.StatusBadRequest && ft == nil {
		req.reject = body
	}
	f.signal()
	f.mu.Unlock()
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

func (f *fakeAPI) respond(r *http.Request, token, method string, ft *fault) (int, string) {
	if ft != nil && ft.gate == nil {
		return ft.status, ft.body
	}
	if ft != nil {
		<-ft.gate
	}
	if token != testToken {
		return apiError(http.StatusUnauthorized, "Unauthorized")
	}
	form := r.PostForm
	switch method {
	case "getMe":
		return okResult(map[string]any{"id": botID, "is_bot": true, "first_name": "SMP Safety", "username": botUsername})
	case "setMyCommands", "deleteWebhook", "setWebhook", "answerCallbackQuery":
		return okResult(true)
	case "getUpdates":
		return f.getUpdates(r)
	case "sendMessage":
		if reason := checkMessage(form.Get("text"), form.Get("parse_mode"), form.Get("reply_markup")); reason != "" {
			return apiError(http.StatusBadRequest, reason)
		}
		chat, _ := strconv.ParseInt(form.Get("chat_id"), 10, 64)
		return okResult(map[string]any{"message_id": f.msgID(), "date": 0, "chat": map[string]any{"id": chat, "type": "private"},
			"from": map[string]any{"id": botID, "is_bot": true, "first_name": "SMP Safety"}, "text": form.Get("text")})
	case "answerInlineQuery":
		var results []inlineResult
		if err := json.Unmarshal([]byte(form.Get("results")), &results); err != nil {
			return apiError(http.StatusBadRequest, "Bad Request: can't parse results: "+err.Error())
		}
		for _, res := range results {
			markup, _ := json.Marshal(res.ReplyMarkup)
			if len(res.ID) == 0 || len(res.ID) > 64 {
				return apiError(http.StatusBadRequest, "Bad Request: RESULT_ID_INVALID")
			}
			if reason := checkMessage(res.Content.Text, res.Content.ParseMode, string(markup)); reason != "" {
				return apiError(http.StatusBadRequest, reason)
			}
		}
		return okResult(true)
	}
	return apiError(http.StatusNotFound, "Not Found: method not found")
}

// getUpdates answers a long poll the way Telegram does: an offset confirms
// every update before it, and the call waits up to timeout seconds for an
// update to arrive.
func (f *fakeAPI) getUpdates(r *http.Request) (int, string) {
	offset, _ := strconv.Atoi(r.PostForm.Get("offset"))
	limit, _ := strconv.Atoi(r.PostForm.Get("limit"))
	timeout, _ := strconv.Atoi(r.PostForm.Get("timeout"))
	if limit == 0 {
		limit = 100
	}
	expire := time.NewTimer(time.Duration(timeout) * time.Second)
	defer expire.Stop()
	for {
		f.mu.Lock()
		if offset > 0 {
			f.queue = slices.DeleteFunc(f.queue, func(q queued) bool { return q.id < offset })
		}
		var raws []string
		for _, q := range f.queue[:min(limit, len(f.queue))] {
			raws = append(raws, q.raw)
		}
		ch := f.changed
		f.mu.Unlock()
		if len(raws) > 0 || timeout == 0 {
			return http.StatusOK, `{"ok":true,"result":[` + strings.Join(raws, ",") + `]}`
		}
		select {
		case <-ch:
		case <-expire.C:
			timeout = 0
		case <-r.Context().Done():
			return http.StatusOK, `{"ok":true,"result":[]}`
		}
	}
}

// pending reports whether Telegram would still deliver update id.
func (f *fakeAPI) pending(id int) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.ContainsFunc(f.queue, func(q queued) bool { return q.id == id })
}

func okResult(result any) (int, string) {
	b, _ := json.Marshal(map[string]any{"ok": true, "result": result})
	return http.StatusOK, string(b)
}

func apiError(code int, description string) (int, string) {
	b, _ := json.Marshal(map[string]any{"ok": false, "error_code": code, "description": description})
	return code, string(b)
}

// tooMany is a 429 asking to wait retryAfter seconds.
func tooMany(retryAfter int) fault {
	return fault{status: http.StatusTooManyRequests, body: fmt.Sprintf(
		`{"ok":false,"error_code":429,"description":"Too Many Requests: retry after %d","parameters":{"retry_after":%d}}`, retryAfter, retryAfter)}
}

type inlineResult struct {
	Type        string `json:"type"`
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Content     struct {
		Text      string `json:"message_text"`
		ParseMode string `json:"parse_mode"`
		NoPreview bool   `json:"disable_web_page_preview"`
	} `json:"input_message_content"`
	ReplyMarkup *keyboard `json:"reply_markup"`
}

type keyboard struct {
	Rows [][]button `json:"inline_keyboard"`
}

type button struct {
	Text string `json:"text"`
	Data string `json:"callback_data"`
}

// checkMessage refuses what Telegram refuses: bad HTML, text over 4096
// characters once parsed, buttons with over 64 bytes of data. It returns
// Telegram's description of the problem, or "".
func checkMessage(text, parseMode, markup string) string {
	if parseMode != "HTML" {
		return "Bad Request: the bot must use parse_mode HTML, got " + strconv.Quote(parseMode)
	}
	visible, err := parseHTML(text)
	switch {
	case err != nil:
		return "Bad Request: can't parse entities: " + err.Error()
	case strings.TrimSpace(visible) == "":
		return "Bad Request: message text is empty"
	case len(utf16.Encode([]rune(visible))) > maxMessageLen:
		return "Bad Request: message is too long"
	}
	if markup == "" || markup == "null" {
		return ""
	}
	var kb keyboard
	if err := json.Unmarshal([]byte(markup), &kb); err != nil {
		return "Bad Request: can't parse reply keyboard markup JSON object"
	}
	for _, row := range kb.Rows {
		for _, b := range row {
			if b.Text == "" || b.Data == "" || len(b.Data) > 64 {
				return "Bad Request: BUTTON_DATA_INVALID"
			}
		}
	}
	return ""
}

var (
	telegramTags = map[string]bool{"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
		"s": true, "strike": true, "del": true, "code": true, "pre": true, "a": true, "tg-spoiler": true, "blockquote": true}
	hrefAttr = regexp.MustCompile(`^href="[^"<>]*"$`)
	entities = map[string]string{"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": `"`}
)

// parseHTML checks text against Telegram's HTML subset, strictly, and
// returns the text a reader sees.
func parseHTML(s string) (string, error) {
	var (
		out   strings.Builder
		stack []string
	)
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return "", fmt.Errorf("unclosed tag at byte %d", i)
			}
			tag := s[i+1 : i+j]
			i += j + 1
			if name, ok := strings.CutPrefix(tag, "/"); ok {
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return "", fmt.Errorf("can't find start tag for </%s>", name)
				}
				stack = stack[:len(stack)-1]
				continue
			}
			name, attrs, _ := strings.Cut(tag, " ")
			switch {
			case !telegramTags[name]:
				return "", fmt.Errorf("unsupported start tag %q", name)
			case name == "a" && !hrefAttr.MatchString(attrs):
				return "", fmt.Errorf("bad link attributes %q", attrs)
			case name != "a" && attrs != "":
				return "", fmt.Errorf("unexpected attributes in <%s>", name)
			}
			stack = append(stack, name)
		case '&':
			j := strings.IndexByte(s[i:], ';')
			if j < 0 {
				return "", fmt.Errorf("unescaped & at byte %d", i)
			}
			ent := s[i : i+j+1]
			if text, ok := entities[ent]; ok {
				out.WriteString(text)
			} else if n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(ent, "&#"), ";")); err == nil && strings.HasPrefix(ent, "&#") {
				out.WriteRune(rune(n))
			} else {
				return "", fmt.Errorf("unsupported entity %q", ent)
			}
			i += j + 1
		case '>':
			return "", fmt.Errorf("unescaped > at byte %d", i)
		default:
			out.WriteByte(s[i])
			i++
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("unclosed <%s>", stack[len(stack)-1])
	}
	return out.String(), nil
}

// sentMessage is a message the bot delivered.
type sentMessage struct {
	chat     int64
	html     string
	text     string // as the reader sees it
	replyTo  int
	preview  bool
	keyboard [][]button
}

func delivered(t *testing.T, reqs []apiRequest) []sentMessage {
	t.Helper()
	var out []sentMessage
	for _, r := range calls(reqs, "sendMessage") {
		m := sentMessage{html: r.form.Get("text"), preview: r.form.Get("disable_web_page_preview") != "true"}
		m.chat, _ = strconv.ParseInt(r.form.Get("chat_id"), 10, 64)
		m.replyTo, _ = strconv.Atoi(r.form.Get("reply_to_message_id"))
		m.text, _ = parseHTML(m.html)
		if kb := r.form.Get("reply_markup"); kb != "" {
			var k keyboard
			if err := json.Unmarshal([]byte(kb), &k); err != nil {
				t.Fatalf("reply_markup %s: %v", kb, err)
			}
			m.keyboard = k.Rows
		}
		out = append(out, m)
	}
	return out
}

// Updates as Telegram sends them. Entities for a leading command and for
// @mentions are found the way Telegram finds them, with UTF-16 offsets.

type user struct {
	ID    int64  `json:"id"`
	IsBot bool   `json:"is_bot"`
	Name  string `json:"first_name"`
}

type chat struct {
	ID    int64  `json:"id"`
	Type  string `json:"type"`
	Title string `json:"title,omitempty"`
}

var (
	ann      = user{ID: 11, Name: "Ann"}
	ben      = user{ID: 12, Name: "Ben"}
	annChat  = chat{ID: 11, Type: "private"}
	benChat  = chat{ID: 12, Type: "private"}
	group    = chat{ID: -1001, Type: "supergroup", Title: "SMP talk"}
	botUser  = user{ID: botID, IsBot: true, Name: "SMP Safety"}
	mentions = regexp.MustCompile(`@[A-Za-z0-9_]{5,32}`)
)

// message is a message update; extra fields are merged into the message.
func (f *fakeAPI) message(from user, in chat, text string, extra map[string]any) (update string, msgID int) {
	msgID = f.msgID()
	m := map[string]any{"message_id": msgID, "date": 1700000000, "chat": in, "from": from, "text": text}
	var ents []map[string]any
	u16 := func(s string) int { return len(utf16.Encode([]rune(s))) }
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		ents = append(ents, map[string]any{"type": "bot_command", "offset": 0, "length": u16(cmd)})
	}
	for _, loc := range mentions.FindAllStringIndex(text, -1) {
		if loc[0] == 0 || text[loc[0]-1] == ' ' {
			ents = append(ents, map[string]any{"type": "mention", "offset": u16(text[:loc[0]]), "length": u16(text[loc[0]:loc[1]])})
		}
	}
	if ents != nil {
		m["entities"] = ents
	}
	for k, v := range extra {
		m[k] = v
	}
	return wrap("message", m), msgID
}

func wrap(kind string, v any) string {
	b, err := json.Marshal(map[string]any{kind: v})
	if err != nil {
		panic(err)
	}
	return `{"update_id":%d,` + string(b[1:])
}

// tap is a callback query from a button under message msgID in chat.
func tap(id string, from user, in chat, msgID int, data string) string {
	return wrap("callback_query", map[string]any{"id": id, "from": from, "chat_instance": "ci", "data": data,
		"message": map[string]any{"message_id": msgID, "date": 1700000000, "chat": in, "from": botUser, "text": "answer"}})
}

func inlineQuery(id string, from user, query string) string {
	return wrap("inline_query", map[string]any{"id": id, "from": from, "query": query, "offset": ""})
}
