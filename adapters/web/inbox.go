package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smpbot/bot/knowledge"
)

// question is a question to act on, with the entries it may be added to
// once Searched.
type question struct {
	Text string
	// Entry is the entry that answered it, for a 👎.
	Entry      string
	Candidates []knowledge.Candidate
	Searched   bool
}

type gapRow struct {
	knowledge.Gap
	question
}

type inboxData struct {
	Gaps     []gapRow
	Feedback []feedbackRow
	Total    int
	// OutOfScope are the entries a question can be declined with.
	OutOfScope  []*knowledge.Entry
	Page, Pages int
	Prev, Next  string
	// Back is the page an action returns to.
	Back string
	CSRF string
	// Unsearched is set when some questions' candidates are still being
	// searched for.
	Unsearched bool
}

type feedbackRow struct {
	knowledge.EntryFeedback
	Title     string
	Questions []question
}

// question returns q with the entries it may be added to, leaving out the
// one that answered it badly, if they are found by deadline.
func (s *Server) question(r *http.Request, q, not string, deadline time.Time) question {
	cs, ok := s.searches.candidates(r.Context(), s.svc.Base(), q, deadline)
	return question{Text: q, Searched: ok, Candidates: slices.DeleteFunc(slices.Clone(cs), func(c knowledge.Candidate) bool { return c.ID == not })}
}

func (s *Server) outOfScope() []*knowledge.Entry {
	var out []*knowledge.Entry
	for _, e := range s.svc.Base().Entries() {
		if !e.Answers() {
			out = append(out, e)
		}
	}
	return out
}

func (s *Server) gaps(w http.ResponseWriter, r *http.Request, sess knowledge.Session) {
	gaps, err := s.mod.Gaps(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d := inboxData{Total: len(gaps), OutOfScope: s.outOfScope(), Back: "/gaps", CSRF: sess.CSRF}
	d.Pages = max(1, (len(gaps)+pageSize-1)/pageSize)
	d.Page = min(max(1, atoi(r.URL.Query().Get("page"))), d.Pages)
	deadline := time.Now().Add(searchBudget)
	for _, g := range gaps[(d.Page-1)*pageSize : min(len(gaps), d.Page*pageSize)] {
		q := s.question(r, g.Question, "", deadline)
		d.Unsearched = d.Unsearched || !q.Searched
		d.Gaps = append(d.Gaps, gapRow{Gap: g, question: q})
	}
	if d.Page > 1 {
		d.Prev = "/gaps?page=" + strconv.Itoa(d.Page-1)
	}
	if d.Page < d.Pages {
		d.Next = "/gaps?page=" + strconv.Itoa(d.Page+1)
	}
	s.render(w, r, http.StatusOK, "gaps", view{Title: "Gaps", Nav: "gaps", Sess: sess, Data: d, Flash: doneFlash(r)})
}

// maxFeedbackQuestions is how many 👎'd questions of an entry are offered.
const maxFeedbackQuestions = 5

func (s *Server) feedback(w http.ResponseWriter, r *http.Request, sess knowledge.Session) {
	fb, err := s.mod.Feedback(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d := inboxData{OutOfScope: s.outOfScope(), Back: "/feedback", CSRF: sess.CSRF}
	base := s.svc.Base()
	deadline := time.Now().Add(searchBudget)
	for _, f := range fb {
		if f.Down == 0 {
			continue
		}
		row := feedbackRow{EntryFeedback: f, Title: f.ID}
		if e, ok := base.Entry(f.ID); ok {
			row.Title = e.Title
		}
		for _, q := range f.Unhelpful[:min(len(f.Unhelpful), maxFeedbackQuestions)] {
			q := s.question(r, q, f.ID, deadline)
			q.Entry = f.ID
			d.Unsearched = d.Unsearched || !q.Searched
			row.Questions = append(row.Questions, q)
		}
		d.Feedback = append(d.Feedback, row)
	}
	slices.SortStableFunc(d.Feedback, func(a, b feedbackRow) int { return b.Down - a.Down })
	d.Total = len(d.Feedback)
	s.render(w, r, http.StatusOK, "feedback", view{Title: "Feedback", Nav: "feedback", Sess: sess, Data: d, Flash: doneFlash(r)})
}

// doneFlash says what the action just carried out did, from the query it
// redirected with.
func doneFlash(r *http.Request) string {
	q := r.URL.Query()
	switch q.Get("done") {
	case "added":
		return "Added “" + q.Get("q") + "” to " + q.Get("id") + "."
	case "scoped":
		return "“" + q.Get("q") + "” is now declined as out of scope with " + q.Get("id") + "."
	case "dismissed":
		return "Dismissed “" + q.Get("q") + "”."
	}
	return ""
}

// act carries out one click of the gaps inbox or the feedback page: add the
// question as a phrasing of an entry (a candidate, or an out-of-scope one
// to decline it), or dismiss its gap.
func (s *Server) act(w http.ResponseWriter, r *http.Request, sess knowledge.Session) {
	ctx := r.Context()
	f := r.PostForm
	q, id, do := strings.TrimSpace(f.Get("question")), f.Get("id"), f.Get("do")
	back := f.Get("back")
	if back != "/feedback" {
		back = "/gaps"
	}
	var err error
	switch do {
	case "add", "scope":
		// Adding a phrasing merges into whatever the entry is now, as
		// /kb question does: no edit in between is lost, so the button
		// stays good however long the page was open.
		_, err = s.mod.AddQuestion(ctx, sess.Moderator, id, q, knowledge.Newest)
		if do == "add" && errors.Is(err, knowledge.ErrNoChange) {
			err = nil // it was a phrasing already; its gap is closed
		}
		if do == "scope" {
			do = "scoped"
		} else {
			do = "added"
		}
	case "dismiss":
		if back == "/feedback" {
			err = s.mod.DismissFeedback(ctx, sess.Moderator, f.Get("entry"), q)
		} else {
			err = s.mod.DismissGap(ctx, sess.Moderator, q)
		}
		do = "dismissed"
	default:
		s.fail(w, r, http.StatusBadRequest, "Unknown action. Nothing was changed.")
		return
	}
	if err == nil {
		redirect(w, r, back+"?"+url.Values{"done": {do}, "q": {q}, "id": {id}}.Encode())
		return
	}
	var ed editorData
	status, msg := s.refusal(r, &ed, err)
	if len(ed.General) > 0 {
		msg += " " + strings.Join(ed.General, " ")
	}
	s.fail(w, r, status, msg+" Go back to "+back+" to try again.")
}
