package index

import "strings"

// stripMarkdown removes link targets from Markdown so that URLs do not feed
// the index; the analyser drops the remaining punctuation.
func stripMarkdown(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "](")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], ')')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		b.WriteByte(' ')
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}
