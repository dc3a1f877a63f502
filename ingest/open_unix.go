//go:build unix

package ingest

import (
	"errors"
	"syscall"
)

// openNoFollow makes open refuse a symbolic link as the last path element
// (ELOOP) and return at once on a named pipe instead of waiting for a
// writer.
const openNoFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK

func isLinkLoop(err error) bool { return errors.Is(err, syscall.ELOOP) }
