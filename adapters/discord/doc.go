// Package discord answers SMP safety questions on Discord.
//
// It is a platform adapter: it turns Discord events into questions for a
// knowledge.Service and renders the platform-neutral knowledge.Answer as
// Discord embeds and buttons. Members ask with the /ask slash command, by
// mentioning the bot, or in a direct message; /checklist, /topics and /help
// show the practitioner checklist, the topic menu and how to use the bot.
// With a knowledge.Moderation in Config, moderators change the knowledge base with
// /kb (forms for add, edit and the synonyms; history, undo, revert, gaps and
// feedback), checked on every call.
//
// The adapter uses github.com/bwmarrin/discordgo for the gateway websocket and
// the REST API, and needs only non-privileged gateway intents: Discord still
// delivers the content of messages that mention the bot and of direct
// messages without the MessageContent intent.
//
// Interactions also come by Discord's HTTP interactions endpoint when
// Config.PublicKey is set (endpoint.go): each request's signature is checked,
// and the first response goes back in the HTTP response, so every replica
// behind a load balancer serves it. The gateway, needed for mentions and
// DMs, is held shard by shard under leases (Config.Replica), so that of
// several replicas one at a time holds each shard.
//
// Config holds the settings (ConfigFromEnv reads them from DISCORD_*
// variables), New builds a Bot without touching the network, and Run connects,
// registers the slash commands and answers until its context ends. The
// discordtest package is a fake Discord to test it against.
package discord
