package telegram

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/smpbot/bot/knowledge"
)

// The /kb command, for moderators only.
const (
	kbCommandName = "kb"
	// actionKB starts the callback data of moderation buttons:
	// k:<token>:y to go ahead, k:<token>:n to cancel.
	actionKB = 'k'
)

// Limits of what /kb lists.
const (
	maxListed    = 10 // gaps
	maxHistory   = 20 // revisions
	maxUnhelpful = 3  // questions per entry in /kb feedback
	gapLabelLen  = 40 // runes of a gap's button label
)

func kbCommand() tgbotapi.BotCommand {
	return tgbotapi.BotCommand{Command: kbCommandName, Description: "Moderators: change the knowledge base"}
}

// onKB handles /kb. Whether the sender is a moderator is checked on every
// command; anyone else is refused, and the attempt logged.
func (b *Bot) onKB(ctx context.Context, m *tgbotapi.Message, args string) {
	sub, rest := cutWord(args)
	sub = strings.ToLower(sub)
	if !b.mod.isModerator(m.From.ID) {
		// The per-user limit bounds these lines; the text is the sender's
		// and is not logged.
		b.log.WarnContext(ctx, "refused a moderation command from a non-moderator", "user", m.From.ID, "chat", m.Chat.ID, "length", len(m.Text))
		b.send(ctx, m.Chat, m.MessageID, newReply(nil, escape(knowledge.NotModeratorNotice)))
		return
	}
	var r reply
	if m.Chat.IsPrivate() {
		r = b.kb(ctx, m.From, sub, rest)
	} else {
		r = newReply(nil, "Please use /kb in your private chat with me, so that drafts stay out of the group.")
	}
	b.send(ctx, m.Chat, m.MessageID, r)
}

// kb carries out a /kb subcommand for a moderator and returns the reply.
func (b *Bot) kb(ctx context.Context, u *tgbotapi.User, sub, rest string) reply {
	store, user, author := b.mod.kb, u.ID, authorOf(u)
	id, arg := cutWord(rest)
	switch sub {
	case "add":
		if rest != "" {
			return b.prepareEntry(user, rest, conversation{step: stepText}, false)
		}
		b.mod.begin(user, conversation{step: stepTitle})
		return newReply(nil, "<b>New entry</b>, step 1 of 3: send its title, in one line.", cancelHint)
	case "edit", "source":
		text, rev, err := store.Text(ctx, id)
		if err != nil {
			return b.kbFailure(ctx, user, err, 0)
		}
		if sub == "source" {
			return newReply(nil, fmt.Sprintf("<b>%s</b>, revision %d:", escape(id), rev), preHTML(knowledge.WithRevision(text, rev)), "To change it: /kb edit "+escape(id))
		}
		b.mod.begin(user, conversation{step: stepText, base: rev})
		return newReply(nil,
			fmt.Sprintf("<b>Editing %s</b> from revision %d. Send me the whole edited text; keep its last line, which names the revision you started from.", escape(id), rev),
			preHTML(knowledge.WithRevision(text, rev)), cancelHint)
	case "rm":
		text, rev, err := store.Text(ctx, id)
		if err != nil {
			return b.kbFailure(ctx, user, err, 0)
		}
		title := id
		if e, ps := knowledge.ParseEntry(id, []byte(text)); len(ps) == 0 {
			title = e.Title
		}
		tok := b.mod.offer(user, pending{kind: doRemove, id: id, base: rev})
		return newReply(confirmButtons(tok, "🗑 Remove"), fmt.Sprintf("Remove <b>%s</b> (<code>%s</code>, revision %d)? Its history stays, and /kb undo %s brings it back.", escape(title), escape(id), rev, escape(id)))
	case "question":
		if arg == "" {
			return newReply(nil, "Usage: /kb question ID QUESTION")
		}
		r, err := store.AddQuestion(ctx, author, id, arg, knowledge.Newest)
		return b.kbResult(ctx, user, r, err, 0)
	case "history":
		hist, err := store.History(ctx, id)
		if err != nil {
			return b.kbFailure(ctx, user, err, 0)
		}
		return historyReply(id, hist)
	case "undo", "revert":
		var (
			r   knowledge.Record
			err error
		)
		if sub == "undo" {
			r, err = store.Undo(ctx, author, id, knowledge.Newest)
		} else if rev, perr := strconv.ParseInt(arg, 10, 64); perr != nil {
			return newReply(nil, "Usage: /kb revert ID REVISION, with a revision number from /kb history "+escape(id))
		} else {
			r, err = store.Revert(ctx, author, id, rev, knowledge.Newest)
		}
		return b.kbResult(ctx, user, r, err, 0)
	case "synonyms":
		text, rev, err := store.Text(ctx, knowledge.SynonymsFile)
		if err != nil {
			return b.kbFailure(ctx, user, err, 0)
		}
		if rest != "" {
			return b.prepareSynonyms(user, rest, rev)
		}
		b.mod.begin(user, conversation{step: stepSynonyms, base: rev})
		return newReply(nil, fmt.Sprintf("<b>Synonyms</b>, revision %d. To replace them, send me the whole new file:", rev),
			preHTML(knowledge.WithRevision(text, rev)), cancelHint)
	case "gaps":
		gaps, err := store.Gaps(ctx)
		if err != nil {
			return b.kbFailure(ctx, user, err, 0)
		}
		return b.gapsReply(user, gaps)
	case "feedback":
		fb, err := store.Feedback(ctx)
		if err != nil {
			return b.kbFailure(ctx, user, err, 0)
		}
		return feedbackReply(fb)
	case "web":
		return b.webLink(ctx, u)
	case "cancel":
		b.mod.cancel(user)
		return newReply(nil, "Cancelled. Nothing was changed.")
	}
	return kbHelpReply()
}

