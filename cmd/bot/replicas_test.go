package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"

	"github.com/smpbot/bot/adapters/discord"
	"github.com/smpbot/bot/adapters/discord/discordtest"
	"github.com/smpbot/bot/adapters/jetstream"
	"github.com/smpbot/bot/adapters/jetstream/jetstreamtest"
	"github.com/smpbot/bot/adapters/telegram"
	"github.com/smpbot/bot/adapters/telegram/telegramtest"
	"github.com/smpbot/bot/index/indextest"
	"github.com/smpbot/bot/knowledge"
)

// replicaWait bounds each wait of the replica tests; nothing is timed.
const replicaWait = time.Minute

// The replica tests run three bots, each with its Telegram and Discord
// adapters, sharing leases and claims on one real NATS server, against the
// fake Telegram and the fake Discord.
const (
	replicaTTL    = 2 * time.Second
	webhookSecret = "s3cret"
)

// shared returns the leases and claims of the server at url, on a
// connection of their own, as a replica has them.
func shared(t testing.TB, url string) (*jetstream.Leases, *jetstream.Claims) {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := natsjs.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	leases, err := jetstream.NewLeases(t.Context(), js, "SMPBOT_LEASES", 1)
	if err != nil {
		t.Fatal(err)
	}
	claims, err := jetstream.NewClaims(t.Context(), js, "SMPBOT_CLAIMS", 1, knowledge.DefaultClaimTTL)
	if err != nil {
		t.Fatal(err)
	}
	return leases, claims
}

// freeAddr returns a loopback address nothing listens on (see
// jetstreamtest.FreePorts).
func freeAddr(t testing.TB) string {
	t.Helper()
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(jetstreamtest.FreePorts(t, 1)[0]))
}

// replicaBot is one of the bots: its endpoints, its adapters, and how to
// stop it.
type replicaBot struct {
	name               string
	hook, interactions string // URLs of its Telegram webhook and Discord endpoint
	tg                 *telegram.Bot
	dc                 *discord.Bot
	dups               *dropCounter
	stop               func()
}

// dropCounter counts what a replica's adapters tell knowledge.ReplicaMetrics.
type dropCounter struct {
	mu      sync.Mutex
	dropped int
	held    map[string]bool
}

func newDropCounter() *dropCounter { return &dropCounter{held: map[string]bool{}} }

func (d *dropCounter) LeaseHeld(lease string, held bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.held[lease] = held
}

func (d *dropCounter) DuplicateDropped(string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.dropped++
}

func (d *dropCounter) counts() (dropped int, held []string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for l, h := range d.held {
		if h {
			held = append(held, l)
		}
	}
	return d.dropped, held
}

// replicas is a NATS server, the fake platforms and the bots running
// against them.
type replicas struct {
	t    testing.TB
	url  string
	tg   *telegramtest.Server
	dc   *discordtest.Server
	bots []*replicaBot
}

func newReplicas(t testing.TB) *replicas {
	return &replicas{t: t, url: jetstreamtest.Start(t).URL(), tg: telegramtest.New(t), dc: discordtest.New(t)}
}

// start runs one more bot, receiving Telegram's updates by webhook or, with
// polling, by long polling, and waits until both its adapters are ready.
func (rs *replicas) start(name string, polling bool) *replicaBot {
	t := rs.t
	t.Helper()
	leases, claims := shared(t, rs.url)
	r := &replicaBot{name: name, dups: newDropCounter()}
	replica := knowledge.Replica{Name: name, Leases: leases, Claims: claims, LeaseTTL: replicaTTL, Metrics: r.dups}
	svc := indextest.Guide(t)
	log := slog.New(slog.DiscardHandler)

	// Telegram's pace (30 messages a second a bot) lifted: these measure
	// the replicas, not the pace.
	tc := telegram.Config{Token: telegramtest.Token, APIURL: rs.tg.URL(), PollTimeout: time.Second,
		ChatInterval: time.Nanosecond, GroupInterval: time.Nanosecond, SendRate: 10000, Replica: replica}
	if !polling {
		hook := freeAddr(t)
		tc.WebhookURL, tc.WebhookListen, tc.WebhookSecret = "https://bot.example.com/hook", hook, webhookSecret
		r.hook = "http://" + hook + "/hook"
	}
	interactions := freeAddr(t)
	r.interactions = "http://" + interactions + discord.InteractionsPath
	dcfg := discord.Config{Token: rs.dc.Token, APIURL: rs.dc.URL, PublicKey: rs.dc.PublicKey, InteractionsListen: interactions, Replica: replica}
	var err error
	if r.tg, err = telegram.New(tc, svc, log); err != nil {
		t.Fatal(err)
	}
	if r.dc, err = discord.New(dcfg, svc, log); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 2)
	go func() { done <- r.tg.Run(ctx) }()
	go func() { done <- r.dc.Run(ctx) }()
	stopped := false
	r.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		for range 2 {
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("replica %s: Run = %v, want nil", name, err)
				}
			case <-time.After(replicaWait):
				t.Errorf("replica %s still running %v after it was stopped", name, replicaWait)
				return
			}
		}
	}
	t.Cleanup(r.stop)
	eventually(t, "replica "+name+" ready", func() bool { return r.tg.Ready() && r.dc.Ready() })
	rs.bots = append(rs.bots, r)
	return r
}

