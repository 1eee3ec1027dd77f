package sink

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
	"github.com/connect-standalone/connect-standalone/internal/dbtest"
)

// forEachDB runs f against a fresh database of every kind.
func forEachDB(t *testing.T, f func(t *testing.T, url string)) {
	for _, name := range []string{"postgres", "mariadb", "sqlite"} {
		t.Run(name, func(t *testing.T) { f(t, dbtest.All[name](t)) })
	}
}

func rowsOf(t *testing.T, url, table string) [][]string {
	t.Helper()
	return query(t, url, fmt.Sprintf("SELECT %s, %s FROM %s ORDER BY 1", ident(t, url, "id"), ident(t, url, "name"), ident(t, url, table)))
}

func wantRows(t *testing.T, got [][]string, want ...[]string) {
	t.Helper()
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("rows = %q, want %q", got, want)
	}
}

func TestInsertModes(t *testing.T) {
	forEachDB(t, func(t *testing.T, url string) {
		t.Run("insert without key", func(t *testing.T) {
			tk := startTask(t, url, map[string]string{KeyAutoCreate: "true"})
			put(t, tk, row(t, "plain", 0, 1, "a"), row(t, "plain", 1, 1, "a"))
			wantRows(t, rowsOf(t, url, "plain"), []string{"1", "a"}, []string{"1", "a"})
		})
		t.Run("upsert by record key twice", func(t *testing.T) {
			tk := startTask(t, url, map[string]string{KeyAutoCreate: "true", KeyInsertMode: "upsert", KeyPKMode: "record_key"})
			put(t, tk, row(t, "byKey", 0, 1, "a"), row(t, "byKey", 1, 2, "b"))
			// The same key twice in one Put, and again in the next.
			put(t, tk, row(t, "byKey", 2, 1, "c"), row(t, "byKey", 3, 1, "d"))
			put(t, tk, row(t, "byKey", 4, 2, "e"))
			wantRows(t, rowsOf(t, url, "byKey"), []string{"1", "d"}, []string{"2", "e"})
		})
		t.Run("upsert by record value", func(t *testing.T) {
			tk := startTask(t, url, map[string]string{KeyAutoCreate: "true", KeyInsertMode: "upsert", KeyPKMode: "record_value", KeyPKFields: "id"})
			put(t, tk, row(t, "byValue", 0, 1, "a"))
			put(t, tk, row(t, "byValue", 1, 1, "b"))
			wantRows(t, rowsOf(t, url, "byValue"), []string{"1", "b"})
		})
		t.Run("upsert with primitive key", func(t *testing.T) {
			tk := startTask(t, url, map[string]string{KeyAutoCreate: "true", KeyInsertMode: "upsert", KeyPKMode: "record_key", KeyPKFields: "id"})
			value := schema("name", connectors.StringSchema)
			r := func(off int64, id int64, name string) connectors.SinkRecord {
				return record("prim", off, connectors.SchemaAndValue{Schema: connectors.Int64Schema, Value: id}, structOf(t, value, "name", name))
			}
			put(t, tk, r(0, 7, "a"), r(1, 8, "b"))
			put(t, tk, r(2, 7, "c"))
			wantRows(t, rowsOf(t, url, "prim"), []string{"7", "c"}, []string{"8", "b"})
		})
		t.Run("upsert with only key columns", func(t *testing.T) {
			tk := startTask(t, url, map[string]string{KeyAutoCreate: "true", KeyInsertMode: "upsert", KeyPKMode: "record_value"})
			r := func(off int64, id int32) connectors.SinkRecord {
				return record("keysOnly", off, connectors.SchemaAndValue{}, structOf(t, idKey, "id", id))
			}
			put(t, tk, r(0, 1), r(1, 1), r(2, 2))
			put(t, tk, r(3, 2))
			got := query(t, url, "SELECT "+ident(t, url, "id")+" FROM "+ident(t, url, "keysOnly")+" ORDER BY 1")
			wantRows(t, got, []string{"1"}, []string{"2"})
		})
		t.Run("upsert by kafka coordinates", func(t *testing.T) {
			tk := startTask(t, url, map[string]string{KeyAutoCreate: "true", KeyInsertMode: "upsert", KeyPKMode: "kafka"})
			put(t, tk, row(t, "coords", 5, 1, "a"), row(t, "coords", 6, 1, "b"))
			// Delivered again after a restart: the same rows, not new ones.
			put(t, tk, row(t, "coords", 5, 1, "a"), row(t, "coords", 6, 1, "b"))
			q := fmt.Sprintf("SELECT %s, %s, %s, %s FROM %s ORDER BY 3", ident(t, url, "__connect_topic"), ident(t, url, "__connect_partition"),
				ident(t, url, "__connect_offset"), ident(t, url, "name"), ident(t, url, "coords"))
			wantRows(t, query(t, url, q), []string{"coords", "0", "5", "a"}, []string{"coords", "0", "6", "b"})
		})
		t.Run("kafka coordinates named by pk.fields", func(t *testing.T) {
			tk := startTask(t, url, map[string]string{KeyAutoCreate: "true", KeyPKMode: "kafka", KeyPKFields: "t,p,o"})
			put(t, tk, row(t, "named", 9, 1, "a"))
			q := fmt.Sprintf("SELECT %s, %s, %s FROM %s", ident(t, url, "t"), ident(t, url, "p"), ident(t, url, "o"), ident(t, url, "named"))
			wantRows(t, query(t, url, q), []string{"named", "0", "9"})
		})
		t.Run("update", func(t *testing.T) {
			dbtest.Exec(t, url, fmt.Sprintf("CREATE TABLE %s (%s INT PRIMARY KEY, %s TEXT)", ident(t, url, "upd"), ident(t, url, "id"), ident(t, url, "name")),
				fmt.Sprintf("INSERT INTO %s VALUES (1, 'a'), (2, 'b')", ident(t, url, "upd")))
			tk := startTask(t, url, map[string]string{KeyInsertMode: "update", KeyPKMode: "record_key"})
			// Key 3 matches no row: nothing is inserted.
			put(t, tk, row(t, "upd", 0, 2, "x"), row(t, "upd", 1, 3, "y"))
			wantRows(t, rowsOf(t, url, "upd"), []string{"1", "a"}, []string{"2", "x"})
		})
		t.Run("deletes", func(t *testing.T) {
			tk := startTask(t, url, map[string]string{KeyAutoCreate: "true", KeyInsertMode: "upsert", KeyPKMode: "record_key", KeyDeleteEnabled: "true"})
			put(t, tk, row(t, "del", 0, 1, "a"), row(t, "del", 1, 2, "b"), row(t, "del", 2, 3, "c"))
			// Order matters within one Put: 2 is deleted then written
			// again, 3 written then deleted.
			put(t, tk, tombstone(t, "del", 3, 1), tombstone(t, "del", 4, 2), row(t, "del", 5, 2, "B"), row(t, "del", 6, 3, "C"), tombstone(t, "del", 7, 3))
			wantRows(t, rowsOf(t, url, "del"), []string{"2", "B"})
		})
		t.Run("tombstones for a missing table", func(t *testing.T) {
			tk := startTask(t, url, map[string]string{KeyAutoCreate: "true", KeyInsertMode: "upsert", KeyPKMode: "record_key", KeyDeleteEnabled: "true"})
			put(t, tk, tombstone(t, "gone", 0, 1))
			if got := query(t, url, countTables(t, url, "gone")); got[0][0] != "0" {
				t.Errorf("a table was created for tombstones alone")
			}
		})
	})
}

