package sink

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
)

// dbError marks a failure of the database, worth retrying: any error
// from the driver, as Confluent retries any SQLException. Errors of the
// records or the configuration are not retried.
type dbError struct{ err error }

func (e *dbError) Error() string { return e.err.Error() }
func (e *dbError) Unwrap() error { return e.err }

// batch is a run of records for one table with the same key and value
// schemas, Confluent's BufferedRecords between two schema changes.
type batch struct {
	table   tableID
	key     *connectors.Schema
	value   *connectors.Schema // nil while only tombstones were added
	records []*connectors.SinkRecord
	layout  *layout
}

// writer turns batches into SQL. It is used from the task's goroutine only.
type writer struct {
	s      *settings
	db     *sql.DB
	sql    sqlWriter
	log    *slog.Logger
	tables map[tableID]*tableDef // cached definitions, dropped on a retry
	// reporter settles records the sink cannot write (schemaless ones) as
	// errors.tolerance says; nil when the runtime offers none.
	reporter connectors.ErrantRecordReporter
}

// batches checks every record, then splits them by table and, within a
// table, where the key or value schema changes. Tables keep the order in
// which their first record came, and each table its records' order. A
// record no table can take goes to the reporter, and is left out when the
// reporter tolerates it.
func (w *writer) batches(ctx context.Context, records []connectors.SinkRecord) ([]*batch, error) {
	var order []string
	byTable := map[string][]*batch{}
	for i := range records {
		r := &records[i]
		if err := w.s.checkRecord(r); err != nil {
			if w.reporter == nil {
				return nil, err
			}
			if err := w.reporter.Report(ctx, *r, err); err != nil {
				return nil, err
			}
			continue
		}
		name, err := w.s.tableName(r.Topic)
		if err != nil {
			return nil, &recordError{r: r, err: err}
		}
		bs, seen := byTable[name]
		if !seen {
			order = append(order, name)
		}
		var last *batch
		if len(bs) > 0 {
			last = bs[len(bs)-1]
		}
		tombstone := r.Value.Value == nil
		if last == nil || !sameSchema(last.key, r.Key.Schema) || !tombstone && last.value != nil && !sameSchema(last.value, r.Value.Schema) {
			last = &batch{table: parseTableID(name), key: r.Key.Schema}
			bs = append(bs, last)
		}
		if !tombstone && last.value == nil {
			last.value = r.Value.Schema
		}
		last.records = append(last.records, r)
		byTable[name] = bs
	}
	var out []*batch
	for _, name := range order {
		for _, b := range byTable[name] {
			l, err := newLayout(w.s, b.table.String(), b.key, b.value)
			if err != nil {
				return nil, &recordError{r: b.records[0], err: err}
			}
			b.layout = l
			out = append(out, b)
		}
	}
	return out, nil
}

// sameSchema compares schemas by value: converters may build a new
// schema for each record.
func sameSchema(a, b *connectors.Schema) bool {
	return a == b || a != nil && b != nil && reflect.DeepEqual(a, b)
}

// write creates and alters the tables the batches need, then writes all
// the batches in one transaction, committed only when every statement
// succeeded. DDL runs before and outside the transaction: MySQL commits
// any open transaction at each DDL statement, which would make part of
// the records durable before the rest. rowByRow writes one record per
// statement and rolls back at the end: it finds which record fails.
func (w *writer) write(ctx context.Context, batches []*batch, rowByRow bool) error {
	defs := make([]*tableDef, len(batches))
	for i, b := range batches {
		def, err := w.ensure(ctx, b)
		if err != nil {
			return err
		}
		defs[i] = def
	}
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return &dbError{fmt.Errorf("begin transaction: %w", err)}
	}
	for i, b := range batches {
		if err := w.exec(ctx, tx, b, defs[i], rowByRow); err != nil {
			tx.Rollback()
			return err
		}
	}
	if rowByRow {
		return tx.Rollback()
	}
	if err := tx.Commit(); err != nil {
		return &dbError{fmt.Errorf("commit %d records: %w", countRecords(batches), err)}
	}
	return nil
}

func countRecords(batches []*batch) int {
	n := 0
	for _, b := range batches {
		n += len(b.records)
	}
	return n
}

