package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

const kbUsage = `bot kb lint [DIR]   check a knowledge base (default: the embedded one)
bot kb list [--kb DIR]       list the entries
bot kb show [--kb DIR] ID    print an entry's source text`

func kb(_ context.Context, e env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintf(e.stderr, "Usage:\n%s\n", kbUsage)
		return errUsage
	}
	sub, rest := args[0], args[1:]
	flags := newFlags(e, "kb "+sub, kbUsage)
	dir := flags.String("kb", "", "knowledge-base `directory` (default: the embedded one)")
	if err := parse(flags, rest); err != nil {
		return err
	}
	switch sub {
	case "lint":
		if flags.NArg() > 1 {
			return fmt.Errorf("kb lint takes one directory, got %d", flags.NArg())
		}
		if flags.NArg() == 1 {
			*dir = flags.Arg(0)
		}
		base, err := loadBase(*dir)
		var ve *knowledge.ValidationError
		if errors.As(err, &ve) {
			fmt.Fprintln(e.stdout, ve.Error())
			return fmt.Errorf("%d problem(s) in the knowledge base", len(ve.Problems))
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "ok: %d entries, %d synonym groups, %d phrases\n",
			len(base.Entries()), len(base.Synonyms().Groups), len(base.Synonyms().Phrases))
		return nil
	case "list":
		base, err := loadBase(*dir)
		if err != nil {
			return err
		}
		for _, en := range base.Entries() {
			fmt.Fprintf(e.stdout, "%-28s %-11s %s\n", en.ID, en.Kind, en.Title)
		}
		return nil
	case "show":
		if flags.NArg() != 1 {
			return fmt.Errorf("kb show takes one entry id")
		}
		base, err := loadBase(*dir)
		if err != nil {
			return err
		}
		en, ok := base.Entry(flags.Arg(0))
		if !ok {
			return fmt.Errorf("no entry with id %q", flags.Arg(0))
		}
		data, err := readSource(*dir, en)
		if err != nil {
			return err
		}
		_, err = e.stdout.Write(data)
		return err
	default:
		fmt.Fprintf(e.stderr, "bot: unknown kb command %q\nUsage:\n%s\n", sub, kbUsage)
		return errUsage
	}
}

// readSource returns the file an entry was loaded from.
func readSource(dir string, en *knowledge.Entry) ([]byte, error) {
	if dir == "" {
		return fs.ReadFile(guide.FS(), en.File)
	}
	return os.ReadFile(dir + "/" + en.File)
}
