package datadir_test

import (
	"testing"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/knowledgetest"
)

// The data directory keeps the storage contract every engine keeps, with
// each handle a store of its own on one directory, as another process
// would open it.
func TestStorageContract(t *testing.T) {
	dir := t.TempDir()
	knowledgetest.CheckStorage(t, func(t *testing.T) (knowledge.Revisions, knowledge.Events) {
		s := openStore(t, dir, knowledgetest.Files())
		return s.Store, s.Store
	})
}
