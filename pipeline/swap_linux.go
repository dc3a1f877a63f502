package pipeline

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// exchange puts the folder tmp in place of name, both inside the folder dir.
// Where name exists the two are exchanged atomically (renameat2
// RENAME_EXCHANGE), so name never disappears, even for a moment, and tmp
// then holds the old content.
func exchange(dir, tmp, name string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	fd := int(d.Fd())
	err = unix.Renameat2(fd, tmp, fd, name, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.ENOENT):
		// Nothing to replace: a plain rename, refusing to replace
		// anything that appeared meanwhile.
		return unix.Renameat2(fd, tmp, fd, name, unix.RENAME_NOREPLACE)
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EOPNOTSUPP):
		return exchangeByRenames(fd, tmp, name)
	}
	return err
}

// exchangeByRenames is exchange on a file system without RENAME_EXCHANGE:
// name is renamed aside to a spare name, tmp into place, and the old
// content back to tmp, to be removed with it.
func exchangeByRenames(fd int, tmp, name string) error {
	spare := spareName(name)
	if err := unix.Renameat(fd, name, fd, spare); err != nil && !errors.Is(err, unix.ENOENT) {
		return err
	}
	if err := unix.Renameat(fd, tmp, fd, name); err != nil {
		unix.Renameat(fd, spare, fd, name)
		return err
	}
	if err := unix.Renameat(fd, spare, fd, tmp); err != nil && !errors.Is(err, unix.ENOENT) {
		return err
	}
	return nil
}
