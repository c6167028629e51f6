package jetstream_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/jetstream"
	"github.com/smpbot/bot/adapters/jetstream/jetstreamtest"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// replica is one process's view of the shared knowledge base.
type replica struct {
	*jetstream.Store
	*knowledge.Moderation
}

func newReplica(t *testing.T, cfg jetstream.Config) replica {
	t.Helper()
	s := open(t, cfg)
	return replica{s, knowledge.NewModeration(s, s)}
}

// seeded opens a replica on url and seeds the knowledge base with
// knowledgetest.Files.
func seeded(t *testing.T, cfg jetstream.Config) replica {
	t.Helper()
	r := newReplica(t, cfg)
	if _, err := r.Commit(t.Context(), 0, seedRecords(t)...); err != nil {
		t.Fatalf("seed: %v", err)
	}
	return r
}

func seedRecords(t *testing.T) []knowledge.Record {
	t.Helper()
	files, err := knowledge.ReadFiles(knowledgetest.Files())
	if err != nil {
		t.Fatal(err)
	}
	var st knowledge.State
	return st.Changes("seed", "", files)
}

// edited returns the text of entry id with its body replaced.
func edited(id, body string) string {
	return strings.Replace(knowledgetest.EntryText(id), "What "+id+" is, in a sentence.", body, 1)
}

// waitFor polls cond until it holds, failing the test after testTimeout
// with why, if given, saying why not. It waits for the servers; it asserts
// nothing about how fast they are.
func waitFor(t *testing.T, what string, cond func() bool, why ...func() string) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			var reason string
			for _, w := range why {
				reason += ": " + w()
			}
			t.Fatalf("%s: not after %s%s", what, testTimeout, reason)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Undo and revert reach as far back on the engine as on files: an entry's
// history is not cut at a key-value bucket's 64 revisions.
func TestHistoryPast64Revisions(t *testing.T) {
	ctx := t.Context()
	r := seeded(t, jetstream.Config{URL: jetstreamtest.Start(t).URL()})
	const edits = 100
	for i := 1; i <= edits; i++ {
		if _, err := r.Put(ctx, "alice", edited("healing", fmt.Sprintf("Edit %d.", i)), knowledge.Newest); err != nil {
			t.Fatalf("edit %d: %v", i, err)
		}
	}
	hist, err := r.History(ctx, "healing")
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != edits+1 {
		t.Fatalf("History(healing) has %d revisions, want %d", len(hist), edits+1)
	}
	first := hist[1]
	if _, err := r.Revert(ctx, "bob", "healing", first.Rev, knowledge.Newest); err != nil {
		t.Fatalf("Revert(healing, %d): %v", first.Rev, err)
	}
	if text, _, _ := r.Text(ctx, "healing"); !strings.Contains(text, "Edit 1.") {
		t.Errorf("after reverting to revision %d healing says %q, want its first edit", first.Rev, text)
	}
	if _, err := r.Revert(ctx, "bob", "healing", hist[0].Rev, knowledge.Newest); err != nil {
		t.Fatalf("Revert(healing, %d), the seed: %v", hist[0].Rev, err)
	}
	if text, _, _ := r.Text(ctx, "healing"); text != knowledgetest.EntryText("healing") {
		t.Errorf("after reverting to the seed healing says %q", text)
	}
}

