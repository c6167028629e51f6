package discord

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/discord/discordtest"
	"github.com/smpbot/bot/knowledge"
)

// replica runs a Bot against d as one of several replicas sharing leases,
// and returns it with the function that stops it and checks that Run
// returned nil.
func replica(t *testing.T, d *discordtest.Server, name string, leases knowledge.Leases, shards int) (*Bot, func()) {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	b, err := New(Config{Token: d.Token, APIURL: d.URL, GuildID: testGuild, Shards: shards,
		Replica: knowledge.Replica{Name: name, Leases: leases, LeaseTTL: time.Second}}, testService(t, log), log)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run of replica %s = %v, want nil", name, err)
		}
	}
	t.Cleanup(stop)
	return b, stop
}

// distinct reports whether open holds each of shards shards once, and
// fails the test when it holds one twice: two replicas on one shard.
func distinct(t *testing.T, shards int) func(open [][2]int) bool {
	return func(open [][2]int) bool {
		var want [][2]int
		for i := range shards {
			want = append(want, [2]int{i, shards})
		}
		got := slices.Clone(open)
		slices.SortFunc(got, func(a, b [2]int) int { return a[0] - b[0] })
		if len(slices.Compact(slices.Clone(got))) < len(got) {
			t.Errorf("open gateway connections %v: a shard is held twice", open)
		}
		return slices.Equal(got, want)
	}
}

// The gateway, shard by shard, is held by one replica at a time under a
// lease, and moves to another when its holder stops.
func TestGatewayLeaseMoves(t *testing.T) {
	for _, shards := range []int{1, 3} {
		t.Run(fmt.Sprintf("%d shards", shards), func(t *testing.T) {
			d := discordtest.New(t)
			leases := knowledge.NewLocalLeases()
			a, stopA := replica(t, d, "a", leases, shards)
			d.WaitShards(t, "replica a holding every shard", distinct(t, shards))
			b, _ := replica(t, d, "b", leases, shards)
			d.WaitCall(t, "PUT", commandsPath(d.AppID, testGuild))
			waitReady(t, a)
			waitReady(t, b) // standing by
			stopA()
			d.WaitShards(t, "replica b holding every shard once a stopped", distinct(t, shards))
			if got := d.Ready(); got != 2*shards {
				t.Errorf("gateway connections made ready: %d, want %d (a's, then b's)", got, 2*shards)
			}
			waitReady(t, b)
		})
	}
}
