// Package monitor tells an operator how the bot is doing: Prometheus metrics
// of the questions it answers and of its adapters, and the liveness and
// readiness checks that a process supervisor or load balancer asks, all
// served over HTTP.
//
// Only cmd/bot imports it. The knowledge service reports to Metrics as a
// knowledge.Observer; adapters report through small interfaces of their own
// (an adapter's Ready method, a rate-limit or error counter they are given),
// so that no adapter imports Prometheus.
package monitor
