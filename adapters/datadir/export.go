package datadir

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/smpbot/bot/knowledge"
)

// An export is the whole knowledge base as one Markdown file: a header
// comment, then each file after a separator line
//
//	<!-- file BOUNDARY PATH -->
//
// where BOUNDARY is derived from a hash of the contents, so that no file can
// contain a separator by accident or design. HTML comments keep the export
// readable in any Markdown viewer.
const exportHeader = "<!-- smp-bot knowledge base, revision %d. Restore it with: bot kb import FILE -->\n"

var separator = regexp.MustCompile(`^<!-- file ([0-9a-f]{16}) (\S+) -->$`)

// maxImportBytes bounds what Import reads.
const maxImportBytes = 64 << 20

// Export writes the newest knowledge base to w as one file that Import reads.
func (s *Store) Export(ctx context.Context, w io.Writer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.kb.mu.Lock()
	texts, head := s.state.Files(), s.state.Head()
	s.kb.mu.Unlock()
	h := sha256.New()
	paths := slices.Sorted(maps.Keys(texts))
	for _, p := range paths {
		fmt.Fprintf(h, "%s\x00%s\x00", p, texts[p])
	}
	boundary := hex.EncodeToString(h.Sum(nil))[:16]
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, exportHeader, head)
	for _, p := range paths {
		fmt.Fprintf(bw, "<!-- file %s %s -->\n%s", boundary, p, knowledge.EnsureNewline(texts[p]))
	}
	return bw.Flush()
}

// Import replaces the whole knowledge base with an export read from r: files
// it holds are added or replaced, entries it lacks are removed. Nothing is
// written if the knowledge base it makes does not load (see commit). It
// returns the records written, one batch.
func (s *Store) Import(ctx context.Context, author string, r io.Reader) ([]knowledge.Record, error) {
	texts, err := readExport(r)
	if err != nil {
		return nil, err
	}
	return s.change(ctx, func() ([]knowledge.Record, error) {
		recs := s.state.Changes(author, "import", texts)
		if len(recs) == 0 {
			return nil, fmt.Errorf("the import matches the knowledge base: %w", knowledge.ErrNoChange)
		}
		return recs, nil
	})
}

// readExport splits an export into its files, by path.
func readExport(r io.Reader) (map[string]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxImportBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxImportBytes {
		return nil, fmt.Errorf("the import is over %d bytes", maxImportBytes)
	}
	texts := map[string]string{}
	var (
		boundary, cur string
		body          strings.Builder
	)
	flush := func() {
		if cur != "" {
			texts[cur] = body.String()
		}
		body.Reset()
	}
	for n, line := range strings.SplitAfter(string(data), "\n") {
		m := separator.FindStringSubmatch(strings.TrimRight(line, "\r\n"))
		if m != nil && (boundary == "" || m[1] == boundary) {
			flush()
			boundary, cur = m[1], m[2]
			// Only the path an id is written to: a file elsewhere would be
			// validated under one name and written under another.
			if knowledge.CheckID(knowledge.FileID(cur)) != nil || knowledge.FilePath(knowledge.FileID(cur)) != cur {
				return nil, fmt.Errorf("import line %d: %q is not an entry file (entries/ID.md) or %s", n+1, cur, knowledge.SynonymsFile)
			}
			if _, dup := texts[cur]; dup {
				return nil, fmt.Errorf("import line %d: %s appears twice", n+1, cur)
			}
			continue
		}
		if cur == "" {
			if strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "<!--") {
				return nil, fmt.Errorf("import line %d: text before the first file; is this a file made by bot kb export?", n+1)
			}
			continue
		}
		body.WriteString(line)
	}
	flush()
	if len(texts) == 0 {
		return nil, fmt.Errorf("the import holds no files; is it a file made by bot kb export?")
	}
	return texts, nil
}
