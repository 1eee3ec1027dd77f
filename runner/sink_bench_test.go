package runner

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/builtin"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// fillTopic produces n records of a 99-byte value into topic, as kcat -P
// does with a file of 100-byte lines.
func fillTopic(b *testing.B, addr, topic string, n int) {
	b.Helper()
	cfg := sarama.NewConfig()
	cfg.Producer.Return.Successes = true
	cfg.Producer.RequiredAcks = sarama.WaitForLocal
	cfg.Producer.Flush.Bytes = 1 << 20
	cfg.Producer.Flush.Frequency = 5 * time.Millisecond
	p, err := sarama.NewSyncProducer([]string{addr}, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	value := sarama.ByteEncoder(bytes.Repeat([]byte{'0'}, 99))
	const chunk = 10_000
	msgs := make([]*sarama.ProducerMessage, 0, chunk)
	for left := n; left > 0; {
		msgs = msgs[:0]
		for range min(left, chunk) {
			msgs = append(msgs, &sarama.ProducerMessage{Topic: topic, Partition: 0, Value: value})
		}
		if err := p.SendMessages(msgs); err != nil {
			b.Fatal(err)
		}
		left -= len(msgs)
	}
}

// BenchmarkSinkPath measures the runtime's sink path with the real
// FileStreamSink and StringConverter: consume from an in-process broker,
// convert, Put, Flush and commit, per record of 99 bytes (100 with the
// newline). One op is one record; the broker's own cost is in the profile
// under kfake and kmsg, or outside the label path=sink. Run it with -benchtime=1000000x to match the
// command-line measurement.
func BenchmarkSinkPath(b *testing.B) {
	_, addr := kafkatest.Cluster(b)
	n := b.N
	fillTopic(b, addr, "bench", n)
	reg, err := builtin.New(nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "out.txt")
	conn := config.ConnectorFile{Path: "s", Name: "s", Config: map[string]string{
		"name": "s", "connector.class": "FileStreamSink", "topics": "bench", "file": out,
	}}
	props := workerProps(addr, filepath.Join(b.TempDir(), "o"))
	props["offset.flush.interval.ms"] = "60000" // the Kafka default
	w, err := New(Options{WorkerFile: "w", WorkerProps: props, Connectors: []config.ConnectorFile{conn},
		Registry: reg, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	want := int64(n) * 100
	b.ReportAllocs()
	b.SetBytes(100)
	b.ResetTimer()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	// The label separates our side from the broker's in a CPU profile:
	// go tool pprof -tagfocus=path=sink.
	go pprof.Do(ctx, pprof.Labels("path", "sink"), func(ctx context.Context) { done <- w.Run(ctx) })
	for {
		if fi, err := os.Stat(out); err == nil && fi.Size() >= want {
			break
		}
		select {
		case err := <-done:
			b.Fatalf("worker stopped early: %v", err)
		case <-time.After(time.Millisecond):
		}
	}
	b.StopTimer()
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(out)
	if err != nil {
		b.Fatal(err)
	}
	if fi.Size() != want {
		b.Fatalf("file holds %d bytes, want %d", fi.Size(), want)
	}
}

// batchSink records the values of each Put as one batch.
type batchSink struct {
	mu      sync.Mutex
	batches [][]string
}

func (s *batchSink) Start(context.Context, connectors.SinkTaskContext, map[string]string) error {
	return nil
}
func (s *batchSink) Put(_ context.Context, rs []connectors.SinkRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := make([]string, len(rs))
	for i, r := range rs {
		b[i] = r.Value.Value.(string)
	}
	s.batches = append(s.batches, b)
	return nil
}
func (s *batchSink) Flush(context.Context, map[connectors.TopicPartition]int64) error { return nil }
func (s *batchSink) Stop(context.Context) error                                       { return nil }

func (s *batchSink) snapshot() [][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.batches)
}

// stubSession stands for a group session; the task loop only compares it.
type stubSession struct{ sarama.ConsumerGroupSession }

// TestSinkDeliverCarriesWhatMaxPollLeavesOver hands the loop runs of two
// partitions: a Put never takes more than max.poll.records, the rest of a
// run waits for the next Put, each partition keeps its order, and a run of
// an ended session is dropped without moving its offsets.
func TestSinkDeliverCarriesWhatMaxPollLeavesOver(t *testing.T) {
	sink := &batchSink{}
	s := &sinkTask{
		conn:       &connector{conv: converters{key: stringConverter{}, value: stringConverter{}, header: stringConverter{}}},
		task:       sink,
		maxPoll:    3,
		deliveries: make(chan delivery, deliveryRuns),
	}
	sess, old := &stubSession{}, &stubSession{}
	st := &sinkState{session: sess, consumed: map[connectors.TopicPartition]int64{}, pending: map[connectors.TopicPartition]int64{}}
	run := func(sess sarama.ConsumerGroupSession, p int32, from, n int) delivery {
		d := delivery{session: sess}
		for off := from; off < from+n; off++ {
			d.msgs = append(d.msgs, &sarama.ConsumerMessage{Topic: "t", Partition: p, Offset: int64(off), Value: fmt.Appendf(nil, "%d-%d", p, off)})
		}
		return d
	}
	ctx := context.Background()
	s.deliveries <- run(old, 0, 2, 5) // read before a rebalance: dropped
	s.deliveries <- run(sess, 1, 0, 2)
	if err := s.deliver(ctx, st, run(sess, 0, 0, 2), nil); err != nil {
		t.Fatal(err)
	}
	if got := st.carry.msgs; len(got) != 1 || got[0].Partition != 1 || got[0].Offset != 1 {
		t.Fatalf("carried %v, want the second message of partition 1", got)
	}
	want := map[connectors.TopicPartition]int64{{Topic: "t", Partition: 0}: 2, {Topic: "t", Partition: 1}: 1}
	if !maps.Equal(st.consumed, want) {
		t.Fatalf("consumed %v after the first Put, want %v", st.consumed, want)
	}
	s.deliveries <- run(sess, 1, 2, 3)
	d := st.carry
	st.carry = delivery{}
	if err := s.deliver(ctx, st, d, nil); err != nil {
		t.Fatal(err)
	}
	d = st.carry
	st.carry = delivery{}
	if err := s.deliver(ctx, st, d, nil); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(sink.snapshot())
	if w := "[[0-0 0-1 1-0] [1-1 1-2 1-3] [1-4]]"; got != w {
		t.Errorf("Put batches %s, want %s", got, w)
	}
	want[connectors.TopicPartition{Topic: "t", Partition: 1}] = 5
	if !maps.Equal(st.consumed, want) || len(st.carry.msgs) != 0 || len(s.deliveries) != 0 {
		t.Errorf("consumed %v, carry %d, waiting %d; want %v and nothing left", st.consumed, len(st.carry.msgs), len(s.deliveries), want)
	}
}

// TestSinkPutsAtMostMaxPollRecordsInOrder runs the sink path against a
// broker with a small max.poll.records: every record arrives once, in
// order, in Puts no larger than the setting, and its offsets are committed.
func TestSinkPutsAtMostMaxPollRecordsInOrder(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	const n, maxPoll = 3000, 7
	values := make([]string, n)
	for i := range values {
		values[i] = fmt.Sprintf("v%04d", i)
	}
	kafkatest.Produce(t, addr, "lines", values...)
	sink := &batchSink{}
	reg := testRegistry(t, nil)
	if err := reg.Register(connectors.Plugin{Class: "test.BatchSinkConnector", Kind: connectors.KindSink, Def: &config.Def{},
		NewSink: func() connectors.SinkConnector { return &batchSinkConnector{sink: sink} }}); err != nil {
		t.Fatal(err)
	}
	opts := Options{WorkerFile: "worker.properties", WorkerProps: workerProps(addr, filepath.Join(t.TempDir(), "o")),
		Connectors: []config.ConnectorFile{{Path: "sink.properties", Name: "batch", Config: map[string]string{
			"name": "batch", "connector.class": "test.BatchSinkConnector", "topics": "lines",
			"consumer.override.max.poll.records": fmt.Sprint(maxPoll),
		}}},
		Registry: reg, Logger: testLogger(t)}
	_, stop := runWorker(t, opts)
	count := func() int {
		c := 0
		for _, b := range sink.snapshot() {
			c += len(b)
		}
		return c
	}
	eventually(t, "every record put", func() bool { return count() >= n })
	eventually(t, "offsets committed", func() bool { return kafkatest.CommittedOffset(t, addr, "connect-batch", "lines") == n })
	stop()
	var got []string
	for _, b := range sink.snapshot() {
		if len(b) == 0 || len(b) > maxPoll {
			t.Fatalf("a Put of %d records, want 1 to %d", len(b), maxPoll)
		}
		got = append(got, b...)
	}
	if !slices.Equal(got, values) {
		t.Fatalf("sink got %d records out of order or twice", len(got))
	}
}

type batchSinkConnector struct{ sink *batchSink }

func (c *batchSinkConnector) Config() *config.Def { return &config.Def{} }
func (c *batchSinkConnector) Start(context.Context, connectors.ConnectorContext, config.Values) error {
	return nil
}
func (c *batchSinkConnector) TaskConfigs(int) ([]map[string]string, error) {
	return []map[string]string{{}}, nil
}
func (c *batchSinkConnector) Stop(context.Context) error   { return nil }
func (c *batchSinkConnector) NewTask() connectors.SinkTask { return c.sink }
