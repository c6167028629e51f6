package discord

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// waitTimeout bounds every wait for the bot; it is generous because a slow
// machine under -race is not a failure.
const waitTimeout = 20 * time.Second

// fakeDiscord is a local Discord: a REST API recording every call and a
// gateway websocket that can dispatch events and drop the connection.
type fakeDiscord struct {
	token, botID, appID string
	srv                 *httptest.Server

	mu      sync.Mutex
	calls   []call
	conns   []*gatewayConn
	ready   int // connections that were sent READY or RESUMED
	seq     int
	changed chan struct{} // closed and replaced whenever anything above changes
}

// call is one REST request the bot made.
type call struct {
	Method, Path string
	Body         []byte
}

type gatewayConn struct {
	mu sync.Mutex // gorilla allows one writer at a time
	ws *websocket.Conn
}

func (c *gatewayConn) send(v any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ws.WriteJSON(v)
}

func newFakeDiscord(t *testing.T) *fakeDiscord {
	t.Helper()
	f := &fakeDiscord{token: "test-token.SECRET.x", botID: "100000000000000001", appID: "100000000000000002", changed: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("/gateway-ws/", f.serveGateway) // discordgo adds the slash
	mux.HandleFunc("/", f.serveREST)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// changedLocked wakes every waiter. f.mu must be held.
func (f *fakeDiscord) changedLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

func (f *fakeDiscord) serveREST(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.calls = append(f.calls, call{Method: r.Method, Path: r.URL.Path, Body: body})
	n := len(f.calls)
	f.changedLocked()
	f.mu.Unlock()

	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
	if r.Header.Get("Authorization") != "Bot "+f.token {
		reply(http.StatusUnauthorized, map[string]any{"message": "401: Unauthorized", "code": 0})
		return
	}
	p := strings.Split(strings.TrimPrefix(r.URL.Path, "/api/v9/"), "/")
	gatewayURL := "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gateway-ws"
	switch {
	case r.Method == "GET" && r.URL.Path == "/api/v9/gateway":
		reply(http.StatusOK, map[string]any{"url": gatewayURL})
	case r.Method == "GET" && r.URL.Path == "/api/v9/gateway/bot":
		reply(http.StatusOK, map[string]any{"url": gatewayURL, "shards": 1})
	case r.Method == "GET" && r.URL.Path == "/api/v9/users/@me":
		reply(http.StatusOK, f.botUser())
	case r.Method == "PUT" && p[0] == "applications" && p[len(p)-1] == "commands":
		var cmds []map[string]any
		json.Unmarshal(body, &cmds)
		for i, c := range cmds {
			c["id"] = fmt.Sprint(200000000000000000 + i)
			c["application_id"] = f.appID
		}
		reply(http.StatusOK, cmds)
	case r.Method == "POST" && p[0] == "channels" && len(p) == 3 && p[2] == "messages",
		r.Method == "PATCH" && p[0] == "webhooks",
		r.Method == "POST" && p[0] == "webhooks":
		reply(http.StatusOK, map[string]any{"id": fmt.Sprint(300000000000000000 + n), "channel_id": "1", "author": f.botUser()})
	case r.Method == "POST" && p[0] == "interactions" && len(p) == 4 && p[3] == "callback",
		r.Method == "PUT" && p[0] == "channels" && len(p) > 4 && p[3] == "reactions":
		w.WriteHeader(http.StatusNoContent)
	default:
		reply(http.StatusNotFound, map[string]any{"message": "404: Not Found", "code": 0})
	}
}

func (f *fakeDiscord) botUser() map[string]any {
	return map[string]any{"id": f.botID, "username": "smpbot", "discriminator": "0", "bot": true}
}

// serveGateway speaks enough of the gateway protocol for discordgo: HELLO,
// READY after IDENTIFY, RESUMED after RESUME, and ACKs for heartbeats.
func (f *fakeDiscord) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gatewayConn{ws: ws}
	defer ws.Close()
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
			Token string `json:"token"`
		}
		json.Unmarshal(p.D, &d)
		switch p.Op {
		case 1:
			c.send(map[string]any{"op": 11})
		case 2, 6:
			if d.Token != "Bot "+f.token {
				c.mu.Lock()
				ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."))
				c.mu.Unlock()
				return
			}
			event, data := "RESUMED", map[string]any{}
			if p.Op == 2 {
				event, data = "READY", map[string]any{
					"v": 9, "session_id": "session-1", "user": f.botUser(),
					"application": map[string]any{"id": f.appID, "flags": 0}, "guilds": []any{},
				}
			}
			// Under f.mu, so that no test dispatches on this connection
			// before READY, nor misses it once the bot could act on READY.
			f.mu.Lock()
			f.seq++
			c.send(map[string]any{"op": 0, "s": f.seq, "t": event, "d": data})
			f.conns = append(f.conns, c)
			f.ready++
			f.changedLocked()
			f.mu.Unlock()
		}
	}
}

