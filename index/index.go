package index

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/smpbot/bot/knowledge"
)

// Field names and their query-time weights. Alternate questions are what
// people actually type, so they weigh most; the body is long and general.
const (
	fieldQuestion = "question"
	fieldTags     = "tags"
	fieldBody     = "body"

	synonymSource     = "kb"
	synonymCollection = "kb-synonyms"
	synonymPrefix     = "syn/"
)

var fieldBoosts = []struct {
	name  string
	boost float64
	bit   fieldSet
}{
	{fieldQuestion, 3, inQuestion},
	{fieldTags, 1.5, inTags},
	{fieldBody, 0.5, inBody},
}

// fieldSet is a set of the fields a term appears in.
type fieldSet uint8

const (
	inQuestion fieldSet = 1 << iota
	inTags
	inBody
)

// minBatchEntries is the fewest entries worth a batch, and so an index
// segment, of their own.
const minBatchEntries = 2000

// minSplitEntries is the fewest entries for which a question's clauses are
// searched in two groups at once: see searchGroups.
const minSplitEntries = 1000

// Query limits: how many distinct words of a question are searched, how
// many index documents are read to rank entries, the fewest letters in each
// part of a word read apart (see unjoin), the longest word given typo
// tolerance, and how much a near spelling counts against the word typed.
const (
	maxQueryTerms     = 32
	minPartLetters    = 2
	maxDocHits        = 100
	maxFuzzyLetters   = 30
	nearSpellingBoost = 0.8
	// maxClauses caps the clauses a query may expand to, synonyms included.
	maxClauses = 4096
	// checkDoneEvery is how many hits are collected between looks at
	// whether the question was cancelled.
	checkDoneEvery = 1024
)

var capClauses sync.Once

// Index is a search index over a knowledge base. It is safe for concurrent
// use. Update makes it search a changed knowledge base, in place: a question
// is searched wholly before the change or wholly after it.
type Index struct {
	// mu is held for reading while a question is searched, and for
	// writing while an update changes bleve's documents and cur together.
	mu  sync.RWMutex
	cur *state
	// updating serialises updates, which each start from cur.
	updating sync.Mutex
}

// state is the index as of one knowledge base: bleve's documents, and what
// scores entries besides bleve. An update makes a new state, sharing what
// the change leaves alone, and changes bleve's documents as it swaps it in;
// a state is not changed once it is the index's.
type state struct {
	bleve bleve.Index
	// base is the knowledge base indexed, for the texts Explain quotes and
	// for what an update changes.
	base *knowledge.Base
	// analyzer is the analysis chain bleve indexes with: see analyzeSurface.
	analyzer *analysis.DefaultAnalyzer
	phrases  *knowledge.Synonyms
	// ids numbers every term of the knowledge base, so that scoring compares
	// integers; a term's number indexes the slices below. A term no entry
	// holds any more, after an update, has no number, and its slots stay
	// unused.
	ids map[string]int32
	// df counts the entries each term appears in, to weigh rare words more;
	// weights holds the weight that gives each term.
	df      []int32
	weights []float64
	// fields holds the fields each term appears in: a term query on another
	// field, where neither it nor a synonym appears, cannot match.
	fields  []fieldSet
	entries map[string]*entryTerms
	// vocab holds every term, standing for itself; words holds the surface
	// form of every word of the knowledge base that is indexed, standing for
	// its term (see analyzeSurface), so that a typo is looked for both in the
	// word as typed and in the term it makes.
	vocab *vocabulary
	words *vocabulary
	syn   map[string][]string // analysed term -> its analysed synonyms
	// thesaurus holds what bleve's synonym source gives each of its terms,
	// read once rather than for every query; nil when bleve looks them up.
	thesaurus map[string][]string
	// fieldDF counts, for each field of fieldBoosts, the documents each term
	// appears in in that field; docCount and avgFieldLen are the figures
	// bleve scores with (bm25, handed to it with every search), so that a
	// term query's weight can be worked out.
	fieldDF     [3][]int32
	docCount    uint64
	avgFieldLen [3]float64
	bm25        *search.BM25Stats
	// split is set when a question's clauses are searched in two groups at
	// once: see searchGroups.
	split bool
}

