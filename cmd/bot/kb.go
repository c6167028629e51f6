package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/smpbot/bot/adapters/datadir"
	"github.com/smpbot/bot/adapters/jetstream"
	"github.com/smpbot/bot/adapters/web"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

const kbUsage = `bot kb lint [DIR]              check a knowledge base (default: the embedded one)
bot kb list [--kb DIR | --data DIR]     list the entries
bot kb show [--kb DIR | --data DIR] ID  print an entry's source text (ID may be synonyms.txt)

Moderating the data directory (--data DIR, else $BOT_DATA_DIR, else
$XDG_DATA_HOME/smp-bot or ~/.local/share/smp-bot; --author defaults to $USER):
bot kb add FILE                add an entry
bot kb edit [--rev N] FILE     replace an entry, or synonyms.txt; the base revision
                               is the "kb revision" line bot kb show printed, or --rev
bot kb rm [--rev N] ID         remove an entry (history keeps it)
bot kb question [--rev N] ID QUESTION
                               add an alternate question (closes its gap)
bot kb history ID              list an entry's revisions
bot kb undo [--rev N] ID       restore the revision before the newest
bot kb revert [--rev N] ID REVISION
                               restore an entry as it was at REVISION
bot kb gaps                    questions nobody got an answer to
bot kb dismiss QUESTION        close a gap the knowledge base is not meant to answer
bot kb feedback                👍 and 👎 per entry, and the questions that got 👎
bot kb export [FILE]           the whole knowledge base as one file (default: stdout)
bot kb import FILE             replace the knowledge base with an export ("-": stdin)
bot kb sync [--apply ID...]    show (or merge) embedded default entries that are new
                               or changed upstream
bot kb recover                 when the newest revision does not load, restore the
                               last one that does, as a new revision
bot kb web-link                a login link to the web console for --author, good once
                               for 10 minutes ($BOT_WEB_URL, else http://$BOT_WEB_ADDR)
bot kb web-logout-all          end every web console session, and void unused links

With BOT_NATS_URL set, every command but lint, export, import, sync and recover
works on the shared knowledge base instead (see "Scaling out" in the README):
bot kb migrate --data DIR      copy a data directory's whole history, gaps and
                               feedback into the empty shared knowledge base`

// kbSynopsis returns the lines of kbUsage about sub, or all of it for an
// unknown one.
func kbSynopsis(sub string) string {
	var out []string
	in := false
	for line := range strings.Lines(kbUsage) {
		if strings.HasPrefix(line, "bot kb ") {
			name, _, _ := strings.Cut(strings.TrimPrefix(line, "bot kb "), " ")
			in = slices.Contains(strings.Split(strings.TrimSpace(name), "|"), sub)
		} else if !strings.HasPrefix(line, " ") {
			in = false
		}
		if in {
			out = append(out, strings.TrimRight(line, "\n"))
		}
	}
	if len(out) == 0 {
		return kbUsage
	}
	return strings.Join(out, "\n")
}

// errNoAuthor refuses a change nobody can be named for.
var errNoAuthor = errors.New("say who you are with --author NAME: the history keeps it, and neither $USER nor the operating system names you")

