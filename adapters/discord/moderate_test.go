package discord

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/smpbot/bot/adapters/discord/discordtest"
	"github.com/smpbot/bot/knowledge"
)

const (
	modRole   = "100000000000000040"
	otherRole = "100000000000000041"
)

// startModerated runs a Bot with moderation of a new knowledge base.
func startModerated(t testing.TB) (*harness, *testKB) {
	t.Helper()
	st := newTestKB(t)
	h := newModeratedHarness(t, st, func(cfg *Config) { cfg.ModeratorRoles = []string{modRole} })
	// Events in order, so that once the reply to a later one is in, the
	// bot is done with the earlier one (see reply).
	h.bot.session.SyncEvents = true
	h.run(t)
	return h, st
}

// moderator is a member holding the moderator role.
func (h *harness) moderator() discordtest.Member {
	return discordtest.Member{ID: h.d.NewID(), Username: "mod", GuildID: testGuild, Roles: []string{modRole}}
}

// kb runs /kb sub as m and returns the whole reply.
func (h *harness) kb(t testing.TB, m discordtest.Member, sub string, options ...map[string]any) string {
	t.Helper()
	return h.reply(t, h.d.Command(t, m, cmdKB, discordtest.Subcommand(sub, options...)))
}

// reply waits for the reply to a moderation interaction: refused at once,
// or deferred, then edited and followed up; every part private and pinging
// no one. It returns the text of all the parts. Events are handled in order,
// so the follow-ups are all in once a later /help is answered.
func (h *harness) reply(t testing.TB, id string) string {
	t.Helper()
	cb := h.d.Callback(t, id)
	if !cb.Ephemeral() {
		t.Errorf("moderation reply %+v is not ephemeral", cb)
	}
	if cb.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		checkNoMentions(t, cb)
		return cb.Text()
	}
	edit := h.d.Edit(t, id)
	checkNoMentions(t, edit)
	text := edit.Text()
	h.d.Callback(t, h.interact(t, discordgo.InteractionApplicationCommand, map[string]any{"id": "1", "name": cmdHelp, "type": 1}))
	for _, f := range discordtest.Matching(h.d.Calls(), "POST", discordtest.WebhookPath(h.d.AppID, id)) {
		s := discordtest.Decode(t, f)
		checkNoMentions(t, s)
		text += "\n" + s.Text()
	}
	return text
}

// source returns an entry's text and revision.
func source(t testing.TB, st *testKB, id string) (string, int64) {
	t.Helper()
	text, rev, err := st.Text(t.Context(), id)
	if err != nil && !errors.Is(err, knowledge.ErrNotFound) {
		t.Fatalf("Text(%q): %v", id, err)
	}
	return text, rev
}

// eventually polls cond until it is true.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(discordtest.WaitTimeout); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestModerationRegistersKB(t *testing.T) {
	t.Parallel()
	h, _ := startModerated(t)
	got := string(h.d.WaitCall(t, "PUT", commandsPath(h.d.AppID, testGuild)).Body)
	for _, want := range []string{`"name":"kb"`, `"default_member_permissions":"32"`, `"name":"gaps"`, `"name":"synonyms"`} {
		if !strings.Contains(got, want) {
			t.Errorf("registered commands lack %s", want)
		}
	}
	plain := start(t, nil)
	if got := string(plain.d.WaitCall(t, "PUT", commandsPath(plain.d.AppID, testGuild)).Body); strings.Contains(got, `"name":"kb"`) {
		t.Errorf("without a store, /kb is registered: %s", got)
	}
}

