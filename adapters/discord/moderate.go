package discord

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/smpbot/bot/knowledge"
)

// The /kb command, its subcommands and their options.
const (
	cmdKB       = "kb"
	subAdd      = "add"
	subEdit     = "edit"
	subRemove   = "rm"
	subQuestion = "question"
	subHistory  = "history"
	subUndo     = "undo"
	subRevert   = "revert"
	subGaps     = "gaps"
	subFeedback = "feedback"
	subSource   = "source"
	subSynonyms = "synonyms"
	subWeb      = "web"
	optID       = "id"
	optText     = "text"
	optRevision = "revision"
)

// Sentences of moderation.
const (
	tooLongForForm = "This is too long for a Discord form (4000 characters a field). Change it on the server with `bot kb edit` instead."
)

// kbCommand is the /kb command group. Discord shows it only to members with
// the Manage Server permission until a server's admins grant it to others
// (Server Settings → Integrations); the bot checks every call itself.
func kbCommand() *discordgo.ApplicationCommand {
	manageGuild := int64(discordgo.PermissionManageGuild)
	id := func(description string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: optID,
			Description: description, Required: true, Autocomplete: true, MaxLength: 64}
	}
	sub := func(name, description string, options ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Description: description, Options: options}
	}
	return &discordgo.ApplicationCommand{
		Type:                     discordgo.ChatApplicationCommand,
		Name:                     cmdKB,
		Description:              "Moderators: change the knowledge base",
		DefaultMemberPermissions: &manageGuild,
		Contexts:                 &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild},
		IntegrationTypes:         &[]discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall},
		Options: []*discordgo.ApplicationCommandOption{
			sub(subAdd, "Add an entry (opens a form)"),
			sub(subEdit, "Edit an entry (opens a form)", id("The entry to edit")),
			sub(subRemove, "Remove an entry; /kb undo brings it back", id("The entry to remove")),
			sub(subQuestion, "Add an alternate question to an entry", id("The entry that answers it"),
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: optText,
					Description: "The question, as people ask it", Required: true, MaxLength: knowledge.MaxAltQuestionRunes}),
			sub(subHistory, "Every revision of an entry (or synonyms.txt)", id("The entry")),
			sub(subUndo, "Undo the last change of an entry (or synonyms.txt)", id("The entry")),
			sub(subRevert, "Restore an entry (or synonyms.txt) as an earlier revision said", id("The entry"),
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionInteger, Name: optRevision,
					Description: "The revision, from /kb history", Required: true, MinValue: new(float64(1))}),
			sub(subGaps, "Questions nobody got an answer to; turn one into an entry's question"),
			sub(subFeedback, "👍 and 👎 per entry, and the questions that earned a 👎"),
			sub(subSource, "An entry's source text (or synonyms.txt)", id("The entry")),
			sub(subSynonyms, "Edit the synonyms (opens a form)"),
			sub(subWeb, "A login link to the web console, that only you see"),
		},
	}
}

// moderator reports whether the member who caused i may change the
// knowledge base. It judges from the member data Discord sends with every
// interaction, so a role removed a moment ago counts as removed. Manage
// Server counts only in the GuildID server: anyone can hold it in a server of
// their own.
func (b *Bot) moderator(i *discordgo.Interaction) bool {
	m := i.Member
	if i.GuildID == "" || m == nil || m.User == nil {
		return false
	}
	if slices.ContainsFunc(m.Roles, func(r string) bool { return slices.Contains(b.cfg.ModeratorRoles, r) }) {
		return true
	}
	admin := m.Permissions&(discordgo.PermissionManageGuild|discordgo.PermissionAdministrator) != 0
	return admin && b.cfg.GuildID != "" && i.GuildID == b.cfg.GuildID
}

// authorize reports whether i may change the knowledge base, and otherwise
// refuses it and logs the attempt.
func (b *Bot) authorize(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, attempt string) bool {
	if b.moderator(i) {
		return true
	}
	b.log.WarnContext(ctx, "discord: refused a moderation attempt by a non-moderator",
		"user_id", interactionUser(i), "guild_id", i.GuildID, "attempt", attempt)
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		b.respondChoices(ctx, s, i, nil)
		return false
	}
	b.respond(ctx, s, i, notice(knowledge.NotModeratorNotice), true, false)
	return false
}

// author names a moderator in the knowledge base's history.
func author(i *discordgo.Interaction) string {
	name := ""
	if i.Member != nil && i.Member.User != nil {
		name = i.Member.User.Username
	}
	return fmt.Sprintf("discord:%s (%s)", name, interactionUser(i))
}

