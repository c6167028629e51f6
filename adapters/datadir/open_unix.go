//go:build unix

package datadir

import (
	"errors"
	"os"
	"syscall"
)

// openNoWait opens path for reading without following a symlink, and without
// waiting for a FIFO's writer.
func openNoWait(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW, 0)
	if errors.Is(err, syscall.ELOOP) {
		return nil, errNotRegular
	}
	return f, err
}
