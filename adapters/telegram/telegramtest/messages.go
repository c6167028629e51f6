package telegramtest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// maxMessageLen is the longest message text Telegram accepts, in UTF-16
// code units once the HTML is parsed.
const maxMessageLen = 4096

// InlineResult is an article in an answerInlineQuery call.
type InlineResult struct {
	Type        string `json:"type"`
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Content     struct {
		Text      string `json:"message_text"`
		ParseMode string `json:"parse_mode"`
		NoPreview bool   `json:"disable_web_page_preview"`
	} `json:"input_message_content"`
	ReplyMarkup *InlineKeyboard `json:"reply_markup"`
}

// InlineKeyboard is the reply_markup of a message with buttons.
type InlineKeyboard struct {
	Rows [][]Button `json:"inline_keyboard"`
}

// Button is an inline keyboard button.
type Button struct {
	Text string `json:"text"`
	Data string `json:"callback_data"`
}

// checkMessage refuses what Telegram refuses: bad HTML, text over 4096
// characters once parsed, buttons with over 64 bytes of data. It returns
// Telegram's description of the problem, or "".
func checkMessage(text, parseMode, markup string) string {
	if parseMode != "HTML" {
		return "Bad Request: the bot must use parse_mode HTML, got " + strconv.Quote(parseMode)
	}
	visible, err := ParseHTML(text)
	switch {
	case err != nil:
		return "Bad Request: can't parse entities: " + err.Error()
	case strings.TrimSpace(visible) == "":
		return "Bad Request: message text is empty"
	case len(utf16.Encode([]rune(visible))) > maxMessageLen:
		return "Bad Request: message is too long"
	}
	if markup == "" || markup == "null" {
		return ""
	}
	var kb InlineKeyboard
	if err := json.Unmarshal([]byte(markup), &kb); err != nil {
		return "Bad Request: can't parse reply keyboard markup JSON object"
	}
	for _, row := range kb.Rows {
		for _, b := range row {
			if b.Text == "" || b.Data == "" || len(b.Data) > 64 {
				return "Bad Request: BUTTON_DATA_INVALID"
			}
		}
	}
	return ""
}

var (
	telegramTags = map[string]bool{"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
		"s": true, "strike": true, "del": true, "code": true, "pre": true, "a": true, "tg-spoiler": true, "blockquote": true}
	hrefAttr = regexp.MustCompile(`^href="[^"<>]*"$`)
	entities = map[string]string{"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": `"`}
)

// ParseHTML checks text against Telegram's HTML subset, strictly, and
// returns the text a reader sees.
func ParseHTML(s string) (string, error) {
	var (
		out   strings.Builder
		stack []string
	)
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return "", fmt.Errorf("unclosed tag at byte %d", i)
			}
			tag := s[i+1 : i+j]
			i += j + 1
			if name, ok := strings.CutPrefix(tag, "/"); ok {
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return "", fmt.Errorf("can't find start tag for </%s>", name)
				}
				stack = stack[:len(stack)-1]
				continue
			}
			name, attrs, _ := strings.Cut(tag, " ")
			switch {
			case !telegramTags[name]:
				return "", fmt.Errorf("unsupported start tag %q", name)
			case name == "a" && !hrefAttr.MatchString(attrs):
				return "", fmt.Errorf("bad link attributes %q", attrs)
			case name != "a" && attrs != "":
				return "", fmt.Errorf("unexpected attributes in <%s>", name)
			}
			if err := checkNesting(stack, name); err != nil {
				return "", err
			}
			stack = append(stack, name)
		case '&':
			j := strings.IndexByte(s[i:], ';')
			if j < 0 {
				return "", fmt.Errorf("unescaped & at byte %d", i)
			}
			ent := s[i : i+j+1]
			if text, ok := entities[ent]; ok {
				out.WriteString(text)
			} else if n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(ent, "&#"), ";")); err == nil && strings.HasPrefix(ent, "&#") {
				out.WriteRune(rune(n))
			} else {
				return "", fmt.Errorf("unsupported entity %q", ent)
			}
			i += j + 1
		case '>':
			return "", fmt.Errorf("unescaped > at byte %d", i)
		default:
			out.WriteByte(s[i])
			i++
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("unclosed <%s>", stack[len(stack)-1])
	}
	return out.String(), nil
}

// checkNesting refuses what Telegram's entities may not hold
// (https://core.telegram.org/bots/api#formatting-options): nothing inside
// code or pre but code directly in pre, no quote in a quote, and no code,
// pre or link in a link. Bold, italic, underline, strikethrough and spoiler
// go anywhere else.
func checkNesting(open []string, name string) error {
	for i, outer := range open {
		switch {
		case (outer == "code" || outer == "pre") && !(outer == "pre" && name == "code" && i == len(open)-1):
			return fmt.Errorf("<%s> inside <%s>", name, outer)
		case outer == "blockquote" && name == "blockquote":
			return fmt.Errorf("nested <blockquote>")
		case outer == "a" && (name == "a" || name == "code" || name == "pre"):
			return fmt.Errorf("<%s> inside a link", name)
		}
	}
	return nil
}

// Message is a message the bot delivered.
type Message struct {
	ID       int
	Chat     int64
	HTML     string
	Text     string // as the reader sees it
	ReplyTo  int
	Preview  bool
	Keyboard [][]Button
	// Time is when the sendMessage request arrived.
	Time time.Time
}

