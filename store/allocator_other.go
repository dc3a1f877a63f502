//go:build !linux || !cgo

package store

// setAllocatorDecay does nothing here: DuckDB uses jemalloc on Linux only.
func setAllocatorDecay(ms int64) bool { return false }

func allocatorDecay() (dirty, muzzy int64) { return -1, -1 }
