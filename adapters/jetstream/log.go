package jetstream

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"

	"github.com/smpbot/bot/knowledge"
)

// MaxBatch is the most records one Commit writes: a NATS server takes at
// most 1000 messages in an atomic batch by default (max_batch_size).
const MaxBatch = 1000

// fetchSize is how many messages one request of a read asks for.
const fetchSize = 256

// Headers of the publishes of the log; NATS defines them.
const (
	hdrExpectedLastSeq = "Nats-Expected-Last-Sequence"
	hdrBatchID         = "Nats-Batch-Id"
	hdrBatchSeq        = "Nats-Batch-Sequence"
	hdrBatchCommit     = "Nats-Batch-Commit"
)

// Since returns the records after revision rev, oldest first, reading only
// those from the server. It implements knowledge.Revisions.
func (s *Store) Since(ctx context.Context, rev int64) ([]knowledge.Record, error) {
	if err := s.connected(); err != nil {
		return nil, err
	}
	st, last, err := s.lastRev(ctx)
	if err != nil || last <= rev {
		return nil, err
	}
	recs, err := s.read(ctx, st, rev+1, last)
	if err != nil {
		return nil, err
	}
	// A batch still being stored ends past last: it comes whole next time.
	n := len(recs)
	for n > 0 && recs[n-1].Batch > last {
		n--
	}
	return recs[:n], nil
}

// lastRev returns the log's stream and its newest revision.
func (s *Store) lastRev(ctx context.Context) (natsjs.Stream, int64, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	st, err := s.js.Stream(ctx, s.n.log)
	if err != nil {
		return nil, 0, fmt.Errorf("the log's state: %w", s.classify(err))
	}
	last := int64(st.CachedInfo().State.LastSeq)
	s.seen(last)
	return st, last, nil
}

// fewMessages is the most revisions read one request each: fewer requests
// than a consumer's, and nothing left on the server.
const fewMessages = 16

// read returns the records from revision from to last.
func (s *Store) read(ctx context.Context, st natsjs.Stream, from, last int64) ([]knowledge.Record, error) {
	recs := make([]knowledge.Record, 0, last-from+1)
	add := func(data []byte, seq uint64) error {
		var r knowledge.Record
		if err := json.Unmarshal(data, &r); err != nil {
			return fmt.Errorf("log %s: message %d: corrupt record: %w", s.n.log, seq, err)
		}
		if want := from + int64(len(recs)); r.Rev != want || int64(seq) != want {
			return fmt.Errorf("log %s: message %d holds revision %d, want %d: was the stream changed by hand?", s.n.log, seq, r.Rev, want)
		}
		recs = append(recs, r)
		return nil
	}
	if last-from < fewMessages {
		for seq := from; seq <= last; seq++ {
			if err := s.getMsg(ctx, st, uint64(seq), add); err != nil {
				return nil, err
			}
		}
		return recs, nil
	}
	err := s.fetch(ctx, s.n.log, natsjs.OrderedConsumerConfig{
		FilterSubjects: []string{s.n.logSubj},
		DeliverPolicy:  natsjs.DeliverByStartSequencePolicy,
		OptStartSeq:    uint64(from),
	}, int(last-from+1), func(m natsjs.Msg, seq uint64) error { return add(m.Data(), seq) })
	return recs, err
}

// getMsg hands message seq of st to fn.
func (s *Store) getMsg(ctx context.Context, st natsjs.Stream, seq uint64, fn func(data []byte, seq uint64) error) error {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	m, err := st.GetMsg(ctx, seq)
	if err != nil {
		return fmt.Errorf("read %s: message %d: %w", s.n.log, seq, s.classify(err))
	}
	return fn(m.Data, m.Sequence)
}

// fetch hands the first n messages of stream that cfg delivers to fn, in
// order, stopping at fn's first error.
func (s *Store) fetch(ctx context.Context, stream string, cfg natsjs.OrderedConsumerConfig, n int, fn func(m natsjs.Msg, seq uint64) error) error {
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()
	cons, err := s.js.OrderedConsumer(ctx, stream, cfg)
	if err != nil {
		return fmt.Errorf("read %s: %w", stream, s.classify(err))
	}
	// The server would keep the consumer a while after the read; reads
	// come in bursts (every undo reads the whole log), so it goes now.
	defer func() {
		if info := cons.CachedInfo(); info != nil {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), requestTimeout)
			defer cancel()
			if err := s.js.DeleteConsumer(ctx, stream, info.Name); err != nil && !errors.Is(err, natsjs.ErrConsumerNotFound) {
				s.log.Debug("delete a reading consumer", "stream", stream, "err", err)
			}
		}
	}()
	for n > 0 {
		err := untilResponders(ctx, func() error {
			got, err := s.fetchOnce(ctx, cons, min(n, fetchSize), fn)
			n -= got
			return err
		})
		if err != nil {
			return fmt.Errorf("read %s: %w", stream, err)
		}
	}
	return nil
}

