package guide_test

import (
	"bufio"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// The entries are written in our own words from the guide and the reference
// pack: no run of runLength words may be shared with either. The texts
// themselves are not ours to commit, so testdata keeps only a hash of each of
// their runs; `go test -run TestNoCopiedRuns -shared DIR` writes it anew
// from the project's shared folder.
const runLength = 8

var sharedDir = flag.String("shared", "", "rewrite testdata/shared-runs.txt from the guide and reference pack under this folder")

// defaultShared is where the shared folder sits beside a checkout; when it is
// there, the test also checks that testdata is current.
const defaultShared = "../../../shared"

const runsFile = "testdata/shared-runs.txt"

var urlPattern = regexp.MustCompile(`https?://[^\s)>\]]+`)

// words lowercases text and splits it into words, dropping URLs and
// punctuation, so that a run is found whatever its Markdown or capitals.
func words(text string) []string {
	text = urlPattern.ReplaceAllString(strings.ToLower(text), " ")
	text = strings.NewReplacer("'", "", "’", "").Replace(text)
	return strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func runHash(ws []string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(strings.Join(ws, " ")))
	return h.Sum64()
}

// sharedRuns hashes every run of the guide and the reference pack under dir.
func sharedRuns(t *testing.T, dir string) []uint64 {
	t.Helper()
	var files []string
	for _, pattern := range []string{"guide/*.txt", "reference/*.md"} {
		m, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatalf("no guide or reference text under %s", dir)
	}
	var hashes []uint64
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ws := words(string(data))
		for i := 0; i+runLength <= len(ws); i++ {
			hashes = append(hashes, runHash(ws[i:i+runLength]))
		}
	}
	slices.Sort(hashes)
	return slices.Compact(hashes)
}

func readRuns(t *testing.T) []uint64 {
	t.Helper()
	f, err := os.Open(runsFile)
	if err != nil {
		t.Fatalf("%v: write it with go test -run TestNoCopiedRuns -shared DIR", err)
	}
	defer f.Close()
	var hashes []uint64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var h uint64
		if _, err := fmt.Sscanf(sc.Text(), "%x", &h); err != nil {
			t.Fatalf("%s: %q: %v", runsFile, sc.Text(), err)
		}
		hashes = append(hashes, h)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return hashes
}

func writeRuns(t *testing.T, hashes []uint64) {
	t.Helper()
	var b strings.Builder
	for _, h := range hashes {
		fmt.Fprintf(&b, "%016x\n", h)
	}
	if err := os.WriteFile(runsFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestNoCopiedRuns fails for every run of eight words or more that an entry's
// title, questions or body shares with the guide or the reference pack.
func TestNoCopiedRuns(t *testing.T) {
	if *sharedDir != "" {
		writeRuns(t, sharedRuns(t, *sharedDir))
	}
	hashes := readRuns(t)
	if *sharedDir == "" {
		if _, err := os.Stat(defaultShared); err == nil && !slices.Equal(sharedRuns(t, defaultShared), hashes) {
			t.Errorf("%s is stale: go test -run TestNoCopiedRuns -shared %s", runsFile, defaultShared)
		}
	}
	shared := func(ws []string) bool {
		_, ok := slices.BinarySearch(hashes, runHash(ws))
		return ok
	}
	for _, e := range loadBase(t).Entries() {
		texts := append([]string{e.Title, e.Body}, e.Questions...)
		for _, text := range texts {
			for _, run := range copiedRuns(words(text), shared) {
				t.Errorf("%s: %q is in the guide or the reference pack; say it in your own words", e.File, run)
			}
		}
	}
}

// copiedRuns returns the longest runs of ws, each of runLength words or more,
// whose every runLength-word window is shared.
func copiedRuns(ws []string, shared func([]string) bool) []string {
	var runs []string
	start, end := -1, -1
	flush := func() {
		if start >= 0 {
			runs = append(runs, strings.Join(ws[start:end], " "))
			start = -1
		}
	}
	for i := 0; i+runLength <= len(ws); i++ {
		if !shared(ws[i : i+runLength]) {
			if i >= end {
				flush()
			}
			continue
		}
		if start < 0 {
			start = i
		}
		end = i + runLength
	}
	flush()
	return runs
}
