// Package jetstream keeps a knowledge base on NATS JetStream, so that
// several replicas of the bot follow one knowledge base: it implements
// knowledge.Revisions (the revision log) and knowledge.Events (gaps and
// feedback), as adapters/datadir does on files.
//
// The log is one stream whose sequence numbers are the revisions: a record
// is one message holding the whole text of the file it changes, so any
// revision restores from the log alone. A commit is compare-and-set on the
// stream's last sequence, and a batch of records is published as one atomic
// batch, so that it lands as a whole or not at all. The stream keeps every
// message for ever and refuses deletes and purges: every entry's history,
// removals included, reaches back to its first revision. Gaps and feedback
// are a second stream.
//
// Nothing here watches the streams: each Since asks the server afresh, so a
// lost connection cannot leave a watcher silently dead (nats.go#1777), and a
// replica catches up by its next Since once the server is back.
//
// The moderation rules are not here: knowledge.Moderation holds them, on
// any knowledge.Revisions.
//
// Replicas also share the chat platforms here: Leases let one replica at a
// time poll Telegram or hold a Discord gateway shard, and Claims make each
// platform update handled once across replicas. Both implement knowledge's
// interfaces in key-value buckets with per-key TTLs (NATS server 2.11 or
// later), named after the Store's prefix (see Store.Name).
package jetstream
