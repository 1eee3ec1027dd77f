package source

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
)

// Source partition and offset keys, as Confluent writes them.
const (
	partitionTable     = "table"
	partitionQuery     = "query"
	partitionProtocol  = "protocol"
	protocolV1         = "1"
	offsetIncrementing = "incrementing"
	offsetTimestamp    = "timestamp"
	offsetTimestampNs  = "timestamp_nanos"
)

// position is a table's stored progress, Confluent's TimestampIncrementingOffset.
type position struct {
	ts  *time.Time
	inc *int64
}

func (p position) toMap() map[string]any {
	m := make(map[string]any, 3)
	if p.inc != nil {
		m[offsetIncrementing] = *p.inc
	}
	if p.ts != nil {
		m[offsetTimestamp] = p.ts.UnixMilli()
		m[offsetTimestampNs] = int64(p.ts.Nanosecond())
	}
	return m
}

func asInt64(v any) (int64, error) {
	switch n := v.(type) {
	case int64:
		return n, nil
	case int:
		return int64(n), nil
	case int32:
		return int64(n), nil
	case float64:
		if n != math.Trunc(n) || math.Abs(n) >= 1<<63 {
			return 0, fmt.Errorf("%v is not an integer", n)
		}
		return int64(n), nil
	}
	return 0, fmt.Errorf("%v has type %T, want an integer", v, v)
}

// positionFrom reads a stored offset map.
func positionFrom(m map[string]any) (position, error) {
	var p position
	if v, ok := m[offsetIncrementing]; ok && v != nil {
		n, err := asInt64(v)
		if err != nil {
			return p, fmt.Errorf("%s: %w", offsetIncrementing, err)
		}
		p.inc = &n
	}
	if v, ok := m[offsetTimestamp]; ok && v != nil {
		ms, err := asInt64(v)
		if err != nil {
			return p, fmt.Errorf("%s: %w", offsetTimestamp, err)
		}
		t := time.UnixMilli(ms)
		if v, ok := m[offsetTimestampNs]; ok && v != nil {
			ns, err := asInt64(v)
			if err != nil || ns < 0 || ns >= 1e9 {
				return p, fmt.Errorf("%s: %v is not a nanosecond of a second", offsetTimestampNs, v)
			}
			t = time.Unix(t.Unix(), ns)
		}
		t = t.UTC()
		p.ts = &t
	}
	return p, nil
}

// querier reads one table, or the query, in the configured mode: one pass
// per poll.interval.ms, streamed from an open result set across polls.
// Only the task's goroutine uses it.
type querier struct {
	conn      *jdbc.Connection
	s         *settings
	log       *slog.Logger
	name      string // the table's qualified name, or "query"
	table     tableID
	isQuery   bool
	topic     string
	schemaFor string // the struct schema's name: the table name, none for a query
	partition map[string]any
	statement string
	incColumn string
	tsColumns []string
	nullable  map[string]bool // from the catalog; nil for a query

	pos        position
	lastUpdate time.Time
	retries    int

	// The open pass.
	rows    *sql.Rows
	tx      *sql.Tx
	cancel  context.CancelFunc
	fields  []field
	indexes []int // result column of each field
	schema  *connectors.Schema
	incIdx  int   // field of the incrementing column, -1 if none
	tsIdx   []int // fields of the timestamp columns
	scan    []any
	ptrs    []any // &scan[i], reused for every row
	pending *row  // timestamp mode: the row read ahead
}

type row struct {
	value *connectors.StructValue
	ts    *time.Time
}

func (q *querier) querying() bool { return q.rows != nil }

