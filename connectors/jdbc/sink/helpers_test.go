package sink

import (
	"context"
	"database/sql"
	"log/slog"
	"maps"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
	"github.com/connect-standalone/connect-standalone/internal/dbtest"
)

// taskContext is a SinkTaskContext that logs to the test.
type taskContext struct{ log *slog.Logger }

func (c taskContext) Logger() *slog.Logger                            { return c.log }
func (c taskContext) Seek(tp connectors.TopicPartition, offset int64) {}

// startTask starts a sink task on url with the given keys on top of a
// name and the URL. Its retries do not wait; it is stopped when the test
// ends.
func startTask(t *testing.T, url string, props map[string]string) *task {
	t.Helper()
	cfg := map[string]string{"name": "jdbc-sink-test", jdbc.KeyURL: url, KeyRetryBackoff: "0"}
	maps.Copy(cfg, props)
	tk := Plugin().NewSink().NewTask().(*task)
	tk.sleep = func(context.Context, time.Duration) {}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := tk.Start(context.Background(), taskContext{log}, cfg); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { tk.Stop(context.Background()) })
	return tk
}

func put(t *testing.T, tk *task, recs ...connectors.SinkRecord) {
	t.Helper()
	if err := tk.Put(context.Background(), recs); err != nil {
		t.Fatalf("put: %v", err)
	}
	if err := tk.Flush(context.Background(), nil); err != nil {
		t.Fatalf("flush: %v", err)
	}
}

// record is a sink record of topic at offset in partition 0.
func record(topic string, offset int64, key, value connectors.SchemaAndValue) connectors.SinkRecord {
	return connectors.SinkRecord{
		Record: connectors.Record{Topic: topic, Key: key, Value: value, Timestamp: time.UnixMilli(1700000000000)},
		Offset: offset,
	}
}

// schema builds a Struct schema from name, schema pairs.
func schema(fields ...any) *connectors.Schema {
	s := &connectors.Schema{Type: connectors.Struct, Name: "test.Row"}
	for i := 0; i < len(fields); i += 2 {
		s.Fields = append(s.Fields, connectors.Field{Name: fields[i].(string), Index: i / 2, Schema: fields[i+1].(*connectors.Schema)})
	}
	return s
}

// structOf fills a value of s from name, value pairs.
func structOf(t *testing.T, s *connectors.Schema, kv ...any) connectors.SchemaAndValue {
	t.Helper()
	v := connectors.NewStruct(s)
	for i := 0; i < len(kv); i += 2 {
		if err := v.Put(kv[i].(string), kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return connectors.SchemaAndValue{Schema: s, Value: v}
}

var (
	idKey    = schema("id", connectors.Int32Schema)
	rowValue = schema("id", connectors.Int32Schema, "name", connectors.OptionalStringSchema)
)

// row is a record of topic with key {id} and value {id, name}.
func row(t *testing.T, topic string, offset int64, id int32, name string) connectors.SinkRecord {
	return record(topic, offset, structOf(t, idKey, "id", id), structOf(t, rowValue, "id", id, "name", name))
}

// tombstone is a record of topic with key {id} and a null value.
func tombstone(t *testing.T, topic string, offset int64, id int32) connectors.SinkRecord {
	return record(topic, offset, structOf(t, idKey, "id", id), connectors.SchemaAndValue{})
}

// query returns the rows of q, each column scanned as text.
func query(t *testing.T, url, q string) [][]string {
	t.Helper()
	db, _ := dbtest.Open(t, url)
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		r := make([]string, len(cols))
		for i, v := range vals {
			r[i] = v.String
			if !v.Valid {
				r[i] = "NULL"
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

// ident quotes a name for url's database.
func ident(t *testing.T, url, name string) string {
	t.Helper()
	c, err := jdbc.ParseURL(url, "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	return c.Dialect.QuoteIdent(name)
}

func dialectOf(t *testing.T, url string) jdbc.Dialect {
	t.Helper()
	c, err := jdbc.ParseURL(url, "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	return c.Dialect
}
