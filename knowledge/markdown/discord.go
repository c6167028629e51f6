package markdown

import (
	"regexp"
	"strings"
	"unicode"
)

// Discord renders the document in the Markdown Discord shows in messages
// and embeds. Discord keeps every line break, so the lines of a paragraph
// are joined; headings become bold lines, since embeds show no headings;
// links keep the [text](url) form only when SafeURL allows them. Text that
// Discord would read as formatting (*, _, ~, |, `, [, ], <, \, and #, >, -
// or a number at the start of a line) is escaped with a backslash, so it
// shows as the entry's writer meant.
func (d *Doc) Discord() string { return d.render(discordFormat()) }

func discordFormat() *format {
	return &format{
		text:     discordText,
		strong:   wrap("**"),
		emphasis: wrap("*"),
		code: func(s string) string {
			if strings.Contains(s, "`") {
				return "`` " + s + " ``"
			}
			return "`" + s + "`"
		},
		link:    discordLink,
		heading: wrap("**"),
		quote:   quoteLines,
		codeBlock: func(s string) string {
			// A fence inside the code would end the block early.
			return "```\n" + strings.ReplaceAll(s, "```", "`\u200b``") + "\n```"
		},
		lineStart:  discordLineStart,
		hardBreak:  "\n",
		indent:     func(depth int) string { return strings.Repeat("   ", depth) },
		bullet:     func(depth int) string { return strings.Repeat("   ", depth) + "- " },
		keepGaps:   true,
		flatQuotes: true,
	}
}

var (
	discordEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "~", `\~`, "|", `\|`, "`", "\\`", "[", `\[`, "]", `\]`, "<", `\<`)
	// bareURL is a web address in text, which Discord links by itself.
	bareURL = regexp.MustCompile(`(?i)https?://[^\s<]+`)
)

// discordText escapes text so that Discord shows it as written, not as
// formatting, leaving web addresses alone: Discord links them by itself,
// and a backslash would become part of the link.
func discordText(s string) string {
	var b strings.Builder
	at := 0
	for _, m := range bareURL.FindAllStringIndex(s, -1) {
		b.WriteString(discordEscaper.Replace(s[at:m[0]]))
		b.WriteString(s[m[0]:m[1]])
		at = m[1]
	}
	b.WriteString(discordEscaper.Replace(s[at:]))
	return b.String()
}

// wrap returns a function putting a marker on each side of its text.
func wrap(marker string) func(string) string {
	return func(s string) string { return marker + s + marker }
}

// discordLineStart escapes what would make a line of a paragraph a
// heading, quote or list item on Discord.
func discordLineStart(line string) string {
	switch {
	case line == "":
		return line
	case strings.ContainsRune("#>-+", rune(line[0])):
		return `\` + line
	}
	digits := strings.TrimLeftFunc(line, unicode.IsDigit)
	if len(digits) < len(line) && (strings.HasPrefix(digits, ". ") || strings.HasPrefix(digits, ") ")) {
		return line[:len(line)-len(digits)] + `\` + digits
	}
	return line
}

// DiscordLink is a Discord Markdown link to href showing text, which it
// escapes, or the text alone when SafeURL refuses href.
func DiscordLink(text, href string) string { return discordLink(discordText(text), href) }

// discordLink links label, already Discord Markdown, to href, or shows
// label alone when SafeURL refuses href. Discord's link text allows no
// brackets, escaped or not, so the label's become parentheses; parentheses
// in href are encoded so that they cannot end the link early.
// Discord links only web addresses: an address that is its own label shows
// bare, which Discord links by itself, and an email address follows its
// label in parentheses.
func discordLink(label, href string) string {
	switch {
	case !SafeURL(href):
		return label
	case strings.HasPrefix(strings.ToLower(href), "mailto:"):
		if addr := href[len("mailto:"):]; addr != label {
			return label + " (" + discordText(addr) + ")"
		}
		return label
	case label == href:
		return href
	}
	label = strings.NewReplacer(`\[`, "(", `\]`, ")").Replace(label)
	return "[" + label + "](" + strings.NewReplacer("(", "%28", ")", "%29").Replace(href) + ")"
}
