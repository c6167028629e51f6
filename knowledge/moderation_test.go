package knowledge_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/smpbot/bot/index"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// The rules of moderation, whatever front end and storage: tested once,
// here, against a revision log and events kept in memory.

// kb is the moderation of knowledgetest.Files, kept in memory.
type kb struct {
	*knowledge.Moderation
	mem *knowledgetest.Memory
}

func newKB(t *testing.T) kb {
	t.Helper()
	mem := knowledgetest.NewMemory(t, knowledgetest.Files())
	return kb{knowledge.NewModeration(mem, mem), mem}
}

// source returns an entry's text and revision, failing the test if it has none.
func source(t *testing.T, s kb, id string) (string, int64) {
	t.Helper()
	text, rev, err := s.Text(t.Context(), id)
	if err != nil {
		t.Fatalf("Text(%q): %v", id, err)
	}
	return text, rev
}

// head returns the newest revision.
func head(t *testing.T, s kb) int64 {
	t.Helper()
	_, rev, err := s.Base(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

// edited returns the text of entry id with its body replaced.
func edited(id, body string) string {
	return strings.Replace(knowledgetest.EntryText(id), "What "+id+" is, in a sentence.", body, 1)
}

// serving builds a service answering from s with a real index, following its
// changes until the test ends.
func serving(t *testing.T, s kb, cal knowledge.Calibration) *knowledge.Service {
	t.Helper()
	base, head, err := s.Base(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	idx, err := index.Build(base) // Follow updates it in place
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	svc := knowledge.NewService(base, idx, cal, nil)
	svc.Observe(s)
	svc.RecordFeedbackTo(s)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		done <- svc.Follow(ctx, s.mem, head, func(b *knowledge.Base) (knowledge.Index, error) { return index.Build(b) })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Follow: %v", err)
		}
	})
	return svc
}

