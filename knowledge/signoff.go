package knowledge

import "regexp"

// signOff is a name signed at the end of a message, as people who write
// letters do ("How many appointments does it take? - Ron", "Cheers, Steve",
// "Thank you, Pauline", "- Julie (daughter)"). A name is a word no entry
// holds, so it weighs as much as the rarest word and lowers every entry's
// score; it says nothing of what the message asks.
var signOff = regexp.MustCompile(`(?:\s+[-–—~]+\s*|(?:\s+|,\s*)(?:[Cc]heers|[Tt]hanks(?: a lot| so much| in advance)?|[Tt]hank you(?: very much| so much| in advance)?|[Mm]any thanks|(?:[Kk]ind|[Bb]est|[Ww]arm) regards|[Rr]egards|[Bb]est wishes|[Aa]ll the best|[Bb]est|[Tt]a|[Ll]ove)[,.!]?\s+)\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)?(?:\s*\([^()]{1,30}\))?[\s.!]*$`)

// signedName is a name signed alone after the last sentence ("How many
// appointments will I need? Ted", "Is it normal? Doreen Price"); the
// sentence's own stop stays.
var signedName = regexp.MustCompile(`[.?!]\s+\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)?[\s.!]*$`)

// subjectLine is an email's subject pasted before a message ("Subject:
// general enquiry", "RE: your enquiry"): its words are the sender's or the
// clinic's summary, often of another message.
var subjectLine = regexp.MustCompile(`^\s*(?:[Ss]ubject|SUBJECT|R[Ee]|F[Ww][Dd]?):[^\n]*\n\s*`)

// emojiCode is an emoji as chat platforms write it in text (":sunny:",
// ":skull:", ":+1:"): its name is a picture, not a word of the question,
// and "gm everyone :sunny:" is not asking about the sun.
var emojiCode = regexp.MustCompile(`:[a-z][a-z0-9_+-]{1,30}:`)

// waitFirst is a "wait" that opens a question in surprise ("wait whats
// smp", "hang on, so how long..."): no wait between sessions is asked about.
var waitFirst = regexp.MustCompile(`(?i)^\s*(?:wait|hold on|hang on)[\s,.!?…-]+((?:so|what|whats|what's|wat|how|is|are|does|do|can|why|who|which|but)\b)`)

// messageBody returns what a question asks, without the parts of a letter
// around it (a subject line pasted before it and a name signed at its end),
// without emoji codes and without a "wait" of surprise before it.
func messageBody(q string) string {
	q = waitFirst.ReplaceAllString(emojiCode.ReplaceAllString(q, " "), "$1")
	if loc := subjectLine.FindStringIndex(q); loc != nil && loc[1] < len(q) {
		q = q[loc[1]:]
	}
	if loc := signOff.FindStringIndex(q); loc != nil && loc[0] > 0 {
		return q[:loc[0]]
	}
	if loc := signedName.FindStringIndex(q); loc != nil {
		return q[:loc[0]+1]
	}
	return q
}
