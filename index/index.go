package index

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"

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
}{
	{fieldQuestion, 3},
	{fieldTags, 1.5},
	{fieldBody, 0.5},
}

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
	// terms holds every analysed term of each entry, for coverage.
	terms map[string]map[string]struct{}
	// phrasings holds the analysed terms of each entry's title and alternate
	// questions, for scoring by the best-matching phrasing.
	phrasings map[string][]phrasing
	vocab     *vocabulary
	syn       map[string][]string // analysed term -> its analysed synonyms
	// df counts the entries each term appears in, to weigh rare words more.
	df map[string]int
}

// doc is what bleve indexes: one document for an entry's tags and body, and one
// per phrasing (the title and each alternate question), so that every phrasing
// is scored on its own and no phrasing dilutes another.
type doc struct {
	Question string `json:"question,omitempty"`
	Tags     string `json:"tags,omitempty"`
	Body     string `json:"body,omitempty"`
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
	idx := &Index{
		bleve:     bi,
		analyzer:  m.AnalyzerNamed(analyzerName),
		phrases:   base.Synonyms(),
		terms:     make(map[string]map[string]struct{}, len(base.Entries())),
		phrasings: make(map[string][]phrasing, len(base.Entries())),
		vocab:     newVocabulary(),
		syn:       map[string][]string{},
		df:        map[string]int{},
	}
	batch := bi.NewBatch()
	for i, group := range base.Synonyms().Groups {
		if err := batch.IndexSynonym(fmt.Sprintf("%s%d", synonymPrefix, i), synonymCollection,
			&bleve.SynonymDefinition{Synonyms: group}); err != nil {
			return nil, fmt.Errorf("index synonyms on line group %d: %w", i+1, err)
		}
		idx.addSynonyms(group)
	}
	for _, e := range base.Entries() {
		body := idx.normalize(stripMarkdown(e.Body))
		tags := strings.Join(e.Tags, " ")
		if err := batch.Index(entryDoc+e.ID, doc{Tags: tags, Body: body}); err != nil {
			return nil, fmt.Errorf("index entry %s: %w", e.ID, err)
		}
		texts := []string{tags, body}
		for n, q := range append([]string{e.Title}, e.Questions...) {
			q = idx.normalize(q)
			texts = append(texts, q)
			idx.phrasings[e.ID] = append(idx.phrasings[e.ID], phrasing{terms: idx.analyze(q)})
			if err := batch.Index(fmt.Sprintf("%s%s/%d", phrasingDoc, e.ID, n), doc{Question: q}); err != nil {
				return nil, fmt.Errorf("index entry %s: %w", e.ID, err)
			}
		}
		terms := map[string]struct{}{}
		for _, t := range texts {
			for _, term := range idx.analyze(t) {
				terms[term] = struct{}{}
				idx.vocab.add(term)
			}
		}
		idx.terms[e.ID] = terms
		for t := range terms {
			idx.df[t]++
		}
	}
	if err := bi.Batch(batch); err != nil {
		return nil, fmt.Errorf("build index: %w", err)
	}
	idx.weigh()
	return idx, nil
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
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzerName
		f.SynonymSource = synonymSource
		f.Store = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	dm := bleve.NewDocumentStaticMapping()
	for _, f := range []string{fieldQuestion, fieldTags, fieldBody} {
		dm.AddFieldMappingsAt(f, text())
	}
	m.DefaultMapping = dm
	m.DefaultAnalyzer = analyzerName
	return m
}

// separators are characters the tokenizer keeps inside a word ("title:foo",
// "pigment.depth") that people type between words.
var separators = strings.NewReplacer(":", " ", ".", " ", "_", " ")

// normalize prepares text for indexing or searching alike: separators become
// spaces and phrases become their words.
func (x *Index) normalize(text string) string {
	return x.phrases.Expand(separators.Replace(text))
}