func TestModerationPermissions(t *testing.T) {
	t.Parallel()
	h, st := startModerated(t)
	tests := []struct {
		name   string
		member discordtest.Member
		allow  bool
	}{
		{"moderator role", discordtest.Member{Roles: []string{otherRole, modRole}, GuildID: testGuild}, true},
		{"manage server", discordtest.Member{Permissions: discordgo.PermissionManageGuild, GuildID: testGuild}, true},
		{"administrator", discordtest.Member{Permissions: discordgo.PermissionAdministrator, GuildID: testGuild}, true},
		{"plain member", discordtest.Member{Roles: []string{otherRole}, Permissions: discordgo.PermissionSendMessages, GuildID: testGuild}, false},
		{"manage server of another server", discordtest.Member{Permissions: discordgo.PermissionManageGuild, GuildID: "100000000000000099"}, false},
		{"direct message", discordtest.Member{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.member
			m.ID, m.Username = h.d.NewID(), "member"
			question := "permission check " + tt.name
			_, before := source(t, st, "what-is-smp")
			got := h.kb(t, m, subQuestion, discordtest.Option(optID, "what-is-smp"), discordtest.Option(optText, question))
			text, after := source(t, st, "what-is-smp")
			if tt.allow {
				if !strings.Contains(got, "Saved") || !strings.Contains(text, question) {
					t.Errorf("%s: reply %q, entry has the question: %v; want it saved", tt.name, got, strings.Contains(text, question))
				}
				return
			}
			if got != knowledge.NotModeratorNotice || after != before {
				t.Errorf("%s: reply %q, revision %d → %d; want the refusal and no change", tt.name, got, before, after)
			}
			if !strings.Contains(h.logs.String(), "user_id="+m.ID) {
				t.Errorf("%s: refused attempt not logged", tt.name)
			}
		})
	}
	t.Run("role removed mid-session", func(t *testing.T) {
		m := h.moderator()
		if got := h.kb(t, m, subSource, discordtest.Option(optID, "what-is-smp")); !strings.Contains(got, "revision") {
			t.Fatalf("moderator's /kb source = %q", got)
		}
		m.Roles = nil
		if got := h.kb(t, m, subRemove, discordtest.Option(optID, "what-is-smp")); got != knowledge.NotModeratorNotice {
			t.Errorf("after the role was removed, /kb rm = %q, want the refusal", got)
		}
		if text, _ := source(t, st, "what-is-smp"); text == "" {
			t.Errorf("the entry was removed by a former moderator")
		}
	})
}

func TestModerationForgedIDs(t *testing.T) {
	t.Parallel()
	h, st := startModerated(t)
	_, rev := source(t, st, "pigment-depth")
	_, head, _ := st.Base(t.Context())
	edit := map[string]string{fieldTitle: "Forged", fieldBody: "Forged body."}
	mod, plain := h.moderator(), h.asker()
	tests := []struct {
		name string
		send func() string
		want string
	}{
		{"unknown form", func() string { return h.d.ModalSubmit(t, mod, "kb:delete:pigment-depth", edit) }, unknownButtonText},
		{"unsafe id in form", func() string { return h.d.ModalSubmit(t, mod, "kb:edit:../../etc:1", edit) }, unknownButtonText},
		{"negative revision", func() string { return h.d.ModalSubmit(t, mod, "kb:edit:pigment-depth:-1", edit) }, unknownButtonText},
		{"stale revision", func() string { return h.d.ModalSubmit(t, mod, editModalID("pigment-depth", rev-1), edit) }, "Nothing was changed"},
		{"non-moderator form", func() string { return h.d.ModalSubmit(t, plain, editModalID("pigment-depth", rev), edit) }, knowledge.NotModeratorNotice},
		{"non-moderator add", func() string { return h.d.ModalSubmit(t, plain, addModalID, edit) }, knowledge.NotModeratorNotice},
		{"non-moderator gap menu", func() string { return h.d.Component(t, plain, gapMenuID(gapRef("x"), 0), "what-is-smp") }, knowledge.NotModeratorNotice},
		{"unknown gap", func() string { return h.d.Component(t, mod, gapMenuID(gapRef("never asked"), 0), "what-is-smp") }, escape(knowledge.StaleGapNotice)},
		{"malformed gap menu", func() string { return h.d.Component(t, mod, "kb:gap:zz:0", "what-is-smp") }, unknownButtonText},
		{"unknown subcommand", func() string { return h.d.Command(t, mod, cmdKB, discordtest.Subcommand("drop-everything")) }, unknownCmdText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := h.reply(t, tt.send()); !strings.Contains(got, tt.want) {
				t.Errorf("%s: reply %q, want %q", tt.name, got, tt.want)
			}
		})
	}
	if _, got, _ := st.Base(t.Context()); got != head {
		t.Errorf("forged ids moved the knowledge base from revision %d to %d", head, got)
	}
}

