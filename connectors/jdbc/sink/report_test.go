package sink

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/dbtest"
)

// reportingContext is a task context whose runtime offers an errant
// record reporter, answering with answer.
type reportingContext struct {
	taskContext
	answer   error
	reported []connectors.SinkRecord
	causes   []error
}

func (c *reportingContext) Report(_ context.Context, r connectors.SinkRecord, err error) error {
	c.reported = append(c.reported, r)
	c.causes = append(c.causes, err)
	return c.answer
}

// A schemaless record goes to the reporter: tolerated, the rest of the
// batch is written without it; not tolerated, Put fails with the answer.
func TestSchemalessRecordsAreReported(t *testing.T) {
	schemaless := record("events", 1, connectors.SchemaAndValue{}, connectors.SchemaAndValue{Value: map[string]any{"id": int64(1)}})

	url := dbtest.SQLite(t)
	tc := &reportingContext{taskContext: taskContext{slog.New(slog.DiscardHandler)}}
	tk := Plugin().NewSink().NewTask().(*task)
	cfg := map[string]string{"name": "jdbc-sink-test", "connection.url": url, "auto.create": "true"}
	if err := tk.Start(context.Background(), tc, cfg); err != nil {
		t.Fatal(err)
	}
	defer tk.Stop(context.Background())
	if err := tk.Put(context.Background(), []connectors.SinkRecord{row(t, "events", 0, 1, "a"), schemaless, row(t, "events", 2, 2, "b")}); err != nil {
		t.Fatalf("Put with a tolerating reporter: %v", err)
	}
	if len(tc.reported) != 1 || tc.reported[0].Offset != 1 || !strings.Contains(tc.causes[0].Error(), "schemas.enable=true") {
		t.Fatalf("reported %v: %v", tc.reported, tc.causes)
	}
	if got := query(t, url, "SELECT COUNT(*) FROM events"); got[0][0] != "2" {
		t.Fatalf("rows written = %v, want the two good records", got)
	}

	refuse := errors.New("errors.tolerance=none")
	tc2 := &reportingContext{taskContext: tc.taskContext, answer: refuse}
	tk2 := Plugin().NewSink().NewTask().(*task)
	if err := tk2.Start(context.Background(), tc2, cfg); err != nil {
		t.Fatal(err)
	}
	defer tk2.Stop(context.Background())
	if err := tk2.Put(context.Background(), []connectors.SinkRecord{row(t, "events", 3, 3, "c"), schemaless}); !errors.Is(err, refuse) {
		t.Fatalf("Put with a refusing reporter = %v, want its answer", err)
	}
	if got := query(t, url, "SELECT COUNT(*) FROM events"); got[0][0] != "2" {
		t.Fatalf("rows = %v: a refused batch wrote records", got)
	}
}
