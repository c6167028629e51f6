// Command bot answers safety questions about scalp micropigmentation (SMP)
// from a curated knowledge base, on Discord, Telegram and the command line.
//
// Run "bot help" for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/smpbot/bot/adapters/discord"
	"github.com/smpbot/bot/adapters/telegram"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// errUsage marks a mistake in the command line; its message has already been
// printed with the usage.
var errUsage = errors.New("usage")

// exitCode prints err as one line and returns the process's exit code.
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	default:
		fmt.Fprintf(stderr, "bot: %v\n", err)
		return 1
	}
}

// env is everything a command may read from its surroundings.
type env struct {
	getenv func(string) string
	// environ lists the environment as NAME=value pairs, like os.Environ.
	environ func() []string
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
}

const usage = `bot answers safety questions about scalp micropigmentation (SMP).

Usage:
  bot run [flags]            run every configured platform (Discord, Telegram)
                             with health and metrics over HTTP
  bot [flags]                the same; with no platform configured, chat on
                             the console when standard input is a terminal
                             or a pipe
  bot chat                   chat on the console
  bot ask [--json] [QUESTION]
                             answer one question; with --json and no QUESTION,
                             answer each line of standard input as JSON Lines
  bot eval [flags] [FILE.jsonl]
                             measure answers against an evaluation set
                             (default: the embedded one)
  bot kb lint [DIR]          check a knowledge base (default: the embedded one)
  bot kb list                list the entries
  bot kb show ID             print an entry's source text
  bot kb add|edit|rm|question|history|undo|revert|gaps|feedback|export|import|sync
                             moderate the knowledge base in the data directory
                             (run "bot kb" for each one's arguments)

Run "bot COMMAND --help" for a command's flags.
`

// run executes the command line args and returns when it is done or ctx ends.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, environ: os.Environ, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || (strings.HasPrefix(args[0], "-") && !isHelp(args[0])) {
		// Bare "bot" keeps the README's quick start on the console, but
		// under a service manager, with nothing to read, it is "bot run".
		// Standard input is looked at only when no platform is named: a
		// pipe is waited on for its first line.
		console := false
		if getenv(discord.EnvToken) == "" && getenv(telegram.EnvToken) == "" {
			e.stdin, console = consoleInput(stdin)
		}
		return runPlatforms(ctx, e, args, console)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "run":
		return runPlatforms(ctx, e, rest, false)
	case "chat":
		return chat(ctx, e, rest)
	case "ask":
		return ask(ctx, e, rest)
	case "eval":
		return evaluate(ctx, e, rest)
	case "kb":
		return kb(ctx, e, rest)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		if isHelp(cmd) {
			fmt.Fprint(stdout, usage)
			return nil
		}
		fmt.Fprintf(stderr, "bot: unknown command %q; run \"bot help\" for the commands\n", cmd)
		return errUsage
	}
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help":
		return true
	}
	return false
}

// newFlags returns a flag set that prints its usage, headed by synopsis, to
// the command's standard error.
func newFlags(e env, name, synopsis string) *flag.FlagSet {
	flags := flag.NewFlagSet(name, flag.ContinueOnError)
	flags.SetOutput(e.stderr)
	flags.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: %s\n", synopsis)
		flags.PrintDefaults()
	}
	return flags
}

// parse parses args, turning a flag mistake into errUsage. A mistake gets
// the flag package's one line and a pointer to --help; --help the usage.
func parse(flags *flag.FlagSet, args []string) error {
	usage := flags.Usage
	flags.Usage = func() {}
	err := flags.Parse(args)
	flags.Usage = usage
	switch {
	case errors.Is(err, flag.ErrHelp):
		usage()
		return err
	case err != nil:
		fmt.Fprintf(flags.Output(), "run \"bot %s --help\" for its usage\n", flags.Name())
		return errUsage
	}
	return nil
}
