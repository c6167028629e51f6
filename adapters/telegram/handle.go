package telegram

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/smpbot/bot/knowledge"
)

// request is what an update asks of the bot, as found when it arrives.
type request struct {
	from    *tgbotapi.User       // nil for updates without a sender
	limits  *knowledge.Admission // b.asks or b.inline
	limited bool                 // whether it counts against from's limit
	answer  job                  // nil when the update asks nothing
	// refuse returns how to tell from of a refusal, or nil; room says the
	// chat's queue has room for it.
	refuse func(v knowledge.Verdict, room bool) job
}

// accept decides, as an update arrives, whether it is answered, and queues
// what is to be done on its chat's lane: deciding before any waiting means
// that a user's limit does not refill while their earlier replies wait for
// the chat's pace, and that a chat's queue stays within Config.ChatQueue.
// done is called once the update is handled: answered, refused or
// ignored; it is not called for an update still queued, or being handled,
// when the bot stops.
// It is safe for concurrent use.
func (b *Bot) accept(ctx context.Context, u *tgbotapi.Update, done func()) {
	req := b.route(u)
	if req.answer == nil {
		b.log.DebugContext(ctx, "ignored update", "update_id", u.UpdateID)
		done()
		return
	}
	user := ""
	if req.from != nil {
		user = userKey(req.from)
	}
	chat := chatOf(u)
	queued := false
	b.lanes.push(ctx, chat, func(n int) job {
		room := n < b.cfg.ChatQueue
		v := req.limits.Admit(knowledge.Arrival{User: user, Conversation: platform + ":" + strconv.FormatInt(chat, 10), Limited: req.limited, Full: !room})
		j := req.answer
		if !v.Admitted {
			b.rateLimited()
			j = req.refuse(v, room)
		}
		if j == nil {
			return nil
		}
		queued = true
		return func(ctx context.Context) {
			// Cut off as the bot stops, it is left to another replica; a
			// panic is logged, and not tried again.
			defer func() {
				if ctx.Err() == nil {
					done()
				}
			}()
			j(ctx)
		}
	})
	if !queued {
		done()
	}
}

// route finds what an update asks of the bot.
func (b *Bot) route(u *tgbotapi.Update) request {
	switch {
	case u.Message != nil:
		return b.onMessage(u.Message)
	case u.CallbackQuery != nil:
		return b.onCallback(u.CallbackQuery)
	case u.InlineQuery != nil:
		return b.onInline(u.InlineQuery)
	}
	return request{}
}

// onMessage routes a message. In a private chat any text is a question; in
// a group the bot answers its commands, mentions of itself and replies to its
// own messages, and stays silent otherwise. Messages from bots, and messages
// without text (stickers, photos, service messages), are ignored.
func (b *Bot) onMessage(m *tgbotapi.Message) request {
	if m.From == nil || m.From.IsBot || m.Chat == nil || strings.TrimSpace(m.Text) == "" {
		return request{}
	}
	private := m.Chat.IsPrivate()
	if !private && !m.Chat.IsGroup() && !m.Chat.IsSuperGroup() {
		return request{}
	}
	if name, args, ok := b.command(m); ok {
		return b.onCommand(m, name, args)
	}
	if private && b.mod != nil && b.mod.isModerator(m.From.ID) {
		// Whether it goes on with a /kb conversation is known only once
		// the messages before it are handled.
		return b.message(m, false, func(ctx context.Context) {
			if b.mod.inConversation(m.From.ID) {
				b.onConversation(ctx, m)
			} else {
				b.ask(ctx, m, m.Text)
			}
		})
	}
	if private {
		return b.message(m, true, func(ctx context.Context) { b.ask(ctx, m, m.Text) })
	}
	if q, ok := b.addressed(m); ok {
		return b.message(m, true, func(ctx context.Context) { b.ask(ctx, m, q) })
	}
	return request{}
}

