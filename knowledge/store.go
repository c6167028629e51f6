package knowledge

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing/fstest"
	"time"
)

// Files of a data directory, beside EntriesDir and SynonymsFile.
const (
	// LogFile is the append-only history of every change (see FileLog).
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

// Errors of the store. Check them with errors.Is.
var (
	// ErrNotFound is returned for an entry or revision that does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalidID is returned for an id that is not a safe entry id.
	ErrInvalidID = errors.New("invalid entry id")
	// ErrNoChange is returned for a change that would leave everything as it is.
	ErrNoChange = errors.New("nothing to change")
)

// Store is an editable knowledge base in a data directory:
//
//	entries/*.md    the entries, in the format Load reads
//	synonyms.txt    the synonyms
//	log.jsonl       every revision, append-only (FileLog)
//	gaps.jsonl      questions nobody got an answer to
//	feedback.jsonl  👍 and 👎 on answers
//
// The log is the truth and the files follow it. Every change is validated
// by the rules of Load against the whole would-be knowledge base, is
// compare-and-set against the revision its author last saw, and is written
// atomically; the processes sharing a directory take turns through a lock
// file. Files edited by hand are recorded in the log as changes by HandEdit
// when they are valid, and skipped (see Problems) when not.
//
// A Store is safe for concurrent use.
type Store struct {
	dir   string
	log   Log
	kb    fileLock // the entries, synonyms, log and applied files
	event fileLock // the gaps and feedback files

	// Guarded by kb.mu.
	head     int64
	latest   map[string]Record // by entry id or SynonymsFile
	rejected map[string]rejection

	view    atomic.Pointer[view]
	changed chan struct{}
}

// view is the knowledge base as of a revision.
type view struct {
	base *Base
	head int64
	// problems lists what is wrong with the hand-edited files in skipped,
	// the paths of those being skipped.
	problems []Problem
	skipped  []string
}

// rejection is a hand-edited file that failed validation.
type rejection struct {
	text     string
	problems []Problem
}

// Open opens the data directory dir, creating it if needed. A directory with
// no history and no entry files is seeded from seed (the embedded default),
// so that later runs never overwrite what moderators wrote. Open catches up
// with the log, repairs what a crash left behind and records hand edits.
func Open(ctx context.Context, dir string, seed fs.FS) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(dir, EntriesDir), 0o755); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	s := &Store{
		dir:      dir,
		log:      NewFileLog(filepath.Join(dir, LogFile)),
		latest:   map[string]Record{},
		rejected: map[string]rejection{},
		changed:  make(chan struct{}, 1),
	}
	var err error
	if s.kb.f, err = os.OpenFile(filepath.Join(dir, lockFileName), os.O_RDWR|os.O_CREATE, 0o644); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	if s.event.f, err = os.OpenFile(filepath.Join(dir, eventsLock), os.O_RDWR|os.O_CREATE, 0o644); err != nil {
		s.kb.f.Close()
		return nil, fmt.Errorf("data directory: %w", err)
	}
	if err := s.open(ctx, seed); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) open(ctx context.Context, seed fs.FS) error {
	unlock, err := s.kb.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	for _, d := range []string{s.dir, filepath.Join(s.dir, EntriesDir)} {
		if err := removeTemps(d); err != nil {
			return err
		}
	}
	if err := s.catchUp(ctx); err != nil {
		return err
	}
	if s.head == 0 {
		disk, err := s.readDisk()
		if err != nil {
			return err
		}
		if len(disk) == 0 {
			if err := s.seed(ctx, seed); err != nil {
				return err
			}
		}
	}
	if err := s.reconcile(ctx); err != nil {
		return err
	}
	if s.view.Load() == nil {
		return s.rebuild() // an empty directory with nothing to seed it
	}
	return nil
}

// seed records every file of the embedded default as the first revision.
func (s *Store) seed(ctx context.Context, seed fs.FS) error {
	texts, err := readKB(seed)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if _, err := loadTexts(texts); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	var recs []Record
	for _, p := range sortedKeys(texts) {
		recs = append(recs, Record{Author: SeedAuthor, Op: opFor(keyOf(p)), ID: keyOf(p), Text: texts[p], Upstream: true})
	}
	_, err = s.commit(ctx, recs)
	return err
}

