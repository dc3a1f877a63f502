//go:build unix

package store

import (
	"os"

	"golang.org/x/sys/unix"
)

// lockedByOther reports whether another process holds a lock on the
// database file that a writer would conflict with. DuckDB locks its file
// with fcntl record locks; F_GETLK asks without taking one. It is asked
// only after DuckDB refused to open the file, by the process DuckDB
// refused, which holds no lock on it to lose when the probe's descriptor
// closes.
func lockedByOther(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	lk := unix.Flock_t{Type: unix.F_WRLCK}
	if err := unix.FcntlFlock(f.Fd(), unix.F_GETLK, &lk); err != nil {
		return false
	}
	return lk.Type != unix.F_UNLCK
}