// eventually fails the test unless cond becomes true; it polls, so that no
// test depends on how fast the machine is.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestHistoryUndoRevert(t *testing.T) {
	ctx := context.Background()
	s := newKB(t)
	_, seedRev := source(t, s, "healing")
	v2, err := s.Put(ctx, "alice", edited("healing", "Version two."), seedRev)
	if err != nil {
		t.Fatal(err)
	}
	v3, err := s.Put(ctx, "bob", edited("healing", "Version three."), v2.Rev)
	if err != nil {
		t.Fatal(err)
	}
	type step struct {
		name string
		do   func(rev int64) (knowledge.Record, error)
		want string // a fragment of the text, or "" for removed
	}
	steps := []step{
		{"undo", func(rev int64) (knowledge.Record, error) { return s.Undo(ctx, "carol", "healing", rev) }, "Version two."},
		{"undo the undo", func(rev int64) (knowledge.Record, error) { return s.Undo(ctx, "carol", "healing", rev) }, "Version three."},
		{"revert to the seed", func(rev int64) (knowledge.Record, error) { return s.Revert(ctx, "carol", "healing", seedRev, rev) }, "What healing is"},
		{"remove", func(rev int64) (knowledge.Record, error) { return s.Remove(ctx, "carol", "healing", rev) }, ""},
		{"undo the removal", func(rev int64) (knowledge.Record, error) { return s.Undo(ctx, "carol", "healing", rev) }, "What healing is"},
		{"revert to v3", func(rev int64) (knowledge.Record, error) { return s.Revert(ctx, "carol", "healing", v3.Rev, rev) }, "Version three."},
	}
	rev := v3.Rev
	for _, st := range steps {
		// healing is related from aftercare, so removing it needs that link gone.
		if st.want == "" {
			_, arev := source(t, s, "aftercare")
			if _, err := s.Put(ctx, "carol", knowledgetest.EntryText("aftercare"), arev); err != nil {
				t.Fatalf("unlink aftercare: %v", err)
			}
		}
		r, err := st.do(rev)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		rev = r.Rev
		text, _, err := s.Text(ctx, "healing")
		if st.want == "" {
			if !errors.Is(err, knowledge.ErrNotFound) {
				t.Errorf("%s: Text(healing) = %q, %v; want ErrNotFound", st.name, text, err)
			}
			if b, _, _ := s.Base(ctx); b != nil {
				if _, ok := b.Entry("healing"); ok {
					t.Errorf("%s: the base still serves healing", st.name)
				}
			}
			continue
		}
		if !strings.Contains(text, st.want) {
			t.Errorf("%s: healing = %q, want %q in it", st.name, text, st.want)
		}
		if b, _, _ := s.Base(ctx); b != nil {
			if e, ok := b.Entry("healing"); !ok || !strings.Contains(e.Body+e.Title, strings.TrimSuffix(st.want, ".")) {
				t.Errorf("%s: the base serves %+v, want %q", st.name, e, st.want)
			}
		}
	}
	hist, err := s.History(ctx, "healing")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range hist {
		got = append(got, r.Author+":"+string(r.Op))
	}
	want := []string{"seed:put", "alice:put", "bob:put", "carol:put", "carol:put", "carol:put", "carol:remove", "carol:put", "carol:put"}
	if !slices.Equal(got, want) {
		t.Errorf("History(healing) = %v, want %v", got, want)
	}
	if _, err := s.Revert(ctx, "carol", "healing", 1_000, rev); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("Revert to a revision that is not healing's = %v, want ErrNotFound", err)
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	ctx := context.Background()
	s := newKB(t)
	_, rev := source(t, s, "healing")
	_, synRev := source(t, s, knowledge.SynonymsFile)
	tests := []struct {
		name string
		do   func() error
		want string
	}{
		{"empty title", func() error {
			_, err := s.Put(ctx, "eve", strings.Replace(knowledgetest.EntryText("healing"), "title: About healing", `title: ""`, 1), rev)
			return err
		}, "empty title"},
		{"100 KB body", func() error {
			_, err := s.Put(ctx, "eve", edited("healing", strings.Repeat("x", 100<<10)), rev)
			return err
		}, "over the 32768-byte limit"},
		{"id with ../ in a new entry", func() error {
			_, err := s.Put(ctx, "eve", strings.Replace(knowledgetest.EntryText("x"), "id: x", "id: ../../etc/passwd", 1), 0)
			return err
		}, "is unsafe"},
		{"id with ../ to remove", func() error { return errOf(s.Remove(ctx, "eve", "../log.jsonl", rev)) }, "invalid entry id"},
		{"id with ../ in history", func() error { _, err := s.History(ctx, "../x"); return err }, "invalid entry id"},
		{"front matter in the body", func() error {
			return errOf(s.Put(ctx, "eve", edited("healing", "Text.\n---\nid: evil\n---\nMore."), rev))
		}, `body contains a "---" line`},
		{"synonyms that match everything", func() error {
			return errOf(s.SetSynonyms(ctx, "eve", "the, a, smp\n", synRev))
		}, `"the" would match almost every question`},
		{"broken related link", func() error {
			return errOf(s.Put(ctx, "eve", knowledgetest.EntryText("healing", "nowhere"), rev))
		}, `related id "nowhere" does not exist`},
		{"removing a related entry", func() error { return errOf(s.Remove(ctx, "eve", "healing", rev)) }, `entries/aftercare.md:7: related id "healing" does not exist`},
	}
	before := head(t, s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
			if after := head(t, s); after != before {
				t.Errorf("the knowledge base moved from revision %d to %d", before, after)
			}
		})
	}
}

