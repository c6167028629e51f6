package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// Sent is a message, interaction response or modal as the server received
// it.
type Sent struct {
	// ID is the message's id (Call.ID): a press under it carries it.
	ID              string                                      `json:"-"`
	Type            discordgo.InteractionResponseType           `json:"type"` // interaction callbacks only
	Content         string                                      `json:"content"`
	Embeds          []*discordgo.MessageEmbed                   `json:"embeds"`
	Flags           discordgo.MessageFlags                      `json:"flags"`
	Choices         []*discordgo.ApplicationCommandOptionChoice `json:"choices"`   // autocomplete only
	CustomID        string                                      `json:"custom_id"` // modals only
	Title           string                                      `json:"title"`     // modals only
	AllowedMentions *struct {
		Parse       []string `json:"parse"`
		Users       []string `json:"users"`
		Roles       []string `json:"roles"`
		RepliedUser bool     `json:"replied_user"`
	} `json:"allowed_mentions"`
	Reference *struct {
		MessageID string `json:"message_id"`
	} `json:"message_reference"`
	Components []struct {
		Components []Component `json:"components"`
	} `json:"components"`
}

// Component is a button, menu or text input of a Sent.
type Component struct {
	CustomID string `json:"custom_id"`
	Label    string `json:"label"`
	// Value is a text input's prefilled text.
	Value   string `json:"value"`
	Options []struct {
		Label string `json:"label"`
		Value string `json:"value"`
	} `json:"options"`
}

// Decode reads a call's body; interaction callbacks nest it in data.
func Decode(t testing.TB, c Call) Sent {
	t.Helper()
	var s Sent
	if strings.HasSuffix(c.Path, "/callback") {
		var cb struct {
			Type discordgo.InteractionResponseType `json:"type"`
			Data json.RawMessage                   `json:"data"`
		}
		if err := json.Unmarshal(c.Body, &cb); err != nil {
			t.Fatalf("decode %s %s: %v", c.Method, c.Path, err)
		}
		if len(cb.Data) > 0 {
			if err := json.Unmarshal(cb.Data, &s); err != nil {
				t.Fatalf("decode %s %s: %v", c.Method, c.Path, err)
			}
		}
		s.Type, s.ID = cb.Type, c.ID
		return s
	}
	if err := json.Unmarshal(c.Body, &s); err != nil {
		t.Fatalf("decode %s %s: %v", c.Method, c.Path, err)
	}
	s.ID = c.ID
	return s
}

// All lists the message's components, row after row.
func (s Sent) All() []Component {
	var out []Component
	for _, row := range s.Components {
		out = append(out, row.Components...)
	}
	return out
}

// CustomIDs lists the custom ids of the message's components.
func (s Sent) CustomIDs() []string {
	var ids []string
	for _, c := range s.All() {
		ids = append(ids, c.CustomID)
	}
	return ids
}

// Fields returns a modal's prefilled text inputs, by custom id.
func (s Sent) Fields() map[string]string {
	m := map[string]string{}
	for _, c := range s.All() {
		m[c.CustomID] = c.Value
	}
	return m
}

// Text joins everything a person reads in the message.
func (s Sent) Text() string {
	var b bytes.Buffer
	b.WriteString(s.Content)
	for _, e := range s.Embeds {
		fmt.Fprintf(&b, "\n%s\n%s", e.Title, e.Description)
		for _, f := range e.Fields {
			fmt.Fprintf(&b, "\n%s\n%s", f.Name, f.Value)
		}
		if e.Footer != nil {
			fmt.Fprintf(&b, "\n%s", e.Footer.Text)
		}
	}
	return b.String()
}

// Ephemeral reports whether only the person who caused the interaction
// sees the message.
func (s Sent) Ephemeral() bool { return s.Flags&discordgo.MessageFlagsEphemeral != 0 }

// MentionsNobody reports whether the message lets no one be pinged.
func (s Sent) MentionsNobody() bool {
	am := s.AllowedMentions
	return am != nil && len(am.Parse) == 0 && len(am.Users) == 0 && len(am.Roles) == 0 && !am.RepliedUser
}

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }
