package telegram

import (
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/telegram/telegramtest"
)

// Load test settings. Each user asks in bursts of loadBurst questions, more
// than the per-chat pace lets through at once, so that pacing is exercised.
const (
	loadBurst        = 10
	loadChatInterval = 5 * time.Millisecond
	loadOutstanding  = 500 // questions queued and not yet answered, at most
	// loadWindow and loadSlack bound the replies a chat may get within any
	// window: the pace's burst and rate, plus slack for the time a request
	// takes to reach the fake.
	loadWindow = 4 * loadChatInterval
	loadSlack  = 2
	// loadHeapGrowth bounds how much the heap may grow over a run.
	loadHeapGrowth = 64 << 20
)

// envFullLoad runs TestLoad with the full 10,000 questions.
const envFullLoad = "SMPBOT_LOAD_FULL"

// TestLoad sends questions from many users through the adapter and the fake
// Bot API, and checks that every one is answered exactly once, that no chat
// gets messages faster than its pace, and that memory stays steady. It logs
// the throughput and the 99th-percentile latency from queueing an update to
// its reply. It asks 1,000 questions from 50 users, or 10,000 from 200 with
// SMPBOT_LOAD_FULL=1.
func TestLoad(t *testing.T) {
	users, perUser := 50, 20
	if os.Getenv(envFullLoad) != "" {
		users, perUser = 200, 50
	}
	r := runLoad(t, users, perUser)
	t.Logf("%d questions from %d users: %.0f questions/s, p99 latency %v, heap %d → %d KiB",
		users*perUser, users, r.throughput, r.p99, r.heapBefore>>10, r.heapAfter>>10)
	if r.heapAfter > r.heapBefore+loadHeapGrowth {
		t.Errorf("heap grew from %d to %d bytes over the run, want at most %d more", r.heapBefore, r.heapAfter, loadHeapGrowth)
	}
}

// BenchmarkAnswer measures questions answered per second through the
// adapter and the fake Bot API, from 20 users.
func BenchmarkAnswer(b *testing.B) {
	perUser := max(loadBurst, (b.N+19)/20/loadBurst*loadBurst)
	b.ResetTimer()
	r := runLoad(b, 20, perUser)
	b.ReportMetric(r.throughput, "questions/s")
	b.ReportMetric(float64(r.p99.Microseconds()), "p99-µs")
}

type loadResult struct {
	throughput            float64 // questions a second
	p99                   time.Duration
	heapBefore, heapAfter uint64
}

// runLoad asks perUser questions (a multiple of loadBurst) from each of
// users and checks what the fake received.
func runLoad(tb testing.TB, users, perUser int) loadResult {
	tb.Helper()
	f := telegramtest.New(tb, telegramtest.Lean())
	h := start(tb, options{fake: f, config: func(c *Config) {
		c.Workers = 16
		c.RateBurst, c.RateEvery = 1<<30, time.Nanosecond
		c.ChatQueue = 1 << 30
		c.ChatInterval = loadChatInterval
		c.SendRate = 1 << 20
	}})
	questions := []string{depthQuestion, "why are my smp dots blurry", "how do i check smp training", "are smp reviews reliable", "what should i ask my smp artist"}
	// Warm up, so that the heap measured holds the bot's steady state.
	warm, _ := f.Ask(ann, annChat, depthQuestion)
	h.waitHandled(warm)
	before := f.SentCount()
	heapBefore := heapInUse()

	total := users * perUser
	queued := make(map[int]time.Time, total) // by message id
	var last int
	began := time.Now()
	for round := range perUser / loadBurst {
		for u := range users {
			f.Wait("room in the queue", func() bool { return f.SentCount()-before >= len(queued)-loadOutstanding })
			from := telegramtest.User{ID: int64(1000 + u), Name: "User"}
			var batch []string
			var ids []int
			for i := range loadBurst {
				upd, id := f.Message(from, telegramtest.Private(from), questions[(round+i+u)%len(questions)], nil)
				batch, ids = append(batch, upd), append(ids, id)
			}
			now := time.Now()
			for _, id := range ids {
				queued[id] = now
			}
			pushed := f.Push(batch...)
			last = pushed[len(pushed)-1]
		}
	}
	reqs := h.waitHandled(last)
	got := telegramtest.Delivered(tb, reqs)
	got = slices.DeleteFunc(got, func(m telegramtest.Message) bool { _, ok := queued[m.ReplyTo]; return !ok })

	replies := map[int]int{}
	var latencies []time.Duration
	end := began
	byChat := map[int64][]time.Time{}
	for _, m := range got {
		replies[m.ReplyTo]++
		latencies = append(latencies, m.Time.Sub(queued[m.ReplyTo]))
		if m.Time.After(end) {
			end = m.Time
		}
		byChat[m.Chat] = append(byChat[m.Chat], m.Time)
	}
	for id := range queued {
		if n := replies[id]; n != 1 {
			tb.Errorf("message %d got %d replies, want 1", id, n)
		}
	}
	limit := chatBurst + int(loadWindow/loadChatInterval) + loadSlack
	for chat, times := range byChat {
		if n, at := busiestWindow(times, loadWindow); n > limit {
			tb.Errorf("chat %d got %d messages within %v from %v, want at most %d", chat, n, loadWindow, at.Sub(began), limit)
		}
	}
	h.stop()
	slices.Sort(latencies)
	return loadResult{
		throughput: float64(total) / end.Sub(began).Seconds(),
		p99:        latencies[len(latencies)*99/100],
		heapBefore: heapBefore,
		heapAfter:  heapInUse(),
	}
}

