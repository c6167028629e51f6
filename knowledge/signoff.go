package knowledge

import "regexp"

// signOff is a name signed at the end of a message, as people who write
// letters do ("How many appointments does it take? - Ron", "Cheers, Steve",
// "Thank you, Pauline", "- Julie (daughter)"). A name is a word no entry
// holds, so it weighs as much as the rarest word and lowers every entry's
// score; it says nothing of what the message asks.
var signOff = regexp.MustCompile(`(?:\s+[-–—~]+\s*|(?:\s+|,\s*)(?:[Cc]heers|[Tt]hanks|[Tt]hank you|[Mm]any thanks|[Kk]ind regards|[Rr]egards|[Bb]est wishes|[Bb]est|[Tt]a|[Ll]ove)[,.!]?\s+)\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)?(?:\s*\([^()]{1,30}\))?[\s.!]*$`)

// withoutSignOff returns the question without a name signed at its end.
func withoutSignOff(q string) string {
	if loc := signOff.FindStringIndex(q); loc != nil && loc[0] > 0 {
		return q[:loc[0]]
	}
	return q
}
