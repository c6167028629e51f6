package knowledge_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/smpbot/bot/knowledge"
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
