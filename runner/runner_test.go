package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/offsets"
)

// The runner is tested with small in-test plugins so that these tests pin
// the runtime's contract (offsets, flush-before-commit, stop) on a real
// Kafka-protocol broker, independent of any one connector.

type countingSource struct{ cfg map[string]string }

var countingDef = &config.Def{Keys: []config.Key{
	{Name: "topic", Type: config.String, Required: true},
	{Name: "count", Type: config.Int, Default: int32(10)},
	{Name: "pace.ms", Type: config.Int, Default: int32(0)}, // a pause between polls of 100 records
}}

func (c *countingSource) Config() *config.Def { return countingDef }
func (c *countingSource) Start(_ context.Context, _ connectors.ConnectorContext, v config.Values) error {
	c.cfg = v.Raw()
	return nil
}
func (c *countingSource) TaskConfigs(int) ([]map[string]string, error) {
	return []map[string]string{c.cfg}, nil
}
func (c *countingSource) Stop(context.Context) error     { return nil }
func (c *countingSource) NewTask() connectors.SourceTask { return &countingTask{} }

// countingTask emits "value-<n>" for n from its stored offset up to count.
type countingTask struct {
	topic string
	next  int64
	count int64
	pace  time.Duration
}

var countingPartition = map[string]any{"stream": "numbers"}

func (t *countingTask) Start(ctx context.Context, tc connectors.SourceTaskContext, cfg map[string]string) error {
	t.topic = cfg["topic"]
	n, err := strconv.ParseInt(cfg["count"], 10, 64)
	if err != nil {
		return err
	}
	t.count = n
	if ms, err := strconv.Atoi(cfg["pace.ms"]); err == nil {
		t.pace = time.Duration(ms) * time.Millisecond
	}
	off, err := tc.Offset(ctx, countingPartition)
	if err != nil {
		return err
	}
	if off != nil {
		t.next = off["n"].(int64) + 1
	}
	return nil
}

func (t *countingTask) Poll(ctx context.Context) ([]connectors.SourceRecord, error) {
	if t.next >= t.count {
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
		return nil, nil
	}
	if t.pace > 0 {
		select {
		case <-ctx.Done():
			return nil, nil
		case <-time.After(t.pace):
		}
	}
	var out []connectors.SourceRecord
	for ; t.next < t.count && len(out) < 100; t.next++ {
		out = append(out, connectors.SourceRecord{
			Record: connectors.Record{
				Topic: t.topic, Partition: -1,
				Value: connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: fmt.Sprintf("value-%d", t.next)},
			},
			SourcePartition: countingPartition,
			SourceOffset:    map[string]any{"n": t.next},
		})
	}
	return out, nil
}

func (t *countingTask) Stop(context.Context) error { return nil }

// collectingSink keeps what it was given; flushed holds only what Flush saw.
// Its connector splits into up to tasks tasks, all putting into it.
type collectingSink struct {
	tasks     int
	mu        sync.Mutex
	put       []string
	topics    []string // the topic of each put record
	flushed   []string
	flushErr  error
	flushes   int
	committed map[connectors.TopicPartition]int64
}

type sinkConnector struct {
	cfg  map[string]string
	sink *collectingSink
}

func (c *sinkConnector) Config() *config.Def { return &config.Def{} }
func (c *sinkConnector) Start(_ context.Context, _ connectors.ConnectorContext, v config.Values) error {
	c.cfg = v.Raw()
	return nil
}
func (c *sinkConnector) TaskConfigs(max int) ([]map[string]string, error) {
	out := []map[string]string{c.cfg}
	for len(out) < min(max, c.sink.tasks) {
		out = append(out, maps.Clone(c.cfg))
	}
	return out, nil
}
func (c *sinkConnector) Stop(context.Context) error   { return nil }
func (c *sinkConnector) NewTask() connectors.SinkTask { return c.sink }

func (s *collectingSink) Start(context.Context, connectors.SinkTaskContext, map[string]string) error {
	return nil
}
func (s *collectingSink) Put(_ context.Context, rs []connectors.SinkRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range rs {
		s.put = append(s.put, r.Value.Value.(string))
		s.topics = append(s.topics, r.Topic)
	}
	return nil
}
func (s *collectingSink) Flush(_ context.Context, offs map[connectors.TopicPartition]int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushes++
	if s.flushErr != nil {
		return s.flushErr
	}
	s.flushed = append(s.flushed[:0], s.put...)
	s.committed = offs
	return nil
}
func (s *collectingSink) Stop(context.Context) error { return nil }

