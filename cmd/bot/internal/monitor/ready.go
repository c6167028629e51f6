package monitor

import (
	"sync"
	"sync/atomic"
)

// Checker is a piece of the bot that can say whether it is ready to serve:
// the knowledge base once loaded and indexed, an adapter while it is
// connected to its platform.
type Checker interface {
	Ready() bool
}

// Describer is a Checker that also says how it stands, in a line that
// /readyz shows whether it is ready or not: the shared knowledge base's
// connection and the index's lag behind its log.
type Describer interface {
	Checker
	Describe() string
}

// Flag is a Checker that is as ready as it was last set. The zero value is
// not ready. It is safe for concurrent use.
type Flag struct{ ready atomic.Bool }

// Set marks the flag ready or not.
func (f *Flag) Set(ready bool) { f.ready.Store(ready) }

// Ready reports whether the flag was last set ready.
func (f *Flag) Ready() bool { return f.ready.Load() }

// Readiness is the set of named checks that must all pass for the bot to be
// ready. With no checks it is ready. The zero value is ready to use, and it
// is safe for concurrent use.
type Readiness struct {
	mu     sync.Mutex
	checks []check
}

type check struct {
	name string
	c    Checker
}

// Add adds a check under name.
func (r *Readiness) Add(name string, c Checker) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.checks = append(r.checks, check{name, c})
}

// NotReady returns the names of the checks that do not pass, in the order
// they were added; none when the bot is ready.
func (r *Readiness) NotReady() []string {
	r.mu.Lock()
	checks := r.checks
	r.mu.Unlock()
	var out []string
	for _, c := range checks {
		if !c.c.Ready() {
			out = append(out, c.name)
		}
	}
	return out
}

// Details returns a line "name: description" for each check that is a
// Describer, in the order they were added.
func (r *Readiness) Details() []string {
	r.mu.Lock()
	checks := r.checks
	r.mu.Unlock()
	var out []string
	for _, c := range checks {
		if d, ok := c.c.(Describer); ok {
			out = append(out, c.name+": "+d.Describe())
		}
	}
	return out
}