// onKB handles /kb. The forms open at once; everything that reads or writes
// the store is deferred first, since the disk may be slower than the three
// seconds Discord waits.
func (b *Bot) onKB(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction) {
	options := i.ApplicationCommandData().Options
	if len(options) != 1 || options[0].Type != discordgo.ApplicationCommandOptionSubCommand {
		b.respond(ctx, s, i, notice(unknownCmdText), true, false)
		return
	}
	sub := options[0]
	if !b.authorize(ctx, s, i, "/kb "+sub.Name) {
		return
	}
	id, _ := option(sub.Options, optID).(string)
	switch sub.Name {
	case subAdd:
		b.openModal(ctx, s, i, entryModal(addModalID, "Add an entry", &knowledge.Entry{}, true))
		return
	case subEdit:
		b.openEdit(ctx, s, i, id)
		return
	case subSynonyms:
		b.openSynonyms(ctx, s, i)
		return
	}
	if !b.deferEphemeral(ctx, s, i) {
		return
	}
	b.respond(ctx, s, i, b.kb(ctx, i, sub), true, true)
}

// kb carries out the /kb subcommands that answer with text.
func (b *Bot) kb(ctx context.Context, i *discordgo.Interaction, sub *discordgo.ApplicationCommandInteractionDataOption) []message {
	st := b.cfg.Moderation
	id, _ := option(sub.Options, optID).(string)
	switch sub.Name {
	case subGaps:
		gaps, err := st.Gaps(ctx)
		if err != nil {
			return b.changeFailed(ctx, err, "")
		}
		return renderGaps(gaps)
	case subFeedback:
		fb, err := st.Feedback(ctx)
		if err != nil {
			return b.changeFailed(ctx, err, "")
		}
		base, _, err := st.Base(ctx)
		if err != nil {
			return b.changeFailed(ctx, err, "")
		}
		return renderFeedback(fb, base)
	case subWeb:
		return b.webLink(ctx, i)
	}
	switch sub.Name {
	case subSource, subHistory, subUndo, subRevert, subRemove, subQuestion:
	default:
		return notice(unknownCmdText)
	}
	// The synonyms have a history too, but are neither removed nor asked.
	if !knowledge.ValidID(id) && (id != knowledge.SynonymsFile || sub.Name == subRemove || sub.Name == subQuestion) {
		return notice(fmt.Sprintf("%s is not an entry id: ids are lowercase letters, digits and single hyphens.", quote(id)))
	}
	switch sub.Name {
	case subSource:
		text, rev, err := st.Text(ctx, id)
		if err != nil {
			return b.changeFailed(ctx, err, "")
		}
		if text == "" {
			return notice(fmt.Sprintf("`%s` is empty (revision %d).", id, rev))
		}
		return codeBlocks(fmt.Sprintf("`%s` at revision %d; change it with `/kb edit` (or `/kb synonyms`):", id, rev), text)
	case subHistory:
		hist, err := st.History(ctx, id)
		if err != nil {
			return b.changeFailed(ctx, err, "")
		}
		return renderHistory(id, hist)
	}
	// Changes of what the moderator names now, whatever it is then.
	base := knowledge.Newest
	var (
		rec knowledge.Record
		err error
	)
	switch sub.Name {
	case subRemove:
		rec, err = st.Remove(ctx, author(i), id, base)
	case subQuestion:
		text, _ := option(sub.Options, optText).(string)
		rec, err = st.AddQuestion(ctx, author(i), id, text, base)
	case subUndo:
		rec, err = st.Undo(ctx, author(i), id, base)
	case subRevert:
		rev, _ := option(sub.Options, optRevision).(float64)
		rec, err = st.Revert(ctx, author(i), id, int64(rev), base)
	}
	if err != nil {
		return b.changeFailed(ctx, err, "")
	}
	return b.changed(ctx, i, rec)
}

// webLink issues the moderator a login link to the web console, in an
// ephemeral reply only they see.
func (b *Bot) webLink(ctx context.Context, i *discordgo.Interaction) []message {
	if b.cfg.Logins == nil {
		return notice(knowledge.WebOffNotice)
	}
	link, err := b.cfg.Logins.IssueLink(ctx, author(i))
	if err != nil {
		b.log.ErrorContext(ctx, "discord: cannot issue a web console link", "user_id", interactionUser(i), "error", err)
		return notice(knowledge.FailureNotice)
	}
	b.log.InfoContext(ctx, "discord: issued a web console link", "user_id", interactionUser(i))
	return notice(knowledge.WebLinkNotice + "\n" + link.URL)
}

