//go:build linux && cgo

package store

/*
#include <stddef.h>
#include <stdlib.h>
#include <sys/types.h>

// DuckDB's Linux builds link jemalloc with a duckdb_je_ prefix; the
// reference is weak, so a DuckDB built without it leaves it NULL.
extern int duckdb_je_mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen) __attribute__((weak));

static int thidua_je_set_ssize(const char *name, ssize_t v) {
	if (duckdb_je_mallctl == NULL) return -1;
	return duckdb_je_mallctl(name, NULL, NULL, &v, sizeof(v));
}

static int thidua_je_narenas(unsigned *n) {
	size_t len = sizeof(*n);
	if (duckdb_je_mallctl == NULL) return -1;
	return duckdb_je_mallctl("arenas.narenas", n, &len, NULL, 0);
}

static int thidua_je_get_ssize(const char *name, ssize_t *v) {
	size_t len = sizeof(*v);
	if (duckdb_je_mallctl == NULL) return -1;
	return duckdb_je_mallctl(name, v, &len, NULL, 0);
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

func jeSet(name string, v int64) bool {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	return C.thidua_je_set_ssize(cs, C.ssize_t(v)) == 0
}

// setAllocatorDecay sets how long DuckDB's jemalloc keeps freed pages
// before handing them back (dirty and muzzy decay, in ms) for its arenas
// and those it makes later. It says false where DuckDB has no jemalloc
// (its macOS and Windows builds) or jemalloc refused.
func setAllocatorDecay(ms int64) bool {
	var n C.unsigned
	if C.thidua_je_narenas(&n) != 0 {
		return false
	}
	ok := jeSet("arenas.dirty_decay_ms", ms) && jeSet("arenas.muzzy_decay_ms", ms)
	for i := 0; i < int(n); i++ {
		ok = jeSet(fmt.Sprintf("arena.%d.dirty_decay_ms", i), ms) && ok
		ok = jeSet(fmt.Sprintf("arena.%d.muzzy_decay_ms", i), ms) && ok
	}
	return ok
}

// allocatorDecay reads the decay setAllocatorDecay sets for new arenas
// (-1 where it cannot be read).
func allocatorDecay() (dirty, muzzy int64) {
	get := func(name string) int64 {
		cs := C.CString(name)
		defer C.free(unsafe.Pointer(cs))
		var v C.ssize_t
		if C.thidua_je_get_ssize(cs, &v) != 0 {
			return -1
		}
		return int64(v)
	}
	return get("arenas.dirty_decay_ms"), get("arenas.muzzy_decay_ms")
}
