// Package knowledge is the domain of the SMP safety bot: knowledge-base entries
// and their validation, the answering service that turns a person's question into
// an Answer, the moderation service that changes the knowledge base, and the
// small interfaces they need from the outside world.
//
// Platform adapters (Discord, Telegram, the console) call a Service and a
// Moderation and only decide how their results look on their platform. The
// bleve index lives in package index and implements Index. Storage adapters
// implement Revisions, the ordered log of revisions a knowledge base is built
// from, and Events, the gaps and feedback: Service.Follow keeps answering from
// the newest revision, and Moderation makes compare-and-set changes validated
// like Load. Logins issues and redeems the web console's login links and
// checks its sessions, kept by a storage adapter's Credentials. Replicas of
// the bot share the chat platforms through Leases (one replica at a time
// does what must not be done twice at once, see Lease) and Claims (each
// platform update is handled once, see Claimer), kept in memory for a
// single process (LocalLeases, LocalClaims). knowledge does no I/O of its
// own and imports no platform SDK, no bleve and no storage client.
package knowledge
