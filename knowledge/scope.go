package knowledge

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// subjectNames are the knowledge base's own names for its subject. With
// their synonyms, and what its phrases rewrite to them ("hair tattoo =>
// smp"), they are how a question names SMP: a question that does is about
// SMP, whatever neighbouring topic it also mentions ("should i get smp or a
// hair transplant", "can a microblading artist do smp"), and is never
// declined as out of scope.
var subjectNames = []string{"smp", "trichopigmentation"}

// subjectWords returns subjectNames with their synonyms, in lower case.
func subjectWords(syn *Synonyms) map[string]bool {
	words := map[string]bool{}
	for _, w := range subjectNames {
		words[w] = true
	}
	for _, g := range syn.Groups {
		if slices.ContainsFunc(g, func(w string) bool { return words[strings.ToLower(w)] }) {
			for _, w := range g {
				words[strings.ToLower(w)] = true
			}
		}
	}
	return words
}

// deniedSubject is a message saying it is not about SMP ("razor bumps on my
// shaved head, no smp", "never had smp", "not interested in smp"): naming
// the subject only to rule it out does not make it about SMP.
var deniedSubject = regexp.MustCompile(`\b(?:no|never had|not had|not interested in|no interest in)(?: any| an?)? (?:smp|scalp micropigmentation|micropigmentation|scalp micro)(?: yet)?\b`)

// smpCues speak of SMP without naming it ("my dots", "after the session",
// "when is the top up", "at my consultation", "the practitioner", "since I
// got it done", "once it's healed", "the procedure", "does it peel like a
// normal tattoo", which compares it with one): a question holding
// one is not declined for an out-of-scope topic that only scores close
// behind the best entry (see Calibration.NeighbourMargin).
var smpCues = words(`healed`, `(once|after|while|till|until|when) (it|its|it's|mine) (heals?|is healing)`, `(this|the) (procedure|treatment)`, `dots?`, `sessions?`, `sesh`, `hairline`, `pigment\w*`, `(touch|top) ?-?ups?`, `consult(ation)?s?`, `practitioners?`, `(get|gets|got|getting|have|has|had|having) (it|mine|his|hers|this|them) done`, `(like|than|as|from) (a |an |my |your )?(normal|regular|real|ordinary|proper|standard|body|arm) tat(too|t)?s?`)

// mentionsSubject reports whether question names the subject, as written or
// once the synonyms' phrases are rewritten.
func (b *Base) mentionsSubject(question string) bool {
	question = deniedSubject.ReplaceAllString(strings.ToLower(question), "")
	for _, text := range []string{question, b.synonyms.Expand(question)} {
		for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}) {
			if b.subject[w] {
				return true
			}
		}
	}
	return false
}
