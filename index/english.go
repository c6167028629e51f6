package index

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"sync"
)

// englishGz is every English word of five letters or more (the shortest
// given typo tolerance) in the American and British word lists of SCOWL, as
// Debian packages them (wamerican and wbritish; see english-LICENSE.txt):
// lower case, letters only, one per line, sorted, gzipped. It was made with
//
//	cat /usr/share/dict/american-english /usr/share/dict/british-english |
//	  tr A-Z a-z | grep -E '^[a-z]{5,}$' | sort -u | gzip -9 -n > english.txt.gz
//
//go:embed english.txt.gz
var englishGz []byte

// englishWords is the set of words in englishGz, read once.
var englishWords = sync.OnceValue(func() map[string]struct{} {
	zr, err := gzip.NewReader(bytes.NewReader(englishGz))
	if err != nil {
		panic("index: embedded word list: " + err.Error()) // built into the binary: cannot fail
	}
	words := make(map[string]struct{}, 70000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		words[sc.Text()] = struct{}{}
	}
	if err := sc.Err(); err != nil {
		panic("index: embedded word list: " + err.Error())
	}
	return words
})

// isEnglish reports whether word, in lower case, is an English word. Such a
// word is what its writer meant: it is never taken for a typo of a word of
// the knowledge base ("plane" is not "place").
func isEnglish(word string) bool {
	_, ok := englishWords()[word]
	return ok
}
