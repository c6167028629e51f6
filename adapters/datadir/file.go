package datadir

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// tempPrefix starts the name of every temporary file, so that a crash's
// leftovers can be recognised and removed.
const tempPrefix = ".tmp-"

// writeFileAtomic replaces the file at path with data so that a crash at any
// moment leaves either the old file or the new one: it writes a temporary file
// in the same directory, syncs it, renames it over path and syncs the
// directory.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, tempPrefix+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return syncDir(dir)
}

// errNotRegular refuses a symlink, FIFO, device or directory where a data
// directory keeps a file: a FIFO would block whoever reads it, and a symlink
// could serve a file from anywhere.
var errNotRegular = errors.New("not a regular file")

// readRegular reads the file at path if it is a regular file, or returns
// errNotRegular without waiting.
func readRegular(path string) ([]byte, error) {
	f, err := openNoWait(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, errNotRegular
	}
	return io.ReadAll(f)
}

// removeFile removes path, if it exists, durably.
func removeFile(path string) error {
	if err := os.Remove(path); err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	return syncDir(filepath.Dir(path))
}

// syncDir makes a rename or removal in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// removeTemps removes the temporary files a crash left in dir.
func removeTemps(dir string) error {
	names, err := filepath.Glob(filepath.Join(dir, tempPrefix+"*"))
	if err != nil {
		return err
	}
	for _, n := range names {
		if err := os.Remove(n); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}

// appendLines appends data, whole lines, to the file at path with a single
// write, and syncs it when sync is set. A crash can only leave a torn last
// line, which the readers of these files drop.
func appendLines(path string, data []byte, sync bool) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && sync && st.Size() == 0 {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		return fmt.Errorf("append to %s: %w", path, err)
	}
	return nil
}

// repairTail truncates the file at path to size when it is longer, dropping a
// line torn by a crash so that the next append starts on a line of its own.
func repairTail(path string, size int64) error {
	st, err := os.Stat(path)
	if os.IsNotExist(err) || err == nil && st.Size() == size {
		return nil
	}
	if err != nil {
		return err
	}
	if err := os.Truncate(path, size); err != nil {
		return fmt.Errorf("drop torn end of %s: %w", path, err)
	}
	return nil
}