// Close releases the store's lock files.
func (s *Store) Close() error {
	return errors.Join(s.kb.f.Close(), s.event.f.Close())
}

// Base returns the newest valid knowledge base and its revision.
func (s *Store) Base() (*Base, int64) {
	v := s.view.Load()
	return v.base, v.head
}

// Problems lists what is wrong with each hand-edited file the store is
// skipping; the last good version of each keeps serving.
func (s *Store) Problems() []Problem { return s.view.Load().problems }

// Skipped lists the hand-edited files the store is skipping, by path; a
// problem of one may name another file, such as an entry relating to it.
func (s *Store) Skipped() []string { return s.view.Load().skipped }

// Source returns the text of an entry (or of SynonymsFile) and the revision
// that wrote it, which a change of it must name as its base.
func (s *Store) Source(id string) (text string, rev int64, err error) {
	if err := checkKey(id); err != nil {
		return "", 0, err
	}
	s.kb.mu.Lock()
	defer s.kb.mu.Unlock()
	r, ok := s.latest[id]
	switch {
	case ok && r.Live():
		return r.Text, r.Rev, nil
	case id == SynonymsFile:
		return "", r.Rev, nil
	default:
		return "", 0, fmt.Errorf("entry %q: %w", id, ErrNotFound)
	}
}

// Refresh catches up with changes made by other processes and by hand. Watch
// calls it whenever the directory changes.
func (s *Store) Refresh(ctx context.Context) error {
	unlock, err := s.kb.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	if err := s.catchUp(ctx); err != nil {
		return err
	}
	return s.reconcile(ctx)
}

// change plans a change against the newest state, under the lock, and
// commits the records plan returns. A plan returns a *ValidationError, a
// *ConflictError or another error to refuse, and changes nothing then.
func (s *Store) change(ctx context.Context, plan func() ([]Record, error)) ([]Record, error) {
	unlock, err := s.kb.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	for {
		if err := s.catchUp(ctx); err != nil {
			return nil, err
		}
		if err := s.reconcile(ctx); err != nil {
			return nil, err
		}
		recs, err := plan()
		if err != nil {
			return nil, err
		}
		out, err := s.commit(ctx, recs)
		if errors.Is(err, ErrHeadMoved) {
			continue // another writer got in first: plan again on its result
		}
		return out, err
	}
}

// commit appends recs to the log and writes the files they change. The caller
// holds the lock and has validated recs.
func (s *Store) commit(ctx context.Context, recs []Record) ([]Record, error) {
	now := time.Now().UTC()
	for i := range recs {
		recs[i].Time = now
	}
	out, err := s.log.Append(ctx, s.head, recs...)
	if err != nil {
		return nil, err
	}
	for _, r := range out {
		s.apply(r)
	}
	if err := s.materialise(ctx, out); err != nil {
		return nil, err
	}
	if err := s.rebuild(); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) apply(r Record) {
	s.latest[r.ID] = r
	s.head = r.Rev
}

// catchUp applies the records other processes appended, and writes the files
// of any revision a crash left unwritten.
func (s *Store) catchUp(ctx context.Context) error {
	recs, err := s.log.Since(ctx, s.head)
	if err != nil {
		return err
	}
	for _, r := range recs {
		s.apply(r)
	}
	applied, err := s.applied()
	if err != nil {
		return err
	}
	if applied < s.head {
		unwritten, err := s.log.Since(ctx, applied)
		if err != nil {
			return err
		}
		if err := s.materialise(ctx, unwritten); err != nil {
			return err
		}
	}
	if len(recs) > 0 {
		return s.rebuild()
	}
	return nil
}

