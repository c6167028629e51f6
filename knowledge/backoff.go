package knowledge

import (
	"math/rand/v2"
	"time"
)

// Backoff is exponential backoff with jitter, for the adapters to pace their
// retries of a platform that cannot be reached: the jitter keeps many bots,
// or many requests, from coming back all at once.
type Backoff struct{ Min, Max time.Duration }

// Delay is the wait before the given retry (counted from 1): it doubles
// with every try up to Max, and is then drawn at random from its upper
// half.
func (bo Backoff) Delay(try int) time.Duration {
	d := bo.Max
	if try < 30 && bo.Min<<(try-1) < bo.Max {
		d = bo.Min << (try - 1)
	}
	return d/2 + rand.N(d/2+1)
}