// defaultAuthor names whoever runs bot kb: $USER, else the operating
// system's user name, which containers and services without $USER still
// have; "" when neither does.
func defaultAuthor(e env) string {
	if name := e.getenv("USER"); name != "" {
		return name
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

// kbCommand is a subcommand of bot kb.
type kbCommand struct {
	e      env
	flags  *flag.FlagSet
	kbDir  *string
	data   *string
	author *string
	rev    *int64
	apply  *bool
}

func kb(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintf(e.stderr, "Usage:\n%s\n", kbUsage)
		return errUsage
	}
	sub, rest := args[0], args[1:]
	if sub == "help" || isHelp(sub) {
		fmt.Fprintf(e.stdout, "Usage:\n%s\n", kbUsage)
		return flag.ErrHelp
	}
	c := kbCommand{e: e, flags: newFlags(e, "kb "+sub, kbSynopsis(sub))}
	c.kbDir = c.flags.String("kb", "", "read-only knowledge-base `directory` (default: the embedded one)")
	c.data = c.flags.String("data", "", "data `directory` (default: $"+envDataDir+", else $XDG_DATA_HOME/smp-bot)")
	c.author = c.flags.String("author", defaultAuthor(e), "`name` recorded in the history (default: $USER, else the operating system's user name)")
	c.rev = c.flags.Int64("rev", 0, "the `revision` the change is based on (default: for edit, the file's kb revision line; else the newest)")
	c.apply = c.flags.Bool("apply", false, "kb sync: merge the named entries")
	if err := parse(c.flags, rest); err != nil {
		return err
	}
	switch sub {
	case "lint":
		return c.lint()
	case "list":
		return c.list(ctx)
	case "show":
		return c.show(ctx)
	case "add", "edit", "rm", "question", "undo", "revert":
		return c.change(ctx, sub)
	case "history", "gaps", "feedback", "export", "import", "sync":
		return c.moderate(ctx, sub)
	case "dismiss":
		return c.dismiss(ctx)
	case "recover":
		return c.recover(ctx)
	case "web-link", "web-logout-all":
		return c.web(ctx, sub)
	case "migrate":
		return c.migrate(ctx)
	default:
		fmt.Fprintf(e.stderr, "bot: unknown kb command %q\nUsage:\n%s\n", sub, kbUsage)
		return errUsage
	}
}

func (c kbCommand) lint() error {
	if c.flags.NArg() > 1 {
		return fmt.Errorf("kb lint takes one directory, got %d", c.flags.NArg())
	}
	dir := *c.kbDir
	if c.flags.NArg() == 1 {
		dir = c.flags.Arg(0)
	}
	base, err := loadBase(dir)
	var ve *knowledge.ValidationError
	switch {
	case errors.As(err, &ve):
	case err != nil:
		return err
	default:
		ve = &knowledge.ValidationError{Problems: base.Lint()}
	}
	if len(ve.Problems) > 0 {
		fmt.Fprintln(c.e.stdout, ve.Error())
		return fmt.Errorf("%d problem(s) in the knowledge base", len(ve.Problems))
	}
	fmt.Fprintf(c.e.stdout, "ok: %d entries, %d synonym groups, %d phrases\n",
		len(base.Entries()), len(base.Synonyms().Groups), len(base.Synonyms().Phrases))
	return nil
}

// readStore opens the data directory for a reading command, or returns nil
// when --kb or nothing names one: those read the read-only or embedded base.
func (c kbCommand) readStore(ctx context.Context) (*dataKB, error) {
	dir := *c.data
	if dir == "" {
		dir = c.e.getenv(envDataDir)
	}
	if err := oneKB(*c.kbDir, dir); err != nil {
		return nil, err
	}
	if kb, ok, err := c.engine(ctx); ok || err != nil {
		return kb, err
	}
	if dir == "" {
		return nil, nil
	}
	return openStore(ctx, dir, c.e.stderr)
}

// store opens the data directory, or the shared knowledge base, for a
// moderation command.
func (c kbCommand) store(ctx context.Context) (*dataKB, error) {
	if kb, ok, err := c.engine(ctx); ok || err != nil {
		return kb, err
	}
	dir, err := c.dataDir()
	if err != nil {
		return nil, err
	}
	return openStore(ctx, dir, c.e.stderr)
}

// dataDir names the data directory a moderation command changes.
func (c kbCommand) dataDir() (string, error) {
	if *c.kbDir != "" {
		return "", fmt.Errorf("--kb is read-only: moderate a data directory with --data")
	}
	return dataDir(c.e, *c.data)
}

func (c kbCommand) list(ctx context.Context) error {
	s, err := c.readStore(ctx)
	if err != nil {
		return err
	}
	var base *knowledge.Base
	if s != nil {
		defer s.Close()
		if base, _, err = s.Moderation.Base(ctx); err != nil {
			return err
		}
	} else if base, err = loadBase(*c.kbDir); err != nil {
		return err
	}
	for _, en := range base.Entries() {
		fmt.Fprintf(c.e.stdout, "%-28s %-11s %s\n", en.ID, en.Kind, en.Title)
	}
	return nil
}

func (c kbCommand) show(ctx context.Context) error {
	if c.flags.NArg() != 1 {
		return fmt.Errorf("kb show takes one entry id")
	}
	id := c.flags.Arg(0)
	s, err := c.readStore(ctx)
	if err != nil {
		return err
	}
	if s != nil {
		defer s.Close()
		text, rev, err := s.Text(ctx, id)
		if err != nil {
			return err
		}
		_, err = io.WriteString(c.e.stdout, knowledge.WithRevision(text, rev))
		return err
	}
	base, err := loadBase(*c.kbDir)
	if err != nil {
		return err
	}
	file := knowledge.SynonymsFile
	if id != file {
		en, ok := base.Entry(id)
		if !ok {
			return fmt.Errorf("no entry with id %q", id)
		}
		file = en.File
	}
	var data []byte
	if *c.kbDir == "" {
		data, err = fs.ReadFile(guide.FS(), file)
	} else {
		data, err = os.ReadFile(filepath.Join(*c.kbDir, file))
	}
	if err != nil {
		return err
	}
	_, err = c.e.stdout.Write(data)
	return err
}

// args checks the number of arguments of a subcommand.
func (c kbCommand) args(sub string, n int, what string) error {
	if c.flags.NArg() != n {
		fmt.Fprintf(c.e.stderr, "bot: kb %s takes %s\nUsage:\n%s\n", sub, what, kbUsage)
		return errUsage
	}
	return nil
}

// base returns the revision a change is based on: --rev, else
// knowledge.Newest, which makes the change unconditional.
func (c kbCommand) base() int64 {
	if *c.rev != 0 {
		return *c.rev
	}
	return knowledge.Newest
}

// change runs a subcommand that writes to the data directory.
func (c kbCommand) change(ctx context.Context, sub string) error {
	want := map[string]struct {
		n    int
		what string
	}{
		"add": {1, "a FILE"}, "edit": {1, "a FILE"}, "rm": {1, "an entry ID"},
		"question": {2, "an entry ID and a QUESTION"}, "undo": {1, "an entry ID"},
		"revert": {2, "an entry ID and a REVISION"},
	}[sub]
	n := c.flags.NArg()
	if sub == "question" && n > 2 {
		n = 2 // an unquoted question arrives as several arguments
	}
	if n != want.n {
		return c.args(sub, want.n, want.what)
	}
	if *c.author == "" {
		return errNoAuthor
	}
	s, err := c.store(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	arg := c.flags.Arg(0)
	if sub == "add" || sub == "edit" {
		r, err := c.put(ctx, s, sub, arg)
		return c.done(r, err)
	}
	base := c.base()
	var r knowledge.Record
	switch sub {
	case "rm":
		r, err = s.Remove(ctx, *c.author, arg, base)
	case "question":
		r, err = s.AddQuestion(ctx, *c.author, arg, strings.Join(c.flags.Args()[1:], " "), base)
	case "undo":
		r, err = s.Undo(ctx, *c.author, arg, base)
	case "revert":
		rev, perr := strconv.ParseInt(c.flags.Arg(1), 10, 64)
		if perr != nil {
			return fmt.Errorf("kb revert: %q is not a revision number", c.flags.Arg(1))
		}
		r, err = s.Revert(ctx, *c.author, arg, rev, base)
	}
	return c.done(r, err)
}

// dismiss closes a gap without an entry.
func (c kbCommand) dismiss(ctx context.Context) error {
	if c.flags.NArg() == 0 {
		return c.args("dismiss", 1, "a QUESTION, as bot kb gaps lists it")
	}
	if *c.author == "" {
		return errNoAuthor
	}
	s, err := c.store(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	q := strings.Join(c.flags.Args(), " ")
	if err := s.DismissGap(ctx, *c.author, q); err != nil {
		return c.refused(err)
	}
	fmt.Fprintf(c.e.stdout, "dismissed: %s\n", q)
	return nil
}

// recover brings an unloadable data directory back to its last revision
// that loads. It cannot open the directory as the other commands do, since
// opening one loads it.
func (c kbCommand) recover(ctx context.Context) error {
	if err := c.args("recover", 0, "no arguments"); err != nil {
		return err
	}
	if *c.author == "" {
		return errNoAuthor
	}
	if c.e.getenv(jetstream.EnvURL) != "" {
		return fmt.Errorf("kb recover works on a data directory, not on the shared knowledge base (%s), whose every change is checked to load", jetstream.EnvURL)
	}
	dir, err := c.dataDir()
	if err != nil {
		return err
	}
	recs, err := datadir.Recover(ctx, dir, *c.author)
	if err != nil {
		return c.refused(err)
	}
	fmt.Fprintf(c.e.stdout, "revisions %d to %d: %s\n", recs[0].Rev, recs[len(recs)-1].Rev, recs[0].Note)
	return nil
}

// done reports a change, or why there is none.
func (c kbCommand) done(r knowledge.Record, err error) error {
	if err != nil {
		return c.refused(err)
	}
	fmt.Fprintf(c.e.stdout, "revision %d: %s %s\n", r.Rev, r.Op, r.ID)
	return nil
}

// put adds or edits an entry, or replaces the synonyms, from a file.
func (c kbCommand) put(ctx context.Context, s *dataKB, sub, file string) (knowledge.Record, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return knowledge.Record{}, err
	}
	text, rev, marked := knowledge.CutRevision(string(data))
	switch {
	case sub == "add":
		rev = 0
	case *c.rev != 0:
		rev = *c.rev
	case !marked:
		return knowledge.Record{}, fmt.Errorf("kb edit: %s has no \"kb revision\" line; start from the output of bot kb show, or name the revision you edited with --rev", file)
	}
	var r knowledge.Record
	if filepath.Base(file) == knowledge.SynonymsFile {
		r, err = s.SetSynonyms(ctx, *c.author, text, rev)
	} else {
		r, err = s.Put(ctx, *c.author, text, rev)
	}
	// Problems in the text itself come unnamed: they are in file.
	ps := knowledge.Problems(err)
	for i := range ps {
		if ps[i].File == "" {
			ps[i].File = file
		}
	}
	return r, err
}

// refused tells the moderator why nothing changed, with the newer text of a
// conflict to merge their change into, and returns the error to exit with.
func (c kbCommand) refused(err error) error {
	if knowledge.IsInternal(err) {
		return err
	}
	lines := []string{knowledge.Refusal(err)}
	for _, p := range knowledge.Problems(err) {
		lines = append(lines, "  "+p.String())
	}
	if cur, ok := knowledge.Newer(err); ok {
		lines = append(lines, knowledge.ConflictNotice+" It is on standard output.")
		io.WriteString(c.e.stdout, knowledge.WithRevision(cur.Text, cur.Rev))
	}
	return errors.New(strings.Join(lines, "\n"))
}

// moderate runs a subcommand that reads the data directory's records, or
// replaces it as a whole.
func (c kbCommand) moderate(ctx context.Context, sub string) error {
	switch sub {
	case "history":
		if err := c.args(sub, 1, "an entry ID"); err != nil {
			return err
		}
	case "gaps", "feedback":
		if err := c.args(sub, 0, "no arguments"); err != nil {
			return err
		}
	case "import":
		if err := c.args(sub, 1, "a FILE (- for standard input)"); err != nil {
			return err
		}
	case "export":
		if c.flags.NArg() > 1 {
			return c.args(sub, 1, "at most one FILE")
		}
	}
	s, err := c.store(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if s.Store == nil && (sub == "export" || sub == "import" || sub == "sync") {
		return fmt.Errorf("kb %s works on a data directory, not on the shared knowledge base (%s)", sub, jetstream.EnvURL)
	}
	w := tabwriter.NewWriter(c.e.stdout, 0, 4, 2, ' ', 0)
	defer w.Flush()
	switch sub {
	case "history":
		hist, err := s.History(ctx, c.flags.Arg(0))
		if err != nil {
			return err
		}
		fmt.Fprintln(w, "REVISION\tTIME\tAUTHOR\tCHANGE\tNOTE")
		for _, r := range hist {
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", r.Rev, r.Time.Format("2006-01-02 15:04:05"), r.Author, r.Op, r.Note)
		}
	case "gaps":
		gaps, err := s.Gaps(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, "ASKED\tLAST\tQUESTION")
		for _, g := range gaps {
			fmt.Fprintf(w, "%d\t%s\t%s\n", g.Count, g.Last.Format("2006-01-02 15:04"), g.Question)
		}
	case "feedback":
		fb, err := s.Feedback(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, "ENTRY\t👍\t👎\tQUESTIONS THAT GOT 👎")
		for _, f := range fb {
			fmt.Fprintf(w, "%s\t%d\t%d\t%s\n", f.ID, f.Up, f.Down, strings.Join(f.Unhelpful, " | "))
		}
	case "export":
		if c.flags.NArg() == 0 {
			return s.Export(ctx, c.e.stdout)
		}
		var b strings.Builder
		if err := s.Export(ctx, &b); err != nil {
			return err
		}
		return os.WriteFile(c.flags.Arg(0), []byte(b.String()), 0o644)
	case "import":
		return c.importFile(ctx, s)
	case "sync":
		return c.sync(ctx, s, w)
	}
	return nil
}

func (c kbCommand) importFile(ctx context.Context, s *dataKB) error {
	if *c.author == "" {
		return errNoAuthor
	}
	var r io.Reader = c.e.stdin
	if name := c.flags.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	recs, err := s.Import(ctx, *c.author, r)
	if errors.Is(err, knowledge.ErrNoChange) {
		// A restore that finds everything in place has done its job.
		fmt.Fprintln(c.e.stdout, "nothing to import: the knowledge base already matches it")
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(c.e.stdout, "imported: %d change(s), revisions %d to %d\n", len(recs), recs[0].Rev, recs[len(recs)-1].Rev)
	return nil
}

func (c kbCommand) sync(ctx context.Context, s *dataKB, w io.Writer) error {
	if *c.apply {
		if *c.author == "" {
			return errNoAuthor
		}
		recs, err := s.Merge(ctx, *c.author, guide.FS(), c.flags.Args()...)
		if err != nil {
			return err
		}
		for _, r := range recs {
			fmt.Fprintf(w, "revision %d: merged %s\n", r.Rev, r.ID)
		}
		return nil
	}
	if c.flags.NArg() > 0 {
		return fmt.Errorf("kb sync lists; to merge, add --apply before the ids")
	}
	ups, err := s.Upstream(ctx, guide.FS())
	if err != nil {
		return err
	}
	if len(ups) == 0 {
		fmt.Fprintln(w, "the data directory has every change of the embedded default")
		return nil
	}
	fmt.Fprintln(w, "ID\tUPSTREAM\tLOCAL")
	for _, u := range ups {
		status, local := "changed", "as last synced"
		if u.New {
			status = "new"
			local = "absent"
		}
		if u.Edited {
			local = "edited here: merging replaces it"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", u.ID, status, local)
	}
	fmt.Fprintln(w, "\nMerge with: bot kb sync --apply ID...")
	return nil
}

// web issues a login link to the web console, or ends every session.
func (c kbCommand) web(ctx context.Context, sub string) error {
	if c.flags.NArg() > 0 {
		return fmt.Errorf("kb %s takes no arguments, got %q", sub, c.flags.Arg(0))
	}
	cfg, enabled, err := web.ConfigFromEnv(c.e.getenv)
	if sub == "web-link" {
		switch {
		case err != nil:
			return err
		case !enabled:
			return fmt.Errorf("the web console is not configured: set %s (and %s, its public address) as for bot run", web.EnvAddr, web.EnvURL)
		case *c.author == "":
			return errNoAuthor
		}
	}
	s, err := c.store(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	logins := knowledge.NewLogins(s.credentials(), cfg.URL)
	if sub == "web-logout-all" {
		if err := logins.LogoutAll(ctx); err != nil {
			return err
		}
		fmt.Fprintln(c.e.stdout, "Ended every web console session; login links not yet used no longer work.")
		return nil
	}
	link, err := logins.IssueLink(ctx, *c.author)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.e.stdout, "Login link for %s, good once until %s:\n%s\n", link.Moderator, link.Expires.Local().Format("15:04 MST"), link.URL)
	return nil
}
