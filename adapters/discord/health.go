package discord

import (
	"sync"
	"time"
)

// A gateway that drops flapDrops times within flapWindow is not ready until
// it has stayed up for flapWindow.
const (
	flapDrops  = 3
	flapWindow = time.Minute
)

// gatewayHealth follows the gateway connection's drops and reconnections,
// from discordgo's Disconnect and Connect events (Connect follows READY and
// RESUMED alike), so that readiness reflects recent success: discordgo reconnects on its own, and a connection that
// keeps dropping is up now and then without being of use. It is safe for
// concurrent use.
type gatewayHealth struct {
	now func() time.Time

	mu    sync.Mutex
	drops []time.Time // the last flapDrops, oldest first
	up    time.Time   // of the last connection
	isUp  bool        // connected since the last drop
}

func (g *gatewayHealth) dropped() {
	g.mu.Lock()
	defer g.mu.Unlock()
	// discordgo tells of a disconnection again for each failed attempt
	// to reconnect: a drop is the loss of a connection that was up.
	if !g.isUp {
		return
	}
	g.isUp = false
	g.drops = append(g.drops, g.now())
	if len(g.drops) > flapDrops {
		g.drops = g.drops[1:]
	}
}

func (g *gatewayHealth) connected() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.up, g.isUp = g.now(), true
}

// ok reports whether the connection is steady enough to be ready: it has
// not dropped flapDrops times within flapWindow, or it has stayed up for
// flapWindow since.
func (g *gatewayHealth) ok() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.drops) < flapDrops || g.drops[flapDrops-1].Sub(g.drops[0]) > flapWindow {
		return true
	}
	last := g.drops[flapDrops-1]
	return !g.up.Before(last) && g.now().Sub(g.up) >= flapWindow
}
