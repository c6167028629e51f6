package index

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/smpbot/bot/knowledge"
)

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

// queryTerms analyses a question into its distinct meaningful terms, each
// with the surface form of the first word that makes it and whether a
// sentence that asks holds it: see expand.
func (x *state) queryTerms(question string) []queryTerm {
	tokens, surface := x.analyzeSurface(x.normalize(question))
	var asked []string
	if asks := askingSentences(question); asks != "" {
		asked = x.analyze(x.normalize(asks))
	}
	var out []queryTerm
	for i, tok := range tokens {
		if len(out) == maxQueryTerms {
			break
		}
		term := string(tok.Term)
		// At most maxQueryTerms to look through: no map needed.
		if !slices.ContainsFunc(out, func(qt queryTerm) bool { return qt.term == term }) {
			out = append(out, queryTerm{term: term, word: string(surface[i]), asked: slices.Contains(asked, term)})
		}
	}
	return out
}

// askingSentences returns the sentences of text that end in a question
// mark, when it also tells something in a sentence that does not: the
// question of a story ("Booked for the 3rd, NW5. Does it hurt more than a
// sleeve?"). A message that only asks, or only tells, has none.
func askingSentences(text string) string {
	var asks strings.Builder
	start, tells := 0, false
	for i := 0; i < len(text); i++ {
		if !sentenceEnds(text, i) {
			continue
		}
		if text[i] == '?' {
			asks.WriteString(text[start:i])
			asks.WriteByte(' ')
		} else if strings.TrimSpace(text[start:i]) != "" {
			tells = true
		}
		for i+1 < len(text) && strings.IndexByte("?.!\n", text[i+1]) >= 0 {
			i++
		}
		start = i + 1
	}
	if strings.TrimSpace(text[start:]) != "" {
		tells = true
	}
	if !tells {
		return ""
	}
	return asks.String()
}

// sentenceEnds reports whether a sentence of text ends at byte i: a
// question or exclamation mark, a line break, or a full stop before a space
// (not the one of "NW3.5").
func sentenceEnds(text string, i int) bool {
	switch text[i] {
	case '?', '!', '\n':
		return true
	case '.':
		return i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n'
	}
	return false
}

// unjoin reads a word typed without the space between two words
// ("healingtime", "smpink", "doesit") as those words: expand tries it on a
// word that is not English and for which the knowledge base has nothing,
// not even a near spelling. The word must divide into two parts of at
// least minPartLetters letters that are both terms of the knowledge base, or
// both stop words ("doesit", "howmany"), which then say no more than they
// would apart; a term and a stop word is too easily a word of its own
// ("fellas", "todos"). The most even division wins. The parts come back
// with joined set to the word typed.
func (x *state) unjoin(word string) (parts []queryTerm, ok bool) {
	best := 0
	for i := 1; i < len(word); i++ {
		if !utf8.RuneStart(word[i]) {
			continue
		}
		left, lok := x.unjoinPart(word[:i])
		right, rok := x.unjoinPart(word[i:])
		if even := min(i, len(word)-i); lok && rok && len(left) == len(right) && even > best {
			best, parts = even, append(left, right...)
		}
	}
	for i := range parts {
		parts[i].joined = word
	}
	return parts, best > 0
}

// unjoinPart analyses one part of a word typed without its space: ok when
// it has at least minPartLetters letters and is a stop word, which leaves
// no term, or a single term that the knowledge base knows.
func (x *state) unjoinPart(text string) (_ []queryTerm, ok bool) {
	if utf8.RuneCountInString(text) < minPartLetters {
		return nil, false
	}
	tokens, surface := x.analyzeSurface(text)
	switch {
	case len(tokens) == 0:
		return nil, true
	case len(tokens) == 1 && x.known(string(tokens[0].Term)):
		return []queryTerm{{term: string(tokens[0].Term), word: string(surface[0])}}, true
	}
	return nil, false
}

// known reports whether term is indexed or a synonym of an indexed term.
func (x *state) known(term string) bool {
	if _, ok := x.ids[term]; ok {
		return true
	}
	return len(x.syn[term]) > 0
}

