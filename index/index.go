package index

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
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
// many index documents are read to rank entries, the longest word given typo
// tolerance, and how much a near spelling counts against the word typed.
const (
	maxQueryTerms     = 32
	maxDocHits        = 100
	maxFuzzyLetters   = 30
	nearSpellingBoost = 0.8
	// maxClauses caps the clauses a query may expand to, synonyms included.
	maxClauses = 4096
)

var capClauses sync.Once

// Index is a read-only search index over one knowledge base. It is safe for
// concurrent use; build a new one to reflect a changed knowledge base.
type Index struct {
	bleve    bleve.Index
	analyzer analysis.Analyzer
	phrases  *knowledge.Synonyms
	// ids numbers every term of the knowledge base, so that scoring compares
	// integers; a term's number indexes the slices below.
	ids map[string]int32
	// df counts the entries each term appears in, to weigh rare words more;
	// weights holds the weight that gives each term.
	df      []int32
	weights []float64
	// fields holds the fields each term appears in: a term query on another
	// field, where neither it nor a synonym appears, cannot match.
	fields  []fieldSet
	entries map[string]*entryTerms
	vocab   *vocabulary
	syn     map[string][]string // analysed term -> its analysed synonyms
	// thesaurus holds what bleve's synonym source gives each of its terms,
	// read once rather than for every query; nil when bleve looks them up.
	thesaurus map[string][]string
	// fieldDF counts, for each field of fieldBoosts, the documents each term
	// appears in in that field; docCount and avgFieldLen are bleve's figures
	// for scoring, so that a term query's weight can be worked out.
	fieldDF     [3][]int32
	docCount    uint64
	avgFieldLen [3]float64
	// texts numbers the texts (document fields) as they are recorded;
	// lastText holds the last text each term was counted in. Build only.
	texts    int32
	lastText []int32
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
}

// Build indexes every entry of base.
func Build(base *knowledge.Base) (*Index, error) {
	capClauses.Do(func() {
		// bleve reads this package variable for every disjunction; setting it
		// once bounds what any query, fuzzy ones included, may expand to.
		searcher.DisjunctionMaxClauseCount = maxClauses
	})
	m := newMapping()
	bi, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("create index: %w", err)
	}
	entries := base.Entries()
	idx := &Index{
		bleve:    bi,
		analyzer: m.AnalyzerNamed(analyzerName),
		phrases:  base.Synonyms(),
		ids:      map[string]int32{},
		entries:  make(map[string]*entryTerms, len(entries)),
		vocab:    newVocabulary(),
		syn:      map[string][]string{},
	}
	batch := bi.NewBatch()
	for i, group := range base.Synonyms().Groups {
		if err := batch.IndexSynonym(fmt.Sprintf("%s%d", synonymPrefix, i), synonymCollection,
			&bleve.SynonymDefinition{Synonyms: group}); err != nil {
			return nil, fmt.Errorf("index synonyms on line group %d: %w", i+1, err)
		}
		idx.addSynonyms(group)
	}
	opts := textField().Options()
	field := func(name, value string, tokens preAnalysed) *document.TextField {
		return document.NewTextFieldCustom(name, nil, []byte(value), opts, tokens)
	}
	analysed := idx.analyzeEntries(entries, field)
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
		idx.addEntry(entries[i].ID, a)
	}
	idx.weigh()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			bi.Close()
			return nil, fmt.Errorf("build index: %w", err)
		}
	}
	idx.lastText = nil
	if idx.thesaurus, err = idx.readThesaurus(); err != nil {
		bi.Close()
		return nil, fmt.Errorf("read synonyms: %w", err)
	}
	if err := idx.readStats(); err != nil {
		bi.Close()
		return nil, fmt.Errorf("read index statistics: %w", err)
	}
	return idx, nil
}

// readStats reads the figures bleve scores term queries by: the number of
// documents and each field's average length as bleve reckons it. With them,
// and the thesaurus, it sets split.
func (x *Index) readStats() error {
	adv, err := x.bleve.Advanced()
	if err != nil {
		return err
	}
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	if x.docCount, err = r.DocCount(); err != nil {
		return err
	}
	br, ok := r.(bleveindex.BM25Reader)
	m, isImpl := x.bleve.Mapping().(*mapping.IndexMappingImpl)
	if !ok || !isImpl || m.ScoringModel != bleveindex.BM25Scoring || x.thesaurus == nil || x.docCount == 0 {
		return nil // search in one piece
	}
	for i, f := range fieldBoosts {
		card, err := br.FieldCardinality(f.name)
		if err != nil {
			return err
		}
		x.avgFieldLen[i] = math.Ceil(float64(card) / float64(x.docCount))
	}
	// Two searches cost more than one on a small base, and only pay on two
	// CPUs or more.
	x.split = len(x.entries) >= minSplitEntries && runtime.GOMAXPROCS(0) > 1
	return nil
}

