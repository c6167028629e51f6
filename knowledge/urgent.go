package knowledge

import (
	"regexp"
	"strings"
)

// symptoms are the words of someone describing signs of infection or an
// allergic reaction. They are deliberately broad: a needless "see a doctor"
// costs little, a missed one can cost a lot.
var symptoms = regexp.MustCompile(`\b(` + strings.Join([]string{
	`pus`, `puss`, `oozing`, `oozes?`, `weeping`, `discharge`, `(yellow|green|white)(ish)? (stuff|fluid|liquid|gunk|crust)`,
	`smells?`, `smelly`, `stinks?`, `stinky`,
	`fevers?`, `feverish`, `chills`, `shivering`, `high temperature`,
	`swollen`, `swelling`, `swells?`, `puffy`, `puffed`,
	`red streaks?`, `streaks?`, `spreading redness`, `redness (is )?(spreading|getting worse|worse|growing)`, `(getting|gets) (more )?red(der)?`,
	`hot to (the )?touch`, `warm to (the )?touch`, `burning up`, `throbbing`, `(pain|hurts?|sore(ness)?) (is )?(getting )?worse`,
	`rash(es)?`, `hives`, `welts?`, `blisters?`, `(itchy|raised|red|painful) bumps?`, `bumps`, `lumps?`, `nodules?`,
	`allergic`, `allergy attack`, `reacting badly`, `bad reaction`, `reaction to (the )?(ink|pigment)`,
	`(can'?t|cannot|hard to|trouble|difficulty) breath(e|ing)`, `short of breath`, `throat (is )?(closing|swelling|tight)`,
	`infected`, `infection`,
}, "|") + `)\b`)

// asking marks a general question about symptoms ("what are the signs of
// infection?") rather than a description of one's own.
var asking = regexp.MustCompile(`^(what|which|how (do|can|would) (i|you) (know|tell)|are there|is there|can smp cause|does smp cause|list|signs|symptoms)\b`)

// personal marks someone talking about themselves or someone close.
var personal = regexp.MustCompile(`\b(my|mine|me|i|i'm|im|i've|ive|i'd|he|she|his|her|our)\b`)

// IsUrgent reports whether a question describes signs of infection or an
// allergic reaction that need a doctor: spreading redness, pus, fever,
// swelling, a rash or an allergic reaction.
func IsUrgent(question string) bool {
	q := strings.ToLower(question)
	q = strings.NewReplacer("’", "'", "‘", "'").Replace(q)
	m := symptoms.FindString(q)
	if m == "" {
		return false
	}
	if personal.MatchString(q) {
		return true
	}
	if m == "infection" || m == "allergic" {
		return false // "how do I avoid infection?", "can you be allergic to SMP ink?"
	}
	return !asking.MatchString(q)
}
