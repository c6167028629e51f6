package datadir

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/smpbot/bot/knowledge"
)

// Files of a data directory, beside EntriesDir and knowledge.SynonymsFile.
const (
	// LogFile is the append-only history of every change (see fileLog).
	LogFile = "log.jsonl"
	// GapsFile lists the questions nobody got an answer to.
	GapsFile = "gaps.jsonl"
	// FeedbackFile lists the 👍 and 👎 on answers.
	FeedbackFile = "feedback.jsonl"
	// appliedFile holds the revision the entry files reflect, so that a crash
	// between appending to the log and writing a file is repaired on reload.
	appliedFile  = "applied"
	lockFileName = "lock"
	eventsLock   = "events.lock"
)

// Authors of the changes a store makes by itself.
const (
	// SeedAuthor wrote the first revision of a new data directory, copied
	// from the embedded default.
	SeedAuthor = "seed"
	// HandEdit is the author of a change made by editing a file in the data
	// directory directly.
	HandEdit = "hand-edit"
)

// Store is an editable knowledge base in a data directory:
//
//	entries/*.md    the entries, in the format knowledge.Load reads
//	synonyms.txt    the synonyms
//	log.jsonl       every revision, append-only (fileLog)
//	gaps.jsonl      questions nobody got an answer to
//	feedback.jsonl  👍 and 👎 on answers
//
// The log is the truth and the files follow it. Every commit is
// compare-and-set against the newest revision and is written atomically; the
// processes sharing a directory take turns through a lock file. Files edited by hand are recorded in the log as changes by HandEdit
// when they are valid, and skipped (see Problems) when not.
//
// A Store is safe for concurrent use.
type Store struct {
	dir   string
	log   *fileLog
	kb    fileLock // the entries, synonyms, log and applied files
	event fileLock // the gaps and feedback files
	queue eventQueue
	// gaps and feedback are the events files as last read.
	gaps     eventFile[knowledge.GapEvent]
	feedback eventFile[knowledge.FeedbackEvent]
	warn     *slog.Logger
	// readOnly, when set, says why the directory cannot be written: the
	// store then serves what the log holds, and refuses every write.
	readOnly error

	// Guarded by kb.mu.
	state knowledge.State
	// checkpointed is the revision of the newest checkpoint written or read.
	checkpointed int64
	rejected     map[string]rejection
	seen         string // the fingerprint of the directory as last refreshed

	view atomic.Pointer[view]
	// reloaded, when set, is told of every reload: see OnReload.
	reloaded func(err error, skipped int)
}

// OnReload makes the store call fn after each time it reads the directory
// again because something in it changed, with the reload's error and the
// number of hand-edited files it is skipping: a reload that skips a file
// serves, but is not a clean one. Call it before the store is shared.
func (s *Store) OnReload(fn func(err error, skipped int)) { s.reloaded = fn }

// view is the knowledge base as of a revision.
type view struct {
	base *knowledge.Base
	head int64
	// problems lists what is wrong with the hand-edited files in skipped,
	// the paths of those being skipped.
	problems []knowledge.Problem
	skipped  []string
}

// rejection is a hand-edited file that failed validation.
type rejection struct {
	text     string
	problems []knowledge.Problem
}

// Open opens the data directory dir, creating it if needed. A directory with
// no history and no entry files is seeded from seed (the embedded default),
// so that later runs never overwrite what moderators wrote. Open catches up
// with the log, repairs what a crash left behind and records hand edits.
// Hand-edited files that start or stop being skipped are logged to log, which
// may be nil.
func Open(ctx context.Context, dir string, seed fs.FS, log *slog.Logger) (*Store, error) {
	s, err := create(dir, log)
	if err != nil {
		return nil, err
	}
	if err := s.open(ctx, seed); err != nil {
		s.Close()
		return nil, err
	}
	if s.readOnly == nil {
		s.startWriter()
	}
	return s, nil
}

// create makes the directory dir if needed and takes its lock files; the
// store it returns has read nothing yet.
func create(dir string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(filepath.Join(dir, knowledge.EntriesDir), 0o755); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	s := &Store{
		dir:      dir,
		log:      newFileLog(filepath.Join(dir, LogFile)),
		rejected: map[string]rejection{},
		warn:     log,
		gaps:     eventFile[knowledge.GapEvent]{name: GapsFile},
		feedback: eventFile[knowledge.FeedbackEvent]{name: FeedbackFile},
	}
	var err error
	s.kb.f, err = os.OpenFile(filepath.Join(dir, lockFileName), os.O_RDWR|os.O_CREATE, 0o644)
	switch {
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS):
		// Reading needs no lock: a directory others write is read as is.
		s.readOnly = fmt.Errorf("data directory %s is not writable: %w", dir, errors.Unwrap(err))
	case err != nil:
		return nil, fmt.Errorf("data directory: %w", err)
	default:
		if s.event.f, err = os.OpenFile(filepath.Join(dir, eventsLock), os.O_RDWR|os.O_CREATE, 0o644); err != nil {
			s.kb.f.Close()
			return nil, fmt.Errorf("data directory: %w", err)
		}
	}
	return s, nil
}

