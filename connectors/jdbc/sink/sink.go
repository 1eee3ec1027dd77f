// Package sink is Confluent's JDBC sink connector,
// io.confluent.connect.jdbc.JdbcSinkConnector: it writes records with
// Struct values to tables of PostgreSQL, MySQL or MariaDB, or SQLite,
// inserting, upserting, updating or deleting rows, and can create and
// extend the tables from the records' schemas.
//
// Every record a Put is handed is written in one database transaction,
// committed before Put returns: consumer offsets, committed after Flush,
// never cover rows the database does not hold.
package sink

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
)

// Class is the connector's Java class name.
const Class = "io.confluent.connect.jdbc.JdbcSinkConnector"

// Plugin returns the JDBC sink connector plugin.
func Plugin() connectors.Plugin {
	def := newDef()
	return connectors.Plugin{
		Class:   Class,
		Kind:    connectors.KindSink,
		Version: connectors.Version,
		Def:     def,
		Doc:     pluginDoc,
		Example: pluginExample,
		NewSink: func() connectors.SinkConnector { return &connector{def: def} },
	}
}

const pluginDoc = "Writes records to a database table per topic, as Confluent's JDBC sink: PostgreSQL, MySQL and MariaDB, and SQLite. " +
	"Record values must be Structs with a schema (JsonConverter with `schemas.enable=true`, Avro, ...) or Strings; each field becomes a column. " +
	"`insert.mode` chooses INSERT, upsert or UPDATE, `pk.mode` where the primary key comes from, `delete.enabled` turns tombstones into DELETEs. " +
	"With `auto.create` and `auto.evolve` tables are created and nullable columns added from the schemas. " +
	"The records of each delivery are written in one transaction, committed before their offsets can be."

const pluginExample = "```properties\n" +
	"name=jdbc-sink\n" +
	"connector.class=io.confluent.connect.jdbc.JdbcSinkConnector\n" +
	"topics=orders\n" +
	"connection.url=jdbc:postgresql://localhost:5432/shop\n" +
	"connection.user=connect\n" +
	"insert.mode=upsert\n" +
	"pk.mode=record_key\n" +
	"pk.fields=id\n" +
	"auto.create=true\n" +
	"```\n\n" +
	"A record of `orders` with key `{\"id\": 7}` and value `{\"id\": 7, \"total\": 9.5}` (both with schemas) creates the table " +
	"`\"orders\" (\"id\" INT NOT NULL, \"total\" DOUBLE PRECISION NOT NULL, PRIMARY KEY(\"id\"))` if missing, " +
	"then runs `INSERT INTO \"orders\" (\"id\",\"total\") VALUES ($1,$2) ON CONFLICT (\"id\") DO UPDATE SET \"total\"=EXCLUDED.\"total\"`.\n"

type connector struct {
	def   *config.Def
	props map[string]string
}

func (c *connector) Config() *config.Def { return c.def }

// Start checks the keys together, so that a configuration tasks would
// refuse fails before any task starts. It does no I/O.
func (c *connector) Start(ctx context.Context, cc connectors.ConnectorContext, cfg config.Values) error {
	if _, err := parseSettings(c.def, cfg.Raw()); err != nil {
		return err
	}
	c.props = maps.Clone(cfg.Raw())
	return nil
}

// TaskConfigs gives every task the connector's config: tasks share the
// topics' partitions, and all write to the same database.
func (c *connector) TaskConfigs(maxTasks int) ([]map[string]string, error) {
	return connectors.CopyTaskConfigs(c.props, maxTasks), nil
}

func (c *connector) Stop(ctx context.Context) error { return nil }

func (c *connector) NewTask() connectors.SinkTask { return &task{def: c.def, sleep: sleep} }

// task writes records to the database. The runtime calls Start, Put,
// Flush and Stop from one goroutine.
type task struct {
	def   *config.Def
	sleep func(ctx context.Context, d time.Duration) // between retries
	log   *slog.Logger
	conn  *jdbc.Connection
	w     *writer
}

// Start connects to the database, trying connection.attempts times.
// Cancelling ctx abandons the attempts.
func (t *task) Start(ctx context.Context, tc connectors.SinkTaskContext, cfg map[string]string) error {
	s, err := parseSettings(t.def, cfg)
	if err != nil {
		return fmt.Errorf("configure JDBC sink task: %w", err)
	}
	t.log = slog.New(slog.DiscardHandler)
	if tc != nil && tc.Logger() != nil {
		t.log = tc.Logger()
	}
	conn, err := jdbc.Connect(ctx, s.values, t.log)
	if err != nil {
		return fmt.Errorf("start JDBC sink task: %w", err)
	}
	dateLoc := conn.Location
	if s.dateUTC {
		dateLoc = time.UTC
	}
	t.conn = conn
	t.w = &writer{
		s:      s,
		db:     conn.DB,
		sql:    sqlWriter{conn: conn, d: conn.Conn.Dialect, loc: conn.Location, dateLoc: dateLoc},
		log:    t.log,
		tables: map[tableID]*tableDef{},
	}
	if r, ok := tc.(connectors.ErrantRecordReporter); ok {
		t.w.reporter = r
	}
	t.log.Info("writing to "+conn.Conn.Display, "dialect", conn.Conn.Dialect.Name(), "insert.mode", s.insertMode, "pk.mode", s.pkMode)
	return nil
}

// Put writes records in one transaction and returns once it committed.
// A failure of the database is retried max.retries times, retry.backoff.ms
// apart, from the start; then Put fails with the error, naming the record
// that failed when one did. Records the configuration cannot write fail at
// once. Cancelling ctx rolls back and returns.
func (t *task) Put(ctx context.Context, records []connectors.SinkRecord) error {
	if t.w == nil {
		return errors.New("put to JDBC sink task: not started")
	}
	if len(records) == 0 {
		return nil
	}
	batches, err := t.w.batches(ctx, records)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		err := t.w.write(ctx, batches, false)
		if err == nil {
			return nil
		}
		var dbe *dbError
		if !errors.As(err, &dbe) || ctx.Err() != nil {
			return err
		}
		if attempt >= t.w.s.maxRetries {
			return fmt.Errorf("write %d records (tried %d times): %w", len(records), attempt+1, t.locate(ctx, batches, err))
		}
		t.log.Warn("writing records failed; retrying", "records", len(records), "retries_left", t.w.s.maxRetries-attempt, "error", err)
		// Tables may have changed under the task: read them again.
		clear(t.w.tables)
		t.sleep(ctx, t.w.s.retryBackoff)
		if ctx.Err() != nil {
			return err
		}
	}
}

// locate finds the record a multi-record statement failed on by writing
// the records one per statement, rolled back. It returns cause when that
// names a record already, or when the writes now succeed.
func (t *task) locate(ctx context.Context, batches []*batch, cause error) error {
	var re *recordError
	if errors.As(cause, &re) {
		return cause
	}
	if err := t.w.write(ctx, batches, true); errors.As(err, &re) {
		return err
	}
	return cause
}

// Flush has nothing to do: Put commits before it returns.
func (t *task) Flush(ctx context.Context, offsets map[connectors.TopicPartition]int64) error {
	return nil
}

// Stop closes the database connections.
func (t *task) Stop(ctx context.Context) error {
	if t.conn == nil {
		return nil
	}
	conn := t.conn
	t.conn, t.w = nil, nil
	if err := conn.DB.Close(); err != nil {
		return fmt.Errorf("close %s: %w", conn.Conn.Display, err)
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
}
