package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/thidua/thidua/internal/keep"
)

// CopyTables are the tables exported as CSV, XLSX and Arrow copies, for
// analysts who do not read Parquet.
var CopyTables = []string{"indicator_pop", "scores"}

// PartitionKeys are the keys ExportParquetPartitioned accepts.
var PartitionKeys = []string{"year"}

// ExportParquetPartitioned writes each table of ExportOrder that exists as
// Hive-style folders dir/NAME/year=YYYY/data_0.parquet (zstd), the year
// being the year of the row's period_start. A table without period_start
// (quality) is written whole to dir/NAME.parquet. The partition column is
// in the folder names, not in the files, as Hive readers expect. An
// earlier dir/NAME folder is replaced. It returns the folders and files
// written.
func (db *DB) ExportParquetPartitioned(ctx context.Context, dir, by string) ([]string, error) {
	out, _, err := db.ExportParquetPartitionedOver(ctx, dir, by, "")
	return out, err
}

// Partitions says which partitions an export wrote and which it took over
// unchanged from the previous export, as NAME/year=YYYY.
type Partitions struct {
	Written []string `json:"written"`
	Kept    []string `json:"kept"`
}

// PartitionManifest is the file beside the partitioned tables that records,
// for each table and year, a fingerprint of the rows the partition holds.
const PartitionManifest = "_partitions.json"

// ErrPartitionKey is wrapped by the refusal of a partition key that is not
// one of PartitionKeys.
var ErrPartitionKey = errors.New("cannot partition by")

// ExportParquetPartitionedOver is ExportParquetPartitioned that takes over
// from prev, the previous export's folder (or ""), every partition whose
// rows are unchanged: its files are hard-linked (copied where links cannot
// be made) instead of written again. Whether a partition changed is told by
// a fingerprint of its rows (count and an order-free hash of every exported
// column), kept in dir/_partitions.json, so a partition is never taken over
// from an export of other rows, whatever ran in between.
func (db *DB) ExportParquetPartitionedOver(ctx context.Context, dir, by, prev string) ([]string, Partitions, error) {
	parts := Partitions{Written: []string{}, Kept: []string{}}
	if by != "year" {
		return nil, parts, fmt.Errorf("store: export: %w %q (want one of %s)", ErrPartitionKey, by, strings.Join(PartitionKeys, ", "))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, parts, fmt.Errorf("store: export: %w", err)
	}
	old := readManifest(prev)
	manifest := map[string]map[string]string{}
	var out []string
	for _, name := range ExportOrder {
		if ok, err := db.tableExists(ctx, name); err != nil {
			return out, parts, err
		} else if !ok {
			continue
		}
		cols, err := db.describe(ctx, ExportQueries[name])
		if err != nil {
			return out, parts, fmt.Errorf("store: export %s: %w", name, err)
		}
		if !hasColumn(cols, "period_start") {
			abs, err := filepath.Abs(filepath.Join(dir, name+".parquet"))
			if err != nil {
				return out, parts, err
			}
			q := fmt.Sprintf("COPY (%s) TO %s (FORMAT parquet, COMPRESSION zstd)", ExportQueries[name], QuoteString(abs))
			if _, err := db.sql.ExecContext(ctx, q); err != nil {
				return out, parts, fmt.Errorf("store: export %s to %s: %w", name, abs, err)
			}
			out = append(out, abs)
			continue
		}
		abs, err := filepath.Abs(filepath.Join(dir, name))
		if err != nil {
			return out, parts, err
		}
		if err := os.RemoveAll(abs); err != nil {
			return out, parts, fmt.Errorf("store: export %s: %w", name, err)
		}
		keys, err := db.exportPartitionKeys(ctx, name)
		if err != nil {
			return out, parts, fmt.Errorf("store: export %s: %w", name, err)
		}
		manifest[name] = keys
		var write, keep []int
		for ys, k := range keys {
			y, err := strconv.Atoi(ys)
			if err != nil {
				return out, parts, fmt.Errorf("store: export %s: year %q: %w", name, ys, err)
			}
			if prev != "" && old[name][ys] == k && partitionFiles(filepath.Join(prev, name, "year="+ys)) != nil {
				keep = append(keep, y)
				continue
			}
			write = append(write, y)
		}
		sort.Ints(write)
		sort.Ints(keep)
		if len(write) > 0 || len(keep) == 0 {
			// A column already named year is replaced by the period's year.
			var sel string
			if hasColumn(cols, "year") {
				sel = "* REPLACE (year(period_start) AS year)"
			} else {
				sel = "*, year(period_start) AS year"
			}
			// the years are integers (strconv.Atoi above), formatted by %d
			years := "NULL"
			for i, y := range write {
				if i == 0 {
					years = ""
				} else {
					years += ", "
				}
				years += fmt.Sprintf("%d", y)
			}
			src := exportYears(name, write)
			if src == "" {
				src = ExportQueries[name]
			}
			q := fmt.Sprintf("COPY (SELECT %s FROM (%s) WHERE year(period_start) IN (%s)) TO %s (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year))",
				sel, src, years, QuoteString(abs))
			if _, err := db.sql.ExecContext(ctx, q); err != nil {
				return out, parts, fmt.Errorf("store: export %s partitioned by %s to %s: %w", name, by, abs, err)
			}
		}
		for _, y := range keep {
			part := fmt.Sprintf("year=%d", y)
			if err := linkPartition(filepath.Join(prev, name, part), filepath.Join(abs, part)); err != nil {
				return out, parts, fmt.Errorf("store: export %s: taking over %s: %w", name, part, err)
			}
			parts.Kept = append(parts.Kept, name+"/"+part)
		}
		for _, y := range write {
			parts.Written = append(parts.Written, fmt.Sprintf("%s/year=%d", name, y))
		}
		out = append(out, abs)
	}
	b, err := json.MarshalIndent(manifest, "", "  ")
	if err != nil {
		return out, parts, err
	}
	m := filepath.Join(dir, PartitionManifest)
	if err := os.WriteFile(m, append(b, '\n'), 0o644); err != nil {
		return out, parts, fmt.Errorf("store: export: %w", err)
	}
	return append(out, m), parts, nil
}

