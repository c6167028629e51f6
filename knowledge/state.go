package knowledge

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"testing/fstest"
)

// State is the knowledge base as of a revision of its log: the newest record
// of each file. Folding a log into a State is how the answering service, the
// moderation service and a storage adapter each see the same knowledge base.
// A State is not safe for concurrent use.
type State struct {
	head   int64
	latest map[string]Record // by entry id or SynonymsFile
}

// Head returns the revision the state is as of.
func (st *State) Head() int64 { return st.head }

// Apply folds recs, which follow Head in order, into the state.
func (st *State) Apply(recs ...Record) {
	if st.latest == nil {
		st.latest = map[string]Record{}
	}
	for _, r := range recs {
		st.latest[r.ID] = r
		st.head = r.Rev
	}
}

// Restore returns the state as of revision head whose newest records are
// latest, one a file, as Records returns them.
func Restore(head int64, latest []Record) State {
	st := State{head: head, latest: make(map[string]Record, len(latest))}
	for _, r := range latest {
		st.latest[r.ID] = r
	}
	return st
}

// Records returns the newest record of each file, by id: with Head, all
// that Restore needs.
func (st *State) Records() []Record {
	out := make([]Record, 0, len(st.latest))
	for _, id := range st.IDs() {
		out = append(out, st.latest[id])
	}
	return out
}

// Latest returns the newest record of an entry (or of SynonymsFile), or the
// zero Record when it has never existed.
func (st *State) Latest(id string) Record { return st.latest[id] }

// IDs returns every id that has a record, sorted.
func (st *State) IDs() []string { return sortedKeys(st.latest) }

// Files returns the files of the knowledge base with changes applied, by
// path, as Load reads them.
func (st *State) Files(changes ...Record) map[string]string {
	m := map[string]string{}
	put := func(r Record) {
		if r.Present() {
			m[FilePath(r.ID)] = r.Text
		} else {
			delete(m, FilePath(r.ID))
		}
	}
	for _, r := range st.latest {
		put(r)
	}
	for _, r := range changes {
		put(r)
	}
	return m
}

// Check validates the knowledge base that changes would make, by the rules
// of Load.
func (st *State) Check(changes ...Record) error {
	_, err := LoadFiles(st.Files(changes...))
	return err
}

// Base loads the knowledge base of the state.
func (st *State) Base() (*Base, error) { return LoadFiles(st.Files()) }

// Changes returns the records, by author with note, that make the state's
// files the given ones, by path: files added or replaced, entries removed.
func (st *State) Changes(author, note string, files map[string]string) []Record {
	var recs []Record
	for _, p := range sortedKeys(files) {
		id := FileID(p)
		if cur := st.Latest(id); !cur.Present() || cur.Text != files[p] {
			recs = append(recs, Record{Author: author, Op: OpFor(id), ID: id, Text: files[p], Note: note})
		}
	}
	for _, id := range st.IDs() {
		if _, ok := files[FilePath(id)]; !ok && st.Latest(id).Present() {
			op := OpRemove
			if id == SynonymsFile {
				op = OpSynonyms // an empty synonyms file is its absence
			}
			recs = append(recs, Record{Author: author, Op: op, ID: id, Note: note})
		}
	}
	return recs
}

// LastLoading returns the state of the newest revision of log, a whole log
// oldest first, whose knowledge base loads, and false when none does. Only
// the ends of batches are revisions anyone saw.
func LastLoading(log []Record) (State, bool) {
	for n := len(log); n > 0; n-- {
		if r := log[n-1]; r.Batch != 0 && r.Batch != r.Rev {
			continue
		}
		var st State
		st.Apply(log[:n]...)
		if _, err := st.Base(); err == nil {
			return st, true
		}
	}
	return State{}, false
}

// ReadFiles reads the files Load reads from fsys, by path.
func ReadFiles(fsys fs.FS) (map[string]string, error) {
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

// LoadFiles loads a knowledge base from its files' texts, by path.
func LoadFiles(texts map[string]string) (*Base, error) {
	fsys := fstest.MapFS{}
	for p, t := range texts {
		fsys[p] = &fstest.MapFile{Data: []byte(t), Mode: 0o644}
	}
	return Load(fsys)
}

// FilePath is the path of an entry's file, or SynonymsFile.
func FilePath(id string) string {
	if id == SynonymsFile {
		return id
	}
	return path.Join(EntriesDir, id+".md")
}

// FileID is the inverse of FilePath.
func FileID(p string) string {
	if p == SynonymsFile {
		return p
	}
	return strings.TrimSuffix(path.Base(p), ".md")
}

// OpFor is the operation that writes the file of id.
func OpFor(id string) Op {
	if id == SynonymsFile {
		return OpSynonyms
	}
	return OpPut
}

// CheckID refuses an id that is neither a safe entry id nor SynonymsFile.
func CheckID(id string) error {
	if id != SynonymsFile && !ValidID(id) {
		return fmt.Errorf("%w %q: use lowercase letters, digits and single hyphens (at most 64)", ErrInvalidID, id)
	}
	return nil
}

// EnsureNewline returns text ending in exactly one newline, as files are
// stored.
func EnsureNewline(text string) string {
	return strings.TrimRight(text, "\n") + "\n"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
