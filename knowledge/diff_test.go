package knowledge_test

import (
	"strings"
	"testing"

	"github.com/smpbot/bot/knowledge"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		old, new string
		want     string // one line each: ' ' same, '-' deleted, '+' inserted
	}{
		{"", "", ""},
		{"a\nb\n", "a\nb\n", " a  b"},
		{"", "a\n", "+a"},
		{"a\n", "", "-a"},
		{"a\nb\nc\n", "a\nx\nc\n", " a -b +x  c"},
		{"title: A\nbody\n", "title: B\nbody\nmore\n", "-title: A +title: B  body +more"},
		{"x\na\nb\n", "a\nb\ny\n", "-x  a  b +y"},
	}
	for _, tt := range tests {
		var parts []string
		for _, l := range knowledge.Diff(tt.old, tt.new) {
			parts = append(parts, string(" -+"[l.Op])+l.Text)
		}
		if got := strings.Join(parts, " "); got != tt.want {
			t.Errorf("Diff(%q, %q) = %q, want %q", tt.old, tt.new, got, tt.want)
		}
	}
}
