package runner

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// payloadSource emits b.N records of 100 bytes, like a file of 100-byte lines.
type payloadSource struct {
	countingSource
	n int
}

type payloadTask struct {
	topic string
	left  int
	next  int64
	line  string
}

func (t *payloadTask) Start(_ context.Context, _ connectors.SourceTaskContext, cfg map[string]string) error {
	t.topic = cfg["topic"]
	t.line = strings.Repeat("x", 99)
	return nil
}

func (t *payloadTask) Poll(ctx context.Context) ([]connectors.SourceRecord, error) {
	if t.left == 0 {
		<-ctx.Done()
		return nil, nil
	}
	n := min(t.left, 2000)
	out := make([]connectors.SourceRecord, n)
	for i := range out {
		t.next += 100
		out[i] = connectors.SourceRecord{
			Record:          connectors.Record{Topic: t.topic, Partition: -1, Value: connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: t.line}},
			SourcePartition: countingPartition,
			SourceOffset:    map[string]any{"position": t.next},
		}
	}
	t.left -= n
	return out, nil
}

func (t *payloadTask) Stop(context.Context) error { return nil }

func (c *payloadSource) NewTask() connectors.SourceTask { return &payloadTask{left: c.n} }

// BenchmarkSourcePath measures the runtime's source path (convert, track,
// produce, acknowledge) into an in-process broker, per record.
func BenchmarkSourcePath(b *testing.B) {
	_, addr := kafkatest.Cluster(b)
	reg := testRegistry(&testing.T{}, nil)
	n := b.N
	if err := reg.Register(connectors.Plugin{Class: "test.PayloadSourceConnector", Kind: connectors.KindSource, Def: countingDef,
		NewSource: func() connectors.SourceConnector { return &payloadSource{n: n} }}); err != nil {
		b.Fatal(err)
	}
	conn := config.ConnectorFile{Path: "p", Name: "p", Config: map[string]string{"name": "p", "connector.class": "PayloadSource", "topic": "bench"}}
	w, err := New(Options{WorkerFile: "w", WorkerProps: workerProps(addr, filepath.Join(b.TempDir(), "o")), Connectors: []config.ConnectorFile{conn}, Registry: reg})
	if err != nil {
		b.Fatal(err)
	}
	client, err := sarama.NewClient([]string{addr}, sarama.NewConfig())
	if err != nil {
		b.Fatal(err)
	}
	defer client.Close()
	b.SetBytes(100)
	b.ResetTimer()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	for {
		off, err := client.GetOffset("bench", 0, sarama.OffsetNewest)
		if err == nil && off >= int64(n) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.StopTimer()
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
}
