package datadir

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/smpbot/bot/knowledge"
)

// maxPendingEvents bounds the bytes of events waiting to be written. Past
// it, events are dropped rather than held: a disk that stopped keeping up
// must not fill the memory of the process answering.
const maxPendingEvents = 1 << 20

// errEventsBusy is returned for an event dropped because too many wait to
// be written.
var errEventsBusy = errors.New("too many events waiting to be written")

// errClosed is returned for an event recorded after Close.
var errClosed = errors.New("data directory closed")

// eventQueue holds events on their way to their files. Recording an event
// only queues it, so that no asker waits on the disk or on another process
// holding the events lock; the store's writer appends what is queued, and a
// reader of the events writes it first, so that it reads its own.
type eventQueue struct {
	mu      sync.Mutex
	pending map[string][]byte // whole lines, by file name
	size    int

	closed bool

	writing sync.Mutex // held while queued lines are being written
	wake    chan struct{}
	stop    sync.Once
	done    chan struct{}
}

// startWriter starts the goroutine that writes queued events; Close stops
// it, once it has written what is queued.
func (s *Store) startWriter() {
	q := &s.queue
	q.pending = map[string][]byte{}
	q.wake = make(chan struct{}, 1)
	q.done = make(chan struct{})
	go func() {
		defer close(q.done)
		for range q.wake {
			s.writeQueued(context.Background())
		}
	}()
}

// stopWriter stops the writer, which writes what is queued first; events
// recorded after it are refused.
func (s *Store) stopWriter() {
	q := &s.queue
	if q.done == nil {
		return // never started: the store did not open
	}
	q.stop.Do(func() {
		q.mu.Lock()
		q.closed = true
		q.mu.Unlock()
		close(q.wake)
		<-q.done
		s.writeQueued(context.Background())
	})
}

// enqueue queues v as a line of the events file name.
func (s *Store) enqueue(name string, v any) error {
	if s.readOnly != nil {
		return s.readOnly
	}
	line, err := json.Marshal(v)
	if err != nil {
		return err
	}
	q := &s.queue
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.closed:
		return errClosed
	case q.size+len(line)+1 > maxPendingEvents:
		return errEventsBusy
	}
	q.pending[name] = append(append(q.pending[name], line...), '\n')
	q.size += len(line) + 1
	select {
	case q.wake <- struct{}{}:
	default: // the writer is already woken
	}
	return nil
}

// writeQueued appends the queued events to their files, cutting off a line a
// crash tore first. Events are not synced to disk: losing the last few to a
// power cut is better than making an asker wait on the disk. Events that
// cannot be written are logged and dropped.
func (s *Store) writeQueued(ctx context.Context) {
	s.queue.writing.Lock()
	defer s.queue.writing.Unlock()
	s.writeQueuedLocked(ctx)
}

// writeQueuedLocked is writeQueued for a caller holding queue.writing.
func (s *Store) writeQueuedLocked(ctx context.Context) {
	q := &s.queue
	q.mu.Lock()
	pending := q.pending
	q.pending, q.size = map[string][]byte{}, 0
	q.mu.Unlock()
	if len(pending) == 0 {
		return
	}
	unlock, err := s.event.lock(ctx)
	if err != nil {
		s.warn.Warn("events not written", "err", err)
		return
	}
	defer unlock()
	for name, data := range pending {
		p := filepath.Join(s.dir, name)
		err := repairTornTail(p)
		if err == nil {
			err = appendLines(p, data, false)
		}
		if err != nil {
			s.warn.Warn("events not written", "file", name, "err", err)
		}
	}
}

// AddGapEvent queues ev to be appended to GapsFile.
func (s *Store) AddGapEvent(_ context.Context, ev knowledge.GapEvent) error {
	return s.enqueue(GapsFile, ev)
}

// GapEvents reads GapsFile, with every event queued before the call.
func (s *Store) GapEvents(ctx context.Context) ([]knowledge.GapEvent, error) {
	return s.gaps.read(ctx, s)
}

// AddFeedbackEvent queues ev to be appended to FeedbackFile.
func (s *Store) AddFeedbackEvent(_ context.Context, ev knowledge.FeedbackEvent) error {
	return s.enqueue(FeedbackFile, ev)
}

