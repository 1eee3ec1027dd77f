package sink_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors/builtin"
	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
	"github.com/connect-standalone/connect-standalone/internal/dbtest"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/runner"
)

// The example file runs in a worker: JSON records with schemas from Kafka
// become rows, and the consumer offsets follow the committed rows.
func TestExampleThroughTheWorker(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	url := dbtest.Postgres(t)
	cf, err := config.LoadConnectorFile(filepath.Join("..", "..", "..", "examples", "jdbc-sink-postgres.properties"))
	if err != nil {
		t.Fatal(err)
	}
	cf.Config[jdbc.KeyURL] = url
	delete(cf.Config, jdbc.KeyUser) // the test URL names its user
	reg, err := builtin.New(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := runner.New(runner.Options{
		WorkerFile: "worker.properties",
		WorkerProps: map[string]string{
			"bootstrap.servers":            addr,
			"key.converter":                "org.apache.kafka.connect.json.JsonConverter",
			"value.converter":              "org.apache.kafka.connect.json.JsonConverter",
			"offset.storage.file.filename": filepath.Join(t.TempDir(), "offsets"),
			"offset.flush.interval.ms":     "100",
		},
		Connectors: []config.ConnectorFile{cf},
		Registry:   reg,
		Logger:     slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		t.Fatalf("the worker refuses the example: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()

	const envelope = `{"schema":{"type":"struct","fields":[{"field":"id","type":"int32"},{"field":"total","type":"double","optional":true},` +
		`{"field":"placed","type":"int64","name":"org.apache.kafka.connect.data.Timestamp"}]},"payload":{"id":%d,"total":%g,"placed":1700000000000}}`
	kafkatest.Produce(t, addr, "orders", fmt.Sprintf(envelope, 1, 9.5), fmt.Sprintf(envelope, 2, 3.0), fmt.Sprintf(envelope, 1, 10.25))

	db, _ := dbtest.Open(t, url)
	want := "1 10.25 2023-11-14 22:13:20|2 3 2023-11-14 22:13:20|"
	var got string
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		got = rows(db)
		if got == want && kafkatest.CommittedOffset(t, addr, "connect-jdbc-sink", "orders") == 3 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("rows %q (want %q), committed offset %d (want 3)", got, want, kafkatest.CommittedOffset(t, addr, "connect-jdbc-sink", "orders"))
}

func rows(db *sql.DB) string {
	rs, err := db.Query(`SELECT id, total, placed FROM orders ORDER BY id`)
	if err != nil {
		return err.Error()
	}
	defer rs.Close()
	out := ""
	for rs.Next() {
		var id int
		var total float64
		var placed time.Time
		if err := rs.Scan(&id, &total, &placed); err != nil {
			return err.Error()
		}
		out += fmt.Sprintf("%d %g %s|", id, total, placed.Format(time.DateTime))
	}
	return out
}
