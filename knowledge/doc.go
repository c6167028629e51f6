// Package knowledge is the domain of the SMP safety bot: knowledge-base entries
// and their validation, the answering service that turns a person's question into
// an Answer, and the small interfaces it needs from a search index.
//
// Platform adapters (Discord, Telegram, the console) call a Service and only decide
// how an Answer looks on their platform. The bleve index lives in package index and
// implements Index; knowledge imports neither bleve nor any platform SDK.
//
// A Store keeps an editable knowledge base in a data directory as an ordered
// log of revisions (the Log interface; FileLog on disk): moderators change it
// with compare-and-set writes that are validated like Load, Service.Follow keeps a
// Service answering from its newest revision, and it records the questions
// nobody got an answer to and the feedback on answers.
package knowledge
