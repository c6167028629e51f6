package knowledge_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

// The limiters here refill once an hour, so no token comes back while a test
// runs and the counts are exact without any sleeping.

func TestLimiterBurstThenRefuse(t *testing.T) {
	for _, burst := range []int{1, 3, 10} {
		l := knowledge.NewLimiter(time.Hour, burst)
		for i := range burst {
			if !l.Allow("alice") {
				t.Fatalf("burst %d: Allow(alice) #%d = false, want true", burst, i+1)
			}
		}
		for i := range 3 {
			if l.Allow("alice") {
				t.Errorf("burst %d: Allow(alice) #%d after the burst = true, want false", burst, burst+i+1)
			}
		}
		if !l.Allow("bob") {
			t.Errorf("burst %d: Allow(bob) after alice was refused = false, want true", burst)
		}
	}
}

func TestLimiterUsersIndependent(t *testing.T) {
	const burst, users, tries = 3, 20, 10
	l := knowledge.NewLimiter(time.Hour, burst)
	allowed := make([]int, users)
	var wg sync.WaitGroup
	for u := range users {
		wg.Go(func() {
			for range tries {
				if l.Allow(fmt.Sprintf("user-%d", u)) {
					allowed[u]++
				}
			}
		})
	}
	wg.Wait()
	for u, got := range allowed {
		if got != burst {
			t.Errorf("user-%d asked %d times concurrently with others: allowed %d, want %d", u, tries, got, burst)
		}
	}
}

// heldIndex is an Index that finds nothing. Searches for "hold" wait for
// release to be closed, so that a test can hold questions in the middle of
// being answered; searching gets a value as each of them starts.
type heldIndex struct {
	searching chan struct{}
	release   chan struct{}
}

func (h heldIndex) Search(ctx context.Context, question string, limit int) ([]knowledge.Hit, error) {
	if question == "hold" {
		h.searching <- struct{}{}
		<-h.release
	}
	return nil, nil
}

func TestCapacity(t *testing.T) {
	base, err := knowledge.Load(guide.FS())
	if err != nil {
		t.Fatal(err)
	}
	// The global rates here refill once an hour, so the counts are exact
	// without any sleeping.
	hourly := 1.0 / 3600
	tests := []struct {
		name string
		cap  knowledge.Capacity
		// held questions are being answered while asked ones are asked.
		held, asked int
		// want is how many asked questions are answered; the rest are busy.
		want int
	}{
		{"no limit", knowledge.Capacity{}, 3, 10, 10},
		{"rate: the burst, then busy", knowledge.Capacity{Rate: hourly, Burst: 4}, 0, 10, 4},
		{"rate: burst of at least one", knowledge.Capacity{Rate: hourly}, 0, 3, 1},
		{"rate: held questions count", knowledge.Capacity{Rate: hourly, Burst: 4}, 3, 10, 1},
		{"concurrency: room left", knowledge.Capacity{Concurrent: 4}, 3, 10, 10},
		{"concurrency: full", knowledge.Capacity{Concurrent: 3}, 3, 10, 0},
		{"both", knowledge.Capacity{Rate: hourly, Burst: 5, Concurrent: 2}, 1, 10, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idx := heldIndex{searching: make(chan struct{}), release: make(chan struct{})}
			svc := knowledge.NewService(base, idx, knowledge.Calibration{}, nil)
			svc.LimitTo(tt.cap)
			var wg sync.WaitGroup
			for range tt.held {
				wg.Go(func() {
					if _, err := svc.Answer(context.Background(), "hold"); err != nil {
						t.Errorf("held question: %v", err)
					}
				})
				<-idx.searching
			}
			if _, err := svc.Answer(context.Background(), " \t"); !errors.Is(err, knowledge.ErrEmptyQuestion) {
				t.Errorf("Answer of an empty question = %v, want ErrEmptyQuestion", err)
			}
			got := 0
			for i := range tt.asked {
				_, err := svc.Answer(context.Background(), "is smp safe")
				switch {
				case err == nil:
					got++
				case !errors.Is(err, knowledge.ErrBusy):
					t.Fatalf("Answer #%d: %v, want nil or ErrBusy", i+1, err)
				}
			}
			close(idx.release)
			wg.Wait()
			if got != tt.want {
				t.Errorf("%+v with %d questions held: answered %d of %d, want %d", tt.cap, tt.held, got, tt.asked, tt.want)
			}
		})
	}
}

func TestAdmission(t *testing.T) {
	ask := func(user string) knowledge.Arrival {
		return knowledge.Arrival{User: user, Conversation: "group", Limited: true}
	}
	full := func(a knowledge.Arrival) knowledge.Arrival { a.Full = true; return a }
	free := func(a knowledge.Arrival) knowledge.Arrival { a.Limited = false; return a }
	admitted := knowledge.Verdict{Admitted: true}
	limited := knowledge.Verdict{Notice: knowledge.RateLimitNotice, Tell: true}
	limitedQuietly := knowledge.Verdict{Notice: knowledge.RateLimitNotice}
	busy := knowledge.Verdict{Notice: knowledge.BusyNotice, Tell: true}
	busyQuietly := knowledge.Verdict{Notice: knowledge.BusyNotice}
	tests := []struct {
		name     string
		arrivals []knowledge.Arrival
		want     []knowledge.Verdict
	}{
		{"a flood is told once",
			[]knowledge.Arrival{ask("ann"), ask("ann"), ask("ann"), ask("ann")},
			[]knowledge.Verdict{admitted, admitted, limited, limitedQuietly}},
		{"others keep their share",
			[]knowledge.Arrival{ask("ann"), ask("ann"), ask("ann"), ask("ben"), ask("ben"), ask("ben")},
			[]knowledge.Verdict{admitted, admitted, limited, admitted, admitted, limited}},
		{"free requests spend nothing",
			[]knowledge.Arrival{free(ask("ann")), free(ask("ann")), free(ask("ann")), ask("ann"), ask("ann")},
			[]knowledge.Verdict{admitted, admitted, admitted, admitted, admitted}},
		{"a full queue is told once for everyone in it and spends nothing",
			[]knowledge.Arrival{full(ask("ann")), full(ask("ben")), full(free(ask("cat"))), ask("ann"), ask("ann"), ask("ben")},
			[]knowledge.Verdict{busy, busyQuietly, busyQuietly, admitted, admitted, admitted}},
		{"a full queue after the limit",
			[]knowledge.Arrival{ask("ann"), ask("ann"), ask("ann"), full(ask("ann"))},
			[]knowledge.Verdict{admitted, admitted, limited, busy}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := knowledge.NewAdmission(time.Hour, 2)
			for i, r := range tt.arrivals {
				if got := a.Admit(r); got != tt.want[i] {
					t.Errorf("Admit(%+v) #%d = %+v, want %+v", r, i+1, got, tt.want[i])
				}
			}
		})
	}
}