// countTables is a query counting the tables named name.
func countTables(t *testing.T, url, name string) string {
	if dialectOf(t, url) == jdbc.SQLite {
		return fmt.Sprintf("SELECT COUNT(*) FROM sqlite_master WHERE name = '%s'", name)
	}
	return fmt.Sprintf("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '%s' AND table_schema NOT IN ('pg_catalog', 'information_schema')", name)
}

// A batch that fails leaves no row of the Put behind, and the error names
// the record the database refused.
func TestFailedPutRollsBackAndNamesTheRecord(t *testing.T) {
	forEachDB(t, func(t *testing.T, url string) {
		tk := startTask(t, url, map[string]string{KeyAutoCreate: "true", KeyPKMode: "record_value", KeyPKFields: "id", KeyMaxRetries: "2"})
		put(t, tk, row(t, "orders", 0, 3, "old"))
		waits := 0
		tk.sleep = func(context.Context, time.Duration) { waits++ }
		var recs []connectors.SinkRecord
		for i := range int32(5) {
			recs = append(recs, row(t, "orders", int64(10+i), i+1, "new"))
		}
		// A second table in the same Put is rolled back too.
		recs = append(recs, row(t, "other", 20, 1, "x"))
		err := tk.Put(context.Background(), recs)
		if err == nil {
			t.Fatal("Put succeeded despite a duplicate key")
		}
		if !strings.Contains(err.Error(), "record orders-0 at offset 12") || !strings.Contains(err.Error(), "tried 3 times") {
			t.Errorf("error does not name the record and the attempts: %v", err)
		}
		if waits != 2 {
			t.Errorf("waited %d times before retries, want 2 (max.retries)", waits)
		}
		wantRows(t, rowsOf(t, url, "orders"), []string{"3", "old"})
		if got := query(t, url, countTables(t, url, "other")); got[0][0] == "1" {
			if rows := rowsOf(t, url, "other"); len(rows) != 0 {
				t.Errorf("rows of the other table were committed: %q", rows)
			}
		}
	})
}