// untilResponders calls try again while no one answers its request, for up
// to requestTimeout. On a cluster, a stream or consumer just made, or one
// electing a leader, is not served by every node at once, and a request
// that no one received can safely be sent again.
func untilResponders(ctx context.Context, try func() error) error {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	for {
		err := try()
		if !errors.Is(err, nats.ErrNoResponders) && !errors.Is(err, natsjs.ErrNoStreamResponse) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// fetchOnce asks cons for up to n messages and hands them to fn, returning
// how many came. The request is bounded on its own: messages that do not
// come (a cluster electing a leader) fail the read soon, to be tried again,
// rather than holding it for the whole readTimeout.
func (s *Store) fetchOnce(ctx context.Context, cons natsjs.Consumer, n int, fn func(m natsjs.Msg, seq uint64) error) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	batch, err := cons.Fetch(n, natsjs.FetchContext(ctx))
	if err != nil {
		return 0, s.classify(err)
	}
	got := 0
	for m := range batch.Messages() {
		md, err := m.Metadata()
		if err != nil {
			return got, err
		}
		if err := fn(m, md.Sequence.Stream); err != nil {
			return got, err
		}
		got++
	}
	if err := batch.Error(); err != nil {
		return got, s.classify(err)
	}
	if got == 0 {
		return 0, s.classify(fmt.Errorf("no message within %s: %w", requestTimeout, context.DeadlineExceeded))
	}
	return got, nil
}

// Commit writes recs as one batch, numbered from head+1 and stamped with the
// time now, if head is still the newest revision; otherwise it writes
// nothing and returns knowledge.ErrHeadMoved. The batch lands as a whole or
// not at all. It implements knowledge.Revisions.
func (s *Store) Commit(ctx context.Context, head int64, recs ...knowledge.Record) ([]knowledge.Record, error) {
	if len(recs) == 0 {
		return nil, ctx.Err()
	}
	if len(recs) > MaxBatch {
		return nil, fmt.Errorf("%d changes at once are more than the %d the shared knowledge base takes in one batch", len(recs), MaxBatch)
	}
	now := time.Now().UTC()
	last := head + int64(len(recs))
	out := make([]knowledge.Record, len(recs))
	for i, r := range recs {
		r.Time = now
		r.Rev = head + int64(i) + 1
		r.Batch = 0
		if len(recs) > 1 {
			r.Batch = last
		}
		out[i] = r
	}
	if err := s.publish(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// ErrNotEmpty refuses to migrate into a log that has revisions already.
var ErrNotEmpty = errors.New("the shared knowledge base is not empty")

// Migrate copies recs, a whole revision log oldest first such as a data
// directory's, into the log as they are: revisions, times, authors and
// batches. It refuses with ErrNotEmpty unless the log is empty, so that it
// never runs twice. The records go in atomic batches of at most MaxBatch,
// cut between the log's own batches where it can; if a batch fails, what
// went before stays, and the error says how far it got.
func (s *Store) Migrate(ctx context.Context, recs []knowledge.Record) error {
	for i, r := range recs {
		if r.Rev != int64(i)+1 {
			return fmt.Errorf("record %d is revision %d: a log to migrate numbers its revisions 1, 2, 3 … without gaps", i+1, r.Rev)
		}
	}
	if err := s.connected(); err != nil {
		return err
	}
	_, last, err := s.lastRev(ctx)
	if err != nil {
		return err
	}
	if last > 0 {
		return fmt.Errorf("%w: it holds %d revisions, and migrating copies a whole history into an empty one only", ErrNotEmpty, last)
	}
	for len(recs) > 0 {
		n := chunk(recs)
		err := s.publish(ctx, recs[:n])
		if errors.Is(err, knowledge.ErrHeadMoved) && recs[0].Rev == 1 {
			return fmt.Errorf("%w: another writer got in first", ErrNotEmpty)
		}
		if err != nil {
			return fmt.Errorf("copied revisions 1 to %d, then: %w", recs[0].Rev-1, err)
		}
		recs = recs[n:]
	}
	return nil
}

// chunk returns how many of recs to write in one atomic batch: at most
// MaxBatch, ending with a batch of the log where one ends.
func chunk(recs []knowledge.Record) int {
	if len(recs) <= MaxBatch {
		return len(recs)
	}
	for n := MaxBatch; n > 0; n-- {
		if r := recs[n-1]; r.Batch == 0 || r.Batch == r.Rev {
			return n
		}
	}
	return MaxBatch // a batch longer than MaxBatch: Since waits for its end
}

// publish writes recs, numbered from head+1 already, as one atomic batch if
// head is the newest revision, and returns knowledge.ErrHeadMoved if not.
func (s *Store) publish(ctx context.Context, recs []knowledge.Record) error {
	if err := s.connected(); err != nil {
		return err
	}
	head := recs[0].Rev - 1
	msgs := make([]*nats.Msg, len(recs))
	for i := range recs {
		data, err := json.Marshal(recs[i])
		if err != nil {
			return err
		}
		msgs[i] = &nats.Msg{Subject: s.n.logSubj, Data: data, Header: nats.Header{}}
	}
	msgs[0].Header.Set(hdrExpectedLastSeq, strconv.FormatInt(head, 10))
	timeout := requestTimeout
	if len(msgs) > 1 {
		timeout = readTimeout // a request for each message
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var (
		ack *natsjs.PubAck
		err error
	)
	if len(msgs) == 1 {
		ack, err = s.publishMsg(ctx, msgs[0])
	} else {
		ack, err = s.publishBatch(ctx, msgs)
	}
	if wrongLastSeq(err) {
		return knowledge.ErrHeadMoved
	}
	if err != nil {
		return fmt.Errorf("write to the log: %w", s.classify(err))
	}
	if last := recs[len(recs)-1].Rev; ack.Sequence != uint64(last) {
		return fmt.Errorf("the log %s stored revision %d at sequence %d: was the stream changed by hand?", s.n.log, last, ack.Sequence)
	}
	s.seen(int64(ack.Sequence))
	return nil
}

// seen notes that the log reaches revision rev.
func (s *Store) seen(rev int64) {
	for {
		cur := s.head.Load()
		if rev <= cur || s.head.CompareAndSwap(cur, rev) {
			return
		}
	}
}

// publishBatch publishes msgs as one atomic batch: the server stores them
// all when the last one, the commit, passes every check, and none
// otherwise.
func (s *Store) publishBatch(ctx context.Context, msgs []*nats.Msg) (*natsjs.PubAck, error) {
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, err
	}
	commit := msgs[len(msgs)-1]
	for i, m := range msgs {
		m.Header.Set(hdrBatchID, hex.EncodeToString(id[:]))
		m.Header.Set(hdrBatchSeq, strconv.Itoa(i+1))
		if m == commit {
			break
		}
		// Each message before the commit is acknowledged empty once the
		// server holds it, or answered with an error that ends the batch.
		var reply *nats.Msg
		err := untilResponders(ctx, func() (err error) {
			reply, err = s.nc.RequestMsgWithContext(ctx, m)
			return err
		})
		if err != nil {
			return nil, err
		}
		if len(reply.Data) > 0 {
			var resp struct {
				Error *natsjs.APIError `json:"error"`
			}
			if err := json.Unmarshal(reply.Data, &resp); err != nil || resp.Error == nil {
				return nil, fmt.Errorf("unexpected answer to message %d of a batch: %q", i+1, reply.Data)
			}
			return nil, resp.Error
		}
	}
	commit.Header.Set(hdrBatchCommit, "1")
	return s.publishMsg(ctx, commit)
}

// publishMsg publishes m to the stream that takes its subject, sending it
// again while no one answers (see untilResponders).
func (s *Store) publishMsg(ctx context.Context, m *nats.Msg) (ack *natsjs.PubAck, err error) {
	err = untilResponders(ctx, func() error {
		ack, err = s.js.PublishMsg(ctx, m)
		return err
	})
	return ack, err
}

// wrongLastSeq reports whether err is the server's refusal of a
// compare-and-set write: a publish whose expected last sequence is not the
// stream's, or a key's update or removal at a revision it has moved past.
func wrongLastSeq(err error) bool {
	var apiErr *natsjs.APIError
	return errors.As(err, &apiErr) && (apiErr.ErrorCode == natsjs.JSErrCodeStreamWrongLastSequence ||
		apiErr.ErrorCode == natsjs.JSErrCodeStreamWrongLastSequenceConstant)
}