// FeedbackEvents reads FeedbackFile, with every event queued before the call.
func (s *Store) FeedbackEvents(ctx context.Context) ([]knowledge.FeedbackEvent, error) {
	return s.feedback.read(ctx, s)
}

// eventFile is an events file as last read, so that reading it again
// decodes only the lines appended since. A file compacted since, which is a
// new file, is read whole.
type eventFile[E any] struct {
	name string

	mu   sync.Mutex
	file os.FileInfo // the file read, nil before the first read
	size int64       // the length of the complete lines read
	evs  []E
}

// read returns every event of the file, oldest first, skipping lines that
// do not decode. It writes the queued events first.
func (f *eventFile[E]) read(ctx context.Context, s *Store) ([]E, error) {
	if s.readOnly == nil {
		s.writeQueued(ctx)
	}
	unlock, err := s.event.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return f.load(s.dir)
}

// load is read for a caller holding the events lock.
func (f *eventFile[E]) load(dir string) ([]E, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := filepath.Join(dir, f.name)
	st, err := os.Stat(p)
	if os.IsNotExist(err) {
		f.file, f.size, f.evs = nil, 0, nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if f.file == nil || !os.SameFile(f.file, st) || st.Size() < f.size {
		f.size, f.evs = 0, nil
	}
	f.file = st
	if st.Size() > f.size {
		data, err := readRange(p, f.size, st.Size())
		if err != nil {
			return nil, err
		}
		data = data[:bytes.LastIndexByte(data, '\n')+1] // a torn last line waits
		f.size += int64(len(data))
		for len(data) > 0 {
			line, rest, _ := bytes.Cut(data, []byte("\n"))
			var v E
			if json.Unmarshal(line, &v) == nil {
				f.evs = append(f.evs, v)
			}
			data = rest
		}
	}
	return f.evs[:len(f.evs):len(f.evs)], nil
}

// Compact drops the gap and feedback events older than age that
// knowledge.KeepGapEvents and knowledge.KeepFeedbackEvents let go, as of
// now, rewriting each file atomically when anything goes. It returns how
// many events it dropped.
func (s *Store) Compact(ctx context.Context, now time.Time, age time.Duration) (int, error) {
	if s.readOnly != nil {
		return 0, s.readOnly
	}
	cutoff := now.Add(-age)
	s.queue.writing.Lock() // nothing queued is appended to a file being replaced
	defer s.queue.writing.Unlock()
	s.writeQueuedLocked(ctx)
	unlock, err := s.event.lock(ctx)
	if err != nil {
		return 0, err
	}
	defer unlock()
	gaps, err := s.gaps.load(s.dir)
	if err != nil {
		return 0, err
	}
	feedback, err := s.feedback.load(s.dir)
	if err != nil {
		return 0, err
	}
	n1, err := rewrite(s, GapsFile, gaps, knowledge.KeepGapEvents(gaps, cutoff))
	if err != nil {
		return 0, err
	}
	n2, err := rewrite(s, FeedbackFile, feedback, knowledge.KeepFeedbackEvents(feedback, cutoff))
	return n1 + n2, err
}

// rewrite replaces the events file name, holding all, with keep, unless
// nothing goes, and returns how many went.
func rewrite[E any](s *Store, name string, all, keep []E) (int, error) {
	if len(keep) == len(all) {
		return 0, nil
	}
	var data []byte
	for _, ev := range keep {
		line, err := json.Marshal(ev)
		if err != nil {
			return 0, err
		}
		data = append(append(data, line...), '\n')
	}
	if err := writeFileAtomic(filepath.Join(s.dir, name), data); err != nil {
		return 0, err
	}
	return len(all) - len(keep), nil
}

// repairTornTail drops a last line with no newline, torn by a crash, from the
// file at path, reading only the file's end: appending costs the same
// however long the file has grown.
func repairTornTail(path string) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	end := st.Size()
	buf := make([]byte, 4096)
	for off := end; off > 0; {
		n := int64(len(buf))
		if off < n {
			n = off
		}
		off -= n
		if _, err := f.ReadAt(buf[:n], off); err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			return repairTail(path, off+int64(i)+1)
		}
	}
	return repairTail(path, 0)
}