// message is a request made by message m, answered by answer. A refusal
// is told as a reply, when the verdict says so.
func (b *Bot) message(m *tgbotapi.Message, limited bool, answer job) request {
	return request{from: m.From, limits: b.asks, limited: limited, answer: answer,
		refuse: func(v knowledge.Verdict, _ bool) job {
			if !v.Tell {
				return nil
			}
			return func(ctx context.Context) { b.send(ctx, m.Chat, m.MessageID, newReply(nil, escape(v.Notice))) }
		}}
}

// command returns the command a message starts with and the text after it.
// A command addressed to another bot ("/ask@otherbot") is not ours.
func (b *Bot) command(m *tgbotapi.Message) (name, args string, ok bool) {
	if len(m.Entities) == 0 || m.Entities[0].Type != "bot_command" || m.Entities[0].Offset != 0 {
		return "", "", false
	}
	text := utf16.Encode([]rune(m.Text))
	end := m.Entities[0].Length
	if end < 2 || end > len(text) {
		return "", "", false
	}
	name, target, _ := strings.Cut(string(utf16.Decode(text[1:end])), "@")
	if target != "" && !strings.EqualFold(target, b.me.UserName) {
		return "", "", false
	}
	return strings.ToLower(name), strings.TrimSpace(string(utf16.Decode(text[end:]))), true
}

func (b *Bot) onCommand(m *tgbotapi.Message, name, args string) request {
	switch name {
	case "ask":
		return b.message(m, true, func(ctx context.Context) { b.ask(ctx, m, args) })
	case kbCommandName:
		if b.mod != nil {
			return b.message(m, !b.mod.isModerator(m.From.ID), func(ctx context.Context) { b.onKB(ctx, m, args) })
		}
	case "start", "help", "checklist", "topics":
	default:
		if !m.Chat.IsPrivate() {
			return request{} // perhaps another bot's
		}
	}
	return b.message(m, true, func(ctx context.Context) { b.send(ctx, m.Chat, m.MessageID, b.commandReply(name)) })
}

// commandReply is the reply to a command other than /ask and /kb: help for
// any the bot does not know.
func (b *Bot) commandReply(name string) reply {
	switch name {
	case "start":
		return startReply(b.me.UserName)
	case "checklist":
		return checklistReply(b.svc.Checklist())
	case "topics":
		return topicsReply(b.svc.Topics())
	}
	return helpReply(b.me.UserName)
}

// addressed reports whether a group message is meant for the bot: it
// mentions the bot, or replies to one of its messages. It returns the
// question without the mention.
func (b *Bot) addressed(m *tgbotapi.Message) (string, bool) {
	text := utf16.Encode([]rune(m.Text))
	mentioned := false
	for _, e := range m.Entities {
		end := e.Offset + e.Length
		if e.Offset < 0 || e.Length <= 0 || end > len(text) {
			continue
		}
		span := string(utf16.Decode(text[e.Offset:end]))
		if (e.Type == "mention" && strings.EqualFold(span, "@"+b.me.UserName)) ||
			(e.Type == "text_mention" && e.User != nil && e.User.ID == b.me.ID) {
			mentioned = true
			for i := e.Offset; i < end; i++ {
				text[i] = ' ' // keep the offsets of later entities
			}
		}
	}
	switch {
	case mentioned:
		return string(utf16.Decode(text)), true
	case m.ReplyToMessage != nil && m.ReplyToMessage.From != nil && m.ReplyToMessage.From.ID == b.me.ID:
		return m.Text, true
	}
	return "", false
}

// ask answers a question asked in message m: in full in a private chat, in
// short in a group, where a whole entry is noise.
func (b *Bot) ask(ctx context.Context, m *tgbotapi.Message, question string) {
	a, err := b.svc.Answer(ctx, question)
	var r reply
	switch {
	case errors.Is(err, knowledge.ErrEmptyQuestion):
		r = newReply(nil, askHint)
	case errors.Is(err, knowledge.ErrBusy):
		b.rateLimited()
		r = newReply(nil, escape(knowledge.AnswerFailure(err)))
	case err != nil:
		b.log.ErrorContext(ctx, "could not answer", "err", err)
		r = newReply(nil, escape(knowledge.AnswerFailure(err)))
	case m.Chat.IsPrivate():
		r = answerReply(a)
	default:
		r = shortReply(a)
	}
	b.send(ctx, m.Chat, m.MessageID, r)
}

