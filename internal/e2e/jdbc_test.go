package e2e

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/connect-standalone/connect-standalone/internal/dbtest"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// TestJDBCSinkUnderKills streams records into a table through the JDBC sink
// while the worker is killed with SIGKILL at random moments, in the middle
// of batches, and restarted. Each delivery is one transaction and offsets
// are committed only after it, so a kill loses nothing and, with upserts
// keyed by the Kafka coordinates, repeats nothing: the table ends with one
// row per record, each with the record's value.
func TestJDBCSinkUnderKills(t *testing.T) {
	needBinary(t)
	t.Parallel()
	for _, db := range []string{"postgres", "sqlite"} {
		t.Run(db, func(t *testing.T) {
			t.Parallel()
			url := dbtest.All[db](t)
			seed := uint64(time.Now().UnixNano())
			t.Logf("seed %d", seed)
			rng := rand.New(rand.NewPCG(seed, seed))

			_, bootstrap := kafkatest.Cluster(t, kfake.GroupMinSessionTimeout(500*time.Millisecond))
			dir := t.TempDir()
			writeFile(t, dir, "worker.properties", workerProps(t, dir, bootstrap, map[string]string{
				"offset.flush.interval.ms": "200",
				// A killed member holds its partition until its session
				// times out: short, so that each worker gets to write.
				"consumer.session.timeout.ms":    "1000",
				"consumer.heartbeat.interval.ms": "200",
				"consumer.max.poll.interval.ms":  "1000",
				"consumer.max.poll.records":      "37",
			}))
			writeFile(t, dir, "sink.properties", setProps(example(t, "jdbc-sink-postgres.properties"), map[string]string{
				"connection.url":  url,
				"connection.user": "",
				"pk.mode":         "kafka",
				"pk.fields":       "",
				"batch.size":      "10",
			}))

			const total = 2000
			produced := make(chan error, 1)
			go func() { produced <- produceSlowly(bootstrap, "orders", total, 12*time.Second, orderJSON) }()
			for cycle := range 6 {
				life := 1500*time.Millisecond + time.Duration(rng.Int64N(int64(1500*time.Millisecond)))
				runThenKill(t, dir, life, "worker.properties", "sink.properties")
				t.Logf("cycle %d: killed after %v with %d rows", cycle, life, countRows(t, url))
			}
			if err := <-produced; err != nil {
				t.Fatal(err)
			}
			p := run(t, dir, false, "worker.properties", "sink.properties")
			eventually(t, p, 2*startDeadline, "every record in the table", func() bool { return countRows(t, url) >= total })
			// A signal before the runtime is up kills the process.
			eventually(t, p, startDeadline, "the worker running", func() bool { return strings.Contains(p.stderr.String(), "started connector") })
			p.stop(t)

			rows, _ := dbtest.Open(t, url)
			var n, distinct, minOff, maxOff int
			if err := rows.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT __connect_offset), MIN(__connect_offset), MAX(__connect_offset) FROM orders`).Scan(&n, &distinct, &minOff, &maxOff); err != nil {
				t.Fatal(err)
			}
			if n != total || distinct != total || minOff != 0 || maxOff != total-1 {
				t.Fatalf("%d rows, %d distinct offsets from %d to %d; want %d, one per offset 0-%d", n, distinct, minOff, maxOff, total, total-1)
			}
			var wrong int
			if err := rows.QueryRow(`SELECT COUNT(*) FROM orders WHERE id <> __connect_offset OR amount <> __connect_offset * 2`).Scan(&wrong); err != nil {
				t.Fatal(err)
			}
			if wrong != 0 {
				t.Fatalf("%d rows hold another record's values", wrong)
			}
		})
	}
}

func countRows(t *testing.T, url string) int {
	t.Helper()
	db, _ := dbtest.Open(t, url)
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM orders").Scan(&n); err != nil {
		return 0 // not created yet
	}
	return n
}

// orderJSON is record i of the orders topic: JSON with a schema,
// {"id": i, "amount": 2i}.
func orderJSON(i int) string {
	const schema = `{"type":"struct","name":"order","optional":false,"fields":[{"field":"id","type":"int64","optional":false},{"field":"amount","type":"int64","optional":false}]}`
	return fmt.Sprintf(`{"schema":%s,"payload":{"id":%d,"amount":%d}}`, schema, i, 2*i)
}

// TestJDBCRoundTrip copies a table with a column of every common type
// through Kafka into a new table, with the JDBC source and sink in one
// worker: the new table holds the same values, nulls included.
func TestJDBCRoundTrip(t *testing.T) {
	needBinary(t)
	t.Parallel()
	tables := map[string][]string{
		"postgres": {
			`CREATE TABLE src (id SERIAL PRIMARY KEY, i16 SMALLINT NOT NULL, i32 INTEGER, i64 BIGINT, f32 REAL, f64 DOUBLE PRECISION,
				dec NUMERIC(12,3), b BOOLEAN, s TEXT, d DATE, tm TIME(3), ts TIMESTAMP(3), bin BYTEA)`,
			`INSERT INTO src (i16, i32, i64, f32, f64, dec, b, s, d, tm, ts, bin) VALUES
				(-7, 2147483647, -9223372036854775808, 1.5, 2.25, 123456789.125, TRUE, 'ü "quoted" \ text', '1999-12-31', '23:59:58.123', '2024-02-29 12:34:56.789', '\x00ff10'),
				(0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
		},
		"mariadb": {
			`CREATE TABLE src (id INT AUTO_INCREMENT PRIMARY KEY, i16 SMALLINT NOT NULL, i32 INT, i64 BIGINT, f32 FLOAT, f64 DOUBLE,
				` + "`dec`" + ` DECIMAL(12,3), s TEXT, d DATE, tm TIME(3), ts DATETIME(3), bin BLOB)`,
			`INSERT INTO src (i16, i32, i64, f32, f64, ` + "`dec`" + `, s, d, tm, ts, bin) VALUES
				(-7, 2147483647, -9223372036854775808, 1.5, 2.25, 123456789.125, 'ü "quoted" text', '1999-12-31', '23:59:58.123', '2024-02-29 12:34:56.789', X'00ff10'),
				(0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
		},
		"sqlite": {
			`CREATE TABLE src (id INTEGER PRIMARY KEY AUTOINCREMENT, i16 SMALLINT NOT NULL, i32 INTEGER, f64 DOUBLE, s TEXT, bin BLOB)`,
			`INSERT INTO src (i16, i32, f64, s, bin) VALUES (-7, 2147483647, 2.25, 'ü "quoted" text', X'00ff10'), (0, NULL, NULL, NULL, NULL)`,
		},
	}
	for name, ddl := range tables {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url := dbtest.All[name](t)
			dbtest.Exec(t, url, ddl...)
			_, bootstrap := kafkatest.Cluster(t)
			dir := t.TempDir()
			writeFile(t, dir, "worker.properties", workerProps(t, dir, bootstrap, nil))
			writeFile(t, dir, "source.properties", strings.Join([]string{
				"name=rt-source", "connector.class=JdbcSource", "connection.url=" + url,
				"mode=incrementing", "incrementing.column.name=id", "table.whitelist=src",
				"topic.prefix=rt-", "poll.interval.ms=200",
			}, "\n")+"\n")
			writeFile(t, dir, "sink.properties", strings.Join([]string{
				"name=rt-sink", "connector.class=JdbcSink", "connection.url=" + url, "topics=rt-src",
				"table.name.format=dst", "auto.create=true", "insert.mode=upsert", "pk.mode=record_value", "pk.fields=id",
			}, "\n")+"\n")
			p := run(t, dir, false, "worker.properties", "source.properties", "sink.properties")
			db, _ := dbtest.Open(t, url)
			eventually(t, p, startDeadline, "two rows in dst", func() bool {
				var n int
				return db.QueryRow("SELECT COUNT(*) FROM dst").Scan(&n) == nil && n == 2
			})
			p.stop(t)
			src, dst := tableRows(t, db, "src"), tableRows(t, db, "dst")
			if len(src) != 2 || len(dst) != 2 {
				t.Fatalf("src has %d rows, dst %d; want 2 each", len(src), len(dst))
			}
			for i := range src {
				for col, want := range src[i] {
					if got := dst[i][col]; got != want {
						t.Errorf("row %d column %s: dst holds %q, src %q", i, col, got, want)
					}
				}
			}
		})
	}
}

// tableRows reads a table ordered by id, each value printed as text.
func tableRows(t *testing.T, db *sql.DB, table string) []map[string]string {
	t.Helper()
	rows, err := db.Query("SELECT * FROM " + table + " ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		m := make(map[string]string, len(cols))
		for i, c := range cols {
			switch v := vals[i].(type) {
			case []byte:
				m[strings.ToLower(c)] = fmt.Sprintf("%x", v)
			case time.Time:
				m[strings.ToLower(c)] = v.UTC().Format(time.RFC3339Nano)
			default:
				m[strings.ToLower(c)] = fmt.Sprint(v)
			}
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
