package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/jetstream"
	"github.com/smpbot/bot/adapters/jetstream/jetstreamtest"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// BenchmarkEditToAnswerAcrossReplicas is a moderator's edit on one replica,
// from the commit until another replica, following the shared knowledge
// base (the embedded one), answers with it.
func BenchmarkEditToAnswerAcrossReplicas(b *testing.B) {
	ctx, cancel := context.WithCancel(b.Context())
	cfg := jetstream.Config{URL: jetstreamtest.Start(b).URL()}
	writer, err := openEngine(ctx, cfg, false, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer writer.Close()
	const id = "zebrafish-bench"
	entry := func(body string) string {
		return strings.Replace(knowledgetest.EntryText(id), "What "+id+" is, in a sentence.", body, 1)
	}
	if _, err := writer.Put(ctx, "alice", entry("Zebrafish pigment, first."), 0); err != nil {
		b.Fatal(err)
	}
	reader, err := openEngineService(ctx, cfg, false, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer reader.close()
	var wg sync.WaitGroup
	wg.Go(func() { reader.watch(ctx, nil) })
	defer wg.Wait()
	defer cancel()
	answers := func(body string) bool {
		a, err := reader.svc.Answer(ctx, "what is "+id)
		return err == nil && len(a.Matches) > 0 && a.Matches[0].ID == id && a.Matches[0].Body == body
	}
	for i := 0; b.Loop(); i++ {
		body := fmt.Sprintf("Zebrafish pigment, edit %d.", i)
		if _, err := writer.Put(ctx, "alice", entry(body), knowledge.Newest); err != nil {
			b.Fatal(err)
		}
		deadline := time.Now().Add(time.Minute)
		for !answers(body) {
			if time.Now().After(deadline) {
				b.Fatalf("edit %d not answered after a minute", i)
			}
			time.Sleep(time.Millisecond)
		}
	}
}
