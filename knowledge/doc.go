// Package knowledge is the domain of the SMP safety bot: knowledge-base entries
// and their validation, the answering service that turns a person's question into
// an Answer, and the small interfaces it needs from a search index.
//
// Platform adapters (Discord, Telegram, the console) call a Service and only decide
// how an Answer looks on their platform. The bleve index lives in package index and
// implements Index; knowledge imports neither bleve nor any platform SDK.
package knowledge
