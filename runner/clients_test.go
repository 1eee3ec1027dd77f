package runner

import (
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"
)

func TestProducerConfigMapsKafkaKeys(t *testing.T) {
	tests := []struct {
		name   string
		layers []map[string]string
		check  func(*sarama.Config) bool
	}{
		{"defaults are Kafka's idempotent acks=all", nil, func(c *sarama.Config) bool {
			return c.Producer.RequiredAcks == sarama.WaitForAll && c.Producer.Idempotent && c.Net.MaxOpenRequests == 1 &&
				c.Producer.Return.Successes && c.Producer.Flush.Frequency == 5*time.Millisecond
		}},
		{"acks=1 needs idempotence off", []map[string]string{{"acks": "1", "enable.idempotence": "false"}}, func(c *sarama.Config) bool {
			return c.Producer.RequiredAcks == sarama.WaitForLocal && !c.Producer.Idempotent
		}},
		{"linger, size and compression", []map[string]string{{"linger.ms": "20", "max.request.size": "2000000", "compression.type": "zstd"}}, func(c *sarama.Config) bool {
			return c.Producer.Flush.Frequency == 20*time.Millisecond && c.Producer.MaxMessageBytes == 2000000 && c.Producer.Compression == sarama.CompressionZSTD
		}},
		{"connector override wins over worker", []map[string]string{{"compression.type": "gzip"}, {"compression.type": "lz4"}}, func(c *sarama.Config) bool {
			return c.Producer.Compression == sarama.CompressionLZ4
		}},
		{"retry.backoff.ms replaces the exponential backoff", []map[string]string{{"retry.backoff.ms": "250"}}, func(c *sarama.Config) bool {
			return c.Producer.Retry.Backoff == 250*time.Millisecond && c.Producer.Retry.BackoffFunc == nil
		}},
		{"idempotence forces one request in flight", []map[string]string{{"max.in.flight.requests.per.connection": "5"}}, func(c *sarama.Config) bool {
			return c.Net.MaxOpenRequests == 1
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, err := producerConfig("id", tt.layers...)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(c) {
				t.Errorf("config does not match for %v", tt.layers)
			}
		})
	}
}

func TestClientConfigErrorsAndWarnings(t *testing.T) {
	tests := []struct {
		name    string
		build   func() ([]string, error)
		wantErr string
		warns   []string
	}{
		{"bad acks", func() ([]string, error) {
			_, w, err := producerConfig("id", map[string]string{"acks": "most"})
			return w, err
		}, `acks="most"`, nil},
		{"acks=1 with idempotence", func() ([]string, error) {
			_, w, err := producerConfig("id", map[string]string{"acks": "1"})
			return w, err
		}, "enable.idempotence=true requires acks=all", nil},
		{"TLS not yet", func() ([]string, error) {
			_, w, err := producerConfig("id", map[string]string{"security.protocol": "SSL"})
			return w, err
		}, "not supported yet", nil},
		{"unknown producer key is a warning", func() ([]string, error) {
			_, w, err := producerConfig("id", map[string]string{"transactional.id": "x"})
			return w, err
		}, "", []string{"transactional.id"}},
		{"bad auto.offset.reset", func() ([]string, error) {
			_, w, err := consumerConfig("id", map[string]string{"auto.offset.reset": "none"})
			return w, err
		}, "expected earliest or latest", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			warns, err := tt.build()
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
			}
			if strings.Join(warns, ",") != strings.Join(tt.warns, ",") {
				t.Errorf("warnings = %v, want %v", warns, tt.warns)
			}
		})
	}
}

func TestConsumerConfigDefaultsAreConnects(t *testing.T) {
	c, _, err := consumerConfig("id", map[string]string{"auto.offset.reset": "latest", "fetch.min.bytes": "100"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Consumer.Offsets.AutoCommit.Enable {
		t.Error("auto commit must be off: offsets follow flushes")
	}
	if c.Consumer.Offsets.Initial != sarama.OffsetNewest || c.Consumer.Fetch.Min != 100 {
		t.Errorf("overrides not applied: initial=%d fetch.min=%d", c.Consumer.Offsets.Initial, c.Consumer.Fetch.Min)
	}
	d, _, _ := consumerConfig("id")
	if d.Consumer.Offsets.Initial != sarama.OffsetOldest {
		t.Error("sink consumers start from the earliest offset by default, as Kafka Connect's")
	}
}

func TestStickyPartitioner(t *testing.T) {
	p := newStickyPartitioner("t")
	explicit := &sarama.ProducerMessage{Metadata: &inflight{partition: 2}}
	if got, _ := p.Partition(explicit, 4); got != 2 {
		t.Errorf("explicit partition: got %d, want 2", got)
	}
	keyed := &sarama.ProducerMessage{Key: sarama.StringEncoder("k"), Metadata: &inflight{partition: -1}}
	first, _ := p.Partition(keyed, 8)
	for range 10 {
		if again, _ := p.Partition(keyed, 8); again != first {
			t.Fatal("a key must always land on the same partition")
		}
	}
	// Keyless records stick to one partition until a batch's worth of bytes went there.
	value := sarama.ByteEncoder(make([]byte, 1000))
	keyless := &sarama.ProducerMessage{Value: value, Metadata: &inflight{partition: -1}}
	start, _ := p.Partition(keyless, 1000)
	for range stickyBatchBytes/1000 - 1 {
		if got, _ := p.Partition(keyless, 1000); got != start {
			t.Fatalf("keyless record moved from %d to %d within one batch", start, got)
		}
	}
}
