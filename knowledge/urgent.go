package knowledge

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// symptoms are the words of someone describing signs of infection or an
// allergic reaction. They are deliberately broad: a needless "see a doctor"
// costs little, a missed one can cost a lot.
var symptoms = words(symptomWords...)

var symptomWords = []string{
	`pus`, `puss`, `pussing`, `pussy`, `oozing`, `oozes?`, `weeping`, `weeps`, `discharge`, `(won'?t|wont|will not|doesn'?t|doesnt) scab over`,
	`(green|yellow|greeny|yellowy|greenish|yellowish)[- ](yellow|green)`, `(something|gunk|goo|(white|yellow|green) stuff) (comes|came|coming) out`,
	`(yellow|green|white)(-?ish|-yellow|-white)? (stuff|fluid|liquid|water|gunk|goo|crud|crusts?|heads?)`, `honey(-| )colou?red`, `cheesy (yellow|green|white)`, `(crusts?|scabs?)( on (my|the) (temples?|crown|hairline|head|scalp))? (have |has |are |is )?(going|turning|gone|went|turned|getting) (a )?(yellow|green)(-?ish)?`, `(gone|spread|grown|crept|creeping|moved|is|already|now) (past|beyond|outside|over) (the )?(pen )?(line|mark|circle)`, `(gone|going|spread|spreading|moved|crept|creeping) (past|beyond|outside) (the )?(treated|tattooed|dotted|pigmented) (area|zone|part|bit)`, `(spread|spreading|spreads|creeping) (past|beyond|outside|out of) (where|the (area|edges?|treated|tattooed|dotted))`, `(warm|hot) like (a )?(radiator|oven|heater|stove|hot water bottle)`, `weepy`, `crusty (and |with )?(yellow|green)`, `crust(s|ing|ed)? (over |up )?(yellow|green)`, `wet (underneath|under (it|them|the (crusts?|scabs?)))`,
	`(yellow|green)(-?ish)? scabs?`, `scabs? (are |is |look |looks )?(still )?(wet (and )?)?(kinda |a bit |kind of |all )?(yellow|green)(-?ish)?`,
	`fevers?`, `feverish`, `feaver`, `fevor`, `fiebre`, `febre`, `febbre`, `fievre`, `fieber`, `goraczka`, `bukhaa?r`, `lagnat`, `demam`, `(may|maraming|konting) nana`, `nana (na|po)`, `chills`, `shivering`, `escalofr(i|í)os`, `calafrios`, `brividi`, `frissons`, `(roj[ao]|vermelh[ao]|ross[ao]|rouge) (y|e|et) (caliente|quente|cald[ao]|chaude?)`, `(high |running a )temperature`, `(had|have|has|got|with|and|developed|running) a (high |slight |bit of a |little )?temperature`, `(got|has|have|running) a temp`, `temperature (of |is |at )?(38|39|40|101|102|103)`,
	`swollen`, `swolen`, `hinchad[ao]s?`, `inchad[ao]s?`, `inchou`, `incharam`, `inchaco`, `hinchazon`, `inflamad[ao]s?`, `inflados?`, `sujan`, `irin(li)?`, `kabar`, `swelling`, `swells?( up)?`, `swelled( up)?`, `puffy`, `puffed`, `puffing( up)?`, `puffs? up`, `inflamed`,
	`red (streaks?|streets|lines?)`, `streaks?`, `spreading( again)?`, `(getting|gets|got) (more |really )?(red(der)?|darker|bigger|angry|purple)`, `(redness|rash|red ring|red patch)( (round|around|on|near) (the |my )?(dots|hairline|edges?|crown|head|scalp))? (is |keeps )?(getting|gets|got|growing) wider`,
	`keeps? (growing|spreading|creeping|crawling|getting (bigger|worse))`, `(pain|swelling|redness) (is )?(increasing|rising|growing) (every|each) (day|morning)`, `(edges?|borders?) (is |are |keeps? )?(moving|spreading|growing)`, `(body|whole body) (is |was )?(feeling|feels|felt) (hot|warm|feverish)`, `(growing|grows|grew) (bigger|redder|worse)`,
	// Angry skin, not an angry reply: "angry red", "red and angry", "the crown is
	// really angry".
	`angry(,|-| and)? (red|purple|purply|purplish|dark|yellow|lumps?|bumps?|rash|swollen|puffy|sore|hot|looking)`, `(red|hot|warm|sore|swollen|puffy|raised|lumpy|bumpy|itchy|big|look|looks|looked|looking|is|are|it'?s|its|gone|went|turned|feels?|really|so|very) (and )?angry`, `getting worse`, `worse not better`,
	`(redness|red|rash) (has |have |is |keeps )?(spread|spreads)`, `(redness|rash|swelling) (is |keeps )?(growing|spreading|getting bigger) (every|each) (day|hour|morning)`, `(it'?s|its|it is|now|redness|rash|swelling|red) (now )?(covering|covers|taking over) (half|most|all) (of )?(my|the) (forehead|face)`, `(redness|the red|rash) (is )?(creeping|crawling|going|growing|moving|spreading) (down|up|onto|past|across|over|to)`, `(redness|red) creeping`,
	`worse (today|now|each day|every day|every morning|than yesterday)`, `worse (on|by) day ([4-9]|[1-9][0-9])`, `(back|came back|come back|returned) (and )?worse`, `(bigger|wider|redder|more red|worse|hotter|angrier|puffier|more swollen) (every|each) (day|morning|night|hour)`,
	`(day [0-9][0-9]?|today) (is |feels |looks )?worse than (day [0-9][0-9]?|yesterday)`,
	`(redness|red|swelling|rash|ring|lump|patch) (is |are |looks |got |has got )?(bigger|wider|larger|redder|hotter)`,
	`(redness|swelling|rash) (has|have|had) (grown|spread|got bigger|gotten bigger)`, `(has|have|had) grown (to )?(about |around |roughly )?(the size of|as big as|bigger|wider)`, `(it'?s|its|it has) spread (to|over|across|down|onto)`,
	`(itchy|raised|red|big) welts?`, `(eyes?|face|lips?|eyelids?) (is |are |was |were |got |went )?swole`, `swole (shut|up)`, `(hot|warm),? (on |by )?day ([4-9]|1[0-9])`,
	`(pink|red) to (dark|deep|angry) (red|purple)`, `(feels|feel|gone|went|turned) hard (like|as)`, `red hot`, `pulsing`, `pulses`, `worse and (redder|hotter|more swollen)`, `(warmer|hotter|redder|bigger|wider) than (before|yesterday|it was|the first day)`,
	`(spread|spreads) (down |up )?((almost|nearly|right|all the way) )?(onto|to|across|over) (my|his|her|the) (forehead|face|neck|ears?|temples?)`,
	`(creeping|crawling|spreading|spread|spreads) (down |up )?((almost|nearly|right|all the way) )?(onto|over|into|across|towards?) (my|his|her|the) (forehead|face|neck|ears?|temples?|eyebrows?|brows?|eyes?)`,
	// Redness that travels or keeps growing, told at length: "a deep red
	// that's now moved down over my eyebrow", "the red bit seems to creep a
	// little further every morning".
	`(red|redness|rash)( (bit|patch|area|ring|part))?( (that'?s|that has|that is|which is|has|is|seems to|keeps?))?( now)? (moved|moving|crept|creeping|crawled|crawling|gone|went|spread|spreading|spreads) (down |up )?((almost|nearly|right|all the way) )?(onto|over|to|across|into|past) (my|his|her|the) (eyebrows?|brows?|forehead|face|neck|ears?|temples?|eyes?)`,
	`(red|redness|rash)( (bit|patch|area|ring|part))?( (that|which|seems to|keeps?|is|has))? (creeps?|creeping|spreads?|spreading|grows?|growing|moves?|moving)( out)?( a (little|bit|tad))? (further|wider|bigger|more) (every|each) (day|morning|night)`,
	// A swelling that fills with fluid: an abscess.
	`(bumps?|lumps?|swelling|blisters?|bubbles?|pockets?) (with|full of|of|filled with) (liquid|fluid|pus|water)( inside| in it)?`,
	// Pain that grows after the first days, which the AAD lists among the
	// signs of infection; "does it hurt more than a tattoo" is no symptom.
	`(hurts?|stings?) (a lot |even |way |much )?more (on day [0-9][0-9]? )?(today|now|each day|every day|than (yesterday|before|it did|the first day|(on )?day (1|one)))`,
	`(more|even more) (painful|sore) (today|now|each day|every day|than (yesterday|before))`,
	`hot to (the )?touch`, `warm to (the )?touch`, `(hot|warm) when (i|you|u) touch`, `burning hot`, `burning up`, `throb`, `throbbing`, `throbs`,
	`(itchy|raised|red|painful|hard|tender|sore|swollen) (red |hot )?(bumps?|lumps?|knots?|patch(es)?|dots)`,
	`(raised|raisd|risen|itchy)( and)? (raised|raisd|risen|itchy) (smp )?(dots|lines)`, `(raised|lumpy|bumpy)(,| and|, and) crusty`, `hard (grains?|points|pellets|beads|balls)`, `(grains?|pellets|beads|knots?|lumps?|nodules?) under the skin`, `(break|breaking|broke|broken) out in (hives|welts|a rash)`, `(has|have|is|are|it'?s) (all )?blister(ed|ing)`, `allergic reaction`, `having a reaction`, `reacting( badly)?`, `bad reaction`,
	`wheez(e|ing|y)`, `(can'?t|cannot|hard to|trouble|difficulty|struggling to) breath(e|ing)?`, `short of breath`, `(can'?t|cannot|hard to|trouble|struggling to|struggle to) (catch|get|take) (my|his|her|a) (full |deep |proper )?breath`,
	`throat (is |was |feels |felt |feeling |getting |got |going |went )?(kinda |kind of |a bit |a little |really |so |very |super )?(like (it'?s|its|it is) )?(closing|swelling|tight|tighter|funny|weird|strange)`, `tight throat`, `(eyes?|eyelids?) (are |is |were |was )?(nearly|almost|half|basically|practically) (shut|closed)`, `(face|lips?|tongue|eyes?) (is |are )?(getting )?(swelling|swollen|puffy|puffier|more swollen)`,
	`(face|lips?|tongue|eyes?|eyelids?) (are |is |was |were |went |got |getting |keep |keeps |started |starting |began |begun )?(puffing up|puffed up|blew up|blown up|blowing up|ballooned|tingling|closing|swollen shut)`,
	`(tongue|lips?|throat|mouth) (feels |feel |is |are |gone |went )?(kinda |kind of |sort of |a bit |really |so |all )?(thick|tingly|swollen|tight|fat|huge|massive)`,
	`(hard|struggling|trouble|difficulty|can't|cant|cannot) (to )?swallow(ing)?`, `swallow(ing)? (feels |is |seems )?(a bit |a little |kinda |slightly )?(hard|harder|difficult|tight)`,
	`shivery`, `shivers`, `temp (of |is |at )?(38|39|40|101|102|103)`, `(38|39|40|101|102|103)(\.[0-9])? (c |f )?(temp|temperature)`,
	`(pain|it) (is |was |got |gets )?worse on day [0-9][0-9]? than (on )?day (1|one|2|two)`,
	`(bleeding|blood) (won't|wont|will not|doesn't|doesnt|does not|hasn't|hasnt|keeps|is not|isn't|isnt) (stop|stopped|stopping|coming)`,
	`(swollen|sore|tender|up|lumpy) (glands?|lymph nodes?)`, `(glands?|lymph nodes?)( in my neck| behind my ears?)? (are |is |have |has )?(up|swollen|come up|came up|sore|tender)`,
	`(glands?|lymph nodes?)( in my neck| behind my ears?)? (feel|feels|are|is) (like )?(marbles|lumps|hard|big|huge)`,
	`(water|fluid|liquid|clear stuff|yellow stuff) (is )?(coming|leaking|dripping|seeping) out`, `(yellow|green)(-| )stain(s|ed)?`, `stained (yellow|green)`, `seeping`,
	`pounding`, `like braille`, `(feel|feels|felt|feeling) (slightly |a bit |a little |kinda |kind of |somewhat |all )?(raised|bumpy|lumpy)`,
	`(raised|lumpy|bumpy) (like|into) (small |little |tiny )?(pimples?|bumps?|spots|lumps?)`, `burning(,| and|, and) (really |very |so |a bit |kinda )?(raised|lumpy|bumpy|itchy)`, `(raised|lumpy|bumpy|itchy)(,| and|, and) (really |very |so |a bit |kinda )?burning`,
	// Two signs in one breath: "the dots are raised and itchy".
	`(raised|high|lumpy|bumpy|itchy|red|sore|swollen|hot|hard)(,| and|, and) (super |really |very |so |a bit |a little |slightly |kinda |crazy |insanely |extremely |proper |mega |hella )?(raised|lumpy|bumpy|itchy|itching|hot|sore|red|hard|weepy|swollen|hurts?|hurting|painful)`,
	// Signs in the words of a nurse or a clinic letter: "purulent",
	// "febrile", "lip angioedema", "indurated".
	`purulent`, `febrile`, `pyrexi(a|al)`, `angio-?o?edema`, `lymphadenopathy`, `indurat(ed|ion)`,
	// Swelling in Swahili ("uso umevimba", the face has swollen), Malay and
	// Indonesian ("bengkak"), Tagalog ("namamaga"); pus and shivering in
	// Malay ("nanah", "menggigil").
	`(ume|ime|ame|ku)vimba`, `uvimbe`, `bengkak`, `namamaga`, `nanah`, `menggigil`,
	// Discharge found on the bedding in the morning.
	`(green|yellow)(ish|y)? (marks?|stains?|patches|spots|smears?) on (my |the |his |her )?(pillows?|pillowcases?|sheets?|towel|hat|cap|beanie)`,
	// Redness that grows where it is: "the red area around my new hairline
	// is growing".
	`(red|redness|rash|swelling)( (area|bit|patch|part|ring|zone|spot))?( (around|on|near|at|along) (my |the |his |her )?(new )?(hairline|crown|dots|head|scalp|temples?|forehead))? (is |are |keeps |seems to be |has been )?(growing|expanding)`,
	// Redness that faded and came back larger.
	`(come|came|comes|coming) back (even )?(wider|bigger|redder|worse|darker|angrier|hotter|more (red|swollen))`,
}