// ensure returns the definition of b's table after creating it or adding
// the columns it lacks, as Confluent's DbStructure. It returns nil for a
// batch of tombstones whose table does not exist: there is nothing to
// delete, and nothing to create a table from.
func (w *writer) ensure(ctx context.Context, b *batch) (*tableDef, error) {
	def, err := w.definition(ctx, b.table)
	if err != nil || def == nil && b.value == nil {
		return nil, err
	}
	if def == nil {
		if !w.s.autoCreate {
			return nil, fmt.Errorf("table %s is missing and %s is false: create it, or set %s=true", b.table, KeyAutoCreate, KeyAutoCreate)
		}
		stmt, err := w.sql.createTable(b.table, b.layout.all)
		if err != nil {
			return nil, err
		}
		w.log.Info("creating table", "table", b.table.String(), "sql", stmt)
		if _, err := w.db.ExecContext(ctx, stmt); err != nil {
			// Another task may have created it meanwhile.
			if def, _ = w.refresh(ctx, b.table); def == nil {
				return nil, &dbError{fmt.Errorf("create table %s: %w", b.table, err)}
			}
		}
		if def, err = w.refresh(ctx, b.table); err != nil || def == nil {
			return nil, errors.Join(err, fmt.Errorf("table %s was created but cannot be found", b.table))
		}
	}
	var missing []column
	var names []string
	for _, c := range b.layout.all {
		if !def.has(c.name) {
			missing = append(missing, c)
			names = append(names, c.name)
		}
	}
	if len(missing) == 0 {
		return def, nil
	}
	if def.kind != "TABLE" {
		return nil, fmt.Errorf("%s %s has no columns %s and cannot be altered", strings.ToLower(def.kind), b.table, strings.Join(names, ", "))
	}
	for _, c := range missing {
		if !c.nullable() && c.schema.Default == nil {
			return nil, fmt.Errorf("cannot add column %s to table %s: the field is not optional and has no default value, so existing rows would have no value for it; make the field optional or give it a default", c.name, b.table)
		}
	}
	if !w.s.autoEvolve {
		return nil, fmt.Errorf("table %s has no columns %s and %s is false: add them, or set %s=true", b.table, strings.Join(names, ", "), KeyAutoEvolve, KeyAutoEvolve)
	}
	stmts, err := w.sql.alterTable(def.id, missing)
	if err != nil {
		return nil, err
	}
	for _, stmt := range stmts {
		w.log.Info("adding columns", "table", b.table.String(), "sql", stmt)
		if _, err := w.db.ExecContext(ctx, stmt); err != nil {
			return nil, &dbError{fmt.Errorf("add columns %s to table %s: %w", strings.Join(names, ", "), b.table, err)}
		}
	}
	return w.refresh(ctx, b.table)
}

func (w *writer) definition(ctx context.Context, t tableID) (*tableDef, error) {
	if def, ok := w.tables[t]; ok {
		return def, nil
	}
	return w.refresh(ctx, t)
}

func (w *writer) refresh(ctx context.Context, t tableID) (*tableDef, error) {
	def, err := describe(ctx, w.db, w.sql.d, t, w.s.tableTypes)
	if err != nil {
		return nil, err
	}
	if def == nil {
		delete(w.tables, t)
	} else {
		w.tables[t] = def
	}
	return def, nil
}

// exec writes the records of b in order: runs of values in multi-row
// INSERTs of up to batch.size rows (per-record UPDATEs in update mode),
// tombstones as DELETEs.
func (w *writer) exec(ctx context.Context, tx *sql.Tx, b *batch, def *tableDef, rowByRow bool) error {
	keys, nonKeys := b.layout.keys, b.layout.nonKeys
	table := b.table
	if def != nil {
		table = def.id
	}
	perStmt := 1
	if !rowByRow {
		perStmt = max(min(w.s.batchSize, w.sql.maxParams()/max(len(keys)+len(nonKeys), 1)), 1)
	}
	var del, upd *sql.Stmt
	defer func() {
		for _, s := range []*sql.Stmt{del, upd} {
			if s != nil {
				s.Close()
			}
		}
	}()
	recs := b.records
	for i := 0; i < len(recs); {
		r := recs[i]
		switch {
		case r.Value.Value == nil:
			if def == nil {
				i++
				continue
			}
			if del == nil {
				stmt, err := tx.PrepareContext(ctx, w.sql.delete(table, def, keys))
				if err != nil {
					return &dbError{fmt.Errorf("prepare delete from table %s: %w", b.table, err)}
				}
				del = stmt
			}
			if err := w.execOne(ctx, del, r, "delete from", b.table, keys); err != nil {
				return err
			}
			i++
		case w.s.insertMode == modeUpdate:
			if upd == nil {
				stmt, err := tx.PrepareContext(ctx, w.sql.update(table, def, keys, nonKeys))
				if err != nil {
					return &dbError{fmt.Errorf("prepare update of table %s: %w", b.table, err)}
				}
				upd = stmt
			}
			if err := w.execOne(ctx, upd, r, "update", b.table, nonKeys, keys); err != nil {
				return err
			}
			i++
		default:
			j, err := w.execInsert(ctx, tx, b, table, def, i, perStmt)
			if err != nil {
				return err
			}
			i = j
		}
	}
	return nil
}

