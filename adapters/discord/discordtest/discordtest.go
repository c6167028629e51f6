// Package discordtest is a fake Discord for tests: a local REST API that
// records every call and a gateway websocket that dispatches events, so that
// the real discordgo client, and a bot built on it, can be driven end to end
// on loopback.
//
// Point a bot at it by setting its REST proxy (discord.Config.APIURL, or
// DISCORD_API_URL) to Server.URL and its token to Server.Token. The gateway
// says HELLO, answers IDENTIFY with READY and RESUME with the events the
// client missed and RESUMED, and acknowledges heartbeats. Tests dispatch
// messages and interactions, inject REST failures, and drop the connection,
// ask the client to reconnect (op 7) or invalidate its session (op 9).
package discordtest

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// WaitTimeout bounds every wait for the client. It is generous because a slow
// machine under -race is not a failure.
const WaitTimeout = 20 * time.Second

// Server is a fake Discord. It is safe for concurrent use.
type Server struct {
	// Token is the bot token the server accepts, BotID the bot's user id and
	// AppID its application id.
	Token, BotID, AppID string
	// URL is the scheme and host of the REST API, which serves Discord's
	// /api/v9/... paths.
	URL string
	// PublicKey is the application's public key, for the bot's
	// Config.PublicKey: the server signs the interactions it posts to an
	// interactions endpoint with its private half.
	PublicKey ed25519.PublicKey
	private   ed25519.PrivateKey

	mu      sync.Mutex
	calls   []Call
	conns   []*conn
	ready   int     // connections sent READY or RESUMED
	events  []event // every dispatch, for replay on RESUME
	faults  []fault
	ids     int
	changed chan struct{} // closed and replaced whenever anything above changes
}

// Call is one REST request the client made.
type Call struct {
	Method, Path string
	Body         []byte
	// ID is the id of the message the call posted, if it posted one:
	// unique to the call.
	ID string
	// Status is the status the server answered with.
	Status int
	// Time is when the request arrived.
	Time time.Time
}

// OK reports whether the server accepted the call.
func (c Call) OK() bool { return c.Status < 300 }

// event is a gateway dispatch.
type event struct {
	Seq  int    `json:"s"`
	Type string `json:"t"`
	Data any    `json:"d"`
}

// fault is a failure the REST API answers with instead of success.
type fault struct {
	method, prefix string
	status, left   int
	retryAfter     time.Duration
}

type conn struct {
	mu sync.Mutex // gorilla allows one writer at a time
	ws *websocket.Conn
	// shard is the shard the client identified as, [id, count]; open is
	// cleared when the connection ends. Both under the Server's mu.
	shard [2]int
	open  bool
}

func (c *conn) send(v any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ws.WriteJSON(v)
}

// New starts a fake Discord that stops when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	public, private, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Token: "test-token.SECRET.x", BotID: "100000000000000001", AppID: "100000000000000002", changed: make(chan struct{}),
		PublicKey: public, private: private}
	mux := http.NewServeMux()
	mux.HandleFunc("/gateway-ws/", s.serveGateway) // discordgo adds the slash
	mux.HandleFunc("/", s.serveREST)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// changedLocked wakes every waiter. s.mu must be held.
func (s *Server) changedLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// BotUser is the bot's user object, as Discord sends it.
func (s *Server) BotUser() map[string]any {
	return map[string]any{"id": s.BotID, "username": "smpbot", "discriminator": "0", "bot": true}
}

// NewID returns a fresh snowflake-like id.
func (s *Server) NewID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ids++
	return fmt.Sprint(500000000000000000 + s.ids)
}

// Fail makes the next n requests with method whose path starts with prefix
// fail with status. A 429 says to retry after retryAfter.
func (s *Server) Fail(method, prefix string, status, n int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, fault{method: method, prefix: prefix, status: status, left: n, retryAfter: retryAfter})
}

// takeFaultLocked returns the fault the request meets, if any. s.mu must be
// held.
func (s *Server) takeFaultLocked(r *http.Request) (fault, bool) {
	for i := range s.faults {
		f := &s.faults[i]
		if f.left > 0 && f.method == r.Method && strings.HasPrefix(r.URL.Path, f.prefix) {
			f.left--
			return *f, true
		}
	}
	return fault{}, false
}

