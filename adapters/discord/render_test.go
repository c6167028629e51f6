package discord

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/smpbot/bot/knowledge"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestRenderGolden(t *testing.T) {
	base := testBase(t)
	entry := func(id string) *knowledge.Entry {
		t.Helper()
		e, ok := base.Entry(id)
		if !ok {
			t.Fatalf("test knowledge base has no entry %q", id)
		}
		return e
	}
	steps := base.Checklist(knowledge.PractitionerChecklist)
	tests := []struct {
		name string
		msgs []message
	}{
		{"answer-checklist-step", renderAnswer(&knowledge.Answer{
			Question:  "how do i check smp training",
			Answered:  true,
			Matches:   []knowledge.Match{{Entry: entry("checklist-training")}},
			Checklist: steps,
			Related:   []*knowledge.Entry{entry("pigment-depth"), entry("what-is-smp")},
			Sources:   entry("checklist-training").Sources,
		}, "how do i check smp training")},
		{"answer-markdown-sources", renderAnswer(&knowledge.Answer{
			Answered: true,
			Matches:  []knowledge.Match{{Entry: entry("pigment-depth")}, {Entry: entry("what-is-smp")}},
			Related:  []*knowledge.Entry{entry("what-is-smp")},
			Sources:  entry("pigment-depth").Sources,
		}, "")},
		{"answer-urgent-truncated", renderAnswer(&knowledge.Answer{
			Truncated: true,
			Answered:  true,
			Urgent:    true,
			Matches:   []knowledge.Match{{Entry: entry("infection-signs")}},
		}, "")},
		{"short-checklist-step", renderShort(&knowledge.Answer{
			Question:  "how do i check smp training",
			Answered:  true,
			Matches:   []knowledge.Match{{Entry: entry("checklist-training")}},
			Checklist: steps,
			Related:   []*knowledge.Entry{entry("pigment-depth"), entry("what-is-smp")},
			Sources:   entry("checklist-training").Sources,
		}, "how do i check smp training")},
		{"short-urgent-truncated", renderShort(&knowledge.Answer{
			Truncated: true,
			Answered:  true,
			Urgent:    true,
			Matches:   []knowledge.Match{{Entry: entry("infection-signs")}},
		}, "my scalp is swollen")},
		{"not-covered-closest", renderAnswer(&knowledge.Answer{
			Matches: []knowledge.Match{{Entry: entry("pigment-depth")}, {Entry: entry("what-is-smp")}},
		}, "does <@123> **bold** [x](https://evil) pigment fade")},
		{"not-covered-nothing", renderAnswer(&knowledge.Answer{}, "")},
		{"answer-long", renderAnswer(show(t, testService(t, nil), "aftercare-encyclopedia"), "")},
		{"checklist", renderChecklist(steps)},
		{"checklist-missing", renderChecklist(nil)},
		{"topics", renderTopics(base.Entries())},
		{"help", renderHelp()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkLimits(t, tt.msgs)
			got, err := json.MarshalIndent(tt.msgs, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("rendered %s differs from %s (run go test -update and review the diff):\n%s", tt.name, path, got)
			}
		})
	}
}