func TestGapsAndFeedback(t *testing.T) {
	ctx := context.Background()
	s := newKB(t)
	for _, q := range []string{"Can I fly after SMP?", "is it safe to swim", "can i fly after smp"} {
		if err := s.mem.AddGapEvent(ctx, knowledge.GapEvent{Time: time.Now(), Question: q}); err != nil {
			t.Fatal(err)
		}
	}
	gaps, err := s.Gaps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(gaps) != 2 || gaps[0].Question != "can i fly after smp" || gaps[0].Count != 2 || gaps[1].Count != 1 {
		t.Errorf("Gaps = %+v, want the flying question twice, newest first, then swimming", gaps)
	}
	// As an observer, the store records what was not answered, but not a
	// question still being typed, nor one declined as out of scope.
	s.Observe(ctx, &knowledge.Answer{Question: "is it safe to swim"}, 0)
	s.Observe(knowledge.AsDraft(ctx), &knowledge.Answer{Question: "can i fl"}, 0)
	s.Observe(ctx, &knowledge.Answer{Question: "how deep should it go", Answered: true}, 0)
	s.Observe(ctx, &knowledge.Answer{Question: "fue or fut", Declined: &knowledge.Entry{ID: "not-transplants"}}, 0)
	if gaps, err = s.Gaps(ctx); err != nil || len(gaps) != 2 || gaps[0].Question != "is it safe to swim" || gaps[0].Count != 2 {
		t.Errorf("Gaps after observing = %+v, %v; want swimming asked twice, newest, and nothing else new", gaps, err)
	}
	for _, f := range []struct {
		q       string
		helpful bool
	}{{"a", true}, {"b", false}, {"c", false}, {"b", false}} {
		if err := s.RecordFeedback(ctx, "", "healing", f.q, f.helpful); err != nil {
			t.Fatal(err)
		}
	}
	fb, err := s.Feedback(ctx)
	if err != nil || len(fb) != 1 || fb[0].Up != 1 || fb[0].Down != 3 || !slices.Equal(fb[0].Unhelpful, []string{"b", "c"}) {
		t.Errorf("Feedback = %+v, %v; want healing 1 up, 3 down, unhelpful [b c]", fb, err)
	}
}

func TestGapBecomesQuestion(t *testing.T) {
	ctx := context.Background()
	s := newKB(t)
	svc := serving(t, s, knowledge.Calibration{MinScore: 0.3, MinCoverage: 0.5})
	const q = "can i fly on a plane"
	if a, err := svc.Answer(ctx, q); err != nil || a.Answered {
		t.Fatalf("Answer(%q) = %+v, %v before the gap is filled; want it unanswered", q, a, err)
	}
	gaps, err := s.Gaps(ctx)
	if err != nil || len(gaps) != 1 || gaps[0].Question != q {
		t.Fatalf("Gaps = %+v, %v; want %q", gaps, err, q)
	}
	_, rev := source(t, s, "healing")
	if _, err := s.AddQuestion(ctx, "alice", "healing", gaps[0].Question, rev); err != nil {
		t.Fatalf("AddQuestion: %v", err)
	}
	if gaps, _ := s.Gaps(ctx); len(gaps) != 0 {
		t.Errorf("after answering it, Gaps = %+v, want none", gaps)
	}
	eventually(t, "the gap question to be answered", func() bool {
		a, err := svc.Answer(ctx, q)
		return err == nil && a.Answered && a.Best().ID == "healing"
	})
	if err := svc.FeedbackOn(ctx, "ann", "answer-1", "healing", q, false); err != nil {
		t.Fatal(err)
	}
	if fb, _ := s.Feedback(ctx); len(fb) != 1 || fb[0].Down != 1 || fb[0].Unhelpful[0] != q {
		t.Errorf("Feedback = %+v, want the 👎 on healing with its question", fb)
	}
}

func errOf(_ knowledge.Record, err error) error { return err }

// kindOf returns the Kind of a Moderation error, failing the test for an
// error of another type.
func kindOf(t *testing.T, err error) knowledge.ErrorKind {
	t.Helper()
	var ce *knowledge.ChangeError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v (%T) is not a *ChangeError", err, err)
	}
	return ce.Kind
}

