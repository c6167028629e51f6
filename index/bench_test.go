package index_test

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/smpbot/bot/index"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// Benchmarks for the speed and memory targets of issue 2. Run them with
//
//	go test -run='^$' -bench=. -benchmem ./index/

// guideQuestions are the questions of the embedded evaluation set: what real
// people ask, on-topic and off.
func guideQuestions(b *testing.B) []string {
	b.Helper()
	cases, err := guide.EvalCases()
	if err != nil {
		b.Fatal(err)
	}
	qs := make([]string, len(cases))
	for i, c := range cases {
		qs[i] = c.Question
	}
	return qs
}

func benchService(b *testing.B, base *knowledge.Base) *knowledge.Service {
	b.Helper()
	cal, err := guide.Calibration()
	if err != nil {
		b.Fatal(err)
	}
	return knowledge.NewService(base, build(b, base), cal, nil)
}

func benchAnswer(b *testing.B, svc *knowledge.Service, questions []string) {
	b.Helper()
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := svc.Answer(ctx, questions[i%len(questions)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkAnswerDefault answers the evaluation set's questions in turn from
// the embedded knowledge base. Target: 300 µs.
func BenchmarkAnswerDefault(b *testing.B) {
	benchAnswer(b, benchService(b, guideBase(b)), guideQuestions(b))
}

// BenchmarkAnswer10k answers from a generated knowledge base of 10,000
// entries. Target: 5 ms.
func BenchmarkAnswer10k(b *testing.B) {
	base, questions := generateBase(b, 10000)
	benchAnswer(b, benchService(b, base), append(questions, guideQuestions(b)...))
}

func benchBuild(b *testing.B, base *knowledge.Base) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		idx, err := index.Build(base)
		if err != nil {
			b.Fatal(err)
		}
		idx.Close()
	}
}

// BenchmarkBuildDefault builds the index of the embedded knowledge base.
// Target: 100 ms.
func BenchmarkBuildDefault(b *testing.B) { benchBuild(b, guideBase(b)) }

// BenchmarkBuild10k builds the index of a generated knowledge base of 10,000
// entries. Target: 5 s.
func BenchmarkBuild10k(b *testing.B) {
	base, _ := generateBase(b, 10000)
	benchBuild(b, base)
}

// BenchmarkHeapDefault reports the heap in use once the default index is
// built (heap-MB, target 30 MB) and how much of it the index holds
// (index-MB).
func BenchmarkHeapDefault(b *testing.B) {
	base := guideBase(b)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var idx *index.Index
	for b.Loop() {
		if idx != nil {
			idx.Close()
		}
		var err error
		if idx, err = index.Build(base); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapInuse)/(1<<20), "heap-MB")
	b.ReportMetric((float64(after.HeapAlloc)-float64(before.HeapAlloc))/(1<<20), "index-MB")
	runtime.KeepAlive(idx)
	idx.Close()
}

var wordRE = regexp.MustCompile(`[a-z]+`)

// generateBase makes a knowledge base of n explanation entries shaped like
// the guide's: a title of 3 to 7 words, 8 alternate questions of 4 to 12
// words, 4 tags and a body of about 200 words, from the guide's own words
// and made-up ones, drawn with a Zipf distribution from a fixed seed. It
// returns the base and a question about every 50th entry, reworded.
func generateBase(b *testing.B, n int) (*knowledge.Base, []string) {
	b.Helper()
	guideBase := guideBase(b)
	seen := map[string]bool{}
	var words []string
	for _, e := range guideBase.Entries() {
		for _, w := range wordRE.FindAllString(strings.ToLower(e.Title+" "+strings.Join(e.Questions, " ")+" "+e.Body), -1) {
			if !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	r := rand.New(rand.NewPCG(2, 10000))
	syllables := strings.Fields("ba co di fu ga he ki lo mu ne pa qui ro sa te vu wa xe yo zu an el in or um ist ment ing")
	for len(words) < 20000 {
		var w strings.Builder
		for range 2 + r.IntN(3) {
			w.WriteString(syllables[r.IntN(len(syllables))])
		}
		if !seen[w.String()] {
			seen[w.String()] = true
			words = append(words, w.String())
		}
	}
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(words)-1))
	phrase := func(min, max int) string {
		ws := make([]string, min+r.IntN(max-min+1))
		for i := range ws {
			ws[i] = words[zipf.Uint64()]
		}
		return strings.Join(ws, " ")
	}
	entries := make([]*knowledge.Entry, n)
	var questions []string
	for i := range entries {
		e := &knowledge.Entry{
			ID:      fmt.Sprintf("generated-%05d", i),
			Title:   phrase(3, 7),
			Kind:    knowledge.Explanation,
			Tags:    strings.Fields(phrase(4, 4)),
			Sources: []knowledge.Source{{Title: "Generated", URL: "https://example.com/" + fmt.Sprint(i)}},
		}
		for range 8 {
			e.Questions = append(e.Questions, phrase(4, 12))
		}
		var body strings.Builder
		for body.Len() < 1200 { // about 200 words
			fmt.Fprintf(&body, "%s. ", phrase(8, 20))
		}
		e.Body = body.String()
		e.File = e.ID + ".md"
		entries[i] = e
		if i%50 == 0 {
			qw := strings.Fields(e.Questions[r.IntN(len(e.Questions))])
			questions = append(questions, strings.Join(qw[:max(2, len(qw)-2)], " ")+" "+words[r.IntN(len(words))])
		}
	}
	base, ps := knowledge.NewBase(entries, guideBase.Synonyms())
	if len(ps) > 0 {
		b.Fatalf("generated base: %q", ps[:min(len(ps), 5)])
	}
	return base, questions
}

