package knowledge

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Hit is one entry an Index found for a question.
type Hit struct {
	ID string `json:"id"`
	// Score is the relevance of the entry's best-matching phrasing; higher is better.
	Score float64 `json:"score"`
	// Coverage is the share of the question's meaningful words that the entry
	// matches (directly, through a synonym or a near spelling), from 0 to 1.
	Coverage float64 `json:"coverage"`
	// Words counts the question's meaningful words.
	Words int `json:"words"`
	// Exact reports whether one of the entry's phrasings is the question
	// word for word.
	Exact bool `json:"exact,omitempty"`
}

// Index finds the entries that best match a question. Implementations must be
// safe for concurrent use, treat the question as plain words (never as query
// syntax) and return hits best first.
type Index interface {
	Search(ctx context.Context, question string, limit int) ([]Hit, error)
}

// Calibration holds the confidence thresholds below which the service says a
// question is not covered. `bot eval --calibrate` derives them from the
// evaluation set.
//
// A long message needs less coverage when LongWords is set: a story of ten
// meaningful words holds words no entry has (who told them, when, how they
// feel), so the same coverage is stronger evidence than in a short question,
// where two words the entry lacks mean it is about something else.
type Calibration struct {
	MinScore    float64 `json:"min_score"`
	MinCoverage float64 `json:"min_coverage"`
	// LongWords is the fewest meaningful words of a long message, which
	// needs only MinCoverageLong; 0 treats every question alike.
	LongWords       int     `json:"long_words,omitempty"`
	MinCoverageLong float64 `json:"min_coverage_long,omitempty"`
	// NeighbourMargin declines a question that does not name SMP when an
	// out-of-scope topic scores within it of the best entry: "how bad does
	// a rib tattoo hurt" matches "does smp hurt as much as a rib tattoo"
	// about as well as the body-tattoo topic, since "smp", in every entry,
	// weighs little. 0 declines only when the topic scores best.
	NeighbourMargin float64 `json:"neighbour_margin,omitempty"`
	// UrgentWords flags, beside IsUrgent, messages whose words make signs
	// that need a doctor likely; nil leaves IsUrgent alone.
	UrgentWords *UrgentWords `json:"urgent_words,omitempty"`
	// EntryWords ranks the best entries of an answered question; nil
	// leaves the index's order. They are counted from the tuning sets
	// when the calibration is read, not kept in it.
	EntryWords *EntryWords `json:"-"`
}

// Confident reports whether a hit is good enough to be claimed as an answer.
func (c Calibration) Confident(h Hit) bool {
	minCoverage := c.MinCoverage
	if c.LongWords > 0 && h.Words >= c.LongWords {
		minCoverage = c.MinCoverageLong
	}
	return h.Score >= c.MinScore && h.Coverage >= minCoverage
}

// Texts every platform shows the same way.
const (
	Disclaimer   = "General information, not medical advice: for anything about your own health, follow your doctor."
	UrgentNotice = "⚠️ What you describe can be a sign of infection or an allergic reaction. Please see a doctor today. If it is severe (high fever, swelling of the face or throat, trouble breathing, or you feel very unwell), call emergency services now."
	NotCovered   = "Sorry, I don't have anything on that in my knowledge base. I only answer questions about scalp micropigmentation (SMP) safety."
)

// MaxQuestionRunes is the longest question the service reads; longer ones are
// cut to it and the answer says so.
const MaxQuestionRunes = 500

// Limits on an answer.
const (
	maxRelated     = 3
	maxSuggestions = 3
	searchDepth    = 10
	searchTimeout  = 2 * time.Second
)

// Match is an entry found for a question, with its relevance.
type Match struct {
	*Entry
	Score    float64
	Coverage float64
	// Words counts the question's meaningful words.
	Words int
	// Exact reports whether one of the entry's phrasings is the question
	// word for word.
	Exact bool
}

func (m Match) hit() Hit {
	return Hit{ID: m.ID, Score: m.Score, Coverage: m.Coverage, Words: m.Words, Exact: m.Exact}
}