// A replica that was offline while an entry was removed sees the removal
// when it comes back, reading only the revisions it missed.
func TestRemovalSeenByAReplicaThatWasOffline(t *testing.T) {
	ctx := t.Context()
	srv := jetstreamtest.Start(t)
	cfg := jetstream.Config{URL: srv.URL()}
	alice := seeded(t, cfg)
	offline := newReplica(t, cfg)
	var st knowledge.State
	recs, err := offline.Since(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	st.Apply(recs...)
	offline.Close()

	if _, err := alice.Remove(ctx, "alice", "aftercare", knowledge.Newest); err != nil {
		t.Fatal(err)
	}
	back := newReplica(t, cfg)
	missed, err := back.Since(ctx, st.Head())
	if err != nil {
		t.Fatal(err)
	}
	if len(missed) != 1 || missed[0].ID != "aftercare" || missed[0].Op != knowledge.OpRemove {
		t.Fatalf("Since(%d) = %+v, want the removal of aftercare only", st.Head(), missed)
	}
	st.Apply(missed...)
	b, err := st.Base()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b.Entry("aftercare"); ok {
		t.Error("aftercare still answers on the replica that was offline")
	}
	if _, err := back.Undo(ctx, "bob", "aftercare", knowledge.Newest); err != nil {
		t.Errorf("undoing the removal on the replica that was offline: %v", err)
	}
}

// While the server is down a replica refuses changes with the sentence for
// it, and when the server comes back on the same store, the replica carries
// on: nothing acknowledged is lost, and nothing is applied twice.
func TestServerRestart(t *testing.T) {
	ctx := t.Context()
	srv := jetstreamtest.Start(t)
	r := seeded(t, jetstream.Config{URL: srv.URL()})
	before, err := r.Since(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Put(ctx, "alice", edited("healing", "Before the restart."), knowledge.Newest); err != nil {
		t.Fatal(err)
	}

	srv.Stop()
	waitFor(t, "the replica notices the server is gone", func() bool { return !r.Ready() })
	_, err = r.Put(ctx, "alice", edited("healing", "While it was down."), knowledge.Newest)
	if !errors.Is(err, knowledge.ErrUnavailable) || knowledge.Refusal(err) != knowledge.UnavailableNotice {
		t.Errorf("a change while the server is down = %v (%q), want ErrUnavailable told with UnavailableNotice", err, knowledge.Refusal(err))
	}
	if err := r.AddGapEvent(ctx, knowledge.GapEvent{Question: "lost"}); !errors.Is(err, knowledge.ErrUnavailable) {
		t.Errorf("AddGapEvent while the server is down = %v, want ErrUnavailable", err)
	}
	if _, err := r.Since(ctx, 0); !errors.Is(err, knowledge.ErrUnavailable) {
		t.Errorf("Since while the server is down = %v, want ErrUnavailable", err)
	}

	srv.Restart()
	waitFor(t, "the replica reconnects", r.Ready)
	if _, err := r.Put(ctx, "alice", edited("healing", "After the restart."), knowledge.Newest); err != nil {
		t.Fatalf("a change after the restart: %v", err)
	}
	all, err := r.Since(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(all), len(before)+2; got != want {
		t.Fatalf("after the restart the log holds %d revisions, want %d: the seed, one edit before, one after", got, want)
	}
	for i, rec := range all {
		if rec.Rev != int64(i)+1 {
			t.Errorf("revision %d is numbered %d", i+1, rec.Rev)
		}
	}
	if !strings.Contains(all[len(all)-2].Text, "Before the restart.") || !strings.Contains(all[len(all)-1].Text, "After the restart.") {
		t.Errorf("the last two revisions say %q and %q", all[len(all)-2].Text, all[len(all)-1].Text)
	}
}

// On a three-node cluster with three replicas of each stream, a change
// survives losing the node leading the log, and changes go on being made.
func TestClusterSurvivesLosingANode(t *testing.T) {
	ctx := t.Context()
	c := jetstreamtest.StartCluster(t, 3)
	cfg := jetstream.Config{URL: c.URL(), Replicas: 3}
	alice := seeded(t, cfg)
	// Enough revisions that a replica starting reads them in bulk.
	for i := range 20 {
		if _, err := alice.Put(ctx, "alice", edited("healing", fmt.Sprintf("Edit %d.", i)), knowledge.Newest); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := alice.Put(ctx, "alice", edited("healing", "Kept on three nodes."), knowledge.Newest); err != nil {
		t.Fatal(err)
	}
	leader := c.StreamLeader("SMPBOT_LOG")
	if leader == nil {
		t.Fatal("the log has no leader")
	}
	var others []string
	for _, s := range c.Servers {
		if s != leader {
			others = append(others, s.URL())
		}
	}
	leader.Stop()
	bob := newReplica(t, jetstream.Config{URL: strings.Join(others, ","), Replicas: 3})
	var (
		text string
		err  error
	)
	waitFor(t, "the two nodes left serve the log", func() bool {
		text, _, err = bob.Text(ctx, "healing")
		return err == nil
	}, func() string { return fmt.Sprint(err) })
	if !strings.Contains(text, "Kept on three nodes.") {
		t.Errorf("after losing a node healing says %q", text)
	}
	if _, err := bob.Put(ctx, "bob", edited("healing", "Two nodes left."), knowledge.Newest); err != nil {
		t.Errorf("a change with two nodes of three: %v", err)
	}
}

// A batch lands whole: the largest one the server takes, and none larger.
func TestLargestBatch(t *testing.T) {
	ctx := t.Context()
	r := newReplica(t, jetstream.Config{URL: jetstreamtest.Start(t).URL()})
	recs := make([]knowledge.Record, jetstream.MaxBatch+1)
	for i := range recs {
		id := fmt.Sprintf("entry-%d", i)
		recs[i] = knowledge.Record{Author: "import", Op: knowledge.OpPut, ID: id, Text: knowledgetest.EntryText(id)}
	}
	if _, err := r.Commit(ctx, 0, recs...); err == nil {
		t.Fatalf("Commit of %d records succeeded, want it refused", len(recs))
	}
	got, err := r.Commit(ctx, 0, recs[:jetstream.MaxBatch]...)
	if err != nil {
		t.Fatalf("Commit of %d records: %v", jetstream.MaxBatch, err)
	}
	all, err := r.Since(ctx, 0)
	if err != nil || len(all) != jetstream.MaxBatch || all[len(all)-1].Batch != int64(jetstream.MaxBatch) || got[0].Rev != 1 {
		t.Errorf("after a batch of %d the log holds %d records (%v)", jetstream.MaxBatch, len(all), err)
	}
}
