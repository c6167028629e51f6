package telegram

import (
	"strings"

	"github.com/smpbot/bot/knowledge/markdown"
)

// This file holds the little the adapter adds to knowledge/markdown, which
// renders entries in Telegram's HTML subset
// (https://core.telegram.org/bots/api#html-style) and cuts long messages
// into parts Telegram accepts.

// maxMessageLen is the longest message text Telegram accepts.
const maxMessageLen = markdown.TelegramLimit

// escape makes text safe anywhere in a Telegram HTML message, attribute
// values included.
func escape(s string) string { return markdown.Escape(s) }

// escapeUser escapes text a user wrote and defuses its @mentions with a word
// joiner, so that echoing it never notifies anyone.
func escapeUser(s string) string { return escape(strings.ReplaceAll(s, "@", "@\u2060")) }

// markdownHTML renders the Markdown of a knowledge-base entry in Telegram's
// HTML subset.
func markdownHTML(md string) string { return markdown.Parse(md).Telegram() }