// onConversation takes a moderator's message as the next step of their /kb
// conversation.
func (b *Bot) onConversation(ctx context.Context, m *tgbotapi.Message) {
	c, ok := b.mod.take(m.From.ID)
	r := newReply(nil, fmt.Sprintf("Your /kb draft lapsed after %s without an answer; nothing was changed. Please start again.", b.cfg.ModerationTimeout))
	if ok {
		r = b.converse(m.From.ID, c, m.Text)
	}
	b.send(ctx, m.Chat, m.MessageID, r)
}

// converse moves a conversation on with the moderator's text.
func (b *Bot) converse(user int64, c conversation, text string) reply {
	switch c.step {
	case stepTitle:
		if strings.HasPrefix(text, "---") {
			return b.prepareEntry(user, text, conversation{step: stepText}, false)
		}
		title := strings.TrimSpace(text)
		if title == "" || strings.Contains(title, "\n") || utf8.RuneCountInString(title) > knowledge.MaxTitleRunes {
			b.mod.begin(user, c)
			return newReply(nil, fmt.Sprintf("A title is one line of at most %d characters. Please send the title again.", knowledge.MaxTitleRunes))
		}
		c.title, c.step = title, stepQuestions
		b.mod.begin(user, c)
		return newReply(nil, "<b>Title:</b> "+escape(title),
			"Step 2 of 3: send the questions people ask about it, one per line, in their own words. Send <code>-</code> for none.")
	case stepQuestions:
		if strings.TrimSpace(text) != "-" {
			for line := range strings.Lines(text) {
				if q := strings.TrimSpace(line); q != "" {
					c.questions = append(c.questions, q)
				}
			}
		}
		c.step = stepBody
		b.mod.begin(user, c)
		return newReply(nil, "Step 3 of 3: send the text of the answer, in Markdown: paragraphs, **bold**, *italics*, lists and [links](https://…).")
	case stepBody:
		entry, err := guidedEntry(c.title, c.questions, text)
		if err != nil {
			return newReply(nil, escape("Could not write the entry: "+err.Error()))
		}
		return b.prepareEntry(user, entry, conversation{step: stepText}, true)
	case stepSynonyms:
		return b.prepareSynonyms(user, text, c.base)
	}
	return b.prepareEntry(user, text, c, false)
}

