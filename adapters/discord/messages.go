package discord

import (
	"context"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// onMessage answers direct messages and messages that mention the bot, and
// ignores everything else: chatter, bots (itself included), webhooks and
// system messages.
func (b *Bot) onMessage(ctx context.Context, s *discordgo.Session, m *discordgo.Message) {
	if m.Author == nil || m.Author.Bot || m.Author.System || m.WebhookID != "" {
		return
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return
	}
	self, _ := identity(s)
	if self.ID == "" || m.Author.ID == self.ID {
		return
	}
	dm := m.GuildID == ""
	if !dm && !slices.ContainsFunc(m.Mentions, func(u *discordgo.User) bool { return u != nil && u.ID == self.ID }) {
		return
	}
	if v := b.admit(m.Author.ID); !v.Admitted {
		if dm {
			// Once a minute at most: a flood of DMs is not answered with a
			// flood of notices.
			if v.Tell {
				b.replyTo(ctx, s, m, notice(v.Notice))
			}
			return
		}
		// A notice in a channel would add to the flood; a reaction does not.
		if err := s.MessageReactionAdd(m.ChannelID, m.ID, "⏳", discordgo.WithContext(ctx)); err != nil {
			b.failed(ctx, "react to a rate-limited message", err, "channel", m.ChannelID)
		}
		return
	}
	b.replyTo(ctx, s, m, b.answer(ctx, withoutMention(m.Content, self.ID), !dm))
}

// withoutMention removes the mentions of the bot from a message's text.
func withoutMention(content, selfID string) string {
	return strings.NewReplacer("<@"+selfID+">", " ", "<@!"+selfID+">", " ").Replace(content)
}
