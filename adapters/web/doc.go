// Package web is the moderators' web console: an HTTP adapter serving
// server-rendered pages (html/template, no script) on a port of its own,
// through which a moderator reads and changes the knowledge base with the
// same knowledge.Moderation the chat front ends use.
//
// Nobody has a password. A moderator asks a front end for a login link
// (/kb web on Telegram or Discord, bot kb web-link on the command line); the
// front end checks they are one and knowledge.Logins issues the link. This
// package only redeems it, for a session cookie, and names the session's
// moderator as the author of every change.
//
// Every page needs a live session; without one it shows the login page and
// nothing else. Every change is a POST carrying the session's CSRF token,
// from the console's own Origin, within a per-session rate limit and a body
// size limit; every response forbids framing, sniffing, referrers and any
// script (see secure).
package web
