// Package telegramtest is a fake Telegram Bot API server for tests of the
// Telegram adapter and of programs that run it, such as an end-to-end test
// of cmd/bot. It listens on loopback only.
//
// The server keeps a queue of updates with Telegram's offset semantics,
// answers long polls, checks every message the way Telegram would (HTML
// subset, length, button data) and records every request with the time it
// arrived. Faults replace the response to the next calls of a method: an
// error status, a response held until a gate opens, a response withheld
// until the client gives up, or a connection cut halfway through.
package telegramtest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"maps"
	"net"
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
)

// The bot the server pretends to be.
const (
	// Token is the only token the server accepts; any other gets 401.
	Token = "123456:TEST-token_abc"
	// BotID and BotUsername are what getMe returns.
	BotID       = 4242
	BotUsername = "smp_safety_bot"
)

// WaitLimit only keeps a broken test from hanging: waits give up after it.
// Nothing is timed.
const WaitLimit = 30 * time.Second

// StatusBroken is the Status of a request whose response never arrived
// whole: withheld until the client gave up, or cut halfway.
const StatusBroken = -1

// Server is a fake Bot API server. It is safe for concurrent use.
type Server struct {
	t    testing.TB
	srv  *httptest.Server
	lean bool

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced on every change
	requests  []*Request
	queue     []queued // updates not yet confirmed, in id order
	nextID    int      // next update_id
	nextMsgID int
	acked     int // the highest offset a getUpdates call has named
	sent      int // messages delivered
	faults    map[string][]Fault
	// messages are the messages of the chats, as Telegram would send them
	// in updates, by id; chats are the chats they were seen in. A Lean
	// server keeps neither.
	messages map[int]map[string]any
	chats    map[int64]Chat
}

type queued struct {
	id  int
	raw string
}

// Request is one request the server received.
type Request struct {
	Method string
	Form   url.Values
	// Status is the HTTP status answered: 0 while the request is open,
	// StatusBroken when no whole response was sent.
	Status int
	// Reject says why Telegram would have refused the request, or is "".
	Reject string
	// Time is when the request arrived.
	Time time.Time
	// MessageID is the id of the message a sendMessage request delivered.
	MessageID int
}

// Fault replaces the server's next response to a method. The zero Fault
// answers normally.
type Fault struct {
	// Status and Body, when Status is set, are the response.
	Status int
	Body   string
	// Gate, when set, holds the request until it is closed, then answers
	// normally.
	Gate chan struct{}
	// Stall withholds any response until the client gives up, as a server
	// slower than the client's timeout. The request is not carried out.
	Stall bool
	// Cut sends the start of a response and closes the connection, before
	// the request is carried out.
	Cut bool
}

// TooMany is a 429 fault asking to wait retryAfter seconds.
func TooMany(retryAfter int) Fault {
	return Fault{Status: http.StatusTooManyRequests, Body: fmt.Sprintf(
		`{"ok":false,"error_code":429,"description":"Too Many Requests: retry after %d","parameters":{"retry_after":%d}}`, retryAfter, retryAfter)}
}

// Option changes how a Server behaves.
type Option func(*Server)

// Lean makes the server forget the text, buttons and inline results of a
// request once it has checked them, so that a load test's record of tens of
// thousands of requests stays small. Message.Text and Message.HTML are then
// empty.
func Lean() Option { return func(s *Server) { s.lean = true } }

// New starts a server on loopback that is closed when the test ends. At the
// end the test fails if the bot sent anything Telegram would refuse.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := newServer(t, opts)
	s.srv.Start()
	return s
}

// NewUnstarted returns a server that is not listening yet: nothing answers
// at URL until Start.
func NewUnstarted(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := newServer(t, opts)
	s.srv.Listener.Close()
	return s
}

