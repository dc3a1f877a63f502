// Package keep takes files over from an output folder that is being
// replaced, so that a run writes anew only what changed: by hard link where
// the file system allows, else by copy. It never follows a link: the
// previous output is a folder that other programs may have written to.
package keep

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ErrNotRegular is the cause when a file to take over or read is a link, a
// folder or anything else but a regular file (or is swapped for one while
// it is read).
var ErrNotRegular = errors.New("not a regular file")

// File makes to hold the content of the regular file from: a hard link to
// it, or a copy where the file system cannot link. to is created, never
// replaced; a failed copy leaves no to behind.
func File(from, to string) error {
	fi, err := regular(from)
	if err != nil {
		return err
	}
	if os.Link(from, to) == nil { // link(2) never follows a link at from
		return nil
	}
	in, err := open(from, fi)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(to)
		return fmt.Errorf("copy %s: %w", from, err)
	}
	if err := out.Close(); err != nil {
		os.Remove(to)
		return err
	}
	return nil
}

// ReadFile reads the regular file name in the folder dir; a dir or a file
// that is a link, or not a folder and a regular file, is refused with
// ErrNotRegular.
func ReadFile(dir, name string) ([]byte, error) {
	if fi, err := os.Lstat(dir); err != nil {
		return nil, err
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a folder: %w", dir, ErrNotRegular)
	}
	p := filepath.Join(dir, name)
	fi, err := regular(p)
	if err != nil {
		return nil, err
	}
	f, err := open(p, fi)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// regular returns p's own information (a link is not followed), refusing
// anything but a regular file.
func regular(p string) (os.FileInfo, error) {
	fi, err := os.Lstat(p)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", p, ErrNotRegular)
	}
	return fi, nil
}

// open opens p and checks that it is still the file fi describes: a link
// put in its place after the Lstat is refused instead of followed.
func open(p string, fi os.FileInfo) (*os.File, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err == nil && !os.SameFile(fi, st) {
		err = fmt.Errorf("%s: replaced while being read: %w", p, ErrNotRegular)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
