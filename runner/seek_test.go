package runner

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// seekingSink collects records, resuming each partition it opens at from,
// as a sink that keeps its own position does.
type seekingSink struct {
	*collectingSink
	tc   connectors.SinkTaskContext
	from int64
}

func (s *seekingSink) Start(_ context.Context, tc connectors.SinkTaskContext, _ map[string]string) error {
	s.tc = tc
	return nil
}

func (s *seekingSink) Open(_ context.Context, tps []connectors.TopicPartition) error {
	for _, tp := range tps {
		s.tc.Seek(tp, s.from)
	}
	return nil
}

func (s *seekingSink) Close(context.Context, []connectors.TopicPartition) error { return nil }

type seekingConnector struct{ sinkConnector }

func (c *seekingConnector) NewTask() connectors.SinkTask {
	return &seekingSink{collectingSink: c.sink, from: 2}
}

func TestSinkTaskSeeks(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	kafkatest.Produce(t, addr, "in", "v0", "v1", "v2", "v3")
	sink := &collectingSink{tasks: 1}
	reg := testRegistry(t, sink)
	if err := reg.Register(connectors.Plugin{Class: "test.SeekingSinkConnector", Kind: connectors.KindSink, Def: &config.Def{},
		NewSink: func() connectors.SinkConnector { return &seekingConnector{sinkConnector{sink: sink}} }}); err != nil {
		t.Fatal(err)
	}
	cfg := map[string]string{"name": "seek", "connector.class": "SeekingSink", "topics": "in"}
	runWorker(t, Options{WorkerFile: "worker.properties", WorkerProps: workerProps(addr, filepath.Join(t.TempDir(), "o")),
		Connectors: []config.ConnectorFile{{Path: "seek.properties", Name: "seek", Config: cfg}},
		Registry:   reg, Logger: testLogger(t)})
	eventually(t, "records from offset 2 flushed", func() bool {
		_, flushed := sink.snapshot()
		return len(flushed) >= 2
	})
	if _, flushed := sink.snapshot(); !slices.Equal(flushed, []string{"v2", "v3"}) {
		t.Errorf("flushed %v, want the records from offset 2 on", flushed)
	}
}