func userKey(u *tgbotapi.User) string { return "telegram:" + strconv.FormatInt(u.ID, 10) }

// send sends a reply to a chat, as an answer to message replyTo when it is
// not zero. Parts wait for the chat's pace; the keyboard goes under the
// last. The first part replies to replyTo, and so does the part with the
// keyboard, so that a tap on its buttons brings the question back (see
// askedIn). Failures are logged: the update counts as handled. It runs in
// a worker slot (see process).
func (b *Bot) send(ctx context.Context, chat *tgbotapi.Chat, replyTo int, r reply) {
	for i, part := range r.parts {
		msg := tgbotapi.NewMessage(chat.ID, part)
		msg.ParseMode = tgbotapi.ModeHTML
		msg.DisableWebPagePreview = true
		keyboard := i == len(r.parts)-1 && r.keyboard != nil
		if replyTo != 0 && (i == 0 || keyboard) {
			msg.ReplyToMessageID = replyTo
			msg.AllowSendingWithoutReply = true
		}
		if keyboard {
			msg.ReplyMarkup = r.keyboard
		}
		// The worker slot is given back while the chat's pace holds the
		// message, so that a slow chat holds up no other.
		<-b.workers
		err := b.pace.wait(ctx, chat)
		b.workers <- struct{}{}
		if err == nil {
			err = b.call(ctx, "sendMessage", sendAttempts, func(api *tgbotapi.BotAPI) error {
				_, err := api.Send(msg)
				return err
			})
		}
		if err != nil {
			b.log.WarnContext(ctx, "could not send a reply", "chat", chat.ID, "part", i+1, "parts", len(r.parts), "err", err)
			return
		}
	}
}

// onCallback routes a tap on one of the bot's buttons. Taps that open a
// topic or give feedback on an entry, and anyone's but a moderator's on a
// moderation button, count against the tapper's limit; a refused one is
// answered with why, while the chat's queue has room.
func (b *Bot) onCallback(q *tgbotapi.CallbackQuery) request {
	action, ref, _ := strings.Cut(q.Data, ":")
	req := request{from: q.From, limits: b.asks, refuse: func(v knowledge.Verdict, room bool) job {
		if !room {
			return nil
		}
		return func(ctx context.Context) { b.answerCallback(ctx, q, v.Notice) }
	}}
	if action == string(actionKB) && b.mod != nil && q.From != nil {
		req.limited = !b.mod.isModerator(q.From.ID)
		req.answer = func(ctx context.Context) { b.onKBCallback(ctx, q, ref) }
		return req
	}
	e := b.entryRef(ref)
	req.limited = e != nil && q.From != nil && len(action) == 1 &&
		(action[0] == actionTopic || action[0] == actionHelpful || action[0] == actionUseless ||
			action[0] == actionFull || action[0] == actionFullUrgent)
	req.answer = func(ctx context.Context) { b.onButton(ctx, q, action, e) }
	return req
}

