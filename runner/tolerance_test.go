package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// failOn is a transform that fails on records whose value is in bad. While
// retriable is above zero it fails retriably on every record, counting down.
type failOn struct {
	bad       map[string]bool
	retriable *atomic.Int32
}

func (f failOn) Apply(r connectors.Record) (connectors.Record, bool, error) {
	if f.retriable.Load() > 0 {
		f.retriable.Add(-1)
		return r, false, fmt.Errorf("not ready yet: %w", connectors.ErrRetriable)
	}
	if s, _ := r.Value.Value.(string); f.bad[s] {
		return r, false, fmt.Errorf("refusing %q: %w", s, connectors.ErrInvalidData)
	}
	return r, true, nil
}

// errorRegistry is testRegistry plus the failOn transform, configured with
// transforms.<alias>.values, and a source that fails to start failures times.
func errorRegistry(t *testing.T, sink *collectingSink, retriable *atomic.Int32, failures *atomic.Int32) *connectors.Registry {
	reg := testRegistry(t, sink)
	def := &config.Def{Keys: []config.Key{{Name: "values", Type: config.List, Default: []string{}}}}
	err := reg.Register(connectors.Plugin{Class: "test.FailOn", Kind: connectors.KindTransform, Def: def,
		NewTransform: func(v config.Values) (connectors.Transform, error) {
			bad := make(map[string]bool)
			for _, s := range v.List("values") {
				bad[s] = true
			}
			return failOn{bad: bad, retriable: retriable}, nil
		}})
	if err == nil {
		err = reg.Register(connectors.Plugin{Class: "test.FlakySourceConnector", Kind: connectors.KindSource, Def: countingDef,
			NewSource: func() connectors.SourceConnector { return &flakySource{failures: failures} }})
	}
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

type flakySource struct {
	countingSource
	failures *atomic.Int32
}

func (c *flakySource) NewTask() connectors.SourceTask {
	return &flakyTask{failures: c.failures}
}

type flakyTask struct {
	countingTask
	failures *atomic.Int32
}

func (t *flakyTask) Start(ctx context.Context, tc connectors.SourceTaskContext, cfg map[string]string) error {
	if t.failures.Add(-1) >= 0 {
		return errors.New("the source is not there yet")
	}
	return t.countingTask.Start(ctx, tc, cfg)
}

// consumeHeaders reads want records of topic with their headers.
func consumeRecords(t *testing.T, addr, topic string, want int) []*sarama.ConsumerMessage {
	t.Helper()
	consumer, err := sarama.NewConsumer([]string{addr}, sarama.NewConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer consumer.Close()
	pc, err := consumer.ConsumePartition(topic, 0, sarama.OffsetOldest)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	var out []*sarama.ConsumerMessage
	timeout := time.After(30 * time.Second)
	for len(out) < want {
		select {
		case m := <-pc.Messages():
			out = append(out, m)
		case <-timeout:
			t.Fatalf("%s: consumed %d of %d records", topic, len(out), want)
		}
	}
	return out
}

func headers(m *sarama.ConsumerMessage) map[string]string {
	out := make(map[string]string)
	for _, h := range m.Headers {
		out[string(h.Key)] = string(h.Value)
	}
	return out
}

func TestSourceErrorTolerance(t *testing.T) {
	tests := []struct {
		name     string
		extra    map[string]string
		wantDLQ  bool
		headers  bool
		failTask bool
	}{
		{name: "none fails the task", extra: map[string]string{}, failTask: true},
		{name: "all skips", extra: map[string]string{"errors.tolerance": "all", "errors.log.enable": "true", "errors.log.include.messages": "true"}},
		{name: "all with a dead letter queue", wantDLQ: true, extra: map[string]string{"errors.tolerance": "all",
			"errors.deadletterqueue.topic.name": "dlq", "errors.deadletterqueue.topic.replication.factor": "1"}},
		{name: "all with context headers", wantDLQ: true, headers: true, extra: map[string]string{"errors.tolerance": "all",
			"errors.deadletterqueue.topic.name": "dlq", "errors.deadletterqueue.topic.replication.factor": "1",
			"errors.deadletterqueue.context.headers.enable": "true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, addr := kafkatest.Cluster(t)
			dir := t.TempDir()
			cfg := map[string]string{"name": "numbers", "connector.class": "CountingSource", "topic": "numbers", "count": "10",
				"transforms": "fail", "transforms.fail.type": "test.FailOn", "transforms.fail.values": "value-3,value-7"}
			for k, v := range tt.extra {
				cfg[k] = v
			}
			var retriable, failures atomic.Int32
			opts := Options{WorkerFile: "worker.properties", WorkerProps: workerProps(addr, filepath.Join(dir, "connect.offsets")),
				Connectors: []config.ConnectorFile{{Path: "numbers.properties", Name: "numbers", Config: cfg}},
				Registry:   errorRegistry(t, nil, &retriable, &failures), Logger: testLogger(t)}
			opts.WorkerProps["task.restart.enable"] = "false"
			w, _ := runWorker(t, opts)
			if tt.failTask {
				got := consumeAll(t, addr, "numbers", 3)
				if !slices.Equal(got, []string{"value-0", "value-1", "value-2"}) {
					t.Errorf("before the failure: %v", got)
				}
				eventually(t, "the task FAILED", func() bool {
					st, _ := w.Status("numbers")
					return len(st.Tasks) == 1 && st.Tasks[0].State == StateFailed
				})
				return
			}
			got := consumeAll(t, addr, "numbers", 8)
			want := []string{"value-0", "value-1", "value-2", "value-4", "value-5", "value-6", "value-8", "value-9"}
			if !slices.Equal(got, want) {
				t.Errorf("delivered %v, want %v", got, want)
			}
			eventually(t, "the offset past every record", func() bool {
				if _, err := os.Stat(filepath.Join(dir, "connect.offsets")); err != nil {
					return false // not flushed yet
				}
				off := readOffset(t, filepath.Join(dir, "connect.offsets"), "numbers")
				return off != nil && off["n"] == int64(9)
			})
			if !tt.wantDLQ {
				return
			}
			dead := consumeRecords(t, addr, "dlq", 2)
			for i, n := range []int{3, 7} {
				h := headers(dead[i])
				if string(dead[i].Value) != fmt.Sprintf("value-%d", n) || h["__connect.errors.source.topic"] != "numbers" ||
					h["__connect.errors.source.partition"] != `{"stream":"numbers"}` || h["__connect.errors.source.offset"] != fmt.Sprintf(`{"n":%d}`, n) {
					t.Errorf("dead letter %d: %q %v", i, dead[i].Value, h)
				}
				if tt.headers != (h["__connect.errors.stage"] == "TRANSFORMATION") {
					t.Errorf("dead letter %d: context headers %v, asked for: %v", i, h, tt.headers)
				}
				if tt.headers && (h["__connect.errors.connector.name"] != "numbers" || h["__connect.errors.class.name"] != "test.FailOn" ||
					h["__connect.errors.exception.class.name"] != "org.apache.kafka.connect.errors.DataException" ||
					!strings.Contains(h["__connect.errors.exception.message"], fmt.Sprintf(`refusing "value-%d"`, n))) {
					t.Errorf("dead letter %d: context headers %v", i, h)
				}
			}
		})
	}
}

func TestSinkDeadLetterQueue(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	kafkatest.Produce(t, addr, "in", "good-1", "bad", "good-2")
	sink := &collectingSink{tasks: 1}
	var retriable, failures atomic.Int32
	opts := sinkOptions(t, addr, sink, "in", map[string]string{
		"transforms": "fail", "transforms.fail.type": "test.FailOn", "transforms.fail.values": "bad",
		"errors.tolerance": "all", "errors.deadletterqueue.topic.name": "dlq",
		"errors.deadletterqueue.topic.replication.factor": "1", "errors.deadletterqueue.context.headers.enable": "true",
	})
	opts.Registry = errorRegistry(t, sink, &retriable, &failures)
	runWorker(t, opts)
	eventually(t, "the good records flushed", func() bool {
		_, flushed := sink.snapshot()
		return slices.Equal(flushed, []string{"good-1", "good-2"})
	})
	dead := consumeRecords(t, addr, "dlq", 1)
	h := headers(dead[0])
	if string(dead[0].Value) != "bad" || h["__connect.errors.topic"] != "in" || h["__connect.errors.partition"] != "0" ||
		h["__connect.errors.offset"] != "1" || h["__connect.errors.stage"] != "TRANSFORMATION" || h["__connect.errors.task.id"] != "0" {
		t.Errorf("dead letter %q %v", dead[0].Value, h)
	}
	eventually(t, "offsets committed past the bad record", func() bool {
		sink.mu.Lock()
		defer sink.mu.Unlock()
		return sink.committed[connectors.TopicPartition{Topic: "in", Partition: 0}] == 3
	})
}

func TestRetriableFailuresAreRetried(t *testing.T) {
	for _, tt := range []struct {
		timeout string
		want    int // records delivered
	}{
		{"10000", 5},
		{"0", 0},
	} {
		t.Run("errors.retry.timeout="+tt.timeout, func(t *testing.T) {
			_, addr := kafkatest.Cluster(t)
			var retriable, failures atomic.Int32
			retriable.Store(2)
			cfg := map[string]string{"name": "numbers", "connector.class": "CountingSource", "topic": "numbers", "count": "5",
				"transforms": "fail", "transforms.fail.type": "test.FailOn", "errors.retry.timeout": tt.timeout, "errors.retry.delay.max.ms": "10"}
			opts := Options{WorkerFile: "worker.properties", WorkerProps: workerProps(addr, filepath.Join(t.TempDir(), "o")),
				Connectors: []config.ConnectorFile{{Path: "numbers.properties", Name: "numbers", Config: cfg}},
				Registry:   errorRegistry(t, nil, &retriable, &failures), Logger: testLogger(t)}
			opts.WorkerProps["task.restart.enable"] = "false"
			w, _ := runWorker(t, opts)
			if tt.want > 0 {
				consumeAll(t, addr, "numbers", tt.want)
				return
			}
			eventually(t, "the task FAILED", func() bool {
				st, _ := w.Status("numbers")
				return len(st.Tasks) == 1 && st.Tasks[0].State == StateFailed
			})
		})
	}
}

func TestFailedTaskRestarts(t *testing.T) {
	for _, enable := range []string{"true", "false"} {
		t.Run("task.restart.enable="+enable, func(t *testing.T) {
			_, addr := kafkatest.Cluster(t)
			var retriable, failures atomic.Int32
			failures.Store(2)
			cfg := map[string]string{"name": "flaky", "connector.class": "FlakySource", "topic": "flaky", "count": "3"}
			opts := Options{WorkerFile: "worker.properties", WorkerProps: workerProps(addr, filepath.Join(t.TempDir(), "o")),
				Connectors: []config.ConnectorFile{{Path: "flaky.properties", Name: "flaky", Config: cfg}},
				Registry:   errorRegistry(t, nil, &retriable, &failures), Logger: testLogger(t)}
			opts.WorkerProps["task.restart.enable"] = enable
			opts.WorkerProps["task.restart.backoff.ms"] = "20"
			w, _ := runWorker(t, opts)
			if enable == "true" {
				consumeAll(t, addr, "flaky", 3)
				st, _ := w.Status("flaky")
				if len(st.Tasks) != 1 || st.Tasks[0].State != StateRunning {
					t.Errorf("after two failures: %+v", st)
				}
				return
			}
			eventually(t, "the task FAILED", func() bool {
				st, _ := w.Status("flaky")
				return len(st.Tasks) == 1 && st.Tasks[0].State == StateFailed
			})
			time.Sleep(200 * time.Millisecond) // ten backoffs' worth
			if st, _ := w.Status("flaky"); st.Tasks[0].State != StateFailed || failures.Load() != 1 {
				t.Errorf("with restarts off: %+v, %d starts left to fail", st, failures.Load())
			}
		})
	}
}

func TestRestartBackoff(t *testing.T) {
	w := &Worker{}
	vals, err := config.WorkerDef().Parse(map[string]string{
		"bootstrap.servers": "x:1", "key.converter": "a", "value.converter": "b", "offset.storage.file.filename": "f",
		"task.restart.backoff.ms": "100", "task.restart.backoff.max.ms": "1000",
	})
	if err != nil {
		t.Fatal(err)
	}
	w.values = vals
	var got []time.Duration
	last := time.Duration(0)
	for _, ran := range []time.Duration{0, 0, 0, 0, 0, 0, 2 * time.Second, 0} {
		last = w.restartBackoff(last, ran)
		got = append(got, last)
	}
	ms := time.Millisecond
	want := []time.Duration{100 * ms, 200 * ms, 400 * ms, 800 * ms, 1000 * ms, 1000 * ms, 100 * ms, 200 * ms}
	if !slices.Equal(got, want) {
		t.Errorf("backoffs %v, want %v", got, want)
	}
}