// entryTerms is what scores an entry besides bleve.
type entryTerms struct {
	// terms holds every analysed term of the entry, sorted, for coverage.
	terms []int32
	// phrasings holds the analysed terms of the entry's title and alternate
	// questions, for scoring by the best-matching phrasing.
	phrasings []phrasing
	// solo holds, sorted, the terms that only one of the entry's phrasings
	// holds, and neither its tags nor its body: see soloWeight.
	solo []int32
	// index finds the phrasings that hold a term, once they are weighed.
	index phrasingIndex
	// weighed is set once the phrasings' weights are in: see weigh.
	weighed bool
}

// Build indexes every entry of base.
func Build(base *knowledge.Base) (*Index, error) {
	st, err := build(base)
	if err != nil {
		return nil, err
	}
	return &Index{cur: st}, nil
}

// build makes the state of a new index of base.
func build(base *knowledge.Base) (*state, error) {
	capClauses.Do(func() {
		// bleve reads this package variable for every disjunction; setting it
		// once bounds what any query, fuzzy ones included, may expand to.
		searcher.DisjunctionMaxClauseCount = maxClauses
	})
	m := newMapping()
	analyzer, ok := m.AnalyzerNamed(analyzerName).(*analysis.DefaultAnalyzer)
	if !ok || analyzer.CharFilters != nil {
		return nil, fmt.Errorf("analyser %s is not a plain chain of token filters", analyzerName)
	}
	bi, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("create index: %w", err)
	}
	entries := base.Entries()
	x := &state{
		bleve:    bi,
		base:     base,
		analyzer: analyzer,
		phrases:  base.Synonyms(),
		ids:      map[string]int32{},
		entries:  make(map[string]*entryTerms, len(entries)),
		vocab:    newVocabulary(),
		words:    newVocabulary(),
		syn:      map[string][]string{},
	}
	batch := bi.NewBatch()
	for i, group := range base.Synonyms().Groups {
		if err := batch.IndexSynonym(fmt.Sprintf("%s%d", synonymPrefix, i), synonymCollection,
			&bleve.SynonymDefinition{Synonyms: group}); err != nil {
			return nil, fmt.Errorf("index synonyms on line group %d: %w", i+1, err)
		}
		x.addSynonyms(group)
	}
	analysed := x.analyzeEntries(entries)
	// A large base is indexed in one batch per CPU at once, each making a
	// segment of its own; a small one in a single batch and segment.
	batches := []*bleve.Batch{batch}
	for range min(runtime.GOMAXPROCS(0), len(entries)/minBatchEntries) - 1 {
		batches = append(batches, bi.NewBatch())
	}
	for i, a := range analysed {
		b := batches[i*len(batches)/len(entries)]
		for _, d := range a.docs {
			if err := b.IndexAdvanced(d); err != nil {
				bi.Close()
				return nil, fmt.Errorf("index entry %s: %w", entries[i].ID, err)
			}
		}
	}
	errs := make([]error, len(batches))
	var wg sync.WaitGroup
	for i, b := range batches {
		wg.Go(func() { errs[i] = bi.Batch(b) })
	}
	// Meanwhile, record the terms for scoring.
	for i, a := range analysed {
		x.addEntry(entries[i].ID, a)
	}
	x.words.sort()
	x.vocab.sort()
	x.weigh(nil)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			bi.Close()
			return nil, fmt.Errorf("build index: %w", err)
		}
	}
	if x.thesaurus, err = x.readThesaurus(); err != nil {
		bi.Close()
		return nil, fmt.Errorf("read synonyms: %w", err)
	}
	if err := x.readStats(); err != nil {
		bi.Close()
		return nil, fmt.Errorf("read index statistics: %w", err)
	}
	return x, nil
}

// current returns the state questions are searched in now.
func (x *Index) current() *state {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.cur
}