func (s *Store) open(ctx context.Context, seed fs.FS) error {
	unlock, err := s.kb.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	if s.readOnly != nil {
		if err := s.catchUp(ctx); err != nil {
			return err
		}
		if s.state.Head() == 0 {
			return fmt.Errorf("%w, and has no history to read", s.readOnly)
		}
		return s.rebuild()
	}
	for _, d := range []string{s.dir, filepath.Join(s.dir, knowledge.EntriesDir)} {
		if err := removeTemps(d); err != nil {
			return err
		}
	}
	s.resume()
	if err := s.catchUp(ctx); err != nil {
		return err
	}
	if err := s.log.repair(); err != nil {
		return err
	}
	if s.state.Head() == 0 {
		disk, odd, err := s.readDisk()
		if err != nil {
			return err
		}
		if len(disk) == 0 && len(odd) == 0 {
			if err := s.seed(ctx, seed); err != nil {
				return err
			}
		}
	}
	// What open wrote itself is no change to reload for; a hand edit
	// from now on is (the fingerprint is taken before reading, as in
	// refresh).
	fp := s.fingerprint()
	if err := s.reconcile(ctx); err != nil {
		return err
	}
	s.seen = fp
	if s.view.Load() == nil {
		return s.rebuild() // an empty directory with nothing to seed it
	}
	return nil
}

// seed records every file of the embedded default as the first revision.
func (s *Store) seed(ctx context.Context, seed fs.FS) error {
	texts, err := knowledge.ReadFiles(seed)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	var recs []knowledge.Record
	for _, p := range slices.Sorted(maps.Keys(texts)) {
		recs = append(recs, knowledge.Record{Author: SeedAuthor, Op: knowledge.OpFor(knowledge.FileID(p)), ID: knowledge.FileID(p), Text: texts[p], Upstream: true})
	}
	if _, err := s.commit(ctx, recs); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}

// Close writes the events queued and releases the store's lock files.
func (s *Store) Close() error {
	if s.readOnly != nil {
		return nil
	}
	s.stopWriter()
	return errors.Join(s.kb.f.Close(), s.event.f.Close())
}

// Base returns the newest valid knowledge base and its revision.
func (s *Store) Base() (*knowledge.Base, int64) {
	v := s.view.Load()
	return v.base, v.head
}

// Problems lists what is wrong with each hand-edited file the store is
// skipping; the last good version of each keeps serving.
func (s *Store) Problems() []knowledge.Problem { return s.view.Load().problems }

// Skipped lists the hand-edited files the store is skipping, by path; a
// problem of one may name another file, such as an entry relating to it.
func (s *Store) Skipped() []string { return s.view.Load().skipped }

// Snapshot returns the state of the newest revision the store has read. It
// implements knowledge.Snapshots, so that answering and moderation start
// without folding the whole log.
func (s *Store) Snapshot(ctx context.Context) (knowledge.State, error) {
	s.kb.mu.Lock()
	defer s.kb.mu.Unlock()
	return knowledge.Restore(s.state.Head(), s.state.Records()), ctx.Err()
}

// reload catches up with changes made by other processes and by hand.
func (s *Store) reload(ctx context.Context) error {
	unlock, err := s.kb.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	return s.refresh(ctx)
}

// refresh is reload under the lock.
func (s *Store) refresh(ctx context.Context) error {
	fp := s.fingerprint()
	if err := s.catchUp(ctx); err != nil {
		return err
	}
	if s.readOnly != nil {
		s.seen = fp
		return nil // hand edits cannot be recorded
	}
	if err := s.reconcile(ctx); err != nil {
		return err
	}
	s.seen = fp
	return nil
}

// Since returns the revisions after rev, oldest first, having first caught
// up with changes made by other processes and by hand if the directory
// changed since it last looked. It implements Revisions.
func (s *Store) Since(ctx context.Context, rev int64) ([]knowledge.Record, error) {
	s.kb.mu.Lock()
	unchanged := s.seen == s.fingerprint() && rev >= s.state.Head()
	s.kb.mu.Unlock()
	if unchanged {
		return nil, ctx.Err()
	}
	err := s.reload(ctx)
	if s.reloaded != nil {
		s.reloaded(err, len(s.Skipped()))
	}
	if err != nil {
		return nil, err
	}
	return s.log.Since(ctx, rev)
}