func TestChangeErrorKinds(t *testing.T) {
	ctx := context.Background()
	s := newKB(t)
	_, rev := source(t, s, "healing")
	if _, err := s.Put(ctx, "alice", edited("healing", "Alice was first."), rev); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		do   func() error
		want knowledge.ErrorKind
		text string // a fragment of Refusal(err)
	}{
		{"stale base", func() error { return errOf(s.Put(ctx, "bob", edited("healing", "Bob."), rev)) }, knowledge.Conflict, "changed in revision"},
		{"new entry that exists", func() error { return errOf(s.Put(ctx, "bob", knowledgetest.EntryText("healing"), 0)) }, knowledge.Conflict, "already exists"},
		{"empty title", func() error {
			return errOf(s.Put(ctx, "bob", strings.Replace(knowledgetest.EntryText("new"), "title: About new", `title: ""`, 1), 0))
		}, knowledge.Invalid, "Fix this"},
		{"unsafe id", func() error { return errOf(s.Remove(ctx, "bob", "../x", 1)) }, knowledge.Invalid, "Fix this"},
		{"same text", func() error {
			_, r := source(t, s, "healing")
			return errOf(s.Put(ctx, "bob", edited("healing", "Alice was first."), r))
		}, knowledge.NoChange, "Nothing to change"},
		{"missing entry", func() error { return errOf(s.Remove(ctx, "bob", "nowhere", 0)) }, knowledge.NotFound, "not found"},
		{"missing history", func() error { _, err := s.History(ctx, "nowhere"); return err }, knowledge.NotFound, "not found"},
		{"storage fails", func() error {
			_, r := source(t, s, "healing")
			s.mem.FailWith(errors.New("disk on fire"))
			defer s.mem.FailWith(nil)
			return errOf(s.Put(ctx, "bob", edited("healing", "Bob."), r))
		}, knowledge.Internal, "could not be read or written"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if got := kindOf(t, err); got != tt.want {
				t.Errorf("kind of %v = %d, want %d", err, got, tt.want)
			}
			if got := knowledge.Refusal(err); !strings.Contains(got, tt.text) {
				t.Errorf("Refusal(%v) = %q, want %q in it", err, got, tt.text)
			}
		})
	}
	_, err := s.Put(ctx, "bob", edited("healing", "Bob."), rev)
	if cur, ok := knowledge.Newer(err); !ok || cur.Author != "alice" || !strings.Contains(cur.Text, "Alice was first.") {
		t.Errorf("Newer(conflict) = %+v, %v; want alice's revision", cur, ok)
	}
}

func TestEditKeepsItsID(t *testing.T) {
	ctx := context.Background()
	s := newKB(t)
	_, rev := source(t, s, "healing")
	renamed := strings.Replace(knowledgetest.EntryText("healing"), "id: healing", "id: healing-2", 1)
	_, err := s.Put(ctx, "alice", renamed, rev)
	if kindOf(t, err) != knowledge.Invalid || !strings.Contains(err.Error(), "an edit keeps its id") || !strings.Contains(err.Error(), "healing") {
		t.Errorf("Put(healing renamed, base %d) = %v, want an edit-keeps-its-id refusal naming healing", rev, err)
	}
	if _, _, err := s.Text(ctx, "healing-2"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("Text(healing-2) = %v, want it not to exist", err)
	}
}