func newServer(t testing.TB, opts []Option) *Server {
	s := &Server{t: t, changed: make(chan struct{}), nextID: 100, nextMsgID: 1000, faults: map[string][]Fault{},
		messages: map[int]map[string]any{}, chats: map[int64]Chat{}}
	for _, o := range opts {
		o(s)
	}
	s.srv = httptest.NewUnstartedServer(s)
	t.Cleanup(func() {
		s.srv.CloseClientConnections()
		s.srv.Close()
		for _, r := range s.Requests() {
			if r.Reject != "" {
				t.Errorf("the bot sent %s that Telegram would refuse: %s\n%s", r.Method, r.Reject, r.Form.Encode())
			}
		}
	})
	return s
}

// Start makes an unstarted server listen at its URL. It fails when the
// address has been taken in the meantime.
func (s *Server) Start() error {
	ln, err := net.Listen("tcp", s.srv.Listener.Addr().String())
	if err != nil {
		return err
	}
	s.srv.Listener = ln
	s.srv.Start()
	return nil
}

// URL is the base URL to give the adapter as its APIURL.
func (s *Server) URL() string {
	if s.srv.URL != "" {
		return s.srv.URL
	}
	return "http://" + s.srv.Listener.Addr().String()
}

// signal wakes everything waiting for a change. s.mu must be held.
func (s *Server) signal() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Requests returns a copy of every request so far, in order of arrival.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = *r
	}
	return out
}

// FailNext makes the next calls to method get the given faults, in order.
func (s *Server) FailNext(method string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], faults...)
}

// Push queues updates, given as JSON with "%d" standing for the update_id
// (as Message, Tap and InlineQuery make them), and returns their ids.
func (s *Server) Push(updates ...string) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []int
	for _, u := range updates {
		id := s.nextID
		s.nextID++
		s.queue = append(s.queue, queued{id: id, raw: strings.ReplaceAll(u, "%d", strconv.Itoa(id))})
		ids = append(ids, id)
	}
	s.signal()
	return ids
}

// Ask queues a text message from a user in a chat and returns its update id
// and message id.
func (s *Server) Ask(from User, in Chat, text string) (updateID, msgID int) {
	u, msgID := s.Message(from, in, text, nil)
	return s.Push(u)[0], msgID
}

// msgID returns a fresh message id.
func (s *Server) msgID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextMsgID++
	return s.nextMsgID
}

// Wait blocks until cond holds, checking it after every request and every
// update queued, so cond should be cheap: Acked and SentCount are.
func (s *Server) Wait(what string, cond func() bool) {
	s.t.Helper()
	limit := time.NewTimer(WaitLimit)
	defer limit.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-limit.C:
			var methods []string
			for _, r := range s.Requests() {
				methods = append(methods, fmt.Sprintf("%s(%d)", r.Method, r.Status))
			}
			if len(methods) > 50 {
				methods = append(methods[:25], append([]string{"…"}, methods[len(methods)-25:]...)...)
			}
			s.t.Fatalf("gave up waiting for %s; requests: %v", what, methods)
		}
	}
}

// WaitFor blocks until cond holds for the requests so far and returns them.
func (s *Server) WaitFor(what string, cond func([]Request) bool) []Request {
	s.t.Helper()
	var reqs []Request
	s.Wait(what, func() bool {
		reqs = s.Requests()
		return cond(reqs)
	})
	return reqs
}

// Acked returns the highest offset the bot has asked for updates from: it
// has taken in every update below it.
func (s *Server) Acked() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.acked
}

// WaitHandled waits until the bot asks for updates past id, which it does
// once it has taken in every update up to id, and returns the requests so
// far. The bot may still be answering them.
func (s *Server) WaitHandled(id int) []Request {
	s.t.Helper()
	s.Wait(fmt.Sprintf("updates up to %d to be handled", id), func() bool { return s.Acked() > id })
	return s.Requests()
}

// SentCount returns how many messages have been delivered.
func (s *Server) SentCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sent
}

// WaitSent waits until n messages have been delivered and returns every
// message delivered.
func (s *Server) WaitSent(n int) []Message {
	s.t.Helper()
	s.Wait(fmt.Sprintf("%d messages", n), func() bool { return s.SentCount() >= n })
	return s.Sent()
}

// Sent returns the messages delivered so far.
func (s *Server) Sent() []Message { return Delivered(s.t, s.Requests()) }