// dispatch sends an event on the newest ready connection.
func (f *fakeDiscord) dispatch(t *testing.T, event string, data any) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	if err := f.conns[len(f.conns)-1].send(map[string]any{"op": 0, "s": f.seq, "t": event, "d": data}); err != nil {
		t.Fatalf("dispatch %s: %v", event, err)
	}
}

// drop cuts the newest gateway connection without a close frame, as a
// network failure would.
func (f *fakeDiscord) drop() {
	f.mu.Lock()
	c := f.conns[len(f.conns)-1]
	f.mu.Unlock()
	c.ws.UnderlyingConn().Close()
}

// wait blocks until cond, called with f.mu held, is true.
func (f *fakeDiscord) wait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(waitTimeout)
	for {
		f.mu.Lock()
		ok, changed := cond(), f.changed
		f.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// waitReady waits until n gateway connections have been made ready.
func (f *fakeDiscord) waitReady(t *testing.T, n int) {
	t.Helper()
	f.wait(t, fmt.Sprintf("%d ready gateway connections", n), func() bool { return f.ready >= n })
}

// waitCall waits for a REST call matching method and path and returns it.
func (f *fakeDiscord) waitCall(t *testing.T, method, path string) call {
	t.Helper()
	var got call
	f.wait(t, method+" "+path, func() bool {
		for _, c := range f.calls {
			if c.Method == method && c.Path == path {
				got = c
				return true
			}
		}
		return false
	})
	return got
}

// callsTo returns the calls whose path starts with prefix.
func (f *fakeDiscord) callsTo(prefix string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if strings.HasPrefix(c.Path, prefix) {
			out = append(out, c)
		}
	}
	return out
}

// sent is a message or interaction response as the fake received it.
type sent struct {
	Type            discordgo.InteractionResponseType           `json:"type"` // interaction callbacks only
	Content         string                                      `json:"content"`
	Embeds          []*discordgo.MessageEmbed                   `json:"embeds"`
	Flags           discordgo.MessageFlags                      `json:"flags"`
	Choices         []*discordgo.ApplicationCommandOptionChoice `json:"choices"` // autocomplete only
	AllowedMentions *struct {
		Parse       []string `json:"parse"`
		Users       []string `json:"users"`
		Roles       []string `json:"roles"`
		RepliedUser bool     `json:"replied_user"`
	} `json:"allowed_mentions"`
	Reference *struct {
		MessageID string `json:"message_id"`
	} `json:"message_reference"`
	Components []struct {
		Components []struct {
			CustomID string `json:"custom_id"`
		} `json:"components"`
	} `json:"components"`
}

// decode reads a call's body; interaction callbacks nest the message in data.
func decode(t *testing.T, c call) sent {
	t.Helper()
	var s sent
	if strings.HasSuffix(c.Path, "/callback") {
		var cb struct {
			Type discordgo.InteractionResponseType `json:"type"`
			Data json.RawMessage                   `json:"data"`
		}
		if err := json.Unmarshal(c.Body, &cb); err != nil {
			t.Fatalf("decode %s %s: %v", c.Method, c.Path, err)
		}
		if len(cb.Data) > 0 {
			if err := json.Unmarshal(cb.Data, &s); err != nil {
				t.Fatalf("decode %s %s: %v", c.Method, c.Path, err)
			}
		}
		s.Type = cb.Type
		return s
	}
	if err := json.Unmarshal(c.Body, &s); err != nil {
		t.Fatalf("decode %s %s: %v", c.Method, c.Path, err)
	}
	return s
}

// customIDs lists the custom ids of the message's components.
func (s sent) customIDs() []string {
	var ids []string
	for _, row := range s.Components {
		for _, c := range row.Components {
			ids = append(ids, c.CustomID)
		}
	}
	return ids
}

// text joins everything a person reads in the message.
func (s sent) text() string {
	var b bytes.Buffer
	b.WriteString(s.Content)
	for _, e := range s.Embeds {
		fmt.Fprintf(&b, "\n%s\n%s", e.Title, e.Description)
		for _, f := range e.Fields {
			fmt.Fprintf(&b, "\n%s\n%s", f.Name, f.Value)
		}
		if e.Footer != nil {
			fmt.Fprintf(&b, "\n%s", e.Footer.Text)
		}
	}
	return b.String()
}

// checkNoMentions fails unless the message lets no one be pinged.
func checkNoMentions(t *testing.T, s sent) {
	t.Helper()
	am := s.AllowedMentions
	if am == nil || len(am.Parse) != 0 || len(am.Users) != 0 || len(am.Roles) != 0 || am.RepliedUser {
		t.Errorf("allowed_mentions = %+v, want present and allowing no one", am)
	}
}
