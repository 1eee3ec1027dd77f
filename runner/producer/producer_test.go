package producer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// deliveries collects what OnDelivery reports.
type deliveries struct {
	mu     sync.Mutex
	ok     int
	failed []error
	offset map[*Record]int64
	done   chan struct{} // a token per report
}

func newDeliveries() *deliveries {
	return &deliveries{offset: make(map[*Record]int64), done: make(chan struct{}, 1<<16)}
}

func (d *deliveries) report(recs []*Record, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err != nil {
		for range recs {
			d.failed = append(d.failed, err)
		}
	} else {
		d.ok += len(recs)
		for _, r := range recs {
			d.offset[r] = r.Offset
		}
	}
	d.done <- struct{}{}
}

// wait blocks until n records were reported, one way or the other.
func (d *deliveries) wait(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		d.mu.Lock()
		got := d.ok + len(d.failed)
		d.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-d.done:
		case <-deadline:
			t.Fatalf("only %d of %d records reported", got, n)
		}
	}
}

func testConfig() *sarama.Config {
	c := sarama.NewConfig()
	c.Version = sarama.V2_8_0_0
	c.Producer.RequiredAcks = sarama.WaitForAll
	c.Net.MaxOpenRequests = 5
	c.Producer.Retry.Max = 1000
	c.Producer.Retry.Backoff = 10 * time.Millisecond
	c.Producer.Flush.Frequency = time.Millisecond
	c.Producer.Flush.Bytes = 4096 // many small batches: more requests, more chances to go wrong
	c.Metadata.Retry.Backoff = 10 * time.Millisecond
	return c
}

func start(t *testing.T, addr string, cfg *sarama.Config, d *deliveries, timeout time.Duration) *Producer {
	t.Helper()
	return startWith(t, addr, Options{Config: cfg, Idempotent: true, OnDelivery: d.report, DeliveryTimeout: timeout})
}

func startWith(t *testing.T, addr string, opts Options) *Producer {
	t.Helper()
	p, err := New([]string{addr}, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		p.Close(ctx)
	})
	return p
}

func records(topic string, n int) []*Record {
	recs := make([]*Record, n)
	now := time.Now()
	for i := range recs {
		recs[i] = &Record{Topic: topic, Partition: -1, Value: fmt.Appendf(nil, "value-%06d-%s", i, strings.Repeat("x", i%50)), Timestamp: now}
	}
	return recs
}

// sendAll sends recs in chunks, as the source loop does.
func sendAll(t *testing.T, p *Producer, recs []*Record, chunk int) {
	t.Helper()
	for len(recs) > 0 {
		n := min(chunk, len(recs))
		if got, err := p.Send(context.Background(), recs[:n]...); err != nil || got != n {
			t.Fatalf("Send = %d, %v; want %d, nil", got, err, n)
		}
		recs = recs[n:]
	}
}

