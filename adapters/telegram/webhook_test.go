package telegram

import (
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/telegram/telegramtest"
)

func TestWebhook(t *testing.T) {
	const secret = "s3cret_-XYZ"
	h := start(t, options{config: func(c *Config) {
		c.WebhookURL = "https://bot.example.com/hooks/telegram"
		c.WebhookListen = "127.0.0.1:0"
		c.WebhookSecret = secret
	}})
	listen := h.webhookAddr()
	reqs := h.f.Requests()
	set := telegramtest.Calls(reqs, "setWebhook")[0].Form
	if set.Get("url") != "https://bot.example.com/hooks/telegram" || set.Get("secret_token") != secret ||
		set.Get("allowed_updates") != `["message","callback_query","inline_query"]` {
		t.Errorf("setWebhook(%v), want the URL, the secret and the update kinds", set)
	}
	if n := len(telegramtest.Calls(reqs, "getUpdates")) + len(telegramtest.Calls(reqs, "deleteWebhook")); n != 0 {
		t.Errorf("webhook mode made %d polling calls, want none", n)
	}

	hookURL := "http://" + listen + "/hooks/telegram"
	tests := []struct {
		name       string
		method     string
		url        string
		secret     string
		body       string
		wantStatus int
		wantReply  bool
	}{
		{"no secret", "POST", hookURL, "", "question", http.StatusUnauthorized, false},
		{"wrong secret", "POST", hookURL, secret + "x", "question", http.StatusUnauthorized, false},
		{"wrong path", "POST", "http://" + listen + "/", secret, "question", http.StatusNotFound, false},
		{"GET", "GET", hookURL, secret, "", http.StatusMethodNotAllowed, false},
		{"malformed update", "POST", hookURL, secret, "{not json", http.StatusOK, false},
		{"with the secret", "POST", hookURL, secret, "question", http.StatusOK, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(h.f.Sent())
			body, qid := tt.body, 0
			if body == "question" {
				var u string
				u, qid = h.f.Message(ann, annChat, depthQuestion, nil)
				body = strings.ReplaceAll(u, "%d", "1")
			}
			req, err := http.NewRequest(tt.method, tt.url, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			if tt.secret != "" {
				req.Header.Set(secretHeader, tt.secret)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("%s %s with secret %q: status %d, want %d", tt.method, tt.url, tt.secret, resp.StatusCode, tt.wantStatus)
			}
			h.waitIdle()
			sent := h.f.Sent()[before:]
			replied := slices.ContainsFunc(sent, func(m telegramtest.Message) bool { return m.ReplyTo == qid && qid != 0 })
			if replied != tt.wantReply || len(sent) > 1 {
				t.Errorf("%s: sent %d message(s) (reply to the question: %v), want a reply: %v", tt.name, len(sent), replied, tt.wantReply)
			}
		})
	}
}

// TestWebhookCutsOffSlowClients checks that the webhook server closes the
// connection of a client that stalls, or that was refused, so that such
// clients cannot pile up.
func TestWebhookCutsOffSlowClients(t *testing.T) {
	h := start(t, options{config: func(c *Config) {
		c.WebhookURL, c.WebhookListen, c.WebhookSecret = "https://bot.example.com/hook", "127.0.0.1:0", "s3cret"
	}})
	listen := h.webhookAddr()
	tests := []struct{ name, sent string }{
		{"body shorter than declared", "POST /hook HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: s3cret\r\nContent-Length: 100000\r\n\r\n0123456789"},
		{"headers never finished", "POST /hook HTTP/1.1\r\nHost: x\r\n"},
		{"idle after a refusal", "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"},
		{"idle after an update", "POST /hook HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: s3cret\r\nContent-Length: 16\r\n\r\n{\"update_id\": 1}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", listen)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, tt.sent); err != nil {
				t.Fatal(err)
			}
			// Only keeps a broken server from hanging the test.
			conn.SetReadDeadline(time.Now().Add(telegramtest.WaitLimit))
			if _, err := io.ReadAll(conn); err != nil {
				t.Errorf("after sending %q and stalling: %v, want the server to close the connection", tt.sent, err)
			}
		})
	}
}
