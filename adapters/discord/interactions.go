package discord

import (
	"context"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/smpbot/bot/knowledge"
)

// Slash command and option names.
const (
	cmdAsk       = "ask"
	cmdChecklist = "checklist"
	cmdTopics    = "topics"
	cmdHelp      = "help"
	optQuestion  = "question"
	optPrivate   = "private"
)

// maxChoices is the most autocomplete choices Discord shows; a choice's name
// and value hold at most maxChoiceLen characters.
const (
	maxChoices   = 25
	maxChoiceLen = 100
)

// commands are the slash commands the bot registers; moderation adds /kb.
func commands(moderation bool) []*discordgo.ApplicationCommand {
	contexts := &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
	install := &[]discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
	command := func(name, description string, options ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommand {
		return &discordgo.ApplicationCommand{
			Type:             discordgo.ChatApplicationCommand,
			Name:             name,
			Description:      description,
			Contexts:         contexts,
			IntegrationTypes: install,
			Options:          options,
		}
	}
	cmds := []*discordgo.ApplicationCommand{
		command(cmdAsk, "Ask a question about scalp micropigmentation (SMP) safety",
			&discordgo.ApplicationCommandOption{
				Type:         discordgo.ApplicationCommandOptionString,
				Name:         optQuestion,
				Description:  "Your question, in your own words",
				Required:     true,
				Autocomplete: true,
				MaxLength:    knowledge.MaxQuestionRunes,
			},
			&discordgo.ApplicationCommandOption{
				Type:        discordgo.ApplicationCommandOptionBoolean,
				Name:        optPrivate,
				Description: "Show the answer only to you",
			}),
		command(cmdChecklist, "Three things to check before choosing an SMP practitioner"),
		command(cmdTopics, "Everything I can explain about SMP safety"),
		command(cmdHelp, "How to use this bot"),
	}
	if moderation {
		cmds = append(cmds, kbCommand())
	}
	return cmds
}

// onInteraction answers slash commands, autocomplete, button presses and
// forms.
func (b *Bot) onInteraction(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction) {
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		b.onCommand(ctx, s, i)
	case discordgo.InteractionApplicationCommandAutocomplete:
		if b.cfg.Moderation != nil && i.ApplicationCommandData().Name == cmdKB {
			b.kbAutocomplete(ctx, s, i)
			return
		}
		b.onAutocomplete(ctx, s, i)
	case discordgo.InteractionMessageComponent:
		b.onComponent(ctx, s, i)
	case discordgo.InteractionModalSubmit:
		b.onModal(ctx, s, i)
	}
}

func (b *Bot) onCommand(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction) {
	data := i.ApplicationCommandData()
	switch data.Name {
	case cmdAsk:
		b.ask(ctx, s, i, data.Options)
	case cmdChecklist:
		b.respond(ctx, s, i, renderChecklist(b.svc.Checklist()), false, false)
	case cmdTopics:
		b.respond(ctx, s, i, renderTopics(b.svc.Topics()), false, false)
	case cmdHelp:
		b.respond(ctx, s, i, renderHelp(), true, false)
	case cmdKB:
		if b.cfg.Moderation == nil {
			b.respond(ctx, s, i, notice(unknownCmdText), true, false)
			return
		}
		b.onKB(ctx, s, i)
	default:
		b.respond(ctx, s, i, notice(unknownCmdText), true, false)
	}
}

// ask answers /ask: in short in a server's channel, in full in a direct
// message or when only the asker will see it. Searching can take longer
// than the 3 seconds Discord gives an interaction, so the response is
// deferred first.
func (b *Bot) ask(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, options []*discordgo.ApplicationCommandInteractionDataOption) {
	question, _ := option(options, optQuestion).(string)
	private, _ := option(options, optPrivate).(bool)
	if q, _ := knowledge.CleanQuestion(question); q == "" {
		b.respond(ctx, s, i, notice(emptyQuestionText), true, false)
		return
	}
	// Every interaction must be answered, so a refusal is always told.
	if v := b.admit(interactionUser(i)); !v.Admitted {
		b.respond(ctx, s, i, notice(v.Notice), true, false)
		return
	}
	var flags discordgo.MessageFlags
	if private {
		flags = discordgo.MessageFlagsEphemeral
	}
	err := b.interactionRespond(ctx, s, i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: flags},
	})
	if err != nil {
		b.failed(ctx, "defer /ask", err, "interaction", i.ID)
		return
	}
	b.respond(ctx, s, i, b.answer(ctx, question, i.GuildID != "" && !private), private, true)
}

