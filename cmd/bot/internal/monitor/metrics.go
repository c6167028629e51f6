package monitor

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/smpbot/bot/knowledge"
)

// Outcomes of a question, the values of the outcome label.
const (
	Answered   = "answered"
	NotCovered = "not_covered"
	Urgent     = "urgent"
)

// unknownPlatform labels questions whose context carries no platform tag.
const unknownPlatform = "unknown"

// Metrics are the bot's Prometheus metrics, in a registry of their own
// together with the Go runtime and process collectors. Metrics is safe for
// concurrent use.
type Metrics struct {
	reg         *prometheus.Registry
	svc         atomic.Pointer[knowledge.Service]
	questions   *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	reloads     *prometheus.CounterVec
	errors      *prometheus.CounterVec
	rateLimited *prometheus.CounterVec
	skipped     prometheus.Gauge
	leases      *prometheus.GaugeVec
	duplicates  *prometheus.CounterVec
}

// NewMetrics returns the bot's metrics. The series of the given platforms
// start at zero, so that rates over them exist before the first question.
func NewMetrics(platforms ...string) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smpbot_questions_total",
			Help: "Questions answered, by platform and outcome (answered, not_covered, urgent).",
		}, []string{"platform", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "smpbot_answer_duration_seconds",
			Help:    "Time to answer a question, from the question to the answer, by platform.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"platform"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smpbot_knowledge_reloads_total",
			Help: "Knowledge-base reloads, by result: ok, invalid (served, but skipping hand-edited files that do not validate) or error (not served).",
		}, []string{"result"}),
		skipped: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "smpbot_knowledge_skipped_files",
			Help: "Hand-edited files in the data directory being skipped because they do not validate; their last good version serves.",
		}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smpbot_adapter_errors_total",
			Help: "Errors talking to a chat platform, by adapter.",
		}, []string{"adapter"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smpbot_rate_limited_total",
			Help: "Questions refused because the asker went over the per-user rate limit or the bot was at its capacity, by platform.",
		}, []string{"platform"}),
		leases: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "smpbot_lease_held",
			Help: "Whether this replica holds a lease (1) or stands by (0), by lease: Telegram's long polling, a Discord gateway shard.",
		}, []string{"lease"}),
		duplicates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smpbot_duplicates_dropped_total",
			Help: "Platform updates dropped because they were taken before, by this replica or another, by platform.",
		}, []string{"platform"}),
	}
	entries := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "smpbot_knowledge_entries",
		Help: "Entries in the knowledge base now answering.",
	}, m.entries)
	m.reg.MustRegister(
		m.questions, m.latency, m.reloads, m.errors, m.rateLimited, m.skipped, entries, m.leases, m.duplicates,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	for _, result := range []string{"ok", "invalid", "error"} {
		m.reloads.WithLabelValues(result)
	}
	for _, p := range platforms {
		for _, o := range []string{Answered, NotCovered, Urgent} {
			m.questions.WithLabelValues(p, o)
		}
		m.errors.WithLabelValues(p)
		m.rateLimited.WithLabelValues(p)
		m.duplicates.WithLabelValues(p)
	}
	return m
}

// Instrument makes m observe svc: every question it answers and the size of
// its knowledge base. Call it before svc is shared, as Service.Observe asks.
func (m *Metrics) Instrument(svc *knowledge.Service) {
	svc.Observe(m)
	m.svc.Store(svc)
}

func (m *Metrics) entries() float64 {
	svc := m.svc.Load()
	if svc == nil {
		return 0
	}
	return float64(len(svc.Base().Entries()))
}

// Observe counts an answered question under the platform that ctx was tagged
// with by knowledge.WithPlatform. It implements knowledge.Observer.
func (m *Metrics) Observe(ctx context.Context, a *knowledge.Answer, elapsed time.Duration) {
	platform := knowledge.Platform(ctx)
	if platform == "" {
		platform = unknownPlatform
	}
	m.questions.WithLabelValues(platform, outcome(a)).Inc()
	m.latency.WithLabelValues(platform).Observe(elapsed.Seconds())
}

// outcome names what became of a question. An urgent question counts as
// urgent, not as answered, so that the urgent rate stands out.
func outcome(a *knowledge.Answer) string {
	switch {
	case a.Urgent:
		return Urgent
	case a.Answered:
		return Answered
	default:
		return NotCovered
	}
}

// Reloaded counts a reload of the knowledge base that ended with err (nil
// for success) while skipping the given number of hand-edited files that do
// not validate: such a reload is invalid, so that an alert on it fires. The
// entries gauge follows the service by itself.
func (m *Metrics) Reloaded(err error, skipped int) {
	result := "ok"
	switch {
	case err != nil:
		result = "error"
	case skipped > 0:
		result = "invalid"
	}
	m.reloads.WithLabelValues(result).Inc()
	m.skipped.Set(float64(skipped))
}

// AdapterError counts an error talking to a chat platform: a failed send, a
// dropped connection, a refused request.
func (m *Metrics) AdapterError(adapter string) {
	m.errors.WithLabelValues(adapter).Inc()
}

// RateLimited counts a question refused on platform because its asker went
// over the per-user rate limit, or the bot was at its capacity.
func (m *Metrics) RateLimited(platform string) {
	m.rateLimited.WithLabelValues(platform).Inc()
}

// LeaseHeld records whether this replica holds the named lease. It
// implements knowledge.ReplicaMetrics.
func (m *Metrics) LeaseHeld(lease string, held bool) {
	v := 0.0
	if held {
		v = 1
	}
	m.leases.WithLabelValues(lease).Set(v)
}

// DuplicateDropped counts an update of platform dropped as taken before.
// It implements knowledge.ReplicaMetrics.
func (m *Metrics) DuplicateDropped(platform string) {
	m.duplicates.WithLabelValues(platform).Inc()
}

// Handler serves the metrics in the Prometheus text format. A collector
// that fails (the process collector in a sandbox that hides /proc/stat)
// leaves out its own metrics, not all of them.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, ErrorHandling: promhttp.ContinueOnError})
}

// Follow adds the revision of the shared knowledge base's log the index
// answers from, and how many revisions it is behind the log, as the two
// functions report them.
func (m *Metrics) Follow(applied, lag func() int64) {
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "smpbot_knowledge_revision",
			Help: "Revision of the shared knowledge base's log the index answers from.",
		}, func() float64 { return float64(applied()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "smpbot_knowledge_lag_revisions",
			Help: "Revisions of the shared knowledge base's log the index has not applied yet, as far as this replica last saw the log.",
		}, func() float64 { return float64(lag()) }),
	)
}