// onButton handles a tap on a topic, full-answer or feedback button. Every tap is
// answered, so the client's spinner stops; a button the bot does not know
// gets a polite note and changes nothing.
func (b *Bot) onButton(ctx context.Context, q *tgbotapi.CallbackQuery, action string, e *knowledge.Entry) {
	switch {
	case e == nil || len(action) != 1 || q.From == nil:
		b.answerCallback(ctx, q, staleButton)
	case action[0] == actionHelpful || action[0] == actionUseless:
		toast := thanksToast
		if err := b.svc.FeedbackOn(ctx, strconv.FormatInt(q.From.ID, 10), answerKey(q), e.ID, b.askedIn(q.Message), action[0] == actionHelpful); err != nil {
			b.log.WarnContext(ctx, "could not record feedback", "err", err)
			toast = staleButton
		}
		b.answerCallback(ctx, q, toast)
	case action[0] == actionTopic && (q.Message == nil || q.Message.Chat == nil):
		b.answerCallback(ctx, q, openChatText)
	case action[0] != actionTopic && action[0] != actionFull && action[0] != actionFullUrgent:
		b.answerCallback(ctx, q, staleButton)
	case action[0] == actionTopic:
		b.answerCallback(ctx, q, "")
		b.send(ctx, q.Message.Chat, 0, entryReply(e))
	default:
		b.onFull(ctx, q, e, action[0] == actionFullUrgent)
	}
}

// onFull sends the full answer that e gives, under the short one whose
// button was tapped: in the same chat, replying to the question so that its
// feedback buttons know what was asked, or, in an inline message, which the
// bot can only edit, in its place.
func (b *Bot) onFull(ctx context.Context, q *tgbotapi.CallbackQuery, e *knowledge.Entry, urgent bool) {
	a, ok := b.svc.Show(e.ID)
	inChat := q.Message != nil && q.Message.Chat != nil
	if !ok || !inChat && q.InlineMessageID == "" {
		b.answerCallback(ctx, q, staleButton)
		return
	}
	a.Urgent = urgent
	b.answerCallback(ctx, q, "")
	if inChat {
		replyTo := q.Message.MessageID
		if q.Message.ReplyToMessage != nil {
			replyTo = q.Message.ReplyToMessage.MessageID
		}
		b.send(ctx, q.Message.Chat, replyTo, answerReply(a))
		return
	}
	edit := inlineFull(a, b.me.UserName)
	edit.InlineMessageID = q.InlineMessageID
	err := b.call(ctx, "editMessageText", sendAttempts, func(api *tgbotapi.BotAPI) error {
		_, err := api.Request(edit)
		return err
	})
	if err != nil {
		b.log.WarnContext(ctx, "could not show a full answer", "err", err)
	}
}

// askedIn returns the question that m, the message under which a button
// was tapped, answers: the text of the message it replies to, read as ask
// read it. Answers in inline mode (which have no message) and entries opened
// from a topic button reply to nothing, and answer no question. The text is
// the asker's own words and is used only as text; nothing about the asker is
// kept.
func (b *Bot) askedIn(m *tgbotapi.Message) string {
	if m == nil || m.ReplyToMessage == nil {
		return ""
	}
	asked := m.ReplyToMessage
	if asked.From == nil || asked.From.IsBot {
		return ""
	}
	text := asked.Text
	switch name, args, ok := b.command(asked); {
	case ok && name != "ask":
		return "" // /start, /topics and the like ask nothing
	case ok:
		text = args
	case len(asked.Entities) == 0:
		text = withoutAddress(text, b.me.UserName)
	default:
		if q, ok := b.addressed(asked); ok {
			text = q
		}
	}
	q, _ := knowledge.CleanQuestion(text)
	return q
}

// withoutAddress strips a leading /ask or /ask@bot command and a leading
// @bot mention from text, for a message whose entities are not known.
func withoutAddress(text, username string) string {
	word, rest := cutWord(text)
	if strings.EqualFold(word, "/ask") || strings.EqualFold(word, "/ask@"+username) {
		word, rest = cutWord(rest)
	}
	if strings.EqualFold(word, "@"+username) {
		return rest
	}
	return word + " " + rest
}

// entryRef finds the entry a button refers to: by id, or by idHash for the
// longest ids.
func (b *Bot) entryRef(ref string) *knowledge.Entry {
	if !strings.HasPrefix(ref, "#") {
		e, _ := b.svc.Entry(ref)
		return e
	}
	for _, e := range b.svc.Base().Entries() {
		if idHash(e.ID) == ref {
			return e
		}
	}
	return nil
}