func TestModerationAddAndEdit(t *testing.T) {
	t.Parallel()
	h, st := startModerated(t)
	mod := h.moderator()

	t.Run("add is answered", func(t *testing.T) {
		cb := h.d.Callback(t, h.d.Command(t, mod, cmdKB, discordtest.Subcommand(subAdd)))
		if cb.Type != discordgo.InteractionResponseModal || cb.CustomID != addModalID {
			t.Fatalf("/kb add response type %d custom id %q, want the add form", cb.Type, cb.CustomID)
		}
		got := h.reply(t, h.d.ModalSubmit(t, mod, addModalID, map[string]string{
			fieldTitle: "Numbing cream before SMP", fieldQuestions: "can i use numbing cream\nlidocaine before smp",
			fieldSources: "Lidocaine facts | https://example.com/lidocaine", fieldBody: "Ask your practitioner first.",
		}))
		if !strings.Contains(got, "Saved `numbing-cream-before-smp`") {
			t.Fatalf("add reply = %q", got)
		}
		eventually(t, "the new entry served", func() bool { _, ok := h.bot.svc.Entry("numbing-cream-before-smp"); return ok })
		msgs := h.answer(t, h.interact(t, discordgo.InteractionApplicationCommand, askData("can i use numbing cream", false)))
		if got := msgs[0].Embeds[0].Title; got != "Numbing cream before SMP" {
			t.Errorf("/ask after the add: title %q, want the new entry", got)
		}
	})

	t.Run("edit is prefilled and keeps the rest", func(t *testing.T) {
		_, rev := source(t, st, "pigment-depth")
		cb := h.d.Callback(t, h.d.Command(t, mod, cmdKB, discordtest.Subcommand(subEdit, discordtest.Option(optID, "pigment-depth"))))
		fields := cb.Fields()
		if cb.CustomID != editModalID("pigment-depth", rev) || fields[fieldTitle] != "Why needle depth matters" ||
			!strings.Contains(fields[fieldQuestions], "how deep should the needle go\n") || !strings.Contains(fields[fieldBody], "## Depth") ||
			!strings.Contains(fields[fieldSources], "Bad SMP results [guide] | https://example.com/smp/(depth)") {
			t.Fatalf("edit form %q fields %q, want it prefilled from revision %d", cb.CustomID, fields, rev)
		}
		fields[fieldBody] = "Depth decides everything."
		if got := h.reply(t, h.d.ModalSubmit(t, mod, cb.CustomID, fields)); !strings.Contains(got, "Saved") {
			t.Fatalf("edit reply = %q", got)
		}
		text, _ := source(t, st, "pigment-depth")
		if !strings.Contains(text, "Depth decides everything.") || !strings.Contains(text, "related:") {
			t.Errorf("after the edit the entry reads:\n%s\nwant the new body and its related entries kept", text)
		}

		// A second moderator still holding the old form is refused and
		// shown the newer text; what they wrote comes back to them.
		fields[fieldBody] = "A competing edit."
		got := h.reply(t, h.d.ModalSubmit(t, h.moderator(), cb.CustomID, fields))
		for _, want := range []string{"Nothing was changed", "changed in revision", "Depth decides everything.", "What you wrote", "A competing edit."} {
			if !strings.Contains(got, want) {
				t.Errorf("conflicting edit reply lacks %q:\n%s", want, got)
			}
		}
		if text, _ := source(t, st, "pigment-depth"); strings.Contains(text, "competing") {
			t.Errorf("the conflicting edit was written")
		}
	})

	t.Run("bad input", func(t *testing.T) {
		tests := []struct {
			name   string
			fields map[string]string
			want   string
		}{
			{"empty title and body", map[string]string{fieldID: "empty-entry"}, "empty title"},
			{"path in id", map[string]string{fieldID: "../etc/passwd", fieldTitle: "X", fieldBody: "y"}, "unsafe"},
			{"100 KB body", map[string]string{fieldTitle: "Huge", fieldBody: strings.Repeat("a", 100<<10)}, "byte limit"},
			{"front matter in body", map[string]string{fieldTitle: "Delimiters", fieldBody: "a\n---\nid: x"}, "read as front matter"},
			{"existing id", map[string]string{fieldID: "what-is-smp", fieldTitle: "Dup", fieldBody: "b"}, "already exists"},
			{"injection given back verbatim in a code block", map[string]string{fieldTitle: "@everyone <@123> **x** ```"}, "```\n---\nid: everyone-123-x\ntitle: '@everyone <@123> **x** `\u200b`\u200b`'"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, head, _ := st.Base(t.Context())
				got := h.reply(t, h.d.ModalSubmit(t, mod, addModalID, tt.fields))
				if !strings.Contains(got, "Nothing was changed") || !strings.Contains(got, tt.want) {
					t.Errorf("%s: reply %q, want a refusal naming %q", tt.name, got, tt.want)
				}
				if _, after, _ := st.Base(t.Context()); after != head {
					t.Errorf("%s: the knowledge base moved to revision %d", tt.name, after)
				}
			})
		}
	})
}

