package source

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/dbtest"
)

func dbName(url string) string {
	db, _, _ := strings.Cut(url[strings.LastIndex(url, "/")+1:], "?")
	return db
}

func createOrders(t *testing.T, url, name string) {
	d := dialects[name]
	dbtest.Exec(t, url, fmt.Sprintf("CREATE TABLE orders (id %s, item %s, updated_at %s NOT NULL)", d.serial, d.text, d.ts))
}

func insertOrders(t *testing.T, url string, rows ...string) {
	for _, r := range rows {
		item, ts, _ := strings.Cut(r, "@")
		dbtest.Exec(t, url, fmt.Sprintf("INSERT INTO orders (item, updated_at) VALUES ('%s', '%s')", item, ts))
	}
}

func items(t *testing.T, recs []connectors.SourceRecord) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = get(t, r, "item").(string)
	}
	return out
}

func TestModes(t *testing.T) {
	for name, open := range dbtest.All {
		t.Run(name, func(t *testing.T) {
			t.Run("incrementing", func(t *testing.T) {
				url := open(t)
				createOrders(t, url, name)
				insertOrders(t, url, "a@2020-01-01 00:00:01", "b@2020-01-01 00:00:02")
				offs := &offsets{}
				tk := startTask(t, props(url, KeyMode, ModeIncrementing), offs)
				recs := drain(t, tk, offs)
				if got := ids(t, recs); !slices.Equal(got, []int64{1, 2}) {
					t.Fatalf("ids %v", got)
				}
				r := recs[1]
				if r.Topic != "db-orders" || r.Value.Schema.Name != "orders" || r.Key.Value != nil {
					t.Fatalf("record %+v", r.Record)
				}
				wantPart := "public.orders"
				switch name {
				case "mariadb":
					wantPart = dbName(url) + ".orders"
				case "sqlite":
					wantPart = "orders"
				}
				if r.SourcePartition["protocol"] != "1" || r.SourcePartition["table"] != wantPart {
					t.Fatalf("partition %v, want table %s", r.SourcePartition, wantPart)
				}
				if r.SourceOffset["incrementing"] != int64(2) || len(r.SourceOffset) != 1 {
					t.Fatalf("offset %v", r.SourceOffset)
				}
				dbtest.Exec(t, url, "UPDATE orders SET item = 'A' WHERE id = 1")
				insertOrders(t, url, "c@2020-01-01 00:00:03")
				if got := ids(t, drain(t, tk, offs)); !slices.Equal(got, []int64{3}) {
					t.Fatalf("after insert and update: ids %v, want only the new row", got)
				}
			})
			for _, mode := range []string{ModeTimestamp, ModeTimestampIncrementing} {
				t.Run(mode, func(t *testing.T) {
					url := open(t)
					createOrders(t, url, name)
					insertOrders(t, url, "a@2020-01-01 00:00:01", "b@2020-01-01 00:00:02", "c@2020-01-01 00:00:02")
					offs := &offsets{}
					cfg := props(url, KeyMode, mode, KeyTimestampColumns, "updated_at", KeyIncrementingColumn, "id")
					if mode == ModeTimestamp {
						delete(cfg, KeyIncrementingColumn)
					}
					tk := startTask(t, cfg, offs)
					recs := drain(t, tk, offs)
					if got := items(t, recs); !slices.Equal(got, []string{"a", "b", "c"}) {
						t.Fatalf("items %v", got)
					}
					last := recs[2].SourceOffset
					wantTS := time.Date(2020, 1, 1, 0, 0, 2, 0, time.UTC)
					if last["timestamp"] != wantTS.UnixMilli() || last["timestamp_nanos"] != int64(0) {
						t.Fatalf("offset %v", last)
					}
					if _, ok := last["incrementing"]; ok != (mode == ModeTimestampIncrementing) {
						t.Fatalf("offset %v", last)
					}
					dbtest.Exec(t, url, "UPDATE orders SET item = 'A', updated_at = '2020-01-01 00:00:05.5' WHERE id = 1")
					insertOrders(t, url, "d@2020-01-01 00:00:04")
					if got := items(t, drain(t, tk, offs)); !slices.Equal(got, []string{"d", "A"}) {
						t.Fatalf("after update and insert: items %v, want d then A", got)
					}
					if got := items(t, drain(t, tk, offs)); len(got) != 0 {
						t.Fatalf("read again: %v", got)
					}
				})
			}
			t.Run("bulk", func(t *testing.T) {
				url := open(t)
				createOrders(t, url, name)
				insertOrders(t, url, "a@2020-01-01 00:00:01", "b@2020-01-01 00:00:02")
				offs := &offsets{}
				tk := startTask(t, props(url, KeyMode, ModeBulk, KeyPollInterval, "300"), offs)
				for pass := range 2 {
					recs := poll(t, tk, offs)
					if len(recs) == 0 { // waited for the interval
						recs = poll(t, tk, offs)
					}
					if got := items(t, recs); !slices.Equal(got, []string{"a", "b"}) {
						t.Fatalf("pass %d: items %v", pass, got)
					}
					if recs[0].SourceOffset != nil || recs[0].SourcePartition["table"] != "orders" || len(recs[0].SourcePartition) != 1 {
						t.Fatalf("bulk partition %v offset %v", recs[0].SourcePartition, recs[0].SourceOffset)
					}
					if got := poll(t, tk, offs); len(got) != 0 {
						t.Fatalf("pass %d ended with %d more records", pass, len(got))
					}
				}
			})
		})
	}
}

