package knowledge

import "errors"

// Sentences about changes of the knowledge base that every front end shows
// moderators, each in its own look.
const (
	// StorageFailedNotice explains an Internal failure, which the moderator
	// cannot fix; the front end logs the error for the operator.
	StorageFailedNotice = "Nothing was changed: the knowledge base's storage could not be read or written. People still get answers from the current version. Please ask the operator to check the bot's log, then look at the history and try again."
	// UnavailableNotice explains a change refused because the storage
	// shared by the bot's replicas cannot be reached (ErrUnavailable).
	UnavailableNotice = "Nothing was changed: the shared knowledge base cannot be reached right now. People still get answers from the version this bot has. Please try again in a minute; if the connection dropped just as you sent the change, look at the history first."
	// ConflictNotice introduces the newer text after a Conflict.
	ConflictNotice = "Here is the newer revision. Make your change to it and try again."
	// StaleGapNotice is the reply to a gap that is no longer open.
	StaleGapNotice = "That question is no longer an open gap: it was answered or dismissed. List the gaps again."
	// NoCandidatesNotice is the reply to a gap no entry comes close to.
	NoCandidatesNotice = "No entry comes close to that question. Add an entry for it, or dismiss the gap."
)

// Refusal is the sentence that tells a moderator why err, from a Moderation
// operation, changed nothing. For an Invalid change the front end lists the
// ChangeError's Problems after it; for a Conflict it shows the Current text
// after ConflictNotice.
func Refusal(err error) string {
	var ce *ChangeError
	switch {
	case errors.Is(err, ErrUnavailable):
		return UnavailableNotice
	case !errors.As(err, &ce):
		return StorageFailedNotice
	}
	switch ce.Kind {
	case Conflict:
		return "Nothing was changed: " + ce.Error() + "."
	case NotFound:
		return "Nothing was done: " + ce.Error() + "."
	case Invalid:
		return "Nothing was changed. Fix this and try again:"
	case NoChange:
		return "Nothing to change: " + ce.Error() + "."
	default:
		return StorageFailedNotice
	}
}

// Problems returns what is wrong with an Invalid change, or nil.
func Problems(err error) []Problem {
	var ce *ChangeError
	if errors.As(err, &ce) && ce.Kind == Invalid {
		return ce.Problems
	}
	return nil
}

// Newer returns the newer revision a Conflict refused a change over, when
// it is there to show.
func Newer(err error) (Record, bool) {
	var ce *ChangeError
	if errors.As(err, &ce) && ce.Kind == Conflict && ce.Current.Live() && ce.Current.Text != "" {
		return ce.Current, true
	}
	return Record{}, false
}

// IsInternal reports whether err is a failure rather than a refusal: the
// front end logs it.
func IsInternal(err error) bool {
	var ce *ChangeError
	return !errors.As(err, &ce) || ce.Kind == Internal
}
