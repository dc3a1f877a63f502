//go:build unix

package pipeline

import (
	"os"
	"syscall"
)

// linked reports whether the file fi describes has more than one link.
func linked(fi os.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && st.Nlink > 1
}
