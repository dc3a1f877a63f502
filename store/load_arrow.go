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
	"github.com/apache/arrow-go/v18/arrow/memory"
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
// targets, building one record batch per Next. It writes the columns'
// buffers itself (offsets, bytes and values, allocated from its bufPool
// at their exact sizes) instead of through Arrow's builders, whose
// per-value appends (offset, validity bit, growth checks) cost about as
// much as the copying.
type stageReader struct {
	refs    atomic.Int64
	b       thidua.Batch
	next    int // next fact: observations first, then targets
	cur     arrow.RecordBatch
	periods periodTexts
	pool    *bufPool
	err     error
}

func newStageReader(b thidua.Batch) *stageReader {
	r := &stageReader{b: b, pool: newBufPool(stagePoolBytes)}
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
	}
}

func (r *stageReader) Schema() *arrow.Schema          { return stageSchema }
func (r *stageReader) RecordBatch() arrow.RecordBatch { return r.cur }
func (r *stageReader) Record() arrow.RecordBatch      { return r.cur }
func (r *stageReader) Err() error                     { return r.err }
func (r *stageReader) period(p thidua.Period) string  { return r.periods.text(p) }
func (r *stageReader) total() int                     { return len(r.b.Observations) + len(r.b.Targets) }

// alloc is a buffer of size bytes from the reader's pool.
func (r *stageReader) alloc(size int) *memory.Buffer {
	b := memory.NewResizableBuffer(r.pool)
	b.Resize(size)
	return b
}

// textColumn is a string column being written: n+1 offsets and the bytes.
type textColumn struct {
	r                *stageReader
	offsBuf, dataBuf *memory.Buffer
	offs             []int32
	data             []byte
	used             int
}

func (r *stageReader) textColumn(n, bytes int) textColumn {
	c := textColumn{r: r, offsBuf: r.alloc((n + 1) * arrow.Int32SizeBytes), dataBuf: r.alloc(max(bytes, 1))}
	c.offs = arrow.Int32Traits.CastFromBytes(c.offsBuf.Bytes())[: n+1 : n+1]
	c.data = c.dataBuf.Bytes()
	c.offs[0] = 0
	return c
}

// room makes room for extra more bytes. The sizes are counted ahead
// (dataBytes), so it does not grow the buffer unless they were wrong.
func (c *textColumn) room(extra int) {
	if c.used+extra <= len(c.data) {
		return
	}
	nb := c.r.alloc(2 * (c.used + extra))
	copy(nb.Bytes(), c.data[:c.used])
	c.dataBuf.Release()
	c.dataBuf, c.data = nb, nb.Bytes()
}

// set writes s as row i (rows are written in order).
func (c *textColumn) set(i int, s string) {
	c.room(len(s))
	c.used += copy(c.data[c.used:], s)
	c.offs[i+1] = int32(c.used)
}

// setPos writes p.String() as row i.
func (c *textColumn) setPos(i int, p thidua.Pos) {
	c.room(posLen(p))
	b := appendPos(c.data[:c.used:len(c.data)], p)
	if len(b) > len(c.data) {
		// posLen fell short: append wrote to a new array.
		c.room(len(b) - c.used)
		copy(c.data[c.used:], b[c.used:])
	}
	c.used = len(b)
	c.offs[i+1] = int32(c.used)
}

// array hands the column's buffers to a string array of n rows.
func (c *textColumn) array(n int) arrow.Array {
	d := array.NewData(arrow.BinaryTypes.String, n, []*memory.Buffer{nil, c.offsBuf, c.dataBuf}, nil, 0, 0)
	a := array.MakeFromData(d)
	d.Release()
	c.offsBuf.Release()
	c.dataBuf.Release()
	return a
}

// valueArray hands a buffer of n fixed-width values to an array of type t.
func valueArray(t arrow.DataType, n int, buf *memory.Buffer) arrow.Array {
	d := array.NewData(t, n, []*memory.Buffer{nil, buf}, nil, 0, 0)
	a := array.MakeFromData(d)
	d.Release()
	buf.Release()
	return a
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
	nu, ni, np, nt, nb, ns := r.dataBytes(n)
	unit, ind, per, typ := r.textColumn(n, nu), r.textColumn(n, ni), r.textColumn(n, np), r.textColumn(n, nt)
	basis, src := r.textColumn(n, nb), r.textColumn(n, ns)
	yearBuf, firstBuf, lastBuf := r.alloc(n*arrow.Int32SizeBytes), r.alloc(n*arrow.Int32SizeBytes), r.alloc(n*arrow.Int32SizeBytes)
	valueBuf := r.alloc(n * arrow.Float64SizeBytes)
	year := arrow.Int32Traits.CastFromBytes(yearBuf.Bytes())[:n:n]
	first := arrow.Int32Traits.CastFromBytes(firstBuf.Bytes())[:n:n]
	last := arrow.Int32Traits.CastFromBytes(lastBuf.Bytes())[:n:n]
	value := arrow.Float64Traits.CastFromBytes(valueBuf.Bytes())[:n:n]
	// Facts come in runs of one period, or few periods: the last one's
	// text is at hand without the cache.
	var lastP thidua.Period
	lastS := ""
	for i := range n {
		k := r.next + i
		if k < len(r.b.Observations) {
			o := &r.b.Observations[k]
			f, l := o.Period.Months()
			unit.set(i, o.Unit)
			ind.set(i, o.Indicator)
			if lastS == "" || o.Period != lastP {
				lastP, lastS = o.Period, r.period(o.Period)
			}
			per.set(i, lastS)
			typ.set(i, string(o.Period.Type))
			year[i], first[i], last[i] = int32(o.Period.Year), int32(f), int32(l)
			basis.set(i, string(o.Basis))
			value[i] = o.Value
			src.setPos(i, o.Pos)
			continue
		}
		t := &r.b.Targets[k-len(r.b.Observations)]
		unit.set(i, t.Unit)
		ind.set(i, t.Indicator)
		if yp := (thidua.Period{Type: thidua.Year, Year: t.Year}); lastS == "" || yp != lastP {
			lastP, lastS = yp, r.period(yp)
		}
		per.set(i, lastS)
		typ.set(i, string(thidua.Year))
		year[i], first[i], last[i] = int32(t.Year), 1, 12
		basis.set(i, "target")
		value[i] = t.Value
		src.setPos(i, t.Pos)
	}
	r.next += n
	cols := []arrow.Array{unit.array(n), ind.array(n), per.array(n), typ.array(n),
		valueArray(arrow.PrimitiveTypes.Int32, n, yearBuf), valueArray(arrow.PrimitiveTypes.Int32, n, firstBuf),
		valueArray(arrow.PrimitiveTypes.Int32, n, lastBuf), basis.array(n),
		valueArray(arrow.PrimitiveTypes.Float64, n, valueBuf), src.array(n)}
	r.cur = array.NewRecordBatch(stageSchema, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return true
}

// dataBytes is the bytes of each text column of the next n facts, so that
// each column's buffer is allocated once, at its size.
func (r *stageReader) dataBytes(n int) (nu, ni, np, nt, nb, ns int) {
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
	return nu, ni, np, nt, nb, ns
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
