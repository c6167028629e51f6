package knowledge

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"
)

// EntryFeedback sums up what people said about the answers an entry gave.
// Who said it is not kept.
type EntryFeedback struct {
	ID       string
	Up, Down int
	// Unhelpful lists the questions answered with the entry that earned a
	// 👎, newest first, without repeats.
	Unhelpful []string
}

// FeedbackEvent is a 👍 or 👎 on the answer an entry gave.
type FeedbackEvent struct {
	Time     time.Time `json:"time"`
	Entry    string    `json:"entry"`
	Helpful  bool      `json:"helpful"`
	Question string    `json:"question,omitempty"`
	// Vote is an opaque hash of who voted on which answer (VoteKey): of
	// the events with one Vote only the last counts, so one person's taps
	// on one answer count once. Events without one each count.
	Vote string `json:"vote,omitempty"`
}

// VoteKey is the opaque key of voter's vote on answer, the keys a platform
// adapter tells them by (a user id; a message id). Neither can be read back
// from it, and it is "" when either is unknown.
func VoteKey(voter, answer string) string {
	if voter == "" || answer == "" {
		return ""
	}
	h := sha256.New()
	h.Write([]byte("smpbot feedback vote\x00"))
	h.Write([]byte(voter))
	h.Write([]byte{0})
	h.Write([]byte(answer))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// KeepFeedbackEvents returns the events of evs, oldest first, that a store
// keeps when it compacts those from before cutoff: feedback on answers as
// they were long ago says little about the entries as they are now.
func KeepFeedbackEvents(evs []FeedbackEvent, cutoff time.Time) []FeedbackEvent {
	return slices.DeleteFunc(slices.Clone(evs), func(ev FeedbackEvent) bool { return ev.Time.Before(cutoff) })
}

// sumFeedback folds feedback events into the feedback on each entry that
// has any, by id. Of the events with one Vote, only the last counts.
func sumFeedback(evs []FeedbackEvent) []EntryFeedback {
	last := map[string]int{}
	for i, ev := range evs {
		if ev.Vote != "" {
			last[ev.Vote] = i
		}
	}
	byID := map[string]*EntryFeedback{}
	for i, ev := range evs {
		if ev.Vote != "" && last[ev.Vote] != i {
			continue // changed by a later tap
		}
		f := byID[ev.Entry]
		if f == nil {
			f = &EntryFeedback{ID: ev.Entry}
			byID[ev.Entry] = f
		}
		if ev.Helpful {
			f.Up++
			continue
		}
		f.Down++
		if ev.Question != "" {
			f.Unhelpful = slices.DeleteFunc(f.Unhelpful, func(q string) bool { return q == ev.Question })
			f.Unhelpful = append([]string{ev.Question}, f.Unhelpful...)
		}
	}
	out := make([]EntryFeedback, 0, len(byID))
	for _, id := range sortedKeys(byID) {
		out = append(out, *byID[id])
	}
	return out
}
