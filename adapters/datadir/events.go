package datadir

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/smpbot/bot/knowledge"
)

// AddGapEvent appends ev to GapsFile.
func (s *Store) AddGapEvent(ctx context.Context, ev knowledge.GapEvent) error {
	return s.appendEvent(ctx, GapsFile, ev)
}

// GapEvents reads GapsFile.
func (s *Store) GapEvents(ctx context.Context) ([]knowledge.GapEvent, error) {
	return readEvents[knowledge.GapEvent](ctx, s, GapsFile)
}

// AddFeedbackEvent appends ev to FeedbackFile.
func (s *Store) AddFeedbackEvent(ctx context.Context, ev knowledge.FeedbackEvent) error {
	return s.appendEvent(ctx, FeedbackFile, ev)
}

// FeedbackEvents reads FeedbackFile.
func (s *Store) FeedbackEvents(ctx context.Context) ([]knowledge.FeedbackEvent, error) {
	return readEvents[knowledge.FeedbackEvent](ctx, s, FeedbackFile)
}

// appendEvent appends v as a line of the events file name, cutting off a
// line a crash tore first. Events are not synced to disk: losing the last few
// to a power cut is better than making an asker wait on the disk.
func (s *Store) appendEvent(ctx context.Context, name string, v any) error {
	if s.readOnly != nil {
		return s.readOnly
	}
	line, err := json.Marshal(v)
	if err != nil {
		return err
	}
	unlock, err := s.event.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	p := filepath.Join(s.dir, name)
	if err := repairTornTail(p); err != nil {
		return err
	}
	return appendLines(p, append(line, '\n'), false)
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

// readEvents decodes each line of the events file name, skipping lines that
// do not decode.
func readEvents[E any](ctx context.Context, s *Store, name string) ([]E, error) {
	unlock, err := s.event.lock(ctx)
	if err != nil {
		return nil, err
	}
	lines, _, err := readLines(filepath.Join(s.dir, name))
	unlock()
	if err != nil {
		return nil, err
	}
	var out []E
	for _, l := range lines {
		var v E
		if json.Unmarshal(l, &v) == nil {
			out = append(out, v)
		}
	}
	return out, nil
}
