//go:build !unix

package datadir

import (
	"io/fs"
	"os"
)

// openNoWait opens path for reading without following a symlink; there are
// no FIFOs to wait for.
func openNoWait(path string) (*os.File, error) {
	if st, err := os.Lstat(path); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		return nil, errNotRegular
	}
	return os.Open(path)
}