// Records the configuration cannot write fail at once, without retries.
func TestConfigurationErrorsAreNotRetried(t *testing.T) {
	url := dbtest.SQLite(t)
	tk := startTask(t, url, map[string]string{KeyMaxRetries: "5"})
	tk.sleep = func(context.Context, time.Duration) { t.Error("retried a missing table") }
	err := tk.Put(context.Background(), []connectors.SinkRecord{row(t, "missing", 0, 1, "a")})
	if err == nil || !strings.Contains(err.Error(), "table missing is missing and auto.create is false") {
		t.Errorf("err = %v", err)
	}
}

func TestSchemalessRecordsAreExplained(t *testing.T) {
	url := dbtest.SQLite(t)
	tests := []struct {
		name  string
		props map[string]string
		rec   connectors.SinkRecord
		want  []string
	}{
		{
			name: "map without schema",
			rec:  record("events", 7, connectors.SchemaAndValue{}, connectors.SchemaAndValue{Value: map[string]any{"id": int64(1)}}),
			want: []string{
				"Sink connector 'jdbc-sink-test' is configured with 'delete.enabled=false' and 'pk.mode=none'",
				"requires records with a non-null Struct or String value and non-null Struct or String schema",
				"(topic='events',partition=0,offset=7,timestamp=1700000000000) with a HashMap value and null value schema",
				"JsonConverter", "value.converter.schemas.enable=true", `{"schema": ..., "payload": ...}`,
			},
		},
		{
			name: "tombstone without deletes",
			rec:  tombstone(t, "events", 8, 1),
			want: []string{"with a null value and null value schema", "delete.enabled=true", "RecordIsTombstone"},
		},
		{
			name: "array value",
			rec: record("events", 9, connectors.SchemaAndValue{}, connectors.SchemaAndValue{
				Schema: &connectors.Schema{Type: connectors.Array, Value: connectors.Int32Schema}, Value: []any{int32(1)}}),
			want: []string{"with a ArrayList value and ARRAY value schema", "HoistField"},
		},
		{
			name:  "key without schema",
			props: map[string]string{KeyPKMode: "record_key", KeyInsertMode: "upsert"},
			rec:   record("events", 10, connectors.SchemaAndValue{Value: map[string]any{"id": int64(1)}}, structOf(t, rowValue, "id", int32(1))),
			want:  []string{"requires records with a non-null key and non-null Struct or primitive key schema", "key.converter.schemas.enable=true"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := startTask(t, url, tt.props)
			err := tk.Put(context.Background(), []connectors.SinkRecord{tt.rec})
			if err == nil {
				t.Fatal("Put accepted the record")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestConfigCrossChecks(t *testing.T) {
	def := newDef()
	base := map[string]string{"name": "x", jdbc.KeyURL: "jdbc:sqlite::memory:"}
	tests := []struct {
		props map[string]string
		key   string
		want  string
	}{
		{map[string]string{KeyDeleteEnabled: "true"}, KeyDeleteEnabled, "pk.mode=record_key"},
		{map[string]string{KeyDeleteEnabled: "true", KeyPKMode: "record_value"}, KeyDeleteEnabled, "not pk.mode=record_value"},
		{map[string]string{KeyPKMode: "kafka", KeyPKFields: "a,b"}, KeyPKFields, "exactly three"},
		{map[string]string{KeyInsertMode: "upsert"}, KeyInsertMode, "set pk.mode"},
		{map[string]string{KeyInsertMode: "update"}, KeyInsertMode, "set pk.mode"},
		{map[string]string{KeyInsertMode: "merge"}, KeyInsertMode, "insert, upsert, update"},
		{map[string]string{KeyTableTypes: "TABLE,INDEX"}, KeyTableTypes, "INDEX"},
		{map[string]string{jdbc.KeyQuote: "sometimes"}, jdbc.KeyQuote, "always, never"},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.props[tt.key], func(t *testing.T) {
			raw := map[string]string{}
			for k, v := range base {
				raw[k] = v
			}
			for k, v := range tt.props {
				raw[k] = v
			}
			vals, err := def.Parse(raw)
			if err == nil {
				err = (&connector{def: def}).Start(context.Background(), nil, vals)
			}
			var ke *config.KeyError
			if !errors.As(err, &ke) || ke.Key != tt.key || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want a KeyError for %s saying %q", err, tt.key, tt.want)
			}
		})
	}
	vals, err := def.Parse(map[string]string{"name": "x", jdbc.KeyURL: "jdbc:sqlite::memory:", KeyDeleteEnabled: "true", KeyPKMode: "RECORD_KEY", KeyInsertMode: "UPSERT"})
	if err != nil {
		t.Fatal(err)
	}
	if err := (&connector{def: def}).Start(context.Background(), nil, vals); err != nil {
		t.Errorf("upper-case modes: %v", err)
	}
}

// batch.size bounds the rows of one INSERT statement; a PostgreSQL
// statement trigger counts the statements.
func TestBatchSizeSplitsStatements(t *testing.T) {
	url := dbtest.Postgres(t)
	dbtest.Exec(t, url,
		`CREATE TABLE stmts (n INT)`, `INSERT INTO stmts VALUES (0)`,
		`CREATE TABLE split (id INT PRIMARY KEY, name TEXT)`,
		`CREATE FUNCTION count_stmt() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE stmts SET n = n + 1; RETURN NULL; END $$`,
		`CREATE TRIGGER count_stmt AFTER INSERT ON split FOR EACH STATEMENT EXECUTE FUNCTION count_stmt()`)
	for _, tt := range []struct {
		batchSize string
		want      string
	}{{"2", "3"}, {"3000", "1"}} {
		dbtest.Exec(t, url, `TRUNCATE split`, `UPDATE stmts SET n = 0`)
		tk := startTask(t, url, map[string]string{KeyBatchSize: tt.batchSize, KeyPKMode: "record_value", KeyPKFields: "id"})
		var recs []connectors.SinkRecord
		for i := range int32(5) {
			recs = append(recs, row(t, "split", int64(i), i, "x"))
		}
		put(t, tk, recs...)
		if got := query(t, url, "SELECT n FROM stmts")[0][0]; got != tt.want {
			t.Errorf("batch.size=%s: %s INSERT statements, want %s", tt.batchSize, got, tt.want)
		}
		if got := query(t, url, "SELECT COUNT(*) FROM split")[0][0]; got != "5" {
			t.Errorf("batch.size=%s: %s rows, want 5", tt.batchSize, got)
		}
	}
}

func TestFieldsWhitelist(t *testing.T) {
	forEachDB(t, func(t *testing.T, url string) {
		value := schema("id", connectors.Int32Schema, "name", connectors.OptionalStringSchema, "secret", connectors.StringSchema)
		tk := startTask(t, url, map[string]string{KeyAutoCreate: "true", KeyPKMode: "record_value", KeyPKFields: "id", KeyFieldsWhitelist: "name"})
		put(t, tk, record("wl", 0, connectors.SchemaAndValue{}, structOf(t, value, "id", int32(1), "name", "a", "secret", "s")))
		wantRows(t, rowsOf(t, url, "wl"), []string{"1", "a"})
		cols := columnTypes(t, url, "wl")
		if _, ok := cols["secret"]; ok || len(cols) != 2 {
			t.Errorf("columns = %v, want id and name only", cols)
		}
	})
}

// quote.sql.identifiers=never leaves names to the database, which folds
// them (PostgreSQL to lower case); the sink still finds its table again.
func TestQuoteNever(t *testing.T) {
	forEachDB(t, func(t *testing.T, url string) {
		value := schema("Id", connectors.Int32Schema, "Name", connectors.StringSchema)
		props := map[string]string{KeyAutoCreate: "true", KeyAutoEvolve: "true", KeyInsertMode: "upsert", KeyPKMode: "record_value", KeyPKFields: "Id", jdbc.KeyQuote: "never"}
		put(t, startTask(t, url, props), record("MixedCase", 0, connectors.SchemaAndValue{}, structOf(t, value, "Id", int32(1), "Name", "a")))
		put(t, startTask(t, url, props), record("MixedCase", 1, connectors.SchemaAndValue{}, structOf(t, value, "Id", int32(1), "Name", "b")))
		wantRows(t, query(t, url, "SELECT Id, Name FROM MixedCase"), []string{"1", "b"})
		if dialectOf(t, url) == jdbc.Postgres {
			if got := query(t, url, countTables(t, url, "mixedcase")); got[0][0] != "1" {
				t.Errorf("PostgreSQL did not fold the unquoted name: %v", got)
			}
		}
	})
}

// A table name with a dot is schema.table.
func TestSchemaQualifiedTable(t *testing.T) {
	url := dbtest.Postgres(t)
	dbtest.Exec(t, url, "CREATE SCHEMA shop")
	tk := startTask(t, url, map[string]string{KeyAutoCreate: "true", KeyTableNameFormat: "shop.${topic}_copy"})
	put(t, tk, row(t, "orders", 0, 1, "a"))
	wantRows(t, query(t, url, `SELECT id, name FROM shop.orders_copy`), []string{"1", "a"})
}

// A String value (StringConverter) goes into string.output.value.column.name.
func TestStringValues(t *testing.T) {
	forEachDB(t, func(t *testing.T, url string) {
		tk := startTask(t, url, map[string]string{KeyAutoCreate: "true", KeyPKMode: "kafka", KeyStringValueColumn: "line"})
		put(t, tk, record("lines", 4, connectors.SchemaAndValue{}, connectors.SchemaAndValue{Schema: connectors.OptionalStringSchema, Value: "hello"}))
		q := fmt.Sprintf("SELECT %s, %s FROM %s", ident(t, url, "__connect_offset"), ident(t, url, "line"), ident(t, url, "lines"))
		wantRows(t, query(t, url, q), []string{"4", "hello"})
	})
	tk := startTask(t, dbtest.SQLite(t), map[string]string{KeyAutoCreate: "true", KeyFieldsWhitelist: "a"})
	err := tk.Put(context.Background(), []connectors.SinkRecord{record("lines", 0, connectors.SchemaAndValue{}, connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: "x"})})
	if err == nil || !strings.Contains(err.Error(), "fields.whitelist") {
		t.Errorf("fields.whitelist with a String value: err = %v", err)
	}
}