// TestRestartNoGapsNoDuplicates reads in small batches, restarting the task
// after every poll from the offsets stored so far, with rows sharing
// timestamps: every row is read, and none twice except, in timestamp mode,
// rows read after the last one whose timestamp could be stored.
func TestRestartNoGapsNoDuplicates(t *testing.T) {
	for name, open := range dbtest.All {
		for _, mode := range []string{ModeIncrementing, ModeTimestamp, ModeTimestampIncrementing} {
			t.Run(name+"/"+mode, func(t *testing.T) {
				url := open(t)
				createOrders(t, url, name)
				var rows []string
				for i := range 9 {
					rows = append(rows, fmt.Sprintf("r%d@2020-01-01 00:00:0%d", i, i/3)) // three rows per timestamp
				}
				insertOrders(t, url, rows...)
				cfg := props(url, KeyMode, mode, KeyBatchMaxRows, "4", KeyTimestampColumns, "updated_at")
				if mode == ModeIncrementing {
					delete(cfg, KeyTimestampColumns)
				}
				offs := &offsets{}
				seen := map[string]int{}
				for restart := 0; restart < 20; restart++ {
					tk := startTask(t, cfg, offs)
					recs := poll(t, tk, offs)
					tk.Stop(context.Background())
					if len(recs) == 0 {
						break
					}
					for _, it := range items(t, recs) {
						seen[it]++
					}
				}
				for i := range 9 {
					n := seen[fmt.Sprintf("r%d", i)]
					if n == 0 {
						t.Fatalf("row r%d was never read: %v", i, seen)
					}
					if n > 1 && mode != ModeTimestamp {
						t.Fatalf("row r%d read %d times: %v", i, n, seen)
					}
				}
			})
		}
	}
}

func TestBatchMaxRowsAcrossPolls(t *testing.T) {
	for name, open := range dbtest.All {
		t.Run(name, func(t *testing.T) {
			url := open(t)
			createOrders(t, url, name)
			var values []string
			for i := range 250 {
				values = append(values, fmt.Sprintf("('i%d', '2020-01-01 00:00:01')", i))
			}
			dbtest.Exec(t, url, "INSERT INTO orders (item, updated_at) VALUES "+strings.Join(values, ","))
			offs := &offsets{}
			tk := startTask(t, props(url, KeyMode, ModeIncrementing, KeyBatchMaxRows, "100"), offs)
			var sizes []int
			var all []int64
			for {
				recs := poll(t, tk, offs)
				if len(recs) == 0 {
					break
				}
				sizes = append(sizes, len(recs))
				all = append(all, ids(t, recs)...)
			}
			if !slices.Equal(sizes, []int{100, 100, 50}) {
				t.Fatalf("batch sizes %v", sizes)
			}
			for i, id := range all {
				if id != int64(i+1) {
					t.Fatalf("id %d at %d", id, i)
				}
			}
		})
	}
}

func TestRestartResumesFromStoredOffsets(t *testing.T) {
	for name, open := range dbtest.All {
		t.Run(name, func(t *testing.T) {
			url := open(t)
			createOrders(t, url, name)
			insertOrders(t, url, "a@2020-01-01 00:00:01", "b@2020-01-01 00:00:02")
			offs := &offsets{}
			cfg := props(url, KeyMode, ModeTimestampIncrementing, KeyTimestampColumns, "updated_at")
			tk := startTask(t, cfg, offs)
			if got := items(t, drain(t, tk, offs)); len(got) != 2 {
				t.Fatalf("items %v", got)
			}
			tk.Stop(context.Background())
			insertOrders(t, url, "c@2020-01-01 00:00:02", "d@2020-01-01 00:00:03")
			tk = startTask(t, cfg, offs)
			if got := items(t, drain(t, tk, offs)); !slices.Equal(got, []string{"c", "d"}) {
				t.Fatalf("after restart: items %v", got)
			}
		})
	}
}

// TestLegacyPartition reads an offset stored under the partition of
// Confluent's versions before offset protocol 1.
func TestLegacyPartition(t *testing.T) {
	url := dbtest.SQLite(t)
	createOrders(t, url, "sqlite")
	insertOrders(t, url, "a@2020-01-01 00:00:01", "b@2020-01-01 00:00:02", "c@2020-01-01 00:00:03")
	offs := &offsets{m: map[string]map[string]any{key(map[string]any{"table": "orders"}): {"incrementing": int64(2)}}}
	tk := startTask(t, props(url, KeyMode, ModeIncrementing), offs)
	if got := items(t, drain(t, tk, offs)); !slices.Equal(got, []string{"c"}) {
		t.Fatalf("items %v, want c only", got)
	}
}