// TestRenderShape checks what a person must see, independently of the golden
// files' exact layout.
func TestRenderShape(t *testing.T) {
	base := testBase(t)
	depth, _ := base.Entry("pigment-depth")
	infection, _ := base.Entry("infection-signs")
	long, _ := base.Entry("aftercare-encyclopedia")
	steps := base.Checklist(knowledge.PractitionerChecklist)

	t.Run("urgent notice comes first", func(t *testing.T) {
		msgs := renderAnswer(&knowledge.Answer{Answered: true, Urgent: true, Matches: []knowledge.Match{{Entry: infection}}}, "")
		if got := msgs[0].Embeds[0].Description; got != knowledge.UrgentNotice {
			t.Errorf("first embed = %q, want the urgent notice", got)
		}
	})
	t.Run("truncated question is said so", func(t *testing.T) {
		msgs := renderAnswer(&knowledge.Answer{Answered: true, Truncated: true, Matches: []knowledge.Match{{Entry: depth}}}, "")
		if got := msgs[0].Content; !strings.Contains(got, fmt.Sprint(knowledge.MaxQuestionRunes)) {
			t.Errorf("content = %q, want a note that only %d characters were read", got, knowledge.MaxQuestionRunes)
		}
	})
	t.Run("not covered offers the closest topics", func(t *testing.T) {
		msgs := renderAnswer(&knowledge.Answer{Matches: []knowledge.Match{{Entry: depth}}}, "")
		if got := msgs[0].Embeds[0].Description; !strings.HasPrefix(got, knowledge.NotCovered) {
			t.Errorf("description = %q, want it to start with %q", got, knowledge.NotCovered)
		}
		if got, want := customIDs(msgs), []string{showID("pigment-depth"), topicsID}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("buttons = %v, want %v", got, want)
		}
	})
	t.Run("declined says who can help", func(t *testing.T) {
		transplants := &knowledge.Entry{ID: "not-transplants", Title: "Hair transplants", Kind: knowledge.OutOfScope,
			Body: "For transplants, ask a **hair-restoration surgeon**."}
		msgs := renderAnswer(&knowledge.Answer{Declined: transplants, Matches: []knowledge.Match{{Entry: depth}}}, "")
		got := msgs[0].Embeds[0].Description
		if !strings.HasPrefix(got, "For transplants, ask a **hair-restoration surgeon**.") || strings.Contains(got, knowledge.NotCovered) {
			t.Errorf("description = %q, want the out-of-scope topic's word on who can help", got)
		}
		if got, want := customIDs(msgs), []string{showID("pigment-depth"), topicsID}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("buttons = %v, want %v (no button for the out-of-scope topic)", got, want)
		}
	})
	t.Run("answer has checklist, related and feedback buttons, disclaimer", func(t *testing.T) {
		msgs := renderAnswer(&knowledge.Answer{Answered: true, Matches: []knowledge.Match{{Entry: steps[1]}}, Checklist: steps, Related: []*knowledge.Entry{depth}}, "")
		e := msgs[0].Embeds[0]
		if len(e.Fields) == 0 || !strings.Contains(e.Fields[0].Value, "1. Check their SMP training") || !strings.Contains(e.Fields[0].Value, "2. **Check their reputation") {
			t.Errorf("checklist field = %+v, want numbered steps with step 2 marked", e.Fields)
		}
		want := []string{showID("pigment-depth"), feedbackID("checklist-reputation", true), feedbackID("checklist-reputation", false)}
		if got := customIDs(msgs); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("buttons = %v, want %v", got, want)
		}
		if got := e.Footer; got == nil || got.Text != knowledge.Disclaimer {
			t.Errorf("footer = %+v, want the disclaimer", got)
		}
	})
	t.Run("long answer keeps all its text", func(t *testing.T) {
		msgs := renderAnswer(&knowledge.Answer{Answered: true, Matches: []knowledge.Match{{Entry: long}}, Sources: long.Sources}, "")
		if len(msgs) < 2 {
			t.Fatalf("a %d-character answer fits in %d message, want it split", len(long.Body), len(msgs))
		}
		var text strings.Builder
		for _, m := range msgs {
			for _, e := range m.Embeds {
				text.WriteString(e.Description)
				for _, f := range e.Fields {
					text.WriteString(f.Value)
				}
			}
		}
		for _, want := range []string{"**Part 1.**", "**Part 60.**", "Aftercare source number 30"} {
			if !strings.Contains(text.String(), want) {
				t.Errorf("split answer lost %q", want)
			}
		}
		if got := msgs[len(msgs)-1].Components; len(got) == 0 {
			t.Errorf("last message has no buttons, want the feedback row")
		}
	})
	t.Run("question on the first message and the one with the buttons", func(t *testing.T) {
		tests := []struct {
			name, question, want string
		}{
			{"short", "what about aftercare?", askedPrefix + "what about aftercare?"},
			{"markup", "<@123> @everyone **x**", askedPrefix + "<@123> @everyone **x**"},
			{"long", strings.Repeat("a", knowledge.MaxQuestionRunes), askedPrefix + strings.Repeat("a", maxAuthorName-size(askedPrefix)-1) + "…"},
		}
		for _, tt := range tests {
			msgs := renderAnswer(&knowledge.Answer{Answered: true, Matches: []knowledge.Match{{Entry: long}}, Sources: long.Sources}, tt.question)
			checkLimits(t, msgs)
			for i, m := range msgs {
				var got string
				if a := m.Embeds[0].Author; a != nil {
					got = a.Name
				}
				want := ""
				if i == 0 || i == len(msgs)-1 {
					want = tt.want
				}
				if got != want {
					t.Errorf("%s: message %d of %d: author %q, want %q", tt.name, i+1, len(msgs), got, want)
				}
			}
			if got := askedOn(&discordgo.Message{Embeds: msgs[len(msgs)-1].Embeds}); got != strings.TrimPrefix(tt.want, askedPrefix) {
				t.Errorf("%s: askedOn(the message with the buttons) = %q, want %q", tt.name, got, strings.TrimPrefix(tt.want, askedPrefix))
			}
		}
	})
	t.Run("no question on an entry opened from a button", func(t *testing.T) {
		for i, m := range renderAnswer(&knowledge.Answer{Answered: true, Matches: []knowledge.Match{{Entry: depth}}}, "") {
			for j, e := range m.Embeds {
				if e.Author != nil {
					t.Errorf("message %d embed %d: author %q, want none", i+1, j+1, e.Author.Name)
				}
			}
		}
	})
}