// prepareEntry checks a whole entry file and shows it as people will see
// it, with buttons to save or cancel. c says what it is: a new entry, or an
// edit from revision c.base (which keeps its id, as Moderation checks); a
// revision line in the text wins over c.base. When the text has problems the conversation goes on, so that the
// moderator can send it again; generated says the bot wrote the text, which
// is then shown to be corrected.
func (b *Bot) prepareEntry(user int64, text string, c conversation, generated bool) reply {
	if rest, rev, ok := knowledge.CutRevision(text); ok {
		text, c.base = rest, rev
	}
	e, problems := knowledge.ParseEntry("your text", []byte(text))
	if len(problems) > 0 {
		b.mod.begin(user, conversation{step: stepText, base: c.base})
		blocks := []string{problemsHTML("Not saved yet. Please fix this and send the whole text again, or /kb cancel:", problems)}
		if generated {
			blocks = append(blocks, preHTML(text))
		}
		return newReply(nil, blocks...)
	}
	tok := b.mod.offer(user, pending{kind: doPut, text: text, base: c.base})
	what := "a new entry"
	if c.base != 0 {
		what = fmt.Sprintf("an edit of revision %d", c.base)
	}
	blocks := []string{fmt.Sprintf("<b>Preview</b> of <code>%s</code>, %s. People will see:", escape(e.ID), what)}
	blocks = append(blocks, entryBlocks(e)...)
	blocks = append(blocks, questionsHTML(e.Questions))
	return newReply(confirmButtons(tok, "✅ Save"), blocks...)
}

// prepareSynonyms checks a synonyms file and shows it with buttons to save
// or cancel.
func (b *Bot) prepareSynonyms(user int64, text string, base int64) reply {
	if rest, rev, ok := knowledge.CutRevision(text); ok {
		text, base = rest, rev
	}
	if _, problems := knowledge.ParseSynonyms(knowledge.SynonymsFile, []byte(text)); len(problems) > 0 {
		b.mod.begin(user, conversation{step: stepSynonyms, base: base})
		return newReply(nil, problemsHTML("Not saved yet. Please fix this and send the whole file again, or /kb cancel:", problems))
	}
	tok := b.mod.offer(user, pending{kind: doSynonyms, text: text, base: base})
	shown := preHTML(text)
	if strings.TrimSpace(text) == "" {
		shown = "<i>(empty: no synonyms at all)</i>"
	}
	return newReply(confirmButtons(tok, "✅ Save"), fmt.Sprintf("<b>Preview</b> of the synonyms, replacing revision %d:", base), shown)
}

// onKBCallback handles a tap on a moderation button. The tapper must be a
// moderator, and the token one of the buttons offered to them and not yet
// used; anything else changes nothing.
func (b *Bot) onKBCallback(ctx context.Context, q *tgbotapi.CallbackQuery, ref string) {
	if !b.mod.isModerator(q.From.ID) {
		b.log.WarnContext(ctx, "refused a moderation button from a non-moderator", "user", q.From.ID)
		b.answerCallback(ctx, q, knowledge.NotModeratorNotice)
		return
	}
	tok, verb, _ := strings.Cut(ref, ":")
	if verb != "y" && verb != "n" {
		b.answerCallback(ctx, q, staleButton)
		return
	}
	p, ok := b.mod.claim(q.From.ID, tok)
	switch {
	case !ok:
		b.answerCallback(ctx, q, staleButton)
	case verb == "n":
		b.answerCallback(ctx, q, "Cancelled. Nothing was changed.")
	default:
		b.answerCallback(ctx, q, "")
		b.send(ctx, &tgbotapi.Chat{ID: q.From.ID, Type: "private"}, 0, b.carryOut(ctx, q.From, p))
	}
}

// carryOut makes the change a moderator confirmed.
func (b *Bot) carryOut(ctx context.Context, u *tgbotapi.User, p pending) reply {
	store, author := b.mod.kb, authorOf(u)
	var (
		r      knowledge.Record
		err    error
		resume step // where a conflict leaves the moderator
	)
	switch p.kind {
	case doPut:
		r, err = store.Put(ctx, author, p.text, p.base)
		resume = stepText
	case doRemove:
		r, err = store.Remove(ctx, author, p.id, p.base)
	case doSynonyms:
		r, err = store.SetSynonyms(ctx, author, p.text, p.base)
		resume = stepSynonyms
	case doAddQuestion:
		r, err = store.AddQuestion(ctx, author, p.id, p.text, p.base)
	case doPickEntry:
		return b.pickEntryReply(ctx, u.ID, p.text)
	case doDismissGap:
		if err := store.DismissGap(ctx, author, p.text); err != nil {
			return b.kbFailure(ctx, u.ID, err, 0)
		}
		return newReply(nil, "Dismissed: “"+escapeUser(p.text)+"” is no longer listed as a gap.")
	}
	return b.kbResult(ctx, u.ID, r, err, resume)
}

