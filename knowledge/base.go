package knowledge

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
)

// Base is a validated knowledge base: its entries and its synonyms. A Base is
// immutable and safe for concurrent use.
type Base struct {
	entries  []*Entry // sorted by id
	byID     map[string]*Entry
	lists    map[string][]*Entry // checklist name -> steps in order
	synonyms *Synonyms
	subject  map[string]bool // see mentionsSubject
}

// Layout of a knowledge-base directory.
const (
	EntriesDir   = "entries"
	SynonymsFile = "synonyms.txt"
)

// Load reads a knowledge base from fsys: every entries/*.md file and the
// optional synonyms.txt. It validates everything and returns a *ValidationError
// listing every problem, with file and line, when anything is wrong.
func Load(fsys fs.FS) (*Base, error) {
	var problems []Problem
	names, err := fs.Glob(fsys, EntriesDir+"/*.md")
	if err != nil {
		return nil, err
	}
	var entries []*Entry
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			problems = append(problems, Problem{File: name, Msg: err.Error()})
			continue
		}
		e, ps := loadEntry(name, data)
		problems = append(problems, ps...)
		if e != nil {
			entries = append(entries, e)
		}
	}
	syn := &Synonyms{}
	if data, err := fs.ReadFile(fsys, SynonymsFile); err == nil {
		var ps []Problem
		syn, ps = ParseSynonyms(SynonymsFile, data)
		problems = append(problems, ps...)
	} else if !errors.Is(err, fs.ErrNotExist) {
		problems = append(problems, Problem{File: SynonymsFile, Msg: err.Error()})
	}
	b, ps := NewBase(entries, syn)
	problems = append(problems, ps...)
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	return b, nil
}

// loadEntry parses the entry file name as Load does, and returns the entry
// when it has no problems.
func loadEntry(name string, data []byte) (*Entry, []Problem) {
	e, ps := ParseEntry(name, data)
	if e == nil || len(ps) > 0 {
		return nil, ps
	}
	if want := strings.TrimSuffix(path.Base(name), ".md"); e.ID != want {
		return nil, []Problem{{File: name, Line: e.Line("id"), Msg: fmt.Sprintf("id %q does not match the file name (want %q)", e.ID, want)}}
	}
	return e, nil
}

// Apply returns the knowledge base that recs, records of a log in order,
// make of b: the one Load would read from b's files with each record's file
// written or removed. Only the files recs write are parsed; every other
// entry, and the synonyms when no record writes them, are b's own, the very
// same values, so that an index can tell what changed. A knowledge base
// that would not load returns a *ValidationError with the problems of the
// files recs write and of the entries together. b is not changed.
func (b *Base) Apply(recs ...Record) (*Base, error) {
	latest := map[string]Record{}
	for _, r := range recs {
		latest[r.ID] = r
	}
	byID := make(map[string]*Entry, len(b.byID))
	maps.Copy(byID, b.byID)
	syn := b.synonyms
	var problems []Problem
	for _, id := range sortedKeys(latest) {
		r := latest[id]
		if id == SynonymsFile {
			syn = &Synonyms{}
			if r.Present() {
				var ps []Problem
				syn, ps = ParseSynonyms(SynonymsFile, []byte(r.Text))
				problems = append(problems, ps...)
			}
			continue
		}
		delete(byID, id)
		if r.Present() {
			e, ps := loadEntry(FilePath(id), []byte(r.Text))
			problems = append(problems, ps...)
			if e != nil {
				byID[id] = e
			}
		}
	}
	entries := slices.SortedFunc(maps.Values(byID), func(a, b *Entry) int { return strings.Compare(a.ID, b.ID) })
	nb, ps := NewBase(entries, syn)
	problems = append(problems, ps...)
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	return nb, nil
}

// NewBase checks entries against each other (duplicate ids, broken related
// links, checklist step gaps) and builds a Base. Entries must already have
// passed ParseEntry's checks.
func NewBase(entries []*Entry, syn *Synonyms) (*Base, []Problem) {
	var problems []Problem
	add := func(e *Entry, key, format string, args ...any) {
		problems = append(problems, Problem{File: e.File, Line: e.Line(key), Msg: fmt.Sprintf(format, args...)})
	}
	if len(entries) == 0 {
		problems = append(problems, Problem{File: EntriesDir, Msg: "the knowledge base has no entries"})
	}
	if syn == nil {
		syn = &Synonyms{}
	}
	b := &Base{byID: make(map[string]*Entry, len(entries)), lists: map[string][]*Entry{}, synonyms: syn, subject: subjectWords(syn)}
	for _, e := range entries {
		if prev, ok := b.byID[e.ID]; ok {
			add(e, "id", "duplicate id %q (also in %s)", e.ID, prev.File)
			continue
		}
		b.byID[e.ID] = e
		b.entries = append(b.entries, e)
		if e.Kind == Checklist {
			b.lists[e.Checklist] = append(b.lists[e.Checklist], e)
		}
	}
	for _, e := range b.entries {
		for _, r := range e.Related {
			if r == e.ID {
				add(e, "related", "entry lists itself as related")
			} else if re, ok := b.byID[r]; !ok {
				add(e, "related", "related id %q does not exist", r)
			} else if !re.Answers() {
				add(e, "related", "related id %q is an out-of-scope topic, which is never shown", r)
			}
		}
	}
	for name, steps := range b.lists {
		sort.Slice(steps, func(i, j int) bool { return steps[i].Step < steps[j].Step })
		for i, e := range steps {
			if e.Step != i+1 {
				add(e, "step", "checklist %q: expected step %d, found step %d (steps must run 1, 2, 3 … without gaps or repeats)", name, i+1, e.Step)
				break
			}
		}
	}
	sort.Slice(b.entries, func(i, j int) bool { return b.entries[i].ID < b.entries[j].ID })
	return b, problems
}

// Entries returns every entry, sorted by id. The slice must not be modified.
func (b *Base) Entries() []*Entry { return b.entries }

// Entry returns the entry with the given id.
func (b *Base) Entry(id string) (*Entry, bool) {
	e, ok := b.byID[id]
	return e, ok
}

// Checklist returns the steps of the named checklist in step order.
func (b *Base) Checklist(name string) []*Entry { return b.lists[name] }

// Checklists returns the names of all checklists, sorted.
func (b *Base) Checklists() []string {
	names := make([]string, 0, len(b.lists))
	for n := range b.lists {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lint returns what `bot kb lint` finds wrong with the writing of the
// entries. Unlike Load's problems these leave the base usable, so that the
// bot keeps answering while writers fix them.
func (b *Base) Lint() []Problem {
	var ps []Problem
	for _, e := range b.entries {
		ps = append(ps, e.lint()...)
	}
	return ps
}

// Synonyms returns the synonym groups of the knowledge base.
func (b *Base) Synonyms() *Synonyms { return b.synonyms }
