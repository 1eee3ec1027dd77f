package rotation

import (
	"errors"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func schema(version int32, fields ...connectors.Field) *connectors.Schema {
	for i := range fields {
		fields[i].Index = i
	}
	return &connectors.Schema{Type: connectors.Struct, Name: "r", Version: &version, Fields: fields}
}

func TestShouldChange(t *testing.T) {
	id := connectors.Field{Name: "id", Schema: connectors.Int32Schema}
	wideID := connectors.Field{Name: "id", Schema: connectors.Int64Schema}
	note := connectors.Field{Name: "note", Schema: connectors.OptionalStringSchema}
	required := connectors.Field{Name: "must", Schema: connectors.StringSchema}
	v1, v2 := schema(1, id), schema(2, id, note)
	unversioned := &connectors.Schema{Type: connectors.Struct, Name: "r", Fields: []connectors.Field{id}}
	tests := []struct {
		name        string
		c           Compatibility
		s, current  *connectors.Schema
		want, error bool
	}{
		{"same schema", None, v1, v1, false, false},
		{"none: any change", None, v2, v1, true, false},
		{"none: equal copies", None, schema(1, id), v1, false, false},
		{"none: schemaless", None, nil, nil, false, false},
		{"schemaless after schema", None, nil, v1, false, true},
		{"backward: newer", Backward, v2, v1, true, false},
		{"backward: older projects", Backward, v1, v2, false, false},
		{"full: newer", Full, v2, v1, true, false},
		{"forward: older", Forward, v1, v2, true, false},
		{"forward: newer projects", Forward, v2, v1, false, false},
		{"backward: widening projects", Backward, schema(1, id), schema(2, wideID), false, false},
		{"backward: narrowing", Backward, schema(1, wideID), schema(2, id), true, false},
		{"backward: new required field", Backward, v1, schema(2, id, required), true, false},
		{"backward: no version", Backward, unversioned, v1, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.c.ShouldChange(tt.s, tt.current)
			if tt.error {
				if !errors.Is(err, ErrSchema) {
					t.Fatalf("ShouldChange = %v, %v; want an ErrSchema", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ShouldChange = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestNextScheduled(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	tests := []struct {
		name   string
		now    time.Time
		period time.Duration
		want   time.Time
	}{
		{"next hour", time.Date(2024, 5, 17, 10, 20, 0, 0, time.UTC), time.Hour, time.Date(2024, 5, 17, 11, 0, 0, 0, time.UTC)},
		{"on the hour is the next one", time.Date(2024, 5, 17, 11, 0, 0, 0, time.UTC), time.Hour, time.Date(2024, 5, 17, 12, 0, 0, 0, time.UTC)},
		{"capped at midnight", time.Date(2024, 5, 17, 22, 0, 0, 0, time.UTC), 5 * time.Hour, time.Date(2024, 5, 18, 0, 0, 0, 0, time.UTC)},
		// The spring-forward day is 23 hours long: periods count elapsed
		// time from local midnight, so 03:00 EDT is two hours in.
		{"dst day", time.Date(2024, 3, 10, 1, 30, 0, 0, ny), 2 * time.Hour, time.Date(2024, 3, 10, 3, 0, 0, 0, ny)},
		{"zone's midnight", time.Date(2024, 5, 17, 23, 30, 0, 0, ny), time.Hour, time.Date(2024, 5, 18, 0, 0, 0, 0, ny)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := nextScheduled(tt.now.UnixMilli(), tt.period.Milliseconds(), tt.now.Location())
			if got != tt.want.UnixMilli() {
				t.Fatalf("nextScheduled = %v, want %v", time.UnixMilli(got).In(tt.now.Location()), tt.want)
			}
		})
	}
}

func TestTimer(t *testing.T) {
	now := time.UnixMilli(0)
	ts := func(r connectors.SinkRecord) (int64, error) { return r.Timestamp.UnixMilli(), nil }
	rec := func(ms int64) *connectors.SinkRecord {
		return &connectors.SinkRecord{Record: connectors.Record{Timestamp: time.UnixMilli(ms)}}
	}
	p := Policy{FlushSize: 3, IntervalMs: 1000, Timestamp: ts, Now: func() time.Time { return now }}
	tm := p.NewTimer()
	steps := []struct {
		r     *connectors.SinkRecord
		count int
		want  bool
	}{
		{rec(5000), 0, false}, // the first record starts the interval
		{rec(5500), 1, false},
		{rec(6000), 2, true}, // one interval of record time after the first
		{nil, 2, false},      // no record: record time does not move
		{rec(6000), 3, true}, // flush.size
	}
	for i, s := range steps {
		got, err := tm.Due(s.r, s.count)
		if err != nil || got != s.want {
			t.Fatalf("step %d: Due = %v, %v; want %v", i, got, err, s.want)
		}
	}
}
