package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/discord/discordtest"
	"github.com/smpbot/bot/adapters/jetstream"
	"github.com/smpbot/bot/adapters/jetstream/jetstreamtest"
	"github.com/smpbot/bot/adapters/telegram/telegramtest"
)

// runReplica runs `bot run` as one of several replicas sharing the NATS
// server at url, with the Telegram webhook and the Discord interactions
// endpoint, and waits until it is ready. It returns its webhook and its
// endpoint, as a replicaBot, and its health base URL.
func runReplica(t *testing.T, name, url string, tg *telegramtest.Server, dc *discordtest.Server, guild, modRole string) (*replicaBot, string) {
	t.Helper()
	hook, interactions := freeAddr(t), freeAddr(t)
	vars := map[string]string{
		jetstream.EnvURL: url, envHTTPAddr: "127.0.0.1:0", envLogFormat: "json", envLogLevel: "info",
		envLeaseTTL:      replicaTTL.String(),
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_URL": tg.URL(),
		"TELEGRAM_WEBHOOK_URL": "https://bot.example.com/hook", "TELEGRAM_WEBHOOK_LISTEN": hook, "TELEGRAM_WEBHOOK_SECRET": webhookSecret,
		"DISCORD_TOKEN": dc.Token, "DISCORD_API_URL": dc.URL, "DISCORD_GUILD_ID": guild, "DISCORD_MODERATOR_ROLES": modRole,
		"DISCORD_PUBLIC_KEY": hex.EncodeToString(dc.PublicKey), "DISCORD_INTERACTIONS_LISTEN": interactions,
	}
	r := &replicaBot{name: name, hook: "http://" + hook + "/hook", interactions: "http://" + interactions + "/interactions"}
	stdout, stderr := newLines(t), newLines(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, envOf(vars), strings.NewReader(""), stdout.w, stderr.w) }()
	stopped := false
	r.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run of replica %s = %v, want nil", name, err)
		}
		stdout.close()
		stderr.close()
		if t.Failed() {
			t.Logf("replica %s logged:\n%s", name, stderr.String())
		}
	}
	t.Cleanup(r.stop)
	line := stderr.waitFor(t, `"msg":"serving health and metrics"`)
	_, rest, _ := strings.Cut(line, `"addr":"`)
	addr, _, _ := strings.Cut(rest, `"`)
	health := "http://" + addr
	eventually(t, "replica "+name+" ready", func() bool {
		resp, err := http.Get(health + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return r, health
}

// Three `bot run` replicas on one NATS server, as an operator runs them:
// an update Telegram posts to two of them is answered once, and a
// moderator's change made through one replica's Discord form answers on the
// other two.
func TestThreeRunReplicas(t *testing.T) {
	const (
		guild   = "100000000000000009"
		modRole = "300000000000000001"
	)
	srv := jetstreamtest.Start(t)
	tg, dc := telegramtest.New(t), discordtest.New(t)
	var bots []*replicaBot
	var healths []string
	for i := range 3 {
		r, h := runReplica(t, fmt.Sprintf("r%d", i+1), srv.URL(), tg, dc, guild, modRole)
		bots, healths = append(bots, r), append(healths, h)
	}

	u, qid := tg.Message(asker, askerChat, "why are my smp dots blurry", nil)
	update := strings.ReplaceAll(u, "%d", "700")
	post(t, bots[0], update)
	post(t, bots[1], update)
	eventually(t, "the update answered", func() bool { return replyCounts(tg)[qid] > 0 })
	eventually(t, "a duplicate counted", func() bool {
		for _, h := range healths {
			_, body := httpGet(t, h+"/metrics")
			if strings.Contains(body, `smpbot_duplicates_dropped_total{platform="telegram"} 1`) {
				return true
			}
		}
		return false
	})
	if got := replyCounts(tg)[qid]; got != 1 {
		t.Errorf("an update posted to two replicas got %d replies, want 1", got)
	}

	mod := discordtest.Member{ID: dc.NewID(), Username: "mod", GuildID: guild, Roles: []string{modRole}}
	submit := dc.PostModalSubmit(t, bots[0].interactions, mod, "kb:add", map[string]string{
		"title": "Zebrafish pigment", "questions": "what is zebrafish pigment",
		"sources": "Cleveland Clinic: SMP | https://my.clevelandclinic.org/health/treatments/22719-scalp-micropigmentation",
		"body":    "Zebrafish pigment answers here, from the shared knowledge base.",
	})
	saved := dc.Callback(t, submit.ID)
	if saved.Type == 5 { // deferred, then edited
		saved = dc.Edit(t, submit.ID)
	}
	if !strings.Contains(saved.Text(), "Saved") {
		t.Fatalf("the moderator's form on r1: reply %q, want it saved", saved.Text())
	}
	next := 800
	for _, r := range bots[1:] {
		eventually(t, "replica "+r.name+" answering from the change made on r1", func() bool {
			next++
			from := telegramtest.User{ID: int64(next), Name: "Asker"} // a new asker each time, within the rate limit
			u, qid := tg.Message(from, telegramtest.Private(from), "what is zebrafish pigment", nil)
			post(t, r, strings.ReplaceAll(u, "%d", strconv.Itoa(next)))
			var text string
			eventually(t, "an answer from "+r.name, func() bool {
				for _, m := range tg.Sent() {
					if m.ReplyTo == qid {
						text = m.Text
						return true
					}
				}
				return false
			})
			if strings.Contains(text, "Zebrafish pigment answers here") {
				return true
			}
			time.Sleep(100 * time.Millisecond)
			return false
		})
	}
}
