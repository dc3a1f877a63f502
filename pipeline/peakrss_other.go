//go:build !linux

package pipeline

// peakRSS is the process's peak resident set size so far; only read on
// Linux (0: unknown).
func peakRSS() int64 { return 0 }
