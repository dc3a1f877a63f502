//go:build !unix

package ingest

// openNoFollow is zero where open has no O_NOFOLLOW: openInput's Lstat and
// the check of the opened file stand alone there.
const openNoFollow = 0

func isLinkLoop(error) bool { return false }
