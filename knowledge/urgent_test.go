package knowledge_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

func TestIsUrgent(t *testing.T) {
	tests := []struct {
		question string
		want     bool
	}{
		// People describing their own symptoms.
		{"there's pus coming out of my dots", true},
		{"hives all over my scalp since my session", true},
		{"I think my smp is infected", true},
		{"I’m having a reaction to my smp", true},
		{"my scalp is red and swollen 3 days after smp", true},
		{"fever and chills after my smp session", true},
		{"my face is swelling up after smp", true},
		{"my head is hot to the touch and oozing", true},
		{"yellow crust on my hairline since the treatment", true},
		{"red streaks spreading from my hairline", true},
		{"can't breathe properly after smp, lips swollen", true},
		{"my girlfriend got smp and now her scalp has pus", true},
		{"im allergic to the ink i think, my scalp is itchy and red bumps", true},
		// A mild sign in the first days, asked about as normal, is healing;
		// a strong one beside it, or alone, is not.
		{"day 2 and my scalp is red and a bit puffy, is that normal?", false},
		{"day 2, a bit puffy and now there is pus at the hairline, normal?", true},
		{"day 2 and my whole scalp is swollen, is that normal?", true},
		{"head a little swollen a week after smp, is that normal?", true},
		{"bit of clear stuff weeping the first night, then it crusted over. normal?", false},
		{"clear fluid seeping on day 1, not spreading, standard?", false},
		{"day 2 and still a bit pink round the dots, not hot or swollen, just pink. normal?", false},
		{"not hot or swollen yesterday but today it is oozing after my session", true},
		{"clear stuff oozing a few hours after the session, artist says plasma and normal. true?", false},
		{"his forehead was red and a bit puffy the morning after his session, settled by day 3. is that swelling normal?", false},
		{"my hairdresser says the dots along my parting look fuzzy and larger than before. is this spreading something that happens with time?", false},
		{"a year on the dots round my temples have bled into each other, twice the size. what actually causes the spreading?", false},
		{"head is warm like a radiator and the red bit has spread past where they tattooed. day 5", true},
		{"day 4 and a constant throb on one side keeps me up at night", true},
		// Signs in other languages, mixed into English or not: \b reads
		// ASCII letters only, so Turkish, Polish and Arabic words have
		// their own boundaries. Şişli, a district of Istanbul, is no
		// swelling (şiş).
		{"smp yaptırdım, alnım şişti ve ateşim var", true},
		{"any good SMP clinic in Şişli? I'm there for a week", false},
		{"po SMP mam ropę za uchem, normalne?", true},
		{"بعد SMP عندي صديد في راسي", true},
		{"SMP 3 din pehle, ab halka bukhaar aur sujan hai", true},
		{"two red streets going down to my ear since the SMP", true},
		{"the crown went crusty with yellow stuff a week after my session", true},
		{"po SMP mam bąble na czole", true},
		{"months after smp the dots went raised like tiny bumps", true},
		{"the crown feels rough, like braille, since my smp", true},
		{"throat feels funny and it's hard to get a full breath, had pigment done on my head an hour ago", true},
		// Signs told softly: a temperature, a throat gone tight, lips
		// tingling, a crust that turns yellow again, skin wet under its
		// crust, dots that feel raised months on, in Portuguese too.
		{"two days after my smp session i've got a headache and a temperature", true},
		{"during the session my throat felt kind of tight and my lips started tingling", true},
		{"one patch of my smp keeps crusting over yellow after i pick it", true},
		{"day 6 after smp, crusty on top and wet underneath", true},
		{"months after smp the dots feel a bit raised and itch", true},
		{"the smp dots are itchy and slightly raised since last month", true},
		{"fiz micropigmentação capilar ontem e meu rosto inchou", true},
		{"rash where the artist worked on my scalp, bumpy and burning", true},
		// A scalp that stings more is pain growing, not an insect's sting.
		{"day 6, my scalp is leaking cloudy fluid and stings more than on day 1", true},
		{"a wasp sting on my scalp and now it's swollen", false},
		// A sign that has spread past the SMP is still a sign; a session
		// said as "after getting smp" is one that happened.
		{"itchy red spots all over my scalp since the smp and now on my arm too, where there is no smp", true},
		{"head swollen and hot and i feel shivery after getting smp done at a guy's flat", true},
		// Itching days after a session, swelling gone after two days, a
		// new sleeve weeping: healing, or another tattoo.
		{"scalp itching like crazy 4 days after smp, can i scratch", false},
		{"a bit of swelling on my forehead after the hairline session, gone after two days, normal?", false},
		{"got a full sleeve yesterday and it's weeping a bit through the wrap", false},
		// A spot still open and gooey weeks on, dots "risen" and itchy.
		{"one spot on the crown still open and gooey two weeks after smp", true},
		{"little itchy risen dots months after my smp, only where it was pigmented", true},
		// Slight swelling the day after, asked about as normal; a new
		// moisturiser's rash; dry patches on the elbows.
		{"mild puffiness at the hairline the day after smp, normal? the swelling is slight and not hot", false},
		{"my face goes red and itchy after a new moisturiser", false},
		{"dry, itchy patches on my elbows every winter, why?", false},
		// Itching in the first week is healing; another's fever or a
		// detergent's rash is not SMP's; a question about people in
		// general describes nothing.
		{"day 5 after smp and it itches like crazy, no redness, no bumps, is that normal", false},
		{"my 4 year old has a temperature and a rash on her tummy", false},
		{"itchy red bumps on my arm since i changed laundry detergent", false},
		{"can someone be allergic to smp pigment? i have a nickel allergy", false},
		{"my ankles are swelling on oral minoxidil, normal?", false},
		// Signs from the new voices: chills in Spanish, a scab that will not
		// close, hard grains under the dots, a red ring grown to a coin's size,
		// a greenish crust, something coming out when pressed, a French rash
		// told to the artist; talk of infection risk describes nothing.
		{"me dio escalofrios anoche and my smp is four days old", true},
		{"two weeks after my session one dot still wont scab over", true},
		{"my dots feel like hard grains under the skin months later", true},
		{"the redness on my crown has grown to the size of a coin", true},
		{"front scabs turning a greeny yellow, day 6 post smp", true},
		{"when i squeeze the crown some gunk comes out, 5 days after smp", true},
		{"plaques rouges near my hairline since the artist did the touch up", true},
		{"my artist never talked about infection risk, is that a red flag?", false},
		// Green crud under a crust, a pillow stained yellow, eyes nearly shut,
		// a dyed hairline burning and raised.
		{"some green crud under the crusts at the front since my smp", true},
		{"pillowcase stained yellow every morning since the session", true},
		{"woke up with my eyes almost shut the day after smp", true},
		{"hair dye touched my smp hairline and now it's burning and itchy", true},
		// Scabs gone green, a patch raised and crusty, yellow water, pain
		// rising daily, a Tagalog lump, cellulitis named, lumps after the full
		// session, itchy raised lines; a healing bruise's colours are no sign.
		{"my scabs went green a week after smp", true},
		{"months after smp one patch is raised and crusty", true},
		{"yellow water leaking from the crust, 6 days after smp", true},
		{"since my smp the pain is increasing every day", true},
		{"may bukol sa hairline ko after smp", true},
		{"the gp thinks my scalp has cellulitis after my smp", true},
		{"after the full session i got itchy lumps that won't settle", true},
		{"itchy raised lines where the old dots were after my touch up", true},
		{"bruise at my temple after smp is going yellow-green, no pain", false},
		// Redness back and worse on a later day, hives that keep breaking out,
		// knots under the skin, eczema-like patches only on the dots, redness
		// past the treated area, a blistered area; a straightener's burn and a
		// question about granulomas describe nothing of SMP.
		{"redness settled then came back worse on day 7 after smp", true},
		{"i keep breaking out in hives since my smp", true},
		{"little knots under the skin on my crown since my smp", true},
		{"eczema-like patches only where my smp dots are", true},
		{"the redness has spread past the treated area since my session", true},
		{"after the numbing cream the whole area has blistered", true},
		{"burnt my forehead with straighteners and it's blistered", false},
		{"what is a granuloma, can smp cause one", false},
		// Itchy welts, eyes swole shut, redness that has spread to a patch,
		// heat from day 4, a spoken "s m p" beside eczema-like signs, and a
		// rash since a weekday after a patch test that seemed fine.
		{"itchy welts along my hairline two days after smp", true},
		{"my eyes swole up the morning after my smp", true},
		{"instead of fading the redness, its spread to the whole crown", true},
		{"scalp still hot, day 6 since the session", true},
		{"itchy and bumpy like eczema after my s m p", true},
		{"patch test was booked and seemed fine, full session last friday, since sunday an itchy raised rash on the dots", true},
		{"does the spreading get worse over the years with smp", false},
		// A transplant named beside SMP's artist and session still counts.
		{"had an FUE with 3000 grafts years ago, session one of dots last week with a lovely artist, now the red patch is bigger each morning", true},
		{"3000 grafts last week and the red patch round the donor area is bigger each morning", false},
		// Angry skin is a sign; an angry review is not.
		{"clinic reviews: the bad ones have an angry reply from the owner. what should I check before my smp?", false},
		{"day 5 after smp and the crown is angry red and sore", true},
		{"crown is really angry and hot a week after my session", true},
		{"clear fluid seeping on day 2 and now a yellow crust, normal?", true},
		// Scabs that itch like mad are healing; another sign beside them is not.
		{"day 4, the scabs are itching like crazy, can i scratch a bit", false},
		{"the scabs are itching like crazy and the dots are raised and hot", true},
		// A reaction to something else long ago, asked about before SMP.
		{"had a bad reaction to black henna on holiday years ago, does that matter for smp?", false},
		{"got a rash from red ink on my arm tattoo once, should i get tested before scalp micro", false},
		{"black henna blistered my arm badly years ago and now i'm booking smp, should i ask for a test?", false},
		{"hair dye makes my scalp itchy and red every time, will i react to smp pigment too? can they test me first?", false},
		// Dots said to spread are a blowout, not redness spreading.
		{"a year on the dots look fuzzy at the front, is a bit of spreading normal over time?", false},
		{"the redness is spreading over time and my head is hot", true},
		{"had smp done 3 days ago, now its red, swollen and itchy, im worried about the pigment", true},
		{"my head is swollen and hot since the session, does that matter for smp aftercare", true},
		{"what should i do, there is pus coming from my scalp", true},
		{"THERE IS PUS IN MY DOTS", true},
		// Pain that grows after a session is a sign of infection; pain
		// compared with a tattoo is a question.
		{"it hurts more today than the day after the session", true},
		{"day 5 and my scalp is more sore than yesterday", true},
		{"does smp hurt more than a tattoo", false},
		// Redness that widens and throbs is spreading; a parting that
		// widens is hair loss.
		{"redness round the dots getting wider each day and it throbs at night, day 6 now", true},
		{"my parting is getting wider every year, can smp help", false},
		// A patch test skipped, a feeling "in general", days counted in
		// words: the sign is still happening now.
		{"i skipped the patch test. now two days after smp the dots are raised and itchy", true},
		{"had smp six days ago, now theres a spot behind my ear thats swollen and hot and i feel rubbish in general", true},
		// Another cosmetic treatment's swelling is for whoever did it;
		// swelling after SMP that drops to the eyebrows is not.
		{"lip filler swelling how long does it last", false},
		{"eyeliner tattoo done yesterday, eyes still puffy, normal?", false},
		{"lip filler yesterday and my lips are swollen, had my smp last year", true},
		{"the swelling from my session yesterday has dropped to my eyebrows and eyes are puffy", true},
		// Someone without SMP is not told to see a doctor about it.
		{"razor bumps all over my shaved head, red and sore, no smp just bald", false},
		// A sore tattoo elsewhere is for whoever did it, and white
		// pimples where the dots are are pus.
		{"my new ankle tattoo is red and oozing a bit, infected?", false},
		{"little white pimples all over where the dots are and they hurt, day 5", true},
		{"copying from a friend: 'the tattoo on my ribs went raised and itchy after a year, what is that'", false},
		{"how do i fix a leaking tap", false},
		{"my dots are leaking clear fluid on day 2 after smp", true},
		// A touch-up is a session.
		{"hives all over my neck and forehead after my touch up this morning", true},
		// A reaction to something else, told before SMP.
		{"box hair dye made my scalp burn and swell two years ago, now i am looking at smp, should they test a spot first", false},
		{"cheap earrings make my ears weep and dye gave me a rash, is there a test i can do before scalp micro", false},
		// Bumps on another part of the body are for another doctor.
		{"red bumps on my chest after shaving what cream to use", false},
		{"red bumps on my scalp after my smp session", true},
		// Redness that grows, and warmth felt with a hand.
		{"redness growing bigger every day instead of less, day 5 after smp", true},
		{"scalp is warm when i touch it, day 4 post smp", true},
		// Whiteheads, and pain that grows past the first day's.
		{"just seen my hairline has whiteheads all along it and its really tender", true},
		{"redness not going away day 8 and it hurts way more than day 1 did", true},
		{"pimple on my chin before the smp consult, can they still do it", false},
		// Fever in the languages of the writers of chat groups, and
		// "red and hurting" as two signs in one breath.
		{"tengo fiebre since yesterday, had smp 3 days ago", true},
		// Bumps in Portuguese and Spanish, where SMP's dots are "pontos" or
		// "puntos"; not in a message about something else.
		{"coceira muito forte e bolinhas nos pontos", true},
		{"me salieron ronchas en los puntos de la micropigmentación", true},
		{"ronchas on my arm after the beach", false},
		{"head very red and hurting 4 days after smp", true},
		// The same signs in the words people reach for first.
		{"my throat feels tight since the smp session this morning", true},
		{"lips are tingling and puffing up after my smp", true},
		{"feel hot and shivery two days after smp", true},
		{"temp of 39 since my smp yesterday", true},
		{"bleeding wont stop from my scalp after smp", true},
		{"my head is boiling hot and pounding after smp", true},
		{"struggling to swallow after my smp appointment", true},
		{"my face blew up overnight after smp", true},
		{"scalp feels like its on fire 4 days after smp", true},
		{"glands in my neck came up after the smp", true},
		{"im diabetic and my scalp is still red and hot a week after smp", true},
		{"sorry english not good, after smp my head very red and water coming out", true},
		{"my scalp is all bumpy and itchy three months after smp", true},
		{"tongue feels kinda thick and tingly since the numbing cream went on for my smp", true},
		{"two weeks on and raised welts only where it was treated, itching like mad", true},
		{"how hot can the shower be after smp", false},
		{"dots getting fuzzy and spreading over the years, did my guy mess it up", false},
		{"the redness around my dots is getting worse and spreading", true},
		{"will my face look different with smp", false},
		{"my eyes are tired after the long session", false},
		{"a rash on my scalp since the session", true},
		{"one patch on my crown has gone raised and shiny, kind of lumpy", true},

		// General questions, worries about the future, and other subjects.
		{"what are the signs of infection", false},
		{"what does an infected smp look like", false},
		{"how do I know if my smp is infected", false},
		{"what are the symptoms of an allergic reaction to smp pigment", false},
		{"can smp cause an allergic reaction", false},
		{"is there a risk of allergy with smp pigment", false},
		{"will I get an infection from smp", false},
		{"should I get a patch test if I have allergies", false},
		{"how do I prevent infection after smp", false},
		{"how do i avoid a rash after smp", false},
		{"my dog has an ear infection", false},
		// Signs as common on any skin count only in a message about SMP.
		{"how do i get rid of razor bumps on my neck", false},
		// Signs said in other words: two signs joined, a colour with a
		// hyphen, swelling that is not of the face alone.
		{"a week after my top up the dots are raised and itchy, old and new", true},
		{"greenish-looking? no, green-ish gunk under a couple of scabs and it hurts", true},
		{"forehead and eyelids puffing up since this morning's session", true},
		{"is it normal for the dots to be red and sore on day one", true},
		{"the red around my hairline has spread onto my forehead since the session", true},
		{"scalp feels warmer than yesterday, 4 days after smp", true},
		{"a week on and it smells bad and is still wet, my scalpe is not drying", true},
		{"so itchy and bumpy, nothing like the normal healing itch, more like a rash", true},
		{"think i have an infecshun from my hairline tatt, crusty yellow and sore", true},
		{"how long until the scalp is dry after a session", false},
		{"🥵🤒 head day 3", true},
		{"🤒 flu again, anyone else", false},
		{"itchy itchy and bumpy, not a normal itch", true},
		{"my dots are raised and super itchy two weeks in", true},
		// A reaction long ago, told to ask for a patch test, is no symptom
		// now; one happening now still is.
		{"black henna on holiday years ago blistered my arm, should i get a patch test before smp", false},
		{"hair dye gave me a rash once, do smp clinics do a patch test", false},
		{"i reacted to henna years ago and now my scalp is swollen since the session, should i have had a patch test", true},
		// Shaving's own bumps and rashes are no symptom, even on the head.
		{"how do i shave my head smooth without razor bumps", false},
		{"razor burn on my head every time i shave, foil shaver better?", false},
		{"razor bumps on my smp head are oozing pus", true},
		{"itchy red bumps on my head after shaving this morning, which cream", false},
		{"red bumps after shaving, but my smp dots are hot and oozing since the session", true},
		{"started shaving my head every other day and the back is covered in little red bumps", false},
		{"quick q, scabs still wet and kinda greenish a week in?", true},
		{"getting hives on my neck a few hrs after sesh and my chest feels tight", true},
		{"pain was like a 2 after the session, now on day 5 its more like an 8. is that just healing", true},
		{"they told me 2/10 for pain, it was more like a 7 round the temples. next sesh is in 10 days, can i ask for numbing cream", false},
		{"my chest feels tight after leg day", false},
		{"my head is very hot and the redness is growing to the forehead, 5 days after smp", true},
		{"the dots are raised and itch like crazy, 2 months after", true},
		{"yellowish scabs on the crown since my second session", true},
		{"the scabs are gone and now the dots look greenish", false},
		{"barber gave me a skin fade and now the sides are full of red bumps", false},
		{"shaved my head for the smp and now there are red bumps with pus on my crown", true},
		{"an smp clinic offering the full head for 299 in one session, i smell a rat", false},
		{"i give blood every 12 weeks and would hate to break my streak, can i still donate after smp", false},
		{"scalded my head with boiling water as a kid, will smp cover the scar", false},
		// Sunburn's blisters are sunburn's.
		{"sunburnt my scalp at the beach and it has blisters, do i pop them", false},
		{"blisters on my head from sunburn, do i pop them", false},
		{"scalp got sunburnt and blistered at a festival, pop them or leave", false},
		{"fountain pen ink leaking everywhere", false},
		{"kuya may nana po yung ulo ko after smp tapos mainit at masakit", true},
		{"my nana wants to know if smp is safe at 70", false},
		{"session was monday. now im at 38.5 temp and my scalp is sore as hell", true},
		{"is it bad if the pain is worse on day 5 than day 1?", true},
		{"got a forearm piece 3 years ago and only the red parts are raised and itchy now", false},
		{"blisters on my smp since the session, never been in the sun", true},
		{"how do I get rid of a cold sore on my lip fast", false},
		{"i get hives from peanuts", false},
		{"is it normal to have redness after smp", false},
		{"what is the healing timeline", false},
		{"my dots are blurry", false},
		{"dots spreading on my hair tattoo", false},
		{"my smp dots are spreading, should i get them redone", false},
		{"my smp dots are spreading after a year", false},
		{"redness spreading around my dots", true},
		{"my dots are spreading and the skin around them is red and hot", true},
		{"booked a touch up next week but my scalp is oozing pus", true},
		{"smp booked for friday, I've got a fever of 39 today, should I go", true},
		{"reacted to black henna years ago, should I get a patch test before smp?", false},
		{"my kid has a fever and my smp is booked tomorrow, should I cancel", false},
		{"what would an allergic reaction to smp look like", false},
		// Redness that travels, told at length, and a swelling full of fluid.
		{"a deep red that's now moved down over my eyebrow, sesh was 5 days ago", true},
		{"scalp a bit warm and the red bit seems to creep a little further every morning, day 6", true},
		{"one area near crown getting big and painful, like bump with liquid inside, 1 week after session", true},
		// Signs told by number, by comparison or by how they grow.
		{"38.9 after smp", true},
		{"day 5 worse than day 2 and it hurts to lie on", true},
		{"the red ring round my crown gets wider every day", true},
		{"lymph nodes in my neck feel like marbles since the session", true},
		{"the red patch by my temple has spread nearly to my eyebrow", true},
		{"booked in at a cheap place, three days later the crown is oozing", true},
		{"scabs turning greenish on day 4 of smp", true},
		{"eyelids getting puffier every hour since the session", true},
		{"throat feels like it's closing after the numbing cream", true},
		{"raised itchy dots spreading across the crown a month after smp", true},
		{"my dots are spreading a bit, is that a blowout", false},
		{"a wasp stung my scalp and it's puffed up, what helps", false},
		{"got bitten by the neighbour's dog, my hand is red and swollen", false},
		{"dozed off sunbathing, bald head is red and blistering", false},
		{"laser hair removal on my legs left red itchy bumps", false},
		{"old tattoo on leg went itchy and raised, allergy?", false},
		{"shaved head got burnt on a walk, no hat, red and hot. haven't had any tattoo on it", false},
		{"a bee stung me the day after my smp session and now my face is swelling", true},
		{"eyelids puffy and a wheeze since the appointment, maybe hay fever?", true},
		{"struggling to catch my breath and my chest feels tight since the smp session", true},
		{"day 6, the redness keeps growing every day instead of fading", true},
		{"we drew round the red patch last night and by morning it had spread past the line, smp was 4 days ago", true},
		{"the scabs on my crown have turned a greenish colour", true},
		{"red patch on my hairline creeping towards my forehead, day 6 post", true},
		{"my son has chickenpox spots all over his scalp and keeps scratching", false},
		{"burned her hand on the oven and it blistered", false},
		{"four days after my smp session and i feel like i've got the flu", true},
		{"marked the red patch by my hairline with a pen yesterday and today the red is past the line", true},
		{"redness was a small patch on day 2 and now its covering half my forehead, smp on monday", true},
		{"since the smp session my tongue feels sort of thick", true},
		{"day 2 the pain was 3/10, day 6 it is 8/10", true},
		{"the red round my hairline keeps creeping outwards and feels warm, smp last week", true},
		{"can women get smp? my thinning at the parting is getting worse", false},
		{"a year on my dots look fuzzy up close. why, and is it going to keep getting worse?", false},
		{"fuzzy dots and now the scalp is hot and swollen, is it gonna keep getting worse?", true},
		{"some dots near my crown merged into a blob, 6 months in. is it going to keep spreading?", false},
		{"his is 6 years old and up close more like a shadow than dots now. what causes that spreading?", false},
		{"the redness round my dots is hot, is it going to keep spreading?", true},
		{"if my hairline keeps creeping back over the years, what happens to the dots?", false},
		{"if I get smp will my real hair keep growing normally through it?", false},
		{"some of his dots look like smudges in photos, is that the spreading problem people talk about?", false},
		{"the redness keeps creeping back down my forehead, day 5", true},
		{"pain was 6/10 on day 1 and 2/10 by day 4, healing well", false},
		{"rated the session 7/10 for pain, day 2 now", false},
		{"lol my tongue feels fat. also had smp 2 hrs ago", true},
		{"touch-up this morning and now my eyelids are puffed up like I've been stung", true},
		// A little swelling of the first days that is going down, or
		// asked about as a common thing, is healing; trouble swallowing
		// beside it is not.
		{"forehead swelled a little the morning after the session, by evening it was gone. normal?", false},
		{"bit of swelling on my forehead the morning after, gone by lunch. fine?", false},
		{"slight swelling on my forehead the morning after session 1 but it's already going down", false},
		{"slight swelling on my forehead the morning after session 1, no better, and it spreads down to my eyes", true},
		{"bit of swelling since yesterday's session and swallowing feels a bit harder than usual", true},
		// Other causes of the same signs, without a session.
		{"hives after prawns", false},
		{"toddler has a 39.2 fever, a&e or wait?", false},
		{"shaving nicks heal into little red dots, any tips", false},
		// Scalp conditions and treatments other than SMP, unless SMP is named.
		{"scalp psoriasis flaring, thick scaly patches behind my ears", false},
		{"hair system glue is irritating my scalp, red patches where the unit sits", false},
		{"white-headed spots all over my scalp, folliculitis? how do i stop it", false},
		{"folliculitis round my smp dots, whiteheads and getting redder", true},
		{"swelling with pride at my new hairline", false},
		{"day 3, tender when I press it but no swelling", false},
		{"is smp safe", false},
		{"bitcoin price", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := knowledge.IsUrgent(tt.question); got != tt.want {
			t.Errorf("IsUrgent(%q) = %v, want %v", tt.question, got, tt.want)
		}
	}
}

// BenchmarkIsUrgent checks the questions of the embedded evaluation set in
// turn, most of them not urgent, as people ask them.
func BenchmarkIsUrgent(b *testing.B) {
	cases, err := guide.EvalCases()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		knowledge.IsUrgent(cases[i%len(cases)].Question)
		i++
	}
}

