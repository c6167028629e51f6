package knowledge

import (
	"errors"
	"fmt"
)

// Errors of moderation. Check them with errors.Is.
var (
	// ErrNotFound is returned for an entry or revision that does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalidID is returned for an id that is not a safe entry id.
	ErrInvalidID = errors.New("invalid entry id")
	// ErrNoChange is returned for a change that would leave everything as it is.
	ErrNoChange = errors.New("nothing to change")
)

// ErrConflict is matched by a *ConflictError.
var ErrConflict = errors.New("changed since you last saw it")

// ConflictError refuses a change whose author last saw an older revision of
// the entry than the newest: someone else changed it in between. Current is
// the newer revision, to show them; nothing was written.
type ConflictError struct {
	ID string
	// Base is the revision the change was based on; 0 for a new entry.
	Base int64
	// Current is the entry's newest record; its Rev is 0 when the entry has
	// never existed, and its Op is OpRemove when it was removed.
	Current Record
}

func (e *ConflictError) Error() string {
	c := e.Current
	switch {
	case c.Rev == 0:
		return fmt.Sprintf("%s does not exist (you named revision %d)", e.ID, e.Base)
	case e.Base == 0 && c.Live():
		return fmt.Sprintf("%s already exists (revision %d by %s): edit it instead", e.ID, c.Rev, c.Author)
	case !c.Live():
		return fmt.Sprintf("%s was removed in revision %d by %s at %s, after revision %d you started from", e.ID, c.Rev, c.Author, c.Time.Format("2006-01-02 15:04 MST"), e.Base)
	default:
		return fmt.Sprintf("%s changed in revision %d by %s at %s, after revision %d you started from", e.ID, c.Rev, c.Author, c.Time.Format("2006-01-02 15:04 MST"), e.Base)
	}
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }
