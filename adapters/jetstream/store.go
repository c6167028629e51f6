package jetstream

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"

	"github.com/smpbot/bot/knowledge"
)

// Timeouts of the requests a Store makes. A request that times out fails
// with knowledge.ErrUnavailable; the caller tries again later.
const (
	// requestTimeout bounds one request, such as a publish or a stream's
	// state, when the caller's context does not end sooner.
	requestTimeout = 5 * time.Second
	// readTimeout bounds reading a stream through, which may take many
	// requests.
	readTimeout = time.Minute
	// eventTimeout bounds recording a gap or feedback: an event that cannot
	// be kept must not keep anyone waiting for an answer.
	eventTimeout = 2 * time.Second
)

// Store is a knowledge base kept on NATS JetStream: the revision log
// (knowledge.Revisions), the gaps and feedback (knowledge.Events) and the
// web console's logins (knowledge.Credentials) of one prefix. Open makes the streams it needs. A Store is safe for concurrent
// use; several processes may share one knowledge base through their own
// Stores.
type Store struct {
	nc  *nats.Conn
	js  natsjs.JetStream
	n   names
	log *slog.Logger
	// logins is the bucket of the web console's login links and sessions.
	logins natsjs.KeyValue
	// head is the newest revision the Store has seen in the log.
	head atomic.Int64
}

// names are the streams and subjects of one prefix.
type names struct {
	prefix                         string
	log, events                    string // streams
	logSubj, gapSubj, feedbackSubj string
}

func namesFor(prefix string) names {
	return names{
		prefix:       prefix,
		log:          prefix + "_LOG",
		events:       prefix + "_EVENTS",
		logSubj:      prefix + ".log",
		gapSubj:      prefix + ".events.gap",
		feedbackSubj: prefix + ".events.feedback",
	}
}

// Open connects to the NATS servers of cfg and makes the knowledge base's
// streams if they do not exist yet, with file storage and cfg.Replicas
// copies; an existing stream takes the replica count of cfg. It fails if no
// server can be reached. Once open, the connection reconnects by itself for
// as long as the Store is open, logging to log (nil for none) each loss and
// recovery. Close releases it.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opts, err := cfg.options(log)
	if err != nil {
		return nil, err
	}
	nc, err := nats.Connect(cfg.URL, opts...)
	if err != nil {
		// No server answering may pass; a refused login or a bad
		// certificate will not by itself.
		if errors.Is(err, nats.ErrNoServers) || errors.Is(err, nats.ErrTimeout) {
			err = fmt.Errorf("%w: %w", knowledge.ErrUnavailable, err)
		}
		return nil, fmt.Errorf("connect to NATS at %s: %w", cfg.URL, err)
	}
	js, err := natsjs.New(nc)
	if err != nil {
		nc.Close()
		return nil, err
	}
	s := &Store{nc: nc, js: js, n: namesFor(cfg.prefix()), log: log}
	if err := s.makeStreams(ctx, cfg.replicas()); err != nil {
		nc.Close()
		return nil, err
	}
	kctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()
	if s.logins, err = s.credentialsBucket(kctx, cfg.replicas()); err != nil {
		nc.Close()
		return nil, fmt.Errorf("bucket of web logins: %w", s.classify(err))
	}
	return s, nil
}

// options are the connection options of cfg.
func (c Config) options(log *slog.Logger) ([]nats.Option, error) {
	opts := []nats.Option{
		nats.Name(c.Name),
		nats.MaxReconnects(-1),
		// Nothing is kept to send after a reconnection: a change refused
		// while disconnected must not land later behind the moderator's back.
		nats.ReconnectBufSize(-1),
		nats.DisconnectErrHandler(func(nc *nats.Conn, err error) {
			if nc.IsClosed() {
				return // closed by Close, not lost
			}
			log.Warn("lost the connection to NATS; answering from the knowledge base as it was, refusing changes until it is back", "err", err)
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("connected to NATS again", "server", nc.ConnectedUrlRedacted())
		}),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			log.Warn("NATS", "err", err)
		}),
	}
	switch {
	case c.Credentials != "":
		opts = append(opts, nats.UserCredentials(c.Credentials))
	case c.NKeySeed != "":
		o, err := nats.NkeyOptionFromSeed(c.NKeySeed)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", EnvNKeySeed, err)
		}
		opts = append(opts, o)
	}
	if c.CA != "" {
		opts = append(opts, nats.RootCAs(c.CA))
	}
	if c.Cert != "" {
		opts = append(opts, nats.ClientCert(c.Cert, c.Key))
	}
	return opts, nil
}