// reader opens a reader of bleve's index as it is now; the caller closes it.
func (x *state) reader() (bleveindex.IndexReader, error) {
	adv, err := x.bleve.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

// readStats reads the number of documents from bleve, and works out the
// figures scoring needs from it: see scoreStats.
func (x *state) readStats() error {
	r, err := x.reader()
	if err != nil {
		return err
	}
	defer r.Close()
	if x.docCount, err = r.DocCount(); err != nil {
		return err
	}
	_, bm25 := r.(bleveindex.BM25Reader)
	x.scoreStats(bm25)
	return nil
}

// scoreStats works out the figures bleve scores term queries by, when it
// scores by bm25 (see bm25Stats), and with them and the thesaurus sets
// split.
func (x *state) scoreStats(bm25 bool) {
	x.avgFieldLen = [3]float64{}
	x.bm25, x.split = nil, false
	m, isImpl := x.bleve.Mapping().(*mapping.IndexMappingImpl)
	if !bm25 || !isImpl || m.ScoringModel != bleveindex.BM25Scoring || x.thesaurus == nil || x.docCount == 0 {
		return // search in one piece
	}
	x.bm25 = x.bm25Stats()
	for i, f := range fieldBoosts {
		x.avgFieldLen[i] = math.Ceil(float64(x.bm25.FieldCardinality[f.name]) / float64(x.docCount))
	}
	// Two searches cost more than one on a small base, and only pay on two
	// CPUs or more.
	x.split = len(x.entries) >= minSplitEntries && runtime.GOMAXPROCS(0) > 1
}

// bm25Stats returns the figures bleve scores term queries by: the number of
// documents, and for each field the number of distinct terms in it, which
// bleve divides by the former for a field's average length. bleve counts
// each segment's terms, deleted documents' included, so that its own figure
// would change with how the index happened to be built, updated and merged;
// this one is what a single segment of the knowledge base gives, whatever
// its history.
func (x *state) bm25Stats() *search.BM25Stats {
	s := &search.BM25Stats{DocCount: float64(x.docCount), FieldCardinality: map[string]int{}}
	for i, f := range fieldBoosts {
		n := 0
		for _, df := range x.fieldDF[i] {
			if df > 0 {
				n++
			}
		}
		s.FieldCardinality[f.name] = n
	}
	return s
}

// readThesaurus reads, for every term of the synonym source, the synonyms
// bleve widens a term query for it to, exactly as bleve looks them up for a
// query. A term not in the source has none.
func (x *state) readThesaurus() (map[string][]string, error) {
	sm, ok := x.bleve.Mapping().(mapping.SynonymMapping)
	if !ok {
		return nil, nil
	}
	r, err := x.reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	tr, ok := r.(bleveindex.ThesaurusReader)
	if !ok {
		return nil, nil
	}
	keys, err := tr.ThesaurusKeys(synonymSource)
	if err != nil {
		return nil, err
	}
	defer keys.Close()
	out := map[string][]string{}
	for {
		k, err := keys.Next()
		if err != nil {
			return nil, err
		}
		if k == nil {
			return out, nil
		}
		tq := bleve.NewTermQuery(k.Term)
		tq.SetField(fieldQuestion)
		fts, err := query.ExtractSynonyms(context.Background(), sm, tr, tq, nil)
		if err != nil {
			return nil, err
		}
		out[k.Term] = fts[fieldQuestion][k.Term]
	}
}

// analysedEntry is an entry's bleve documents and the analysed terms of its
// texts (its tags, its body, then each phrasing) with the surface form of
// each term's word: see analyzeSurface.
//
// bleve indexes two documents for an entry: one for its tags and body, one
// for its phrasings (the title and each alternate question), which find the
// entry while the ranking scores each phrasing on its own, so that no
// phrasing dilutes another. Every document has the three fields, as bleve's
// mapping of a struct with the three would give it, the ones it does not use
// empty.
type analysedEntry struct {
	docs    []*document.Document
	texts   []preAnalysed
	surface [][][]byte
}

// analyzeEntries analyses the entries on every CPU. Each text is analysed
// once: bleve is handed the tokens rather than the text to analyse again.
func (x *state) analyzeEntries(entries []*knowledge.Entry) []analysedEntry {
	opts := textField().Options()
	field := func(name, value string, tokens preAnalysed) *document.TextField {
		return document.NewTextFieldCustom(name, nil, []byte(value), opts, tokens)
	}
	out := make([]analysedEntry, len(entries))
	const chunk = 32
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), (len(entries)+chunk-1)/chunk) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				from := int(next.Add(chunk)) - chunk
				if from >= len(entries) {
					return
				}
				for i := from; i < min(from+chunk, len(entries)); i++ {
					out[i] = x.analyzeEntry(entries[i], field)
				}
			}
		}()
	}
	wg.Wait()
	return out
}

