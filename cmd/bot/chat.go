package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"

	"golang.org/x/sync/errgroup"

	"github.com/smpbot/bot/adapters/console"
	"github.com/smpbot/bot/knowledge"
)

func chat(ctx context.Context, e env, args []string) error {
	flags := newFlags(e, "chat", `bot chat [--kb DIR | --data DIR]

Answers questions typed on the console, one per line. From a pipe it answers
each line and exits at the end of input. With a data directory, changes to it
are live and unanswered questions are recorded as gaps.`)
	dir := flags.String("kb", "", "read-only knowledge-base `directory` (default: the embedded one)")
	data := flags.String("data", e.getenv(envDataDir), "answer from the data `directory`, live; "+envDataDir)
	if err := parse(flags, args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	kb, err := openService(ctx, *dir, *data, log)
	if err != nil {
		return err
	}
	defer kb.close()
	ctx, stop := context.WithCancel(ctx)
	var g errgroup.Group
	g.Go(func() error { return kb.watch(ctx, log, nil) })
	err = console.Chat(knowledge.WithPlatform(ctx, "console"), kb.svc, e.stdin, e.stdout, isTerminal(e.stdin))
	stop()
	return errors.Join(err, g.Wait())
}

// hasConsoleInput reports whether stdin may hold questions for the console:
// a terminal, a pipe or a file with something in it. /dev/null, an empty
// file and a closed stdin, which service managers give, hold none. A reader
// that is not a file (a test's) counts as input.
func hasConsoleInput(stdin io.Reader) bool {
	f, ok := stdin.(*os.File)
	if !ok {
		return true
	}
	st, err := f.Stat()
	if err != nil {
		return false
	}
	switch mode := st.Mode(); {
	case mode&os.ModeNamedPipe != 0:
		return true
	case mode.IsRegular():
		return st.Size() > 0
	case mode&os.ModeCharDevice != 0:
		null, err := os.Stat(os.DevNull)
		return err == nil && !os.SameFile(st, null)
	}
	return false
}

// isTerminal reports whether r is an interactive terminal, so that the console
// shows a prompt to a person but not to a pipe.
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
