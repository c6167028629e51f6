// Package knowledgetest builds knowledge values for tests: answers of any
// shape from arbitrary text, as the adapters' fuzz tests need to check that a
// rendered answer stays within a platform's limits whatever the knowledge
// base holds; a small valid knowledge base; a revision log and events
// kept in memory; and CheckStorage, the contract every storage adapter
// keeps. It builds domain values only: the service over the
// embedded knowledge base and its real index is in index/indextest.
package knowledgetest

import (
	"fmt"
	"strings"

	"github.com/smpbot/bot/knowledge"
)

// Shape describes an answer for Answer to build.
type Shape struct {
	// Title, Body, SourceTitle and SourceURL are the text of every entry
	// and source. What the knowledge base refuses is replaced: invalid
	// UTF-8, and a blank title or body. Body is repeated Repeat times, as
	// far as knowledge.MaxEntryBytes allows.
	Title, Body, SourceTitle, SourceURL string
	Repeat                              int
	// Question is the question as asked; the answer holds it cleaned, as
	// the service does.
	Question string
	// Matches, Steps, Related and Sources are how many entries, checklist
	// steps, related topics and sources the answer holds.
	Matches, Steps, Related, Sources int
	Answered, Urgent, Truncated      bool
}

// Answer builds the answer s describes. Its entries have distinct valid ids
// made from the title.
func Answer(s Shape) *knowledge.Answer {
	title := strings.ToValidUTF8(s.Title, "\uFFFD")
	if strings.TrimSpace(title) == "" {
		title = "Untitled"
	}
	body := strings.ToValidUTF8(s.Body, "\uFFFD")
	if strings.TrimSpace(body) == "" {
		body = "Empty."
	}
	body = strings.Repeat(body, max(1, min(s.Repeat, knowledge.MaxEntryBytes/len(body))))
	source := knowledge.Source{Title: strings.ToValidUTF8(s.SourceTitle, "\uFFFD"), URL: strings.ToValidUTF8(s.SourceURL, "\uFFFD")}
	sources := make([]knowledge.Source, s.Sources)
	for i := range sources {
		sources[i] = source
	}
	n := 0
	entry := func(kind knowledge.Kind, step int) *knowledge.Entry {
		n++
		e := &knowledge.Entry{ID: knowledge.Slug(fmt.Sprint(n, " ", title)), Title: title, Kind: kind, Body: body, Sources: sources}
		if kind == knowledge.Checklist {
			e.Checklist, e.Step = knowledge.PractitionerChecklist, step
		}
		return e
	}
	q, _ := knowledge.CleanQuestion(s.Question)
	a := &knowledge.Answer{Question: q, Answered: s.Answered, Urgent: s.Urgent, Truncated: s.Truncated, Sources: sources}
	for range s.Matches {
		a.Matches = append(a.Matches, knowledge.Match{Entry: entry(knowledge.Explanation, 0)})
	}
	for i := range s.Steps {
		a.Checklist = append(a.Checklist, entry(knowledge.Checklist, i+1))
	}
	for range s.Related {
		a.Related = append(a.Related, entry(knowledge.Explanation, 0))
	}
	return a
}