// makeStreams creates or updates the log and events streams.
func (s *Store) makeStreams(ctx context.Context, replicas int) error {
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()
	for _, cfg := range []natsjs.StreamConfig{{
		Name:        s.n.log,
		Description: "smp-bot knowledge base: every revision, in order; the sequence is the revision",
		Subjects:    []string{s.n.logSubj},
		// Every revision is kept for ever, so that any can be restored and
		// a replica that was offline still sees a removal.
		Retention:          natsjs.LimitsPolicy,
		MaxMsgs:            -1,
		MaxBytes:           -1,
		MaxMsgsPerSubject:  -1,
		Discard:            natsjs.DiscardNew,
		DenyDelete:         true,
		DenyPurge:          true,
		AllowAtomicPublish: true,
		Storage:            natsjs.FileStorage,
		Replicas:           replicas,
	}, {
		Name:        s.n.events,
		Description: "smp-bot knowledge base: questions nobody got an answer to, and feedback on answers",
		Subjects:    []string{s.n.gapSubj, s.n.feedbackSubj},
		Retention:   natsjs.LimitsPolicy,
		MaxMsgs:     -1,
		MaxBytes:    -1,
		Storage:     natsjs.FileStorage,
		Replicas:    replicas,
	}} {
		// A request that reaches a cluster between two leaders goes
		// unanswered: each try is short, and a lost one is tried again.
		for {
			tctx, cancel := context.WithTimeout(ctx, requestTimeout)
			err := s.makeStream(tctx, cfg)
			cancel()
			if err == nil {
				break
			}
			if err = s.classify(err); !errors.Is(err, knowledge.ErrUnavailable) || ctx.Err() != nil || !s.nc.IsConnected() {
				return fmt.Errorf("stream %s: %w", cfg.Name, err)
			}
			s.log.Debug("trying again to make a stream", "stream", cfg.Name, "err", err)
		}
	}
	return nil
}

// makeStream creates the stream of cfg if it does not exist, and sets its
// replica count if it differs; a stream as it should be is left alone, so
// that opening needs no change of a cluster that has lost a node.
func (s *Store) makeStream(ctx context.Context, cfg natsjs.StreamConfig) error {
	st, err := s.js.Stream(ctx, cfg.Name)
	if errors.Is(err, natsjs.ErrStreamNotFound) {
		_, err = s.js.CreateStream(ctx, cfg)
		if err != nil && !errors.Is(err, natsjs.ErrStreamNameAlreadyInUse) { // or another replica made it first
			return err
		}
		return s.led(ctx, cfg.Name)
	}
	if err != nil {
		return err
	}
	if have := st.CachedInfo().Config; have.Replicas != cfg.Replicas {
		s.log.Info("changing the replica count of a stream", "stream", cfg.Name, "from", have.Replicas, "to", cfg.Replicas)
		have.Replicas = cfg.Replicas
		if _, err = s.js.UpdateStream(ctx, have); err != nil {
			return err
		}
	}
	return s.led(ctx, cfg.Name)
}

// led waits until the stream has a leader to serve it: a replicated stream
// just made, or changed, has none for a moment.
func (s *Store) led(ctx context.Context, name string) error {
	for {
		st, err := s.js.Stream(ctx, name)
		if err != nil {
			return err
		}
		if c := st.CachedInfo().Cluster; c == nil || c.Leader != "" {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Close closes the connection. The Store is not to be used after.
func (s *Store) Close() { s.nc.Close() }

// Head returns the newest revision of the log as the Store last saw it,
// by Since or Commit.
func (s *Store) Head() int64 { return s.head.Load() }

// Ready reports whether the Store is connected to a NATS server now.
func (s *Store) Ready() bool { return s.nc.IsConnected() }

// Server names the server the Store is connected to, without credentials,
// or "" while it is not connected.
func (s *Store) Server() string {
	if !s.nc.IsConnected() {
		return ""
	}
	return s.nc.ConnectedUrlRedacted()
}

// JetStream returns the Store's JetStream handle, for the leases and claims
// that share its connection.
func (s *Store) JetStream() natsjs.JetStream { return s.js }

// Name returns the name of a stream or bucket of the Store's prefix, such
// as PREFIX_LEASES for "LEASES", so that everything of one knowledge base
// shares the prefix.
func (s *Store) Name(suffix string) string { return s.n.prefix + "_" + suffix }

// connected fails fast with knowledge.ErrUnavailable while the Store has no
// connection, rather than waiting for a request to time out.
func (s *Store) connected() error {
	if !s.nc.IsConnected() {
		return fmt.Errorf("NATS: %w: %s", knowledge.ErrUnavailable, strings.ToLower(s.nc.Status().String()))
	}
	return nil
}

// classify marks err with knowledge.ErrUnavailable when it says the servers
// could not be reached or did not answer in time.
func (s *Store) classify(err error) error {
	if err == nil || errors.Is(err, knowledge.ErrUnavailable) {
		return err
	}
	for _, target := range []error{
		nats.ErrTimeout, nats.ErrNoResponders, nats.ErrConnectionClosed,
		nats.ErrConnectionReconnecting, nats.ErrReconnectBufExceeded, nats.ErrDisconnected,
		natsjs.ErrNoStreamResponse, natsjs.ErrJetStreamNotEnabled, context.DeadlineExceeded,
	} {
		if errors.Is(err, target) {
			return fmt.Errorf("NATS: %w: %w", knowledge.ErrUnavailable, err)
		}
	}
	if !s.nc.IsConnected() {
		return fmt.Errorf("NATS: %w: %w", knowledge.ErrUnavailable, err)
	}
	return err
}
