package discord

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/smpbot/bot/adapters/discord/discordtest"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// The seed corpus is the test knowledge base (added here) and the inputs
// under testdata/fuzz. Run it with, for example:
//
//	go test -run='^$' -fuzz='^FuzzRenderAnswer$' -fuzztime=30s ./adapters/discord

// FuzzRenderAnswer renders answers of any shape, built from arbitrary
// titles, bodies, sources and questions, and sends them through the real
// client as a reply to a message and as an interaction response: every
// message must keep within Discord's limits and let no one be pinged.
func FuzzRenderAnswer(f *testing.F) {
	for _, e := range testBase(f).Entries() {
		src := ""
		if len(e.Sources) > 0 {
			src = e.Sources[0].URL
		}
		f.Add(e.Title, e.Body, "how deep should the pigment go", e.ID, src, uint8(1), uint8(2), uint8(3), uint8(3), uint8(2), uint8(1))
	}
	b, err := New(Config{Token: "fuzz-token"}, testService(f, nil), nil)
	if err != nil {
		f.Fatal(err)
	}
	rec := &recorder{}
	b.session.Client = &http.Client{Transport: rec}
	ctx := context.Background()
	asked := &discordgo.Message{ID: "3", ChannelID: "2"}
	interaction := &discordgo.Interaction{ID: "4", AppID: "5", Token: "itoken"}
	f.Fuzz(func(t *testing.T, title, body, question, sourceTitle, sourceURL string, repeat, matches, steps, related, sources, flags uint8) {
		a := knowledgetest.Answer(knowledgetest.Shape{
			Title: title, Body: body, SourceTitle: sourceTitle, SourceURL: sourceURL, Repeat: int(repeat),
			Question: question,
			Matches:  int(matches % 8), Steps: int(steps % 32), Related: int(related % 8), Sources: int(sources % 32),
			Answered: flags&1 != 0, Urgent: flags&2 != 0, Truncated: flags&4 != 0,
		})
		checkLimits(t, renderShort(a, a.Question))
		msgs := renderAnswer(a, a.Question)
		checkLimits(t, msgs)
		b.replyTo(ctx, b.session, asked, msgs)
		b.respond(ctx, b.session, interaction, msgs, flags&8 != 0, flags&16 != 0)
		calls := rec.take()
		if len(calls) != 2*len(msgs) {
			t.Fatalf("%d messages rendered, sent %d requests, want %d", len(msgs), len(calls), 2*len(msgs))
		}
		for _, c := range calls {
			if s := discordtest.Decode(t, c); !s.MentionsNobody() {
				t.Errorf("%s %s: allowed_mentions = %+v, want present and allowing no one", c.Method, c.Path, s.AllowedMentions)
			}
		}
	})
}

// recorder is an http.RoundTripper standing in for Discord's REST API: it
// keeps every request and answers with a message.
type recorder struct {
	mu    sync.Mutex
	calls []discordtest.Call
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.calls = append(r.calls, discordtest.Call{Method: req.Method, Path: req.URL.Path, Body: body, Status: http.StatusOK})
	r.mu.Unlock()
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(`{"id":"6","channel_id":"2"}`)),
		Request:    req,
	}, nil
}

// take returns the requests made since the last take.
func (r *recorder) take() []discordtest.Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	calls := r.calls
	r.calls = nil
	return calls
}
