package datadir

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"

	"github.com/smpbot/bot/knowledge"
)

// fileLog is the revision log of a Store, kept in one append-only JSON Lines
// file, one record a line. Each append is a single write of whole lines followed by an fsync, so a
// crash can only tear the end of the file; Since drops a torn last line or an
// incomplete last batch, and the next Append cuts it off.
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
	recs, err := l.load()
	if err != nil {
		return nil, err
	}
	i := 0
	for i < len(recs) && recs[i].Rev <= rev {
		i++
	}
	return recs[i:], nil
}

// load reads every good record and notes the log's head and length.
func (l *fileLog) load() ([]knowledge.Record, error) {
	lines, _, err := readLines(l.path)
	if err != nil {
		return nil, err
	}
	var (
		recs []knowledge.Record
		size int64
		good = 0 // records in complete batches
		end  int64
	)
	for n, line := range lines {
		var r knowledge.Record
		if err := json.Unmarshal(line, &r); err != nil {
			if n == len(lines)-1 {
				break // torn by a crash
			}
			return nil, fmt.Errorf("%s:%d: corrupt record: %w", l.path, n+1, err)
		}
		if want := int64(len(recs)) + 1; r.Rev != want {
			return nil, fmt.Errorf("%s:%d: revision %d out of order (want %d)", l.path, n+1, r.Rev, want)
		}
		recs = append(recs, r)
		size += int64(len(line)) + 1
		if r.Batch == 0 || r.Batch == r.Rev {
			good, end = len(recs), size
		}
	}
	recs = recs[:good]
	l.read = true
	l.size = end
	l.head = int64(len(recs))
	return recs, nil
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
		// again to tell which; a torn end is cut off before writing.
		if _, err := l.load(); err != nil {
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
	var data []byte
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
	return out, nil
}
