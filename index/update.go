package index

import (
	"fmt"
	"maps"
	"slices"

	"github.com/smpbot/bot/knowledge"
)

// Update makes x search base from now on, changing only what differs from
// the knowledge base it searches now: an entry of base that is not the very
// *knowledge.Entry x indexed is indexed again, one no longer in base is
// removed, and the statistics scoring depends on (each term's entries and
// fields, the vocabulary typos are looked up in, bleve's figures) follow.
// Questions are searched as a fresh Build of base would search them. Changed
// synonyms, or a change to more than a quarter of the entries, build the
// index anew, which is then faster.
//
// bleve's documents change in one batch while no question is being
// searched, together with what scores entries besides bleve: a question is
// searched wholly before the update or wholly after it. An update that fails
// changes nothing. Update is safe for concurrent use with Search, Explain
// and other updates.
func (x *Index) Update(base *knowledge.Base) error {
	x.updating.Lock()
	defer x.updating.Unlock()
	old := x.current()
	changed, removed := diff(old.base, base)
	if base.Synonyms() != old.base.Synonyms() || 4*(len(changed)+len(removed)) > len(base.Entries()) {
		st, err := build(base)
		if err != nil {
			return err
		}
		x.mu.Lock()
		x.cur = st
		x.mu.Unlock()
		// No question is searched in the old bleve index any more, and
		// an index in memory has nothing whose release can fail.
		_ = old.bleve.Close()
		return nil
	}
	st := old.clone(base)
	batch := st.bleve.NewBatch()
	for _, id := range removed {
		batch.Delete(entryDoc + id)
		batch.Delete(phrasingDoc + id)
	}
	// The entries replaced or removed, as indexed, to take back.
	var gone []*knowledge.Entry
	for _, e := range changed {
		if prev, ok := old.base.Entry(e.ID); ok {
			gone = append(gone, prev)
		}
	}
	replaced := len(gone)
	for _, id := range removed {
		e, _ := old.base.Entry(id)
		gone = append(gone, e)
	}
	for i, a := range st.analyzeEntries(gone) {
		st.removeEntry(gone[i].ID, a)
	}
	for i, a := range st.analyzeEntries(changed) {
		for _, d := range a.docs {
			if err := batch.IndexAdvanced(d); err != nil {
				return fmt.Errorf("index entry %s: %w", changed[i].ID, err)
			}
		}
		st.addEntry(changed[i].ID, a)
	}
	st.weigh(old.weights)
	// Each entry is two of bleve's documents.
	st.docCount += 2 * uint64(len(changed)-replaced)
	st.docCount -= 2 * uint64(len(removed))
	st.scoreStats(old.bm25 != nil) // bleve reads bm25 figures as before

	x.mu.Lock()
	defer x.mu.Unlock()
	if err := st.bleve.Batch(batch); err != nil {
		return fmt.Errorf("update index: %w", err)
	}
	x.cur = st
	return nil
}

// diff returns the entries of base that are not the very entries of prev,
// sorted by id, and the ids of prev's entries that base lacks.
func diff(prev, base *knowledge.Base) (changed []*knowledge.Entry, removed []string) {
	for _, e := range base.Entries() {
		if p, ok := prev.Entry(e.ID); !ok || p != e {
			changed = append(changed, e)
		}
	}
	for _, e := range prev.Entries() {
		if _, ok := base.Entry(e.ID); !ok {
			removed = append(removed, e.ID)
		}
	}
	return changed, removed
}

// clone returns a copy of x for base that an update can change without
// changing x. What an update replaces rather than changes is shared.
func (x *state) clone(base *knowledge.Base) *state {
	c := *x
	c.base = base
	c.ids = maps.Clone(x.ids)
	c.df = slices.Clone(x.df)
	c.fields = slices.Clone(x.fields)
	for f := range c.fieldDF {
		c.fieldDF[f] = slices.Clone(x.fieldDF[f])
	}
	c.entries = maps.Clone(x.entries)
	c.vocab = x.vocab.clone()
	c.words = x.words.clone()
	return &c
}
