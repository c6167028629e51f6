package discord

import (
	"strconv"
	"strings"

	"github.com/smpbot/bot/knowledge"
)

// Custom ids of components. Entry ids are at most 64 characters, so every
// custom id stays under Discord's 100.
const (
	prefixShow     = "show:"     // show:<entry id>
	prefixFeedback = "feedback:" // feedback:<entry id>:<yes|no>
	prefixPick     = "pick:"     // pick:<menu number>, the entry id is the chosen value
	topicsID       = "topics"    // the topic menu
)

func showID(entryID string) string { return prefixShow + entryID }

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