// materialise makes the files changed by recs match the newest state, then
// notes the revision the files reflect.
func (s *Store) materialise(ctx context.Context, recs []Record) error {
	done := map[string]bool{}
	for _, r := range recs {
		if done[r.ID] {
			continue
		}
		done[r.ID] = true
		if err := ctx.Err(); err != nil {
			return err
		}
		p := filepath.Join(s.dir, filepath.FromSlash(keyPath(r.ID)))
		cur := s.latest[r.ID]
		if !present(cur) {
			if err := removeFile(p); err != nil {
				return err
			}
			continue
		}
		if old, err := os.ReadFile(p); err == nil && string(old) == cur.Text {
			continue
		}
		if err := writeFileAtomic(p, []byte(cur.Text)); err != nil {
			return err
		}
	}
	return writeFileAtomic(filepath.Join(s.dir, appliedFile), []byte(strconv.FormatInt(s.head, 10)+"\n"))
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

// rebuild makes the newest state the served view and wakes Watch.
func (s *Store) rebuild() error {
	b, err := loadTexts(s.texts(nil))
	if err != nil {
		return fmt.Errorf("the knowledge base at revision %d does not load: %w", s.head, err)
	}
	var problems []Problem
	skipped := sortedKeys(s.rejected)
	for _, k := range skipped {
		problems = append(problems, s.rejected[k].problems...)
	}
	s.view.Store(&view{base: b, head: s.head, problems: problems, skipped: skipped})
	select {
	case s.changed <- struct{}{}:
	default:
	}
	return nil
}

// texts returns the files of the newest state with changes applied, by path.
func (s *Store) texts(changes []Record) map[string]string {
	m := map[string]string{}
	put := func(r Record) {
		if present(r) {
			m[keyPath(r.ID)] = r.Text
		} else {
			delete(m, keyPath(r.ID))
		}
	}
	for _, r := range s.latest {
		put(r)
	}
	for _, r := range changes {
		put(r)
	}
	return m
}

// validate checks the knowledge base that changes would make, by the rules
// of Load.
func (s *Store) validate(changes []Record) error {
	_, err := loadTexts(s.texts(changes))
	return err
}

// readDisk reads the entry files and synonyms file in the data directory, by
// path.
func (s *Store) readDisk() (map[string]string, error) {
	return readKB(os.DirFS(s.dir))
}

// readKB reads the files Load reads from fsys, by path.
func readKB(fsys fs.FS) (map[string]string, error) {
	names, err := fs.Glob(fsys, EntriesDir+"/*.md")
	if err != nil {
		return nil, err
	}
	texts := map[string]string{}
	for _, n := range append(names, SynonymsFile) {
		data, err := fs.ReadFile(fsys, n)
		if errors.Is(err, fs.ErrNotExist) && n == SynonymsFile {
			continue
		}
		if err != nil {
			return nil, err
		}
		texts[n] = string(data)
	}
	return texts, nil
}

// loadTexts loads a knowledge base from its files' texts, by path.
func loadTexts(texts map[string]string) (*Base, error) {
	fsys := fstest.MapFS{}
	for p, t := range texts {
		fsys[p] = &fstest.MapFile{Data: []byte(t), Mode: 0o644}
	}
	return Load(fsys)
}

// keyPath is the path of an entry's file, or SynonymsFile.
func keyPath(key string) string {
	if key == SynonymsFile {
		return key
	}
	return path.Join(EntriesDir, key+".md")
}

// keyOf is the inverse of keyPath.
func keyOf(p string) string {
	if p == SynonymsFile {
		return p
	}
	return strings.TrimSuffix(path.Base(p), ".md")
}

func opFor(key string) Op {
	if key == SynonymsFile {
		return OpSynonyms
	}
	return OpPut
}

// present reports whether r leaves a file in the data directory: an empty
// synonyms file is no file.
func present(r Record) bool { return r.Live() && (r.Op != OpSynonyms || r.Text != "") }

// checkKey refuses an id that is neither a safe entry id nor SynonymsFile.
func checkKey(key string) error {
	if key != SynonymsFile && !ValidID(key) {
		return fmt.Errorf("%w %q: use lowercase letters, digits and single hyphens (at most 64)", ErrInvalidID, key)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// fileLock serialises writers: a mutex within the process, an advisory lock
// on a file across processes.
type fileLock struct {
	mu sync.Mutex
	f  *os.File
}

func (l *fileLock) lock(ctx context.Context) (unlock func(), err error) {
	l.mu.Lock()
	if err := lockFile(ctx, l.f); err != nil {
		l.mu.Unlock()
		return nil, fmt.Errorf("lock %s: %w", l.f.Name(), err)
	}
	return func() {
		unlockFile(l.f)
		l.mu.Unlock()
	}, nil
}
