package datadir

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/smpbot/bot/knowledge"
)

// fileLog is the revision log of a Store, kept in one append-only JSON Lines
// file, one record a line. Each append is a single write of whole lines followed by an fsync, so a
// crash can only tear the end of the file; Since drops a torn last line or an
// incomplete last batch, and the next Append cuts it off.
//
// A fileLog remembers where each record it has seen begins, so that Since
// reads only the records asked for: following the log costs what is new in
// it, not its whole history. resume starts it from a checkpoint without
// reading what came before.
//
// fileLog is safe for concurrent use within a process. Processes sharing the
// file must take turns (Store holds the data directory's lock around Since
// and Append); Append refuses with ErrHeadMoved if the file grew since this
// fileLog last read it.
type fileLog struct {
	path string

	mu   sync.Mutex
	read bool  // whether head and size below are known
	head int64 // the newest revision read or written
	size int64 // the length of the file's good records
	// starts[i] is where the record of revision from+i begins, for the
	// records from revision from to head.
	from   int64
	starts []int64
}

// newFileLog returns the log kept in the file at path, which need not exist yet.
func newFileLog(path string) *fileLog { return &fileLog{path: path} }

// Since returns the records after revision rev, oldest first.
func (l *fileLog) Since(ctx context.Context, rev int64) ([]knowledge.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.read {
		recs, err := l.load()
		if err != nil {
			return nil, err
		}
		return after(recs, rev), nil
	}
	if err := l.update(); err != nil {
		return nil, err
	}
	if rev >= l.head {
		return nil, nil
	}
	if rev+1 < l.from {
		recs, err := l.load()
		if err != nil {
			return nil, err
		}
		return after(recs, rev), nil
	}
	start := l.starts[rev+1-l.from]
	data, err := readRange(l.path, start, l.size)
	if err != nil {
		return nil, err
	}
	recs, _, _, err := l.parse(data, rev, start)
	return recs, err
}

// after returns the records of recs, oldest first, after revision rev.
func after(recs []knowledge.Record, rev int64) []knowledge.Record {
	i := 0
	for i < len(recs) && recs[i].Rev <= rev {
		i++
	}
	return recs[i:]
}

// load reads every good record and notes the log's head and length.
func (l *fileLog) load() ([]knowledge.Record, error) {
	data, err := os.ReadFile(l.path)
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	recs, starts, end, err := l.parse(data, 0, 0)
	if err != nil {
		return nil, err
	}
	l.read, l.head, l.size = true, int64(len(recs)), end
	l.from, l.starts = 1, starts
	return recs, nil
}

// update reads the records appended since the log was last read, by this
// process or another, and notes the new head and length. A file that shrank
// was replaced, and is read again whole.
func (l *fileLog) update() error {
	st, err := os.Stat(l.path)
	var size int64
	if err == nil {
		size = st.Size()
	} else if !os.IsNotExist(err) {
		return err
	}
	switch {
	case size == l.size:
		return nil
	case size < l.size:
		_, err := l.load()
		return err
	}
	data, err := readRange(l.path, l.size, size)
	if err != nil {
		return err
	}
	recs, starts, end, err := l.parse(data, l.head, l.size)
	if err != nil {
		// Not a continuation of what was read: the file was replaced.
		_, err := l.load()
		return err
	}
	l.head += int64(len(recs))
	l.size = end
	l.starts = append(l.starts, starts...)
	return nil
}

// parse decodes the lines of data, the log from offset start on, whose first
// record follows revision head. It returns the records of complete batches,
// where each begins, and the offset their end reaches. A torn last line, or
// an incomplete last batch, is left out.
func (l *fileLog) parse(data []byte, head, start int64) (recs []knowledge.Record, starts []int64, end int64, err error) {
	end = start
	good := 0 // records in complete batches
	at := start
	for len(data) > 0 {
		line, rest, whole := bytes.Cut(data, []byte("\n"))
		if !whole {
			break // torn by a crash
		}
		var r knowledge.Record
		if err := json.Unmarshal(line, &r); err != nil {
			if len(rest) == 0 {
				break // torn by a crash
			}
			return nil, nil, 0, fmt.Errorf("%s: record at byte %d: corrupt: %w", l.path, at, err)
		}
		if want := head + int64(len(recs)) + 1; r.Rev != want {
			return nil, nil, 0, fmt.Errorf("%s: record at byte %d: revision %d out of order (want %d)", l.path, at, r.Rev, want)
		}
		recs = append(recs, r)
		starts = append(starts, at)
		at += int64(len(line)) + 1
		if r.Batch == 0 || r.Batch == r.Rev {
			good, end = len(recs), at
		}
		data = rest
	}
	return recs[:good], starts[:good], end, nil
}

