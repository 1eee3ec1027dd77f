package runner

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/runner/producer"
)

func TestProducerConfigMapsKafkaKeys(t *testing.T) {
	tests := []struct {
		name   string
		layers []map[string]string
		check  func(producer.Options) bool
	}{
		{"defaults are Kafka's idempotent acks=all", nil, func(o producer.Options) bool {
			c := o.Config
			return c.Producer.RequiredAcks == sarama.WaitForAll && o.Idempotent && !c.Producer.Idempotent && c.Net.MaxOpenRequests == 5 &&
				o.DeliveryTimeout == math.MaxInt32*time.Millisecond &&
				c.Producer.Retry.Max == math.MaxInt32 && c.Producer.Flush.Frequency == 5*time.Millisecond &&
				c.Producer.Flush.Bytes == defaultBatchBytes
		}},
		{"batch.size", []map[string]string{{"batch.size": "16384"}}, func(o producer.Options) bool {
			c := o.Config
			return c.Producer.Flush.Bytes == 16384
		}},
		{"acks=1 needs idempotence off", []map[string]string{{"acks": "1", "enable.idempotence": "false"}}, func(o producer.Options) bool {
			c := o.Config
			return c.Producer.RequiredAcks == sarama.WaitForLocal && !o.Idempotent
		}},
		{"linger, size and compression", []map[string]string{{"linger.ms": "20", "max.request.size": "2000000", "compression.type": "zstd"}}, func(o producer.Options) bool {
			c := o.Config
			return c.Producer.Flush.Frequency == 20*time.Millisecond && c.Producer.MaxMessageBytes == 2000000 && c.Producer.Compression == sarama.CompressionZSTD
		}},
		{"connector override wins over worker", []map[string]string{{"compression.type": "gzip"}, {"compression.type": "lz4"}}, func(o producer.Options) bool {
			c := o.Config
			return c.Producer.Compression == sarama.CompressionLZ4
		}},
		{"retry.backoff.ms replaces the exponential backoff", []map[string]string{{"retry.backoff.ms": "250"}}, func(o producer.Options) bool {
			c := o.Config
			return c.Producer.Retry.Backoff == 250*time.Millisecond && c.Producer.Retry.BackoffFunc == nil
		}},
		{"in flight and delivery timeout", []map[string]string{{"max.in.flight.requests.per.connection": "2", "delivery.timeout.ms": "30000"}}, func(o producer.Options) bool {
			return o.Config.Net.MaxOpenRequests == 2 && o.DeliveryTimeout == 30*time.Second
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
		{"unknown security protocol", func() ([]string, error) {
			_, w, err := producerConfig("id", map[string]string{"security.protocol": "KERBEROS"})
			return w, err
		}, `security.protocol="KERBEROS": expected PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL`, nil},
		{"idempotence allows 5 in flight at most", func() ([]string, error) {
			_, w, err := producerConfig("id", map[string]string{"max.in.flight.requests.per.connection": "6"})
			return w, err
		}, "requires max.in.flight.requests.per.connection to be at most 5", nil},
		{"bad delivery.timeout.ms", func() ([]string, error) {
			_, w, err := producerConfig("id", map[string]string{"delivery.timeout.ms": "soon"})
			return w, err
		}, `delivery.timeout.ms="soon": expected a non-negative number of milliseconds`, nil},
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
