package sink

import (
	"context"
	"log/slog"
	"math/big"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/dbtest"
)

// BenchmarkPut500 writes deliveries of 500 records, the runtime's default
// max.poll.records, into PostgreSQL: most of each Put is the database's
// round trips (begin, one multi-row INSERT, commit), little is the sink's.
func BenchmarkPut500(b *testing.B) {
	url := dbtest.Postgres(b)
	cfg := map[string]string{"name": "bench", "connection.url": url, "auto.create": "true"}
	tk := Plugin().NewSink().NewTask().(*task)
	if err := tk.Start(context.Background(), taskContext{log: slog.New(slog.DiscardHandler)}, cfg); err != nil {
		b.Fatal(err)
	}
	defer tk.Stop(context.Background())
	s := schema("id", connectors.Int64Schema, "name", connectors.StringSchema, "amount", connectors.DecimalSchema(2, false), "at", connectors.TimestampSchema(false))
	off := int64(0)
	batch := func() []connectors.SinkRecord {
		out := make([]connectors.SinkRecord, 500)
		for i := range out {
			v := connectors.NewStruct(s)
			for _, kv := range []struct {
				name string
				v    any
			}{{"id", off}, {"name", "customer"}, {"amount", connectors.Decimal{Unscaled: big.NewInt(off), Scale: 2}}, {"at", time.UnixMilli(off)}} {
				if err := v.Put(kv.name, kv.v); err != nil {
					b.Fatal(err)
				}
			}
			out[i] = record("bench", off, connectors.SchemaAndValue{}, connectors.SchemaAndValue{Schema: s, Value: v})
			off++
		}
		return out
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		rs := batch()
		b.StartTimer()
		if err := tk.Put(context.Background(), rs); err != nil {
			b.Fatal(err)
		}
	}
}