// Answer is the platform-neutral reply to one question.
type Answer struct {
	Question string
	// Truncated is set when the question was cut to MaxQuestionRunes.
	Truncated bool
	// Answered is false when nothing matched well enough; Matches then hold
	// the closest topics as suggestions and no answer is claimed.
	Answered bool
	// Urgent is set when the question describes signs of infection or an
	// allergic reaction: UrgentNotice must come first.
	Urgent bool
	// Declined is the out-of-scope topic the question matched best, well
	// enough to be declined for it; its body says who can help instead.
	Declined *Entry
	// Matches are the entries found, best first; never an out-of-scope one.
	Matches []Match
	// Checklist holds the steps that apply, in step order.
	Checklist []*Entry
	// Related holds up to three further topics.
	Related []*Entry
	// Sources lists the references of the entry that answers, without
	// repeats; the checklist's come with the checklist (see SourcesOf).
	Sources []Source
	// neighbour is the best out-of-scope topic behind the best entry, for
	// a question that does not name SMP (see NeighbourMargin).
	neighbour *Hit
}

// NotCoveredText is what to tell someone whose question is not answered, in
// Markdown: the out-of-scope topic's own word on who can help when it was
// declined for one, else NotCovered.
func (a *Answer) NotCoveredText() string {
	if a.Declined != nil {
		return a.Declined.Body
	}
	return NotCovered
}

// Best returns the entry that answers the question, or nil when none does.
func (a *Answer) Best() *Entry {
	if !a.Answered || len(a.Matches) == 0 {
		return nil
	}
	return a.Matches[0].Entry
}

// ErrEmptyQuestion is returned for a question with no words in it.
var ErrEmptyQuestion = errors.New("empty question")

// Answer finds the reply to a question. User text is treated as plain words.
// It returns ErrEmptyQuestion for a question without words, and ErrBusy for
// one beyond the service's Capacity (see LimitTo).
func (s *Service) Answer(ctx context.Context, question string) (*Answer, error) {
	start := time.Now()
	a, err := s.answer(ctx, question)
	if err == nil {
		for _, o := range s.observers {
			o.Observe(ctx, a, time.Since(start))
		}
	}
	return a, err
}

// Lookup answers question as Answer does, but tells no observer: for a
// moderator looking for the entries a question fits, which is nobody asking
// it, and must not count as a question or reopen it as a gap.
func (s *Service) Lookup(ctx context.Context, question string) (*Answer, error) {
	return s.answer(ctx, question)
}

func (s *Service) answer(ctx context.Context, question string) (*Answer, error) {
	snap := s.acquire()
	defer snap.mu.RUnlock()
	q, truncated := CleanQuestion(question)
	if q == "" {
		return nil, ErrEmptyQuestion
	}
	if !s.admit() {
		return nil, ErrBusy
	}
	defer s.leave()
	a := &Answer{Question: q, Truncated: truncated, Urgent: IsUrgent(q) || s.cal.UrgentWords.Flags(q)}
	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()
	text := searchText(q)
	hits, err := snap.idx.Search(ctx, text, searchDepth)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	// An out-of-scope topic that matches best means the question is not
	// answered; if it matches well enough, the question is declined with
	// its word on who can help. A question describing symptoms is never
	// declined, nor one naming SMP unless the topic is SMP's own trade
	// (see DeclinesSMP). Nor is a question answered that neither names SMP
	// nor speaks of it when an out-of-scope topic scores within
	// NeighbourMargin of its best entry, unless a phrasing of that entry is
	// the question word for word: a moderator filed the question there.
	lower := strings.ToLower(q)
	// A message meaning something else by SMP's name is not answered.
	outOfScope := !a.Urgent && otherMeaning.MatchString(lower) && !snap.base.mentionsSubject(text)
	// Whether the question names SMP, or speaks of it, matters only beside
	// an out-of-scope topic, and is read at the first one.
	var named, cued, read bool
	for i, h := range hits {
		e, ok := snap.base.Entry(h.ID)
		if ok && !e.Answers() && !read {
			named = snap.base.mentionsSubject(text)
			cued = named || speaksOfSMP(lower)
			read = true
		}
		switch {
		case !ok:
		case e.Answers():
			a.Matches = append(a.Matches, Match{Entry: e, Score: h.Score, Coverage: h.Coverage, Words: h.Words, Exact: h.Exact})
		case i == 0 && !a.Urgent && (e.DeclinesSMP || !named):
			outOfScope = true
			if s.cal.Confident(h) {
				a.Declined = e
			}
		case a.neighbour == nil && !cued:
			a.neighbour = &hits[i]
		}
	}
	if n := a.neighbour; n != nil && !outOfScope && !a.Urgent && len(a.Matches) > 0 && !a.Matches[0].Exact &&
		s.cal.NeighbourMargin > 0 && a.Matches[0].Score-n.Score <= s.cal.NeighbourMargin {
		outOfScope = true
		if s.cal.Confident(*n) {
			a.Declined, _ = snap.base.Entry(n.ID)
		}
	}
	if a.Urgent {
		a.Matches = urgentFirst(snap.base, a.Matches, urgentLean(q))
	}
	a.Answered = a.Urgent || !outOfScope && len(a.Matches) > 0 &&
		s.cal.Confident(a.Matches[0].hit())
	if !a.Answered {
		a.Matches = suggestions(a.Matches)
		return a, nil
	}
	if !a.Urgent {
		s.cal.EntryWords.rank(q, a.Matches)
	}
	snap.base.complete(a)
	return a, nil
}