func TestQueryMode(t *testing.T) {
	for name, open := range dbtest.All {
		t.Run(name, func(t *testing.T) {
			url := open(t)
			createOrders(t, url, name)
			insertOrders(t, url, "a@2020-01-01 00:00:01", "b@2020-01-01 00:00:02")
			offs := &offsets{}
			cfg := props(url, KeyMode, ModeIncrementing, KeyQuery, "SELECT id, item AS thing FROM orders", KeyIncrementingColumn, "id", KeyTopicPrefix, "all-orders")
			tk := startTask(t, cfg, offs)
			recs := drain(t, tk, offs)
			if got := ids(t, recs); !slices.Equal(got, []int64{1, 2}) {
				t.Fatalf("ids %v", got)
			}
			r := recs[0]
			if r.Topic != "all-orders" || r.SourcePartition["query"] != "query" || r.Value.Schema.Name != "" || len(r.Value.Schema.Fields) != 2 || get(t, r, "thing") != "a" {
				t.Fatalf("record %+v partition %v", r.Value, r.SourcePartition)
			}
		})
	}
}

func TestTableFilters(t *testing.T) {
	for name, open := range dbtest.All {
		t.Run(name, func(t *testing.T) {
			url := open(t)
			for _, tb := range []string{"alpha", "beta", "gamma", "audit_log"} {
				dbtest.Exec(t, url, fmt.Sprintf("CREATE TABLE %s (id INTEGER)", tb))
			}
			dbtest.Exec(t, url, "CREATE VIEW v_alpha AS SELECT id FROM alpha")
			qual := map[string]string{"postgres": "public", "mariadb": dbName(url), "sqlite": ""}[name]
			q := func(tb string) string {
				if qual == "" {
					return tb
				}
				return qual + "." + tb
			}
			tests := []struct {
				kv   []string
				want []string
			}{
				{nil, []string{"alpha", "audit_log", "beta", "gamma"}},
				{[]string{KeyTableWhitelist, "alpha," + q("gamma")}, []string{"alpha", "gamma"}},
				{[]string{KeyTableBlacklist, "audit_log"}, []string{"alpha", "beta", "gamma"}},
				{[]string{KeyTableIncludeList, ".*a$"}, []string{"alpha", "beta", "gamma"}},
				{[]string{KeyTableIncludeList, ".*", KeyTableExcludeList, ".*(audit|beta).*"}, []string{"alpha", "gamma"}},
				{[]string{KeyTableTypes, "VIEW"}, []string{"v_alpha"}},
			}
			for _, tc := range tests {
				c, _, tcs := startConnector(t, props(url, append([]string{KeyMode, ModeBulk}, tc.kv...)...), 1)
				var got []string
				for _, tb := range c.tables {
					got = append(got, tb.name)
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("%v: tables %v, want %v", tc.kv, got, tc.want)
				}
				if len(tcs) != 1 {
					t.Errorf("%v: %d task configs", tc.kv, len(tcs))
				}
			}
			_, _, tcs := startConnector(t, props(url, KeyMode, ModeBulk), 3)
			var groups []string
			for _, tc := range tcs {
				groups = append(groups, tc[keyTables])
			}
			if len(tcs) != 3 || strings.Count(groups[0], ",") != 1 || strings.Count(groups[1], ",") != 0 {
				t.Errorf("four tables over three tasks: %q", groups)
			}
		})
	}
}

func TestNewTablesAreFound(t *testing.T) {
	for name, open := range dbtest.All {
		t.Run(name, func(t *testing.T) {
			url := open(t)
			c, cc, tcs := startConnector(t, props(url, KeyMode, ModeBulk), 2)
			if len(tcs) != 1 || tcs[0][keyTables] != "" {
				t.Fatalf("task configs with no table: %v", tcs)
			}
			tk := c.NewTask()
			if err := tk.Start(context.Background(), taskContext{testLogger(t), &offsets{}}, tcs[0]); err != nil {
				t.Fatalf("a task with no table must wait, not fail: %v", err)
			}
			tk.Stop(context.Background())
			dbtest.Exec(t, url, "CREATE TABLE fresh (id INTEGER)")
			deadline := time.Now().Add(10 * time.Second)
			for cc.requests.Load() == 0 {
				if time.Now().After(deadline) {
					t.Fatal("no task reconfiguration was requested after a table was created")
				}
				time.Sleep(10 * time.Millisecond)
			}
			tcs, err := c.TaskConfigs(2)
			if err != nil {
				t.Fatal(err)
			}
			if len(tcs) != 1 || !strings.Contains(tcs[0][keyTables], "fresh") {
				t.Fatalf("task configs %v", tcs)
			}
		})
	}
}
