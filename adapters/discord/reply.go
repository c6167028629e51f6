package discord

import (
	"context"
	"errors"

	"github.com/bwmarrin/discordgo"

	"github.com/smpbot/bot/knowledge"
)

// emptyQuestionText asks for a question, in Discord's look.
const emptyQuestionText = knowledge.AskNotice + " *" + knowledge.AskExample + "*"

// Sentences the bot says about itself rather than from the knowledge base.
const (
	unknownButtonText = "Sorry, I don't recognise that button. Try /topics, or ask with /ask."
	unknownCmdText    = "Sorry, I don't know that command any more. Try /help."
	thanksHelpful     = "Thanks for the feedback! 👍"
	thanksUnhelpful   = "Thanks for telling us. We use this to improve the answers; you can also try asking in other words with /ask."
)

// answer renders the reply to a question: in short for a channel, where a
// whole entry is noise, else in full.
func (b *Bot) answer(ctx context.Context, question string, short bool) []message {
	a, err := b.svc.Answer(ctx, question)
	switch {
	case errors.Is(err, knowledge.ErrEmptyQuestion):
		return notice(emptyQuestionText)
	case errors.Is(err, knowledge.ErrBusy):
		b.metrics.RateLimited(platform)
	case err != nil:
		b.log.ErrorContext(ctx, "discord: answer", "err", err)
	}
	if err != nil {
		return notice(escape(knowledge.AnswerFailure(err)))
	}
	if short {
		return renderShort(a, a.Question)
	}
	return renderAnswer(a, a.Question)
}

// noMentions lets a message ping no one, whatever its text holds.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// replyTo sends msgs to the channel of m, the first as a reply to m.
func (b *Bot) replyTo(ctx context.Context, s *discordgo.Session, m *discordgo.Message, msgs []message) {
	keep := false
	for i, msg := range msgs {
		send := &discordgo.MessageSend{
			Content:         msg.Content,
			Embeds:          msg.Embeds,
			Components:      msg.Components,
			AllowedMentions: noMentions(),
		}
		if i == 0 {
			send.Reference = &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID, FailIfNotExists: &keep}
		}
		if _, err := s.ChannelMessageSendComplex(m.ChannelID, send, discordgo.WithContext(ctx)); err != nil {
			b.failed(ctx, "send message", err, "channel", m.ChannelID)
			return
		}
	}
}

// respond answers an interaction with msgs: the first as the response (or,
// when deferred, as the edit of the deferred response), the rest as
// follow-ups.
func (b *Bot) respond(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, msgs []message, ephemeral, deferred bool) {
	var flags discordgo.MessageFlags
	if ephemeral {
		flags = discordgo.MessageFlagsEphemeral
	}
	first := msgs[0]
	var err error
	if deferred {
		edit := &discordgo.WebhookEdit{Content: &first.Content, AllowedMentions: noMentions()}
		if first.Embeds != nil {
			edit.Embeds = &first.Embeds
		}
		if first.Components != nil {
			edit.Components = &first.Components
		}
		_, err = s.InteractionResponseEdit(i, edit, discordgo.WithContext(ctx))
	} else {
		err = b.interactionRespond(ctx, s, i, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{
				Content:         first.Content,
				Embeds:          first.Embeds,
				Components:      first.Components,
				AllowedMentions: noMentions(),
				Flags:           flags,
			},
		})
	}
	for _, msg := range msgs[1:] {
		if err != nil {
			break
		}
		_, err = s.FollowupMessageCreate(i, false, &discordgo.WebhookParams{
			Content:         msg.Content,
			Embeds:          msg.Embeds,
			Components:      msg.Components,
			AllowedMentions: noMentions(),
			Flags:           flags,
		}, discordgo.WithContext(ctx))
	}
	if err != nil {
		b.failed(ctx, "respond to interaction", err, "interaction", i.ID)
	}
}

// admit decides whether a user may ask now, counting a refusal.
func (b *Bot) admit(userID string) knowledge.Verdict {
	v := b.asks.Admit(knowledge.Arrival{User: platform + ":" + userID, Limited: true})
	if !v.Admitted {
		b.metrics.RateLimited(platform)
	}
	return v
}

// failed logs and counts a failed call to Discord; attrs say what it was
// about.
func (b *Bot) failed(ctx context.Context, what string, err error, attrs ...any) {
	b.metrics.AdapterError(platform)
	b.log.ErrorContext(ctx, "discord: "+what, append(attrs, "err", err)...)
}
