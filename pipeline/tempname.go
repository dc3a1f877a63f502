package pipeline

import (
	"crypto/rand"
	"errors"
	"io/fs"
	"os"
	"path"
	"strconv"
)

// Temporary files and folders are made in folders others may be able to
// write to (the inbox, often the output folder): their names are never
// predictable and they are created exclusively, so that a symbolic link or
// file planted under a temporary name is never written through or over.

// randomText returns an unpredictable name part (26 characters of base32
// from crypto/rand). A variable so that tests can make it collide.
var randomText = rand.Text

// tempTries bounds the retries when a random name is taken.
const tempTries = 16

// tmpName returns the temporary name of output NAME for this process:
// .NAME.tmp-PID-RANDOM. The PID tells cleanLeftovers whether its writer is
// still alive.
func tmpName(name string) string {
	return "." + name + ".tmp-" + strconv.Itoa(os.Getpid()) + "-" + randomText()
}

// spareName is tmpName for the old output moved aside by a swap.
func spareName(name string) string {
	return "." + name + ".old-" + strconv.Itoa(os.Getpid()) + "-" + randomText()
}

// createTemp creates a new file for writing in folder dir of root (dir is
// slash-separated, "." for root itself) under a random name made by name,
// with O_CREATE|O_EXCL: a name already taken, even by a dangling symbolic
// link, is never opened but replaced by another random one. It returns the
// file and its path relative to root.
func createTemp(root *os.Root, dir string, name func() string) (*os.File, string, error) {
	var err error
	for range tempTries {
		p := path.Join(dir, name())
		var f *os.File
		f, err = root.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			return f, p, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, "", err
		}
	}
	return nil, "", err
}

// mkdirTemp is createTemp for a folder.
func mkdirTemp(root *os.Root, name func() string) (string, error) {
	var err error
	for range tempTries {
		p := name()
		if err = root.Mkdir(p, 0o755); err == nil {
			return p, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", err
		}
	}
	return "", err
}
