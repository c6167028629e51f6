package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/smpbot/bot/adapters/discord/discordtest"
	"github.com/smpbot/bot/adapters/telegram/telegramtest"
)

// TestFeedbackQuestionsReachTheCommandLine runs the bot on both fake
// platforms: a Telegram member and a Discord member each press 👎 under an
// answer, and `bot kb feedback` then lists both questions, and nothing
// about who asked.
func TestFeedbackQuestionsReachTheCommandLine(t *testing.T) {
	const (
		guild      = "100000000000000001"
		telegramQ  = "how deep should the pigment go?"
		discordQ   = "how deep should SMP pigment be placed"
		memberName = "Sam"
	)
	d := discordtest.New(t)
	tg := telegramtest.New(t)
	dir := t.TempDir()
	getenv := envOf(map[string]string{
		"DISCORD_TOKEN": d.Token, "DISCORD_API_URL": d.URL, "DISCORD_GUILD_ID": guild,
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_URL": tg.URL(),
		envDataDir: dir, envHTTPAddr: "off", envLogFormat: "json",
	})
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := newLines(t), newLines(t)
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, getenv, strings.NewReader(""), stdout.w, stderr.w) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run after cancel = %v, want nil", err)
		}
		stdout.close()
		stderr.close()
		if t.Failed() {
			t.Logf("the bot logged:\n%s", stderr.String())
		}
	}
	t.Cleanup(stop)
	d.WaitReady(t, 1)

	// Telegram: the 👎 under the answer to a /ask.
	member := telegramtest.User{ID: 777, Name: memberName}
	upd, _ := tg.Message(member, telegramtest.Private(member), "/ask "+telegramQ, nil)
	tg.Push(upd)
	var answer telegramtest.Message
	tg.Wait("an answer with a 👎 button", func() bool {
		i := slices.IndexFunc(tg.Sent(), func(m telegramtest.Message) bool { return m.ButtonData("👎 Not helpful") != "" })
		if i >= 0 {
			answer = tg.Sent()[i]
		}
		return i >= 0
	})
	tg.Push(tg.TapOn("tap-1", member, answer.ID, answer.ButtonData("👎 Not helpful")))
	tg.WaitFor("the 👎 to be answered", func(reqs []telegramtest.Request) bool {
		return slices.ContainsFunc(telegramtest.Calls(reqs, "answerCallbackQuery"), func(r telegramtest.Request) bool { return r.Form.Get("callback_query_id") == "tap-1" })
	})

	// Discord: the 👎 under the answer to /ask.
	asker := discordtest.Member{ID: d.NewID(), Username: memberName, GuildID: guild}
	id := d.Command(t, asker, "ask", discordtest.Option("question", discordQ))
	msgs := []discordtest.Sent{d.Edit(t, id)}
	for len(msgs[len(msgs)-1].Components) == 0 {
		msgs = append(msgs[:1], d.Followups(t, id, len(msgs))...)
	}
	last := msgs[len(msgs)-1]
	var down string
	for _, cid := range last.CustomIDs() {
		if strings.HasPrefix(cid, "feedback:") && strings.HasSuffix(cid, ":no") {
			down = cid
		}
	}
	if down == "" {
		t.Fatalf("Discord answer to %q has no 👎 button: %v", discordQ, last.CustomIDs())
	}
	d.Callback(t, d.Press(t, asker, last, down))
	stop()

	out, _, err := runBot(t, "", withData(dir, []string{"kb", "feedback"})...)
	if err != nil {
		t.Fatalf("bot kb feedback: %v", err)
	}
	for _, want := range []string{telegramQ, discordQ} {
		if !strings.Contains(out, want) {
			t.Errorf("bot kb feedback printed\n%s\nwant the question %q", out, want)
		}
	}
	for _, who := range []string{memberName, "777", asker.ID} {
		if strings.Contains(out, who) {
			t.Errorf("bot kb feedback printed\n%s\nwhich names the asker (%q)", out, who)
		}
	}
}
