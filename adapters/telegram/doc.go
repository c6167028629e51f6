// Package telegram is the Telegram adapter of the SMP safety bot. It turns
// Telegram updates into questions for a knowledge.Service and renders the
// answers in Telegram's HTML subset, with buttons for related topics and
// feedback.
//
// People ask in a private chat (any text), in a group (/ask, a mention of
// the bot, or a reply to it) or inline ("@bot question" in any chat). The
// bot receives updates by long polling, or by a webhook when configured.
//
// It uses github.com/go-telegram-bot-api/telegram-bot-api/v5 for requests
// and types, but runs its own update loop: requests are bound to a context,
// failures are retried with backoff and as long as Telegram's retry_after
// asks, and messages are paced to Telegram's per-chat limits. Each update is
// judged as it arrives, against its sender's rate limit and its chat's
// queue, and then waits in its chat's queue, so that a group waiting for
// its pace holds up no other chat (see lanes.go). What an answer says, and
// the rate-limit decisions, are made in package knowledge; this package only
// decides how they look on Telegram.
//
// Across replicas (Config.Replica), each update is claimed by its
// update_id before it is acknowledged, so that an update Telegram sends
// again, perhaps to another replica, is answered once, and one taken by a
// replica that stopped is answered by another; with long polling only the
// replica holding the poll lease polls (see replicas.go).
//
// With a knowledge.Moderation and a list of moderators, moderators change the
// knowledge base in their private chat with /kb: guided conversations and
// previews, with buttons whose callback data is a random token standing for a
// change kept in memory (see moderation.go and kb.go).
package telegram
