package index

import (
	"context"
	"math"
	"sync"

	"github.com/blevesearch/bleve/v2/search"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// scoreClauses returns the best document hits for a disjunction of the
// group's clauses, with the scores bleve's searcher gives them, read from
// bleve's postings a term at a time.
//
// bleve's searcher walks the postings of every clause a document at a time,
// in a heap, making a match for each document and each clause that holds
// it: on a large base that walk was most of an answer's time, and on a small
// one setting the searchers up was. The sums here are bleve's (see
// bleveSearch, which TestScoresAreBleves compares them with): a term
// scores by BM25 times its query weight, a word widened to its synonyms
// scores the sum of its terms' scores times the share of them that match,
// at half the boost for a synonym, and a document scores the sum of its
// clauses' scores times the share of clauses that match. Only with the
// BM25 figures (see scoreStats), which every reader of the base gives
// alike.
func (x *state) scoreClauses(ctx context.Context, r bleveindex.IndexReader, g clauseGroup) (_ []docHit, err error) {
	type read struct {
		tfr         bleveindex.TermFieldReader // nil for a term the field does not hold
		field       int
		queryWeight float64
		idf         float64
	}
	// Every clause's terms first: the word, then its synonyms.
	var reads []read
	var starts []int // clause i reads reads[starts[i]:starts[i+1]]
	defer func() {
		for _, rd := range reads {
			if rd.tfr != nil {
				if cerr := rd.tfr.Close(); err == nil {
					err = cerr
				}
			}
		}
	}()
	var sumOfSquaredWeights float64
	for _, c := range g.clauses {
		starts = append(starts, len(reads))
		var weight float64
		for j, t := range append([]string{c.term}, x.thesaurus[c.term]...) {
			boost := c.boost
			if j > 0 {
				boost /= 2
			}
			rd := read{field: c.field}
			var count uint64
			if n, ok := x.ids[t]; ok && x.fields[n]&fieldBoosts[c.field].bit != 0 {
				if rd.tfr, err = r.TermFieldReader(ctx, []byte(t), fieldBoosts[c.field].name, true, true, false); err != nil {
					return nil, err
				}
				count = rd.tfr.Count()
			}
			rd.idf = x.idfOf(float64(count), c.field)
			rd.queryWeight = boost * rd.idf // times the query norm, below
			reads = append(reads, rd)
			weight += rd.queryWeight * rd.queryWeight
		}
		sumOfSquaredWeights += weight
	}
	starts = append(starts, len(reads))
	queryNorm := 1.0 / math.Sqrt(sumOfSquaredWeights)

	a := accumulators.Get().(*accumulator)
	defer func() {
		a.reset()
		accumulators.Put(a)
	}()
	var tfd bleveindex.TermFieldDoc
	for i := range g.clauses {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		terms := reads[starts[i]:starts[i+1]]
		for _, rd := range terms {
			if rd.tfr == nil {
				continue
			}
			queryWeight := rd.queryWeight * queryNorm
			avg := x.avgFieldLen[rd.field]
			for {
				d, err := rd.tfr.Next(tfd.Reset())
				if err != nil {
					return nil, err
				}
				if d == nil {
					break
				}
				a.addTerm(d.ID.Value(), termScore(d, rd.idf, avg)*queryWeight)
			}
		}
		a.endClause(len(terms))
	}
	return a.best(len(g.clauses), r)
}

// termScore is bleve's score of a document for a term: BM25 of the term's
// frequency in the document's field, or TF-IDF where the field has no
// average length.
func termScore(d *bleveindex.TermFieldDoc, idf, avgFieldLen float64) float64 {
	tf := math.Sqrt(float64(d.Freq))
	if avgFieldLen > 0 {
		fieldLength := 1 / (d.Norm * d.Norm)
		return idf * (tf * search.BM25_k1) /
			(tf + search.BM25_k1*(1-search.BM25_b+(search.BM25_b*fieldLength/avgFieldLen)))
	}
	return tf * d.Norm * idf
}

// An accumulator adds up the scores of the documents of one search, by
// their number in the index. It is reused from search to search (see
// accumulators): its slices grow to the highest number read, and reset
// undoes only what the last search touched.
type accumulator struct {
	// score and clauses hold each document's sum of its clauses' scores and
	// how many clauses match it; docs lists the documents with a score.
	score   []float64
	clauses []int32
	docs    []uint64
	// termSum and terms hold the same for the terms of the clause being
	// read, and clauseDocs its documents.
	termSum    []float64
	terms      []int32
	clauseDocs []uint64
}

// accumulators holds accumulators for searches to reuse.
var accumulators = sync.Pool{New: func() any { return new(accumulator) }}

// addTerm adds the score of a document for one term of the clause being
// read.
func (a *accumulator) addTerm(num uint64, score float64) {
	if num >= uint64(len(a.score)) {
		n := max(2*len(a.score), int(num)+1)
		a.score = append(a.score, make([]float64, n-len(a.score))...)
		a.clauses = append(a.clauses, make([]int32, n-len(a.clauses))...)
		a.termSum = append(a.termSum, make([]float64, n-len(a.termSum))...)
		a.terms = append(a.terms, make([]int32, n-len(a.terms))...)
	}
	if a.terms[num] == 0 {
		a.clauseDocs = append(a.clauseDocs, num)
	}
	a.termSum[num] += score
	a.terms[num]++
}

// endClause adds the clause just read, of n terms, to the scores of its
// documents: the sum of its terms' scores times the share that match.
func (a *accumulator) endClause(n int) {
	for _, num := range a.clauseDocs {
		if a.clauses[num] == 0 {
			a.docs = append(a.docs, num)
		}
		a.score[num] += a.termSum[num] * (float64(a.terms[num]) / float64(n))
		a.clauses[num]++
		a.termSum[num], a.terms[num] = 0, 0
	}
	a.clauseDocs = a.clauseDocs[:0]
}

// best returns the maxDocHits best documents of a search of n clauses,
// best first, named by their ids in r.
func (a *accumulator) best(n int, r bleveindex.IndexReader) ([]docHit, error) {
	var top topDocs
	for _, num := range a.docs {
		top.add(scoredDoc{num: num, score: a.score[num] * (float64(a.clauses[num]) / float64(n))})
	}
	return top.hits(r)
}

// reset clears what the last search added.
func (a *accumulator) reset() {
	for _, num := range a.docs {
		a.score[num], a.clauses[num] = 0, 0
	}
	a.docs = a.docs[:0]
}
