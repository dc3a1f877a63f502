package ingest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ErrNotPlainFile: an input that is a symbolic link, a folder, a named pipe
// or a device, refused where Options.PlainFilesOnly asks for it (a folder
// others can write to, such as the inbox: a link there could point at any
// file the host can read, and a pipe would block the run).
var ErrNotPlainFile = errors.New("not a plain file")

// openInput opens the input file at path for reading. With plainOnly the
// open itself refuses a symbolic link (O_NOFOLLOW where the system has it,
// so that a file swapped for a link after it was listed is not followed)
// and does not block on a named pipe, and the opened file must be a plain
// file; the error then wraps ErrNotPlainFile.
func openInput(path string, plainOnly bool) (*os.File, error) {
	if !plainOnly {
		return os.Open(path)
	}
	if st, err := os.Lstat(path); openNoFollow == 0 && err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w (%v)", path, ErrNotPlainFile, st.Mode().Type())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openNoFollow, 0)
	if err != nil {
		if isLinkLoop(err) {
			return nil, fmt.Errorf("%s: %w (a symbolic link)", path, ErrNotPlainFile)
		}
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s: %w (%v)", path, ErrNotPlainFile, st.Mode().Type())
	}
	return f, nil
}

// writeAtomic writes the file at path through a temporary file of random
// name made exclusively in the same folder (os.CreateTemp), renamed over
// path once complete: a symbolic link or file planted at path is replaced,
// never written through, and a reader never sees a part.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
