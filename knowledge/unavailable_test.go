package knowledge_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// A storage that cannot be reached for now, such as a shared engine across
// the network, refuses every change with the sentence for it, which differs
// from a broken storage's, and the failure is still the operator's to log.
func TestUnreachableStorageRefusesChanges(t *testing.T) {
	ctx := t.Context()
	for _, tc := range []struct {
		cause error
		want  string
	}{
		{fmt.Errorf("NATS: %w: connection refused", knowledge.ErrUnavailable), knowledge.UnavailableNotice},
		{errors.New("disk on fire"), knowledge.StorageFailedNotice},
	} {
		s := newKB(t)
		_, base := source(t, s, "healing")
		s.mem.FailWith(tc.cause)
		_, err := s.Put(ctx, "alice", edited("healing", "Never written."), base)
		if got := knowledge.Refusal(err); got != tc.want || !knowledge.IsInternal(err) {
			t.Errorf("Put with the storage failing with %q: Refusal = %q (internal %v), want %q, internal", tc.cause, got, knowledge.IsInternal(err), tc.want)
		}
		s.mem.FailWith(nil)
		if text, _ := source(t, s, "healing"); text != knowledgetest.EntryText("healing") {
			t.Errorf("after the refused change healing says %q", text)
		}
	}
}
