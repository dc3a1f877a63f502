//go:build !unix

package store

// lockedByOther cannot ask for the holder of a lock here: a DuckDB file
// another process holds is reported as DuckDB's own I/O error.
func lockedByOther(string) bool { return false }