// changed logs a change and tells the moderator it is done.
func (b *Bot) changed(ctx context.Context, i *discordgo.Interaction, rec knowledge.Record) []message {
	b.log.InfoContext(ctx, "discord: knowledge base changed", "user_id", interactionUser(i), "op", rec.Op, "id", rec.ID, "revision", rec.Rev)
	what := "Saved"
	switch {
	case rec.Op == knowledge.OpRemove:
		what = "Removed"
	case rec.Note != "":
		what = "Saved (" + escape(rec.Note) + ")"
	}
	undo := fmt.Sprintf(" `/kb undo id:%s` takes it back.", rec.ID)
	return notice(fmt.Sprintf("%s `%s` as revision %d. The bot answers from it within a second.%s", what, rec.ID, rec.Rev, undo))
}

// changeFailed tells the moderator why nothing changed: the newer text on a
// conflict, every problem of an invalid entry. yours, when not empty, is
// what they wrote, given back so that it is not lost.
func (b *Bot) changeFailed(ctx context.Context, err error, yours string) []message {
	if knowledge.IsInternal(err) {
		b.log.ErrorContext(ctx, "discord: change the knowledge base", "err", err)
	}
	lines := []string{escape(knowledge.Refusal(err))}
	for _, p := range knowledge.Problems(err) {
		lines = append(lines, "• "+escape(p.String()))
	}
	msgs := texts(strings.Join(lines, "\n"))
	if cur, ok := knowledge.Newer(err); ok {
		msgs = append(msgs, codeBlocks(escape(knowledge.ConflictNotice), cur.Text)...)
	}
	if yours != "" {
		msgs = append(msgs, codeBlocks("What you wrote, to copy:", yours)...)
	}
	return msgs
}

// openEdit answers /kb edit with a form holding the entry.
func (b *Bot) openEdit(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, id string) {
	if !knowledge.ValidID(id) {
		b.respond(ctx, s, i, notice(quote(id)+" is not an entry id."), true, false)
		return
	}
	text, rev, err := b.cfg.Moderation.Text(ctx, id)
	if err != nil {
		b.respond(ctx, s, i, b.changeFailed(ctx, err, ""), true, false)
		return
	}
	e, _ := knowledge.ParseEntry(id, []byte(text))
	if e == nil {
		b.respond(ctx, s, i, notice(tooLongForForm), true, false)
		return
	}
	b.openModal(ctx, s, i, entryModal(editModalID(id, rev), "Edit "+id, e, false))
}

// openSynonyms answers /kb synonyms with a form holding the synonyms.
func (b *Bot) openSynonyms(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction) {
	text, rev, err := b.cfg.Moderation.Text(ctx, knowledge.SynonymsFile)
	if err != nil {
		b.respond(ctx, s, i, b.changeFailed(ctx, err, ""), true, false)
		return
	}
	b.openModal(ctx, s, i, synonymsModal(rev, text))
}

// openModal shows a form, or says why it cannot.
func (b *Bot) openModal(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, modal *discordgo.InteractionResponseData) {
	if modal == nil {
		b.respond(ctx, s, i, notice(tooLongForForm), true, false)
		return
	}
	err := b.interactionRespond(ctx, s, i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: modal})
	if err != nil {
		b.failed(ctx, "open a form", err, "interaction", i.ID)
	}
}

// onModal saves a submitted form. Its custom id comes from the client: it is
// parsed like any other input, and the permission is checked again.
func (b *Bot) onModal(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction) {
	data := i.ModalSubmitData()
	if b.cfg.Moderation == nil {
		b.respond(ctx, s, i, notice(unknownButtonText), true, false)
		return
	}
	if !b.authorize(ctx, s, i, "form "+data.CustomID) {
		return
	}
	ref := parseKBID(data.CustomID, nil)
	if ref.act != kbAdd && ref.act != kbEdit && ref.act != kbSynonyms {
		b.respond(ctx, s, i, notice(unknownButtonText), true, false)
		return
	}
	if !b.deferEphemeral(ctx, s, i) {
		return
	}
	fields := modalValues(data)
	var msgs []message
	if ref.act == kbSynonyms {
		text := fields[fieldSynonyms]
		rec, err := b.cfg.Moderation.SetSynonyms(ctx, author(i), text, ref.rev)
		if err != nil {
			msgs = b.changeFailed(ctx, err, text)
		} else {
			msgs = b.changed(ctx, i, rec)
		}
	} else {
		msgs = b.saveEntry(ctx, i, ref, fields)
	}
	b.respond(ctx, s, i, msgs, true, true)
}

