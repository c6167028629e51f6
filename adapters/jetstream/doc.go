// Package jetstream keeps what replicas of the bot share on NATS JetStream,
// through github.com/nats-io/nats.go and its jetstream package: the leases
// that let one replica at a time poll Telegram or hold a Discord gateway
// shard (Leases), and the claims that make each platform update handled
// once across replicas (Claims). Both implement the interfaces of package
// knowledge, in key-value buckets with per-key TTLs (NATS server 2.11 or
// later).
package jetstream