// execInsert inserts (or upserts) the values from recs[i] on, up to
// perStmt of them and not past a tombstone, and returns where it stopped.
func (w *writer) execInsert(ctx context.Context, tx *sql.Tx, b *batch, table tableID, def *tableDef, i, perStmt int) (int, error) {
	keys, nonKeys := b.layout.keys, b.layout.nonKeys
	upsert := w.s.insertMode == modeUpsert
	// One PostgreSQL INSERT ... ON CONFLICT DO UPDATE cannot change a row
	// twice: a key seen again starts the next statement.
	var seen map[string]bool
	if upsert && w.sql.d == jdbc.Postgres {
		seen = map[string]bool{}
	}
	recs := b.records
	var args []any
	j := i
	for ; j < len(recs) && j-i < perStmt && recs[j].Value.Value != nil; j++ {
		row, err := w.args(recs[j], keys, nonKeys)
		if err != nil {
			return 0, err
		}
		if seen != nil {
			k := fmt.Sprint(row[:len(keys)]...)
			if seen[k] {
				break
			}
			seen[k] = true
		}
		args = append(args, row...)
	}
	verb := "insert into"
	if upsert {
		verb = "upsert into"
	}
	if _, err := tx.ExecContext(ctx, w.sql.insert(table, def, keys, nonKeys, j-i, upsert), args...); err != nil {
		if j-i == 1 {
			return 0, &dbError{&recordError{r: recs[i], err: fmt.Errorf("%s table %s: %w", verb, b.table, err)}}
		}
		return 0, &dbError{fmt.Errorf("%s table %s %d records %s: %w", verb, b.table, j-i, span(recs[i:j]), err)}
	}
	return j, nil
}

// execOne runs a one-record statement with the values of cols.
func (w *writer) execOne(ctx context.Context, stmt *sql.Stmt, r *connectors.SinkRecord, verb string, table tableID, cols ...[]column) error {
	args, err := w.args(r, cols...)
	if err != nil {
		return err
	}
	if _, err := stmt.ExecContext(ctx, args...); err != nil {
		return &dbError{&recordError{r: r, err: fmt.Errorf("%s table %s: %w", verb, table, err)}}
	}
	return nil
}

// args are the driver arguments of r's columns.
func (w *writer) args(r *connectors.SinkRecord, cols ...[]column) ([]any, error) {
	var out []any
	for _, cs := range cols {
		for _, c := range cs {
			v, err := c.value(r, w.s.replaceNulls)
			if err == nil {
				v, err = w.sql.arg(c.schema, v)
			}
			if err != nil {
				return nil, &recordError{r: r, err: fmt.Errorf("column %s: %w", c.name, err)}
			}
			out = append(out, v)
		}
	}
	return out, nil
}

// span names a run of records by their Kafka coordinates.
func span(recs []*connectors.SinkRecord) string {
	first, last := recs[0], recs[len(recs)-1]
	if first.Topic == last.Topic && first.Partition == last.Partition {
		return fmt.Sprintf("%s-%d offsets %d to %d", first.Topic, first.Partition, first.Offset, last.Offset)
	}
	return fmt.Sprintf("%s-%d offset %d to %s-%d offset %d", first.Topic, first.Partition, first.Offset, last.Topic, last.Partition, last.Offset)
}