func (x *Index) analyze(text string) []string {
	stream := x.analyzer.Analyze([]byte(text))
	out := make([]string, len(stream))
	for i, tok := range stream {
		out[i] = string(tok.Term)
	}
	return out
}

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
	var clauses []query.Query
	for _, qt := range terms {
		// The word itself (bleve adds its synonyms), then its near spellings
		// in the vocabulary, which stand in for a typo at a little less.
		spellings := append([]string{qt.term}, qt.near...)
		for i, t := range spellings {
			boost := 1.0
			if i > 0 {
				boost = nearSpellingBoost
			}
			for _, f := range fieldBoosts {
				tq := bleve.NewTermQuery(t)
				tq.SetField(f.name)
				tq.SetBoost(f.boost * boost)
				clauses = append(clauses, tq)
			}
		}
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(clauses...), maxDocHits, 0, false)
	res, err := x.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	return x.rank(res, terms, limit), nil
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
func (x *Index) rank(res *bleve.SearchResult, expanded []queryTerm, limit int) []knowledge.Hit {
	type score struct{ body, question float64 }
	scores := map[string]*score{}
	for _, h := range res.Hits {
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
		cov := x.coverage(id, expanded)
		score := weightPhrasing*x.bestPhrasing(id, expanded) + weightCoverage*cov + weightBleve*(s.body+s.question)/top
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
	// alts holds every indexed term that counts as matching: the term, its
	// synonyms and its near spellings.
	alts   []string
	weight float64
}

// expand lists, for each query term, the terms that count as matching it (the
// term itself, its synonyms and its near spellings in the vocabulary) and its
// inverse document frequency over entries. A word the knowledge base has never
// seen weighs most: a question about something else is mostly such words.
func (x *Index) expand(terms []string) []queryTerm {
	// A word the knowledge base has never seen weighs half as much again
	// as its rarest word.
	unknown := 1.5 * math.Log(1+float64(len(x.terms)))
	out := make([]queryTerm, len(terms))
	for i, t := range terms {
		var near []string
		if _, known := x.df[t]; !known {
			near = x.vocab.near(t, fuzziness(len([]rune(t))))
		}
		alts := append(append([]string{t}, x.syn[t]...), near...)
		w := unknown
		for _, a := range alts {
			if x.df[a] > 0 {
				w = min(w, x.weight(a))
			}
		}
		out[i] = queryTerm{term: t, near: near, alts: alts, weight: w}
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
	terms   []string
	weights map[string]float64
	norm    float64
}

// weigh fills in the phrasings' weights, which depend on the whole base.
func (x *Index) weigh() {
	for _, ps := range x.phrasings {
		for i := range ps {
			p := &ps[i]
			p.weights = make(map[string]float64, len(p.terms))
			var sq float64
			for _, t := range p.terms {
				if _, seen := p.weights[t]; !seen {
					w := x.weight(t)
					p.weights[t] = w
					sq += w * w
				}
			}
			p.norm = math.Sqrt(sq)
		}
	}
}

// bestPhrasing is the cosine similarity, with words weighted by rarity,
// between the question and the entry's closest phrasing.
func (x *Index) bestPhrasing(id string, expanded []queryTerm) float64 {
	var qnorm float64
	for _, qt := range expanded {
		qnorm += qt.weight * qt.weight
	}
	qnorm = math.Sqrt(qnorm)
	best := 0.0
	for _, p := range x.phrasings[id] {
		if p.norm == 0 {
			continue
		}
		var dot float64
		for _, qt := range expanded {
			for _, a := range qt.alts {
				if w, ok := p.weights[a]; ok {
					dot += qt.weight * w
					break
				}
			}
		}
		best = max(best, dot/(qnorm*p.norm))
	}
	return best
}

// weight is a known term's inverse document frequency over entries.
func (x *Index) weight(t string) float64 {
	n := float64(len(x.terms))
	return math.Log(1 + n/float64(max(x.df[t], 1)))
}

// coverage is the weighted share of query terms the entry matches.
func (x *Index) coverage(id string, expanded []queryTerm) float64 {
	terms := x.terms[id]
	var matched float64
	var missed []float64
	for _, qt := range expanded {
		hit := false
		for _, a := range qt.alts {
			if _, ok := terms[a]; ok {
				hit = true
				break
			}
		}
		if hit {
			matched += qt.weight
		} else {
			missed = append(missed, qt.weight)
		}
	}
	// A few words the entry lacks show the question is about something
	// else; past that, a long message is just long.
	sort.Sort(sort.Reverse(sort.Float64Slice(missed)))
	total := matched
	for i, w := range missed {
		if i == maxMissedWords {
			break
		}
		total += w
	}
	if total == 0 {
		return 0
	}
	return matched / total
}