// Search returns up to limit entries for question, best first. Every word of
// the question is a plain term: query syntax means nothing here.
func (x *Index) Search(ctx context.Context, question string, limit int) ([]knowledge.Hit, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.cur.search(ctx, question, limit)
}

func (x *state) search(ctx context.Context, question string, limit int) ([]knowledge.Hit, error) {
	terms := x.expand(x.queryTerms(question))
	if len(terms) == 0 {
		return nil, nil
	}
	docs, err := x.searchGroups(ctx, x.clauses(terms))
	if err != nil {
		return nil, err
	}
	ranked := x.rank(docs, terms, limit)
	hits := make([]knowledge.Hit, len(ranked))
	for i, r := range ranked {
		hits[i] = r.Hit
	}
	return hits, nil
}

// clauseGroup is the term queries of a question on the fields of one kind of
// document: phrasings (the question field) or entries (tags and body).
type clauseGroup struct {
	clauses []clause
	// weight is the sum of the clauses' weights, from which bleve works out
	// the query norm; NaN when it cannot be worked out.
	weight float64
}

// clause is a term query on one field: fieldBoosts[field].
type clause struct {
	term  string
	field int
	boost float64
}

// clauses makes the term queries for the expanded question words, in two
// groups: phrasing documents hold only the question field and entry documents
// only the others, so that each group matches one kind of document.
func (x *state) clauses(terms []queryTerm) [2]clauseGroup {
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
				if f.bit == inBody && x.commonInBodies(t) {
					continue
				}
				g := &groups[min(fi, 1)]
				g.clauses = append(g.clauses, clause{term: t, field: fi, boost: f.boost * boost})
				g.weight += x.clauseWeight(t, fi, f.boost*boost)
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
func (x *state) searchGroups(ctx context.Context, groups [2]clauseGroup) ([]docHit, error) {
	n := len(groups[0].clauses) + len(groups[1].clauses)
	if n == 0 {
		// Nothing in the knowledge base can match.
		return nil, ctx.Err()
	}
	total := groups[0].weight + groups[1].weight
	if !x.split || len(groups[0].clauses) == 0 || len(groups[1].clauses) == 0 ||
		math.IsNaN(total) || math.IsInf(total, 0) || groups[0].weight <= 0 || groups[1].weight <= 0 {
		return x.searchClauses(ctx, clauseGroup{clauses: append(groups[0].clauses, groups[1].clauses...)})
	}
	var hits [2][]docHit
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
		for j := range hits[i] {
			hits[i][j].Score *= scale
		}
	}
	merged := append(hits[0], hits[1]...)
	slices.SortFunc(merged, func(a, b docHit) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.ID, b.ID))
	})
	return merged[:min(len(merged), maxDocHits)], nil
}

// docHit is a document bleve found for a question, and its relevance.
type docHit struct {
	ID    string
	Score float64
}

// searchClauses returns the best document hits for a disjunction of the
// group's clauses: scored from bleve's postings here (see scoreClauses),
// or by bleve's searcher without the BM25 figures that scoring needs.
func (x *state) searchClauses(ctx context.Context, g clauseGroup) (_ []docHit, err error) {
	r, err := x.reader()
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := r.Close(); err == nil {
			err = cerr
		}
	}()
	if x.bm25 != nil {
		return x.scoreClauses(ctx, r, g)
	}
	return x.bleveSearch(ctx, r, g)
}

