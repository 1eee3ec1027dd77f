package source

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
)

// maxIdle bounds how long one Poll waits for a table to be due, so the
// runtime regains control regularly.
const maxIdle = time.Second

// task reads the tables of its config, or the query. The runtime calls
// Start, Poll and Stop from one goroutine.
type task struct {
	def      *config.Def
	log      *slog.Logger
	s        *settings
	conn     *jdbc.Connection
	queriers []*querier
	now      func() time.Time
}

func taskDef() *config.Def {
	return Def().Merge(&config.Def{Keys: []config.Key{
		{Name: keyTables, Type: config.String, Default: "", Importance: config.Low, Doc: "Set by the connector: the tables this task reads."},
		{Name: keyTablesFetched, Type: config.Bool, Default: true, Importance: config.Low, Doc: "Set by the connector: whether the tables were listed."},
	}})
}

// Start connects, checks the columns of its tables and reads their stored
// offsets. Cancelling ctx abandons it.
func (t *task) Start(ctx context.Context, tc connectors.SourceTaskContext, cfg map[string]string) error {
	t.log = nil
	if tc != nil {
		t.log = tc.Logger()
	}
	if t.log == nil {
		t.log = slog.New(slog.DiscardHandler)
	}
	if t.now == nil {
		t.now = time.Now
	}
	v, err := t.def.Parse(cfg)
	if err != nil {
		return fmt.Errorf("configure JDBC source task: %w", err)
	}
	if t.s, err = newSettings(v); err != nil {
		return fmt.Errorf("configure JDBC source task: %w", err)
	}
	if t.conn, err = jdbc.Connect(ctx, v, t.log); err != nil {
		return err
	}
	if err := t.setup(ctx, tc, v.String(keyTables)); err != nil {
		t.conn.DB.Close()
		t.conn = nil
		return err
	}
	return nil
}

func (t *task) setup(ctx context.Context, tc connectors.SourceTaskContext, tables string) error {
	d := t.conn.Conn.Dialect
	if t.s.query != "" {
		q := t.newQuerier(tableID{}, true)
		q.incColumn, q.tsColumns = t.s.incColumn, t.s.tsColumns
		q.buildStatement()
		if err := t.initialPosition(ctx, tc, q, map[string]any{partitionQuery: partitionQuery}); err != nil {
			return err
		}
		t.queriers = []*querier{q}
		what := q.statement
		if t.s.queryMasked {
			what = "the masked query"
		}
		t.log.Info("JDBC source task reading " + what)
		return nil
	}
	ids, err := parseTables(tables, d)
	if err != nil {
		return fmt.Errorf("configure JDBC source task: %s: %w", keyTables, err)
	}
	if len(ids) == 0 {
		t.log.Warn("JDBC source task has no table to read: no table matched the table filters yet")
	}
	for _, id := range ids {
		q, err := t.tableQuerier(ctx, tc, id)
		if err != nil {
			return err
		}
		t.queriers = append(t.queriers, q)
	}
	return nil
}

func (t *task) newQuerier(id tableID, isQuery bool) *querier {
	q := &querier{conn: t.conn, s: t.s, log: t.log, table: id, isQuery: isQuery, incIdx: -1}
	if isQuery {
		q.name, q.topic = "query", t.s.topicPrefix
		q.partition = map[string]any{partitionQuery: partitionQuery}
		return q
	}
	q.name, q.topic, q.schemaFor = id.unquoted(), t.s.topicPrefix+id.name, id.name
	if t.s.mode == ModeBulk {
		q.partition = map[string]any{partitionTable: id.name}
	} else {
		q.partition = map[string]any{partitionProtocol: protocolV1, partitionTable: id.unquoted()}
	}
	return q
}

// tableQuerier checks a table's offset columns as Confluent's task does and
// reads the table's stored position.
func (t *task) tableQuerier(ctx context.Context, tc connectors.SourceTaskContext, id tableID) (*querier, error) {
	q := t.newQuerier(id, false)
	inc, ts, err := t.s.columnsFor(id)
	if err != nil {
		return nil, err
	}
	cols, err := describe(ctx, t.conn, id)
	if err != nil {
		return nil, err
	}
	q.nullable = make(map[string]bool, len(cols))
	for _, c := range cols {
		q.nullable[c.name] = c.nullable
	}
	if t.s.usesIncrementing {
		if inc == "" {
			for _, c := range cols {
				if c.autoIncrement {
					inc = c.name
					break
				}
			}
			if inc == "" {
				return nil, fmt.Errorf("table %s has no auto-increment column: set %s", id.unquoted(), KeyIncrementingColumn)
			}
		}
		c, ok := findColumn(cols, inc)
		if !ok {
			return nil, fmt.Errorf("incrementing column %s does not exist in table %s", inc, id.unquoted())
		}
		if t.s.validateNonNull && c.nullable {
			return nil, fmt.Errorf("cannot read table %s incrementally by column %s, which is nullable (set %s=false to allow it)", id.unquoted(), c.name, KeyValidateNonNull)
		}
		inc = c.name
	}
	if t.s.usesTimestamp {
		var missing []string
		anyNotNull := false
		for i, name := range ts {
			c, ok := findColumn(cols, name)
			if !ok {
				missing = append(missing, name)
				continue
			}
			ts[i] = c.name
			anyNotNull = anyNotNull || !c.nullable
		}
		ts = append([]string(nil), ts...)
		if len(missing) > 0 {
			return nil, fmt.Errorf("timestamp columns %s do not exist in table %s", strings.Join(missing, ", "), id.unquoted())
		}
		if t.s.validateNonNull && !anyNotNull {
			return nil, fmt.Errorf("cannot read table %s incrementally by timestamp columns %s, which are all nullable (set %s=false to allow it)", id.unquoted(), strings.Join(ts, ","), KeyValidateNonNull)
		}
	}
	q.incColumn, q.tsColumns = inc, ts
	q.buildStatement()
	if t.s.mode != ModeBulk {
		// The current partition first, then the one versions before
		// Confluent's offset protocol 1 wrote.
		if err := t.initialPosition(ctx, tc, q, q.partition, map[string]any{partitionTable: id.name}); err != nil {
			return nil, err
		}
	}
	t.log.Info("JDBC source task reading table "+q.name, "statement", q.statement)
	return q, nil
}

