package knowledge

import (
	"context"
	"errors"
	"time"
)

// Op is what a log record does to the knowledge base.
type Op string

// The operations of the log.
const (
	// OpPut adds or replaces an entry with Text.
	OpPut Op = "put"
	// OpRemove removes an entry; its history stays in the log.
	OpRemove Op = "remove"
	// OpSynonyms replaces synonyms.txt with Text.
	OpSynonyms Op = "synonyms"
)

// Record is one revision of the knowledge base: who changed which file, and
// the file's whole new text, so that any revision can be restored from the
// log alone.
type Record struct {
	// Rev numbers the records of a log 1, 2, 3 … without gaps.
	Rev int64 `json:"rev"`
	// Batch, when set, is the revision of the last record written together
	// with this one. A log whose final batch is incomplete was torn by a
	// crash, and the batch is dropped as a whole.
	Batch  int64     `json:"batch,omitempty"`
	Time   time.Time `json:"time"`
	Author string    `json:"author"`
	Op     Op        `json:"op"`
	// ID is the entry's id, or SynonymsFile for OpSynonyms.
	ID   string `json:"id"`
	Text string `json:"text,omitempty"`
	// Upstream is set when Text is the embedded default's, written by the
	// first run or by a sync.
	Upstream bool `json:"upstream,omitempty"`
	// Note says why a change was made, such as "undo of revision 12".
	Note string `json:"note,omitempty"`
}

// Live reports whether the record leaves its file in the knowledge base; the
// zero Record, for a file that never existed, does not.
func (r Record) Live() bool { return r.Op == OpPut || r.Op == OpSynonyms }

// Present reports whether r leaves a file in the knowledge base: an empty
// synonyms file is no file.
func (r Record) Present() bool { return r.Live() && (r.Op != OpSynonyms || r.Text != "") }

// Revisions is the ordered, append-only log of revisions a knowledge base is
// built from: what answering follows and moderation changes. A storage
// adapter implements it (the data directory on files; a shared engine so that
// several replicas follow one knowledge base). Implementations must be safe
// for concurrent use.
type Revisions interface {
	// Since returns the records after revision rev, oldest first.
	Since(ctx context.Context, rev int64) ([]Record, error)
	// Commit writes recs as one batch, numbered from head+1, if head is
	// still the newest revision; otherwise it writes nothing and returns
	// ErrHeadMoved. It returns the records as written.
	Commit(ctx context.Context, head int64, recs ...Record) ([]Record, error)
}

// Snapshots is implemented by a Revisions that keeps the state of its newest
// revision, so that a reader starting from nothing need not fold the whole
// log: with a long history that is most of the time it takes to start.
type Snapshots interface {
	// Snapshot returns the state as of a recent revision of the log; the
	// records after it are read with Since as usual.
	Snapshot(ctx context.Context) (State, error)
}

// Fold brings st up to date with the records of revs after st's head, and
// reports whether the head moved. An empty st starts from the snapshot of a
// revs that keeps one.
func Fold(ctx context.Context, revs Revisions, st *State) (moved bool, err error) {
	from := st.Head()
	if s, ok := revs.(Snapshots); ok && from == 0 {
		snap, err := s.Snapshot(ctx)
		if err != nil {
			return false, err
		}
		*st = snap
	}
	recs, err := revs.Since(ctx, st.Head())
	st.Apply(recs...)
	return st.Head() != from, err
}

// ErrHeadMoved is returned by Revisions.Commit when another writer committed
// first.
var ErrHeadMoved = errors.New("the log has moved on")

// Events keeps what happened around the knowledge base without changing it:
// the questions nobody got an answer to, the gaps moderators closed, and the
// feedback on answers. Implementations must be safe for concurrent use; an
// event that cannot be kept must not cost anyone an answer.
type Events interface {
	AddGapEvent(ctx context.Context, ev GapEvent) error
	// GapEvents returns every gap event, oldest first.
	GapEvents(ctx context.Context) ([]GapEvent, error)
	AddFeedbackEvent(ctx context.Context, ev FeedbackEvent) error
	// FeedbackEvents returns every feedback event, oldest first.
	FeedbackEvents(ctx context.Context) ([]FeedbackEvent, error)
}
