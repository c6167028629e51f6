package knowledge

import "strings"

// DiffOp says what a line of a Diff is.
type DiffOp int

// The lines of a Diff.
const (
	// Same is a line both texts have.
	Same DiffOp = iota
	// Deleted is a line only the old text has.
	Deleted
	// Inserted is a line only the new text has.
	Inserted
)

// DiffLine is one line of a Diff.
type DiffLine struct {
	Op   DiffOp
	Text string
}

// maxDiffCells bounds the work of Diff: texts whose line counts multiply
// beyond it are shown as all deleted, then all inserted.
const maxDiffCells = 4 << 20

// Diff returns the lines of old and new, in order, each marked as kept,
// deleted or inserted: a longest common subsequence of lines, so that a
// moderator reads what changed between two revisions.
func Diff(old, new string) []DiffLine {
	a, b := splitLines(old), splitLines(new)
	// Common prefix and suffix cost nothing to keep.
	var head, tail []DiffLine
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		head = append(head, DiffLine{Same, a[0]})
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		tail = append([]DiffLine{{Same, a[len(a)-1]}}, tail...)
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	out := head
	if len(a)*len(b) > maxDiffCells {
		for _, l := range a {
			out = append(out, DiffLine{Deleted, l})
		}
		for _, l := range b {
			out = append(out, DiffLine{Inserted, l})
		}
		return append(out, tail...)
	}
	// lcs[i][j] is the length of the longest common subsequence of a[i:]
	// and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out = append(out, DiffLine{Same, a[i]})
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			// Deleted lines come before the lines that replace them.
			out = append(out, DiffLine{Deleted, a[i]})
			i++
		default:
			out = append(out, DiffLine{Inserted, b[j]})
			j++
		}
	}
	return append(out, tail...)
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}