// kbResult reports a change: the revision written, or why there is none.
func (b *Bot) kbResult(ctx context.Context, user int64, r knowledge.Record, err error, resume step) reply {
	if err != nil {
		return b.kbFailure(ctx, user, err, resume)
	}
	what := "Saved"
	if r.Op == knowledge.OpRemove {
		what = "Removed"
	}
	if r.Note != "" {
		what += " (" + escape(r.Note) + ")"
	}
	return newReply(nil, fmt.Sprintf("%s: <code>%s</code> is now at revision %d. People get the change within a second.", what, escape(r.ID), r.Rev))
}

// kbFailure explains why a change was not made. On a conflict it shows the
// newer text and, when resume is set, waits for the moderator's merge of it.
func (b *Bot) kbFailure(ctx context.Context, user int64, err error, resume step) reply {
	if knowledge.IsInternal(err) {
		b.log.ErrorContext(ctx, "moderation failed", "user", user, "err", err)
	}
	head := "<b>" + escape(knowledge.Refusal(err)) + "</b>"
	if ps := knowledge.Problems(err); len(ps) > 0 {
		return newReply(nil, problemsHTML(head, ps))
	}
	blocks := []string{head}
	if cur, ok := knowledge.Newer(err); ok {
		blocks = append(blocks, escape(knowledge.ConflictNotice)+" Or /kb cancel:", preHTML(knowledge.WithRevision(cur.Text, cur.Rev)))
		if resume != 0 {
			b.mod.begin(user, conversation{step: resume, base: cur.Rev})
		}
	}
	return newReply(nil, blocks...)
}

// gapsReply lists the open gaps, newest first, each with a button to turn
// it into an alternate question of an entry.
func (b *Bot) gapsReply(user int64, gaps []knowledge.Gap) reply {
	if len(gaps) == 0 {
		return newReply(nil, "No open gaps: every question asked lately got an answer.")
	}
	lines := []string{fmt.Sprintf("<b>Questions nobody got an answer to</b>: %d, newest first. Tap one to add it to an entry.", len(gaps))}
	var rows [][]tgbotapi.InlineKeyboardButton
	for i, g := range gaps[:min(len(gaps), maxListed)] {
		lines = append(lines, fmt.Sprintf("%d. %s — asked %d×, last %s", i+1, escapeUser(g.Question), g.Count, g.Last.Format("2006-01-02 15:04 MST")))
		tok := b.mod.offer(user, pending{kind: doPickEntry, text: g.Question})
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(fmt.Sprintf("➕ %d. %s", i+1, shorten(g.Question, gapLabelLen)), kbData(tok, "y"))))
	}
	if n := len(gaps) - maxListed; n > 0 {
		lines = append(lines, fmt.Sprintf("… and %d more.", n))
	}
	return newReply(rows, strings.Join(lines, "\n"))
}

// pickEntryReply offers the entries a gap's question may be added to, and
// dismissing it: tapping one does it.
func (b *Bot) pickEntryReply(ctx context.Context, user int64, question string) reply {
	hint := "Or send /kb question ID " + escapeUser(question)
	cands, err := b.mod.kb.Candidates(ctx, b.svc, question)
	if err != nil {
		return b.kbFailure(ctx, user, err, 0)
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, c := range cands {
		tok := b.mod.offer(user, pending{kind: doAddQuestion, id: c.ID, text: question, base: c.Rev})
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(shorten(c.Title, maxButtonRunes), kbData(tok, "y"))))
	}
	tok := b.mod.offer(user, pending{kind: doDismissGap, text: question})
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("🚫 Dismiss: not for the knowledge base", kbData(tok, "y"))))
	if len(cands) == 0 {
		return newReply(rows, escape(knowledge.NoCandidatesNotice)+" “"+escapeUser(question)+"”", hint)
	}
	return newReply(rows, "Which entry answers “"+escapeUser(question)+"”? Tap it to add the question to it.", hint)
}

func historyReply(id string, hist []knowledge.Record) reply {
	lines := []string{fmt.Sprintf("<b>History of %s</b>, newest first:", escape(id))}
	for i, r := range slices.Backward(hist) {
		if len(hist)-i > maxHistory {
			lines = append(lines, fmt.Sprintf("… and %d older.", i+1))
			break
		}
		line := fmt.Sprintf("%d · %s · %s · %s", r.Rev, r.Time.Format("2006-01-02 15:04 MST"), escape(r.Author), r.Op)
		if r.Note != "" {
			line += " · " + escape(r.Note)
		}
		lines = append(lines, line)
	}
	lines = append(lines, "", "/kb undo "+escape(id)+" or /kb revert "+escape(id)+" REVISION restores one.")
	return newReply(nil, strings.Join(lines, "\n"))
}

