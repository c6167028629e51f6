package knowledge

import "errors"

// Sentences people read around answers, the same on every platform. Each
// adapter decides only how they look (italics, an embed, plain text).
const (
	// AskNotice asks for a question, followed by AskExample, when a message
	// holds none.
	AskNotice = "What would you like to know? Write your question in words, for example:"
	// AskExample is a question to show how to ask.
	AskExample = "how deep should SMP pigment go?"
	// ClosestTopicsNotice introduces the topics closest to a question the
	// knowledge base does not cover.
	ClosestTopicsNotice = "These are the closest topics I have:"
	// FailureNotice answers a question the bot failed to answer, or a tap it
	// failed to carry out; the adapter logs why.
	FailureNotice = "Sorry, something went wrong on my side. Please try again in a moment."
	// StaleButtonNotice answers a tap on a button whose topic or change is
	// no longer there, or that has lapsed.
	StaleButtonNotice = "Sorry, that button no longer works: what it offered has changed or lapsed. Please ask again."
)

// LongQuestionNotice tells the asker that only the first MaxQuestionRunes
// characters of their question were read (see Answer.Truncated).
const LongQuestionNotice = "Your question was long, so I read only its first 500 characters."

// AnswerFailure is what to tell the asker when Service.Answer returns err:
// AskNotice for a question without words, BusyNotice when the bot is at
// capacity, FailureNotice otherwise. Adapters count the busy ones and log the
// others themselves.
func AnswerFailure(err error) string {
	switch {
	case errors.Is(err, ErrEmptyQuestion):
		return AskNotice
	case errors.Is(err, ErrBusy):
		return BusyNotice
	default:
		return FailureNotice
	}
}

// Sentences of the web console's login links, on every front end that
// issues them.
const (
	// WebLinkNotice comes before a moderator's login link to the web
	// console (LinkLifetime, SessionLifetime).
	WebLinkNotice = "Your login link to the knowledge-base web console. It works once, within 10 minutes, and keeps you logged in for 12 hours. Do not share it:"
	// WebOffNotice answers a moderator asking for a link when the web
	// console is not turned on.
	WebOffNotice = "The web console is not turned on for this bot: whoever runs it sets BOT_WEB_ADDR (and BOT_WEB_URL) to turn it on."
)
