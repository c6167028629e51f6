package discord

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/smpbot/bot/index"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// testEntries is a small, fixed knowledge base, so that tests do not move
// when the real guide is edited.
var testEntries = map[string]string{
	"what-is-smp": `---
id: what-is-smp
title: What scalp micropigmentation (SMP) is
kind: explanation
questions:
  - what is smp
  - what is a hair tattoo
related: [pigment-depth, infection-signs]
sources:
  - title: "Cleveland Clinic: scalp micropigmentation"
    url: https://my.clevelandclinic.org/health/treatments/22719-scalp-micropigmentation
---
**Scalp micropigmentation (SMP)** places very small dots of pigment
just below the surface of the scalp.

- it is *cosmetic*;
- no surgery is involved.
`,
	"pigment-depth": `---
id: pigment-depth
title: Why needle depth matters
kind: explanation
questions:
  - how deep should the needle go
  - what happens if pigment goes too deep
related: [checklist-training, what-is-smp]
sources:
  - title: "Bad SMP results [guide]"
    url: https://example.com/smp/(depth)
---
## Depth

Too deep and the dots **blur** and spread; too shallow and they fade.
See [the guide](https://example.com/guide).
`,
	"infection-signs": `---
id: infection-signs
title: Signs of infection after SMP
kind: explanation
questions:
  - is my scalp infected
  - signs of infection after smp
related: [what-is-smp]
---
Redness that spreads, pus, fever or swelling need a doctor.
`,
	"checklist-training": `---
id: checklist-training
title: "Step 1: Check their SMP training and credentials"
kind: checklist
checklist: choosing-a-practitioner
step: 1
questions:
  - how do i check smp training
related: [checklist-reputation]
sources:
  - title: "Scalp Amplified: choosing an SMP provider"
    url: https://scalpamplifiedstudios.com/choosing-the-best-smp-provider/
---
Ask which academy trained them.
`,
	"checklist-reputation": `---
id: checklist-reputation
title: "Step 2: Check their reputation and reviews"
kind: checklist
checklist: choosing-a-practitioner
step: 2
questions:
  - how do i check smp reviews
---
Read reviews and look at healed results.
`,
	"checklist-comfort": `---
id: checklist-comfort
title: "Step 3: Make sure you feel comfortable"
kind: checklist
checklist: choosing-a-practitioner
step: 3
questions:
  - should i trust my gut about a practitioner
---
Walk away if you feel pressured.
`,
	"aftercare-encyclopedia": longEntry(),
}

// longEntry is an entry whose body and sources exceed what one embed and one
// message may hold.
func longEntry() string {
	var b strings.Builder
	b.WriteString("---\nid: aftercare-encyclopedia\ntitle: The complete aftercare encyclopedia\nkind: explanation\nquestions:\n  - tell me everything about aftercare encyclopedia\n")
	for i := range 30 {
		fmt.Fprintf(&b, "  - aftercare question number %d\n", i+1)
	}
	b.WriteString("sources:\n")
	for i := range 30 {
		fmt.Fprintf(&b, "  - title: \"Aftercare source number %d with a long descriptive title\"\n    url: https://example.com/aftercare/%d/a-rather-long-path-to-make-the-line-longer\n", i+1, i+1)
	}
	b.WriteString("---\n")
	for i := range 60 {
		fmt.Fprintf(&b, "**Part %d.** Keep the scalp clean and dry, avoid the sun and sweat, do not pick at scabs, and follow what your practitioner told you. @everyone <@123> this text must never ping anyone.\n\n", i+1)
	}
	return b.String()
}

// testBase loads testEntries.
func testBase(t testing.TB) *knowledge.Base {
	t.Helper()
	fsys := fstest.MapFS{}
	for id, text := range testEntries {
		fsys[knowledge.EntriesDir+"/"+id+".md"] = &fstest.MapFile{Data: []byte(text)}
	}
	base, err := knowledge.Load(fsys)
	if err != nil {
		t.Fatalf("load test knowledge base: %v", err)
	}
	return base
}

// testKB is the moderation of testEntries, kept in memory.
type testKB struct {
	*knowledge.Moderation
	mem *knowledgetest.Memory
}

func newTestKB(t testing.TB) *testKB {
	t.Helper()
	fsys := fstest.MapFS{}
	for id, text := range testEntries {
		fsys[knowledge.EntriesDir+"/"+id+".md"] = &fstest.MapFile{Data: []byte(text)}
	}
	mem := knowledgetest.NewMemory(t, fsys)
	return &testKB{knowledge.NewModeration(mem, mem), mem}
}

// storeService is a knowledge service answering from kb, recording gaps
// and feedback in it, and following its changes until the test ends.
func storeService(t testing.TB, kb *testKB, log *slog.Logger) *knowledge.Service {
	t.Helper()
	base, head, err := kb.Base(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	idx, err := index.Build(base)
	if err != nil {
		t.Fatalf("build index: %v", err)
	}
	t.Cleanup(func() { idx.Close() }) // Follow updates it in place
	svc := knowledge.NewService(base, idx, knowledge.Calibration{}, log)
	svc.Observe(kb)
	svc.RecordFeedbackTo(kb)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- svc.Follow(ctx, kb.mem, head, func(b *knowledge.Base) (knowledge.Index, error) { return index.Build(b) })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Follow: %v", err)
		}
	})
	return svc
}

// testService is a knowledge service over testEntries with a real index,
// logging (feedback, among others) to log.
func testService(t testing.TB, log *slog.Logger) *knowledge.Service {
	t.Helper()
	base := testBase(t)
	idx, err := index.Build(base)
	if err != nil {
		t.Fatalf("build index: %v", err)
	}
	t.Cleanup(func() { idx.Close() })
	return knowledge.NewService(base, idx, knowledge.Calibration{}, log)
}
