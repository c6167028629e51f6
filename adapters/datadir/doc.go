// Package datadir keeps a knowledge base in a data directory on disk: it
// implements knowledge.Revisions (the revision log, log.jsonl, with the entry
// files following it) and knowledge.Events (gaps.jsonl, feedback.jsonl), with
// fsync'd atomic writes and a lock file shared by the processes using one
// directory. Files edited by hand become revisions by HandEdit. The whole
// knowledge base exports to one file and imports back, and merges changes
// of the embedded default (Upstream, Merge). It also keeps the web
// console's login links and sessions (knowledge.Credentials) in web-logins/,
// so that a link bot kb web-link issues is redeemed by the running bot.
//
// The moderation rules are not here: knowledge.Moderation holds them, on
// any knowledge.Revisions.
package datadir