// newField makes a text field with the indexing options of the mapping.
type newField func(name, value string, tokens preAnalysed) *document.TextField

func (x *state) analyzeEntry(e *knowledge.Entry, field newField) analysedEntry {
	phrasings := append([]string{e.Title}, e.Questions...)
	a := analysedEntry{
		docs:    make([]*document.Document, 0, 2),
		texts:   make([]preAnalysed, 0, 2+len(phrasings)),
		surface: make([][][]byte, 0, 2+len(phrasings)),
	}
	var empty preAnalysed
	// newDoc makes the document bleve's mapping would make of the three
	// texts, with their tokens already analysed.
	newDoc := func(id string, question, tags, body string, qt, tt, bt preAnalysed) *document.Document {
		d := document.NewDocument(id)
		d.AddField(field(fieldQuestion, question, qt))
		d.AddField(field(fieldTags, tags, tt))
		d.AddField(field(fieldBody, body, bt))
		d.SetIndexed()
		return d
	}
	body := x.normalize(stripMarkdown(e.Body))
	tags := strings.Join(e.Tags, " ")
	bodyTokens, bodySurface := x.analyzeSurface(body)
	tagTokens, tagSurface := x.analyzeSurface(tags)
	a.docs = append(a.docs, newDoc(entryDoc+e.ID, "", tags, body, empty, tagTokens, bodyTokens))
	a.texts = append(a.texts, tagTokens, bodyTokens)
	a.surface = append(a.surface, tagSurface, bodySurface)
	// Every phrasing goes into one document, one after another: bleve
	// finds the entries whose phrasings share words with a question, and
	// matchPhrasings scores them phrasing by phrasing. One document per entry
	// rather than per phrasing makes bleve read a word's postings once for an
	// entry however many of its phrasings hold it.
	var all preAnalysed
	var joined strings.Builder
	for _, q := range phrasings {
		q = x.normalize(q)
		qTokens, qSurface := x.analyzeSurface(q)
		a.texts = append(a.texts, qTokens)
		a.surface = append(a.surface, qSurface)
		if joined.Len() > 0 {
			joined.WriteByte('\n')
		}
		all = appendTokens(all, qTokens, joined.Len())
		joined.WriteString(q)
	}
	a.docs = append(a.docs, newDoc(phrasingDoc+e.ID, joined.String(), "", "", all, empty, empty))
	return a
}

// appendTokens appends the tokens of a text that starts at byte offset of a
// field's value to the tokens of the texts before it, with positions that
// carry on from theirs after a gap of one, as bleve numbers the values of a
// field that holds several.
func appendTokens(field, text preAnalysed, offset int) preAnalysed {
	pos := 0
	if n := len(field); n > 0 {
		pos = field[n-1].Position + 1
	}
	for _, tok := range text {
		t := *tok
		t.Position += pos
		t.Start += offset
		t.End += offset
		field = append(field, &t)
	}
	return field
}

// preAnalysed is the token stream of a text, handed to bleve as the analyser
// of the text's field so that the text is analysed only once.
type preAnalysed analysis.TokenStream

// Analyze returns the tokens, whatever the input: they are its analysis.
func (p preAnalysed) Analyze([]byte) analysis.TokenStream { return analysis.TokenStream(p) }

func (p preAnalysed) terms() []string {
	out := make([]string, len(p))
	for i, tok := range p {
		out[i] = string(tok.Term)
	}
	return out
}

