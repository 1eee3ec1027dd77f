package source

import (
	"context"
	"log/slog"
	"testing"

	"github.com/connect-standalone/connect-standalone/internal/dbtest"
)

// BenchmarkPoll reads a PostgreSQL table of small rows in incrementing mode,
// batch.max.rows at a time, as the task loop does; per op is per row.
func BenchmarkPoll(b *testing.B) {
	url := dbtest.Postgres(b)
	dbtest.Exec(b, url,
		"CREATE TABLE src (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, amount NUMERIC(10,2) NOT NULL, created TIMESTAMP NOT NULL)",
		"INSERT INTO src (name, amount, created) SELECT 'customer-' || (g % 1000), (g % 10000) / 100.0, TIMESTAMP '2024-01-01' + g * INTERVAL '1 second' FROM generate_series(1, 200000) g")
	cfg := props(url, KeyMode, ModeIncrementing, KeyIncrementingColumn, "id", KeyTableWhitelist, "src", KeyBatchMaxRows, "500")
	log := slog.New(slog.DiscardHandler)
	c := Plugin().NewSource().(*connector)
	v, err := c.Config().Parse(cfg)
	if err != nil {
		b.Fatal(err)
	}
	if err := c.Start(context.Background(), &connectorContext{log: log}, v); err != nil {
		b.Fatal(err)
	}
	defer c.Stop(context.Background())
	tcs, err := c.TaskConfigs(1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	read := 0
	for read < b.N {
		tk := c.NewTask().(*task)
		if err := tk.Start(context.Background(), taskContext{log, &offsets{}}, tcs[0]); err != nil {
			b.Fatal(err)
		}
		for read < b.N {
			recs, err := tk.Poll(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			if len(recs) == 0 {
				break
			}
			read += len(recs)
		}
		tk.Stop(context.Background())
	}
}
