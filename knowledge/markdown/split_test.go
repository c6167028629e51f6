package markdown

import (
	"strings"
	"testing"
)

func TestSplitTelegram(t *testing.T) {
	tests := []struct {
		name  string
		msg   string
		limit int
		want  []string
	}{
		{"fits", "<b>short</b>", 20, []string{"<b>short</b>"}},
		{"at the paragraph", "aaaa bbbb\n\ncccc\ndddd", 16, []string{"aaaa bbbb", "cccc\ndddd"}},
		{"at the line when no paragraph fits", "aaaa\nbbbb cccc", 11, []string{"aaaa", "bbbb cccc"}},
		{"at a space inside a tag", "<b>aaaa bbbb cccc</b>", 18, []string{"<b>aaaa bbbb</b>", "<b>cccc</b>"}},
		{"link reopened", `<a href="u">aa bb</a>`, 18, []string{`<a href="u">aa</a>`, `<a href="u">bb</a>`}},
		{"entity kept whole", "&amp;&amp;&amp;&amp;", 10, []string{"&amp;&amp;", "&amp;&amp;"}},
		{"no space at all", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"emoji counts twice", "😀😀😀", 4, []string{"😀😀", "😀"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SplitTelegram(tt.msg, tt.limit)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("SplitTelegram(%q, %d) = %q, want %q", tt.msg, tt.limit, got, tt.want)
			}
		})
	}
}

func TestTelegramLen(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "é": 1, "😀": 2, "&amp;": 5} {
		if got := TelegramLen(s); got != want {
			t.Errorf("TelegramLen(%q) = %d, want %d", s, got, want)
		}
	}
}
