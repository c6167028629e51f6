package datadir

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"

	"github.com/smpbot/bot/knowledge"
)

// checkpointFile holds the state of a recent revision, so that opening a
// directory with a long history reads only the log's records after it.
const checkpointFile = "checkpoint.json"

// checkpointEvery is how many revisions the log grows by before the store
// writes a new checkpoint. Opening reads at most this many records more than
// it must; writing one costs a copy of the newest text of every file.
const checkpointEvery = 1000

// checkpoint is the state of the knowledge base as of revision Head, whose
// record is the log's line Last, ending at byte Size. The line is how a
// checkpoint is matched against the log: a log replaced or cut since does
// not hold it there, and is then read whole.
type checkpoint struct {
	Head   int64              `json:"head"`
	Size   int64              `json:"size"`
	Last   string             `json:"last"`
	Latest []knowledge.Record `json:"latest"`
}

// resume starts the store from its checkpoint, when there is one that
// matches the log, so that catching up reads only the records after it. A
// missing, unreadable or stale checkpoint is no error: the log is then read
// whole, as it would be without one. The caller holds the lock.
func (s *Store) resume() {
	data, err := os.ReadFile(filepath.Join(s.dir, checkpointFile))
	if err != nil {
		return
	}
	var cp checkpoint
	if json.Unmarshal(data, &cp) != nil || !s.log.resume(cp.Head, cp.Size, []byte(cp.Last)) {
		return
	}
	s.state = knowledge.Restore(cp.Head, cp.Latest)
	s.checkpointed = cp.Head
}

// checkpoint writes the state of the newest revision as the directory's
// checkpoint once the log has grown by checkpointEvery revisions since the
// last one. The caller holds the lock.
func (s *Store) checkpoint() error {
	if s.readOnly != nil || s.state.Head()-s.checkpointed < checkpointEvery {
		return nil
	}
	last, size, err := s.log.lastLine()
	if err != nil {
		return err
	}
	var rec knowledge.Record
	if err := json.Unmarshal(last, &rec); err != nil || rec.Rev != s.state.Head() {
		return errors.New("the log's newest record is not the state's")
	}
	data, err := json.Marshal(checkpoint{Head: s.state.Head(), Size: size, Last: string(last), Latest: s.state.Records()})
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(s.dir, checkpointFile), data); err != nil {
		return err
	}
	s.checkpointed = s.state.Head()
	return nil
}
