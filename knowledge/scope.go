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

// notTheSubject is a message naming SMP only to rule it out ("razor bumps
// on my shaved head, no smp", "never had smp", "not interested in smp", "I
// don't have smp", "not doing smp yet, first trying minox"), or meaning
// something else by it (see otherMeaning). Naming the subject so does not
// make a message about SMP.
var notTheSubject = words(append([]string{
	`(no|never had|not had|not interested in|no interest in|not doing|not getting|not ready for|(do not|don.?t|dont) (have|want))( any| an?)? (` + subjectNamed + `)( yet)?`},
	otherMeaningWords...)...)

// otherMeaning is a message that means something other than SMP by its
// name: a game server ("banned from the smp", "lifesteal smp", "smp season
// 2"), symmetric multiprocessing ("enable smp in the bios", "smp vs numa"),
// a firm's or a club's initials ("SMP Logistics", "SMP, the auto parts
// company"), or the writer saying the message is not about SMP ("not smp
// related but...", "not smp, just a normal one", "a regular tattoo, not the
// head dots", "not the dot thing", "not scalp related"), and every meaning
// spelledOut names. Such a message asks about something else: it is not
// answered, unless it also names SMP another way or describes symptoms.
// Someone ruling SMP out for themselves ("not doing smp yet") may still ask
// about it.
var otherMeaning = words(otherMeaningWords...)

var otherMeaningWords = append([]string{
	`(survival|dream|modded|vanilla|bedrock|hardcore|anarchy) smp`,
	`smp (servers?|worlds?|seeds?|seasons?|series|lore|streams?|maps?|realms?|whitelist|ip|kernels?|mode|support|plugins?|mods|events?|spawn|members|players|society|logistics|solutions|ltd|limited|inc|llc|plc|group|corp)`,
	`(join|joined|joining|banned from|kicked from|whitelisted on|whitelist for|hosting|host) (the|our|this|an?) smp`,
	`(enable|enabled|disable|disabled) smp`, `config_smp`, `smp (vs|versus|and|or) numa`, `numa (vs|versus|and|or) smp`, `smp (in|for) (computing|computers|linux|cpus?|processors?|an? os)`, `smp,? the [a-z-]+( [a-z-]+)? (company|firm|brand)`,
	`not (an? )?smp( related| question| thing)?([,.:;!-]+ *\w+| +(but|just|only|i|im|i'm|it|its|it's|this|a|an|the|my|regular|normal|real|proper|lol|haha|lmao))`, `not (an? )?smp( related| question| thing)?$`,
	`not (scalp|head)[ -]related`, `not about (the |my )?smp`, `(nothing|not) to do with (the |my )?smp`, `(regular|normal|ordinary|body) (tattoo|tat|one), not (the |my )?(head|scalp|smp)`, `not the dots? (thing|one|stuff)`,
}, spelledOutWords...)

// spelledOut is a message that spells out another meaning of SMP's letters,
// or names the game or the market it is used in ("statutory maternity pay",
// "symmetric multiprocessing", "a social media policy", "those lifesteal
// videos", "SMP stock price"): every "SMP" in it means that, so none is read
// as the subject ("SMP vs AMP in operating systems? ... symmetric
// multiprocessing").
var spelledOut = words(spelledOutWords...)

var spelledOutWords = []string{
	`symmetric multi-?processing`, `statutory maternity( pay)?`, `maternity pay`, `minecraft`, `lifesteal`, `hermitcraft`,
	`smp (stocks?|shares?|ticker)`, `stock ticker`, `ticker (symbol|list)`,
	`social media (policy|plan)`, `sales (and|&) marketing plan`,
}

// smpCues speak of SMP without naming it ("my dots", "after the session",
// "when is the top up", "at my consultation", "the practitioner", "the
// tech", "since I got it done", "got my scalp done", "once it's healed",
// "the procedure", "does it peel like a normal tattoo", which compares it
// with one): a question holding one is not declined for an out-of-scope
// topic that only scores close behind the best entry (see
// Calibration.NeighbourMargin).
var smpCues = words(`healed`, `(once|after|while|till|until|when) (it|its|it's|mine) (heals?|is healing)`, `(this|the) (procedure|treatment)`, `dots?`, `sessions?`, `sesh`, `hairline`, `pigment\w*`, `(touch|top) ?-?ups?`, `consult(ation)?s?`, `practitioners?`, `techs?`, `technicians?`, `(get|gets|got|getting|have|has|had|having) (it|mine|his|hers|this|them) done`, `(get|gets|got|getting|have|has|had|having) (my|his|her|the) (scalp|hairline|crown) done`, `(like|than|as|from) (a |an |my |your )?(normal|regular|real|ordinary|proper|standard|body|arm) tat(too|t)?s?`)

// healingDay is a message placing itself by a day of the first four weeks,
// when SMP heals ("day 5 and it's flaking", "itchy on day 3"): in an SMP
// community, that speaks of SMP, unless the message names other work healing
// by the day (see otherWork). "Day 30 of no sugar" is not healing.
var healingDay = words(`day ([1-9]|1[0-9]|2[0-8]|one|two|three|four|five|six|seven)`)

// otherWork names work other than SMP that heals by the day: a body tattoo,
// brows or lips, a transplant ("arm tattoo peeling day 4", "microblading day
// 3", "grafts itchy on day 10"). A tattoo of the head is SMP.
var otherWork = words(`tattoo\w*`, `tatt?s?`, `sleeve`, `microblad\w*`, `brows?`, `eyebrows?`, `lips?`, `transplant\w*`, `grafts?`, `fue`, `piercings?`)

// headTattoo is SMP called a tattoo of the head.
var headTattoo = words(headTattooed)

const headTattooed = `(head|scalp|hair|hairline) tatt?(oo)?s?`

// speaksOfSMP reports whether the lower-cased message q speaks of SMP
// without naming it: one of smpCues, or a day of healing beside no other
// work.
func speaksOfSMP(q string) bool {
	return smpCues.MatchString(q) || healingDay.MatchString(q) && !otherWork.MatchString(headTattoo.ReplaceAllString(q, ""))
}

// subjectNamed is how notTheSubject names SMP; subjectName finds it.
const subjectNamed = `smp|s m p|scalp micropigmentation|micropigmentation|scalp micro`

var subjectName = regexp.MustCompile(`\b(?:` + subjectNamed + `)\b`)

// searchText is what is searched of a message: its body (see messageBody),
// without the name of SMP where the message rules SMP out or means
// something else by it (see notTheSubject), in lower case then. "Banned
// from the SMP" is searched as "banned from the", which no SMP entry
// answers for the word alone.
func searchText(q string) string {
	body := messageBody(q)
	lower := strings.ToLower(body)
	var out string
	if spelledOut.MatchString(lower) {
		out = subjectName.ReplaceAllString(lower, "")
	} else {
		out = notTheSubject.ReplaceAllStringFunc(lower, func(m string) string {
			return subjectName.ReplaceAllString(m, "")
		})
	}
	if out == lower {
		return body
	}
	return out
}

// mentionsSubject reports whether text, a message's searchText, names the
// subject, as written or once the synonyms' phrases are rewritten.
func (b *Base) mentionsSubject(text string) bool {
	for _, t := range []string{text, b.synonyms.Expand(text)} {
		for _, w := range strings.FieldsFunc(strings.ToLower(t), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}) {
			if b.subject[w] {
				return true
			}
		}
	}
	return false
}