// logOf returns an in-memory revision log whose first revision holds every
// entry of base, and its head.
func logOf(b *testing.B, base *knowledge.Base) (*knowledgetest.Memory, int64) {
	b.Helper()
	files := fstest.MapFS{}
	for _, e := range base.Entries() {
		text, err := e.Text()
		if err != nil {
			b.Fatal(err)
		}
		files[knowledge.FilePath(e.ID)] = &fstest.MapFile{Data: []byte(text)}
	}
	syn, err := fs.ReadFile(guide.FS(), knowledge.SynonymsFile)
	if err != nil {
		b.Fatal(err)
	}
	files[knowledge.SynonymsFile] = &fstest.MapFile{Data: syn}
	mem := knowledgetest.NewMemory(b, files)
	recs, err := mem.Since(b.Context(), 0)
	if err != nil {
		b.Fatal(err)
	}
	return mem, recs[len(recs)-1].Rev
}

// edit returns a record that gives the entry id a new alternate question
// of two made-up words, and the question.
func edit(b *testing.B, base *knowledge.Base, id string, n int) (knowledge.Record, string) {
	b.Helper()
	e, ok := base.Entry(id)
	if !ok {
		b.Fatalf("no entry %s", id)
	}
	q := fmt.Sprintf("zorblat%d quennix%d", n, n)
	changed := *e
	changed.Questions = append(slices.Clip(e.Questions), q)
	text, err := changed.Text()
	if err != nil {
		b.Fatal(err)
	}
	return knowledge.Record{Author: "bench", Op: knowledge.OpPut, ID: id, Text: text}, q
}

// BenchmarkEdit10k measures one edit at 10,000 entries, from commit to
// answering: a moderator's change is committed to the revision log, the
// service following the log (Service.Follow, every FollowInterval) updates
// its index, and a question then gets the new answer. Target: 1 s.
func BenchmarkEdit10k(b *testing.B) {
	base, _ := generateBase(b, 10000)
	mem, head := logOf(b, base)
	svc := benchService(b, base)
	ctx, cancel := context.WithCancel(b.Context())
	done := make(chan error)
	go func(head int64) {
		done <- svc.Follow(ctx, mem, head, func(b *knowledge.Base) (knowledge.Index, error) { return index.Build(b) })
	}(head)
	defer func() {
		cancel()
		if err := <-done; err != nil {
			b.Error(err)
		}
	}()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		id := base.Entries()[n*7919%len(base.Entries())].ID
		rec, q := edit(b, svc.Base(), id, n)
		recs, err := mem.Commit(ctx, head, rec)
		if err != nil {
			b.Fatal(err)
		}
		head = recs[len(recs)-1].Rev
		for {
			a, err := svc.Lookup(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			if len(a.Matches) > 0 && a.Matches[0].Entry.ID == id && slices.Contains(a.Matches[0].Entry.Questions, q) {
				break
			}
			time.Sleep(time.Millisecond)
		}
		n++
	}
}

// BenchmarkUpdate10k measures what Follow does for one edit at 10,000
// entries, without waiting for it to look: apply the revision to the
// knowledge base and update the index in place.
func BenchmarkUpdate10k(b *testing.B) {
	base, _ := generateBase(b, 10000)
	idx, err := index.Build(base)
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		rec, _ := edit(b, base, base.Entries()[n*7919%len(base.Entries())].ID, n)
		if base, err = base.Apply(rec); err != nil {
			b.Fatal(err)
		}
		if err := idx.Update(base); err != nil {
			b.Fatal(err)
		}
		n++
	}
}