// bleveSearch returns the best document hits for a disjunction of the
// group's clauses as bleve's searcher scores them.
//
// It runs the searcher as SearchInContext would, with the context it sets
// up for our mapping, but not the rest: SearchInContext also loads every
// hit's stored fields, and allocates a document match for each hit to do so
// even when none are asked for.
func (x *state) bleveSearch(ctx context.Context, r bleveindex.IndexReader, g clauseGroup) (_ []docHit, err error) {
	m := x.bleve.Mapping()
	qs := make([]query.Query, len(g.clauses))
	for i, c := range g.clauses {
		tq := bleve.NewTermQuery(c.term)
		tq.SetField(fieldBoosts[c.field].name)
		tq.SetBoost(c.boost)
		qs[i] = tq
	}
	q := query.NewDisjunctionQuery(qs)
	model := bleveindex.DefaultScoringModel
	if im, ok := m.(*mapping.IndexMappingImpl); ok && im.ScoringModel == bleveindex.BM25Scoring {
		model = bleveindex.BM25Scoring
	}
	ctx = context.WithValue(ctx, search.GetScoringModelCallbackKey, search.GetScoringModelCallbackFn(func() string { return model }))
	// The synonyms bleve would look up for every clause, read once from the
	// thesaurus. With no thesaurus, bleve looks them up itself.
	if x.thesaurus != nil {
		synonyms := search.FieldTermSynonymMap{}
		for _, c := range g.clauses {
			if syns := x.thesaurus[c.term]; len(syns) > 0 {
				f := fieldBoosts[c.field].name
				if synonyms[f] == nil {
					synonyms[f] = map[string][]string{}
				}
				synonyms[f][c.term] = syns
			}
		}
		ctx = context.WithValue(ctx, search.FieldTermSynonymMapKey, synonyms)
	}
	if x.bm25 != nil {
		ctx = context.WithValue(ctx, search.BM25StatsKey, x.bm25)
	}
	s, err := q.Searcher(ctx, r, m, search.SearcherOptions{})
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := s.Close(); err == nil {
			err = cerr
		}
	}()
	pool := search.NewDocumentMatchPool(0, 0)
	sctx := &search.SearchContext{DocumentMatchPool: pool, IndexReader: r}
	var top topDocs
	for n := 0; ; n++ {
		if n%checkDoneEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		m, err := s.Next(sctx)
		if err != nil {
			return nil, err
		}
		if m == nil {
			break
		}
		top.add(scoredDoc{num: m.IndexInternalID.Value(), score: m.Score})
		pool.Put(m)
	}
	return top.hits(r)
}

// scoredDoc is a hit while collecting: its number in the index and its
// relevance.
type scoredDoc struct {
	num   uint64
	score float64
}

// better orders hits by relevance and then by their order in the index, as
// bleve's top-N collector does.
func better(a, b scoredDoc) int {
	return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.num, b.num))
}

// topDocs keeps the best maxDocHits hits added to it: a heap whose first
// hit is the worst, once it is full.
type topDocs []scoredDoc

// add adds d if it is among the best.
func (best *topDocs) add(d scoredDoc) {
	switch b := *best; {
	case len(b) < maxDocHits:
		*best = append(b, d)
		if len(*best) == maxDocHits {
			for i := maxDocHits/2 - 1; i >= 0; i-- {
				best.worstFirst(i)
			}
		}
	case better(d, b[0]) < 0:
		b[0] = d
		best.worstFirst(0)
	}
}

// worstFirst orders the heap after best[i] is replaced: it moves down past
// better hits, so that best[0] is the worst.
func (best topDocs) worstFirst(i int) {
	for {
		worst := i
		for _, c := range []int{2*i + 1, 2*i + 2} {
			if c < len(best) && better(best[c], best[worst]) > 0 {
				worst = c
			}
		}
		if worst == i {
			return
		}
		best[i], best[worst] = best[worst], best[i]
		i = worst
	}
}

// hits returns the hits, best first, named by their ids in r.
func (best topDocs) hits(r bleveindex.IndexReader) ([]docHit, error) {
	slices.SortFunc(best, better)
	hits := make([]docHit, len(best))
	var buf bleveindex.IndexInternalID
	for i, d := range best {
		buf = bleveindex.NewIndexInternalID(buf, d.num)
		id, err := r.ExternalID(buf)
		if err != nil {
			return nil, err
		}
		hits[i] = docHit{ID: id, Score: d.score}
	}
	return hits, nil
}

// clauseWeight is the weight bleve gives a term query on the field
// fieldBoosts[field] with the given boost: (boost × idf)², plus that of each
// synonym it is widened to, at half the boost.
func (x *state) clauseWeight(term string, field int, boost float64) float64 {
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
func (x *state) idf(term string, field int) float64 {
	var df float64
	if n, ok := x.ids[term]; ok {
		df = float64(x.fieldDF[field][n])
	}
	return x.idfOf(df, field)
}

// idfOf is idf for a term in df documents.
func (x *state) idfOf(df float64, field int) float64 {
	docs := float64(x.docCount)
	if x.avgFieldLen[field] > 0 {
		return math.Log(1 + (docs-df+0.5)/(df+0.5))
	}
	return 1 + math.Log(docs/(df+1))
}

// reach returns the fields where term or one of its synonyms appears: where
// a term query for it, which bleve widens to its synonyms, can match.
func (x *state) reach(term string) fieldSet {
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

// Document ids: "e/ID" for an entry's tags and body, "q/ID" for its
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
		return phrasingDoc, docID[len(phrasingDoc):], true
	}
	return "", "", false
}