// Pending reports whether Telegram would still deliver update id.
func (s *Server) Pending(id int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.ContainsFunc(s.queue, func(q queued) bool { return q.id == id })
}

// Calls returns the successful requests to method.
func Calls(reqs []Request, method string) []Request {
	var out []Request
	for _, r := range reqs {
		if r.Method == method && r.Status == http.StatusOK {
			out = append(out, r)
		}
	}
	return out
}

// HasOpenPoll reports whether a getUpdates call is waiting for an answer.
func HasOpenPoll(reqs []Request) bool {
	return slices.ContainsFunc(reqs, func(r Request) bool { return r.Method == "getUpdates" && r.Status == 0 })
}

// ServeHTTP answers a Bot API request at /bot{token}/{method}.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	token, method, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	if err := r.ParseForm(); err != nil {
		s.t.Errorf("%s: %v", method, err)
	}
	req := &Request{Method: method, Form: r.PostForm, Time: time.Now()}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	var ft *Fault
	if q := s.faults[method]; len(q) > 0 {
		ft, s.faults[method] = &q[0], q[1:]
	}
	if off, _ := strconv.Atoi(r.PostForm.Get("offset")); method == "getUpdates" && ft == nil && off > s.acked {
		// The offset confirms every update before it, at once, so that
		// Pending agrees with Acked as soon as WaitHandled returns.
		s.acked = off
		s.queue = slices.DeleteFunc(s.queue, func(q queued) bool { return q.id < off })
	}
	s.signal()
	s.mu.Unlock()

	if ft != nil && (ft.Stall || ft.Cut) {
		s.breakResponse(w, r, ft)
		s.finish(req, StatusBroken, "")
		return
	}
	status, body := s.respond(req, r, token, method, ft)
	if status == http.StatusOK && method == "sendMessage" {
		s.mu.Lock()
		s.sent++
		s.mu.Unlock()
	}
	reject := ""
	if status == http.StatusBadRequest && ft == nil {
		reject = body
	}
	s.finish(req, status, reject)
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

// finish records how a request was answered.
func (s *Server) finish(req *Request, status int, reject string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	req.Status, req.Reject = status, reject
	if s.lean {
		for _, k := range []string{"text", "reply_markup", "results"} {
			req.Form.Del(k)
		}
	}
	s.signal()
}

// breakResponse withholds the response until the client gives up, or
// writes part of one and closes the connection.
func (s *Server) breakResponse(w http.ResponseWriter, r *http.Request, ft *Fault) {
	if ft.Stall {
		select {
		case <-r.Context().Done():
		case <-time.After(WaitLimit):
			s.t.Errorf("%s: the client never gave up on a stalled response", r.URL.Path)
		}
		return
	}
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		s.t.Errorf("hijack: %v", err)
		return
	}
	defer conn.Close()
	writePartial(buf)
}

