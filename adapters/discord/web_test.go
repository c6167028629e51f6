package discord

import (
	"strings"
	"testing"

	"github.com/smpbot/bot/adapters/discord/discordtest"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

func TestKBWebIssuesALoginLink(t *testing.T) {
	logins := knowledge.NewLogins(knowledgetest.NewCredentials(), "https://kb.example.org")
	h := newModeratedHarness(t, newTestKB(t), func(cfg *Config) {
		cfg.ModeratorRoles = []string{modRole}
		cfg.Logins = logins
	})
	h.bot.session.SyncEvents = true
	h.run(t)

	m := h.moderator()
	got := h.kb(t, m, subWeb) // reply checks that it is ephemeral
	i := strings.Index(got, "https://kb.example.org/login/")
	if !strings.Contains(got, knowledge.WebLinkNotice) || i < 0 {
		t.Fatalf("/kb web from a moderator = %q, want the notice and a link", got)
	}
	token := strings.Fields(got[i+len("https://kb.example.org/login/"):])[0]
	s, err := logins.Redeem(t.Context(), token)
	if err != nil || !strings.HasPrefix(s.Moderator, "discord:mod (") {
		t.Errorf("Redeem(the link) = %+v, %v; want a session of the moderator", s, err)
	}
	if strings.Contains(h.logs.String(), token) {
		t.Error("the log holds the link's token")
	}

	outsider := discordtest.Member{ID: h.d.NewID(), Username: "ann", GuildID: testGuild}
	if got := h.kb(t, outsider, subWeb); strings.Contains(got, "/login/") || !strings.Contains(got, knowledge.NotModeratorNotice) {
		t.Errorf("/kb web from a non-moderator = %q, want a refusal and no link", got)
	}
}