// skinSymptoms are signs as common on any skin as after SMP (razor bumps, a
// cold sore, hives from peanuts): they count only in a message about SMP.
var skinSymptoms = words(skinSymptomWords...)

var skinSymptomWords = []string{
	`smells?( bad)?`, `smelly`, `stinks?`, `stinky`, `leak(s|ing)?`,
	`rash(es)?`, `hives`, `welts?`, `blister(s|ing|ed)?`, `scaly`,
	`white ?heads?`, `(white|yellow|pus-?filled) pimples?`, `(pimples?|spots) (on|along|all over|across|around)( where)? (my |the |his |her )?(scalp|hairline|head|crown|dots)`, `(really|very|so|super|extremely) tender`,
	`(redness|swelling) (is )?(not|isn'?t|ain'?t|aint|won'?t|wont|doesn'?t|hasn'?t|never) (going|go|gone|went) (away|down)`,
	`urticari(a|al)`, `pruritic`, `papul(ar|es?)`, `pustul(ar|es?)`,
	`bumps`, `bumpy`, `lumps?`, `lumpy`, `bolinhas`, `ronchas`, `granitos`, `plaques? rouges?`, `bukol`, `(eczema|rash|hives?|pimple|acne)(-| )like (patch(es)?|bumps?|spots|lumps?)`, `daane`, `pokrzywka?`, `nodules?`, `boils?`, `abscess`, `sores`, `(a|an|open|weeping|crusty|scabby) sore`, `rashy`, `red blotch(es|y)?`, `(itchy|raised)( red)? spots`, `red,? itchy spots?`, `(water|fluid|pus)(-| )(bubbles|blisters|filled)`,
	// Feeling ill after a session: the AAD's fever and chills, as people say
	// them.
	`dizzy`, `light-?headed`, `(feel|feels|feeling|felt) (a bit |really |so |very |kinda )?faint`, `nause(a|ous)`, `flu-?(ish|like)`, `like (the |a )?flu`, `(feel|feels|feeling|felt) like (i'?ve|i have|i) (got|caught|have) (the |a )?flu`, `achy`,
	`(feel|feels|feeling|felt) (so |really |very |a bit |kinda )?(sick|unwell|ill|rough|awful|terrible)`,

	// Heat where the pigment went; "on fire" and "boiling" are how people
	// say it.
	`(not|isn'?t|won'?t|wont) (drying|dry)( out| up)?`, `still wet`, `still open`, `gooey`,
	`on fire`, `boiling( hot)?`, `mainit`, `(red|swollen|sore) and (hot|warm)`, `(is|feels|still) (hot|warm)`,
	`itch(ing|es|y)? like (mad|crazy|hell)`,
	// A tight chest is an allergy's sign after a session, and a gym's
	// otherwise.
	`chest (is |feels |feeling |getting |going )?(so |really |a bit |kinda )?(tight|tightening)`, `tight chest`,
	// Pain that has grown, told as a score: "it was a 2, now it's more
	// like an 8"; not the pain of the session ("they told me 2/10, it was
	// more like a 7").
	`(it'?s|its|it is|is|now|today) more like (an? )?(6|7|8|9|10)( ?/ ?10| out of 10)?`,
	// A temperature read off a thermometer: "38.9 after smp".
	`(38|39|40)[.,][0-9]`,
}