func feedbackReply(fb []knowledge.EntryFeedback) reply {
	if len(fb) == 0 {
		return newReply(nil, "No feedback yet.")
	}
	lines := []string{"<b>Feedback</b> per entry:"}
	for _, f := range fb {
		lines = append(lines, fmt.Sprintf("<code>%s</code> 👍 %d 👎 %d", escape(f.ID), f.Up, f.Down))
		for _, q := range f.Unhelpful[:min(len(f.Unhelpful), maxUnhelpful)] {
			lines = append(lines, "    👎 “"+escapeUser(q)+"”")
		}
	}
	return newReply(nil, strings.Join(lines, "\n"))
}

func kbHelpReply() reply {
	return newReply(nil, `<b>Changing the knowledge base</b>
/kb add — a new entry, step by step; or /kb add with a whole entry file on the next lines
/kb edit ID — change an entry
/kb rm ID — remove an entry (its history stays)
/kb question ID QUESTION — add a way people ask
/kb source ID — show an entry's text
/kb history ID — its revisions
/kb undo ID, /kb revert ID REVISION — restore an earlier version
/kb synonyms — show the synonyms, then replace them
/kb gaps — questions nobody got an answer to
/kb feedback — 👍 and 👎 per entry
/kb web — a login link to the web console
/kb cancel — stop what you started`)
}

// webLink issues the moderator a login link to the web console, in their
// private chat.
func (b *Bot) webLink(ctx context.Context, u *tgbotapi.User) reply {
	if b.cfg.Logins == nil {
		return newReply(nil, escape(knowledge.WebOffNotice))
	}
	link, err := b.cfg.Logins.IssueLink(ctx, authorOf(u))
	if err != nil {
		b.log.ErrorContext(ctx, "cannot issue a web console link", "user", u.ID, "error", err)
		return newReply(nil, escape(knowledge.FailureNotice))
	}
	b.log.InfoContext(ctx, "issued a web console link", "user", u.ID)
	return newReply(nil, escape(knowledge.WebLinkNotice), escape(link.URL))
}

const cancelHint = "<i>/kb cancel stops without changing anything.</i>"

func confirmButtons(tok, label string) [][]tgbotapi.InlineKeyboardButton {
	return [][]tgbotapi.InlineKeyboardButton{tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(label, kbData(tok, "y")),
		tgbotapi.NewInlineKeyboardButtonData("✖️ Cancel", kbData(tok, "n")),
	)}
}

// kbData is the callback data of a moderation button: 20 bytes.
func kbData(tok, verb string) string { return string(actionKB) + ":" + tok + ":" + verb }

func preHTML(s string) string { return "<pre>" + escape(s) + "</pre>" }

func problemsHTML(title string, problems []knowledge.Problem) string {
	lines := []string{title}
	for _, p := range problems {
		lines = append(lines, "• "+escape(p.String()))
	}
	return strings.Join(lines, "\n")
}

func questionsHTML(qs []string) string {
	if len(qs) == 0 {
		return "<i>No alternate questions.</i>"
	}
	lines := []string{"<b>Alternate questions</b>"}
	for _, q := range qs {
		lines = append(lines, "• "+escapeUser(q))
	}
	return strings.Join(lines, "\n")
}

// authorOf names a moderator in the history.
func authorOf(u *tgbotapi.User) string {
	a := "telegram:" + strconv.FormatInt(u.ID, 10)
	if u.UserName != "" {
		a += " @" + u.UserName
	}
	return a
}

// cutWord splits s at its first run of white space.
func cutWord(s string) (word, rest string) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// guidedEntry is the file text of an entry written step by step: its title,
// alternate questions and body. A title without letters or digits gets the
// id "entry", which the preview shows so the moderator can change it.
func guidedEntry(title string, questions []string, body string) (string, error) {
	id := knowledge.Slug(title)
	if id == "" {
		id = "entry"
	}
	e := &knowledge.Entry{ID: id, Title: title, Kind: knowledge.Explanation, Questions: questions, Body: strings.TrimSpace(body)}
	return e.Text()
}