// saveEntry writes the entry of a submitted add or edit form. An edit keeps
// the front matter the form does not show (kind, tags, related, …) as the
// newest revision has it; the store refuses it if that is not the revision
// the form was filled from.
func (b *Bot) saveEntry(ctx context.Context, i *discordgo.Interaction, ref kbRef, fields map[string]string) []message {
	e := &knowledge.Entry{Kind: knowledge.Explanation}
	if ref.act == kbEdit {
		text, _, err := b.cfg.Moderation.Text(ctx, ref.id)
		if err == nil {
			e, _ = knowledge.ParseEntry(ref.id, []byte(text))
		}
		if err != nil || e == nil {
			e = &knowledge.Entry{ID: ref.id, Kind: knowledge.Explanation}
		}
	}
	fillEntry(e, fields)
	text, err := e.Text()
	if err != nil {
		return b.changeFailed(ctx, err, "")
	}
	rec, err := b.cfg.Moderation.Put(ctx, author(i), text, ref.rev)
	if err != nil {
		return b.changeFailed(ctx, err, text)
	}
	return b.changed(ctx, i, rec)
}

// onKBComponent handles the menus under /kb gaps: picking a gap, then the
// entry that answers it.
func (b *Bot) onKBComponent(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, data discordgo.MessageComponentInteractionData) {
	if !b.authorize(ctx, s, i, "component "+data.CustomID) {
		return
	}
	ref := parseKBID(data.CustomID, data.Values)
	if ref.act != kbPickGap && ref.act != kbAnswerGap && ref.act != kbDismissGap {
		b.respond(ctx, s, i, notice(unknownButtonText), true, false)
		return
	}
	if !b.deferEphemeral(ctx, s, i) {
		return
	}
	b.respond(ctx, s, i, b.answerGap(ctx, i, ref), true, true)
}

// answerGap offers the entries that could answer a gap, or adds the gap's
// question to the chosen entry.
func (b *Bot) answerGap(ctx context.Context, i *discordgo.Interaction, ref kbRef) []message {
	st := b.cfg.Moderation
	gaps, err := st.Gaps(ctx)
	if err != nil {
		return b.changeFailed(ctx, err, "")
	}
	i0 := slices.IndexFunc(gaps, func(g knowledge.Gap) bool { return gapRef(g.Question) == ref.gap })
	if i0 < 0 {
		return notice(escape(knowledge.StaleGapNotice))
	}
	question := gaps[i0].Question
	switch ref.act {
	case kbPickGap:
		cands, err := st.Candidates(ctx, b.svc, question)
		if err != nil {
			return b.changeFailed(ctx, err, "")
		}
		return renderGapEntries(ref.gap, question, cands)
	case kbDismissGap:
		if err := st.DismissGap(ctx, author(i), question); err != nil {
			return b.changeFailed(ctx, err, "")
		}
		return notice(fmt.Sprintf("Dismissed: %s is no longer listed as a gap.", quote(question)))
	}
	rec, err := st.AddQuestion(ctx, author(i), ref.id, question, knowledge.Newest)
	if err != nil {
		return b.changeFailed(ctx, err, "")
	}
	return b.changed(ctx, i, rec)
}

// kbAutocomplete suggests entry ids for the id option of /kb.
func (b *Bot) kbAutocomplete(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction) {
	options := i.ApplicationCommandData().Options
	if len(options) != 1 || !b.authorize(ctx, s, i, "autocomplete /kb "+options[0].Name) {
		if len(options) != 1 {
			b.respondChoices(ctx, s, i, nil)
		}
		return
	}
	var typed string
	for _, o := range options[0].Options {
		if o.Focused {
			typed, _ = o.Value.(string)
		}
	}
	typed = strings.ToLower(strings.TrimSpace(typed))
	base, _, err := b.cfg.Moderation.Base(ctx)
	if err != nil {
		b.failed(ctx, "list entries to choose from", err)
		b.respondChoices(ctx, s, i, nil)
		return
	}
	var out []*discordgo.ApplicationCommandOptionChoice
	switch options[0].Name {
	case subHistory, subUndo, subRevert, subSource:
		if strings.Contains(knowledge.SynonymsFile, typed) {
			out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: knowledge.SynonymsFile, Value: knowledge.SynonymsFile})
		}
	}
	for _, e := range base.Entries() {
		if len(out) == maxChoices {
			break
		}
		if strings.Contains(e.ID, typed) || strings.Contains(strings.ToLower(e.Title), typed) {
			out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: truncate(e.Title+" — "+e.ID, maxChoiceLen), Value: e.ID})
		}
	}
	b.respondChoices(ctx, s, i, out)
}

// deferEphemeral acknowledges i with a private "thinking…" message, to be
// edited with the reply.
func (b *Bot) deferEphemeral(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction) bool {
	err := b.interactionRespond(ctx, s, i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral},
	})
	if err != nil {
		b.failed(ctx, "defer a moderation reply", err, "interaction", i.ID)
		return false
	}
	return true
}
