package runner

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// preCommittingSink holds records back as a storage sink does with an open
// file: it declares durable only the records up to the last even offset.
type preCommittingSink struct {
	*collectingSink
	mu      sync.Mutex
	calls   int
	durable int64
}

func (s *preCommittingSink) Put(ctx context.Context, rs []connectors.SinkRecord) error {
	s.mu.Lock()
	for _, r := range rs {
		if r.Offset%2 == 0 {
			s.durable = r.Offset + 1
		}
	}
	s.mu.Unlock()
	return s.collectingSink.Put(ctx, rs)
}

func (s *preCommittingSink) PreCommit(_ context.Context, consumed map[connectors.TopicPartition]int64) (map[connectors.TopicPartition]int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	out := make(map[connectors.TopicPartition]int64)
	for tp := range consumed {
		out[tp] = s.durable
	}
	return out, nil
}

type preCommittingConnector struct {
	sinkConnector
	task *preCommittingSink
}

func (c *preCommittingConnector) NewTask() connectors.SinkTask { return c.task }

// A PreCommitter decides what is committed, and is asked at every commit
// interval even when nothing new was put; Flush is not called.
func TestSinkPreCommit(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	kafkatest.Produce(t, addr, "in", "v0", "v1", "v2", "v3")
	sink := &collectingSink{tasks: 1}
	task := &preCommittingSink{collectingSink: sink}
	reg := testRegistry(t, sink)
	if err := reg.Register(connectors.Plugin{Class: "test.PreCommittingSinkConnector", Kind: connectors.KindSink, Def: &config.Def{},
		NewSink: func() connectors.SinkConnector { return &preCommittingConnector{sinkConnector{sink: sink}, task} }}); err != nil {
		t.Fatal(err)
	}
	cfg := map[string]string{"name": "pre", "connector.class": "PreCommittingSink", "topics": "in"}
	props := workerProps(addr, filepath.Join(t.TempDir(), "o"))
	props["offset.flush.interval.ms"] = "50"
	runWorker(t, Options{WorkerFile: "worker.properties", WorkerProps: props,
		Connectors: []config.ConnectorFile{{Path: "pre.properties", Name: "pre", Config: cfg}},
		Registry:   reg, Logger: testLogger(t)})
	eventually(t, "every record put", func() bool { put, _ := sink.snapshot(); return len(put) == 4 })
	eventually(t, "offset 3 committed", func() bool {
		return kafkatest.CommittedOffset(t, addr, "connect-pre", "in") == 3
	})
	eventually(t, "pre-commits while idle", func() bool {
		task.mu.Lock()
		defer task.mu.Unlock()
		return task.calls >= 5
	})
	if got := kafkatest.CommittedOffset(t, addr, "connect-pre", "in"); got != 3 {
		t.Errorf("committed offset %d, want 3: the record at offset 3 is not durable", got)
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if sink.flushes != 0 {
		t.Errorf("Flush called %d times on a PreCommitter", sink.flushes)
	}
}
