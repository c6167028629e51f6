package knowledge

import (
	"fmt"
	"regexp"
	"strconv"
)

// A file shown for editing ends with a revision line, an HTML comment that
// Markdown does not display:
//
//	<!-- kb revision 12: bot kb edit refuses this file if the entry changed since -->
//
// It names the revision the moderator started from, so that saving the file
// back is compare-and-set against it. It sits last so that removing it moves
// no line a problem is reported on.
var revisionLine = regexp.MustCompile(`(?m)^<!-- kb revision (\d+)\b[^\n]*-->[ \t]*(\n|$)`)

// WithRevision returns text with its revision line for rev appended.
func WithRevision(text string, rev int64) string {
	return fmt.Sprintf("%s<!-- kb revision %d: bot kb edit refuses this file if the entry changed since -->\n", EnsureNewline(text), rev)
}

// CutRevision removes the revision line from text and returns the revision it
// names; ok is false when there is none.
func CutRevision(text string) (rest string, rev int64, ok bool) {
	m := revisionLine.FindStringSubmatchIndex(text)
	if m == nil {
		return text, 0, false
	}
	rev, err := strconv.ParseInt(text[m[2]:m[3]], 10, 64)
	if err != nil {
		return text, 0, false
	}
	return text[:m[0]] + text[m[1]:], rev, true
}