func TestModerationHistory(t *testing.T) {
	t.Parallel()
	h, st := startModerated(t)
	mod := h.moderator()
	const entry = "aftercare-encyclopedia" // no other entry relates to it
	id := discordtest.Option(optID, entry)
	_, seeded := source(t, st, entry)
	steps := []struct {
		name    string
		sub     string
		options []map[string]any
		want    string
		present bool // whether the entry exists afterwards
	}{
		{"source", subSource, nfo(id), "**Part 60.**", true},
		{"remove", subRemove, nfo(id), "Removed `" + entry + "`", false},
		{"remove again", subRemove, nfo(id), "not found", false},
		{"undo brings it back", subUndo, nfo(id), "Saved (undo of revision", true},
		{"add a question", subQuestion, nfo(id, discordtest.Option(optText, "is my scalp hot and red")), "Saved (added question", true},
		{"same question again", subQuestion, nfo(id, discordtest.Option(optText, "Is my scalp hot and red")), "Nothing to change", true},
		{"history", subHistory, nfo(id), "seed", true},
		{"revert to the seed", subRevert, nfo(id, discordtest.Option(optRevision, float64(seeded))), "revert to revision", true},
		{"revert to a missing revision", subRevert, nfo(id, discordtest.Option(optRevision, float64(99999))), "not found", true},
		{"unsafe id", subSource, nfo(discordtest.Option(optID, "../log.jsonl")), "is not an entry id", true},
	}
	for _, tt := range steps {
		t.Run(tt.name, func(t *testing.T) {
			if got := h.kb(t, mod, tt.sub, tt.options...); !strings.Contains(got, tt.want) {
				t.Errorf("/kb %s: reply %q, want %q", tt.sub, got, tt.want)
			}
			if text, _ := source(t, st, entry); (text != "") != tt.present {
				t.Errorf("after /kb %s the entry exists: %v, want %v", tt.sub, text != "", tt.present)
			}
		})
	}
	if text, _ := source(t, st, entry); strings.Contains(text, "hot and red") {
		t.Errorf("after the revert to revision %d the entry still has the added question", seeded)
	}
}

