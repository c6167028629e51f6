// Package index is the bleve implementation of knowledge.Index: an in-memory
// scorch index of the knowledge base with an English analysis chain, the
// knowledge base's synonyms, per-field weights, typo tolerance for longer
// words, and scoring by each entry's best-matching phrasing. It follows a
// changed knowledge base in place (Index.Update, a knowledge.Updater),
// re-indexing only the entries that changed and ranking as a fresh build
// would.
//
// User text is never parsed as bleve query syntax: it is analysed into words
// and each word becomes a term query of its own, with its near spellings,
// scored from bleve's postings as bleve's searcher would score it (see
// scoreClauses).
package index