func (b *Bot) answerCallback(ctx context.Context, q *tgbotapi.CallbackQuery, text string) {
	err := b.call(ctx, "answerCallbackQuery", sendAttempts, func(api *tgbotapi.BotAPI) error {
		_, err := api.Request(tgbotapi.NewCallback(q.ID, text))
		return err
	})
	if err != nil {
		b.log.WarnContext(ctx, "could not answer a button tap", "err", err)
	}
}

// Inline mode limits.
const (
	maxInlineResults = 5
	inlineCacheTime  = 300 // seconds
)

// onInline routes an inline query, which has a limit of its own. A refused
// one gets an empty answer, while there is room, as the next one may be
// answered.
func (b *Bot) onInline(q *tgbotapi.InlineQuery) request {
	return request{from: q.From, limits: b.inline, limited: q.From != nil,
		answer: func(ctx context.Context) { b.answerQuery(ctx, q) },
		refuse: func(_ knowledge.Verdict, room bool) job {
			if !room {
				return nil
			}
			return func(ctx context.Context) { b.answerInline(ctx, q, []any{}, false) }
		}}
}

// answerQuery offers the top answers to "@bot question" typed in any chat,
// or the topics when nothing has been typed yet.
func (b *Bot) answerQuery(ctx context.Context, q *tgbotapi.InlineQuery) {
	results := []any{}
	cache := true
	a, err := b.svc.Answer(knowledge.AsDraft(ctx), q.Query)
	switch {
	case errors.Is(err, knowledge.ErrEmptyQuestion):
		for _, e := range b.svc.Topics() {
			results = b.appendArticle(results, e, false, false)
		}
	case errors.Is(err, knowledge.ErrBusy):
		b.rateLimited()
		cache = false // there may be room in a moment
	case err != nil:
		b.log.ErrorContext(ctx, "could not answer an inline query", "err", err)
		cache = false
	default:
		for _, m := range a.Matches {
			results = b.appendArticle(results, m.Entry, a.Urgent, !a.Answered)
		}
	}
	if len(results) > maxInlineResults {
		results = results[:maxInlineResults]
	}
	b.answerInline(ctx, q, results, cache)
}

// appendArticle adds the inline result for entry e, with the checklist that
// applies to it, unless it has gone from the knowledge base since.
func (b *Bot) appendArticle(results []any, e *knowledge.Entry, urgent, closest bool) []any {
	a, ok := b.svc.Show(e.ID)
	if !ok {
		return results
	}
	a.Urgent = urgent
	return append(results, inlineArticle(a, closest, b.me.UserName))
}

// answerInline sends the results of an inline query. Telegram may keep them
// for anyone typing the same for inlineCacheTime when cache is set; else,
// for a refusal that must not stand, for a second and for the asker alone
// (a cache time of 0 is not sent at all, and Telegram then keeps an answer
// five minutes).
func (b *Bot) answerInline(ctx context.Context, q *tgbotapi.InlineQuery, results []any, cache bool) {
	config := tgbotapi.InlineConfig{InlineQueryID: q.ID, Results: results, CacheTime: inlineCacheTime}
	if !cache {
		config.CacheTime, config.IsPersonal = 1, true
	}
	err := b.call(ctx, "answerInlineQuery", sendAttempts, func(api *tgbotapi.BotAPI) error {
		_, err := api.Request(config)
		return err
	})
	if err != nil {
		b.log.WarnContext(ctx, "could not answer an inline query", "err", err)
	}
}

// answerKey tells apart the answers a button was tapped under: the chat and
// id of the message that carries it, or the id of an inline answer.
func answerKey(q *tgbotapi.CallbackQuery) string {
	switch {
	case q.InlineMessageID != "":
		return "inline:" + q.InlineMessageID
	case q.Message != nil && q.Message.Chat != nil:
		return strconv.FormatInt(q.Message.Chat.ID, 10) + ":" + strconv.Itoa(q.Message.MessageID)
	}
	return ""
}