func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	reply := func(status int, v any) {
		s.mu.Lock()
		n := len(s.calls) + 1
		s.calls = append(s.calls, Call{Method: r.Method, Path: r.URL.Path, Body: body, Status: status, Time: time.Now(), ID: fmt.Sprint(300000000000000000 + n)})
		s.changedLocked()
		s.mu.Unlock()
		if m, ok := v.(map[string]any); ok && m["id"] == "" {
			m["id"] = fmt.Sprint(300000000000000000 + n)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if v != nil {
			json.NewEncoder(w).Encode(v)
		}
	}
	s.mu.Lock()
	f, failing := s.takeFaultLocked(r)
	s.mu.Unlock()
	if failing {
		if f.status == http.StatusTooManyRequests {
			secs := f.retryAfter.Seconds()
			w.Header().Set("Retry-After", fmt.Sprint(secs))
			reply(f.status, map[string]any{"message": "You are being rate limited.", "retry_after": secs, "global": false})
			return
		}
		reply(f.status, map[string]any{"message": http.StatusText(f.status), "code": 0})
		return
	}
	if r.Header.Get("Authorization") != "Bot "+s.Token {
		reply(http.StatusUnauthorized, map[string]any{"message": "401: Unauthorized", "code": 0})
		return
	}
	p := strings.Split(strings.TrimPrefix(r.URL.Path, "/api/v9/"), "/")
	gatewayURL := "ws" + strings.TrimPrefix(s.URL, "http") + "/gateway-ws"
	switch {
	case r.Method == "GET" && r.URL.Path == "/api/v9/gateway":
		reply(http.StatusOK, map[string]any{"url": gatewayURL})
	case r.Method == "GET" && r.URL.Path == "/api/v9/gateway/bot":
		reply(http.StatusOK, map[string]any{"url": gatewayURL, "shards": 1})
	case r.Method == "GET" && r.URL.Path == "/api/v9/users/@me":
		reply(http.StatusOK, s.BotUser())
	case r.Method == "GET" && r.URL.Path == "/api/v9/oauth2/applications/@me":
		reply(http.StatusOK, map[string]any{"id": s.AppID, "name": "smpbot", "bot": s.BotUser()})
	case r.Method == "PUT" && p[0] == "applications" && p[len(p)-1] == "commands":
		var cmds []map[string]any
		json.Unmarshal(body, &cmds)
		for i, c := range cmds {
			c["id"] = fmt.Sprint(200000000000000000 + i)
			c["application_id"] = s.AppID
		}
		reply(http.StatusOK, cmds)
	case r.Method == "POST" && p[0] == "channels" && len(p) == 3 && p[2] == "messages",
		r.Method == "PATCH" && p[0] == "webhooks",
		r.Method == "POST" && p[0] == "webhooks":
		reply(http.StatusOK, map[string]any{"id": "", "channel_id": "1", "author": s.BotUser()})
	case r.Method == "POST" && p[0] == "interactions" && len(p) == 4 && p[3] == "callback",
		r.Method == "PUT" && p[0] == "channels" && len(p) > 4 && p[3] == "reactions":
		reply(http.StatusNoContent, nil)
	default:
		reply(http.StatusNotFound, map[string]any{"message": "404: Not Found", "code": 0})
	}
}

// serveGateway speaks enough of the gateway protocol for discordgo.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &conn{ws: ws, shard: [2]int{0, 1}}
	defer ws.Close()
	defer func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if c.open {
			c.open = false
			s.changedLocked()
		}
	}()
	if c.send(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}}) != nil {
		return
	}
	for {
		var p struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if err := ws.ReadJSON(&p); err != nil {
			return
		}
		var d struct {
			Token string  `json:"token"`
			Seq   int     `json:"seq"`
			Shard *[2]int `json:"shard"`
		}
		json.Unmarshal(p.D, &d)
		if d.Shard != nil {
			s.mu.Lock()
			c.shard = *d.Shard
			s.mu.Unlock()
		}
		switch p.Op {
		case 1:
			c.send(map[string]any{"op": 11})
		case 2, 6:
			if d.Token != "Bot "+s.Token {
				c.mu.Lock()
				ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."))
				c.mu.Unlock()
				return
			}
			s.identified(c, p.Op == 6, d.Seq)
		}
	}
}

// identified answers an IDENTIFY with READY, or a RESUME with the events
// after seq and RESUMED, and makes c the connection events go to. Under s.mu,
// so that no test dispatches on c before, nor misses it once the client
// could act on READY.
func (s *Server) identified(c *conn, resume bool, seq int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if resume {
		for _, e := range s.events {
			if e.Seq > seq {
				c.send(map[string]any{"op": 0, "s": e.Seq, "t": e.Type, "d": e.Data})
			}
		}
		s.sendLocked(c, "RESUMED", map[string]any{})
	} else {
		s.sendLocked(c, "READY", map[string]any{
			"v": 9, "session_id": "session-" + fmt.Sprint(s.ready+1), "user": s.BotUser(),
			"application": map[string]any{"id": s.AppID, "flags": 0}, "guilds": []any{},
		})
	}
	c.open = true
	s.conns = append(s.conns, c)
	s.ready++
	s.changedLocked()
}

// sendLocked dispatches an event on c with the next sequence number. s.mu
// must be held.
func (s *Server) sendLocked(c *conn, typ string, data any) error {
	e := event{Seq: len(s.events) + 1, Type: typ, Data: data}
	s.events = append(s.events, e)
	return c.send(map[string]any{"op": 0, "s": e.Seq, "t": e.Type, "d": e.Data})
}

// newest returns the connection events go to.
func (s *Server) newest(t testing.TB) *conn {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.conns) == 0 {
		t.Fatal("discordtest: no gateway connection")
	}
	return s.conns[len(s.conns)-1]
}

// Dispatch sends an event on the newest ready connection. An event sent on
// a connection that is going away is replayed when the client resumes.
func (s *Server) Dispatch(t testing.TB, typ string, data any) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.conns) == 0 {
		t.Fatalf("dispatch %s: no gateway connection", typ)
	}
	s.sendLocked(s.conns[len(s.conns)-1], typ, data)
}

