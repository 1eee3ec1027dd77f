package runner

import (
	"context"
	"maps"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// growingSource runs one task per "table" it knows of, and asks for task
// reconfiguration when told of a new one, as the JDBC source does.
type growingSource struct {
	mu     sync.Mutex
	cc     connectors.ConnectorContext
	cfg    map[string]string
	tables int
}

func (c *growingSource) Config() *config.Def { return countingDef }
func (c *growingSource) Start(_ context.Context, cc connectors.ConnectorContext, v config.Values) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cc, c.cfg = cc, v.Raw()
	return nil
}
func (c *growingSource) TaskConfigs(max int) ([]map[string]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []map[string]string
	for i := range min(c.tables, max) {
		tc := maps.Clone(c.cfg)
		tc["table"] = strconv.Itoa(i)
		out = append(out, tc)
	}
	return out, nil
}
func (c *growingSource) Stop(context.Context) error     { return nil }
func (c *growingSource) NewTask() connectors.SourceTask { return &countingTask{} }

func (c *growingSource) addTable() {
	c.mu.Lock()
	c.tables++
	cc := c.cc
	c.mu.Unlock()
	cc.RequestTaskReconfiguration()
}

func TestRequestTaskReconfiguration(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	src := &growingSource{tables: 1}
	reg := testRegistry(t, &collectingSink{})
	if err := reg.Register(connectors.Plugin{Class: "test.GrowingSourceConnector", Kind: connectors.KindSource, Def: countingDef,
		NewSource: func() connectors.SourceConnector { return src }}); err != nil {
		t.Fatal(err)
	}
	cfg := map[string]string{"name": "grow", "connector.class": "GrowingSource", "tasks.max": "3", "topic": "out", "count": "0"}
	w, _ := runWorker(t, Options{WorkerFile: "worker.properties", WorkerProps: workerProps(addr, filepath.Join(t.TempDir(), "o")),
		Connectors: []config.ConnectorFile{{Path: "grow.properties", Name: "grow", Config: cfg}},
		Registry:   reg, Logger: testLogger(t)})
	// Tasks fails until the worker has started its connectors.
	tasks := func() []TaskInfo { ts, _ := w.Tasks("grow"); return ts }
	eventually(t, "one task", func() bool { return len(tasks()) == 1 })
	src.addTable()
	eventually(t, "two tasks after a reconfiguration request", func() bool { return len(tasks()) == 2 })
	if got := tasks()[1].Config["table"]; got != "1" {
		t.Errorf("second task's table = %q, want 1", got)
	}
	// Asking again with the same configs changes nothing.
	src.mu.Lock()
	cc := src.cc
	src.mu.Unlock()
	cc.RequestTaskReconfiguration()
	st, err := w.Status("grow")
	if err != nil || len(st.Tasks) != 2 {
		t.Fatalf("status %+v, %v", st, err)
	}
}
