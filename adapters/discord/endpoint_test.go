package discord

import (
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/smpbot/bot/adapters/discord/discordtest"
)

// startEndpoint runs a bot that receives interactions at its endpoint only,
// with moderation of kb when it is not nil, and returns the harness and the
// endpoint's URL.
func startEndpoint(t *testing.T, kb *testKB) (*harness, string) {
	t.Helper()
	h := newModeratedHarness(t, kb, func(c *Config) {
		c.NoGateway = true
		// Port 0: the system chooses a free port, which no other test
		// can take between the choice and the bot's listening.
		c.InteractionsListen = "127.0.0.1:0"
		c.PublicKey = make(ed25519.PublicKey, ed25519.PublicKeySize) // the fake's, below
		c.ModeratorRoles = []string{modRole}
	})
	h.bot.cfg.PublicKey = h.d.PublicKey
	h.run(t)
	// The address the endpoint listens on, as the bot logs it.
	listening := regexp.MustCompile(`serving the interactions endpoint" listen=(\S+)`)
	var m []string
	eventually(t, "the interactions endpoint", func() bool {
		m = listening.FindStringSubmatch(h.logs.String())
		return m != nil
	})
	return h, "http://" + m[1] + InteractionsPath
}

func TestEndpointChecksSignatures(t *testing.T) {
	h, url := startEndpoint(t, nil)
	_, forger, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	ping := []byte(`{"id":"1","application_id":"` + h.d.AppID + `","type":1,"token":"t","version":1}`)
	tests := []struct {
		name       string
		body       []byte
		key        ed25519.PrivateKey
		wantStatus int
		wantBody   string
	}{
		{"ping signed", ping, h.d.PrivateKey(), http.StatusOK, `{"type":1}`},
		{"ping forged", ping, forger, http.StatusUnauthorized, ""},
		{"ping unsigned", ping, nil, http.StatusUnauthorized, ""},
		{"malformed signed", []byte("{not json"), h.d.PrivateKey(), http.StatusBadRequest, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.d.PostSigned(t, url, tt.body, tt.key)
			if got.Status != tt.wantStatus {
				t.Errorf("posting %s: status %d, want %d", tt.name, got.Status, tt.wantStatus)
			}
			if tt.wantBody != "" && strings.TrimSpace(string(got.Body)) != tt.wantBody {
				t.Errorf("posting %s: body %s, want %s", tt.name, got.Body, tt.wantBody)
			}
		})
	}
	// A command with a forged signature is not answered.
	forged := h.d.PostSigned(t, url, []byte(`{"id":"2","application_id":"`+h.d.AppID+`","type":2,"token":"t","data":{"name":"help"}}`), forger)
	if forged.Status != http.StatusUnauthorized {
		t.Errorf("a forged /help: status %d, want 401", forged.Status)
	}
	for _, c := range h.d.Calls() {
		if strings.Contains(c.Path, "/interactions/") || strings.Contains(c.Path, "/webhooks/") {
			t.Errorf("a refused interaction was answered by REST: %s %s", c.Method, c.Path)
		}
	}
}

// Slash commands, autocomplete and buttons are answered in the HTTP
// response; the answer to /ask, deferred, by editing it.
func TestEndpointAnswersInteractions(t *testing.T) {
	h, url := startEndpoint(t, nil)
	m := h.asker()
	help := h.d.PostCommand(t, url, m, cmdHelp)
	if got := h.d.Callback(t, help.ID); got.Type != discordgo.InteractionResponseChannelMessageWithSource || !strings.Contains(embedText(got), "/ask") {
		t.Errorf("/help by the endpoint answered %+v, want the help", got)
	}
	ask := h.d.PostCommand(t, url, m, cmdAsk, discordtest.Option(optQuestion, "how deep should SMP needles go"))
	if got := h.d.Callback(t, ask.ID); got.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Errorf("/ask by the endpoint answered type %d first, want a deferred response", got.Type)
	}
	if got := h.d.Edit(t, ask.ID); len(got.Embeds) == 0 {
		t.Errorf("/ask by the endpoint: the deferred response was edited to %+v, want an answer", got)
	}
	auto := h.d.Post(t, url, m, discordgo.InteractionApplicationCommandAutocomplete, map[string]any{
		"id": "1", "name": cmdAsk, "type": discordgo.ChatApplicationCommand,
		"options": []any{discordtest.Focused(optQuestion, "needle")}})
	if got := h.d.Callback(t, auto.ID); got.Type != discordgo.InteractionApplicationCommandAutocompleteResult || len(got.Choices) == 0 {
		t.Errorf("autocomplete by the endpoint answered %+v, want choices", got)
	}
	press := h.d.Post(t, url, m, discordgo.InteractionMessageComponent, map[string]any{"custom_id": topicsID, "component_type": discordgo.ButtonComponent})
	if got := h.d.Callback(t, press.ID); got.Type != discordgo.InteractionResponseChannelMessageWithSource || len(got.Embeds) == 0 {
		t.Errorf("the topics button by the endpoint answered %+v, want the topics", got)
	}
	for _, id := range []string{help.ID, ask.ID, auto.ID, press.ID} {
		if n := len(discordtest.Matching(h.d.Calls(), "POST", discordtest.CallbackPath(id))); n != 1 {
			t.Errorf("interaction %s got %d responses, want 1", id, n)
		}
	}
}

// embedText is the text of a response's embeds.
func embedText(s discordtest.Sent) string {
	b, _ := json.Marshal(s.Embeds)
	return string(b)
}

// A moderator's form comes in the HTTP response, and its submission saves
// the entry.
func TestEndpointForms(t *testing.T) {
	h, url := startEndpoint(t, newTestKB(t))
	mod := discordtest.Member{ID: h.d.NewID(), Username: "mod", GuildID: testGuild, Roles: []string{modRole}}
	open := h.d.PostCommand(t, url, mod, cmdKB, discordtest.Subcommand(subAdd))
	if cb := h.d.Callback(t, open.ID); cb.Type != discordgo.InteractionResponseModal || cb.CustomID != addModalID {
		t.Fatalf("/kb add by the endpoint answered type %d custom id %q, want the add form", cb.Type, cb.CustomID)
	}
	submit := h.d.PostModalSubmit(t, url, mod, addModalID, map[string]string{
		fieldTitle: "Numbing cream before SMP", fieldQuestions: "can i use numbing cream",
		fieldSources: "Lidocaine facts | https://example.com/lidocaine", fieldBody: "Ask your practitioner first.",
	})
	saved := h.d.Callback(t, submit.ID)
	if saved.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource {
		saved = h.d.Edit(t, submit.ID)
	}
	if got := saved.Text(); !strings.Contains(got, "Saved `numbing-cream-before-smp`") {
		t.Errorf("the add form submitted by the endpoint: reply %q, want it saved", got)
	}
}
