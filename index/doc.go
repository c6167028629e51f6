// Package index is the bleve implementation of knowledge.Index: an in-memory
// scorch index of the knowledge base with an English analysis chain, the
// knowledge base's synonyms, per-field weights, typo tolerance for longer
// words, and scoring by each entry's best-matching phrasing.
//
// User text is never parsed as bleve query syntax: it is analysed into words
// and each word becomes a term or fuzzy query of its own.
package index