// orderBy is a query's last ORDER BY clause, to its end.
var orderBy = regexp.MustCompile(`(?s)\s+ORDER\s+BY\s[^()]*$`)

// unordered is query (an ExportQueries query) without its final ORDER BY:
// the same rows, for partitionKeys' order-free hash (sorting them was
// three quarters of the hash's time for indicator_pop).
func unordered(query string) string {
	return orderBy.ReplaceAllString(query, "")
}

// exportPartitionKeys are the partition keys of the table name: for
// indicator_pop exported whole, made from the period keys the transform
// wrote with its rows (popKeys: a year's key is a hash of the export query
// and of its periods' keys, each the count and hash of the period's rows),
// for observations observationKeys, else partitionKeys' hash of the
// exported rows. At 150 units × 30
// indicators × 61 months hashing indicator_pop took 0.10–0.14 CPU-s of a
// new month's 0.7 CPU-s export.
func (db *DB) exportPartitionKeys(ctx context.Context, name string) (map[string]string, error) {
	q := ExportQueries[name]
	if name == "indicator_pop" && q == wholeTable(name) {
		kept, ok, err := db.popKeys(ctx)
		if err != nil {
			return nil, err
		}
		if ok {
			hs := map[int]hash.Hash{}
			for _, k := range kept { // (by period)
				h := hs[k.year]
				if h == nil {
					h = sha256.New()
					fmt.Fprintf(h, "%s\x00", q)
					hs[k.year] = h
				}
				fmt.Fprintf(h, "%s=%s\x00", k.period, k.key)
			}
			keys := map[string]string{}
			for y, h := range hs {
				keys[strconv.Itoa(y)] = "periods:" + hex.EncodeToString(h.Sum(nil))
			}
			return keys, nil
		}
	}
	if name == "observations" && q == observationsExport("") {
		return db.observationKeys(ctx, q)
	}
	return db.partitionKeys(ctx, unordered(q))
}

// observationKeys are the partition keys of observations exported by q
// (observationsExport("")): a year's exported rows are made from its facts,
// the loads they name (file name, sha256, time) and the units' and
// indicators' names, so its key is the count and an order-free hash of its
// facts' stored columns, a hash of the loads its facts name and one of the
// names, with the query's text. Hashing q's joined rows (partitionKeys)
// took 0.09 CPU-s of a new month's export at 150 units × 30 indicators × 61
// months, this 0.05.
func (db *DB) observationKeys(ctx context.Context, q string) (map[string]string, error) {
	rows, err := db.sql.QueryContext(ctx, `WITH y AS (
			SELECT o.year, count(*) AS n, sum(hash(o)::HUGEINT) AS h, list(DISTINCT o.load_id) AS lids
			FROM observations o GROUP BY o.year
		), names AS (
			SELECT (SELECT count(*) || ':' || coalesce(sum(hash(u.code, u.name)::HUGEINT), 0) FROM units u) || ';' ||
			       (SELECT count(*) || ':' || coalesce(sum(hash(i.code, i.name)::HUGEINT), 0) FROM indicators i) AS k
		)
		SELECT y.year::VARCHAR, y.n || ':' || y.h || ';' ||
		       (SELECT count(*) || ':' || coalesce(sum(hash(l.load_id, l.name, l.sha256, l.loaded_at)::HUGEINT), 0)
		        FROM loads l WHERE list_contains(y.lids, l.load_id)) || ';' || names.k
		FROM y, names`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	keys := map[string]string{}
	for rows.Next() {
		var y, k string
		if err := rows.Scan(&y, &k); err != nil {
			return nil, err
		}
		h := sha256.Sum256([]byte(q + "\x00" + k))
		keys[y] = "facts:" + hex.EncodeToString(h[:])
	}
	return keys, rows.Err()
}

// partitionKeys returns, for each year of query's rows (by period_start),
// the count and an order-free hash of its rows.
func (db *DB) partitionKeys(ctx context.Context, query string) (map[string]string, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT year(t.period_start)::VARCHAR, count(*)::VARCHAR || ':' || sum(hash(t)::HUGEINT)::VARCHAR
		FROM (`+query+`) t WHERE t.period_start IS NOT NULL GROUP BY 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	keys := map[string]string{}
	for rows.Next() {
		var y, k string
		if err := rows.Scan(&y, &k); err != nil {
			return nil, err
		}
		keys[y] = k
	}
	return keys, rows.Err()
}

// readManifest reads the previous export's partition manifest; a missing
// or unreadable one (or one that is not a regular file) takes nothing over.
func readManifest(prev string) map[string]map[string]string {
	m := map[string]map[string]string{}
	if prev == "" {
		return m
	}
	b, err := keep.ReadFile(prev, PartitionManifest)
	if err != nil || json.Unmarshal(b, &m) != nil {
		return map[string]map[string]string{}
	}
	return m
}

// partitionFiles returns the files of a previous export's partition
// folder, or nil when there is nothing to take over: a missing or empty
// folder, a link, or anything in it but regular files (links are never
// followed).
func partitionFiles(from string) []os.DirEntry {
	if fi, err := os.Lstat(from); err != nil || !fi.IsDir() {
		return nil
	}
	ents, err := os.ReadDir(from)
	if err != nil || len(ents) == 0 {
		return nil
	}
	for _, e := range ents {
		if !e.Type().IsRegular() {
			return nil
		}
	}
	return ents
}

// linkPartition makes to hold the regular files of the folder from (hard
// links, else copies).
func linkPartition(from, to string) error {
	ents := partitionFiles(from)
	if ents == nil {
		return errors.New("nothing to take over")
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	for _, e := range ents {
		if err := keep.File(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())); err != nil {
			os.RemoveAll(to)
			return err
		}
	}
	return nil
}

// utf8BOM starts every CSV export so that Excel reads it as UTF-8.
const utf8BOM = "\ufeff"

// ExportCSV writes each of tables that exists to dir/NAME.csv: a header
// row, comma-separated, UTF-8 with a byte order mark (for Excel), numbers
// with a dot as the decimal separator, dates as YYYY-MM-DD and missing
// values as empty fields. Each file appears whole or not at all.
func (db *DB) ExportCSV(ctx context.Context, dir string, tables []string) ([]string, error) {
	return db.exportEach(ctx, "csv", dir, ".csv", tables, func(name, path string) error {
		return db.exportCSV(ctx, ExportQueries[name], path)
	})
}

// exportEach writes each of tables that exists (all must be known to
// ExportQueries) to dir/NAME+ext with write, and returns the files written.
func (db *DB) exportEach(ctx context.Context, format, dir, ext string, tables []string, write func(name, path string) error) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: export %s: %w", format, err)
	}
	var files []string
	for _, name := range tables {
		if _, ok := ExportQueries[name]; !ok {
			return files, fmt.Errorf("store: export %s: unknown table %q", format, name)
		}
		if ok, err := db.tableExists(ctx, name); err != nil {
			return files, err
		} else if !ok {
			continue
		}
		abs, err := filepath.Abs(filepath.Join(dir, name+ext))
		if err != nil {
			return files, err
		}
		if err := write(name, abs); err != nil {
			return files, fmt.Errorf("store: export %s to %s: %w", name, abs, err)
		}
		files = append(files, abs)
	}
	return files, nil
}

func (db *DB) exportCSV(ctx context.Context, query, path string) error {
	// DuckDB writes the body; the byte order mark goes in front of it.
	body := path + ".body.tmp"
	defer os.Remove(body)
	q := fmt.Sprintf(`COPY (%s) TO %s (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"', NULLSTR '',
		DATEFORMAT '%%Y-%%m-%%d', TIMESTAMPFORMAT '%%Y-%%m-%%d %%H:%%M:%%S')`, query, QuoteString(body))
	if _, err := db.sql.ExecContext(ctx, q); err != nil {
		return err
	}
	return writeAtomic(path, func(w io.Writer) error {
		if _, err := io.WriteString(w, utf8BOM); err != nil {
			return err
		}
		f, err := os.Open(body)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(w, f)
		return err
	})
}

// writeAtomic writes path through a temporary file in the same folder that
// is renamed over path once complete and synced.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Column is one column of an exported table: its name and its DuckDB type
// after ExportRows' normalization (VARCHAR, BOOLEAN, TINYINT … BIGINT,
// FLOAT, DOUBLE, DATE, TIMESTAMP).
type Column struct {
	Name string
	Type string
}

// Table is an exported table with plain Go values: nil (missing), bool,
// int64, float64, string and time.Time (UTC; a DATE has no clock time).
type Table struct {
	Name    string
	Columns []Column
	Rows    [][]any
}

// ErrTooManyRows is wrapped by ExportRows' error for a table with more
// rows than the caller can take.
var ErrTooManyRows = errors.New("too many rows")

// ExportRows reads table name (one of ExportQueries) in export order, with
// every value as a plain Go value (see Table), for writers outside DuckDB
// such as XLSX. DECIMAL and HUGEINT columns come as DOUBLE, other types
// without a plain Go form as VARCHAR. A table the transform has not built
// yet is an error wrapping ErrNotTransformed. With max > 0, a table of
// more than max rows is refused (ErrTooManyRows) before any row is read
// into memory.
func (db *DB) ExportRows(ctx context.Context, name string, max int) (Table, error) {
	t := Table{Name: name}
	if q, ok := ExportQueries[name]; ok && max > 0 {
		if exists, err := db.tableExists(ctx, name); err != nil {
			return t, err
		} else if exists {
			var n int64
			if err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM ("+q+")").Scan(&n); err != nil {
				return t, fmt.Errorf("store: export %s: count: %w", name, err)
			}
			if n > int64(max) {
				return t, fmt.Errorf("store: export %s: %d rows, more than %d: %w", name, n, max, ErrTooManyRows)
			}
		}
	}
	err := db.exportScan(ctx, name, func(cols []Column) error {
		t.Columns = cols
		return nil
	}, func(row []any) error {
		t.Rows = append(t.Rows, append([]any(nil), row...))
		return nil
	})
	return t, err
}

// exportScan runs table name's export query with its columns normalized
// and calls head with the columns, then each for every row (the slice is
// reused between calls).
func (db *DB) exportScan(ctx context.Context, name string, head func([]Column) error, each func([]any) error) error {
	q, ok := ExportQueries[name]
	if !ok {
		return fmt.Errorf("store: export: unknown table %q", name)
	}
	if ok, err := db.tableExists(ctx, name); err != nil {
		return err
	} else if !ok {
		return fmt.Errorf("store: export %s: %w", name, ErrNotTransformed)
	}
	cols, err := db.describe(ctx, q)
	if err != nil {
		return fmt.Errorf("store: export %s: %w", name, err)
	}
	sel := make([]string, len(cols))
	for i, c := range cols {
		typ := plainType(c.Type)
		sel[i] = QuoteIdent(c.Name)
		if typ != c.Type {
			sel[i] = fmt.Sprintf("CAST(%s AS %s) AS %s", QuoteIdent(c.Name), typ, QuoteIdent(c.Name))
		}
		cols[i].Type = typ
	}
	if err := head(cols); err != nil {
		return err
	}
	rows, err := db.sql.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM (%s)", strings.Join(sel, ", "), q))
	if err != nil {
		return fmt.Errorf("store: export %s: %w", name, err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			rows.Close()
			return fmt.Errorf("store: export %s: %w", name, err)
		}
		for i, v := range vals {
			vals[i] = plainValue(v)
		}
		if err := each(vals); err != nil {
			rows.Close()
			return err
		}
	}
	if err := finish(rows); err != nil {
		return fmt.Errorf("store: export %s: %w", name, err)
	}
	return nil
}

// describe returns the columns and DuckDB types of query's result.
func (db *DB) describe(ctx context.Context, query string) ([]Column, error) {
	rows, err := db.sql.QueryContext(ctx, "SELECT column_name, column_type FROM (DESCRIBE "+query+")")
	if err != nil {
		return nil, fmt.Errorf("describe: %w", err)
	}
	var cols []Column
	for rows.Next() {
		var c Column
		if err := rows.Scan(&c.Name, &c.Type); err != nil {
			rows.Close()
			return nil, fmt.Errorf("describe: %w", err)
		}
		cols = append(cols, c)
	}
	if err := finish(rows); err != nil {
		return nil, fmt.Errorf("describe: %w", err)
	}
	return cols, nil
}

func hasColumn(cols []Column, name string) bool {
	for _, c := range cols {
		if c.Name == name {
			return true
		}
	}
	return false
}

// plainType maps a DuckDB column type to the type it is exported as.
func plainType(t string) string {
	switch {
	case t == "VARCHAR", t == "BOOLEAN", t == "TINYINT", t == "SMALLINT", t == "INTEGER", t == "BIGINT",
		t == "UTINYINT", t == "USMALLINT", t == "UINTEGER", t == "FLOAT", t == "DOUBLE", t == "DATE", t == "TIMESTAMP":
		return t
	case t == "TIMESTAMP WITH TIME ZONE", t == "TIMESTAMPTZ":
		return "TIMESTAMP"
	case strings.HasPrefix(t, "DECIMAL"), t == "HUGEINT", t == "UHUGEINT", t == "UBIGINT":
		return "DOUBLE"
	}
	return "VARCHAR"
}

// plainValue turns a value scanned from DuckDB into a plain Go value.
func plainValue(v any) any {
	switch x := v.(type) {
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case float32:
		return float64(x)
	case []byte:
		return string(x)
	case time.Time:
		return x.UTC()
	}
	return v
}

// ExportArrow writes each of tables that exists to dir/NAME.arrows as an
// Arrow IPC stream, in record batches of up to 64Ki rows. Column types are
// those of ExportRows, as Arrow utf8, bool, int8 … int64, uint8 … uint32,
// float32, float64, date32 and timestamp[us, UTC]. Each file appears whole
// or not at all.
func (db *DB) ExportArrow(ctx context.Context, dir string, tables []string) ([]string, error) {
	return db.exportEach(ctx, "arrow", dir, ".arrows", tables, func(name, path string) error {
		return writeAtomic(path, func(w io.Writer) error { return db.writeArrow(ctx, name, w) })
	})
}

const arrowBatchRows = 1 << 16

