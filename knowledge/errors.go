package knowledge

import (
	"errors"
	"fmt"
)

// Errors of moderation. Check them with errors.Is; a *ChangeError matches the
// one of its Kind.
var (
	// ErrNotFound is returned for an entry or revision that does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalidID is returned for an id that is not a safe entry id.
	ErrInvalidID = errors.New("invalid entry id")
	// ErrNoChange is returned for a change that would leave everything as it is.
	ErrNoChange = errors.New("nothing to change")
	// ErrConflict is returned for a change based on a revision that is no
	// longer the newest.
	ErrConflict = errors.New("changed since you last saw it")
)

// ErrorKind is why Moderation did not make a change.
type ErrorKind int

// The kinds of ChangeError.
const (
	// Internal is a failure of the storage or another part of the bot:
	// the change was valid, and may succeed when tried again.
	Internal ErrorKind = iota
	// Conflict is a change whose author last saw an older revision than
	// the newest: someone else changed the entry in between.
	Conflict
	// Invalid is a change that breaks a rule: Problems say which.
	Invalid
	// NoChange is a change that would leave everything as it is.
	NoChange
	// NotFound is a change of an entry or revision that does not exist.
	NotFound
)

// ChangeError is every error of Moderation's operations: what kind of
// refusal or failure it is, and what a front end needs to explain it.
// Nothing was written.
type ChangeError struct {
	Kind ErrorKind
	// ID is the entry (or SynonymsFile) the change was for, when known.
	ID string
	// Base is the revision the change was based on; 0 for a new entry.
	Base int64
	// Current is the entry's newest record: for a Conflict, the newer
	// revision to show; its Rev is 0 when the entry has never existed, and
	// its Op is OpRemove when it was removed.
	Current Record
	// Problems lists what is wrong with an Invalid change.
	Problems []Problem
	// Err is the cause.
	Err error
}

func (e *ChangeError) Error() string {
	c := e.Current
	switch {
	case e.Kind != Conflict:
		return e.Err.Error()
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

func (e *ChangeError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrConflict) true for a Conflict.
func (e *ChangeError) Is(target error) bool { return e.Kind == Conflict && target == ErrConflict }

// refused returns the error of a change refused because it breaks a rule.
func refused(id, format string, args ...any) *ChangeError {
	msg := fmt.Sprintf(format, args...)
	return &ChangeError{Kind: Invalid, ID: id, Problems: []Problem{{File: FilePath(id), Msg: msg}}, Err: errors.New(msg)}
}

// asChangeError classifies err, from a change of id, as a *ChangeError.
func asChangeError(id string, err error) error {
	if err == nil {
		return nil
	}
	var (
		ce *ChangeError
		ve *ValidationError
	)
	switch {
	case errors.As(err, &ce):
		return ce
	case errors.As(err, &ve):
		return &ChangeError{Kind: Invalid, ID: id, Problems: ve.Problems, Err: err}
	case errors.Is(err, ErrNoChange):
		return &ChangeError{Kind: NoChange, ID: id, Err: err}
	case errors.Is(err, ErrNotFound):
		return &ChangeError{Kind: NotFound, ID: id, Err: err}
	case errors.Is(err, ErrInvalidID), errors.Is(err, ErrEmptyQuestion):
		return &ChangeError{Kind: Invalid, ID: id, Problems: []Problem{{Msg: err.Error()}}, Err: err}
	default:
		return &ChangeError{Kind: Internal, ID: id, Err: err}
	}
}

// ErrUnavailable is wrapped by the errors of a storage that cannot be
// reached for now, such as a shared engine across the network: nothing was
// changed, and the same change may succeed later.
var ErrUnavailable = errors.New("the knowledge base's storage cannot be reached")