// readThesaurus reads, for every term of the synonym source, the synonyms
// bleve widens a term query for it to, exactly as bleve looks them up for a
// query. A term not in the source has none.
func (x *Index) readThesaurus() (map[string][]string, error) {
	sm, ok := x.bleve.Mapping().(mapping.SynonymMapping)
	if !ok {
		return nil, nil
	}
	adv, err := x.bleve.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
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
// texts: its tags, its body, then each phrasing.
//
// bleve indexes one document for an entry's tags and body, and one per
// phrasing (the title and each alternate question), so that every phrasing is
// scored on its own and no phrasing dilutes another. Every document has the
// three fields, as bleve's mapping of a struct with the three would give it,
// the ones it does not use empty.
type analysedEntry struct {
	docs  []*document.Document
	texts []preAnalysed
}

// analyzeEntries analyses the entries on every CPU. Each text is analysed
// once: bleve is handed the tokens rather than the text to analyse again.
func (x *Index) analyzeEntries(entries []*knowledge.Entry, field newField) []analysedEntry {
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

func (x *Index) analyzeEntry(e *knowledge.Entry, field newField) analysedEntry {
	phrasings := append([]string{e.Title}, e.Questions...)
	a := analysedEntry{
		docs:  make([]*document.Document, 0, 1+len(phrasings)),
		texts: make([]preAnalysed, 0, 2+len(phrasings)),
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
	bodyTokens, tagTokens := x.tokens(body), x.tokens(tags)
	a.docs = append(a.docs, newDoc(entryDoc+e.ID, "", tags, body, empty, tagTokens, bodyTokens))
	a.texts = append(a.texts, tagTokens, bodyTokens)
	for n, q := range phrasings {
		q = x.normalize(q)
		qTokens := x.tokens(q)
		a.docs = append(a.docs, newDoc(fmt.Sprintf("%s%s/%d", phrasingDoc, e.ID, n), q, "", "", qTokens, empty, empty))
		a.texts = append(a.texts, qTokens)
	}
	return a
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

// addEntry records an analysed entry's terms, in the order they appear.
func (x *Index) addEntry(id string, a analysedEntry) {
	et := &entryTerms{phrasings: make([]phrasing, 0, len(a.texts)-2)}
	seen := map[int32]struct{}{}
	for i, text := range a.texts {
		field, fi := inBody, 2
		switch {
		case i == 0:
			field, fi = inTags, 1
		case i >= 2:
			field, fi = inQuestion, 0
		}
		x.texts++
		ids := make([]int32, len(text))
		for j, tok := range text {
			n := x.intern(tok.Term)
			ids[j] = n
			x.fields[n] |= field
			if x.lastText[n] != x.texts {
				x.lastText[n] = x.texts
				x.fieldDF[fi][n]++
			}
			if _, ok := seen[n]; !ok {
				seen[n] = struct{}{}
				et.terms = append(et.terms, n)
				x.df[n]++
			}
		}
		if i >= 2 {
			et.phrasings = append(et.phrasings, phrasing{terms: ids})
		}
	}
	slices.Sort(et.terms)
	x.entries[id] = et
}

// intern returns the number of a term of the knowledge base, numbering it
// if it is new.
func (x *Index) intern(b []byte) int32 {
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
		x.lastText = append(x.lastText, 0)
		x.vocab.add(term)
	}
	return n
}

// Close releases the index.
func (x *Index) Close() error { return x.bleve.Close() }

// analyzerName is the English analysis chain with question filler words
// removed: unicode words, possessives, lower case, English and filler stop
// words, Porter stemming.
const analyzerName = "en_questions"

// fillerWords are words people wrap any question in ("how long does it
// take", "what's the best"). They say nothing about the topic, and left in
// they tie "how long does a broken wrist take to heal" to SMP healing.
var fillerWords = []any{
	"anyone", "anything", "best", "bit", "can't", "could", "do", "does", "done", "ever", "get", "gets",
	"getting", "go", "going", "gonna", "got", "guys", "hey", "hi", "just", "know", "kind", "like", "lol",
	"long", "lot", "make", "much", "many", "need", "normal", "ok", "okay", "one", "please", "pretty",
	"really", "right", "say", "so", "someone", "something", "sort", "still", "take", "takes", "thing",
	"things", "think", "time", "u", "ur", "want", "wanna", "way", "well", "whats", "what's", "would",
}

func newMapping() *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	m.ScoringModel = "bm25"
	must := func(err error) {
		if err != nil {
			panic(err) // a constant configuration: cannot fail
		}
	}
	must(m.AddCustomTokenMap("filler_words", map[string]any{"type": tokenmap.Name, "tokens": fillerWords}))
	must(m.AddCustomTokenFilter("filler_stop", map[string]any{"type": stop.Name, "stop_token_map": "filler_words"}))
	must(m.AddCustomAnalyzer(analyzerName, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{en.PossessiveName, lowercase.Name, en.StopName, "filler_stop", porter.Name},
	}))
	must(m.AddSynonymSource(synonymSource, map[string]any{
		"collection": synonymCollection,
		"analyzer":   analyzerName,
	}))
	dm := bleve.NewDocumentStaticMapping()
	for _, f := range []string{fieldQuestion, fieldTags, fieldBody} {
		dm.AddFieldMappingsAt(f, textField())
	}
	m.DefaultMapping = dm
	m.DefaultAnalyzer = analyzerName
	return m
}

// textField is the mapping of every field: analysed, searched with the
// knowledge base's synonyms, and nothing kept but what search needs. No field
// goes into the composite _all field, which no query reads.
func textField() *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Analyzer = analyzerName
	f.SynonymSource = synonymSource
	f.Store = false
	f.IncludeTermVectors = false
	f.DocValues = false
	f.IncludeInAll = false
	return f
}

