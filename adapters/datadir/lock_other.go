//go:build !unix

package datadir

import (
	"context"
	"os"
)

// lockFile does nothing where advisory file locks are unavailable: writes are
// still serialised within the process, but only one process may write a data
// directory at a time.
func lockFile(context.Context, *os.File) error { return nil }

// unlockFile releases lockFile's lock.
func unlockFile(*os.File) error { return nil }