// Commit writes recs as one batch if head is still the newest revision,
// hand edits included, and writes the files they change. It implements
// Revisions.
func (s *Store) Commit(ctx context.Context, head int64, recs ...knowledge.Record) ([]knowledge.Record, error) {
	return s.change(ctx, func() ([]knowledge.Record, error) {
		if head != s.state.Head() {
			return nil, knowledge.ErrHeadMoved
		}
		return recs, nil
	})
}

// lockToWrite takes the edit lock for a write, or says why the directory
// cannot be written.
func (s *Store) lockToWrite(ctx context.Context) (unlock func(), err error) {
	if s.readOnly != nil {
		return nil, s.readOnly
	}
	return s.kb.lock(ctx)
}

// change plans a change against the newest state, under the lock, and
// commits the records plan returns. A plan returns a *ValidationError, a
// knowledge.ErrHeadMoved or another error to refuse, and changes nothing then.
func (s *Store) change(ctx context.Context, plan func() ([]knowledge.Record, error)) ([]knowledge.Record, error) {
	unlock, err := s.lockToWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	for {
		if err := s.refresh(ctx); err != nil {
			return nil, err
		}
		recs, err := plan()
		if err != nil {
			return nil, err
		}
		out, err := s.commit(ctx, recs)
		if errors.Is(err, knowledge.ErrHeadMoved) {
			continue // another writer got in first: plan again on its result
		}
		return out, err
	}
}

// commit appends recs to the log and writes the files they change, unless
// the knowledge base they make does not load: no change, whoever plans it,
// may leave the directory unloadable. The caller holds the lock.
func (s *Store) commit(ctx context.Context, recs []knowledge.Record) ([]knowledge.Record, error) {
	b, err := knowledge.LoadFiles(s.state.Files(recs...))
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	for i := range recs {
		recs[i].Time = now
	}
	out, err := s.log.Append(ctx, s.state.Head(), recs...)
	if err != nil {
		return nil, err
	}
	s.state.Apply(out...)
	if err := s.materialise(ctx, out); err != nil {
		return nil, err
	}
	s.show(b)
	if err := s.checkpoint(); err != nil {
		s.warn.Warn("write the data directory's checkpoint", "err", err)
	}
	return out, nil
}

// ErrUnloadable says that the newest revision of a data directory does not
// load, as a log edited by hand or written by an older version can make it;
// Recover goes back to the last revision that does.
var ErrUnloadable = errors.New("does not load")

// Recover brings a data directory whose newest revision does not load back
// to the newest revision that does, as a new revision by author, and returns
// the records written. It changes nothing in a directory that loads.
func Recover(ctx context.Context, dir, author string) ([]knowledge.Record, error) {
	s, err := create(dir, nil)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	unlock, err := s.lockToWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	// catchUp writes the files of every revision before it tries to load the
	// newest, so the files are the log's when it fails.
	if err := s.catchUp(ctx); !errors.Is(err, ErrUnloadable) {
		if err == nil {
			err = fmt.Errorf("the knowledge base at revision %d loads: %w", s.state.Head(), knowledge.ErrNoChange)
		}
		return nil, err
	}
	log, err := s.log.Since(ctx, 0)
	if err != nil {
		return nil, err
	}
	good, ok := knowledge.LastLoading(log)
	if !ok {
		return nil, fmt.Errorf("no revision of %s loads", dir)
	}
	return s.commit(ctx, s.state.Changes(author, fmt.Sprintf("recover revision %d", good.Head()), good.Files()))
}

// catchUp applies the records other processes appended, and writes the files
// of any revision a crash left unwritten.
func (s *Store) catchUp(ctx context.Context) error {
	recs, err := s.log.Since(ctx, s.state.Head())
	if err != nil {
		return err
	}
	s.state.Apply(recs...)
	applied, err := s.applied()
	if err != nil {
		return err
	}
	if applied < s.state.Head() && s.readOnly == nil {
		unwritten, err := s.log.Since(ctx, applied)
		if err != nil {
			return err
		}
		if err := s.materialise(ctx, unwritten); err != nil {
			return err
		}
	}
	if len(recs) == 0 {
		return nil
	}
	if err := s.checkpoint(); err != nil {
		s.warn.Warn("write the data directory's checkpoint", "err", err)
	}
	return s.rebuild()
}

