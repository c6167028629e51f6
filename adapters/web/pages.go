package web

import (
	"cmp"
	"errors"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smpbot/bot/knowledge"
)

// pageSize is how many rows a list page shows.
const pageSize = 50

type overviewData struct {
	Rev           int64
	Entries, Gaps int
	Up, Down      int
	// Disliked are the entries with the most 👎.
	Disliked []knowledge.EntryFeedback
	// AnsweredDay and AnsweredWeek count the questions answered since
	// CountingSince, when the bot started.
	AnsweredDay, AnsweredWeek int
	CountingSince             time.Time
}

// maxDisliked is how many entries with the most 👎 the overview lists.
const maxDisliked = 5

func (s *Server) overview(w http.ResponseWriter, r *http.Request, sess knowledge.Session) {
	ctx := r.Context()
	base, rev, err := s.mod.Base(ctx)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	gaps, err := s.mod.Gaps(ctx)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	fb, err := s.mod.Feedback(ctx)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d := overviewData{Rev: rev, Entries: len(base.Entries()), Gaps: len(gaps)}
	for _, f := range fb {
		d.Up += f.Up
		d.Down += f.Down
		if f.Down > 0 {
			d.Disliked = append(d.Disliked, f)
		}
	}
	slices.SortStableFunc(d.Disliked, func(a, b knowledge.EntryFeedback) int { return cmp.Compare(b.Down, a.Down) })
	d.Disliked = d.Disliked[:min(len(d.Disliked), maxDisliked)]
	d.AnsweredDay, d.CountingSince = s.answered.since(24)
	d.AnsweredWeek, _ = s.answered.since(7 * 24)
	s.render(w, r, http.StatusOK, "overview", view{Title: "Overview", Nav: "overview", Sess: sess, Data: d})
}

// entryRow is an entry in the list of entries.
type entryRow struct {
	*knowledge.Entry
	// Collisions are its phrasings another entry answers first, when
	// Checked.
	Collisions []collision
	Checked    bool
}

// collision is a phrasing of an entry that another entry answers first.
type collision struct {
	Phrasing, By string
}

type entriesData struct {
	Q, Kind, Tag, Checklist string
	Kinds                   []knowledge.Kind
	Tags, Checklists        []string
	Rows                    []entryRow
	// Unchecked is set when some rows' phrasings are still being checked.
	Unchecked   bool
	Total       int
	Page, Pages int
	Prev, Next  string
}

func (s *Server) entries(w http.ResponseWriter, r *http.Request, sess knowledge.Session) {
	ctx := r.Context()
	q := r.URL.Query()
	d := entriesData{
		Q: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), Tag: q.Get("tag"), Checklist: q.Get("checklist"),
		Kinds: []knowledge.Kind{knowledge.Explanation, knowledge.Checklist, knowledge.OutOfScope},
	}
	base := s.svc.Base()
	tags := map[string]bool{}
	var match []*knowledge.Entry
	needle := strings.ToLower(d.Q)
	for _, e := range base.Entries() {
		for _, t := range e.Tags {
			tags[t] = true
		}
		if d.Kind != "" && string(e.Kind) != d.Kind || d.Checklist != "" && e.Checklist != d.Checklist ||
			d.Tag != "" && !slices.Contains(e.Tags, d.Tag) || needle != "" && !mentions(e, needle) {
			continue
		}
		match = append(match, e)
	}
	d.Tags = slices.Sorted(maps.Keys(tags))
	d.Checklists = base.Checklists()
	d.Total = len(match)
	d.Pages = max(1, (len(match)+pageSize-1)/pageSize)
	d.Page = min(max(1, atoi(q.Get("page"))), d.Pages)
	shown := match[(d.Page-1)*pageSize : min(len(match), d.Page*pageSize)]
	deadline := time.Now().Add(searchBudget)
	for _, e := range shown {
		cs, ok := s.searches.collisions(ctx, base, e, deadline)
		d.Rows = append(d.Rows, entryRow{Entry: e, Collisions: cs, Checked: ok})
		d.Unchecked = d.Unchecked || !ok
	}
	page := func(n int) string {
		v := url.Values{}
		for k, x := range map[string]string{"q": d.Q, "kind": d.Kind, "tag": d.Tag, "checklist": d.Checklist} {
			if x != "" {
				v.Set(k, x)
			}
		}
		v.Set("page", strconv.Itoa(n))
		return "/entries?" + v.Encode()
	}
	if d.Page > 1 {
		d.Prev = page(d.Page - 1)
	}
	if d.Page < d.Pages {
		d.Next = page(d.Page + 1)
	}
	s.render(w, r, http.StatusOK, "entries", view{Title: "Entries", Nav: "entries", Sess: sess, Data: d})
}

// mentions reports whether e's id, title, questions or tags hold needle, in
// lower case.
func mentions(e *knowledge.Entry, needle string) bool {
	if strings.Contains(e.ID, needle) || strings.Contains(strings.ToLower(e.Title), needle) {
		return true
	}
	return slices.ContainsFunc(e.Questions, func(q string) bool { return strings.Contains(strings.ToLower(q), needle) }) ||
		slices.Contains(e.Tags, needle)
}

// answerView is an answer as a person asking gets it.
type answerView struct {
	*knowledge.Answer
	Best         *knowledge.Entry
	BestHTML     template.HTML
	NotCovered   template.HTML
	UrgentNotice string
	LongNotice   string
	Closest      string
}

func newAnswerView(a *knowledge.Answer) *answerView {
	v := &answerView{Answer: a, Best: a.Best()}
	if v.Best != nil {
		v.BestHTML = bodyHTML(v.Best.Body)
	} else {
		v.NotCovered = bodyHTML(a.NotCoveredText())
		if len(a.Matches) > 0 {
			v.Closest = knowledge.ClosestTopicsNotice
		}
	}
	if a.Urgent {
		v.UrgentNotice = knowledge.UrgentNotice
	}
	if a.Truncated {
		v.LongNotice = knowledge.LongQuestionNotice
	}
	return v
}

type askData struct {
	Q       string
	Answer  *answerView
	Reasons *knowledge.Reasons
}

func (s *Server) ask(w http.ResponseWriter, r *http.Request, sess knowledge.Session) {
	d := askData{Q: strings.TrimSpace(r.URL.Query().Get("q"))}
	v := view{Title: "Ask", Nav: "ask", Sess: sess}
	if d.Q != "" {
		a, reasons, err := s.svc.Explain(r.Context(), d.Q)
		switch {
		case errors.Is(err, knowledge.ErrEmptyQuestion):
			v.Error = knowledge.AskNotice + " " + knowledge.AskExample
		case err != nil:
			s.internal(w, r, err)
			return
		default:
			d.Answer, d.Reasons = newAnswerView(a), reasons
		}
	}
	v.Data = d
	s.render(w, r, http.StatusOK, "ask", v)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func atoi64(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
