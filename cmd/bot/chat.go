package main

import (
	"bufio"
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
	kb, err := openAnswering(ctx, e, *dir, *data, log)
	if err != nil {
		return err
	}
	defer kb.close()
	ctx, stop := context.WithCancel(ctx)
	var g errgroup.Group
	g.Go(func() error { return kb.watch(ctx, nil) })
	err = console.Chat(knowledge.WithPlatform(ctx, "console"), kb.svc, e.stdin, e.stdout, isTerminal(e.stdin))
	stop()
	return errors.Join(err, g.Wait())
}

// consoleInput reports whether stdin may hold questions for the console: a
// terminal, a file with something in it, or a pipe that brings something
// before it closes. /dev/null, an empty file, a closed stdin and a pipe
// closed at once, which service managers give, hold none. A reader that is
// not a file (a test's) counts as input. It returns the reader to read
// questions from: a pipe's first byte, waited for, is kept in a buffer.
func consoleInput(stdin io.Reader) (io.Reader, bool) {
	f, ok := stdin.(*os.File)
	if !ok {
		return stdin, true
	}
	st, err := f.Stat()
	if err != nil {
		return stdin, false
	}
	switch mode := st.Mode(); {
	case mode&os.ModeNamedPipe != 0:
		r := bufio.NewReader(f)
		_, err := r.Peek(1)
		return r, err == nil
	case mode.IsRegular():
		return stdin, st.Size() > 0
	case mode&os.ModeCharDevice != 0:
		null, err := os.Stat(os.DevNull)
		return stdin, err == nil && !os.SameFile(st, null)
	}
	return stdin, false
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
