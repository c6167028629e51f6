// Package markdown reads the Markdown of knowledge-base entries, once, and
// renders it for each front end: safe HTML for the web console, Telegram's
// HTML subset (with the cutting of long messages Telegram needs), Discord's
// Markdown and plain text for the console.
//
// Entries are CommonMark, parsed by github.com/yuin/goldmark without
// extensions (GitHub's strikethrough would take "2~3 weeks ~4" for struck
// text); this is the one place their Markdown is read.
// Raw HTML in an entry is never passed through: every renderer shows it as
// the text it is. Links are kept only when SafeURL allows them; other links
// show their text alone.
//
// It is a subpackage of knowledge, not part of one adapter, because more
// than one adapter needs every rendering: the web console previews how an
// answer looks on Telegram and on Discord, and adapters may not import each
// other. It is apart from knowledge itself so that the domain stays free of
// a parser library; like knowledge, it does no I/O.
package markdown