// pending returns the Telegram updates taken and not yet handled.
func (rs *replicas) pending() []knowledge.Claim {
	t := rs.t
	t.Helper()
	_, claims := shared(t, rs.url)
	p, err := claims.Pending(t.Context(), "telegram.")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// eventually waits until cond holds, checking every 20 ms, and fails the
// test after replicaWait.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(replicaWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %v waiting for %s", replicaWait, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// replyCounts counts the fake Telegram's replies, by the message replied to.
func replyCounts(tg *telegramtest.Server) map[int]int {
	n := map[int]int{}
	for _, m := range tg.Sent() {
		n[m.ReplyTo]++
	}
	return n
}

// answeredOnce waits until every message in asked has a reply and no update
// is pending, then checks that each got exactly one. With nothing pending,
// no replica will reply again.
func (rs *replicas) answeredOnce(asked []int) {
	t := rs.t
	t.Helper()
	eventually(t, "every update answered and done", func() bool {
		n := replyCounts(rs.tg)
		for _, q := range asked {
			if n[q] == 0 {
				return false
			}
		}
		return len(rs.pending()) == 0
	})
	n := replyCounts(rs.tg)
	for _, q := range asked {
		if n[q] != 1 {
			t.Errorf("Telegram message %d got %d replies, want 1", q, n[q])
		}
	}
}

// post posts a Telegram update to a bot's webhook and checks that it is
// acknowledged.
func post(t testing.TB, r *replicaBot, update string) {
	t.Helper()
	req, err := http.NewRequest("POST", r.hook, strings.NewReader(update))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", webhookSecret)
	resp, err := (&http.Client{Timeout: replicaWait}).Do(req)
	if err != nil {
		t.Fatalf("posting to replica %s: %v", r.name, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("posting to replica %s: status %d, want 200", r.name, resp.StatusCode)
	}
}

var (
	asker     = telegramtest.User{ID: 21, Name: "Asker"}
	askerChat = telegramtest.Private(asker)
)

// gatewayHolder waits until exactly one bot holds the Discord gateway, and
// returns it.
func (rs *replicas) gatewayHolder() *replicaBot {
	var holder *replicaBot
	eventually(rs.t, "one replica holding the gateway", func() bool {
		holder = nil
		n := 0
		for _, r := range rs.bots {
			_, held := r.dups.counts()
			for _, l := range held {
				if strings.HasPrefix(l, "discord.") {
					holder = r
					n++
				}
			}
		}
		return n == 1
	})
	return holder
}

// Three replicas behind a load balancer: Telegram updates posted by webhook
// round-robin, each sent again to the next replica, are answered once;
// Discord interactions posted to every replica are answered there; the
// gateway lease moves when its holder stops; and a replica stopped with a
// reply cut off loses nothing.
func TestThreeReplicas(t *testing.T) {
	rs := newReplicas(t)
	for i := range 3 {
		rs.start(fmt.Sprintf("r%d", i+1), false)
	}

	const updates = 30
	questions := []string{"why are my smp dots blurry", "how deep should the needle go", "what is smp", "is smp safe"}
	var asked []int
	for i := range updates {
		from := telegramtest.User{ID: int64(100 + i%10), Name: "Asker"} // ten askers, within their rate limit
		u, qid := rs.tg.Message(from, telegramtest.Private(from), questions[i%len(questions)], nil)
		update := strings.ReplaceAll(u, "%d", strconv.Itoa(1000+i))
		post(t, rs.bots[i%3], update)
		post(t, rs.bots[(i+1)%3], update) // Telegram sending it again
		asked = append(asked, qid)
	}
	rs.answeredOnce(asked)
	dropped := 0
	for _, r := range rs.bots {
		n, _ := r.dups.counts()
		dropped += n
	}
	if dropped != updates {
		t.Errorf("the replicas dropped %d duplicates, want %d", dropped, updates)
	}

	member := discordtest.Member{ID: rs.dc.NewID(), Username: "asker", GuildID: "100000000000000009"}
	for _, r := range rs.bots {
		p := rs.dc.PostCommand(t, r.interactions, member, "help")
		if p.Status != http.StatusOK || !strings.Contains(rs.dc.Callback(t, p.ID).Text(), "/ask") {
			t.Errorf("/help posted to replica %s: status %d, %s", r.name, p.Status, p.Body)
		}
	}

	holder := rs.gatewayHolder()
	before := rs.dc.Ready()
	holder.stop()
	rs.dc.WaitShards(t, "the gateway held by another replica", func(open [][2]int) bool { return len(open) == 1 && rs.dc.Ready() > before })
	if next := rs.gatewayHolder(); next == holder {
		t.Errorf("replica %s holds the gateway after it stopped", holder.name)
	}

	var alive []*replicaBot
	for _, r := range rs.bots {
		if r != holder {
			alive = append(alive, r)
		}
	}
	// A replica stopped while answering: its reply is cut off, and the
	// update is answered by the last one, once.
	rs.tg.FailNext("sendMessage", telegramtest.Fault{Stall: true})
	u, qid := rs.tg.Message(asker, askerChat, "why are my smp dots blurry", nil)
	post(t, alive[0], strings.ReplaceAll(u, "%d", "5000"))
	alive[0].stop()
	rs.answeredOnce([]int{qid})
}

// In the long-polling variant one replica polls; when it stops with a reply
// cut off, another takes polling over and answers what it had taken, and
// every question is answered once.
func TestThreeReplicasPolling(t *testing.T) {
	rs := newReplicas(t)
	for i := range 3 {
		rs.start(fmt.Sprintf("p%d", i+1), true)
	}
	poller := func() *replicaBot {
		var p *replicaBot
		eventually(t, "one replica polling", func() bool {
			p = nil
			n := 0
			for _, r := range rs.bots {
				_, held := r.dups.counts()
				for _, l := range held {
					if strings.HasSuffix(l, ".poll") {
						p = r
						n++
					}
				}
			}
			return n == 1
		})
		return p
	}
	var asked []int
	for i := range 6 {
		from := telegramtest.User{ID: int64(200 + i), Name: "Asker"}
		_, qid := rs.tg.Ask(from, telegramtest.Private(from), "why are my smp dots blurry")
		asked = append(asked, qid)
	}
	rs.answeredOnce(asked)
	first := poller()
	rs.tg.FailNext("sendMessage", telegramtest.Fault{Stall: true})
	u, qid := rs.tg.Ask(asker, askerChat, "how deep should the needle go")
	asked = append(asked, qid)
	eventually(t, "the poller taking the update", func() bool { return rs.tg.Acked() > u })
	first.stop()
	_, qid = rs.tg.Ask(asker, askerChat, "what is smp")
	asked = append(asked, qid)
	rs.answeredOnce(asked)
	if second := poller(); second == first {
		t.Errorf("replica %s still polls after it stopped", first.name)
	}
}

// BenchmarkThreeReplicasWebhook is answers per second from three replicas
// behind a round-robin webhook, each update from a new asker, from the first
// post to the last update answered and recorded as done.
func BenchmarkThreeReplicasWebhook(b *testing.B) {
	rs := newReplicas(b)
	for i := range 3 {
		rs.start(fmt.Sprintf("r%d", i+1), false)
	}
	var asked []int
	var updates []string
	for i := range b.N {
		from := telegramtest.User{ID: int64(10000 + i), Name: "Asker"}
		u, qid := rs.tg.Message(from, telegramtest.Private(from), "why are my smp dots blurry", nil)
		updates = append(updates, strings.ReplaceAll(u, "%d", strconv.Itoa(10000+i)))
		asked = append(asked, qid)
	}
	b.ResetTimer()
	start := time.Now()
	// Telegram posts over as many connections at once as the webhook's
	// max_connections (Workers, 8); the balancer spreads them.
	const posters = 3 * telegram.DefaultWorkers
	var wg sync.WaitGroup
	for w := range posters {
		wg.Go(func() {
			for i := w; i < len(updates); i += posters {
				post(b, rs.bots[i%3], updates[i])
			}
		})
	}
	wg.Wait()
	eventually(b, "every update answered", func() bool {
		n := replyCounts(rs.tg)
		for _, q := range asked {
			if n[q] == 0 {
				return false
			}
		}
		return true
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "answers/s")
}
