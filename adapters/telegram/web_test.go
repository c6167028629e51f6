package telegram

import (
	"strings"
	"testing"

	"github.com/smpbot/bot/adapters/telegram/telegramtest"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

func TestKBWebIssuesALoginLink(t *testing.T) {
	logins := knowledge.NewLogins(knowledgetest.NewCredentials(), "https://kb.example.org")
	h := start(t, options{moderators: []int64{mo.ID}, config: func(c *Config) { c.Logins = logins }})

	msg := only(t, h.say(mo, "/kb web"))
	if !strings.Contains(msg.Text, knowledge.WebLinkNotice) || !strings.Contains(msg.Text, "https://kb.example.org/login/") {
		t.Fatalf("/kb web from a moderator = %q, want the notice and a link", msg.Text)
	}
	token := msg.Text[strings.Index(msg.Text, "/login/")+len("/login/"):]
	s, err := logins.Redeem(t.Context(), strings.TrimSpace(token))
	if err != nil || s.Moderator != "telegram:77 @mo" {
		t.Errorf("Redeem(the link) = %+v, %v; want a session of telegram:77 @mo", s, err)
	}
	if strings.Contains(strings.Join(h.logs.all(), "\n"), strings.TrimSpace(token)) {
		t.Error("the log holds the link's token")
	}

	// Anyone else is refused, and a group is no place for a link.
	if msg := only(t, h.say(ann, "/kb web")); strings.Contains(msg.Text, "/login/") || !strings.Contains(msg.Text, knowledge.NotModeratorNotice) {
		t.Errorf("/kb web from a non-moderator = %q, want a refusal and no link", msg.Text)
	}
	group := telegramtest.Chat{ID: -100, Type: "supergroup"}
	before := h.f.SentCount()
	id, _ := h.f.Ask(mo, group, "/kb web")
	if sent := telegramtest.Delivered(t, h.waitHandled(id))[before:]; len(sent) != 1 || strings.Contains(sent[0].Text, "/login/") {
		t.Errorf("/kb web in a group sent %q, want a pointer to the private chat and no link", texts(sent))
	}
}

func TestKBWebWhenTheConsoleIsOff(t *testing.T) {
	h := start(t, options{moderators: []int64{mo.ID}})
	if msg := only(t, h.say(mo, "/kb web")); !strings.Contains(msg.Text, "not turned on") {
		t.Errorf("/kb web with the console off = %q, want %q", msg.Text, knowledge.WebOffNotice)
	}
}