// The seed's revision is all there is of a default file: undoing it would
// quietly drop the synonyms or an entry.
func TestUndoOfTheSeedIsRefused(t *testing.T) {
	ctx := context.Background()
	s := newKB(t)
	for _, id := range []string{knowledge.SynonymsFile, "step-two"} {
		_, rev := source(t, s, id)
		_, err := s.Undo(ctx, "alice", id, rev)
		if kindOf(t, err) != knowledge.Invalid || !strings.Contains(err.Error(), "nothing before it to undo") {
			t.Errorf("Undo(%s) of the seed = %v, want a refusal", id, err)
		}
		if text, _ := source(t, s, id); text == "" {
			t.Errorf("after Undo(%s), it is empty", id)
		}
	}
	// An entry a moderator added goes on undo, as before.
	r, err := s.Put(ctx, "alice", knowledgetest.EntryText("new"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Undo(ctx, "alice", "new", r.Rev); err != nil {
		t.Errorf("Undo of a new entry: %v", err)
	}
}

func TestGapsClose(t *testing.T) {
	ctx := context.Background()
	s := newKB(t)
	for _, q := range []string{"what is healing", "can i fly", "hi", "Thanks!", "thank you so much", "hello there"} {
		s.Observe(ctx, &knowledge.Answer{Question: q}, 0)
	}
	gaps, err := s.Gaps(ctx)
	if err != nil || len(gaps) != 2 {
		t.Fatalf("Gaps = %+v, %v; want the two real questions, no small talk", gaps, err)
	}
	// healing already has the question: adding it changes nothing but
	// closes the gap, which could otherwise never be closed.
	_, rev := source(t, s, "healing")
	if _, err := s.AddQuestion(ctx, "alice", "healing", "what is healing", rev); kindOf(t, err) != knowledge.NoChange || !strings.Contains(err.Error(), "gap is closed") {
		t.Errorf("AddQuestion(a question healing has) = %v, want NoChange saying the gap is closed", err)
	}
	if err := s.DismissGap(ctx, "alice", "Can I fly?"); err != nil {
		t.Errorf("DismissGap: %v", err)
	}
	if gaps, _ := s.Gaps(ctx); len(gaps) != 0 {
		t.Errorf("Gaps after closing both = %+v, want none", gaps)
	}
	if err := s.DismissGap(ctx, "alice", "can i fly"); kindOf(t, err) != knowledge.NotFound {
		t.Errorf("DismissGap of a closed gap = %v, want NotFound", err)
	}
}

func TestCandidatesNeverOutOfScope(t *testing.T) {
	ctx := context.Background()
	fsys := knowledgetest.Files()
	fsys["entries/not-tattoos.md"] = &fstest.MapFile{Data: []byte(strings.Replace(strings.Replace(knowledgetest.EntryText("not-tattoos"), "kind: explanation", "kind: out-of-scope", 1), "what is not-tattoos", "what is healing of a tattoo", 1))}
	mem := knowledgetest.NewMemory(t, fsys)
	s := kb{knowledge.NewModeration(mem, mem), mem}
	svc := serving(t, s, knowledge.Calibration{})
	cands, err := s.Candidates(ctx, svc, "what is healing of a tattoo")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range cands {
		ids = append(ids, c.ID)
		if _, rev := source(t, s, c.ID); rev != c.Rev {
			t.Errorf("candidate %s at revision %d, want %d", c.ID, c.Rev, rev)
		}
	}
	if len(ids) == 0 || len(ids) > knowledge.MaxCandidates || slices.Contains(ids, "not-tattoos") || ids[0] != "healing" {
		t.Errorf("Candidates = %v, want healing first, at most %d, never not-tattoos", ids, knowledge.MaxCandidates)
	}
}

// A change based on Newest applies to whatever the entry is then, however
// many changes came after its author looked; a stale revision is refused.
func TestNewestIsUnconditional(t *testing.T) {
	ctx := t.Context()
	s := newKB(t)
	_, seen := source(t, s, "healing")
	if _, err := s.Put(ctx, "bob", edited("healing", "Bob's words."), seen); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddQuestion(ctx, "alice", "healing", "how long does it take", seen); kindOf(t, err) != knowledge.Conflict {
		t.Errorf("AddQuestion on a stale revision = %v, want a conflict", err)
	}
	tests := []struct {
		name   string
		change func() (knowledge.Record, error)
	}{
		{"AddQuestion", func() (knowledge.Record, error) {
			return s.AddQuestion(ctx, "alice", "healing", "how long does it take", knowledge.Newest)
		}},
		{"Undo", func() (knowledge.Record, error) { return s.Undo(ctx, "alice", "healing", knowledge.Newest) }},
		{"Revert", func() (knowledge.Record, error) { return s.Revert(ctx, "alice", "healing", seen, knowledge.Newest) }},
	}
	for _, tt := range tests {
		if _, err := tt.change(); err != nil {
			t.Errorf("%s(Newest): %v", tt.name, err)
		}
	}
}