// infectionWords name an infection or allergy without describing it. They
// count only when someone says it is happening to them after SMP.
var infectionWords = words(infectionWordList...)

var infectionWordList = []string{`infected`, `infection`, `cellulitis`, `infecshun`, `infekshun`, `infecion`, `allergic`, `allergy`, `granulomas?`}

// triggers holds a word of every string that symptoms, skinSymptoms,
// infectionWords or painScore can match. A message without any of them
// cannot be urgent, which spares most messages the regular expressions. TestTriggers checks it against every
// spelling the two lists allow.
var triggers = wordSet(
	// symptoms
	`pus`, `puss`, `oozing`, `ooze`, `oozes`, `leak`, `leaks`, `leaking`, `weeping`, `discharge`,
	`stuff`, `fluid`, `liquid`, `gunk`, `crust`, `bolinhas`, `ronchas`, `granitos`, `smell`, `smells`, `smelly`, `stink`, `stinks`, `stinky`,
	`fever`, `fevers`, `feverish`, `fiebre`, `febre`, `febbre`, `fievre`, `fieber`, `goraczka`, `bukhar`, `bukhaar`, `lagnat`, `demam`, `nana`, `mainit`, `chills`, `shivering`, `temperature`,
	`swollen`, `hinchado`, `hinchada`, `hinchados`, `hinchadas`, `inchado`, `inchada`, `inchados`, `inchadas`, `inchou`, `incharam`, `inchaco`, `hinchazon`, `inflamado`, `inflamada`, `inflamados`, `inflamadas`, `inflado`, `inflados`, `sujan`, `irin`, `irinli`, `kabar`, `swelling`, `swell`, `swells`, `puffy`, `puffed`, `puffing`,
	`streak`, `streaks`, `streets`, `line`, `lines`, `spreading`, `red`, `redder`, `darker`, `bigger`, `angry`,
	`spread`, `spreads`, `redness`, `warmer`, `hotter`,
	`growing`, `worse`, `hurt`, `hurts`, `hurting`, `more`, `touch`, `burning`, `throb`, `throbbing`, `throbs`, `wider`,
	`rash`, `rashes`, `hives`, `welt`, `welts`, `blister`, `blisters`, `blistering`, `blistered`, `scaly`,
	`itchy`, `raised`, `painful`, `hard`, `tender`,
	`bumps`, `lump`, `lumps`, `lumpy`, `daane`, `pokrzywk`, `pokrzywka`, `nodule`, `nodules`, `boil`, `boils`, `abscess`, `sore`, `sores`,
	`allergic`, `reaction`, `reacting`, `wheeze`, `wheezing`, `breath`, `breathe`, `breathing`, `throat`, `chest`, `tight`,
	`face`, `lip`, `lips`, `tongue`, `mouth`, `eye`, `eyes`, `eyelid`, `eyelids`, `swallow`, `swallowing`, `shivery`, `shivers`, `temp`,
	`bleeding`, `blood`, `braille`, `itch`, `itching`, `itches`, `gland`, `glands`, `node`, `nodes`, `out`, `seeping`, `pounding`, `bumpy`, `fire`, `boiling`,
	`weeps`, `greeny`, `yellowy`, `something`, `goo`, `escalofrios`, `escalofr`, `calafrios`, `brividi`, `frissons`, `caliente`, `quente`, `calda`, `caldo`, `chaud`, `chaude`,
	`raisd`, `grown`, `swole`, `cellulitis`, `eczema`, `hive`, `acne`, `returned`, `broke`, `broken`, `break`, `breaking`, `treated`, `tattooed`, `dotted`, `pigmented`, `increasing`, `rising`, `edge`, `edges`, `border`, `borders`, `body`, `bukol`, `went`, `scab`, `grain`, `grains`, `pellets`, `beads`, `plaque`, `plaques`, `crud`, `stain`, `stains`, `stained`, `closed`,
	`pussing`, `pussy`, `gooey`, `open`, `risen`, `yellow`, `green`, `white`, `yellowish`, `greenish`, `whiteish`, `honey`, `weepy`, `feaver`, `fevor`, `swolen`, `swelled`, `puff`, `puffs`, `inflamed`,
	`creeping`, `knot`, `knots`, `wheezy`, `closing`, `shut`, `blowing`, `rashy`, `blotch`, `blotches`, `blotchy`, `bubbles`, `water`,
	`dizzy`, `lightheaded`, `light`, `faint`, `nausea`, `nauseous`, `flu`, `fluish`, `flulike`, `achy`, `sick`, `unwell`, `ill`, `rough`, `awful`, `terrible`,
	`crusty`, `drying`, `dry`, `wet`, `whitehead`, `whiteheads`, `pimple`, `pimples`, `spots`,
	`hot`, `warm`, `crawling`, `larger`, `angrier`, `pulsing`, `38`, `39`, `40`, `pulses`, `purple`, `puffier`, `mark`, `circle`, `covering`, `covers`, `taking`,
	`purulent`, `febrile`, `pyrexia`, `pyrexial`, `angioedema`, `angiooedema`, `angio`, `lymphadenopathy`, `indurated`, `induration`,
	`expanding`, `umevimba`, `imevimba`, `amevimba`, `kuvimba`, `uvimbe`, `bengkak`, `namamaga`, `nanah`, `menggigil`, `urticaria`, `urticarial`, `pruritic`, `papular`, `papule`, `papules`, `pustular`, `pustule`, `pustules`, `granuloma`, `granulomas`,
	// painScore's out of ten
	`10`,
	// infectionWords
	`infected`, `infection`, `infecshun`, `infekshun`, `infecion`, `allergy`,
)