// materialise makes the files changed by recs match the newest state, then
// notes the revision the files reflect.
func (s *Store) materialise(ctx context.Context, recs []knowledge.Record) error {
	done := map[string]bool{}
	for _, r := range recs {
		if done[r.ID] {
			continue
		}
		done[r.ID] = true
		if err := ctx.Err(); err != nil {
			return err
		}
		p := filepath.Join(s.dir, filepath.FromSlash(knowledge.FilePath(r.ID)))
		cur := s.state.Latest(r.ID)
		if !cur.Present() {
			if err := removeFile(p); err != nil {
				return err
			}
			continue
		}
		if old, err := readRegular(p); err == nil && string(old) == cur.Text {
			continue
		}
		if err := writeFileAtomic(p, []byte(cur.Text)); err != nil {
			return err
		}
	}
	return writeFileAtomic(filepath.Join(s.dir, appliedFile), []byte(strconv.FormatInt(s.state.Head(), 10)+"\n"))
}

// applied returns the revision the files reflect.
func (s *Store) applied() (int64, error) {
	data, err := os.ReadFile(filepath.Join(s.dir, appliedFile))
	if os.IsNotExist(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", appliedFile, err)
	}
	return n, nil
}

// rebuild makes the newest state the served view.
func (s *Store) rebuild() error {
	b, err := s.state.Base()
	if err != nil {
		return fmt.Errorf("the knowledge base at revision %d %w: %w", s.state.Head(), ErrUnloadable, err)
	}
	s.show(b)
	return nil
}

// show serves b, the knowledge base of the newest state, and logs the
// hand-edited files that start or stop being skipped.
func (s *Store) show(b *knowledge.Base) {
	var problems []knowledge.Problem
	skipped := slices.Sorted(maps.Keys(s.rejected))
	for _, k := range skipped {
		problems = append(problems, s.rejected[k].problems...)
	}
	if prev := s.view.Load(); prev == nil || !slices.Equal(prev.problems, problems) {
		for _, p := range problems {
			s.warn.Warn("skipping invalid file; its last good version keeps serving", "problem", p.String())
		}
	}
	s.view.Store(&view{base: b, head: s.state.Head(), problems: problems, skipped: skipped})
}

// readDisk reads the entry files and synonyms file in the data directory, by
// path, and lists the paths there that are not regular files, unread.
func (s *Store) readDisk() (texts map[string]string, odd []string, err error) {
	names, err := filepath.Glob(filepath.Join(s.dir, knowledge.EntriesDir, "*.md"))
	if err != nil {
		return nil, nil, err
	}
	texts = map[string]string{}
	for _, n := range append(names, filepath.Join(s.dir, knowledge.SynonymsFile)) {
		rel, err := filepath.Rel(s.dir, n)
		if err != nil {
			return nil, nil, err
		}
		rel = filepath.ToSlash(rel)
		data, err := readRegular(n)
		switch {
		case errors.Is(err, errNotRegular):
			odd = append(odd, rel)
		case errors.Is(err, fs.ErrNotExist):
			// no synonyms, or an entry removed since the listing
		case err != nil:
			return nil, nil, err
		default:
			texts[rel] = string(data)
		}
	}
	return texts, odd, nil
}

// fingerprint sums up the names, sizes and modification times of the data
// directory's files, to notice any change cheaply. The gaps, feedback and
// checkpoint files are left out: they change nothing the knowledge base is
// built from, and must not make it reload.
func (s *Store) fingerprint() string {
	var b []byte
	add := func(dir string) {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			info, err := e.Info()
			if err != nil || e.IsDir() || dir == s.dir && (e.Name() == GapsFile || e.Name() == FeedbackFile || e.Name() == checkpointFile) {
				continue
			}
			b = fmt.Appendf(b, "%s %d %d\n", e.Name(), info.Size(), info.ModTime().UnixNano())
		}
	}
	add(s.dir)
	add(filepath.Join(s.dir, knowledge.EntriesDir))
	return string(b)
}

// fileLock serialises writers: a mutex within the process, an advisory lock
// on a file across processes.
type fileLock struct {
	mu sync.Mutex
	f  *os.File
}

func (l *fileLock) lock(ctx context.Context) (unlock func(), err error) {
	l.mu.Lock()
	if l.f == nil { // a read-only directory: only readers, who need no lock
		return l.mu.Unlock, nil
	}
	if err := lockFile(ctx, l.f); err != nil {
		l.mu.Unlock()
		return nil, fmt.Errorf("lock %s: %w", l.f.Name(), err)
	}
	return func() {
		unlockFile(l.f)
		l.mu.Unlock()
	}, nil
}