func (s *collectingSink) snapshot() (put, flushed []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.put...), append([]string(nil), s.flushed...)
}

// stringConverter is the plainest converter: strings to UTF-8 and back.
type stringConverter struct{}

func (stringConverter) FromConnect(_ context.Context, _ string, _ connectors.Headers, v connectors.SchemaAndValue) ([]byte, error) {
	if v.Value == nil {
		return nil, nil
	}
	s, ok := v.Value.(string)
	if !ok {
		return nil, fmt.Errorf("not a string: %T", v.Value)
	}
	return []byte(s), nil
}
func (stringConverter) ToConnect(_ context.Context, _ string, _ connectors.Headers, b []byte) (connectors.SchemaAndValue, error) {
	if b == nil {
		return connectors.SchemaAndValue{Schema: connectors.OptionalStringSchema}, nil
	}
	return connectors.SchemaAndValue{Schema: connectors.OptionalStringSchema, Value: string(b)}, nil
}
func (stringConverter) FromConnectHeader(ctx context.Context, topic, _ string, v connectors.SchemaAndValue) ([]byte, error) {
	return stringConverter{}.FromConnect(ctx, topic, nil, v)
}
func (stringConverter) ToConnectHeader(ctx context.Context, topic, _ string, b []byte) (connectors.SchemaAndValue, error) {
	return stringConverter{}.ToConnect(ctx, topic, nil, b)
}

func testRegistry(t *testing.T, sink *collectingSink) *connectors.Registry {
	t.Helper()
	reg := connectors.NewRegistry()
	must := func(p connectors.Plugin) {
		if err := reg.Register(p); err != nil {
			t.Fatal(err)
		}
	}
	must(connectors.Plugin{Class: "test.CountingSourceConnector", Kind: connectors.KindSource, Def: countingDef,
		NewSource: func() connectors.SourceConnector { return &countingSource{} }})
	must(connectors.Plugin{Class: "test.CollectingSinkConnector", Kind: connectors.KindSink, Def: &config.Def{},
		NewSink: func() connectors.SinkConnector { return &sinkConnector{sink: sink} }})
	must(connectors.Plugin{Class: "org.apache.kafka.connect.storage.StringConverter", Kind: connectors.KindConverter, Def: &config.Def{},
		NewConverter: func(map[string]string) (connectors.Converter, error) { return stringConverter{}, nil }})
	must(connectors.Plugin{Class: "org.apache.kafka.connect.storage.SimpleHeaderConverter", Kind: connectors.KindHeaderConverter, Def: &config.Def{},
		NewHeaderConverter: func(map[string]string) (connectors.HeaderConverter, error) { return stringConverter{}, nil }})
	return reg
}

