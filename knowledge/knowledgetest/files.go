package knowledgetest

import (
	"strings"
	"testing/fstest"
)

// EntryText is a valid explanation entry. Its front matter keys sit on fixed
// lines: id 2, title 3, kind 4, questions 5, related 7; the body starts on 9.
func EntryText(id string, related ...string) string {
	rel := "[]"
	if len(related) > 0 {
		rel = "[" + strings.Join(related, ", ") + "]"
	}
	return lines(
		"---",
		"id: "+id,
		"title: About "+id,
		"kind: explanation",
		"questions:",
		"  - what is "+id,
		"related: "+rel,
		"---",
		"What "+id+" is, in a sentence.",
	)
}

// StepText is a valid checklist step: step is on line 6, the body starts on 8.
func StepText(id, step string) string {
	return lines(
		"---",
		"id: "+id,
		"title: Step "+step,
		"kind: checklist",
		"checklist: choosing",
		"step: "+step,
		"---",
		"Do step "+step+".",
	)
}

// Files is a small knowledge base that loads cleanly: two explanations, a
// two-step checklist and synonyms, beside a file Load ignores.
func Files() fstest.MapFS {
	return fstest.MapFS{
		"entries/aftercare.md": {Data: []byte(EntryText("aftercare", "healing"))},
		"entries/healing.md":   {Data: []byte(EntryText("healing"))},
		"entries/step-one.md":  {Data: []byte(StepText("step-one", "1"))},
		"entries/step-two.md":  {Data: []byte(StepText("step-two", "2"))},
		"synonyms.txt":         {Data: []byte("technician, practitioner, tech\nhair tattoo => smp\n")},
		"README.md":            {Data: []byte("not an entry")},
	}
}

func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }
