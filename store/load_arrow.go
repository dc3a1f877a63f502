//go:build duckdb_arrow

package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strconv"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/thidua/thidua"
)

// ArrowStaging reports whether this build stages batches through Arrow
// record batches (build tag duckdb_arrow) rather than the Appender.
const ArrowStaging = true

// stageBatchRows is the size of the record batches handed to DuckDB: a
// multiple of DuckDB's row group (122,880 rows), the size measured faster
// than read_csv.
const stageBatchRows = 122880

// stagePoolBytes bounds the buffers a stageReader keeps for its next
// record batches (bufPool): two batches of stageBatchRows facts with
// positions of ≈ 60 bytes take ≈ 30 MB.
const stagePoolBytes = 64 << 20

// stageSchema is the Arrow form of the temp.stage table.
var stageSchema = arrow.NewSchema([]arrow.Field{
	{Name: "unit_code", Type: arrow.BinaryTypes.String},
	{Name: "indicator_code", Type: arrow.BinaryTypes.String},
	{Name: "period", Type: arrow.BinaryTypes.String},
	{Name: "period_type", Type: arrow.BinaryTypes.String},
	{Name: "year", Type: arrow.PrimitiveTypes.Int32},
	{Name: "first_month", Type: arrow.PrimitiveTypes.Int32},
	{Name: "last_month", Type: arrow.PrimitiveTypes.Int32},
	{Name: "basis", Type: arrow.BinaryTypes.String},
	{Name: "value", Type: arrow.PrimitiveTypes.Float64},
	{Name: "source", Type: arrow.BinaryTypes.String},
}, nil)

// stageRows fills temp.stage on conn with the batch's facts by handing
// DuckDB Arrow record batches of stageBatchRows rows, built lazily as DuckDB
// asks for them, and inserting from the registered Arrow view. The table and
// its contents are the same as the Appender's (stage).
func stageRows(ctx context.Context, conn *sql.Conn, b thidua.Batch) error {
	if _, err := conn.ExecContext(ctx, stageTableSQL); err != nil {
		return err
	}
	return viaArrow(ctx, conn, b, `INSERT INTO temp.stage SELECT * FROM thidua_stage_arrow`)
}

// insertRows inserts the batch's facts into observations, with load_id
// and first_load_id id, through Arrow record batches as stageRows does.
func insertRows(ctx context.Context, conn *sql.Conn, b thidua.Batch, id int64) error {
	return viaArrow(ctx, conn, b, `INSERT INTO observations
		SELECT unit_code, indicator_code, period, period_type, year, first_month, last_month, basis, value, $1, source, $1
		FROM thidua_stage_arrow`, driver.NamedValue{Ordinal: 1, Value: id})
}

// viaArrow runs query on conn with the batch's facts registered as the
// Arrow view thidua_stage_arrow (the columns of temp.stage).
func viaArrow(ctx context.Context, conn *sql.Conn, b thidua.Batch, query string, args ...driver.NamedValue) error {
	return conn.Raw(func(dc any) error {
		ar, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		rd := newStageReader(b)
		defer rd.Release()
		release, err := ar.RegisterView(rd, "thidua_stage_arrow")
		if err != nil {
			return err
		}
		defer release()
		ex := dc.(driver.ExecerContext)
		if _, err := ex.ExecContext(ctx, query, args); err != nil {
			return err
		}
		if _, err := ex.ExecContext(ctx, `DROP VIEW IF EXISTS thidua_stage_arrow`, nil); err != nil {
			return err
		}
		return rd.Err()
	})
}

// stageReader is an array.RecordReader over a batch's observations and
// targets, building one record batch per Next.
type stageReader struct {
	refs    atomic.Int64
	b       thidua.Batch
	next    int // next fact: observations first, then targets
	cur     arrow.RecordBatch
	periods periodTexts
	bld     *array.RecordBuilder
	buf     []byte
	err     error
}

func newStageReader(b thidua.Batch) *stageReader {
	r := &stageReader{b: b,
		bld: array.NewRecordBuilder(newBufPool(stagePoolBytes), stageSchema)}
	r.refs.Store(1)
	return r
}

func (r *stageReader) Retain() { r.refs.Add(1) }

func (r *stageReader) Release() {
	if r.refs.Add(-1) == 0 {
		if r.cur != nil {
			r.cur.Release()
			r.cur = nil
		}
		r.bld.Release()
	}
}

func (r *stageReader) Schema() *arrow.Schema          { return stageSchema }
func (r *stageReader) RecordBatch() arrow.RecordBatch { return r.cur }
func (r *stageReader) Record() arrow.RecordBatch      { return r.cur }
func (r *stageReader) Err() error                     { return r.err }
func (r *stageReader) period(p thidua.Period) string  { return r.periods.text(p) }
func (r *stageReader) total() int                     { return len(r.b.Observations) + len(r.b.Targets) }
func (r *stageReader) strings(i int) *array.StringBuilder {
	return r.bld.Field(i).(*array.StringBuilder)
}

