package discord

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/smpbot/bot/knowledge"
)

// Custom ids of components. Entry ids are at most 64 characters, so every
// custom id stays under Discord's 100.
const (
	prefixShow       = "show:"        // show:<entry id>
	prefixFull       = "full:"        // full:<entry id>, the full answer under a short one
	prefixFullUrgent = "full-urgent:" // the same, to a question that got the urgent notice
	prefixFeedback   = "feedback:"    // feedback:<entry id>:<yes|no>
	prefixPick       = "pick:"        // pick:<menu number>, the entry id is the chosen value
	topicsID         = "topics"       // the topic menu
)

func showID(entryID string) string { return prefixShow + entryID }

func fullID(entryID string, urgent bool) string {
	if urgent {
		return prefixFullUrgent + entryID
	}
	return prefixFull + entryID
}

func feedbackID(entryID string, helpful bool) string {
	if helpful {
		return prefixFeedback + entryID + ":yes"
	}
	return prefixFeedback + entryID + ":no"
}

func pickID(menu int) string { return prefixPick + strconv.Itoa(menu) }

// action is what a component asks for.
type action int

const (
	actionUnknown action = iota
	actionShow
	actionFull
	actionFullUrgent
	actionFeedback
	actionTopics
)

// parseCustomID reads a component's custom id and, for menus, its chosen
// values. It never trusts them: anything malformed is actionUnknown, and the
// entry id is only known to be well formed, not to exist.
func parseCustomID(customID string, values []string) (act action, entryID string, helpful bool) {
	switch {
	case customID == topicsID:
		return actionTopics, "", false
	case strings.HasPrefix(customID, prefixShow):
		entryID = strings.TrimPrefix(customID, prefixShow)
		act = actionShow
	case strings.HasPrefix(customID, prefixFull):
		entryID, act = strings.TrimPrefix(customID, prefixFull), actionFull
	case strings.HasPrefix(customID, prefixFullUrgent):
		entryID, act = strings.TrimPrefix(customID, prefixFullUrgent), actionFullUrgent
	case strings.HasPrefix(customID, prefixFeedback):
		rest := strings.TrimPrefix(customID, prefixFeedback)
		id, vote, _ := strings.Cut(rest, ":")
		if vote != "yes" && vote != "no" {
			return actionUnknown, "", false
		}
		entryID, helpful, act = id, vote == "yes", actionFeedback
	case strings.HasPrefix(customID, prefixPick) && len(values) == 1:
		entryID, act = values[0], actionShow
	}
	if !knowledge.ValidID(entryID) {
		return actionUnknown, "", false
	}
	return act, entryID, helpful
}

// Custom ids of the moderation forms and menus. They carry what the
// moderator started from (an entry id, a base revision, a gap), all checked
// again when they come back: a forged one changes nothing that the member
// could not change anyway, and a stale revision is refused by the store.
const (
	prefixKB      = "kb:"
	addModalID    = "kb:add"      // the add form
	prefixEdit    = "kb:edit:"    // kb:edit:<entry id>:<base revision>, the edit form
	prefixSyn     = "kb:syn:"     // kb:syn:<base revision>, the synonyms form
	gapsMenuID    = "kb:gaps"     // the gap menu; the chosen value is a gap's ref
	prefixGapMenu = "kb:gap:"     // kb:gap:<gap ref>:<menu number>; the chosen value is an entry id
	prefixDismiss = "kb:dismiss:" // kb:dismiss:<gap ref>, the button that dismisses a gap
	gapRefLen     = 12
)

func editModalID(entryID string, rev int64) string {
	return prefixEdit + entryID + ":" + strconv.FormatInt(rev, 10)
}

func synonymsModalID(rev int64) string { return prefixSyn + strconv.FormatInt(rev, 10) }

func gapMenuID(ref string, menu int) string { return prefixGapMenu + ref + ":" + strconv.Itoa(menu) }

func dismissID(ref string) string { return prefixDismiss + ref }

// gapRef names a gap in a custom id, which is too short for the question.
func gapRef(question string) string {
	sum := sha256.Sum256([]byte(question))
	return hex.EncodeToString(sum[:])[:gapRefLen]
}

// kbAction is what a moderation form or menu asks for.
type kbAction int

const (
	kbUnknown kbAction = iota
	kbAdd
	kbEdit
	kbSynonyms
	kbPickGap   // a gap was chosen: offer the entries
	kbAnswerGap // an entry was chosen for a gap: add the question to it
	kbDismissGap
)

// kbRef is a parsed moderation custom id.
type kbRef struct {
	act kbAction
	id  string // entry id
	rev int64  // base revision
	gap string // gap ref
}

// parseKBID reads a moderation custom id and, for menus, the chosen values.
// Anything malformed is kbUnknown.
func parseKBID(customID string, values []string) kbRef {
	switch {
	case customID == addModalID:
		return kbRef{act: kbAdd}
	case strings.HasPrefix(customID, prefixEdit):
		id, rev, _ := strings.Cut(strings.TrimPrefix(customID, prefixEdit), ":")
		if n, ok := revision(rev); ok && n > 0 && knowledge.ValidID(id) {
			return kbRef{act: kbEdit, id: id, rev: n}
		}
	case strings.HasPrefix(customID, prefixSyn):
		if n, ok := revision(strings.TrimPrefix(customID, prefixSyn)); ok {
			return kbRef{act: kbSynonyms, rev: n}
		}
	case customID == gapsMenuID && len(values) == 1 && validGapRef(values[0]):
		return kbRef{act: kbPickGap, gap: values[0]}
	case strings.HasPrefix(customID, prefixDismiss) && validGapRef(strings.TrimPrefix(customID, prefixDismiss)):
		return kbRef{act: kbDismissGap, gap: strings.TrimPrefix(customID, prefixDismiss)}
	case strings.HasPrefix(customID, prefixGapMenu) && len(values) == 1 && knowledge.ValidID(values[0]):
		ref, menu, _ := strings.Cut(strings.TrimPrefix(customID, prefixGapMenu), ":")
		if _, err := strconv.Atoi(menu); err == nil && validGapRef(ref) {
			return kbRef{act: kbAnswerGap, gap: ref, id: values[0]}
		}
	}
	return kbRef{}
}

// revision reads a revision number: digits only, no sign.
func revision(s string) (int64, bool) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

func validGapRef(s string) bool {
	return len(s) == gapRefLen && strings.Trim(s, "0123456789abcdef") == ""
}
