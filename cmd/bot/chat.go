package main

import (
	"context"
	"os"

	"github.com/smpbot/bot/adapters/console"
)

func chat(ctx context.Context, e env, args []string) error {
	flags := newFlags(e, "chat", `bot chat [--kb DIR]

Answers questions typed on the console, one per line. From a pipe it answers
each line and exits at the end of input.`)
	dir := flags.String("kb", "", "knowledge-base `directory` (default: the embedded one)")
	if err := parse(flags, args); err != nil {
		return err
	}
	svc, err := newService(*dir, nil, nil)
	if err != nil {
		return err
	}
	return console.Chat(ctx, svc, e.stdin, e.stdout, isTerminal(e.stdin))
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