// buildStatement writes the SELECT of the mode, as Confluent's
// TimestampIncrementingCriteria.
func (q *querier) buildStatement() {
	var b strings.Builder
	if q.isQuery {
		b.WriteString(q.s.query)
	} else {
		b.WriteString("SELECT * FROM ")
		b.WriteString(q.table.sql(q.conn))
	}
	ts := ""
	if len(q.tsColumns) > 0 {
		cols := make([]string, len(q.tsColumns))
		for i, c := range q.tsColumns {
			cols[i] = q.conn.Ident(c)
		}
		ts = cols[0]
		if len(cols) > 1 {
			ts = "COALESCE(" + strings.Join(cols, ",") + ")"
		}
	}
	inc := q.conn.Ident(q.incColumn)
	ph := q.conn.Conn.Dialect.Placeholder
	switch q.s.mode {
	case ModeIncrementing:
		fmt.Fprintf(&b, " WHERE %s > %s ORDER BY %s ASC", inc, ph(1), inc)
	case ModeTimestamp:
		fmt.Fprintf(&b, " WHERE %s > %s AND %s < %s ORDER BY %s ASC", ts, ph(1), ts, ph(2), ts)
	case ModeTimestampIncrementing:
		fmt.Fprintf(&b, " WHERE %s < %s AND ((%s = %s AND %s > %s) OR %s > %s) ORDER BY %s,%s ASC",
			ts, ph(1), ts, ph(2), inc, ph(3), ts, ph(4), ts, inc)
	}
	if q.s.suffix != "" {
		b.WriteString(" ")
		b.WriteString(q.s.suffix)
	}
	q.statement = b.String()
}

// bindTime writes a time as a statement parameter compared with
// timestamp columns, whose zone-less values are in db.timezone.
func (q *querier) bindTime(t time.Time) any {
	wall := t.In(q.conn.Location)
	switch q.conn.Conn.Dialect {
	case jdbc.MySQL:
		// The driver writes times in UTC: hand it the wall clock as UTC.
		return wallIn(wall, time.UTC)
	case jdbc.SQLite:
		// SQLite compares the text timestamps are stored as.
		return wall.Format("2006-01-02 15:04:05.999999999")
	}
	// pgx writes a TIMESTAMP parameter as the wall clock of its zone and a
	// TIMESTAMPTZ one as the instant, both right.
	return wall
}