func TestAskedOn(t *testing.T) {
	embeds := func(author string) []*discordgo.MessageEmbed {
		return []*discordgo.MessageEmbed{{Author: &discordgo.MessageEmbedAuthor{Name: author}, Description: "answer"}}
	}
	tests := []struct {
		name string
		msg  *discordgo.Message
		want string
	}{
		{"no message", nil, ""},
		{"no embeds", &discordgo.Message{}, ""},
		{"nil embed", &discordgo.Message{Embeds: []*discordgo.MessageEmbed{nil}}, ""},
		{"no author", &discordgo.Message{Embeds: []*discordgo.MessageEmbed{{Title: "t"}}}, ""},
		{"other author", &discordgo.Message{Embeds: embeds("Someone")}, ""},
		{"question", &discordgo.Message{Embeds: embeds(askedPrefix + " how   deep\n ")}, "how deep"},
		{"control characters", &discordgo.Message{Embeds: embeds(askedPrefix + "a\x00\tb")}, "a b"},
		{"empty question", &discordgo.Message{Embeds: embeds(askedPrefix)}, ""},
	}
	for _, tt := range tests {
		if got := askedOn(tt.msg); got != tt.want {
			t.Errorf("%s: askedOn = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestRenderLimits feeds extreme content and checks every Discord limit.
func TestRenderLimits(t *testing.T) {
	huge := &knowledge.Entry{ID: "huge", Title: strings.Repeat("T", knowledge.MaxTitleRunes), Body: strings.Repeat("word ", 6000) + strings.Repeat("x", 5000)}
	var sources []knowledge.Source
	var many []*knowledge.Entry
	for i := range 200 {
		sources = append(sources, knowledge.Source{Title: strings.Repeat("s", 100), URL: fmt.Sprintf("https://example.com/%d/%s", i, strings.Repeat("p", 150))})
		many = append(many, &knowledge.Entry{ID: fmt.Sprintf("topic-%d", i), Title: strings.Repeat("é", 120), Kind: knowledge.Checklist, Step: i + 1, Checklist: "long-list"})
	}
	tests := []struct {
		name string
		msgs []message
	}{
		{"huge answer", renderAnswer(&knowledge.Answer{Answered: true, Truncated: true, Urgent: true, Matches: []knowledge.Match{{Entry: huge}}, Checklist: many, Related: many[:3], Sources: sources}, strings.Repeat("é", knowledge.MaxQuestionRunes))},
		{"many closest topics", renderAnswer(&knowledge.Answer{Matches: []knowledge.Match{{Entry: huge}, {Entry: huge}, {Entry: huge}}}, "")},
		{"many topics", renderTopics(many)},
		{"long checklist", renderChecklist(many)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkLimits(t, tt.msgs)
		})
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		text  string
		limit int
		want  []string
	}{
		{"short", 10, []string{"short"}},
		{"", 10, []string{""}},
		{"aaaa bbbb\n\ncccc dddd", 12, []string{"aaaa bbbb", "cccc dddd"}},
		{"aaaa\nbbbb cccc", 10, []string{"aaaa\nbbbb", "cccc"}},
		{"aaaa bbbb cccc", 10, []string{"aaaa bbbb", "cccc"}},
		{"abcdefghijkl", 5, []string{"abcde", "fghij", "kl"}},
		{"ééééééé", 3, []string{"ééé", "ééé", "é"}},
	}
	for _, tt := range tests {
		got := split(tt.text, tt.limit)
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) {
			t.Errorf("split(%q, %d) = %q, want %q", tt.text, tt.limit, got, tt.want)
		}
	}
}

// maxFooter is Discord's limit on an embed's footer. The renderer's footer
// is always the disclaimer, so only the tests need it.
const maxFooter = 2048

// checkLimits fails the test if any message breaks one of Discord's limits.
func checkLimits(t *testing.T, msgs []message) {
	t.Helper()
	if len(msgs) == 0 {
		t.Fatal("no messages")
	}
	for i, m := range msgs {
		if m.Content == "" && len(m.Embeds) == 0 {
			t.Errorf("message %d is empty", i)
		}
		if n := size(m.Content); n > maxContent {
			t.Errorf("message %d: content has %d characters, limit %d", i, n, maxContent)
		}
		if len(m.Embeds) > maxEmbeds {
			t.Errorf("message %d: %d embeds, limit %d", i, len(m.Embeds), maxEmbeds)
		}
		total := 0
		for j, e := range m.Embeds {
			total += embedSize(e)
			if n := size(e.Title); n > maxTitle {
				t.Errorf("message %d embed %d: title has %d characters, limit %d", i, j, n, maxTitle)
			}
			if n := size(e.Description); n > maxDescription {
				t.Errorf("message %d embed %d: description has %d characters, limit %d", i, j, n, maxDescription)
			}
			if e.Author != nil && size(e.Author.Name) > maxAuthorName {
				t.Errorf("message %d embed %d: author has %d characters, limit %d", i, j, size(e.Author.Name), maxAuthorName)
			}
			if e.Footer != nil && size(e.Footer.Text) > maxFooter {
				t.Errorf("message %d embed %d: footer has %d characters, limit %d", i, j, size(e.Footer.Text), maxFooter)
			}
			if len(e.Fields) > maxFields {
				t.Errorf("message %d embed %d: %d fields, limit %d", i, j, len(e.Fields), maxFields)
			}
			for k, f := range e.Fields {
				if n := size(f.Name); n > maxFieldName || n == 0 {
					t.Errorf("message %d embed %d field %d: name has %d characters, want 1 to %d", i, j, k, n, maxFieldName)
				}
				if n := size(f.Value); n > maxFieldValue || n == 0 {
					t.Errorf("message %d embed %d field %d: value has %d characters, want 1 to %d", i, j, k, n, maxFieldValue)
				}
			}
		}
		if total > maxEmbedChars {
			t.Errorf("message %d: embeds hold %d characters, limit %d", i, total, maxEmbedChars)
		}
		if last := m.Embeds; len(last) > 0 && (last[len(last)-1].Footer == nil || last[len(last)-1].Footer.Text != knowledge.Disclaimer) {
			t.Errorf("message %d: last embed has no disclaimer footer", i)
		}
		if len(m.Components) > maxRows {
			t.Errorf("message %d: %d component rows, limit %d", i, len(m.Components), maxRows)
		}
		for _, id := range customIDs([]message{m}) {
			if len(id) > 100 {
				t.Errorf("message %d: custom id %q is over 100 characters", i, id)
			}
		}
		for _, row := range m.Components {
			r := row.(discordgo.ActionsRow)
			if len(r.Components) > maxRowButtons {
				t.Errorf("message %d: a row holds %d components, limit %d", i, len(r.Components), maxRowButtons)
			}
			for _, c := range r.Components {
				switch c := c.(type) {
				case discordgo.Button:
					if n := size(c.Label); n > maxButtonLabel {
						t.Errorf("message %d: button label has %d characters, limit %d", i, n, maxButtonLabel)
					}
				case discordgo.SelectMenu:
					if len(c.Options) > maxMenuOptions {
						t.Errorf("message %d: menu has %d options, limit %d", i, len(c.Options), maxMenuOptions)
					}
				}
			}
		}
	}
	for i, m := range msgs[:len(msgs)-1] {
		if len(m.Components) > 0 {
			t.Errorf("message %d of %d has components, want them only under the last", i, len(msgs))
		}
	}
}

// customIDs lists the custom ids of the components of msgs, in order.
func customIDs(msgs []message) []string {
	var ids []string
	for _, m := range msgs {
		for _, row := range m.Components {
			for _, c := range row.(discordgo.ActionsRow).Components {
				switch c := c.(type) {
				case discordgo.Button:
					ids = append(ids, c.CustomID)
				case discordgo.SelectMenu:
					ids = append(ids, c.CustomID)
				}
			}
		}
	}
	return ids
}

// show returns the answer that presents entry id.
func show(t *testing.T, svc *knowledge.Service, id string) *knowledge.Answer {
	t.Helper()
	a, ok := svc.Show(id)
	if !ok {
		t.Fatalf("Show(%q): no such entry", id)
	}
	return a
}