func workerProps(addr, offsetsFile string) map[string]string {
	return map[string]string{
		"bootstrap.servers":                 addr,
		"key.converter":                     "StringConverter",
		"value.converter":                   "StringConverter",
		"offset.storage.file.filename":      offsetsFile,
		"offset.flush.interval.ms":          "100",
		"task.shutdown.graceful.timeout.ms": "10000",
	}
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// runWorker starts a worker and returns it with a function that stops it
// and waits; the test's end stops it too.
func runWorker(t *testing.T, opts Options) (w *Worker, stop func()) {
	t.Helper()
	w, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return w, stop
}

// sinkOptions configures a worker running the collecting sink over topics,
// with any further connector keys.
func sinkOptions(t *testing.T, addr string, sink *collectingSink, topics string, extra map[string]string) Options {
	cfg := map[string]string{"name": "collect", "connector.class": "test.CollectingSinkConnector"}
	if topics != "" {
		cfg["topics"] = topics
	}
	maps.Copy(cfg, extra)
	return Options{WorkerFile: "worker.properties", WorkerProps: workerProps(addr, filepath.Join(t.TempDir(), "o")),
		Connectors: []config.ConnectorFile{{Path: "sink.properties", Name: "collect", Config: cfg}},
		Registry:   testRegistry(t, sink), Logger: testLogger(t)}
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func consumeAll(t *testing.T, addr, topic string, want int) []string {
	t.Helper()
	var out []string
	for _, m := range consumeRecords(t, addr, topic, want) {
		out = append(out, string(m.Value))
	}
	return out
}

func readOffset(t *testing.T, file, connector string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	all, err := offsets.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all[connector] {
		if partitionKey(e.Partition) == partitionKey(countingPartition) {
			return e.Offset
		}
	}
	return nil
}

func TestSourceDeliversAndStoresOffsetsThenResumes(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	dir := t.TempDir()
	offsetsFile := filepath.Join(dir, "connect.offsets")
	conn := config.ConnectorFile{Path: "numbers.properties", Name: "numbers", Config: map[string]string{
		"name": "numbers", "connector.class": "CountingSource", "topic": "numbers", "count": "250",
	}}
	opts := Options{WorkerFile: "worker.properties", WorkerProps: workerProps(addr, offsetsFile),
		Connectors: []config.ConnectorFile{conn}, Registry: testRegistry(t, nil), Logger: testLogger(t)}

	_, stop := runWorker(t, opts)
	got := consumeAll(t, addr, "numbers", 250)
	for i, v := range got {
		if want := fmt.Sprintf("value-%d", i); v != want {
			t.Fatalf("record %d = %q, want %q", i, v, want)
		}
	}
	stop()
	if off := readOffset(t, offsetsFile, "numbers"); off == nil || off["n"] != int64(249) {
		t.Fatalf("stored offset = %v, want n=249", off)
	}

	// A restart with more to read resumes after the stored offset: no
	// record is sent twice after a clean stop.
	conn.Config["count"] = "300"
	opts.Connectors = []config.ConnectorFile{conn}
	_, stop = runWorker(t, opts)
	got = consumeAll(t, addr, "numbers", 300)
	stop()
	for i, v := range got {
		if want := fmt.Sprintf("value-%d", i); v != want {
			t.Fatalf("after restart record %d = %q, want %q", i, v, want)
		}
	}
	if off := readOffset(t, offsetsFile, "numbers"); off == nil || off["n"] != int64(299) {
		t.Fatalf("stored offset = %v, want n=299", off)
	}
}

func TestSinkCommitsOnlyWhatFlushMadeDurable(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	var values []string
	for i := range 120 {
		values = append(values, fmt.Sprintf("line-%d", i))
	}
	kafkatest.Produce(t, addr, "lines", values...)

	sink := &collectingSink{}
	opts := sinkOptions(t, addr, sink, "lines", nil)
	_, stop := runWorker(t, opts)
	eventually(t, "every record flushed", func() bool { _, f := sink.snapshot(); return len(f) == 120 })
	eventually(t, "offsets committed", func() bool { return kafkatest.CommittedOffset(t, addr, "connect-collect", "lines") == 120 })
	stop()
	put, _ := sink.snapshot()
	if strings.Join(put, ",") != strings.Join(values, ",") {
		t.Fatalf("sink got %v", put)
	}
}

func TestSinkFlushFailureCommitsNothing(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	kafkatest.Produce(t, addr, "lines", "a", "b", "c")
	sink := &collectingSink{flushErr: errors.New("disk full")}
	opts := sinkOptions(t, addr, sink, "lines", nil)
	w, stop := runWorker(t, opts)
	eventually(t, "the task to fail", func() bool {
		for _, s := range w.status.snapshot() {
			if s.State == StateFailed {
				return true
			}
		}
		return false
	})
	stop()
	if off := kafkatest.CommittedOffset(t, addr, "connect-collect", "lines"); off > 0 {
		t.Fatalf("committed offset %d although no flush succeeded", off)
	}
}

func TestNewReportsEveryProblemWithFileAndKey(t *testing.T) {
	reg := testRegistry(t, nil)
	opts := Options{
		WorkerFile:  "worker.properties",
		WorkerProps: map[string]string{"key.converter": "NoSuchConverter"},
		Connectors: []config.ConnectorFile{
			{Path: "a.properties", Name: "a", Config: map[string]string{"name": "a", "connector.class": "CountingSource", "tasks.max": "abc", "topic": "t"}},
			{Path: "b.properties", Name: "b", Config: map[string]string{"name": "b", "connector.class": "Counting Sourc"}},
			{Path: "c.properties", Name: "c", Config: map[string]string{"name": "c", "connector.class": "CountingSource"}},
		},
		Registry: reg,
	}
	_, err := New(opts)
	if err == nil {
		t.Fatal("New accepted invalid configuration")
	}
	if !errors.Is(err, ErrWorkerConfig) || !errors.Is(err, ErrConnectorConfig) {
		t.Fatalf("error %v must wrap both ErrWorkerConfig and ErrConnectorConfig", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"worker.properties: key.converter",
		"worker.properties: value.converter",
		"worker.properties: offset.storage.file.filename",
		"a.properties: tasks.max",
		"b.properties: connector.class",
		"CountingSource",
		"c.properties: topic",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not mention %q:\n%s", want, msg)
		}
	}
}

func TestRunGivesUpOnUnreachableKafka(t *testing.T) {
	props := workerProps("127.0.0.1:1", filepath.Join(t.TempDir(), "o"))
	props["bootstrap.timeout.ms"] = "500"
	w, err := New(Options{WorkerFile: "w", WorkerProps: props, Registry: testRegistry(t, nil)})
	if err != nil {
		t.Fatal(err)
	}
	err = w.Run(context.Background())
	if !errors.Is(err, ErrKafkaConnect) || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Fatalf("Run = %v, want ErrKafkaConnect naming the address", err)
	}
}

func TestRunRefusesCorruptOffsetsFile(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	file := filepath.Join(t.TempDir(), "connect.offsets")
	corrupt := []byte("{not json")
	if err := os.WriteFile(file, corrupt, 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := New(Options{WorkerFile: "w", WorkerProps: workerProps(addr, file), Registry: testRegistry(t, nil)})
	if err != nil {
		t.Fatal(err)
	}
	err = w.Run(context.Background())
	if !errors.Is(err, ErrStart) || !strings.Contains(err.Error(), file) {
		t.Fatalf("Run = %v, want ErrStart naming %s", err, file)
	}
	if got, _ := os.ReadFile(file); string(got) != string(corrupt) {
		t.Fatalf("offsets file changed to %q", got)
	}
}

func TestSinkSubscribesByRegex(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	kafkatest.Produce(t, addr, "logs-a", "a1", "a2")
	kafkatest.Produce(t, addr, "logs-b", "b1")
	kafkatest.Produce(t, addr, "other", "o1")
	sink := &collectingSink{}
	opts := sinkOptions(t, addr, sink, "", map[string]string{"topics.regex": "logs-.*"})
	_, stop := runWorker(t, opts)
	eventually(t, "both matching topics flushed", func() bool { _, f := sink.snapshot(); return len(f) == 3 })
	stop()
	put, _ := sink.snapshot()
	slices.Sort(put)
	if strings.Join(put, ",") != "a1,a2,b1" {
		t.Fatalf("sink got %v, want the records of logs-a and logs-b only", put)
	}
}

func TestSinkTasksShareThePartitions(t *testing.T) {
	_, addr := kafkatest.Cluster(t, kfake.SeedTopics(4, "wide"))
	var values []string
	for i := range 40 {
		values = append(values, fmt.Sprintf("v%02d", i))
	}
	kafkatest.Produce(t, addr, "wide", values...)
	sink := &collectingSink{tasks: 2}
	opts := sinkOptions(t, addr, sink, "wide", map[string]string{"tasks.max": "2"})
	w, stop := runWorker(t, opts)
	eventually(t, "every record put", func() bool { p, _ := sink.snapshot(); return len(p) >= 40 })
	running := 0
	for _, s := range w.status.snapshot() {
		if s.State == StateRunning {
			running++
		}
	}
	stop()
	if running != 2 {
		t.Errorf("%d tasks running, want 2", running)
	}
	put, _ := sink.snapshot()
	slices.Sort(put)
	put = slices.Compact(put)
	if len(put) != 40 {
		t.Errorf("got %d distinct records, want 40", len(put))
	}
}
