package store

import (
	"errors"

	"github.com/duckdb/duckdb-go/v2"
)

// IsOutOfMemory reports whether err is, or wraps, DuckDB's out-of-memory
// error: a statement needed more than memory_limit and could not spill the
// rest to temp_dir. It is told by DuckDB's error type, not its message.
func IsOutOfMemory(err error) bool {
	var de *duckdb.Error
	return errors.As(err, &de) && de.Type == duckdb.ErrorTypeOutOfMemory
}
