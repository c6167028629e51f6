package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/smpbot/bot/knowledge"
)

type historyData struct {
	// ID is the entry whose history this is; "" for the whole base.
	ID   string
	Rows []historyRow
	// Live is set when the entry exists now, so its newest change can be
	// undone.
	Live        bool
	Page, Pages int
	Prev, Next  string
}

// historyRow is a revision, with the one before it of the same file.
type historyRow struct {
	knowledge.Record
	Before int64
	// Newest is set on the entry's newest revision.
	Newest bool
}

func (s *Server) history(w http.ResponseWriter, r *http.Request, sess knowledge.Session) {
	ctx := r.Context()
	d := historyData{ID: r.PathValue("id")}
	var recs []knowledge.Record
	var err error
	if d.ID == "" {
		recs, err = s.mod.Log(ctx)
	} else {
		recs, err = s.mod.History(ctx, d.ID)
	}
	if errors.Is(err, knowledge.ErrNotFound) || errors.Is(err, knowledge.ErrInvalidID) {
		s.fail(w, r, http.StatusNotFound, fmt.Sprintf("There is no entry %q.", d.ID))
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	before := map[string]int64{}
	rows := make([]historyRow, len(recs))
	for i, rec := range recs {
		rows[i] = historyRow{Record: rec, Before: before[rec.ID]}
		before[rec.ID] = rec.Rev
	}
	if len(rows) > 0 && d.ID != "" {
		rows[len(rows)-1].Newest = true
		d.Live = rows[len(rows)-1].Live()
	}
	slices.Reverse(rows)
	d.Pages = max(1, (len(rows)+pageSize-1)/pageSize)
	d.Page = min(max(1, atoi(r.URL.Query().Get("page"))), d.Pages)
	d.Rows = rows[(d.Page-1)*pageSize : min(len(rows), d.Page*pageSize)]
	path := "/history"
	if d.ID != "" {
		path += "/" + url.PathEscape(d.ID)
	}
	if d.Page > 1 {
		d.Prev = path + "?page=" + strconv.Itoa(d.Page-1)
	}
	if d.Page < d.Pages {
		d.Next = path + "?page=" + strconv.Itoa(d.Page+1)
	}
	title := "History"
	if d.ID != "" {
		title = "History of " + d.ID
	}
	v := view{Title: title, Nav: "history", Sess: sess, Data: d}
	if done := atoi64(r.URL.Query().Get("done")); done != 0 {
		v.Flash = fmt.Sprintf("Done: revision %d.", done)
	}
	s.render(w, r, http.StatusOK, "history", v)
}

type diffData struct {
	ID       string
	From, To int64
	Revs     []knowledge.Record
	Lines    []knowledge.DiffLine
}

// diff shows what changed in an entry between two of its revisions: from
// and to, by default the newest and the one before it.
func (s *Server) diff(w http.ResponseWriter, r *http.Request, sess knowledge.Session) {
	id := r.PathValue("id")
	hist, err := s.mod.History(r.Context(), id)
	if errors.Is(err, knowledge.ErrNotFound) || errors.Is(err, knowledge.ErrInvalidID) {
		s.fail(w, r, http.StatusNotFound, fmt.Sprintf("There is no entry %q.", id))
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	q := r.URL.Query()
	d := diffData{ID: id, Revs: hist, From: atoi64(q.Get("from")), To: atoi64(q.Get("to"))}
	if d.To == 0 {
		d.To = hist[len(hist)-1].Rev
	}
	if !q.Has("from") && len(hist) > 1 {
		d.From = hist[len(hist)-2].Rev
	}
	text := func(rev int64) string {
		for _, rec := range hist {
			if rec.Rev == rev {
				return rec.Text
			}
		}
		return ""
	}
	d.Lines = knowledge.Diff(text(d.From), text(d.To))
	s.render(w, r, http.StatusOK, "diff", view{Title: "Changes to " + id, Nav: "history", Sess: sess, Data: d})
}

type restoreData struct {
	ID string
	// Rev is the revision to go back to; 0 for an undo.
	Rev int64
	// Base is the entry's newest revision, which the change is based on.
	Base  int64
	Lines []knowledge.DiffLine
}

// restorePlan works out an undo (rev 0) or a revert to rev of an entry:
// the entry's newest revision and what its text would become.
func (s *Server) restorePlan(r *http.Request, id string, rev int64) (restoreData, error) {
	hist, err := s.mod.History(r.Context(), id)
	if err != nil {
		return restoreData{}, err
	}
	cur := hist[len(hist)-1]
	d := restoreData{ID: id, Rev: rev, Base: cur.Rev}
	target := ""
	switch {
	case rev == 0 && len(hist) > 1:
		target = hist[len(hist)-2].Text
	case rev != 0:
		i := slices.IndexFunc(hist, func(h knowledge.Record) bool { return h.Rev == rev })
		if i < 0 {
			return restoreData{}, fmt.Errorf("revision %d of %s: %w", rev, id, knowledge.ErrNotFound)
		}
		target = hist[i].Text
	}
	d.Lines = knowledge.Diff(cur.Text, target)
	return d, nil
}

// confirmRestore asks before an undo or a revert, showing what it changes.
func (s *Server) confirmRestore(w http.ResponseWriter, r *http.Request, sess knowledge.Session) {
	id := r.PathValue("id")
	d, err := s.restorePlan(r, id, atoi64(r.URL.Query().Get("rev")))
	if errors.Is(err, knowledge.ErrNotFound) || errors.Is(err, knowledge.ErrInvalidID) {
		s.fail(w, r, http.StatusNotFound, err.Error())
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "restore", view{Title: "Restore " + id, Nav: "history", Sess: sess, Data: d})
}

// restore carries out a confirmed undo or revert.
func (s *Server) restore(w http.ResponseWriter, r *http.Request, sess knowledge.Session) {
	id := r.PathValue("id")
	rev, base := atoi64(r.PostForm.Get("rev")), atoi64(r.PostForm.Get("base"))
	var (
		rec knowledge.Record
		err error
	)
	if rev == 0 {
		rec, err = s.mod.Undo(r.Context(), sess.Moderator, id, base)
	} else {
		rec, err = s.mod.Revert(r.Context(), sess.Moderator, id, rev, base)
	}
	if err == nil {
		redirect(w, r, "/history/"+url.PathEscape(id)+"?done="+strconv.FormatInt(rec.Rev, 10))
		return
	}
	d, perr := s.restorePlan(r, id, rev)
	if perr != nil {
		d = restoreData{ID: id, Rev: rev, Base: base}
	}
	var ed editorData
	status, msg := s.refusal(r, &ed, err)
	if ed.Problems > 0 {
		msg += " " + strings.Join(ed.General, " ")
	}
	s.render(w, r, status, "restore", view{Title: "Restore " + id, Nav: "history", Sess: sess, Error: msg, Data: d})
}