func nfo(options ...map[string]any) []map[string]any { return options }

func TestModerationGapToQuestion(t *testing.T) {
	t.Parallel()
	h, st := startModerated(t)
	mod := h.moderator()
	const question = "quantum chromodynamics bananas"
	ask := func(q string) []discordtest.Sent {
		return h.answer(t, h.interact(t, discordgo.InteractionApplicationCommand, askData(q, false)))
	}
	if got := ask("**xylophones** [quasar](https://evil.example) @here")[0].Embeds[0].Title; got != "Not covered" {
		t.Fatalf("/ask of the injection: title %q, want not covered", got)
	}
	if got := ask(question)[0].Embeds[0].Title; got != "Not covered" {
		t.Fatalf("/ask %q: title %q, want not covered", question, got)
	}

	cb := h.d.Edit(t, h.d.Command(t, mod, cmdKB, discordtest.Subcommand(subGaps)))
	if !strings.Contains(cb.Text(), question) || len(cb.All()) != 1 || cb.All()[0].CustomID != gapsMenuID {
		t.Fatalf("/kb gaps = %+v, want the gap and a gap menu", cb)
	}
	if want := `“\*\*xylophones\*\* \[quasar\]\(https\://evil.example\) @` + "\u200b" + `here”`; !strings.Contains(cb.Text(), want) {
		t.Errorf("/kb gaps shows %q, want it escaped as %q", cb.Text(), want)
	}
	ref, other := cb.All()[0].Options[0].Value, cb.All()[0].Options[1].Value
	// Nothing comes close to the question, so only dismissing it is offered.
	entries := h.d.Edit(t, h.d.Component(t, mod, gapsMenuID, ref))
	if all := entries.All(); len(all) != 1 || all[0].CustomID != dismissID(ref) || !strings.Contains(entries.Text(), escape(knowledge.NoCandidatesNotice)) {
		t.Fatalf("picking the gap: %+v, want no candidates and a dismiss button", entries)
	}
	if got := h.reply(t, h.d.Component(t, mod, gapMenuID(ref, 0), "what-is-smp")); !strings.Contains(got, "Saved (added question") {
		t.Fatalf("answering the gap: %q", got)
	}
	eventually(t, "the question served", func() bool {
		e, ok := h.bot.svc.Entry("what-is-smp")
		return ok && slices.Contains(e.Questions, question)
	})
	if got := ask(question)[0].Embeds[0].Title; got != "What scalp micropigmentation (SMP) is" {
		t.Errorf("/ask %q after the gap was answered: title %q", question, got)
	}
	if gaps, _ := st.Gaps(context.Background()); len(gaps) != 1 {
		t.Errorf("gaps after answering = %+v, want only the other one", gaps)
	}
	if got := h.reply(t, h.d.Component(t, mod, dismissID(other), "")); !strings.Contains(got, "Dismissed") {
		t.Errorf("dismissing the other gap: %q", got)
	}
	if gaps, _ := st.Gaps(context.Background()); len(gaps) != 0 {
		t.Errorf("gaps after dismissing = %+v, want none", gaps)
	}
	if got := h.reply(t, h.d.Component(t, mod, gapMenuID(ref, 0), "pigment-depth")); got != escape(knowledge.StaleGapNotice) {
		t.Errorf("answering the closed gap again: %q, want %q", got, escape(knowledge.StaleGapNotice))
	}
}