// dbNow is the database's current time, Confluent's currentTimeOnDB.
func dbNow(ctx context.Context, c *jdbc.Connection) (time.Time, error) {
	var q string
	switch c.Conn.Dialect {
	case jdbc.Postgres:
		q = "SELECT CURRENT_TIMESTAMP"
	case jdbc.MySQL:
		q = "SELECT UTC_TIMESTAMP(6)"
	default:
		q = "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')"
	}
	var v any
	if err := c.DB.QueryRowContext(ctx, q).Scan(&v); err != nil {
		return time.Time{}, fmt.Errorf("read the database's current time: %w", err)
	}
	switch x := v.(type) {
	case time.Time:
		return x.UTC(), nil
	case []byte:
		v = string(x)
	}
	if s, ok := v.(string); ok {
		t, _, err := parseWall(s)
		if err != nil {
			return time.Time{}, fmt.Errorf("read the database's current time: %w", err)
		}
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("read the database's current time: unexpected %T", v)
}

var isolation = map[string]sql.IsolationLevel{
	"READ_UNCOMMITTED": sql.LevelReadUncommitted,
	"READ_COMMITTED":   sql.LevelReadCommitted,
	"REPEATABLE_READ":  sql.LevelRepeatableRead,
	"SERIALIZABLE":     sql.LevelSerializable,
}

// start runs the statement of a new pass. The result set outlives ctx, which
// only bounds the start: the pass is cancelled by abort or reset.
func (q *querier) start(ctx context.Context) error {
	var args []any
	if q.s.mode != ModeBulk && q.s.mode != ModeIncrementing {
		now, err := dbNow(ctx, q.conn)
		if err != nil {
			return err
		}
		end := q.bindTime(now.Add(-time.Duration(q.s.delay) * time.Millisecond))
		begin := q.bindTime(time.Unix(0, 0))
		if q.pos.ts != nil {
			begin = q.bindTime(*q.pos.ts)
		}
		if q.s.mode == ModeTimestamp {
			args = []any{begin, end}
		} else {
			args = []any{end, begin, q.lastInc(), begin}
		}
	} else if q.s.mode == ModeIncrementing {
		args = []any{q.lastInc()}
	}
	qctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stopEarly := context.AfterFunc(ctx, cancel)
	defer stopEarly()
	var err error
	if lvl, ok := isolation[q.s.isolation]; ok {
		if q.tx, err = q.conn.DB.BeginTx(qctx, &sql.TxOptions{Isolation: lvl}); err == nil {
			q.rows, err = q.tx.QueryContext(qctx, q.statement, args...)
		}
	} else {
		q.rows, err = q.conn.DB.QueryContext(qctx, q.statement, args...)
	}
	q.cancel = cancel
	if err != nil {
		q.close()
		return fmt.Errorf("query %s: %w", q.name, err)
	}
	if err := q.describeResult(); err != nil {
		q.close()
		return err
	}
	return nil
}

func (q *querier) lastInc() int64 {
	if q.pos.inc == nil {
		return -1
	}
	return *q.pos.inc
}

// describeResult maps the result's columns onto the record schema, reusing
// the previous pass's schema when it is unchanged.
func (q *querier) describeResult() error {
	cts, err := q.rows.ColumnTypes()
	if err != nil {
		return fmt.Errorf("query %s: column types: %w", q.name, err)
	}
	fields, indexes := q.fields[:0], q.indexes[:0]
	seen := map[string]bool{}
	for i, ct := range cts {
		optional := true
		if q.nullable != nil {
			if n, ok := q.nullable[ct.Name()]; ok {
				optional = n
			}
		} else if n, ok := ct.Nullable(); ok {
			optional = n
		}
		f, ok := newField(q.conn.Conn.Dialect, ct, optional, q.s.numericMapping)
		if !ok {
			if q.schema == nil {
				q.log.Warn(fmt.Sprintf("column %s of %s has type %s, which has no Connect type; it is left out", ct.Name(), q.name, ct.DatabaseTypeName()))
			}
			continue
		}
		if seen[f.name] {
			return fmt.Errorf("query %s: two columns are named %s; give them distinct names", q.name, f.name)
		}
		seen[f.name] = true
		fields, indexes = append(fields, f), append(indexes, i)
	}
	schema := &connectors.Schema{Type: connectors.Struct, Name: q.schemaFor, Fields: make([]connectors.Field, len(fields))}
	for i, f := range fields {
		schema.Fields[i] = connectors.Field{Name: f.name, Index: i, Schema: f.schema}
	}
	if q.schema == nil || !connectors.SchemaEqual(q.schema, schema) {
		q.schema = schema
	}
	q.fields, q.indexes = fields, indexes
	if len(q.scan) != len(cts) {
		q.scan = make([]any, len(cts))
		q.ptrs = make([]any, len(cts))
		for i := range q.scan {
			q.ptrs[i] = &q.scan[i]
		}
	}
	q.incIdx, q.tsIdx = -1, q.tsIdx[:0]
	names := make([]column, len(fields))
	for i, f := range fields {
		names[i] = column{name: f.name}
	}
	if q.incColumn != "" {
		c, ok := findColumn(names, q.incColumn)
		if !ok {
			return fmt.Errorf("query %s: incrementing column %s is not among the columns read", q.name, q.incColumn)
		}
		q.incIdx = fieldIndex(fields, c.name)
		if k := fields[q.incIdx].kind; k < kindInt8 || (k > kindInt64 && k != kindDecimal) {
			return fmt.Errorf("query %s: incrementing column %s must be an integer or a decimal without scale", q.name, q.incColumn)
		}
	}
	for _, tc := range q.tsColumns {
		c, ok := findColumn(names, tc)
		if !ok {
			return fmt.Errorf("query %s: timestamp column %s is not among the columns read", q.name, tc)
		}
		i := fieldIndex(fields, c.name)
		if k := fields[i].kind; k != kindTimestamp && k != kindDate {
			return fmt.Errorf("query %s: timestamp column %s is not a date or timestamp", q.name, tc)
		}
		q.tsIdx = append(q.tsIdx, i)
	}
	return nil
}

func fieldIndex(fs []field, name string) int {
	for i, f := range fs {
		if f.name == name {
			return i
		}
	}
	return -1
}

// next reads one row of the open pass; ok is false at its end.
func (q *querier) next() (r *row, ok bool, err error) {
	if !q.rows.Next() {
		if err := q.rows.Err(); err != nil {
			return nil, false, fmt.Errorf("read %s: %w", q.name, err)
		}
		return nil, false, nil
	}
	clear(q.scan)
	if err := q.rows.Scan(q.ptrs...); err != nil {
		return nil, false, fmt.Errorf("read %s: %w", q.name, err)
	}
	v := connectors.NewStruct(q.schema)
	for i, f := range q.fields {
		x, err := f.convert(q.scan[q.indexes[i]], q.conn.Location)
		if err == nil {
			err = v.Put(f.name, x)
		}
		if err != nil {
			return nil, false, fmt.Errorf("read %s: column %s: %w", q.name, f.name, err)
		}
	}
	r = &row{value: v}
	for _, i := range q.tsIdx {
		if x, _ := v.GetWithoutDefault(q.fields[i].name); x != nil {
			t := x.(time.Time)
			r.ts = &t
			break
		}
	}
	return r, true, nil
}

// errFatal marks errors retrying cannot cure: bad data, not a bad connection.
var errFatal = errors.New("fatal")

func (q *querier) incrementing(r *row) (int64, error) {
	x, _ := r.value.GetWithoutDefault(q.fields[q.incIdx].name)
	switch n := x.(type) {
	case nil:
		return 0, fmt.Errorf("%w: %s: null value in incrementing column %s", errFatal, q.name, q.incColumn)
	case int8:
		return int64(n), nil
	case int16:
		return int64(n), nil
	case int32:
		return int64(n), nil
	case int64:
		return n, nil
	case connectors.Decimal:
		if n.Scale != 0 || !n.Unscaled.IsInt64() {
			return 0, fmt.Errorf("%w: %s: incrementing column %s value %s is not a 64-bit integer", errFatal, q.name, q.incColumn, n)
		}
		return n.Unscaled.Int64(), nil
	}
	return 0, fmt.Errorf("%w: %s: incrementing column %s has type %T", errFatal, q.name, q.incColumn, x)
}

func (q *querier) record(r *row, pos position) connectors.SourceRecord {
	rec := connectors.SourceRecord{SourcePartition: q.partition}
	rec.Topic, rec.Partition = q.topic, -1
	rec.Value = connectors.SchemaAndValue{Schema: q.schema, Value: r.value}
	if q.s.mode != ModeBulk {
		rec.SourceOffset = pos.toMap()
	}
	return rec
}

// read returns up to max records of the open pass and whether the pass
// ended. The records are valid even with an error: the position then
// stands at the last of them.
func (q *querier) read(max int) (out []connectors.SourceRecord, done bool, err error) {
	for len(out) < max {
		if q.s.mode == ModeTimestamp {
			rec, ok, err := q.readTimestamp()
			if ok {
				out = append(out, rec)
			}
			if err != nil || !ok {
				return out, !ok && err == nil, err
			}
			continue
		}
		r, ok, err := q.next()
		if err != nil || !ok {
			return out, err == nil, err
		}
		pos := q.pos
		if q.incIdx >= 0 {
			n, err := q.incrementing(r)
			if err != nil {
				return out, false, err
			}
			pos.inc = &n
		}
		if r.ts != nil {
			pos.ts = r.ts
		}
		q.pos = pos
		out = append(out, q.record(r, pos))
	}
	return out, false, nil
}

// readTimestamp returns the next record of a timestamp-mode pass. A row's
// timestamp becomes the position only once the row after it has a later
// one (or the pass ends), so that a restart never skips rows sharing the
// timestamp of the last row committed, as Confluent's TimestampTableQuerier.
func (q *querier) readTimestamp() (connectors.SourceRecord, bool, error) {
	if q.pending == nil {
		r, ok, err := q.next()
		if err != nil || !ok {
			return connectors.SourceRecord{}, false, err
		}
		q.pending = r
	}
	cur := q.pending
	q.pending = nil
	nxt, ok, err := q.next()
	if err == nil {
		q.pending = nxt
		if !ok || cur.ts == nil || nxt.ts == nil || cur.ts.Before(*nxt.ts) {
			q.pos.ts = cur.ts
		}
	}
	// On an error cur is still returned, with the position not yet past it.
	return q.record(cur, q.pos), true, err
}

// reset ends the pass: the next starts poll.interval.ms after now.
func (q *querier) reset(now time.Time) {
	q.close()
	q.lastUpdate = now
}

// close releases the open pass, if any.
func (q *querier) close() {
	q.pending = nil
	if q.rows != nil {
		q.rows.Close()
		q.rows = nil
	}
	if q.tx != nil {
		// Nothing was written: ending the read transaction either way is fine.
		_ = q.tx.Rollback()
		q.tx = nil
	}
	if q.cancel != nil {
		q.cancel()
		q.cancel = nil
	}
}