func wordSet(ws ...string) map[string]bool {
	set := make(map[string]bool, len(ws))
	for _, w := range ws {
		set[w] = true
	}
	return set
}

// mayBeUrgent reports whether the lower-cased message q has a trigger among
// its words. Its words are what \b delimits: runs of ASCII letters, digits
// and underscores, so that a match of symptoms or infectionWords, which
// starts and ends at \b, is made of whole words of q.
func mayBeUrgent(q string) bool {
	for i := 0; i < len(q); {
		if !isWordByte(q[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(q) && isWordByte(q[j]) {
			j++
		}
		if triggers[q[i:j]] {
			return true
		}
		i = j
	}
	return false
}

// Signs in the scripts the patterns above cannot read, since \b knows ASCII
// letters only: pus, fever, a red line, swelling and hives in Turkish, Polish,
// Arabic, Russian and Hindi, which people mix into English ("SMP
// yaptırdım 6 gün önce, başımın arkası şiş"). Their words end at anything
// but a letter or a mark; an Arabic one may carry the article or "and" in
// front ("والتورم", "and the swelling").
var (
	foreignInfectionSigns = []string{`ateş\p{L}*`, `gorączk\p{L}*`, `ropę`, `ropie[ńn]\p{L}*`, `гно[йяеи]\p{L}*`, `बुखार`, `मवाद`,
		`\p{Arabic}*(صديد|قيح|حم\p{M}*ى)`, `خط(وط)? (أحمر|حمراء)`}
	foreignSwelling = []string{`şiş(ti|miş|lik|kin|me|mesi)?`, `incha[çc]o`, `hinchaz[óo]n`, `se hinch[óo]`, `spuchn\p{L}*`, `opuch\p{L}*`, `опух\p{L}*`, `от[её]к\p{L}*`, `सूजन`,
		`\p{Arabic}*(منتفخ|متورم|تورم|انتفاخ)\p{Arabic}*`}
	foreignHives     = []string{`bąbl\p{L}*`}
	foreignSigns     = letterWords(slices.Concat(foreignInfectionSigns, foreignSwelling, foreignHives)...)
	foreignInfection = letterWords(foreignInfectionSigns...)
	// Hives, itching and allergy, which lean a message with a sign towards
	// the allergy entry.
	foreignAllergy = letterWords(slices.Concat(foreignHives, []string{`kaşınt\p{L}*`, `swędz\p{L}*`, `uczuleni\p{L}*`, `зуд\p{L}*`, `аллерги\p{L}*`, `खुजली`,
		`\p{Arabic}*(تحك|حكة|حساسية)\p{Arabic}*`})...)
)

// letterWords matches any of ws as whole words of any script.
func letterWords(ws ...string) *regexp.Regexp {
	return regexp.MustCompile(`(?:^|[^\p{L}\p{M}])(?:` + strings.Join(ws, "|") + `)(?:$|[^\p{L}\p{M}])`)
}

// foreignSign reports whether the lower-cased message q has a sign in
// foreignSigns.
func foreignSign(q string) bool {
	return !isASCII(q) && foreignSigns.MatchString(q)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// sickFaces are the emoji people send for feeling feverish or sick ("🤒 head
// tatt day 3"), which count as a sign in a message about SMP.
const sickFaces = "🤒🤮"

// noSMPThere is a place the writer says has no SMP ("on my arm where is no
// smp"), which rules nothing out: the sign is said to have spread there.
var noSMPThere = words(`where (there )?(is|was|'s|there's)? ?no smp`)

// sessionWords tie a message to an SMP session, so that "my dog has an ear
// infection" does not sound the alarm.
var sessionWords = []string{`smp`, `s m p`, `scalp pigmentation`, `(days?|weeks?|hours?|hrs?) post`, `micropigmentation`, `micropigmenta(cao|ção|cion|ción)`, `pontos`, `puntos`, `puntitos`, `heal(ing|ed)?`, `dots?`, `sessions?`, `sesh`, `pigment(ed)?`,
	`ink`, `tattoo\w*`, `(the|my|his|her|an?) artist`, `treatment`, `treated`, `procedure`, `appointment`, `(touch|top) ?-?ups?`,
	`(had|got|getting|get) (my |his |her |the )?(hairline|head|crown|scalp) (done|dotted)`}

// smpSession is a message that speaks of a session; smpContext one that
// speaks of a session or of the part of the body SMP is done on. The second
// is enough beside a sign of the skin ("crown is red and bumpy"), the first
// is needed beside another cause of it ("a bee stung my scalp").
var smpSession = words(sessionWords...)

var smpContext = words(append(sessionWords, `scalp(e|s)?`, `head`, `hairline`, `crown`)...)

// asking marks a general question about symptoms ("how do I know if it is
// infected?") rather than a description of one's own.
var asking = regexp.MustCompile(`^(what|which|how (do|can|would|will|should) (i|you|u) (know|tell|check|avoid|prevent)|can (smp|it|you|u|someone|somebody|people|anyone|a person)|does smp|is it possible|are there|is there|list|signs|symptoms)\b`)

// hypothetical marks a worry about the future ("am I going to react?").
var hypothetical = words(`am i going to`, `will i`, `would i`, `could i`, `might i`, `if i`, `before`, `(or|am i) (allergic|infected)`)

// personal marks someone talking about themselves or someone close.
var personal = words(`my`, `mine`, `me`, `i`, `i'm`, `im`, `i've`, `ive`, `i'd`, `he`, `she`, `his`, `her`, `our`)

// Cues that tell an infection from an allergic reaction, for choosing which
// urgent entry answers first.
var (
	infectionCues = words(`pus`, `puss`, `ooz\w*`, `weeping`, `discharge`, `fevers?`, `feverish`, `chills`, `shivering`,
		`temperature`, `hot`, `warm`, `streaks?`, `red lines?`, `weeps`, `gunk`, `goo`, `(comes|came|coming) out`, `scab over`, `greeny`, `escalofr\w*`, `calafrios`, `brividi`, `frissons`, `boils?`, `abscess`, `smells?`, `smelly`, `stinks?`, `infected`, `infection`,
		`glands?`, `lymph`, `yellow\w*`, `white ?heads?`, `crust\w*`, `throb\w*`, `pounding`, `shiver\w*`, `seeping`, `temp`, `boiling`, `on fire`,
		// The AAD's signs of infection: pain that gets worse, redness that
		// darkens or spreads.
		`(getting|gets|got) worse`, `worse not better`, `hurts? (a lot |even |way |much )?more`, `more (painful|sore)`,
		`spread\w*`, `creep\w*`, `crawl\w*`, `wider`, `bigger`, `darker`, `dark red`, `purple\w*`, `red hot`, `puls\w*`, `tender`,
		`(38|39|40)[.,][0-9]`, `cellulitis`, `(yellow|green) water`, `purulent`, `febrile`, `pyrexi\w*`, `indurat\w*`, `lymphadenopathy`, `pustul\w*`, `nanah`, `menggigil`,
		// The same in the languages the symptom words know: fever, hot, pus, hurts more.
		`fiebre`, `febre`, `febbre`, `fievre`, `fieber`, `goraczka`, `bukhaa?r`, `lagnat`, `demam`, `irin`, `caliente`, `quente`, `mainit`, `garam`,
		`(may|maraming|konting) nana`, `nana (na|po)`, `duele m[aá]s`, `d[oó]i mais`)
	allergyCues = words(`itch\w*`, `coceira`, `picaz[oó]n`, `comez[oó]n`, `khujli`, `kabar`, `pokrzywka?`, `hives`, `welts?`, `rash(es)?`, `allerg\w*`, `reaction`, `reacting`, `wheez\w*`, `breath\w*`,
		`throat`, `lips?`, `tongue`, `swallow\w*`, `tingl\w*`, `face`, `bumpy`, `raised`, `scaly`, `makati`, `bukol`, `years? later`, `months? later`, `(months?|years?) (on|ago)`, `nodules?`, `peas?`, `granulom\w*`, `under the skin`,
		`urticari\w*`, `angio-?o?edema`, `pruritic`, `papul\w*`, `\w*vimba`, `uvimbe`, `(ina|ku)washa`)
)

// painScore is a pain score out of ten told with the day it was felt ("7/10
// on day 5", "day 1 was 2/10"): the score and the day, or the day and the
// score.
var painScore = regexp.MustCompile(`\b(\d{1,2}) ?/ ?10\b[a-z ]{0,16}?\bday (\d{1,2})\b|\bday (\d{1,2})\b[a-z ,:]{0,16}?\b(\d{1,2}) ?/ ?10\b`)

// painRising reports whether the lower-cased message q tells pain scores
// that rose by three or more from one day to a later one, from day 3 on: the
// AAD counts pain that gets worse among the signs of infection, and people
// often tell it in figures alone ("7/10 on day 5 when day 1 was 2/10").
func painRising(q string) bool {
	type felt struct{ day, score int }
	var fs []felt
	for _, m := range painScore.FindAllStringSubmatch(q, -1) {
		score, day := m[1], m[2]
		if score == "" {
			day, score = m[3], m[4]
		}
		d, _ := strconv.Atoi(day)
		n, _ := strconv.Atoi(score)
		if n <= 10 {
			fs = append(fs, felt{d, n})
		}
	}
	for _, a := range fs {
		for _, b := range fs {
			if b.day > a.day && b.day >= 3 && b.score-a.score >= 3 {
				return true
			}
		}
	}
	return false
}

// urgentLean tells which urgent entry fits a message best: "infection",
// "allergy", or "" when its cues do not lean either way.
func urgentLean(question string) string {
	q := symptomText(question)
	inf := len(infectionCues.FindAllString(q, -1))
	all := len(allergyCues.FindAllString(q, -1))
	if !isASCII(q) {
		inf += len(foreignInfection.FindAllString(q, -1))
		all += len(foreignAllergy.FindAllString(q, -1))
	}
	switch {
	case inf > all:
		return "infection"
	case all > inf:
		return "allergy"
	}
	return ""
}

// IsUrgent reports whether a question describes signs of infection or an
// allergic reaction that need a doctor: spreading redness, pus, fever,
// swelling, a rash or an allergic reaction.
func IsUrgent(question string) bool {
	// symptomText folds quotes, which changes no word, and removes words:
	// whatever matches in it is made of words of the message mayBeUrgent
	// reads.
	if strings.ContainsAny(question, sickFaces) && smpContext.MatchString(symptomText(question)) {
		return true
	}
	lower := strings.ToLower(question)
	if !mayBeUrgent(lower) && !foreignSign(lower) {
		return false
	}
	q := symptomText(question)
	// The sign first, the rest only for a message that has one: most
	// messages that pass mayBeUrgent have none.
	symptom := symptoms.MatchString(q) || foreignSign(q) || painRising(q)
	skin := !symptom && skinSymptoms.MatchString(q)
	if !symptom && !skin && !infectionWords.MatchString(q) {
		return false
	}
	// No SMP ("razor bumps on my head, no smp"), or another treatment named
	// in the message as written: symptomText drops "ankle tattoo is red" as
	// a sign of another part of the body.
	if notTheSubject.MatchString(noSMPThere.ReplaceAllString(lower, "")) || notYetOrGeneral(q) ||
		otherProcedure.MatchString(lower) && !namesScalp.MatchString(lower) ||
		otherCondition.MatchString(lower) && !namesSMP.MatchString(lower) ||
		otherCause.MatchString(lower) && !smpSession.MatchString(lower) {
		return false
	}
	describes := !asking.MatchString(q) || speaksOwn(q)
	switch {
	case symptom:
		return describes
	case skin:
		return describes && smpContext.MatchString(q)
	}
	return !asking.MatchString(q) && !hypothetical.MatchString(q) && speaksOwn(q) && smpContext.MatchString(q)
}

// A message from someone who has not had SMP yet, or asking in general,
// describes no sign to see a doctor about ("black henna blistered my arm
// years ago, should I get a patch test?", "my kid has a fever and my SMP is
// booked tomorrow", "what would a reaction look like?"), unless it also
// says something is happening now.
var (
	beforeSMP = words(`(patch|scratch|allergy|skin)[- ]?test(s|ing|ed)?`, `test (it|the (pigment|ink))`,
		`booked`, `booking( in)? (smp|scalp micro\w*|(my|the|a|an) (smp|session|appointment|consult\w*))`, `considering`, `thinking (of|about)`, `looking (at|into) (getting )?(smp|scalp micro\w*)`, `planning`, `test(s|ed|ing)? (\w+ ){0,4}before (smp|scalp|the (session|treatment)|getting|having|doing)`,
		`(matter|mean|count)s? (for|with|to) (smp|scalp micro\w*|the (pigment|ink))`, `(react|reaction) to (the )?(smp|scalp micro\w*)( (pigment|ink))?( too)?`, `test (me )?first`, `tested first`, `off the table`, `(worry|worried|concerned|nervous) (about|for|before) (smp|scalp micro\w*|the (smp|pigment|ink)|getting (smp|it done))`, `about to get`, `(to do|getting|having|booked for|going for) (my |the )?(smp|session|appointment)`,
		`(i'?ve got|i have|have got) (my )?(smp|session|appointment) (on|next|tomorrow|tmrw|booked)`, `(want|wants|wanting) (to get )?smp`,
		`(can|should|could) (i|he|she) (still )?(get|do|have) (smp|it done|the (smp|session|treatment))`, `is (smp|the pigment|smp pigment) (\w+ )?(ok|okay|safe|risky|a good idea)`,
		`(smp|session|appointment) is (on |next )?(mon|tues|wednes|thurs|fri|satur|sun)day`,
		`(smp|session|appointment)( is)? (tomorrow|tmrw|next (week|month))`, `(prone|more likely) to`, `will smp do`)
	general = words(`in general`, `ever a side effect`, `(what|how) (would|does|do|will) (an? )?\w+( \w+){0,4} look like`,
		`how often`, `what proportion`, `how common`, `if someone`, `some people get`, `(infection|allergy) risks?`, `risks? of (an? )?(infection|allergy|allergic reaction)`)
	happeningNow = words(`right now`, `now (it|its|it's|the|my|his|her|he|she|there|theres|there's|they)`, `(has|have) gone`, `(is|are|it's|its) now`,
		`today`, `tonight`, `yesterday`, `last night`, `this morning`, `since (my|the|his|her|then|yesterday|last|this|day)`, `(since|last) (mon|tues|wednes|thurs|fri|satur|sun)day`, `currently`, `post.?session`,
		`still (red|swollen|hot|warm|oozing|itchy|sore|hurts|bleeding|weeping|there|got|have|has)`, `day (\d|one|two|three|four|five|six|seven)`,
		`(\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|few) (days?|weeks?) (ago|in|after|out|later)`, `after (my |the |his |her )?(full )?(smp|session|treatment|appointment|procedure|top.?up|touch.?up)`, `after (getting|having|i got|i had) (my |the |his |her )?(smp|it done|session|treatment)`)
	// Someone who has had SMP already, or a touch-up of it, may be booking
	// the next session with a sign now ("after my session" is in
	// happeningNow, which rules out the calm reading by itself).
	hadSMP = words(`after (my|the|his|her) micro`, `skipped (the )?(patch|scratch|allergy) test`, `(touch|top).?ups?`, `(my|his|her) dots`, `(patch|scratch) test (was|came)`)
	// A sign gone by: "all better now" says nothing is happening now.
	goneNow = words(`(all |totally |completely |fully )?(better|fine|gone|healed|cleared( up)?|recovered|healthy|ok|okay) now`)
)

// notYetOrGeneral reports whether the lower-cased message q comes from
// someone who has not had SMP yet, or asks in general, and says nothing is
// happening now.
func notYetOrGeneral(q string) bool {
	notYet := beforeSMP.MatchString(q) && !hadSMP.MatchString(q)
	return (notYet || general.MatchString(q)) && !happeningNow.MatchString(goneNow.ReplaceAllString(q, ""))
}

// otherProcedure names a cosmetic treatment other than SMP, whose swelling
// or bumps ("lip filler swelling, how long", "eyeliner tattoo done
// yesterday, eyes still puffy") are for whoever did it: they raise no alarm
// in a message that does not also speak of the scalp. Eyebrows alone are
// no such treatment: swelling after SMP can drop to them.
var (
	otherProcedure = words(`lips? (fillers?|flip|blush|tattoo\w*)`, `fillers?`, `botox`, `eyeliner`, `microblad\w*`,
		`(eye)?brow (tattoo\w*|lamination|tint)`, `lash (lift|extensions?)`, `nose job`, `rhinoplasty`, `blepharoplasty`, `eyelid (surgery|lift)`, `face ?lift`, `brow lift`,
		`(arm|leg|back|neck|chest|calf|forearm|wrist|ankle|hand|finger|rib|foot|shoulder|thigh|body|sleeve) (tattoo|piece)`, `(got|getting|had|new) (a |my )?(half |full )?sleeve`,
		`tattoo on ((my|his|her|the) )?(arm|leg|back|neck|chest|calf|forearm|wrist|ankle|hand|finger|ribs?|foot|shoulder|thigh)`)
	namesScalp = words(`smp`, `scalpe?`, `micro ?-?pigment\w*`, `hairline`, `dots?`, `crown`, `head`)
	// otherCondition names a skin condition of the scalp, or a treatment of
	// it other than SMP, whose flakes, bumps or blisters ("scalp psoriasis,
	// thick scaly patches", "hair system glue is irritating my scalp") are
	// for a doctor or whoever did it: they raise no alarm in a message that
	// does not also name SMP itself.
	otherCondition = words(`psoriasis`, `dermatitis`, `eczema`, `dandruff`, `folliculitis`, `seb derm`,
		`hair (system|unit|piece)s?`, `(the|my) unit`, `glue`, `(concealer|fibre|fiber|colou?r)s? sprays?`, `(hair )?fib(re|er)s`,
		`(tattoo|laser) removal`, `removal laser`, `prp`, `platelet`, `razor (burn|bumps?)`, `(laser )?hair removal`, `ingrown( hairs?)?`, `nicks?`, `head ?blades?`, `acne`, `piercings?`,
		`donor (area|site|zone|region)`, `grafts?`, `(haven'?t|have not|havent|never|not) had (anything done|(any tattoos?|a tattoo|anything)( or anything)? on it)`)
	// otherCause names another cause of the same signs: a sting, food, hay
	// fever, a child's fever, a pet, the sun. It raises no alarm in a message
	// that does not speak of a session (smpSession), where it is more often a
	// comparison ("puffed up like I've been stung", "maybe it's just
	// hay fever"); the scalp alone is no sign of SMP ("a bee stung my
	// scalp").
	otherCause = words(`(bee|wasp|hornet|jellyfish|insect|nettle)s? stings?`, `(a|the) sting`, `stung`, `(insect|mosquito|spider|bug|tick) bites?`, `(dog|cat|spider|snake) bit`, `bitten`, `scratched me`, `(cat|dog) scratch(es)?`,
		`prawns?`, `shrimps?`, `shellfish`, `peanuts?`, `nuts`, `food allerg\w*`, `hay ?fever`, `fell asleep in the (sun|garden)`, `sunbath\w*`, `no hat`,
		`toddler`, `baby`, `my [0-9]+ ?(year|yr)s? old`, `my [0-9]+ ?yo`, `chicken ?pox`, `shingles`, `cold sores?`, `impetigo`, `nettles?`, `detergent`, `washing powder`, `new (moisturi[sz]er|cream|soap|shampoo|make-?up|face wash)`, `mascara`, `oven`, `(hair )?straighteners`, `curling (iron|tongs|wand)`, `burn(ed|t)? (her|his|my|their) (hand|arm|finger|wrist)`, `(my|our|the) (kid|child|dog|cat|puppy)`,
		// Other treatments of the scalp: "hair dye made my scalp burn",
		// "minoxidil made it itchy".
		`hair dye`, `ppd`, `minoxidil`)
	namesSMP = words(`smp`, `s m p`, `micro ?-?pigment\w*`, `(my|the|his|her) dots`, headTattooed, `(my|the|his|her|an?) artist`, `session (one|two|1|2)`)
)

// symptomText is a message as the symptom patterns read it: in lower case,
// with typographic apostrophes folded, without the bumps and rashes of
// shaving or clippers ("how do I shave without razor bumps" asks about
// shaving; "got a skin fade and now the sides are covered in red bumps")
// and the blisters of sunburn, and without dots or ink said to be spreading
// ("my dots are spreading" is a blowout, not an infection) unless it speaks
// of redness or of raised bumps, which may be what spreads.
func symptomText(message string) string {
	q := strings.ToLower(quotes.Replace(message))
	q = shaveAndSunMarks.ReplaceAllString(q, "")
	q = noSign.ReplaceAllString(q, "")
	if earlyDays.MatchString(q) && asksNormal.MatchString(q) {
		q = mildSign.ReplaceAllString(q, "")
	}
	if scabbing.MatchString(q) || firstFortnight.MatchString(q) {
		q = fierceItch.ReplaceAllString(q, "")
	}
	if !redness.MatchString(q) {
		q = pigmentSpreading.ReplaceAllString(q, "")
	}
	if bruise.MatchString(q) {
		q = bruiseColours.ReplaceAllString(q, "")
	}
	return q
}

var (
	// noSign is a sign denied ("no swelling", "no bumps or itching", "not
	// spreading", "not hot or swollen"), hair loss going on ("my thinning
	// is getting worse", "if the hairline keeps creeping back") or hair
	// growing ("will my real hair keep growing through it?"),
	// a worry about what is to come ("is it going to keep getting worse?",
	// "will they keep spreading?"),
	// a figure of speech ("swelling with pride", "a fever dream", "hay
	// fever", "I smell a rat", "break my streak"), a pen's ink leaking, or a
	// sign of another part of the body ("a swollen ankle", "red bumps on my
	// chest").
	noSign           = words(`(?:no|without|zero|nothing)(?: (?:any|real|visible|obvious|signs?|of))* [a-z']+(?: (?:or|nor) [a-z']+)?|(?:isn'?t|is not|not|aren'?t|are not|wasn'?t|hasn'?t been|never) (?:spreading|swollen|hot|warm|growing|getting worse|raised|oozing|weeping)(?:,? (?:or|nor) (?:spreading|swollen|hot|warm|growing|getting worse|raised|oozing|weeping))*|(?:thinning|hair loss|balding|receding|shedding|hairline|parting)(?: [a-z',]+){0,5} (?:is |are )?(?:getting|gets|got) worse|(?:is|will|would|are) (?:it|they|this|that|mine)(?: going to| gonna)? keep (?:on )?(?:getting worse|spreading)|(?:hairline|thinning|hair loss|receding)(?: [a-z',]+){0,3} (?:keeps? )?creeping back|(?:hair|stubble|beard)(?: [a-z',]+){0,2} keeps? (?:on )?growing|swell(?:ing|ed)? with pride|fever dreams?|hay fever|(?:fountain |gel |ballpoint )?pen ink|printer ink|smell(?:s|ing)? a rat|boiling water|(?:break|breaking|broke|keep|keeping|kept|lose|losing|on a|winning) (?:the |my |a |this )?streak|(?:swollen|infected|puffy|sore) (?:ankle|knee|leg|arm|hand|foot|toe|finger|tooth|gums?)s?|(?:ankle|knee|leg|arm|hand|foot|toe|finger|tooth|piercing)s?(?: [a-z',]+){0,5} (?:swollen|swelling|swelled|infected|puffy|red|sore)|(?:(?:dry|red|itchy|raised|painful|sore),? )*(?:bumps?|spots?|pimples?|patch(?:es)?) on (?:my |his |her |the )?(?:chest|back|arms?|legs?|elbows?|knees?|hands?|stomach|belly|groin|armpits?)`)
	shaveAndSunMarks = words(`(razor|shaving|shaver|clipper) (bumps?|burns?|rash(es)?|irritation|cuts?|nicks?)`, `ingrown( hairs?)?`,
		`(bumps?|spots?|pimples?|rash(es)?)( on (my|the) (scalp|head))? after (shaving|a shave|i shave)`,
		`(shav(e|ed|es|ing)|razor|clippers?|skin fade)[a-z' ]* (bumps?|rash(es)?)`,
		`sun ?burn(t|ed)?( [a-z',]+){0,8} (blister(s|ed|ing)?|peel(ed|ing)?)`, `(blisters?|peeling)( [a-z',]+){0,4} from (the )?sun(burn)?`)
	// A mild sign in the first days, asked about as normal ("day 2, red and
	// a bit puffy, is that normal?", "clear stuff weeping the first night,
	// normal?"), is how healing starts; a stronger sign beside it still
	// counts.
	earlyDays = words(`day (1|2|3|one|two|three)`, `((a )?few|couple( of)?|[0-9]+|an?|one|two|three|some) (hours?|hrs?) (after|post|later|in)`, `(the )?(morning|evening|night|day) after`, `that (evening|night)`, `first (night|day)`,
		`yesterday`, `(1|2|3|one|two|three) days? (after|post|in|out)`, `(after|for|within) (1|2|3|one|two|three|a couple( of)?|a few) days`)
	asksNormal = words(`normal`, `expected`, `usual`, `standard`, `all good`, `(just|only) (healing|part of)`, `part of (it|healing|the process)`, `calms? down`, `fine`, `ok`, `okay`, `par for the course`, `(a )?real thing`, `happens( sometimes)?`,
		`(gone|going|goes|went) down`, `just how (it|the first|they|things)`, `(was|is|it's|its|had|has) gone`, `gone by`, `settl(ed|ing) down`)
	mildSign = words(`(a (bit|little|tad)|slightly|mildly|mild|bit|kinda|kind of|little) (red|pink|puffy|swollen|tender|sore|bumpy|raised|itchy|inflamed)`,
		`(a (bit|little|tad) of|bit of|slight|mild|minor|some) (swelling|puffiness|redness)`, `(swell(ed|ing)?|puff(ed|ing)? up) (a (bit|little|tad)|slightly)`, `(is |was )?(that|this) (swelling|puffiness|redness) (normal|ok|okay|expected|usual)`, `(the )?(swelling|puffiness|redness) is (slight|mild|minor)`,
		`(a bit of |bit of |some |a little )?clear (stuff|fluid|liquid)( (weeping|seeping|oozing|leaking))?`, `weeping`, `seeping`)
	// Scabs that itch like mad are healing, which the aftercare entry
	// answers, and so is itching in the first two weeks; itching beside
	// another sign still counts through that sign.
	scabbing       = words(`scabs?`, `scabby`, `crusts?`, `crusty`, `flak(y|es|ing)`)
	firstFortnight = words(`day ([1-9]|1[0-4]|one|two|three|four|five|six|seven)`, `first (week|few days)`, `week (1|one)`,
		`([1-9]|1[0-4]|one|two|three|four|five|six|seven|a few|few|a couple( of)?) days (after|post|in|since)`, `(a|one) week (after|post|in)`)
	fierceItch       = words(`itch(ing|es|y)? like (mad|crazy|hell)`)
	pigmentSpreading = words(`(dots?|ink|pigment|smp)( [a-z']+){0,4} (spreading|spread|spreads)`, `(spreading|spread) (out )?(dots?|ink|pigment)`,
		`(spreading|spread) (is )?(normal|over time)`, `what they call spreading`, `(does|will|did|is|has) (the|that|this) spreading`, `(the|that) spreading (problem|issue|thing)`,
		`(what( actually| really| exactly)? causes|why (does|do)) (that |the |this |it )?(spreading|spread)`, `is (this|that) spreading`)
	redness = words(`red(ness|dish|der|dened|dening)?`, `rash(es)?`, `raised`)
	// A bruise goes purple, then yellow and green as it heals: its colours
	// are no sign ("it's going yellow-green like a normal bruise").
	bruise        = words(`bruis(e|es|ed|ing)`)
	bruiseColours = words(`(purple|purplish|yellow|green|greeny|yellowy|greenish|yellowish)([- ](yellow|green))?`)
)

// quotes folds typographic apostrophes into the ASCII one the patterns use.
var quotes = strings.NewReplacer("’", "'", "‘", "'")

// speaksOwn reports whether q speaks of the writer or someone close. The "I"
// of "how do I tell…" asks; it does not describe.
func speaksOwn(q string) bool {
	return personal.MatchString(asking.ReplaceAllString(q, ""))
}
