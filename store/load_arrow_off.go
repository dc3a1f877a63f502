//go:build !duckdb_arrow

package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

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

// stage appends the batch's facts to a temporary table on conn in bulk.
// Temporary tables live and die with the connection, so a crash here leaves
// nothing behind.
func stage(ctx context.Context, conn *sql.Conn, b thidua.Batch) error {
	if _, err := conn.ExecContext(ctx, stageTableSQL); err != nil {
		return err
	}
	return conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", "stage")
		if err != nil {
			return err
		}
		return appendFacts(app, b, 0)
	})
}

// appendFacts appends the batch's facts to app and closes it: the columns
// of temp.stage, and when id is not 0 those of observations (load_id and
// first_load_id id).
func appendFacts(app *duckdb.Appender, b thidua.Batch, id int64) error {
	row := func(vals ...driver.Value) error {
		if id != 0 { // load_id, source, first_load_id
			src := vals[len(vals)-1]
			vals = append(vals[:len(vals)-1], id, src, id)
		}
		return app.AppendRow(vals...)
	}
	for _, o := range b.Observations {
		first, last := o.Period.Months()
		if err := row(o.Unit, o.Indicator, o.Period.String(), string(o.Period.Type),
			int32(o.Period.Year), int32(first), int32(last), string(o.Basis), o.Value, o.Pos.String()); err != nil {
			app.Close()
			return err
		}
	}
	for _, t := range b.Targets {
		if err := row(t.Unit, t.Indicator, fmt.Sprintf("%04d", t.Year), string(thidua.Year),
			int32(t.Year), int32(1), int32(12), "target", t.Value, t.Pos.String()); err != nil {
			app.Close()
			return err
		}
	}
	return app.Close()
}