// Buttons returns the labels of the message's buttons, row by row.
func (m Message) Buttons() []string {
	var out []string
	for _, row := range m.Keyboard {
		for _, b := range row {
			out = append(out, b.Text)
		}
	}
	return out
}

// ButtonData returns the callback data of the first button labelled text,
// or "".
func (m Message) ButtonData(text string) string {
	for _, row := range m.Keyboard {
		for _, b := range row {
			if b.Text == text {
				return b.Data
			}
		}
	}
	return ""
}

// Delivered returns the messages that reqs delivered.
func Delivered(t testing.TB, reqs []Request) []Message {
	t.Helper()
	var out []Message
	for _, r := range Calls(reqs, "sendMessage") {
		m := Message{ID: r.MessageID, HTML: r.Form.Get("text"), Preview: r.Form.Get("disable_web_page_preview") != "true", Time: r.Time}
		m.Chat, _ = strconv.ParseInt(r.Form.Get("chat_id"), 10, 64)
		m.ReplyTo, _ = strconv.Atoi(r.Form.Get("reply_to_message_id"))
		m.Text, _ = ParseHTML(m.HTML)
		if kb := r.Form.Get("reply_markup"); kb != "" {
			var k InlineKeyboard
			if err := json.Unmarshal([]byte(kb), &k); err != nil {
				t.Fatalf("reply_markup %s: %v", kb, err)
			}
			m.Keyboard = k.Rows
		}
		out = append(out, m)
	}
	return out
}

// User is the sender of an update.
type User struct {
	ID       int64  `json:"id"`
	IsBot    bool   `json:"is_bot"`
	Name     string `json:"first_name"`
	Username string `json:"username,omitempty"`
}

// Chat is the chat of a message.
type Chat struct {
	ID    int64  `json:"id"`
	Type  string `json:"type"` // private, group, supergroup or channel
	Title string `json:"title,omitempty"`
}

// Bot is the bot itself as a sender, for replies to its messages.
func Bot() User { return User{ID: BotID, IsBot: true, Name: "SMP Safety", Username: BotUsername} }

// Private is the private chat of a user with the bot.
func Private(u User) Chat { return Chat{ID: u.ID, Type: "private"} }

var mentions = regexp.MustCompile(`@[A-Za-z0-9_]{5,32}`)

// Message returns a message update and the message's id; extra fields are
// merged into the message. Entities for a leading command and for
// @mentions are found the way Telegram finds them, with UTF-16 offsets.
func (s *Server) Message(from User, in Chat, text string, extra map[string]any) (update string, msgID int) {
	msgID = s.msgID()
	m := map[string]any{"message_id": msgID, "date": 1700000000, "chat": in, "from": from, "text": text}
	var ents []map[string]any
	u16 := func(s string) int { return len(utf16.Encode([]rune(s))) }
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(strings.SplitN(text, "\n", 2)[0], " ")
		ents = append(ents, map[string]any{"type": "bot_command", "offset": 0, "length": u16(cmd)})
	}
	for _, loc := range mentions.FindAllStringIndex(text, -1) {
		if loc[0] == 0 || text[loc[0]-1] == ' ' {
			ents = append(ents, map[string]any{"type": "mention", "offset": u16(text[:loc[0]]), "length": u16(text[loc[0]:loc[1]])})
		}
	}
	if ents != nil {
		m["entities"] = ents
	}
	for k, v := range extra {
		m[k] = v
	}
	s.mu.Lock()
	s.remember(m, in)
	s.mu.Unlock()
	return wrap("message", m), msgID
}

func wrap(kind string, v any) string {
	b, err := json.Marshal(map[string]any{kind: v})
	if err != nil {
		panic(err)
	}
	return `{"update_id":%d,` + string(b[1:])
}

// Tap returns a callback query update: a tap with id by a user on a button
// with data under the bot's message msgID in a chat.
func Tap(id string, from User, in Chat, msgID int, data string) string {
	return wrap("callback_query", map[string]any{"id": id, "from": from, "chat_instance": "ci", "data": data,
		"message": map[string]any{"message_id": msgID, "date": 1700000000, "chat": in, "from": Bot(), "text": "answer"}})
}

// InlineTap returns a callback query update: a tap with id by a user on a
// button with data under an inline message, which Telegram names by its
// inline id only.
func InlineTap(id string, from User, inlineMessageID, data string) string {
	return wrap("callback_query", map[string]any{"id": id, "from": from, "chat_instance": "ci", "inline_message_id": inlineMessageID, "data": data})
}

// TapOn returns a callback query update: a tap with id by a user on a
// button with data under msgID, a message the bot sent. The query carries
// the message as Telegram does, with the message it replies to, if any.
func (s *Server) TapOn(id string, from User, msgID int, data string) string {
	s.t.Helper()
	s.mu.Lock()
	msg, ok := s.messages[msgID]
	s.mu.Unlock()
	if !ok {
		s.t.Fatalf("TapOn: the bot sent no message %d", msgID)
	}
	return wrap("callback_query", map[string]any{"id": id, "from": from, "chat_instance": "ci", "data": data, "message": msg})
}

// InlineQuery returns an inline query update.
func InlineQuery(id string, from User, query string) string {
	return wrap("inline_query", map[string]any{"id": id, "from": from, "query": query, "offset": ""})
}
