//go:build !duckdb_arrow

package store

import (
	"context"
	"database/sql"
	"database/sql/driver"

	duckdb "github.com/duckdb/duckdb-go/v2"

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

// insertRows appends the batch's facts to observations, with load_id and
// first_load_id id, in the transaction open on conn.
func insertRows(ctx context.Context, conn *sql.Conn, b thidua.Batch, id int64) error {
	return conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppender(dc.(driver.Conn), "", "", "observations")
		if err != nil {
			return err
		}
		return appendFacts(app, b, id)
	})
}