// busiestWindow returns the most of times that fall within one window of
// length w, and where that window starts.
func busiestWindow(times []time.Time, w time.Duration) (int, time.Time) {
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	best, at := 0, time.Time{}
	j := 0
	for i := range times {
		for times[i].Sub(times[j]) >= w {
			j++
		}
		if n := i - j + 1; n > best {
			best, at = n, times[j]
		}
	}
	return best, at
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// Flood load test settings: each group has floodPerGroup users asking in
// it, each once every floodTick; floodPrivates people ask in private, one
// of them each tick. The pace is Telegram's, a hundred times faster.
const (
	floodPerGroup = 10
	floodPrivates = 20
	floodTick     = 50 * time.Millisecond
	floodSpeedup  = 100
)

// TestFloodLoad measures how long private questions take to be answered,
// first alone and then while every member of many groups floods their
// group, and checks that each private question is answered once and that
// no flooder gets more than their allowance. It logs the private askers'
// p50 and p99 latency in both runs. It floods 4 groups of 10 users for 10
// ticks, or 20 groups (200 users) for 100 ticks with SMPBOT_LOAD_FULL=1.
func TestFloodLoad(t *testing.T) {
	groups, ticks := 4, 10
	if os.Getenv(envFullLoad) != "" {
		groups, ticks = 20, 100
	}
	quiet := runFlood(t, 0, ticks)
	loud := runFlood(t, groups, ticks)
	t.Logf("%d private questions alone: p50 %v, p99 %v; while %d users flood %d groups: p50 %v, p99 %v",
		len(quiet), quiet[len(quiet)/2], quiet[len(quiet)*99/100],
		groups*floodPerGroup, groups, loud[len(loud)/2], loud[len(loud)*99/100])
}

// runFlood runs a bot while groups are flooded for ticks, and returns the
// latencies of the private questions, sorted.
func runFlood(t *testing.T, groups, ticks int) []time.Duration {
	t.Helper()
	f := telegramtest.New(t, telegramtest.Lean())
	h := start(t, options{fake: f, config: func(c *Config) {
		c.RateEvery = time.Hour // no refill: a flooder's allowance is RateBurst
		c.ChatInterval, c.GroupInterval = DefaultChatInterval/floodSpeedup, DefaultGroupInterval/floodSpeedup
		c.SendRate = DefaultSendRate * floodSpeedup
	}})
	questions := []string{depthQuestion, "why are my smp dots blurry", "how do i check smp training", "are smp reviews reliable"}
	asked := map[int]time.Time{} // private questions by message id
	flooder := map[int]int64{}   // flooders by message id
	var last int
	tick := time.NewTicker(floodTick)
	defer tick.Stop()
	for i := range ticks {
		var batch []string
		for g := range groups {
			chat := telegramtest.Chat{ID: int64(-2000 - g), Type: "supergroup", Title: "G"}
			for u := range floodPerGroup {
				from := telegramtest.User{ID: int64(5000 + g*floodPerGroup + u), Name: "F"}
				upd, id := f.Message(from, chat, "/ask "+questions[u%len(questions)], nil)
				batch, flooder[id] = append(batch, upd), from.ID
			}
		}
		from := telegramtest.User{ID: int64(9000 + i%floodPrivates), Name: "P"}
		upd, id := f.Message(from, telegramtest.Private(from), questions[i%len(questions)], nil)
		asked[id] = time.Now()
		pushed := f.Push(append(batch, upd)...)
		last = pushed[len(pushed)-1]
		<-tick.C
	}
	got := telegramtest.Delivered(t, h.waitHandled(last))
	h.stop()

	replies := map[int]int{}
	perFlooder := map[int64]int{}
	var latencies []time.Duration
	for _, m := range got {
		if at, ok := asked[m.ReplyTo]; ok {
			replies[m.ReplyTo]++
			latencies = append(latencies, m.Time.Sub(at))
		}
		if u, ok := flooder[m.ReplyTo]; ok {
			perFlooder[u]++
		}
	}
	for id := range asked {
		if replies[id] != 1 {
			t.Errorf("private question %d got %d replies, want 1", id, replies[id])
		}
	}
	// Beyond the answers, a rate-limit notice and the group's busy notice.
	for u, n := range perFlooder {
		if n > DefaultRateBurst+2 {
			t.Errorf("flooder %d got %d replies, want at most %d answers and two notices", u, n, DefaultRateBurst)
		}
	}
	slices.Sort(latencies)
	return latencies
}
