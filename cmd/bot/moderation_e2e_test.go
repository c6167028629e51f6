package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/smpbot/bot/adapters/discord/discordtest"
	"github.com/smpbot/bot/adapters/telegram/telegramtest"
)

// TestModeratorInDiscordAnswersInTelegram runs the bot on both fake
// platforms over one data directory: a moderator adds an entry with Discord's
// /kb add form, and a Telegram member asking about it gets it as the answer.
func TestModeratorInDiscordAnswersInTelegram(t *testing.T) {
	const (
		guild = "100000000000000001"
		role  = "100000000000000002"
		title = "Flying after an SMP session"
	)
	d := discordtest.New(t)
	tg := telegramtest.New(t)
	getenv := envOf(map[string]string{
		"DISCORD_TOKEN": d.Token, "DISCORD_API_URL": d.URL, "DISCORD_GUILD_ID": guild, "DISCORD_MODERATOR_ROLES": role,
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_URL": tg.URL(),
		envDataDir: t.TempDir(), envHTTPAddr: "off", envLogFormat: "json",
	})
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := newLines(t), newLines(t)
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, getenv, strings.NewReader(""), stdout.w, stderr.w) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run after cancel = %v, want nil", err)
		}
		stdout.close()
		stderr.close()
		if t.Failed() {
			t.Logf("the bot logged:\n%s", stderr.String())
		}
	})
	d.WaitReady(t, 1)

	mod := discordtest.Member{ID: d.NewID(), Username: "mod", GuildID: guild, Roles: []string{role}}
	if cb := d.Callback(t, d.Command(t, mod, "kb", discordtest.Subcommand("add"))); cb.Type != discordgo.InteractionResponseModal {
		t.Fatalf("/kb add answered with response type %d, want the add form", cb.Type)
	}
	submit := d.ModalSubmit(t, mod, "kb:add", map[string]string{
		"title":     title,
		"questions": "can i fly after smp\nplane the day after my smp session",
		"sources":   "Cleveland Clinic: SMP | https://my.clevelandclinic.org/health/treatments/22719-scalp-micropigmentation",
		"body":      "Ask your practitioner about travel plans before you book your session.",
	})
	saved := d.Callback(t, submit)
	if saved.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource {
		saved = d.Edit(t, submit)
	}
	if text := saved.Text(); !strings.Contains(text, "Saved") {
		t.Fatalf("/kb add form reply = %q, want it saved", text)
	}

	// The change reaches the answering service through the data directory's
	// watcher, so the first questions may come before it does (indexing
	// takes seconds under the race detector on a busy machine); each is
	// someone else's, so that the per-user limit never silences the asking.
	deadline := time.Now().Add(time.Minute)
	for try := 1; ; try++ {
		member := telegramtest.User{ID: int64(776 + try), Name: "Sam"}
		tg.Ask(member, telegramtest.Private(member), "can i fly on a plane the day after my smp")
		sent := tg.WaitSent(try)
		if got := sent[len(sent)-1].Text; strings.Contains(got, title) {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("Telegram answers after %d tries:\n%s\nwant the entry added in Discord", try, got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