// Drop cuts the newest gateway connection without a close frame, as a
// network failure would.
func (s *Server) Drop(t testing.TB) {
	t.Helper()
	s.newest(t).ws.UnderlyingConn().Close()
}

// Reconnect asks the client to reconnect and resume (gateway op 7).
func (s *Server) Reconnect(t testing.TB) {
	t.Helper()
	if err := s.newest(t).send(map[string]any{"op": 7, "d": nil}); err != nil {
		t.Fatalf("send op 7: %v", err)
	}
}

// InvalidateSession tells the client its session is no longer valid and
// cannot be resumed (gateway op 9), so that it identifies again.
func (s *Server) InvalidateSession(t testing.TB) {
	t.Helper()
	if err := s.newest(t).send(map[string]any{"op": 9, "d": false}); err != nil {
		t.Fatalf("send op 9: %v", err)
	}
}

// Ready returns how many times a gateway connection was sent READY or
// RESUMED.
func (s *Server) Ready() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ready
}

// Calls returns a copy of every REST call so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Wait blocks until cond, given every call so far, is true, and fails the
// test after WaitTimeout.
func (s *Server) Wait(t testing.TB, what string, cond func(calls []Call) bool) {
	t.Helper()
	deadline := time.NewTimer(WaitTimeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ok, changed := cond(s.calls), s.changed
		s.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("discordtest: timed out waiting for %s", what)
		}
	}
}

// Shards returns the shards, [id, count], of the gateway connections
// open now, in the order they were made ready.
func (s *Server) Shards() [][2]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out [][2]int
	for _, c := range s.conns {
		if c.open {
			out = append(out, c.shard)
		}
	}
	return out
}

// WaitShards waits until cond, given the shards of the open gateway
// connections, is true, and fails the test if it does not become so.
func (s *Server) WaitShards(t testing.TB, what string, cond func(open [][2]int) bool) {
	t.Helper()
	limit := time.NewTimer(WaitTimeout)
	defer limit.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		open := s.Shards()
		if cond(open) {
			return
		}
		select {
		case <-ch:
		case <-limit.C:
			t.Fatalf("discordtest: timed out waiting for %s; open shards: %v", what, open)
		}
	}
}

// WaitReady waits until gateway connections were made ready n times.
func (s *Server) WaitReady(t testing.TB, n int) {
	t.Helper()
	s.Wait(t, fmt.Sprintf("%d ready gateway connections", n), func([]Call) bool { return s.ready >= n })
}

// Matching returns the accepted calls with method and path.
func Matching(calls []Call, method, path string) []Call {
	var out []Call
	for _, c := range calls {
		if c.OK() && c.Method == method && c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

// WaitCalls waits for n accepted calls with method and path and returns
// all of them.
func (s *Server) WaitCalls(t testing.TB, method, path string, n int) []Call {
	t.Helper()
	var got []Call
	s.Wait(t, fmt.Sprintf("%d × %s %s", n, method, path), func(calls []Call) bool {
		got = Matching(calls, method, path)
		return len(got) >= n
	})
	return got
}

// WaitCall waits for an accepted call with method and path and returns the
// first.
func (s *Server) WaitCall(t testing.TB, method, path string) Call {
	t.Helper()
	return s.WaitCalls(t, method, path, 1)[0]
}

// CallbackPath is the path of the response to interaction id.
func CallbackPath(id string) string {
	return "/api/v9/interactions/" + id + "/" + Token(id) + "/callback"
}

// WebhookPath is the path of the follow-ups of interaction id; the deferred
// response is edited at WebhookPath(appID, id) + "/messages/@original".
func WebhookPath(appID, id string) string { return "/api/v9/webhooks/" + appID + "/" + Token(id) }

// Token is the token of interaction id.
func Token(id string) string { return "itoken-" + id }

// Callback waits for the response to interaction id.
func (s *Server) Callback(t testing.TB, id string) Sent {
	t.Helper()
	return Decode(t, s.WaitCall(t, "POST", CallbackPath(id)))
}

// Edit waits for the edit of interaction id's deferred response.
func (s *Server) Edit(t testing.TB, id string) Sent {
	t.Helper()
	return Decode(t, s.WaitCall(t, "PATCH", WebhookPath(s.AppID, id)+"/messages/@original"))
}

// Followups waits for n follow-up messages of interaction id and returns
// them all.
func (s *Server) Followups(t testing.TB, id string, n int) []Sent {
	t.Helper()
	var out []Sent
	for _, c := range s.WaitCalls(t, "POST", WebhookPath(s.AppID, id), n) {
		out = append(out, Decode(t, c))
	}
	return out
}

// Messages waits for n messages sent to channel and returns them all.
func (s *Server) Messages(t testing.TB, channel string, n int) []Sent {
	t.Helper()
	var out []Sent
	for _, c := range s.WaitCalls(t, "POST", "/api/v9/channels/"+channel+"/messages", n) {
		out = append(out, Decode(t, c))
	}
	return out
}
