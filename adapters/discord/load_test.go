package discord

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/smpbot/bot/adapters/discord/discordtest"
	"github.com/smpbot/bot/knowledge"
)

// TestBurst sends a burst of /ask interactions from many members through
// the fake gateway as fast as it can, and checks that every one got exactly
// one response: an answer, or the rate-limit notice for those over their
// limit.
func TestBurst(t *testing.T) {
	t.Parallel()
	const users, perUser, burst = 100, 5, 3
	h := start(t, func(cfg *Config) { cfg.RateBurst, cfg.RateEvery = burst, 1<<62 })
	questions := []string{"what is smp", "how deep should the needle go", "is my scalp infected", "how do i check smp reviews", "quantum chromodynamics bananas"}
	members := make([]discordtest.Member, users)
	for u := range members {
		members[u] = h.asker()
	}
	type asked struct {
		id   string
		user int
		at   time.Time
	}
	var all []asked
	begin := time.Now()
	for round := range perUser {
		for u, m := range members {
			at := time.Now()
			id := h.d.Interact(t, m, discordgo.InteractionApplicationCommand, askData(questions[(u+round)%len(questions)], false))
			all = append(all, asked{id, u, at})
		}
	}
	h.d.Wait(t, "a response to every interaction", func(calls []discordtest.Call) bool {
		callbacks, edits := 0, 0
		for _, c := range calls {
			switch {
			case !c.OK():
			case c.Method == "POST" && strings.HasSuffix(c.Path, "/callback"):
				callbacks++
			case c.Method == "PATCH" && strings.HasSuffix(c.Path, "/@original"):
				edits++
			}
		}
		return callbacks >= len(all) && edits >= users*burst
	})
	elapsed := time.Since(begin)

	byPath := map[string][]discordtest.Call{}
	for _, c := range h.d.Calls() {
		if c.OK() {
			byPath[c.Method+" "+c.Path] = append(byPath[c.Method+" "+c.Path], c)
		}
	}
	limited := make([]int, users)
	var latencies []time.Duration
	for _, a := range all {
		cbs := byPath["POST "+discordtest.CallbackPath(a.id)]
		if len(cbs) != 1 {
			t.Errorf("interaction %s got %d responses, want 1", a.id, len(cbs))
			continue
		}
		cb := discordtest.Decode(t, cbs[0])
		done := cbs[0].Time
		switch {
		case cb.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource:
			edits := byPath["PATCH "+discordtest.WebhookPath(h.d.AppID, a.id)+"/messages/@original"]
			if len(edits) != 1 {
				t.Errorf("interaction %s was answered %d times, want once", a.id, len(edits))
				continue
			}
			done = edits[0].Time
		case cb.Content == knowledge.RateLimitNotice:
			limited[a.user]++
		default:
			t.Errorf("interaction %s got %+v, want an answer or the rate-limit notice", a.id, cb)
		}
		latencies = append(latencies, done.Sub(a.at))
	}
	for u, n := range limited {
		if n != perUser-burst {
			t.Errorf("member %d was refused %d of %d questions, want %d", u, n, perUser, perUser-burst)
		}
	}
	if rl, errs := h.metrics.counts(); rl != users*(perUser-burst) || errs != 0 {
		t.Errorf("metrics: %d rate limited and %d errors, want %d and 0", rl, errs, users*(perUser-burst))
	}
	slices.Sort(latencies)
	t.Logf("%d interactions from %d members in %v: %.0f/s; latency p50 %v, p99 %v, max %v",
		len(all), users, elapsed.Round(time.Millisecond), float64(len(all))/elapsed.Seconds(),
		latencies[len(latencies)/2], latencies[len(latencies)*99/100], latencies[len(latencies)-1])
}

// BenchmarkAsk measures one /ask through the adapter: the gateway event,
// the deferred response, the search and the edited answer.
func BenchmarkAsk(b *testing.B) {
	h := start(b, func(cfg *Config) { cfg.RateBurst = 1 << 30 })
	m := h.asker()
	for b.Loop() {
		h.d.Edit(b, h.d.Interact(b, m, discordgo.InteractionApplicationCommand, askData("how deep should the needle go", false)))
	}
}