// consume reads a partition from the start to its end.
func consume(t *testing.T, addr, topic string, partition int32) []*sarama.ConsumerMessage {
	t.Helper()
	cfg := sarama.NewConfig()
	cfg.Version = sarama.V2_8_0_0
	client, err := sarama.NewClient([]string{addr}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	end, err := client.GetOffset(topic, partition, sarama.OffsetNewest)
	if err != nil {
		t.Fatal(err)
	}
	var out []*sarama.ConsumerMessage
	if end == 0 {
		return out
	}
	c, err := sarama.NewConsumerFromClient(client)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pc, err := c.ConsumePartition(topic, partition, sarama.OffsetOldest)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	for int64(len(out)) < end {
		select {
		case m := <-pc.Messages():
			out = append(out, m)
		case <-time.After(10 * time.Second):
			t.Fatalf("consumed %d of %d", len(out), end)
		}
	}
	return out
}

// checkExactly asserts the partition holds exactly recs, in order, each at
// the offset its delivery reported.
func checkExactly(t *testing.T, addr string, recs []*Record, d *deliveries) {
	t.Helper()
	got := consume(t, addr, recs[0].Topic, 0)
	if len(got) != len(recs) {
		t.Fatalf("partition holds %d records, want %d (duplicates or losses)", len(got), len(recs))
	}
	for i, m := range got {
		if string(m.Value) != string(recs[i].Value) {
			t.Fatalf("offset %d holds %q, want %q: order broken", m.Offset, m.Value, recs[i].Value)
		}
		if off, ok := d.offset[recs[i]]; ok && off >= 0 && off != m.Offset {
			t.Fatalf("record %d reported at offset %d, is at %d", i, off, m.Offset)
		}
	}
}

func TestDeliversEverythingInOrder(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	d := newDeliveries()
	p := start(t, addr, testConfig(), d, 0)
	recs := records("ordered", 5000)
	recs[7].Key = []byte("key")
	recs[7].Partition = 0
	recs[8].Headers = []sarama.RecordHeader{{Key: []byte("h"), Value: []byte("v")}, {Key: []byte("empty")}}
	recs[9].Value = nil
	recs[10].Timestamp = recs[10].Timestamp.Add(-time.Hour) // deltas may be negative
	sendAll(t, p, recs, 333)
	d.wait(t, len(recs))
	if len(d.failed) > 0 {
		t.Fatalf("failures: %v", d.failed[0])
	}
	checkExactly(t, addr, recs, d)
	got := consume(t, addr, "ordered", 0)
	if string(got[7].Key) != "key" || len(got[8].Headers) != 2 || string(got[8].Headers[0].Value) != "v" || got[9].Value != nil {
		t.Fatalf("key, headers or null value lost: %+v %+v %+v", got[7], got[8], got[9])
	}
	for _, i := range []int{0, 10, 4999} {
		if got[i].Timestamp.UnixMilli() != recs[i].Timestamp.UnixMilli() {
			t.Errorf("record %d timestamp %v, want %v", i, got[i].Timestamp, recs[i].Timestamp)
		}
	}
}

func TestPartitionChoice(t *testing.T) {
	_, addr := kafkatest.Cluster(t, kfake.DefaultNumPartitions(4))
	d := newDeliveries()
	p := start(t, addr, testConfig(), d, 0)

	explicit := &Record{Topic: "parts", Partition: 2, Value: []byte("x")}
	// Keys hash with murmur2, as in the Java producer; sarama's murmur2
	// partitioner is the reference.
	keyed := []*Record{
		{Topic: "parts", Partition: -1, Key: []byte("a"), Value: []byte("a")},
		{Topic: "parts", Partition: -1, Key: []byte("b"), Value: []byte("b")},
		{Topic: "parts", Partition: -1, Key: []byte("order-42"), Value: []byte("c")},
	}
	hasher := sarama.NewMurmur2Partitioner("parts")
	sendAll(t, p, append([]*Record{explicit}, keyed...), 10)
	if explicit.Partition != 2 {
		t.Errorf("explicit partition changed to %d", explicit.Partition)
	}
	for _, r := range keyed {
		want, _ := hasher.Partition(&sarama.ProducerMessage{Key: sarama.ByteEncoder(r.Key)}, 4)
		if r.Partition != want {
			t.Errorf("key %q on partition %d, want %d", r.Key, r.Partition, want)
		}
	}

	// Keyless records fill one partition's batch, then move on.
	keyless := records("parts", 200)
	sendAll(t, p, keyless, 200)
	used := map[int32]bool{}
	runs := 1
	for i, r := range keyless {
		used[r.Partition] = true
		if i > 0 && r.Partition != keyless[i-1].Partition {
			runs++
		}
	}
	if len(used) < 2 || runs > 2*len(keyless)*60/4096+2 {
		t.Errorf("keyless records used partitions %v in %d runs: want several partitions, in batch-sized runs", used, runs)
	}

	bad := &Record{Topic: "parts", Partition: 4, Value: []byte("x")}
	n, err := p.Send(context.Background(), &Record{Topic: "parts", Partition: 1}, bad)
	if n != 1 || err == nil || !strings.Contains(err.Error(), "invalid partition 4") {
		t.Fatalf("Send with partition 4 of 4 = %d, %v; want 1 and an invalid partition error", n, err)
	}
	d.wait(t, 1+len(keyed)+len(keyless)+1)
}

func TestRecordTooLarge(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	cfg := testConfig()
	cfg.Producer.MaxMessageBytes = 10000
	p := start(t, addr, cfg, newDeliveries(), 0)
	recs := []*Record{{Topic: "big", Partition: -1, Value: []byte("ok")}, {Topic: "big", Partition: -1, Value: make([]byte, 10000)}}
	n, err := p.Send(context.Background(), recs...)
	if n != 1 || !errors.Is(err, ErrRecordTooLarge) || !strings.Contains(err.Error(), "max.request.size (10000 bytes)") {
		t.Fatalf("Send = %d, %v; want 1 and ErrRecordTooLarge naming max.request.size", n, err)
	}
}

// failProduce makes the broker answer some produce requests with errCode
// for every partition instead of writing them.
func failProduce(c *kfake.Cluster, errCode int16, which func(n int) bool) {
	n := 0
	var mu sync.Mutex
	c.ControlKey(int16(kmsg.Produce), func(req kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		mu.Lock()
		n++
		fail := which(n)
		mu.Unlock()
		if !fail {
			return nil, nil, false
		}
		preq := req.(*kmsg.ProduceRequest)
		resp := preq.ResponseKind().(*kmsg.ProduceResponse)
		for _, rt := range preq.Topics {
			st := kmsg.NewProduceResponseTopic()
			st.Topic = rt.Topic
			for _, rp := range rt.Partitions {
				sp := kmsg.NewProduceResponseTopicPartition()
				sp.Partition = rp.Partition
				sp.ErrorCode = errCode
				st.Partitions = append(st.Partitions, sp)
			}
			resp.Topics = append(resp.Topics, st)
		}
		return resp, nil, true
	})
}

func TestRetriesKeepOrder(t *testing.T) {
	c, addr := kafkatest.Cluster(t)
	failProduce(c, int16(sarama.ErrNotLeaderForPartition), func(n int) bool { return n%3 == 0 })
	d := newDeliveries()
	p := start(t, addr, testConfig(), d, 0)
	recs := records("retried", 3000)
	sendAll(t, p, recs, 100)
	d.wait(t, len(recs))
	if len(d.failed) > 0 {
		t.Fatalf("failures: %v", d.failed[0])
	}
	checkExactly(t, addr, recs, d)
}

// A response lost after the broker wrote the batch makes the producer send
// it again; the broker recognises its sequence numbers and keeps one copy.
func TestLostResponsesAreNotDuplicated(t *testing.T) {
	for _, idempotent := range []bool{true, false} {
		t.Run(fmt.Sprintf("idempotent=%v", idempotent), func(t *testing.T) {
			_, proxy, addr := kafkatest.ClusterBehindProxy(t)
			d := newDeliveries()
			p := startWith(t, addr, Options{Config: testConfig(), Idempotent: idempotent, OnDelivery: d.report})
			warm := records("lost", 1)
			sendAll(t, p, warm, 1)
			d.wait(t, 1)
			proxy.LoseProduceResponses(3)
			recs := records("lost", 2000)
			sendAll(t, p, recs, 50)
			d.wait(t, 1+len(recs))
			if proxy.Lost() == 0 {
				t.Fatal("no response was lost")
			}
			got := consume(t, addr, "lost", 0)
			if idempotent {
				checkExactly(t, addr, append(warm, recs...), d)
			} else if len(got) <= 1+len(recs) {
				// Without sequence numbers the broker cannot tell a resent
				// batch: this proves the test sees duplicates when there are.
				t.Fatalf("without idempotence %d records, want duplicates beyond %d", len(got), 1+len(recs))
			}
		})
	}
}

func TestConnectionsCutMidStream(t *testing.T) {
	_, proxy, addr := kafkatest.ClusterBehindProxy(t)
	d := newDeliveries()
	p := start(t, addr, testConfig(), d, 0)
	recs := records("cut", 6000)
	for i := 0; i < len(recs); i += 1000 {
		sendAll(t, p, recs[i:i+1000], 100)
		proxy.CutAll()
	}
	d.wait(t, len(recs))
	if len(d.failed) > 0 {
		t.Fatalf("failures: %v", d.failed[0])
	}
	checkExactly(t, addr, recs, d)
}

// A batch the broker rejects fails alone: the batches behind it take over
// its sequence numbers and are written.
func TestRejectedBatchFailsAlone(t *testing.T) {
	c, addr := kafkatest.Cluster(t)
	failProduce(c, int16(sarama.ErrInvalidRecord), func(n int) bool { return n == 2 })
	d := newDeliveries()
	cfg := testConfig()
	cfg.Producer.Flush.Frequency = 50 * time.Millisecond // batches close full before the first is sent
	p := start(t, addr, cfg, d, 0)
	warm := records("rejected", 1)
	sendAll(t, p, warm, 1) // the broker now expects this producer's next sequence number
	d.wait(t, 1)
	recs := records("rejected", 1000)
	sendAll(t, p, recs, 1000)
	d.wait(t, 1+len(recs))
	if len(d.failed) == 0 || !errors.Is(d.failed[0], sarama.ErrInvalidRecord) || !strings.Contains(d.failed[0].Error(), "topic rejected partition 0") {
		t.Fatalf("failures %v, want the first batch rejected with INVALID_RECORD naming topic and partition", d.failed)
	}
	for _, err := range d.failed {
		if !errors.Is(err, sarama.ErrInvalidRecord) {
			t.Fatalf("a later batch failed too: %v", err)
		}
	}
	got := consume(t, addr, "rejected", 0)[1:]
	if len(got)+len(d.failed) != len(recs) {
		t.Fatalf("%d written + %d failed, want %d", len(got), len(d.failed), len(recs))
	}
	skipped := len(d.failed)
	for i, m := range got {
		if string(m.Value) != string(recs[skipped+i].Value) {
			t.Fatalf("offset %d holds %q, want %q", m.Offset, m.Value, recs[skipped+i].Value)
		}
	}
}

func TestDeliveryTimeout(t *testing.T) {
	c, addr := kafkatest.Cluster(t)
	failProduce(c, int16(sarama.ErrNotEnoughReplicas), func(int) bool { return true })
	d := newDeliveries()
	p := start(t, addr, testConfig(), d, 300*time.Millisecond)
	sendAll(t, p, records("stuck", 10), 10)
	d.wait(t, 10)
	if d.ok != 0 || !strings.Contains(d.failed[0].Error(), "delivery.timeout.ms (300ms)") || !errors.Is(d.failed[0], sarama.ErrNotEnoughReplicas) {
		t.Fatalf("ok %d, failures %v; want every record failed naming delivery.timeout.ms and the last error", d.ok, d.failed)
	}
}

func TestCloseSendsWhatIsQueued(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	cfg := testConfig()
	cfg.Producer.Flush.Frequency = time.Hour
	cfg.Producer.Flush.Bytes = 1 << 20
	d := newDeliveries()
	p, err := New([]string{addr}, Options{Config: cfg, Idempotent: true, OnDelivery: d.report})
	if err != nil {
		t.Fatal(err)
	}
	recs := records("closing", 10)
	sendAll(t, p, recs, 10)
	if err := p.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d.ok != 10 {
		t.Fatalf("%d records delivered by Close, want 10", d.ok)
	}
	if _, err := p.Send(context.Background(), records("closing", 1)...); !errors.Is(err, ErrClosed) {
		t.Fatalf("Send after Close = %v, want ErrClosed", err)
	}
	checkExactly(t, addr, recs, d)
}

func TestCloseGivesUpAtDeadline(t *testing.T) {
	c, addr := kafkatest.Cluster(t)
	failProduce(c, int16(sarama.ErrNotEnoughReplicas), func(int) bool { return true })
	d := newDeliveries()
	p, err := New([]string{addr}, Options{Config: testConfig(), Idempotent: true, OnDelivery: d.report})
	if err != nil {
		t.Fatal(err)
	}
	sendAll(t, p, records("never", 5), 5)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := p.Close(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Close = %v, want the deadline", err)
	}
	if d.ok != 0 || len(d.failed) != 5 || !errors.Is(d.failed[0], ErrClosed) {
		t.Fatalf("ok %d, failures %v; want 5 records failed with ErrClosed", d.ok, d.failed)
	}
}

func TestSequenceWraps(t *testing.T) {
	for _, c := range []struct {
		seq  int32
		n    int
		want int32
	}{
		{0, 5, 5},
		{2147483645, 5, 2},
		{2147483647, 1, 0},
		{3, -5, 2147483646},
	} {
		if got := addSequence(c.seq, c.n); got != c.want {
			t.Errorf("addSequence(%d, %d) = %d, want %d", c.seq, c.n, got, c.want)
		}
	}
}