func (db *DB) writeArrow(ctx context.Context, name string, w io.Writer) error {
	mem := memory.NewGoAllocator()
	var (
		schema *arrow.Schema
		b      *array.RecordBuilder
		iw     *ipc.Writer
		n      int
	)
	flush := func() error {
		rec := b.NewRecordBatch()
		defer rec.Release()
		n = 0
		return iw.Write(rec)
	}
	err := db.exportScan(ctx, name, func(cols []Column) error {
		fields := make([]arrow.Field, len(cols))
		for i, c := range cols {
			fields[i] = arrow.Field{Name: c.Name, Type: arrowType(c.Type), Nullable: true}
		}
		schema = arrow.NewSchema(fields, nil)
		b = array.NewRecordBuilder(mem, schema)
		iw = ipc.NewWriter(w, ipc.WithSchema(schema), ipc.WithAllocator(mem))
		return nil
	}, func(row []any) error {
		for i, v := range row {
			if err := appendArrow(b.Field(i), v); err != nil {
				return fmt.Errorf("column %s: %w", schema.Field(i).Name, err)
			}
		}
		if n++; n == arrowBatchRows {
			return flush()
		}
		return nil
	})
	if b != nil {
		defer b.Release()
	}
	if err != nil {
		if iw != nil {
			iw.Close()
		}
		return err
	}
	// A stream always holds at least one batch, so readers see the schema
	// in use even for an empty table.
	if err := flush(); err != nil {
		iw.Close()
		return err
	}
	return iw.Close()
}

func arrowType(t string) arrow.DataType {
	switch t {
	case "BOOLEAN":
		return arrow.FixedWidthTypes.Boolean
	case "TINYINT":
		return arrow.PrimitiveTypes.Int8
	case "SMALLINT":
		return arrow.PrimitiveTypes.Int16
	case "INTEGER":
		return arrow.PrimitiveTypes.Int32
	case "BIGINT":
		return arrow.PrimitiveTypes.Int64
	case "UTINYINT":
		return arrow.PrimitiveTypes.Uint8
	case "USMALLINT":
		return arrow.PrimitiveTypes.Uint16
	case "UINTEGER":
		return arrow.PrimitiveTypes.Uint32
	case "FLOAT":
		return arrow.PrimitiveTypes.Float32
	case "DOUBLE":
		return arrow.PrimitiveTypes.Float64
	case "DATE":
		return arrow.FixedWidthTypes.Date32
	case "TIMESTAMP":
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	}
	return arrow.BinaryTypes.String
}

var errArrowType = errors.New("value does not fit the column's type")

func appendArrow(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	bad := func() error { return fmt.Errorf("%w: %T %v", errArrowType, v, v) }
	switch b := b.(type) {
	case *array.StringBuilder:
		s, ok := v.(string)
		if !ok {
			s = fmt.Sprint(v)
		}
		b.Append(s)
	case *array.BooleanBuilder:
		x, ok := v.(bool)
		if !ok {
			return bad()
		}
		b.Append(x)
	case *array.Int8Builder:
		x, ok := v.(int64)
		if !ok {
			return bad()
		}
		b.Append(int8(x))
	case *array.Int16Builder:
		x, ok := v.(int64)
		if !ok {
			return bad()
		}
		b.Append(int16(x))
	case *array.Int32Builder:
		x, ok := v.(int64)
		if !ok {
			return bad()
		}
		b.Append(int32(x))
	case *array.Int64Builder:
		x, ok := v.(int64)
		if !ok {
			return bad()
		}
		b.Append(x)
	case *array.Uint8Builder:
		x, ok := v.(int64)
		if !ok {
			return bad()
		}
		b.Append(uint8(x))
	case *array.Uint16Builder:
		x, ok := v.(int64)
		if !ok {
			return bad()
		}
		b.Append(uint16(x))
	case *array.Uint32Builder:
		x, ok := v.(int64)
		if !ok {
			return bad()
		}
		b.Append(uint32(x))
	case *array.Float32Builder:
		x, ok := v.(float64)
		if !ok {
			return bad()
		}
		b.Append(float32(x))
	case *array.Float64Builder:
		x, ok := v.(float64)
		if !ok {
			return bad()
		}
		b.Append(x)
	case *array.Date32Builder:
		x, ok := v.(time.Time)
		if !ok {
			return bad()
		}
		b.Append(arrow.Date32FromTime(x))
	case *array.TimestampBuilder:
		x, ok := v.(time.Time)
		if !ok {
			return bad()
		}
		b.Append(arrow.Timestamp(x.UnixMicro()))
	default:
		return bad()
	}
	return nil
}