// readRange reads the bytes of the file at path from offset start to end.
func readRange(path string, start, end int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data := make([]byte, end-start)
	if _, err := f.ReadAt(data, start); err != nil && err != io.EOF {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return data, nil
}

// resume starts the log at revision head, whose record's line is last and
// ends at offset size, as a checkpoint noted it, without reading what comes
// before. It reports false, and changes nothing, when the file does not hold
// that line there.
func (l *fileLog) resume(head, size int64, last []byte) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	start := size - int64(len(last))
	if start < 0 || len(last) == 0 {
		return false
	}
	data, err := readRange(l.path, start, size)
	if err != nil || !bytes.Equal(data, last) {
		return false
	}
	recs, _, end, err := l.parse(data, head-1, start)
	if err != nil || len(recs) != 1 || end != size {
		return false
	}
	l.read, l.head, l.size = true, head, size
	l.from, l.starts = head, []int64{start}
	return true
}

// repair cuts off the torn end a crash left the log with, if any: a write
// of many pages can be cut short by a kill, and a reader would otherwise
// see the bytes of an incomplete batch until the next append.
func (l *fileLog) repair() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.read {
		if _, err := l.load(); err != nil {
			return err
		}
	} else if err := l.update(); err != nil {
		return err
	}
	return repairTail(l.path, l.size)
}

// lastLine returns the line of the newest revision, for a checkpoint, and
// the offset its end reaches.
func (l *fileLog) lastLine() (line []byte, size int64, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.head < l.from || l.head == 0 {
		return nil, 0, fmt.Errorf("%s: the newest record's place is not known", l.path)
	}
	data, err := readRange(l.path, l.starts[l.head-l.from], l.size)
	return data, l.size, err
}

// Append writes recs as one batch if head is still the newest revision.
func (l *fileLog) Append(ctx context.Context, head int64, recs ...knowledge.Record) ([]knowledge.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.read {
		if _, err := l.load(); err != nil {
			return nil, err
		}
	}
	st, err := os.Stat(l.path)
	var size int64
	if err == nil {
		size = st.Size()
	} else if !os.IsNotExist(err) {
		return nil, err
	}
	if head != l.head || size < l.size {
		return nil, knowledge.ErrHeadMoved
	}
	if size > l.size {
		// Either another process appended, or a crash tore the end. Read
		// what is new to tell which; a torn end is cut off before writing.
		if err := l.update(); err != nil {
			return nil, err
		}
		if head != l.head {
			return nil, knowledge.ErrHeadMoved
		}
		if err := repairTail(l.path, l.size); err != nil {
			return nil, err
		}
	}
	out := make([]knowledge.Record, len(recs))
	var (
		data   []byte
		starts []int64
	)
	last := head + int64(len(recs))
	for i, r := range recs {
		r.Rev = head + int64(i) + 1
		r.Batch = 0
		if len(recs) > 1 {
			r.Batch = last
		}
		line, err := json.Marshal(r)
		if err != nil {
			return nil, err
		}
		starts = append(starts, l.size+int64(len(data)))
		data = append(append(data, line...), '\n')
		out[i] = r
	}
	if err := appendLines(l.path, data, true); err != nil {
		// A failed write may have left part of the batch; cut it off.
		if rerr := repairTail(l.path, l.size); rerr != nil {
			return nil, fmt.Errorf("%w (and %w)", err, rerr)
		}
		return nil, err
	}
	l.head = last
	l.size += int64(len(data))
	l.starts = append(l.starts, starts...)
	return out, nil
}
