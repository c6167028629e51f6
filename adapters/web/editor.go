package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/smpbot/bot/knowledge"
)

// editorData is the entry editor: the text being edited and whatever the
// last action found out about it.
type editorData struct {
	// ID is the entry's id; "" for a new entry.
	ID string
	// Action is where the form posts.
	Action string
	Text   string
	// Base is the revision the edit started from: 0 for a new entry.
	Base int64
	// Gap is the question a new entry was opened for; saving it closes
	// the gap.
	Gap string
	// Problems are what keeps the text from being saved: each on its line
	// in Lines, those about the whole file in General.
	Problems int
	Lines    []numberedLine
	General  []string
	Preview  *entryPreview
	// TryQ is the question asked of the edited version, Try its answer.
	TryQ string
	Try  *answerView
	// TryBusy is set when another question was being tried.
	TryBusy  bool
	Conflict *conflictView
	// Saved is the revision just saved, shown once.
	Saved int64
}

// numberedLine is a line of the text being edited, with its problems.
type numberedLine struct {
	N        int
	Text     string
	Problems []string
}

// conflictView is what another moderator changed since the edit began.
type conflictView struct {
	Current knowledge.Record
	// Diff is from the revision the edit began from to the newest.
	Diff []knowledge.DiffLine
}

// newEntryText is the template a new entry starts from.
func newEntryText(question string) string {
	title, id, q := "A short title", "new-entry", "a question people ask"
	if question != "" {
		title, id, q = question, knowledge.Slug(question), question
	}
	return fmt.Sprintf("---\nid: %s\ntitle: %s\nkind: explanation\nquestions:\n  - %s\ntags: []\n---\nThe answer, in Markdown.\n", id, yamlScalar(title), yamlScalar(q))
}

// yamlScalar quotes s for a YAML front matter value.
func yamlScalar(s string) string {
	return strconv.Quote(s)
}

func (s *Server) editEntry(w http.ResponseWriter, r *http.Request, sess knowledge.Session) {
	id := r.PathValue("id")
	text, rev, err := s.mod.Text(r.Context(), id)
	if errors.Is(err, knowledge.ErrNotFound) || errors.Is(err, knowledge.ErrInvalidID) || id == knowledge.SynonymsFile {
		s.fail(w, r, http.StatusNotFound, fmt.Sprintf("There is no entry %q.", id))
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d := editorData{ID: id, Action: "/entries/" + id, Text: text, Base: rev, Saved: atoi64(r.URL.Query().Get("saved"))}
	s.check(r, &d, false)
	s.renderEditor(w, r, sess, http.StatusOK, d, "")
}

func (s *Server) newEntry(w http.ResponseWriter, r *http.Request, sess knowledge.Session) {
	gap := strings.TrimSpace(r.URL.Query().Get("gap"))
	d := editorData{Action: "/new", Text: newEntryText(gap), Gap: gap}
	s.renderEditor(w, r, sess, http.StatusOK, d, "")
}

func (s *Server) renderEditor(w http.ResponseWriter, r *http.Request, sess knowledge.Session, status int, d editorData, msg string) {
	title := "New entry"
	if d.ID != "" {
		title = "Edit " + d.ID
	}
	v := view{Title: title, Nav: "entries", Sess: sess, Data: d, Error: msg}
	if d.Saved != 0 {
		v.Flash = fmt.Sprintf("Saved as revision %d. The bot answers from it within a second.", d.Saved)
	}
	s.render(w, r, status, "editor", v)
}

// saveEntry carries out the editor's buttons: check the text, ask the
// edited version a question, or save it. Whatever happens, the text typed
// comes back in the editor.
func (s *Server) saveEntry(w http.ResponseWriter, r *http.Request, sess knowledge.Session) {
	ctx := r.Context()
	d := editorData{
		ID: r.PathValue("id"), Text: formText(r, "text"), Base: atoi64(r.PostForm.Get("base")),
		Gap: strings.TrimSpace(r.PostForm.Get("gap")), TryQ: strings.TrimSpace(r.PostForm.Get("q")),
	}
	d.Action = "/new"
	if d.ID != "" {
		d.Action = "/entries/" + d.ID
	}
	if r.PostForm.Get("do") != "save" {
		s.check(r, &d, true)
		s.renderEditor(w, r, sess, http.StatusOK, d, "")
		return
	}
	rec, err := s.mod.Put(ctx, sess.Moderator, d.Text, d.Base)
	if err == nil {
		if d.Gap != "" {
			if gerr := s.mod.AnswerGap(ctx, sess.Moderator, d.Gap, rec.ID); gerr != nil {
				s.log.WarnContext(ctx, "saved an entry but could not close its gap", "entry", rec.ID, "error", gerr)
			}
		}
		redirect(w, r, "/entries/"+url.PathEscape(rec.ID)+"?saved="+strconv.FormatInt(rec.Rev, 10))
		return
	}
	status, msg := s.refusal(r, &d, err)
	s.check(r, &d, false)
	s.renderEditor(w, r, sess, status, d, msg)
}

// refusal explains why a change was not made, fills in the editor's
// problems or conflict, and returns the page's status.
func (s *Server) refusal(r *http.Request, d *editorData, err error) (int, string) {
	ce, ok := errors.AsType[*knowledge.ChangeError](err)
	if !ok {
		ce = &knowledge.ChangeError{Kind: knowledge.Internal, Err: err}
	}
	switch ce.Kind {
	case knowledge.Invalid:
		d.placeProblems(ce.Problems)
		return http.StatusUnprocessableEntity, "Nothing was saved: fix the problems below first."
	case knowledge.Conflict:
		d.Conflict = &conflictView{Current: ce.Current, Diff: knowledge.Diff(s.textAt(r, ce.ID, ce.Base), ce.Current.Text)}
		// Saving again after merging by hand is based on the newest.
		d.Base = ce.Current.Rev
		return http.StatusConflict, "Nothing was saved: " + ce.Error() + ". What changed is shown below; your text is kept in the editor. Merge by hand, then save again."
	case knowledge.NoChange:
		return http.StatusOK, "Nothing to save: " + ce.Error() + "."
	case knowledge.NotFound:
		return http.StatusNotFound, "Nothing was saved: " + ce.Error() + "."
	default:
		s.log.ErrorContext(r.Context(), "cannot save a change", "error", err)
		return http.StatusInternalServerError, knowledge.FailureNotice + " Nothing was saved; your text is kept below."
	}
}

// textAt returns the text of id as of revision rev, "" when unknown.
func (s *Server) textAt(r *http.Request, id string, rev int64) string {
	hist, err := s.mod.History(r.Context(), id)
	if err != nil {
		return ""
	}
	for _, rec := range slices.Backward(hist) {
		if rec.Rev <= rev {
			return rec.Text
		}
	}
	return ""
}

// check validates the editor's text against the knowledge base, previews
// it, and with try answers its question from the edited version.
func (s *Server) check(r *http.Request, d *editorData, try bool) {
	text := knowledge.EnsureNewline(d.Text)
	e, ps := knowledge.ParseEntry("", []byte(text))
	if len(ps) == 0 {
		p := previewOf(e)
		d.Preview = &p
	}
	if !try {
		return
	}
	base, err := s.mod.Try(r.Context(), text)
	if ce, ok := errors.AsType[*knowledge.ChangeError](err); ok && ce.Kind == knowledge.Invalid {
		d.placeProblems(ce.Problems)
		return
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "cannot check an edit", "error", err)
		return
	}
	if d.TryQ == "" {
		return
	}
	// Indexing a whole knowledge base is the dearest thing a page does:
	// one at a time.
	select {
	case s.trying <- struct{}{}:
		defer func() { <-s.trying }()
	default:
		d.TryBusy = true
		return
	}
	idx, err := s.build(base)
	if err != nil {
		s.log.ErrorContext(r.Context(), "cannot index an edit", "error", err)
		return
	}
	if c, ok := idx.(io.Closer); ok {
		defer c.Close()
	}
	a, err := s.svc.Sandbox(base, idx).Lookup(r.Context(), d.TryQ)
	if err == nil {
		d.Try = newAnswerView(a)
	}
}

