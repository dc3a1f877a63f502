//go:build !duckdb_arrow

package store

import (
	"context"
	"database/sql"

	"github.com/thidua/thidua"
)

// ArrowStaging reports whether this build stages batches through Arrow
// record batches (build tag duckdb_arrow) rather than the Appender.
const ArrowStaging = false

// stageRows fills temp.stage on conn with the batch's facts. Without the
// duckdb_arrow build tag it is the Appender (stage).
func stageRows(ctx context.Context, conn *sql.Conn, b thidua.Batch) error {
	return stage(ctx, conn, b)
}