// rank folds document hits into entries, the candidates, and scores each
// (see the weights in score.go). No part of the score falls much when an
// alternate question is added: the new phrasing can only raise the best
// similarity, and the rest moves with the rarity of words, which changes a
// little, and with a word it shares with one other phrasing, which stops
// being a detail of that one (see soloWeight) and weighs more there,
// bringing that phrasing a little further from questions without it.
// bleve's relevance of the phrasings, which can fall, only finds the
// candidates.
func (x *state) rank(docs []docHit, expanded []queryTerm, limit int) []ranked {
	// A question finds few entries: a slice, looked up backwards, beats a
	// map.
	cands := make([]ranked, 0, min(len(docs), len(x.entries)))
	for _, h := range docs {
		kind, id, ok := parseDocID(h.ID)
		if !ok {
			continue // a synonym definition
		}
		var c *ranked
		for i := len(cands) - 1; i >= 0; i-- {
			if cands[i].ID == id {
				c = &cands[i]
				break
			}
		}
		if c == nil {
			cands = append(cands, ranked{Hit: knowledge.Hit{ID: id, Words: len(expanded)}})
			c = &cands[len(cands)-1]
		}
		if kind == entryDoc {
			c.body = h.Score
		}
	}
	qnorm := queryNorm(expanded)
	topBody := 0.0
	kept := cands[:0]
	counts := make([]int32, len(cands)*len(expanded))
	m := matchesPool.Get().(*phrasingMatches)
	defer matchesPool.Put(m)
	for _, c := range cands {
		if c.e = x.entries[c.ID]; c.e == nil {
			continue // not an entry of this base
		}
		n := len(kept) * len(expanded)
		c.best, c.held, c.Exact = x.matchPhrasings(c.e, expanded, qnorm, m, counts[n:n+len(expanded)])
		topBody = max(topBody, c.body)
		kept = append(kept, c)
	}
	shares := support(counts, expanded, len(kept))
	for i := range kept {
		c := &kept[i]
		if topBody > 0 {
			c.body /= topBody
		}
		c.support = shares[i]
		c.Coverage = x.coverage(c.e, expanded)
		c.sum = weightPhrasing*c.best + weightCoverage*c.Coverage + weightHeld*c.held + weightBody*c.body + weightSupport*c.support
		c.Score = c.sum
		if c.Exact {
			c.Score = 1
		}
	}
	slices.SortFunc(kept, func(a, b ranked) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(b.sum, a.sum); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return kept[:min(len(kept), limit)]
}

// ranked is an entry found for a question with the parts of its score: its
// best phrasing's similarity, the share of the question's words one phrasing
// holds, bleve's relevance of its tags and body relative to the best
// candidate's, and its share of the candidates' support; sum is the
// weighted sum of the parts. An entry one of whose phrasings is the
// question word for word (Hit.Exact) scores 1, the most there is,
// whatever its parts, so that a question a moderator has written as a
// phrasing gets that entry; the sums order entries that tie.
type ranked struct {
	knowledge.Hit
	e                              *entryTerms
	best, held, body, support, sum float64
}

// commonInBodies reports whether, on a large base (minSplitEntries entries
// or more), term and each of its synonyms are in the bodies of more than
// half the entries. Such a word tells the bodies apart least (its BM25
// weight is near nothing) and costs the most to search, as it matches most
// bodies: the body is not searched for it. The phrasings still are, and
// coverage still counts it. On a small base searching it costs little.
func (x *state) commonInBodies(term string) bool {
	if len(x.entries) < minSplitEntries {
		return false
	}
	half := int32(len(x.entries) / 2)
	for _, t := range append([]string{term}, x.syn[term]...) {
		if n, ok := x.ids[t]; ok && x.fieldDF[2][n] <= half {
			return false
		}
	}
	return true
}
