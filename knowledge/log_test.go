package knowledge_test

import (
	"context"
	"errors"
	"testing"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// snapshotted is a revision log that keeps a snapshot of its newest state
// and refuses to read its history from the start, as a long one costs.
type snapshotted struct {
	*knowledgetest.Memory
	snap knowledge.State
}

func (s snapshotted) Snapshot(context.Context) (knowledge.State, error) { return s.snap, nil }

func (s snapshotted) Since(ctx context.Context, rev int64) ([]knowledge.Record, error) {
	if rev < s.snap.Head() {
		return nil, errors.New("read the history before the snapshot")
	}
	return s.Memory.Since(ctx, rev)
}

// TestFoldStartsFromSnapshot checks that a reader starting from nothing takes
// a log's snapshot and reads only the records after it, and that moderation,
// which starts that way, sees the newest knowledge base.
func TestFoldStartsFromSnapshot(t *testing.T) {
	ctx := context.Background()
	mem := knowledgetest.NewMemory(t, knowledgetest.Files())
	var full knowledge.State
	if _, err := knowledge.Fold(ctx, mem, &full); err != nil {
		t.Fatal(err)
	}
	log := snapshotted{Memory: mem, snap: knowledge.Restore(full.Head(), full.Records())}
	id := full.IDs()[0]
	text := full.Latest(id).Text + "\nAdded after the snapshot.\n"
	if _, err := mem.Commit(ctx, full.Head(), knowledge.Record{Author: "mod", Op: knowledge.OpPut, ID: id, Text: text}); err != nil {
		t.Fatal(err)
	}

	var st knowledge.State
	moved, err := knowledge.Fold(ctx, log, &st)
	if err != nil || !moved {
		t.Fatalf("Fold from nothing = moved %v, %v; want the snapshot and what follows it", moved, err)
	}
	if got, want := st.Head(), full.Head()+1; got != want {
		t.Errorf("Fold head = %d, want %d", got, want)
	}
	if got := st.Latest(id).Text; got != text {
		t.Errorf("Fold's %s = %q, want the edit made after the snapshot", id, got)
	}

	m := knowledge.NewModeration(log, mem)
	if got, _, err := m.Text(ctx, id); err != nil || got != text {
		t.Errorf("Moderation.Text(%s) = %q, %v; want the edit made after the snapshot", id, got, err)
	}
}