// separators are characters the tokenizer keeps inside a word ("title:foo",
// "pigment.depth") that people type between words.
var separators = strings.NewReplacer(":", " ", ".", " ", "_", " ")

// normalize prepares text for indexing or searching alike: separators become
// spaces and phrases become their words.
func (x *Index) normalize(text string) string {
	return x.phrases.Expand(separators.Replace(text))
}

func (x *Index) tokens(text string) preAnalysed {
	return preAnalysed(x.analyzer.Analyze([]byte(text)))
}

func (x *Index) analyze(text string) []string { return x.tokens(text).terms() }

func (x *Index) addSynonyms(group []string) {
	var terms []string
	for _, w := range group {
		terms = append(terms, x.analyze(w)...)
	}
	for _, t := range terms {
		for _, u := range terms {
			if t != u {
				x.syn[t] = append(x.syn[t], u)
			}
		}
	}
}

// fuzziness is the typo tolerance for a word of n letters: none for short
// words, where one edit makes another word, more for long ones.
func fuzziness(n int) int {
	switch {
	case n > maxFuzzyLetters:
		return 0
	case n >= 9:
		return 2
	case n >= 5:
		return 1
	default:
		return 0
	}
}

// queryTerms analyses a question into its distinct meaningful terms.
func (x *Index) queryTerms(question string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range x.analyze(x.normalize(question)) {
		if !seen[t] && len(out) < maxQueryTerms {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// Search returns up to limit entries for question, best first. Every word of
// the question is a plain term: query syntax means nothing here.
func (x *Index) Search(ctx context.Context, question string, limit int) ([]knowledge.Hit, error) {
	terms := x.expand(x.queryTerms(question))
	if len(terms) == 0 {
		return nil, nil
	}
	hits, err := x.searchGroups(ctx, x.clauses(terms))
	if err != nil {
		return nil, err
	}
	return x.rank(hits, terms, limit), nil
}

// clauseGroup is the term queries of a question on the fields of one kind of
// document: phrasings (the question field) or entries (tags and body).
type clauseGroup struct {
	clauses  []query.Query
	synonyms search.FieldTermSynonymMap
	// weight is the sum of the clauses' weights, from which bleve works out
	// the query norm; NaN when it cannot be worked out.
	weight float64
}

// clauses makes the term queries for the expanded question words, in two
// groups: phrasing documents hold only the question field and entry documents
// only the others, so that each group matches one kind of document.
func (x *Index) clauses(terms []queryTerm) [2]clauseGroup {
	var groups [2]clauseGroup
	for _, qt := range terms {
		// The word itself (bleve adds its synonyms), then its near spellings
		// in the vocabulary, which stand in for a typo at a little less.
		spellings := append([]string{qt.term}, qt.near...)
		for i, t := range spellings {
			boost := 1.0
			if i > 0 {
				boost = nearSpellingBoost
			}
			reach := x.reach(t)
			for fi, f := range fieldBoosts {
				if reach&f.bit == 0 {
					// Neither the word nor a synonym is in this field.
					// The clause could not match; left out, it only
					// scales every document's score alike, which
					// ranking divides out.
					continue
				}
				g := &groups[min(fi, 1)]
				tq := bleve.NewTermQuery(t)
				tq.SetField(f.name)
				tq.SetBoost(f.boost * boost)
				g.clauses = append(g.clauses, tq)
				g.weight += x.clauseWeight(t, fi, f.boost*boost)
				if syns := x.thesaurus[t]; len(syns) > 0 {
					if g.synonyms == nil {
						g.synonyms = search.FieldTermSynonymMap{}
					}
					if g.synonyms[f.name] == nil {
						g.synonyms[f.name] = map[string][]string{}
					}
					g.synonyms[f.name][t] = syns
				}
			}
		}
	}
	return groups
}

// searchGroups returns the best document hits for the clauses of both groups
// with the scores bleve gives them in one disjunction of every clause.
//
// Each group is searched on its own, both at once. A document matches clauses
// of one group only, and bleve scores it as the sum of its matching clauses'
// scores times the share of clauses it matches, with every clause's score
// multiplied by the query norm, 1/sqrt(the sum of the clauses' weights). Its
// score in its group's search, times (group clauses / all clauses) ×
// sqrt(group weight / total weight), is therefore its score in the whole
// disjunction, and the best hits of the whole are among the best of each.
func (x *Index) searchGroups(ctx context.Context, groups [2]clauseGroup) ([]*search.DocumentMatch, error) {
	n := len(groups[0].clauses) + len(groups[1].clauses)
	if n == 0 {
		// Nothing in the knowledge base can match.
		return nil, ctx.Err()
	}
	total := groups[0].weight + groups[1].weight
	if !x.split || len(groups[0].clauses) == 0 || len(groups[1].clauses) == 0 ||
		math.IsNaN(total) || math.IsInf(total, 0) || groups[0].weight <= 0 || groups[1].weight <= 0 {
		all := clauseGroup{
			clauses:  append(groups[0].clauses, groups[1].clauses...),
			synonyms: search.FieldTermSynonymMap{},
		}
		for _, g := range groups {
			for field, terms := range g.synonyms {
				all.synonyms[field] = terms // the groups' fields differ
			}
		}
		return x.searchClauses(ctx, all)
	}
	var hits [2][]*search.DocumentMatch
	var errs [2]error
	var wg sync.WaitGroup
	wg.Go(func() { hits[1], errs[1] = x.searchClauses(ctx, groups[1]) })
	hits[0], errs[0] = x.searchClauses(ctx, groups[0])
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for i, g := range groups {
		scale := float64(len(g.clauses)) / float64(n) * math.Sqrt(g.weight/total)
		for _, h := range hits[i] {
			h.Score *= scale
		}
	}
	merged := append(hits[0], hits[1]...)
	sort.Slice(merged, func(i, j int) bool {
		if merged[i].Score != merged[j].Score {
			return merged[i].Score > merged[j].Score
		}
		return merged[i].ID < merged[j].ID
	})
	return merged[:min(len(merged), maxDocHits)], nil
}

// searchClauses returns the best document hits for a disjunction of the
// group's clauses.
func (x *Index) searchClauses(ctx context.Context, g clauseGroup) ([]*search.DocumentMatch, error) {
	req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(g.clauses...), maxDocHits, 0, false)
	if x.thesaurus != nil {
		// The synonyms bleve would look up for every clause, as an index
		// alias hands them to its indexes.
		synonyms := g.synonyms
		if synonyms == nil {
			synonyms = search.FieldTermSynonymMap{}
		}
		req.PreSearchData = map[string]any{search.SynonymPreSearchDataKey: synonyms}
	}
	res, err := x.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	return res.Hits, nil
}

// clauseWeight is the weight bleve gives a term query on the field
// fieldBoosts[field] with the given boost: (boost × idf)², plus that of each
// synonym it is widened to, at half the boost.
func (x *Index) clauseWeight(term string, field int, boost float64) float64 {
	sq := func(t string, boost float64) float64 {
		w := boost * x.idf(t, field)
		return w * w
	}
	w := sq(term, boost)
	for _, s := range x.thesaurus[term] {
		w += sq(s, boost/2)
	}
	return w
}

// idf is the inverse document frequency bleve gives a term in the field
// fieldBoosts[field]: BM25's, or TF-IDF's for a field without terms.
func (x *Index) idf(term string, field int) float64 {
	var df float64
	if n, ok := x.ids[term]; ok {
		df = float64(x.fieldDF[field][n])
	}
	docs := float64(x.docCount)
	if x.avgFieldLen[field] > 0 {
		return math.Log(1 + (docs-df+0.5)/(df+0.5))
	}
	return 1 + math.Log(docs/(df+1))
}

// reach returns the fields where term or one of its synonyms appears: where
// a term query for it, which bleve widens to its synonyms, can match.
func (x *Index) reach(term string) fieldSet {
	var in fieldSet
	if n, ok := x.ids[term]; ok {
		in = x.fields[n]
	}
	for _, s := range x.syn[term] {
		if n, ok := x.ids[s]; ok {
			in |= x.fields[n]
		}
	}
	return in
}

// Document ids: "e/ID" for an entry's tags and body, "q/ID/N" for its
// phrasings; synonym definitions have ids of their own.
const (
	entryDoc    = "e/"
	phrasingDoc = "q/"
)

// parseDocID returns the kind and entry id of an entry's document.
func parseDocID(docID string) (kind, id string, ok bool) {
	switch {
	case strings.HasPrefix(docID, entryDoc):
		return entryDoc, docID[len(entryDoc):], true
	case strings.HasPrefix(docID, phrasingDoc):
		id, _, ok := strings.Cut(docID[len(phrasingDoc):], "/")
		return phrasingDoc, id, ok
	}
	return "", "", false
}

// rank folds document hits into entries. An entry scores its body document
// plus its best-matching alternate question, so adding a phrasing can only
// help it.
func (x *Index) rank(docs []*search.DocumentMatch, expanded []queryTerm, limit int) []knowledge.Hit {
	type score struct{ body, question float64 }
	scores := map[string]*score{}
	for _, h := range docs {
		kind, id, ok := parseDocID(h.ID)
		if !ok {
			continue // a synonym definition
		}
		s := scores[id]
		if s == nil {
			s = &score{}
			scores[id] = s
		}
		if kind == phrasingDoc {
			s.question = max(s.question, h.Score)
		} else {
			s.body = h.Score
		}
	}
	hits := make([]knowledge.Hit, 0, len(scores))
	top := 0.0
	for _, s := range scores {
		top = max(top, s.body+s.question)
	}
	for id, s := range scores {
		e := x.entries[id]
		if e == nil {
			continue // not an entry of this base
		}
		cov := x.coverage(e, expanded)
		score := weightPhrasing*x.bestPhrasing(e, expanded) + weightCoverage*cov + weightBleve*(s.body+s.question)/top
		hits = append(hits, knowledge.Hit{ID: id, Score: score, Coverage: cov})
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].ID < hits[j].ID
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}

// queryTerm is a word of a question with the indexed terms that count as
// matching it and its weight.
type queryTerm struct {
	term string
	// near holds the near spellings of term in the vocabulary.
	near []string
	// alts holds the numbers of every indexed term that counts as matching,
	// in this order: the term, its synonyms and its near spellings.
	alts []int32
	// mask has the bit of every alt: see termBit.
	mask   uint64
	weight float64
}

// termBit is a term's bit in a 64-bit set of terms: a set without the bit
// does not hold the term, which saves looking for it.
func termBit(t int32) uint64 { return 1 << (uint32(t) % 64) }

// expand lists, for each query term, the terms that count as matching it (the
// term itself, its synonyms and its near spellings in the vocabulary) and its
// inverse document frequency over entries. A word the knowledge base has never
// seen weighs most: a question about something else is mostly such words.
func (x *Index) expand(terms []string) []queryTerm {
	// A word the knowledge base has never seen weighs half as much again
	// as its rarest word.
	unknown := 1.5 * math.Log(1+float64(len(x.entries)))
	out := make([]queryTerm, len(terms))
	for i, t := range terms {
		qt := queryTerm{term: t, weight: unknown}
		add := func(term string) {
			if n, ok := x.ids[term]; ok {
				qt.alts = append(qt.alts, n)
				qt.mask |= termBit(n)
				qt.weight = min(qt.weight, x.weights[n])
			}
		}
		add(t)
		for _, s := range x.syn[t] {
			add(s)
		}
		if _, known := x.ids[t]; !known {
			qt.near = x.vocab.near(t, fuzziness(len([]rune(t))))
			for _, s := range qt.near {
				add(s)
			}
		}
		out[i] = qt
	}
	return out
}

// maxMissedWords is how many of the question's words an entry lacks count
// against its coverage: the weightiest ones.
const maxMissedWords = 2

// How an entry's score is made: how closely its best phrasing matches the
// question, how much of the question the entry covers at all, and bleve's
// relevance relative to the best hit.
const (
	weightPhrasing = 0.6
	weightCoverage = 0.3
	weightBleve    = 0.1
)

// phrasing is the analysed terms of an entry's title or alternate question,
// with each term's weight and the phrasing's norm once every entry is in.
type phrasing struct {
	// terms holds the phrasing's terms in order until weigh, then each
	// distinct term once, sorted, with its weight in weights.
	terms   []int32
	weights []float64
	norm    float64
	mask    uint64 // the bits of terms: see termBit
}

// weigh fills in the terms' and phrasings' weights, which depend on the whole
// base.
func (x *Index) weigh() {
	n := float64(len(x.entries))
	x.weights = make([]float64, len(x.df))
	for t, df := range x.df {
		x.weights[t] = math.Log(1 + n/float64(max(df, 1)))
	}
	for _, e := range x.entries {
		for i := range e.phrasings {
			p := &e.phrasings[i]
			var distinct []int32
			var sq float64
			for _, t := range p.terms {
				if !slices.Contains(distinct, t) {
					distinct = append(distinct, t)
					w := x.weights[t]
					sq += w * w
				}
			}
			slices.Sort(distinct)
			p.terms = distinct
			p.weights = make([]float64, len(distinct))
			for j, t := range distinct {
				p.weights[j] = x.weights[t]
				p.mask |= termBit(t)
			}
			p.norm = math.Sqrt(sq)
		}
	}
}

// weight returns the weight of term t in the phrasing.
func (p *phrasing) weight(t int32) (float64, bool) {
	if len(p.terms) <= 16 {
		for i, u := range p.terms {
			if u >= t {
				return p.weights[i], u == t
			}
		}
		return 0, false
	}
	i, ok := slices.BinarySearch(p.terms, t)
	if !ok {
		return 0, false
	}
	return p.weights[i], true
}

// bestPhrasing is the cosine similarity, with words weighted by rarity,
// between the question and the entry's closest phrasing.
func (x *Index) bestPhrasing(e *entryTerms, expanded []queryTerm) float64 {
	var qnorm float64
	for _, qt := range expanded {
		qnorm += qt.weight * qt.weight
	}
	qnorm = math.Sqrt(qnorm)
	var mask uint64
	for _, qt := range expanded {
		mask |= qt.mask
	}
	best := 0.0
	for i := range e.phrasings {
		p := &e.phrasings[i]
		if p.norm == 0 || p.mask&mask == 0 {
			continue // shares no term with the question: similarity 0
		}
		var dot float64
		for _, qt := range expanded {
			if qt.mask&p.mask == 0 {
				continue
			}
			for _, a := range qt.alts {
				if termBit(a)&p.mask == 0 {
					continue
				}
				if w, ok := p.weight(a); ok {
					dot += qt.weight * w
					break
				}
			}
		}
		best = max(best, dot/(qnorm*p.norm))
	}
	return best
}

// coverage is the weighted share of query terms the entry matches.
func (x *Index) coverage(e *entryTerms, expanded []queryTerm) float64 {
	var matched float64
	// missed holds the weightiest words the entry lacks, weightiest first.
	var missed [maxMissedWords]float64
	nmissed := 0
	for _, qt := range expanded {
		hit := false
		for _, a := range qt.alts {
			if _, ok := slices.BinarySearch(e.terms, a); ok {
				hit = true
				break
			}
		}
		if hit {
			matched += qt.weight
			continue
		}
		w := qt.weight
		for i := range min(nmissed+1, maxMissedWords) {
			if i == nmissed || w > missed[i] {
				copy(missed[i+1:], missed[i:])
				missed[i] = w
				break
			}
		}
		nmissed = min(nmissed+1, maxMissedWords)
	}
	// A few words the entry lacks show the question is about something
	// else; past that, a long message is just long.
	total := matched
	for _, w := range missed[:nmissed] {
		total += w
	}
	if total == 0 {
		return 0
	}
	return matched / total
}