// urgentTuneMaxFalseAlarms is how many of urgent-tune.jsonl's messages that
// need no doctor IsUrgent may flag: a needless "see a doctor" costs little,
// a missed one can cost a lot.
const urgentTuneMaxFalseAlarms = 10

// urgentTuneMaxMissed is how many urgent messages IsUrgent may miss: none
// since painRising reads a pain score that rose from day 1 to day 5 in
// figures alone.
const urgentTuneMaxMissed = 0

// TestIsUrgentTuneSet runs IsUrgent on testdata/urgent-tune.jsonl: 320 chat
// messages, 180 describing signs of infection or an allergic reaction after
// SMP and 140 that do not (normal healing, general questions, reactions long
// past, alarming words that are no symptom), written by a helper who had
// read neither the symptom patterns nor the evaluation sets.
func TestIsUrgentTuneSet(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "urgent-tune.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := knowledge.ReadEvalSet(f)
	if err != nil {
		t.Fatalf("urgent-tune.jsonl: %v", err)
	}
	var urgent, calm, missed, alarms int
	for _, c := range cases {
		got := knowledge.IsUrgent(c.Question)
		switch {
		case c.Urgent:
			urgent++
			if !got {
				missed++
				t.Logf("missed: IsUrgent(%q) = false", c.Question)
			}
		default:
			calm++
			if got {
				alarms++
				t.Logf("false alarm: IsUrgent(%q) = true", c.Question)
			}
		}
	}
	t.Logf("urgent recall %d of %d, false alarms %d of %d", urgent-missed, urgent, alarms, calm)
	if urgent < 150 || calm < 100 {
		t.Errorf("urgent-tune.jsonl holds %d urgent and %d calm messages, want at least 150 and 100", urgent, calm)
	}
	if missed > urgentTuneMaxMissed {
		t.Errorf("%d urgent messages of %d missed, want at most %d", missed, urgent, urgentTuneMaxMissed)
	}
	if alarms > urgentTuneMaxFalseAlarms {
		t.Errorf("%d false alarms of %d calm messages, want at most %d", alarms, calm, urgentTuneMaxFalseAlarms)
	}
}