// initialPosition reads the first stored offset of partitions, or else
// starts at timestamp.initial.
func (t *task) initialPosition(ctx context.Context, tc connectors.SourceTaskContext, q *querier, partitions ...map[string]any) error {
	if t.s.mode == ModeBulk {
		return nil
	}
	if tc != nil {
		for _, p := range partitions {
			stored, err := tc.Offset(ctx, p)
			if err != nil {
				return fmt.Errorf("read stored offset of %s: %w", q.name, err)
			}
			if len(stored) == 0 {
				continue
			}
			if q.pos, err = positionFrom(stored); err != nil {
				return fmt.Errorf("read stored offset of %s: %w", q.name, err)
			}
			t.log.Info(fmt.Sprintf("%s resumes after its stored offset %v", q.name, stored))
			return nil
		}
	}
	if t.s.tsInitial != nil {
		ts := time.UnixMilli(*t.s.tsInitial).UTC()
		if *t.s.tsInitial == timestampInitialCurrent {
			now, err := dbNow(ctx, t.conn)
			if err != nil {
				return err
			}
			ts = now
		}
		q.pos.ts = &ts
	}
	return nil
}

// Poll returns the next rows of the table that is due first, at most
// batch.max.rows of them, waiting for it at most a second; it then returns
// (nil, nil). A result set stays open across polls until it is read to its
// end. Cancelling ctx interrupts the read: the rows read so far are
// returned and the table is read again from the last of them.
func (t *task) Poll(ctx context.Context) ([]connectors.SourceRecord, error) {
	if len(t.queriers) == 0 {
		sleep(ctx, maxIdle)
		return nil, nil
	}
	// After a pass over every table found nothing, return: with a zero
	// poll.interval.ms the tables are due again at once.
	for empty := 0; ctx.Err() == nil && empty < len(t.queriers); {
		q := t.head()
		if !q.querying() {
			due := q.lastUpdate.Add(time.Duration(t.s.pollInterval) * time.Millisecond)
			if wait := due.Sub(t.now()); wait > 0 {
				sleep(ctx, min(wait, maxIdle))
				return nil, nil
			}
			if err := q.start(ctx); err != nil {
				if ctx.Err() != nil {
					return nil, nil
				}
				if err := t.failed(q, err); err != nil {
					return nil, err
				}
				empty++
				continue
			}
		}
		// Only the cancel func may run on another goroutine; the pass is
		// closed here.
		stop := context.AfterFunc(ctx, q.cancel)
		recs, done, err := q.read(t.s.batchMaxRows)
		interrupted := !stop()
		switch {
		case interrupted:
			// The next pass starts at once, after recs.
			q.close()
		case err != nil:
			if errors.Is(err, errFatal) {
				q.close()
				return nil, err
			}
			if ferr := t.failed(q, err); ferr != nil && len(recs) == 0 {
				return nil, ferr
			}
		case done:
			q.retries = 0
			q.reset(t.now())
		}
		if len(recs) > 0 {
			return recs, nil
		}
		if !q.querying() {
			empty++
		}
	}
	return nil, nil
}

// failed handles a failed pass as Confluent's TableQuerierProcessor: the
// table is read again at its next interval, from where it got to, until
// query.retry.attempts failures in a row (0 or less: forever).
func (t *task) failed(q *querier, err error) error {
	q.reset(t.now())
	q.retries++
	if t.s.retries > 0 && q.retries >= t.s.retries {
		return fmt.Errorf("%w (failed %d times in a row, %s=%d)", err, q.retries, KeyQueryRetries, t.s.retries)
	}
	t.log.Error("query failed; retrying at the next poll interval", "table", q.name, "attempt", q.retries, "error", err)
	return nil
}

// head is the querier with an open pass, or else the one due first.
func (t *task) head() *querier {
	best := t.queriers[0]
	for _, q := range t.queriers[1:] {
		switch {
		case best.querying():
			return best
		case q.querying(), q.lastUpdate.Before(best.lastUpdate):
			best = q
		}
	}
	return best
}

func sleep(ctx context.Context, d time.Duration) {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
	case <-ctx.Done():
	}
}

// Stop closes the open passes and the connection.
func (t *task) Stop(ctx context.Context) error {
	for _, q := range t.queriers {
		q.close()
	}
	t.queriers = nil
	if t.conn == nil {
		return nil
	}
	err := t.conn.DB.Close()
	t.conn = nil
	return err
}