// onAutocomplete suggests questions for /ask from the entry titles and
// alternate questions matching what the person has typed so far.
func (b *Bot) onAutocomplete(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction) {
	var typed string
	for _, o := range i.ApplicationCommandData().Options {
		if o.Focused {
			typed, _ = o.Value.(string)
		}
	}
	b.respondChoices(ctx, s, i, b.choices(typed))
}

// respondChoices answers an autocomplete request.
func (b *Bot) respondChoices(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, choices []*discordgo.ApplicationCommandOptionChoice) {
	err := b.interactionRespond(ctx, s, i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	})
	if err != nil {
		b.failed(ctx, "autocomplete", err, "interaction", i.ID)
	}
}

// choices are the autocomplete choices for what has been typed: the
// knowledge base's suggestions, or else the typed text itself, so that the
// list is never empty while there is something to ask.
func (b *Bot) choices(typed string) []*discordgo.ApplicationCommandOptionChoice {
	typed, _ = knowledge.CleanQuestion(typed)
	seen := map[string]bool{}
	var out []*discordgo.ApplicationCommandOptionChoice
	add := func(text string) {
		text = truncate(text, maxChoiceLen)
		if !seen[text] && len(out) < maxChoices {
			seen[text] = true
			out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: text, Value: text})
		}
	}
	for _, sg := range b.svc.Suggest(typed, maxChoices) {
		add(sg.Text)
	}
	if len(out) == 0 && typed != "" {
		add(typed)
	}
	return out
}

// onComponent handles the buttons and menus under answers. Custom ids come
// from the client and are checked like any other input.
func (b *Bot) onComponent(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction) {
	data := i.MessageComponentData()
	if b.cfg.Moderation != nil && strings.HasPrefix(data.CustomID, prefixKB) {
		b.onKBComponent(ctx, s, i, data)
		return
	}
	act, id, helpful := parseCustomID(data.CustomID, data.Values)
	switch act {
	case actionUnknown:
		b.respond(ctx, s, i, notice(unknownButtonText), true, false)
		return
	case actionTopics:
		b.respond(ctx, s, i, renderTopics(b.svc.Topics()), true, false)
		return
	}
	shown, ok := b.svc.Show(id)
	if !ok {
		b.respond(ctx, s, i, notice(escape(knowledge.StaleButtonNotice)), true, false)
		return
	}
	if v := b.admit(interactionUser(i)); !v.Admitted {
		b.respond(ctx, s, i, notice(v.Notice), true, false)
		return
	}
	switch act {
	case actionShow:
		b.respond(ctx, s, i, renderAnswer(shown, ""), true, false)
	case actionFull, actionFullUrgent:
		// For the asker alone, so the channel is not sent it twice; the
		// question goes along, for feedback on the full answer.
		shown.Urgent = act == actionFullUrgent
		b.respond(ctx, s, i, renderAnswer(shown, askedOn(i.Message)), true, false)
	case actionFeedback:
		reply := thanksHelpful
		if !helpful {
			reply = thanksUnhelpful
		}
		if err := b.svc.FeedbackOn(ctx, interactionUser(i), answerKey(i), id, askedOn(i.Message), helpful); err != nil {
			b.log.ErrorContext(ctx, "discord: record feedback", "err", err)
			reply = escape(knowledge.FailureNotice)
		}
		b.respond(ctx, s, i, notice(reply), true, false)
	}
}

// askedOn reads back the question an answer was given to from the author
// line renderAnswer put on m, the message whose button was pressed. It is
// the asker's own words, cut to fit, and is used only as text. An entry
// opened from a button has none.
func askedOn(m *discordgo.Message) string {
	if m == nil || len(m.Embeds) == 0 || m.Embeds[0] == nil || m.Embeds[0].Author == nil {
		return ""
	}
	q, ok := strings.CutPrefix(m.Embeds[0].Author.Name, askedPrefix)
	if !ok {
		return ""
	}
	q, _ = knowledge.CleanQuestion(q)
	return q
}

// option returns the value of the named option, or nil.
func option(options []*discordgo.ApplicationCommandInteractionDataOption, name string) any {
	for _, o := range options {
		if o != nil && o.Name == name {
			return o.Value
		}
	}
	return nil
}

// interactionUser returns the id of the person who caused an interaction:
// guild interactions carry a member, direct messages a user.
func interactionUser(i *discordgo.Interaction) string {
	switch {
	case i.Member != nil && i.Member.User != nil:
		return i.Member.User.ID
	case i.User != nil:
		return i.User.ID
	}
	return ""
}

// answerKey tells apart the answers a button was pressed under: the id of
// the message that carries it.
func answerKey(i *discordgo.Interaction) string {
	if i.Message == nil {
		return ""
	}
	return i.Message.ID
}