// placeProblems puts each problem on its line of the text.
func (d *editorData) placeProblems(ps []knowledge.Problem) {
	d.Problems = len(ps)
	lines := strings.Split(strings.TrimSuffix(d.Text, "\n"), "\n")
	d.Lines = make([]numberedLine, len(lines))
	for i, l := range lines {
		d.Lines[i] = numberedLine{N: i + 1, Text: l}
	}
	d.General = nil
	for _, p := range ps {
		if p.Line >= 1 && p.Line <= len(lines) {
			d.Lines[p.Line-1].Problems = append(d.Lines[p.Line-1].Problems, p.Msg)
		} else {
			d.General = append(d.General, p.Msg)
		}
	}
}

type synonymsData struct {
	Text     string
	Base     int64
	Problems int
	Lines    []numberedLine
	General  []string
	Conflict *conflictView
	Groups   int
	Phrases  int
}

func (s *Server) synonyms(w http.ResponseWriter, r *http.Request, sess knowledge.Session) {
	text, rev, err := s.mod.Text(r.Context(), knowledge.SynonymsFile)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	v := view{Title: "Synonyms", Nav: "synonyms", Sess: sess}
	if saved := atoi64(r.URL.Query().Get("saved")); saved != 0 {
		v.Flash = fmt.Sprintf("Saved as revision %d.", saved)
	}
	syn := s.svc.Base().Synonyms()
	v.Data = synonymsData{Text: text, Base: rev, Groups: len(syn.Groups), Phrases: len(syn.Phrases)}
	s.render(w, r, http.StatusOK, "synonyms", v)
}

func (s *Server) saveSynonyms(w http.ResponseWriter, r *http.Request, sess knowledge.Session) {
	d := editorData{ID: knowledge.SynonymsFile, Text: formText(r, "text"), Base: atoi64(r.PostForm.Get("base"))}
	rec, err := s.mod.SetSynonyms(r.Context(), sess.Moderator, d.Text, d.Base)
	if err == nil {
		redirect(w, r, "/synonyms?saved="+strconv.FormatInt(rec.Rev, 10))
		return
	}
	status, msg := s.refusal(r, &d, err)
	s.render(w, r, status, "synonyms", view{Title: "Synonyms", Nav: "synonyms", Sess: sess, Error: msg, Data: synonymsData{
		Text: d.Text, Base: d.Base, Problems: d.Problems, Lines: d.Lines, General: d.General, Conflict: d.Conflict,
	}})
}