func (r *stageReader) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.next >= r.total() {
		return false
	}
	n := min(stageBatchRows, r.total()-r.next)
	unit, ind, per, typ := r.strings(0), r.strings(1), r.strings(2), r.strings(3)
	year := r.bld.Field(4).(*array.Int32Builder)
	first := r.bld.Field(5).(*array.Int32Builder)
	last := r.bld.Field(6).(*array.Int32Builder)
	basis := r.strings(7)
	value := r.bld.Field(8).(*array.Float64Builder)
	src := r.strings(9)
	r.bld.Reserve(n)
	r.reserveData(n, unit, ind, per, typ, basis, src)
	// Facts come in runs of one period, or few periods: the last one's
	// text is at hand without the cache.
	var lastP thidua.Period
	lastS := ""
	for k := r.next; k < r.next+n; k++ {
		if k < len(r.b.Observations) {
			o := &r.b.Observations[k]
			f, l := o.Period.Months()
			unit.Append(o.Unit)
			ind.Append(o.Indicator)
			if lastS == "" || o.Period != lastP {
				lastP, lastS = o.Period, r.period(o.Period)
			}
			per.Append(lastS)
			typ.Append(string(o.Period.Type))
			year.UnsafeAppend(int32(o.Period.Year))
			first.UnsafeAppend(int32(f))
			last.UnsafeAppend(int32(l))
			basis.Append(string(o.Basis))
			value.UnsafeAppend(o.Value)
			r.buf = appendPos(r.buf[:0], o.Pos)
			src.BinaryBuilder.Append(r.buf)
			continue
		}
		t := &r.b.Targets[k-len(r.b.Observations)]
		unit.Append(t.Unit)
		ind.Append(t.Indicator)
		if yp := (thidua.Period{Type: thidua.Year, Year: t.Year}); lastS == "" || yp != lastP {
			lastP, lastS = yp, r.period(yp)
		}
		per.Append(lastS)
		typ.Append(string(thidua.Year))
		year.UnsafeAppend(int32(t.Year))
		first.UnsafeAppend(1)
		last.UnsafeAppend(12)
		basis.Append("target")
		value.UnsafeAppend(t.Value)
		r.buf = appendPos(r.buf[:0], t.Pos)
		src.BinaryBuilder.Append(r.buf)
	}
	r.next += n
	r.cur = r.bld.NewRecordBatch()
	return true
}

// reserveData reserves in each text column the bytes of the next n facts,
// so that the value buffers are allocated once instead of doubling as they
// fill.
func (r *stageReader) reserveData(n int, unit, ind, per, typ, basis, src *array.StringBuilder) {
	var nu, ni, np, nt, nb, ns int
	var lastP thidua.Period
	lastN := -1
	for k := r.next; k < r.next+n; k++ {
		if k < len(r.b.Observations) {
			o := &r.b.Observations[k]
			nu, ni, nt, nb = nu+len(o.Unit), ni+len(o.Indicator), nt+len(o.Period.Type), nb+len(o.Basis)
			if lastN < 0 || o.Period != lastP {
				lastP, lastN = o.Period, len(r.period(o.Period))
			}
			np += lastN
			ns += posLen(o.Pos)
			continue
		}
		t := &r.b.Targets[k-len(r.b.Observations)]
		nu, ni, np, nt, nb = nu+len(t.Unit), ni+len(t.Indicator), np+4, nt+len(thidua.Year), nb+len("target")
		ns += posLen(t.Pos)
	}
	unit.ReserveData(nu)
	ind.ReserveData(ni)
	per.ReserveData(np)
	typ.ReserveData(nt)
	basis.ReserveData(nb)
	src.ReserveData(ns)
}

// posLen is the length of appendPos(nil, p).
func posLen(p thidua.Pos) int {
	n := len(p.File)
	if p.Sheet != "" {
		n += 1 + len(p.Sheet)
		if p.Cell != "" {
			n += 1 + len(p.Cell)
		}
		return n
	}
	if p.Line > 0 {
		n++
		for v := p.Line; v > 0; v /= 10 {
			n++
		}
	}
	if p.Column != "" {
		n += 1 + len(p.Column)
	}
	return n
}

// periodTexts formats each period once. A batch names few periods, in
// turn (a yearly file's rows by unit and indicator go through its twelve
// months again and again): the first ones are found by comparing, which
// costs less than hashing the period for a map, the others in the map.
type periodTexts struct {
	few  []periodText
	more map[thidua.Period]string
}

type periodText struct {
	p thidua.Period
	s string
}

// periodsCompared is how many periods periodTexts finds by comparing.
const periodsCompared = 16

// text returns p.String().
func (c *periodTexts) text(p thidua.Period) string {
	for i := range c.few {
		if c.few[i].p == p {
			return c.few[i].s
		}
	}
	if len(c.few) < periodsCompared {
		s := p.String()
		c.few = append(c.few, periodText{p, s})
		return s
	}
	s, ok := c.more[p]
	if !ok {
		if c.more == nil {
			c.more = map[thidua.Period]string{}
		}
		s = p.String()
		c.more[p] = s
	}
	return s
}

// appendPos appends p.String() to dst without fmt.
func appendPos(dst []byte, p thidua.Pos) []byte {
	dst = append(dst, p.File...)
	if p.Sheet != "" {
		dst = append(dst, ':')
		dst = append(dst, p.Sheet...)
		if p.Cell != "" {
			dst = append(dst, '!')
			dst = append(dst, p.Cell...)
		}
		return dst
	}
	if p.Line > 0 {
		dst = append(dst, ':')
		dst = strconv.AppendInt(dst, int64(p.Line), 10)
	}
	if p.Column != "" {
		dst = append(dst, ':')
		dst = append(dst, p.Column...)
	}
	return dst
}