func writePartial(buf *bufio.ReadWriter) {
	fmt.Fprint(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{\"ok\":true,\"result\":[{\"update_")
	buf.Flush()
}

func (s *Server) respond(req *Request, r *http.Request, token, method string, ft *Fault) (int, string) {
	if ft != nil && ft.Gate == nil && ft.Status != 0 {
		return ft.Status, ft.Body
	}
	if ft != nil && ft.Gate != nil {
		<-ft.Gate
	}
	if token != Token {
		return apiError(http.StatusUnauthorized, "Unauthorized")
	}
	form := r.PostForm
	switch method {
	case "getMe":
		return okResult(map[string]any{"id": BotID, "is_bot": true, "first_name": "SMP Safety", "username": BotUsername})
	case "setMyCommands":
		return checkCommands(form.Get("commands"), form.Get("scope"))
	case "deleteWebhook", "setWebhook", "answerCallbackQuery":
		return okResult(true)
	case "getUpdates":
		return s.getUpdates(r)
	case "sendMessage":
		if reason := checkMessage(form.Get("text"), form.Get("parse_mode"), form.Get("reply_markup")); reason != "" {
			return apiError(http.StatusBadRequest, reason)
		}
		return okResult(s.delivered(req, form))
	case "editMessageText":
		if form.Get("inline_message_id") == "" && (form.Get("chat_id") == "" || form.Get("message_id") == "") {
			return apiError(http.StatusBadRequest, "Bad Request: message to edit not found")
		}
		if reason := checkMessage(form.Get("text"), form.Get("parse_mode"), form.Get("reply_markup")); reason != "" {
			return apiError(http.StatusBadRequest, reason)
		}
		return okResult(true)
	case "answerInlineQuery":
		var results []InlineResult
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

// delivered records the message a sendMessage request delivers and returns
// it as Telegram would: in the chat it was sent to, with the message it
// replies to when that is known.
func (s *Server) delivered(req *Request, form url.Values) map[string]any {
	id := s.msgID()
	chatID, _ := strconv.ParseInt(form.Get("chat_id"), 10, 64)
	replyTo, _ := strconv.Atoi(form.Get("reply_to_message_id"))
	s.mu.Lock()
	defer s.mu.Unlock()
	chat, ok := s.chats[chatID]
	if !ok {
		chat = Chat{ID: chatID, Type: "private"}
	}
	msg := map[string]any{"message_id": id, "date": 0, "chat": chat, "from": Bot(), "text": form.Get("text")}
	if kb := form.Get("reply_markup"); kb != "" {
		msg["reply_markup"] = json.RawMessage(kb)
	}
	if orig, ok := s.messages[replyTo]; ok && orig["chat"] == chat {
		// Telegram leaves out the replied message's own reply_to_message.
		inner := maps.Clone(orig)
		delete(inner, "reply_to_message")
		msg["reply_to_message"] = inner
	}
	req.MessageID = id
	s.remember(msg, chat)
	return msg
}

// remember keeps a message for TapOn and replies. s.mu must be held.
func (s *Server) remember(msg map[string]any, chat Chat) {
	if s.lean {
		return
	}
	s.messages[msg["message_id"].(int)] = msg
	s.chats[chat.ID] = chat
}

// commandPattern is what Telegram accepts as a command name.
var commandPattern = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// checkCommands refuses a setMyCommands call Telegram would refuse.
func checkCommands(commands, scope string) (int, string) {
	var cs []struct{ Command, Description string }
	if err := json.Unmarshal([]byte(commands), &cs); err != nil || len(cs) == 0 || len(cs) > 100 {
		return apiError(http.StatusBadRequest, "Bad Request: can't parse commands")
	}
	for _, c := range cs {
		if !commandPattern.MatchString(c.Command) || c.Description == "" || len(c.Description) > 256 {
			return apiError(http.StatusBadRequest, "Bad Request: BOT_COMMAND_INVALID")
		}
	}
	if scope != "" {
		var sc struct {
			Type   string `json:"type"`
			ChatID int64  `json:"chat_id"`
		}
		if err := json.Unmarshal([]byte(scope), &sc); err != nil || sc.Type == "" || sc.Type == "chat" && sc.ChatID == 0 {
			return apiError(http.StatusBadRequest, "Bad Request: can't parse BotCommandScope")
		}
	}
	return okResult(true)
}

// getUpdates answers a long poll the way Telegram does: it waits up to
// timeout seconds for an update to arrive. ServeHTTP has already dropped
// the updates its offset confirms.
func (s *Server) getUpdates(r *http.Request) (int, string) {
	limit, _ := strconv.Atoi(r.PostForm.Get("limit"))
	timeout, _ := strconv.Atoi(r.PostForm.Get("timeout"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	expire := time.NewTimer(time.Duration(timeout) * time.Second)
	defer expire.Stop()
	for {
		s.mu.Lock()
		var raws []string
		for _, q := range s.queue[:min(limit, len(s.queue))] {
			raws = append(raws, q.raw)
		}
		ch := s.changed
		s.mu.Unlock()
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

func okResult(result any) (int, string) {
	b, _ := json.Marshal(map[string]any{"ok": true, "result": result})
	return http.StatusOK, string(b)
}

func apiError(code int, description string) (int, string) {
	b, _ := json.Marshal(map[string]any{"ok": false, "error_code": code, "description": description})
	return code, string(b)
}
