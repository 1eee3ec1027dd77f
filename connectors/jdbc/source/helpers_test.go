package source

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
)

// offsets stands in for the runtime's offset store.
type offsets struct {
	mu sync.Mutex
	m  map[string]map[string]any
}

func key(p map[string]any) string {
	b, _ := json.Marshal(p) // sorted keys
	return string(b)
}

func (o *offsets) store(recs []connectors.SourceRecord) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.m == nil {
		o.m = map[string]map[string]any{}
	}
	for _, r := range recs {
		if r.SourceOffset != nil {
			o.m[key(r.SourcePartition)] = r.SourceOffset
		}
	}
}

type taskContext struct {
	log  *slog.Logger
	offs *offsets
}

func (c taskContext) Logger() *slog.Logger { return c.log }

func (c taskContext) Offset(_ context.Context, p map[string]any) (map[string]any, error) {
	c.offs.mu.Lock()
	defer c.offs.mu.Unlock()
	return c.offs.m[key(p)], nil
}

type connectorContext struct {
	log      *slog.Logger
	requests atomic.Int32
}

func (c *connectorContext) Logger() *slog.Logger        { return c.log }
func (c *connectorContext) RequestTaskReconfiguration() { c.requests.Add(1) }

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// props is a connector config for url with fast polling.
func props(url string, kv ...string) map[string]string {
	p := map[string]string{
		jdbc.KeyURL:          url,
		KeyTopicPrefix:       "db-",
		KeyPollInterval:      "0",
		KeyTablePollInterval: "50",
		jdbc.KeyAttempts:     "1",
	}
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i]] = kv[i+1]
	}
	return p
}

// startConnector starts the connector and returns it with the task configs
// for maxTasks.
func startConnector(t *testing.T, cfg map[string]string, maxTasks int) (*connector, *connectorContext, []map[string]string) {
	t.Helper()
	c := Plugin().NewSource().(*connector)
	v, err := c.Config().Parse(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cc := &connectorContext{log: testLogger(t)}
	if err := c.Start(context.Background(), cc, v); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop(context.Background()) })
	tcs, err := c.TaskConfigs(maxTasks)
	if err != nil {
		t.Fatal(err)
	}
	return c, cc, tcs
}

// startTask runs the connector's single task with stored offsets offs.
func startTask(t *testing.T, cfg map[string]string, offs *offsets) *task {
	t.Helper()
	c, _, tcs := startConnector(t, cfg, 1)
	tk := c.NewTask().(*task)
	if err := tk.Start(context.Background(), taskContext{testLogger(t), offs}, tcs[0]); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tk.Stop(context.Background()) })
	return tk
}

// poll calls Poll once and stores the offsets of what it returned.
func poll(t *testing.T, tk *task, offs *offsets) []connectors.SourceRecord {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	recs, err := tk.Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	offs.store(recs)
	return recs
}

// drain polls until a Poll returns nothing.
func drain(t *testing.T, tk *task, offs *offsets) []connectors.SourceRecord {
	t.Helper()
	var all []connectors.SourceRecord
	for range 1000 {
		recs := poll(t, tk, offs)
		if len(recs) == 0 {
			return all
		}
		all = append(all, recs...)
	}
	t.Fatal("the task never ran out of records")
	return nil
}

func get(t *testing.T, r connectors.SourceRecord, name string) any {
	t.Helper()
	v, err := r.Value.Value.(*connectors.StructValue).GetWithoutDefault(name)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// ids returns the "id" field of each record as int64.
func ids(t *testing.T, recs []connectors.SourceRecord) []int64 {
	t.Helper()
	out := make([]int64, len(recs))
	for i, r := range recs {
		switch n := get(t, r, "id").(type) {
		case int32:
			out[i] = int64(n)
		case int64:
			out[i] = n
		default:
			t.Fatalf("id has type %T", n)
		}
	}
	return out
}

// ddl gives per-database spellings of a table with an auto-increment id.
type ddl struct {
	serial, ts, text string
}

var dialects = map[string]ddl{
	"postgres": {serial: "SERIAL PRIMARY KEY", ts: "TIMESTAMP(6)", text: "TEXT"},
	"mariadb":  {serial: "INT AUTO_INCREMENT PRIMARY KEY", ts: "DATETIME(6)", text: "VARCHAR(100)"},
	"sqlite":   {serial: "INTEGER PRIMARY KEY", ts: "TIMESTAMP", text: "TEXT"},
}