// complete fills in what an answer with its best match shows besides it: the
// checklist that applies, related topics and sources.
func (b *Base) complete(a *Answer) {
	best := a.Matches[0].Entry
	a.Checklist = b.checklistFor(best)
	a.Related = b.related(best, a.Checklist, a.Matches[1:])
	a.Sources = SourcesOf([]*Entry{best})
}

// Show returns the answer that presents one entry, as when someone picks a
// topic: the entry with its checklist, related topics and sources.
func (s *Service) Show(id string) (*Answer, bool) {
	base := s.Base()
	e, ok := base.Entry(id)
	if !ok || !e.Answers() {
		return nil, false
	}
	a := &Answer{Question: e.Title, Answered: true, Matches: []Match{{Entry: e}}}
	base.complete(a)
	return a, true
}

// UrgentTag marks the entries that answer someone describing signs of
// infection or an allergic reaction.
const UrgentTag = "urgent"

// urgentFirst puts the entries tagged urgent ahead of the others, so that
// someone describing symptoms is always answered with what to watch for and
// when to see a doctor, even in words the index does not know. Among them,
// an entry tagged lean ("infection" or "allergy") comes first, then the best
// match.
func urgentFirst(b *Base, ms []Match, lean string) []Match {
	var urgent, rest []Match
	seen := map[string]bool{}
	for _, m := range ms {
		if slices.Contains(m.Tags, UrgentTag) {
			urgent = append(urgent, m)
			seen[m.ID] = true
		} else {
			rest = append(rest, m)
		}
	}
	for _, e := range b.Entries() {
		if slices.Contains(e.Tags, UrgentTag) && e.Answers() && !seen[e.ID] {
			urgent = append(urgent, Match{Entry: e})
		}
	}
	if lean != "" {
		slices.SortStableFunc(urgent, func(x, y Match) int {
			return boolRank(slices.Contains(y.Tags, lean)) - boolRank(slices.Contains(x.Tags, lean))
		})
	}
	return append(urgent, rest...)
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// suggestions keeps the closest topics that matched anything at all.
func suggestions(ms []Match) []Match {
	var out []Match
	for _, m := range ms {
		if m.Coverage > 0 && len(out) < maxSuggestions {
			out = append(out, m)
		}
	}
	return out
}

// checklistFor returns the whole checklist that applies to an answer: the
// checklist of the best entry, or of a checklist step it is related to.
func (b *Base) checklistFor(best *Entry) []*Entry {
	if best.Kind == Checklist {
		return b.Checklist(best.Checklist)
	}
	for _, id := range best.Related {
		if e, ok := b.Entry(id); ok && e.Kind == Checklist {
			return b.Checklist(e.Checklist)
		}
	}
	return nil
}

// related picks up to three further topics: the best entry's own related
// entries first, then the runners-up, skipping what the answer already shows.
func (b *Base) related(best *Entry, shown []*Entry, runnersUp []Match) []*Entry {
	skip := map[string]bool{best.ID: true}
	for _, e := range shown {
		skip[e.ID] = true
	}
	var out []*Entry
	add := func(e *Entry) {
		if len(out) < maxRelated && !skip[e.ID] {
			skip[e.ID] = true
			out = append(out, e)
		}
	}
	for _, id := range best.Related {
		if e, ok := b.Entry(id); ok {
			add(e)
		}
	}
	for _, m := range runnersUp {
		add(m.Entry)
	}
	return out
}

// SourcesOf lists the references of entries, such as a checklist's steps,
// without repeats.
func SourcesOf(entries []*Entry) []Source {
	seen := map[string]bool{}
	var out []Source
	for _, e := range entries {
		for _, s := range e.Sources {
			if !seen[s.URL] {
				seen[s.URL] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// CleanQuestion trims a question, folds runs of white space and control
// characters into single spaces, drops bidirectional-text controls, and cuts
// it to MaxQuestionRunes, at the end of a word where it can. It reports
// whether it had to cut.
func CleanQuestion(q string) (string, bool) {
	if !utf8.ValidString(q) {
		q = strings.ToValidUTF8(q, " ")
	}
	q = strings.Map(dropBidi, q)
	q = strings.Join(strings.FieldsFunc(q, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
	if utf8.RuneCountInString(q) <= MaxQuestionRunes {
		return q, false
	}
	rs := []rune(q)
	cut := string(rs[:MaxQuestionRunes])
	// A word cut in two is a word nobody wrote, which would count
	// against every entry: end at the last whole word, if there is one.
	if rs[MaxQuestionRunes] != ' ' {
		if i := strings.LastIndexByte(cut, ' '); i > 0 {
			cut = cut[:i]
		}
	}
	return strings.TrimSpace(cut), true
}

// dropBidi removes the bidirectional-text controls, which can make a stored
// question read backwards to the moderator who lists it.
func dropBidi(r rune) rune {
	if unicode.Is(unicode.Bidi_Control, r) {
		return -1
	}
	return r
}

// Entry returns the current entry with the given id.
func (s *Service) Entry(id string) (*Entry, bool) { return s.Base().Entry(id) }

// PractitionerChecklist is the name of the guide's checklist for choosing a
// practitioner.
const PractitionerChecklist = "choosing-a-practitioner"

// Checklist returns the guide's checklist for choosing a practitioner, in
// step order.
func (s *Service) Checklist() []*Entry { return s.Base().Checklist(PractitionerChecklist) }

// Topics returns every explanation entry, sorted by title, for a topic menu.
func (s *Service) Topics() []*Entry {
	var out []*Entry
	for _, e := range s.Base().Entries() {
		if e.Kind == Explanation {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Title < out[j].Title })
	return out
}

// Suggestion is an autocomplete choice: a phrasing people type and the entry
// it leads to.
type Suggestion struct {
	Text    string
	EntryID string
}

// Suggest returns up to n titles and alternate questions containing every word
// of partial, titles first. An empty partial suggests the topic titles.
func (s *Service) Suggest(partial string, n int) []Suggestion {
	words := strings.Fields(strings.ToLower(partial))
	var titles, questions []Suggestion
	matches := func(text string) bool {
		low := strings.ToLower(text)
		for _, w := range words {
			if !strings.Contains(low, w) {
				return false
			}
		}
		return true
	}
	for _, e := range s.Base().Entries() {
		if !e.Answers() {
			continue
		}
		if matches(e.Title) {
			titles = append(titles, Suggestion{Text: e.Title, EntryID: e.ID})
		}
		if len(words) == 0 {
			continue
		}
		for _, q := range e.Questions {
			if matches(q) {
				questions = append(questions, Suggestion{Text: q, EntryID: e.ID})
			}
		}
	}
	sort.SliceStable(titles, func(i, j int) bool { return titles[i].Text < titles[j].Text })
	out := append(titles, questions...)
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// FeedbackOn records whether the answer entryID gave to question helped: to
// the log, and to the FeedbackRecorder when one is set. voter and answer are
// the platform's keys for who tapped and for the answer they tapped under
// (a user id; a chat and message id): one voter's feedback on one answer
// counts once, the last tap winning. Only an opaque hash of the two is
// recorded, never the voter's identity.
func (s *Service) FeedbackOn(ctx context.Context, voter, answer, entryID, question string, helpful bool) error {
	if _, ok := s.Entry(entryID); !ok {
		return fmt.Errorf("feedback on unknown entry %q", entryID)
	}
	s.log.InfoContext(ctx, "feedback", "entry", entryID, "helpful", helpful)
	if s.feedback != nil {
		if err := s.feedback.RecordFeedback(ctx, VoteKey(voter, answer), entryID, question, helpful); err != nil {
			return fmt.Errorf("record feedback: %w", err)
		}
	}
	return nil
}
