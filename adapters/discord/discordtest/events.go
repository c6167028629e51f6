package discordtest

import (
	"testing"

	"github.com/bwmarrin/discordgo"
)

// ChannelID is the channel interactions come from.
const ChannelID = "100000000000000010"

// Member is who causes an interaction.
type Member struct {
	ID, Username string
	// GuildID is the server the interaction happens in; empty for a direct
	// message, which carries a user instead of a member.
	GuildID string
	// Roles are the ids of the member's roles, and Permissions the member's
	// permissions in the channel, as Discord computes them.
	Roles       []string
	Permissions int64
}

// Message dispatches a MESSAGE_CREATE of m, with a fresh id and, unless m
// sets one, the default type. It returns the message's id.
func (s *Server) Message(t testing.TB, m map[string]any) string {
	t.Helper()
	id := s.NewID()
	m["id"] = id
	if _, ok := m["type"]; !ok {
		m["type"] = discordgo.MessageTypeDefault
	}
	s.Dispatch(t, "MESSAGE_CREATE", m)
	return id
}

// Interact dispatches an INTERACTION_CREATE of type typ from m with data,
// and returns the interaction's id. Its token is Token(id).
func (s *Server) Interact(t testing.TB, m Member, typ discordgo.InteractionType, data map[string]any) string {
	t.Helper()
	return s.interact(t, m, typ, data, nil)
}

// interact dispatches an interaction, on message when it is not nil.
func (s *Server) interact(t testing.TB, m Member, typ discordgo.InteractionType, data, message map[string]any) string {
	t.Helper()
	id, i := s.interaction(m, typ, data, message)
	s.Dispatch(t, "INTERACTION_CREATE", i)
	return id
}

// interaction builds an interaction with a fresh id, on message when it
// is not nil.
func (s *Server) interaction(m Member, typ discordgo.InteractionType, data, message map[string]any) (string, map[string]any) {
	id := s.NewID()
	user := map[string]any{"id": m.ID, "username": m.Username}
	i := map[string]any{
		"id": id, "application_id": s.AppID, "type": typ, "token": Token(id), "version": 1,
		"channel_id": ChannelID, "data": data,
	}
	if m.GuildID == "" {
		i["user"] = user
	} else {
		roles := m.Roles
		if roles == nil {
			roles = []string{}
		}
		i["guild_id"] = m.GuildID
		i["member"] = map[string]any{"user": user, "roles": roles, "permissions": formatInt(m.Permissions)}
	}
	if message != nil {
		i["message"] = message
	}
	return id, i
}

// Command dispatches a slash command with options (see Option and
// Subcommand).
func (s *Server) Command(t testing.TB, m Member, name string, options ...map[string]any) string {
	t.Helper()
	return s.Interact(t, m, discordgo.InteractionApplicationCommand, commandData(name, options))
}

// Autocomplete dispatches an autocomplete request for a command; one of the
// options is Focused.
func (s *Server) Autocomplete(t testing.TB, m Member, name string, options ...map[string]any) string {
	t.Helper()
	return s.Interact(t, m, discordgo.InteractionApplicationCommandAutocomplete, commandData(name, options))
}

// Component dispatches a button press (no values) or a menu choice.
func (s *Server) Component(t testing.TB, m Member, customID string, values ...string) string {
	t.Helper()
	return s.interact(t, m, discordgo.InteractionMessageComponent, componentData(customID, values), nil)
}

// Press dispatches a button press (no values) or a menu choice under on, a
// message the bot sent. Like Discord, the interaction carries the message:
// here its content, embeds and flags, as the bot sent them.
func (s *Server) Press(t testing.TB, m Member, on Sent, customID string, values ...string) string {
	t.Helper()
	id := on.ID
	if id == "" {
		id = s.NewID()
	}
	message := map[string]any{
		"id": id, "channel_id": ChannelID, "type": discordgo.MessageTypeDefault, "author": s.BotUser(),
		"content": on.Content, "embeds": on.Embeds, "flags": on.Flags,
	}
	return s.interact(t, m, discordgo.InteractionMessageComponent, componentData(customID, values), message)
}

func componentData(customID string, values []string) map[string]any {
	data := map[string]any{"custom_id": customID, "component_type": discordgo.ButtonComponent}
	if values != nil {
		data["component_type"], data["values"] = discordgo.SelectMenuComponent, values
	}
	return data
}

// ModalSubmit dispatches the submission of a modal with the values of its
// text inputs, by custom id, one text input per row.
func (s *Server) ModalSubmit(t testing.TB, m Member, customID string, fields map[string]string) string {
	t.Helper()
	return s.Interact(t, m, discordgo.InteractionModalSubmit, modalData(customID, fields))
}

// modalData is the data of a modal's submission, one text input per row.
func modalData(customID string, fields map[string]string) map[string]any {
	var rows []any
	for id, v := range fields {
		rows = append(rows, map[string]any{"type": discordgo.ActionsRowComponent, "components": []any{
			map[string]any{"type": discordgo.TextInputComponent, "custom_id": id, "value": v},
		}})
	}
	return map[string]any{"custom_id": customID, "components": rows}
}

// Option is a command option with a value: a string, number or boolean.
func Option(name string, value any) map[string]any {
	typ := discordgo.ApplicationCommandOptionString
	switch value.(type) {
	case bool:
		typ = discordgo.ApplicationCommandOptionBoolean
	case int, int64, float64:
		typ = discordgo.ApplicationCommandOptionInteger
	}
	return map[string]any{"name": name, "type": typ, "value": value}
}

// Focused is an option being typed, for Autocomplete.
func Focused(name, value string) map[string]any {
	o := Option(name, value)
	o["focused"] = true
	return o
}

// Subcommand is a subcommand option holding options.
func Subcommand(name string, options ...map[string]any) map[string]any {
	return map[string]any{"name": name, "type": discordgo.ApplicationCommandOptionSubCommand, "options": anys(options)}
}

func commandData(name string, options []map[string]any) map[string]any {
	return map[string]any{"id": "1", "name": name, "type": discordgo.ChatApplicationCommand, "options": anys(options)}
}

func anys(options []map[string]any) []any {
	out := make([]any, len(options))
	for i, o := range options {
		out[i] = o
	}
	return out
}