func TestModerationFeedbackSynonymsAutocomplete(t *testing.T) {
	t.Parallel()
	h, st := startModerated(t)
	mod := h.moderator()
	t.Run("feedback", func(t *testing.T) {
		for _, id := range []string{feedbackID("pigment-depth", false), feedbackID("pigment-depth", true), feedbackID("pigment-depth", false)} {
			h.d.Callback(t, h.interact(t, discordgo.InteractionMessageComponent, map[string]any{"custom_id": id, "component_type": 2}))
		}
		if got := h.kb(t, mod, subFeedback); !strings.Contains(got, "Why needle depth matters (pigment\\-depth) — 👍 1 · 👎 2") {
			t.Errorf("/kb feedback = %q", got)
		}
	})
	t.Run("synonyms", func(t *testing.T) {
		cb := h.d.Callback(t, h.d.Command(t, mod, cmdKB, discordtest.Subcommand(subSynonyms)))
		if cb.Type != discordgo.InteractionResponseModal || !strings.HasPrefix(cb.CustomID, prefixSyn) {
			t.Fatalf("/kb synonyms = %+v, want the synonyms form", cb)
		}
		if got := h.reply(t, h.d.ModalSubmit(t, mod, cb.CustomID, map[string]string{fieldSynonyms: "technician, practitioner, tech"})); !strings.Contains(got, "Saved `synonyms.txt`") {
			t.Errorf("saving the synonyms: %q", got)
		}
		if text, _ := source(t, st, knowledge.SynonymsFile); !strings.Contains(text, "technician") {
			t.Errorf("synonyms.txt = %q", text)
		}
		if got := h.kb(t, mod, subHistory, discordtest.Option(optID, knowledge.SynonymsFile)); !strings.Contains(got, "History of `synonyms.txt`") || !strings.Contains(got, "synonyms by discord") {
			t.Errorf("/kb history synonyms.txt = %q", got)
		}
		if got := h.reply(t, h.d.ModalSubmit(t, mod, cb.CustomID, map[string]string{fieldSynonyms: "the, a"})); !strings.Contains(got, "Nothing was changed") {
			t.Errorf("saving from the stale form: %q, want a conflict", got)
		}
	})
	t.Run("autocomplete", func(t *testing.T) {
		cb := h.d.Callback(t, h.d.Autocomplete(t, mod, cmdKB, discordtest.Subcommand(subEdit, discordtest.Focused(optID, "depth"))))
		if len(cb.Choices) != 1 || cb.Choices[0].Value != "pigment-depth" {
			t.Errorf("moderator's autocomplete = %+v, want pigment-depth", cb.Choices)
		}
		cb = h.d.Callback(t, h.d.Autocomplete(t, h.asker(), cmdKB, discordtest.Subcommand(subEdit, discordtest.Focused(optID, "depth"))))
		if len(cb.Choices) != 0 {
			t.Errorf("non-moderator's autocomplete = %+v, want nothing", cb.Choices)
		}
	})
}

func TestRenderGapEntries(t *testing.T) {
	cands := []knowledge.Candidate{{ID: "pigment-depth", Title: "Why needle depth matters", Rev: 3}, {ID: "what-is-smp", Title: "What SMP is", Rev: 1}}
	tests := []struct {
		name  string
		cands []knowledge.Candidate
		want  []string // custom ids of the components, in order
		text  string
	}{
		{"candidates", cands, []string{gapMenuID("abc", 0), dismissID("abc")}, "Which entry answers"},
		{"none", nil, []string{dismissID("abc")}, escape(knowledge.NoCandidatesNotice)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := renderGapEntries("abc", "can i fly", tt.cands)
			var got []string
			for _, row := range msgs[0].Components {
				for _, c := range row.(discordgo.ActionsRow).Components {
					switch c := c.(type) {
					case discordgo.SelectMenu:
						got = append(got, c.CustomID)
						if len(c.Options) != len(tt.cands) || c.Options[0].Value != "pigment-depth" {
							t.Errorf("menu options %+v, want the candidates in order", c.Options)
						}
					case discordgo.Button:
						got = append(got, c.CustomID)
					}
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("renderGapEntries(%d candidates) components = %q, want %q", len(tt.cands), got, tt.want)
			}
			if !strings.Contains(msgs[0].Content, tt.text) {
				t.Errorf("renderGapEntries(%d candidates) = %q, want %q in it", len(tt.cands), msgs[0].Content, tt.text)
			}
		})
	}
}
