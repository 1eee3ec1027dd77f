package producer

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// BenchmarkProduce sends 100-byte records through the producer into an
// in-process broker, 10,000 per Send as the source loop hands them over,
// and waits for every acknowledgement at the end. The broker's own work is in the figure;
// -cpuprofile separates it.
func BenchmarkProduce(b *testing.B) {
	_, addr := kafkatest.Cluster(b)
	var delivered atomic.Int64
	cfg := testConfig()
	cfg.Producer.Flush.Bytes = 256 << 10
	cfg.Producer.Flush.Frequency = 5 * time.Millisecond
	p, err := New([]string{addr}, Options{Config: cfg, Idempotent: true, OnDelivery: func(recs []*Record, err error) {
		if err != nil {
			b.Error(err)
		}
		delivered.Add(int64(len(recs)))
	}})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close(context.Background())
	value := []byte(strings.Repeat("x", 99))
	const chunk = 10000
	recs := make([]Record, chunk)
	ptrs := make([]*Record, chunk)
	b.ReportAllocs()
	b.SetBytes(int64(len(value)))
	sent := 0
	for b.Loop() {
		i := sent % chunk
		recs[i] = Record{Topic: "bench", Partition: -1, Value: value, Timestamp: time.Now()}
		ptrs[i] = &recs[i]
		sent++
		if i == chunk-1 {
			if _, err := p.Send(context.Background(), ptrs...); err != nil {
				b.Fatal(err)
			}
			recs, ptrs = make([]Record, chunk), make([]*Record, chunk) // the sent ones stay the producer's until delivered
		}
	}
	if rest := sent % chunk; rest > 0 {
		if _, err := p.Send(context.Background(), ptrs[:rest]...); err != nil {
			b.Fatal(err)
		}
	}
	for delivered.Load() < int64(sent) {
		time.Sleep(100 * time.Microsecond)
	}
}
