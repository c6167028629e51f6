package discordtest

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Posted is what an interactions endpoint answered to an interaction.
type Posted struct {
	// ID is the interaction's id; its token is Token(ID).
	ID     string
	Status int
	Body   []byte
}

// Post posts an interaction of type typ from m with data to the
// interactions endpoint at url, signed as Discord signs it, and returns
// the answer. An answer with status 200 is recorded as the interaction's
// callback (see Callback), as if the bot had made it by REST.
func (s *Server) Post(t testing.TB, url string, m Member, typ discordgo.InteractionType, data map[string]any) Posted {
	t.Helper()
	id, i := s.interaction(m, typ, data, nil)
	body, err := json.Marshal(i)
	if err != nil {
		t.Fatal(err)
	}
	p := s.PostSigned(t, url, body, s.private)
	p.ID = id
	if p.Status == http.StatusOK {
		s.mu.Lock()
		s.calls = append(s.calls, Call{Method: "POST", Path: CallbackPath(id), Body: p.Body, Status: p.Status, Time: time.Now()})
		s.changedLocked()
		s.mu.Unlock()
	}
	return p
}

// PostCommand posts a slash command with options (see Post).
func (s *Server) PostCommand(t testing.TB, url string, m Member, name string, options ...map[string]any) Posted {
	t.Helper()
	return s.Post(t, url, m, discordgo.InteractionApplicationCommand, commandData(name, options))
}

// PostModalSubmit posts the submission of a modal with the values of its
// text inputs, by custom id (see Post).
func (s *Server) PostModalSubmit(t testing.TB, url string, m Member, customID string, fields map[string]string) Posted {
	t.Helper()
	return s.Post(t, url, m, discordgo.InteractionModalSubmit, modalData(customID, fields))
}

// PostSigned posts body to url signed with key, as Discord signs an
// interaction with the application's key; another key makes a forgery.
// A nil key sends the body unsigned.
func (s *Server) PostSigned(t testing.TB, url string, body []byte, key ed25519.PrivateKey) Posted {
	t.Helper()
	req, err := http.NewRequest("POST", url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != nil {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req.Header.Set("X-Signature-Timestamp", ts)
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), body...))))
	}
	resp, err := (&http.Client{Timeout: WaitTimeout}).Do(req)
	if err != nil {
		t.Fatalf("posting an interaction to %s: %v", url, err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the answer of %s: %v", url, err)
	}
	return Posted{Status: resp.StatusCode, Body: got}
}

// PrivateKey returns the private half of s.PublicKey, for a test that signs
// a request of its own with PostSigned.
func (s *Server) PrivateKey() ed25519.PrivateKey { return s.private }
