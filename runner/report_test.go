package runner

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// reportingSink hands the records whose value is "bad" to the runtime's
// errant record reporter, as a sink does with records it cannot write.
type reportingSink struct {
	*collectingSink
	tc connectors.SinkTaskContext
}

func (s *reportingSink) Start(_ context.Context, tc connectors.SinkTaskContext, _ map[string]string) error {
	s.tc = tc
	return nil
}

func (s *reportingSink) Put(ctx context.Context, rs []connectors.SinkRecord) error {
	var keep []connectors.SinkRecord
	for _, r := range rs {
		if r.Value.Value != "bad" {
			keep = append(keep, r)
			continue
		}
		if err := s.tc.(connectors.ErrantRecordReporter).Report(ctx, r, errors.New("cannot write bad")); err != nil {
			return err
		}
	}
	return s.collectingSink.Put(ctx, keep)
}

type reportingConnector struct{ sinkConnector }

func (c *reportingConnector) NewTask() connectors.SinkTask {
	return &reportingSink{collectingSink: c.sink}
}

func reportingOptions(t *testing.T, addr string, sink *collectingSink, extra map[string]string) Options {
	opts := sinkOptions(t, addr, sink, "in", extra)
	opts.Connectors[0].Config["connector.class"] = "test.ReportingSinkConnector"
	if err := opts.Registry.Register(connectors.Plugin{Class: "test.ReportingSinkConnector", Kind: connectors.KindSink, Def: &config.Def{},
		NewSink: func() connectors.SinkConnector { return &reportingConnector{sinkConnector{sink: sink}} }}); err != nil {
		t.Fatal(err)
	}
	return opts
}

func TestErrantRecordReporterTolerates(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	kafkatest.Produce(t, addr, "in", "good-1", "bad", "good-2")
	sink := &collectingSink{tasks: 1}
	runWorker(t, reportingOptions(t, addr, sink, map[string]string{
		"errors.tolerance": "all", "errors.deadletterqueue.topic.name": "dlq",
		"errors.deadletterqueue.topic.replication.factor": "1", "errors.deadletterqueue.context.headers.enable": "true",
	}))
	eventually(t, "the good records flushed", func() bool {
		_, flushed := sink.snapshot()
		return len(flushed) == 2
	})
	dead := consumeRecords(t, addr, "dlq", 1)
	h := headers(dead[0])
	if string(dead[0].Value) != "bad" || h["__connect.errors.offset"] != "1" || h["__connect.errors.stage"] != "TASK_PUT" ||
		h["__connect.errors.class.name"] != "test.ReportingSinkConnector" || !strings.Contains(h["__connect.errors.exception.message"], "cannot write bad") {
		t.Errorf("dead letter %q %v", dead[0].Value, h)
	}
	eventually(t, "offsets committed past the reported record", func() bool {
		return kafkatest.CommittedOffset(t, addr, "connect-collect", "in") == 3
	})
}

func TestErrantRecordReporterFailsWithoutTolerance(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	kafkatest.Produce(t, addr, "in", "good-1", "bad")
	sink := &collectingSink{tasks: 1}
	opts := reportingOptions(t, addr, sink, nil)
	opts.WorkerProps["task.restart.enable"] = "false"
	w, _ := runWorker(t, opts)
	eventually(t, "the task failed", func() bool {
		st, err := w.TaskStatus("collect", 0)
		return err == nil && st.State == StateFailed && st.Err != nil && strings.Contains(st.Err.Error(), "cannot write bad")
	})
}
