// Package jetstreamtest starts real NATS servers with JetStream in the test's
// process, listening on 127.0.0.1 and keeping their streams in t.TempDir(),
// for tests of the jetstream adapter and of the bots that share a knowledge
// base through it.
package jetstreamtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// startTimeout bounds how long a server may take to accept connections.
const startTimeout = 10 * time.Second

// Server is a NATS server with JetStream, run in the test's process. It is
// shut down when the test ends. Its methods are not safe for concurrent use.
type Server struct {
	t    testing.TB
	opts server.Options
	srv  *server.Server
}

// Start starts a single NATS server with JetStream, storing in a new
// temporary directory, on a free port of 127.0.0.1. Each of configure, if
// any, may change its options first, to require a login for example.
func Start(t testing.TB, configure ...func(*server.Options)) *Server {
	t.Helper()
	s := &Server{t: t, opts: server.Options{
		ServerName: "n1",
		Host:       "127.0.0.1",
		Port:       -1,
		JetStream:  true,
		StoreDir:   t.TempDir(),
		NoLog:      true,
		NoSigs:     true,
	}}
	for _, c := range configure {
		c(&s.opts)
	}
	s.start()
	// Restarts keep the port, so that clients reconnect to the same URL.
	s.opts.Port = s.srv.Addr().(*net.TCPAddr).Port
	t.Cleanup(s.Stop)
	return s
}

// URL is the address clients connect to, such as nats://127.0.0.1:4222,
// the same while the server is stopped and after it restarts.
func (s *Server) URL() string {
	return "nats://" + net.JoinHostPort(s.opts.Host, strconv.Itoa(s.opts.Port))
}

// StoreDir is the directory the server keeps its streams in.
func (s *Server) StoreDir() string { return s.opts.StoreDir }

// Stop shuts the server down and waits until it has; stopping a stopped
// server does nothing.
func (s *Server) Stop() {
	if s.srv == nil {
		return
	}
	s.srv.Shutdown()
	s.srv.WaitForShutdown()
	s.srv = nil
}

// Restart starts the server again after Stop, on the same port and store
// directory.
func (s *Server) Restart() {
	s.t.Helper()
	if s.srv != nil {
		s.t.Fatal("jetstreamtest: Restart of a running server")
	}
	s.start()
}

func (s *Server) start() {
	s.t.Helper()
	opts := s.opts // the server writes into its options
	srv, err := server.NewServer(&opts)
	if err != nil {
		s.t.Fatalf("jetstreamtest: new server: %v", err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(startTimeout) {
		srv.Shutdown()
		s.t.Fatalf("jetstreamtest: server %s not ready within %s", s.opts.ServerName, startTimeout)
	}
	s.srv = srv
}

// Cluster is n NATS servers with JetStream forming one cluster, run in the
// test's process.
type Cluster struct {
	// Servers are the cluster's nodes; stop one to see the others carry on.
	Servers []*Server
}

// StartCluster starts a cluster of n servers with JetStream on 127.0.0.1,
// each storing in its own temporary directory, and waits until a stream of
// n replicas can be placed on it. Streams created on it may have up to n
// replicas.
func StartCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	ports := FreePorts(t, 2*n) // client and route ports
	var routes []*url.URL
	for i := range n {
		routes = append(routes, &url.URL{Scheme: "nats-route", Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[n+i]))})
	}
	c := &Cluster{}
	for i := range n {
		s := &Server{t: t, opts: server.Options{
			ServerName: fmt.Sprintf("n%d", i+1),
			Host:       "127.0.0.1",
			Port:       ports[i],
			JetStream:  true,
			StoreDir:   t.TempDir(),
			NoLog:      true,
			NoSigs:     true,
			Routes:     routes,
			Cluster:    server.ClusterOpts{Name: "smpbot-test", Host: "127.0.0.1", Port: ports[n+i]},
		}}
		c.Servers = append(c.Servers, s)
	}
	// A node waits for the others before it is ready, so start them all first.
	for _, s := range c.Servers {
		opts := s.opts
		srv, err := server.NewServer(&opts)
		if err != nil {
			t.Fatalf("jetstreamtest: new server: %v", err)
		}
		s.srv = srv
		go srv.Start()
		t.Cleanup(s.Stop)
	}
	for _, s := range c.Servers {
		if !s.srv.ReadyForConnections(startTimeout) {
			t.Fatalf("jetstreamtest: server %s not ready within %s", s.opts.ServerName, startTimeout)
		}
	}
	c.waitPlaceable(t, n)
	return c
}

// waitPlaceable waits until the cluster places a probe stream of n
// replicas, and deletes it. A leader counting every node as a peer is not
// enough: it refuses placement on a node ("peer offline") until it has
// heard both the node's statistics and its JetStream configuration.
func (c *Cluster) waitPlaceable(t testing.TB, n int) {
	t.Helper()
	nc, err := nats.Connect(c.URL(), nats.MaxReconnects(-1))
	if err != nil {
		t.Fatalf("jetstreamtest: connect to the cluster: %v", err)
	}
	defer nc.Close()
	js, err := natsjs.New(nc)
	if err != nil {
		t.Fatalf("jetstreamtest: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	probe := natsjs.StreamConfig{Name: "JETSTREAMTEST_PROBE", Subjects: []string{"jetstreamtest.probe"}, Replicas: n, Storage: natsjs.MemoryStorage}
	for {
		// No one answers until JetStream has a leader: ask again.
		try, cancelTry := context.WithTimeout(ctx, 500*time.Millisecond)
		_, err := js.CreateStream(try, probe)
		cancelTry()
		if err == nil {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("jetstreamtest: the cluster could not place a stream of %d replicas within %s: %v", n, startTimeout, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	if err := js.DeleteStream(ctx, probe.Name); err != nil {
		t.Fatalf("jetstreamtest: delete the probe stream: %v", err)
	}
}

// URL is a comma-separated list of every node's address, as NATS clients
// take it.
func (c *Cluster) URL() string {
	var u string
	for i, s := range c.Servers {
		if i > 0 {
			u += ","
		}
		u += s.URL()
	}
	return u
}

// FreePorts returns n ports of 127.0.0.1 that nothing listens on. They are
// below the range the system hands out for port 0 (32768 and up by default
// on Linux), so that no other test's listener or connection can take one
// between this choice and a server's listening there.
func FreePorts(t testing.TB, n int) []int {
	t.Helper()
	var ports []int
	for try := 0; len(ports) < n; try++ {
		if try == 1000*n {
			t.Fatalf("jetstreamtest: no %d free ports from 10000 to 30000 on 127.0.0.1", n)
		}
		port := 10000 + rand.IntN(20000)
		if slices.Contains(ports, port) {
			continue
		}
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			continue
		}
		ln.Close()
		ports = append(ports, port)
	}
	return ports
}

// StreamLeader returns the node leading the stream of the default account,
// or nil when none does now.
func (c *Cluster) StreamLeader(stream string) *Server {
	for _, s := range c.Servers {
		if s.srv != nil && s.srv.JetStreamIsStreamLeader(server.DEFAULT_GLOBAL_ACCOUNT, stream) {
			return s
		}
	}
	return nil
}