// addEntry records an analysed entry's terms and the surface forms of their
// words.
func (x *state) addEntry(id string, a analysedEntry) {
	et := &entryTerms{phrasings: make([]phrasing, 0, len(a.texts)-2)}
	in := x.entryFields(a, func(tok *analysis.Token, surface []byte) int32 {
		n := x.intern(tok.Term)
		x.words.add(surface, tok.Term)
		return n
	}, func(ids []int32) { et.phrasings = append(et.phrasings, phrasing{terms: ids}) })
	et.terms = make([]int32, 0, len(in))
	for n, fs := range in {
		et.terms = append(et.terms, n)
		x.df[n]++
		x.fields[n] |= fs
		for fi, f := range fieldBoosts {
			if fs&f.bit != 0 {
				x.fieldDF[fi][n]++
			}
		}
	}
	slices.Sort(et.terms)
	et.solo = soloTerms(et.phrasings, in)
	x.entries[id] = et
}

// soloTerms returns, sorted, the terms that only one of phrasings holds and
// that in, the fields of the entry's terms, has in no other field.
func soloTerms(phrasings []phrasing, in map[int32]fieldSet) []int32 {
	// holders counts the phrasings that hold each term; last is the number,
	// from 1, of the last phrasing counted, so that a term twice in one
	// phrasing counts once.
	type holders struct{ n, last int }
	count := map[int32]holders{}
	for i, p := range phrasings {
		for _, t := range p.terms {
			if h := count[t]; h.last != i+1 {
				count[t] = holders{h.n + 1, i + 1}
			}
		}
	}
	var solo []int32
	for t, h := range count {
		if h.n == 1 && in[t] == inQuestion {
			solo = append(solo, t)
		}
	}
	slices.Sort(solo)
	return solo
}

// removeEntry takes back what addEntry recorded of an analysed entry: the
// entry's terms and words, and each term no entry holds any more.
func (x *state) removeEntry(id string, a analysedEntry) {
	terms := map[int32]string{}
	in := x.entryFields(a, func(tok *analysis.Token, surface []byte) int32 {
		x.words.remove(surface)
		n := x.ids[string(tok.Term)]
		terms[n] = string(tok.Term)
		return n
	}, func([]int32) {})
	for n, fs := range in {
		x.df[n]--
		for fi, f := range fieldBoosts {
			if fs&f.bit != 0 {
				if x.fieldDF[fi][n]--; x.fieldDF[fi][n] == 0 {
					x.fields[n] &^= f.bit
				}
			}
		}
	}
	for n, term := range terms {
		if x.df[n] == 0 {
			delete(x.ids, term)
			x.vocab.remove([]byte(term))
		}
	}
	delete(x.entries, id)
}

// entryFields returns the fields of the entry each of its terms appears in,
// numbering each token with number, and handing phrasing the numbers of
// each phrasing's terms in order. bleve has a field's terms in the entry's
// documents: the tags and the body of one, the phrasings of the other.
func (x *state) entryFields(a analysedEntry, number func(tok *analysis.Token, surface []byte) int32, phrasing func([]int32)) map[int32]fieldSet {
	in := map[int32]fieldSet{}
	for i, text := range a.texts {
		field := inBody
		switch {
		case i == 0:
			field = inTags
		case i >= 2:
			field = inQuestion
		}
		ids := make([]int32, len(text))
		for j, tok := range text {
			ids[j] = number(tok, a.surface[i][j])
			in[ids[j]] |= field
		}
		if i >= 2 {
			phrasing(ids)
		}
	}
	return in
}

// intern returns the number of a term of the knowledge base, numbering it
// if it is new.
func (x *state) intern(b []byte) int32 {
	n, ok := x.ids[string(b)]
	if !ok {
		term := string(b)
		n = int32(len(x.df))
		x.ids[term] = n
		x.df = append(x.df, 0)
		x.fields = append(x.fields, 0)
		for f := range x.fieldDF {
			x.fieldDF[f] = append(x.fieldDF[f], 0)
		}
		x.vocab.add(b, b)
	}
	return n
}

// Close releases the index.
func (x *Index) Close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.cur.bleve.Close()
}
