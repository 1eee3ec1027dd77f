package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/IBM/sarama"
)

// clientKey maps one Kafka producer or consumer property onto sarama's config.
// The tables below are the single declaration of which client properties we
// honour; anything else given under producer.* or consumer.* is reported as
// not supported rather than silently dropped.
type clientKey struct {
	name  string
	apply func(c *sarama.Config, v string) error
}

func parseMillis(v string) (time.Duration, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return 0, errors.New("expected a non-negative number of milliseconds")
	}
	return time.Duration(n) * time.Millisecond, nil
}

func parseInt(v string, min int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < min {
		return 0, fmt.Errorf("expected an integer of at least %d", min)
	}
	return n, nil
}

func parseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, errors.New("expected true or false")
}

// commonClientKeys apply to producers, consumers and the admin check alike.
var commonClientKeys = []clientKey{
	{"client.id", func(c *sarama.Config, v string) error { c.ClientID = strings.TrimSpace(v); return nil }},
	{"bootstrap.servers", func(*sarama.Config, string) error { return nil }}, // read separately
	{"security.protocol", func(c *sarama.Config, v string) error {
		if !strings.EqualFold(strings.TrimSpace(v), "PLAINTEXT") {
			return fmt.Errorf("security protocol %q is not supported yet; only PLAINTEXT is", v)
		}
		return nil
	}},
	{"request.timeout.ms", func(c *sarama.Config, v string) error {
		d, err := parseMillis(v)
		c.Net.ReadTimeout, c.Net.WriteTimeout = d, d
		return err
	}},
	{"socket.connection.setup.timeout.ms", func(c *sarama.Config, v string) error {
		d, err := parseMillis(v)
		c.Net.DialTimeout = d
		return err
	}},
	{"metadata.max.age.ms", func(c *sarama.Config, v string) error {
		d, err := parseMillis(v)
		c.Metadata.RefreshFrequency = d
		return err
	}},
	{"retry.backoff.ms", func(c *sarama.Config, v string) error {
		d, err := parseMillis(v)
		c.Producer.Retry.Backoff, c.Metadata.Retry.Backoff, c.Consumer.Retry.Backoff = d, d, d
		c.Producer.Retry.BackoffFunc = nil // an explicit backoff replaces the capped exponential one
		return err
	}},
	{"reconnect.backoff.ms", func(*sarama.Config, string) error { return nil }},
}

var producerKeys = append([]clientKey{
	{"acks", func(c *sarama.Config, v string) error {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "all", "-1":
			c.Producer.RequiredAcks = sarama.WaitForAll
		case "1":
			c.Producer.RequiredAcks = sarama.WaitForLocal
		case "0":
			c.Producer.RequiredAcks = sarama.NoResponse
		default:
			return errors.New("expected all, -1, 0 or 1")
		}
		return nil
	}},
	{"enable.idempotence", func(c *sarama.Config, v string) error {
		b, err := parseBool(v)
		c.Producer.Idempotent = b
		return err
	}},
	{"linger.ms", func(c *sarama.Config, v string) error {
		d, err := parseMillis(v)
		c.Producer.Flush.Frequency = d
		return err
	}},
	{"batch.size", func(c *sarama.Config, v string) error {
		n, err := parseInt(v, 0)
		c.Producer.Flush.Bytes = n
		return err
	}},
	{"max.request.size", func(c *sarama.Config, v string) error {
		n, err := parseInt(v, 1)
		c.Producer.MaxMessageBytes = n
		return err
	}},
	{"compression.type", func(c *sarama.Config, v string) error {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "none":
			c.Producer.Compression = sarama.CompressionNone
		case "gzip":
			c.Producer.Compression = sarama.CompressionGZIP
		case "snappy":
			c.Producer.Compression = sarama.CompressionSnappy
		case "lz4":
			c.Producer.Compression = sarama.CompressionLZ4
		case "zstd":
			c.Producer.Compression = sarama.CompressionZSTD
		default:
			return errors.New("expected none, gzip, snappy, lz4 or zstd")
		}
		return nil
	}},
	{"retries", func(c *sarama.Config, v string) error {
		n, err := parseInt(v, 0)
		c.Producer.Retry.Max = n
		return err
	}},
	{"max.in.flight.requests.per.connection", func(c *sarama.Config, v string) error {
		n, err := parseInt(v, 1)
		c.Net.MaxOpenRequests = n
		return err
	}},
	{"buffer.memory", func(*sarama.Config, string) error { return nil }},       // bounds our in-flight window, read by the source loop
	{"delivery.timeout.ms", func(*sarama.Config, string) error { return nil }}, // sarama retries by count, bounded by retries
	{"max.block.ms", func(*sarama.Config, string) error { return nil }},        // sends block on our in-flight window instead
	{"key.serializer", func(*sarama.Config, string) error { return nil }},      // always bytes: the converters serialize
	{"value.serializer", func(*sarama.Config, string) error { return nil }},
}, commonClientKeys...)

var consumerKeys = append([]clientKey{
	{"auto.offset.reset", func(c *sarama.Config, v string) error {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "earliest":
			c.Consumer.Offsets.Initial = sarama.OffsetOldest
		case "latest":
			c.Consumer.Offsets.Initial = sarama.OffsetNewest
		default:
			return errors.New("expected earliest or latest")
		}
		return nil
	}},
	{"fetch.min.bytes", func(c *sarama.Config, v string) error {
		n, err := parseInt(v, 1)
		c.Consumer.Fetch.Min = int32(n)
		return err
	}},
	{"fetch.max.bytes", func(c *sarama.Config, v string) error {
		n, err := parseInt(v, 1)
		c.Consumer.Fetch.Max = int32(n)
		return err
	}},
	{"max.partition.fetch.bytes", func(c *sarama.Config, v string) error {
		n, err := parseInt(v, 1)
		c.Consumer.Fetch.Default = int32(n)
		return err
	}},
	{"fetch.max.wait.ms", func(c *sarama.Config, v string) error {
		d, err := parseMillis(v)
		c.Consumer.MaxWaitTime = d
		return err
	}},
	{"session.timeout.ms", func(c *sarama.Config, v string) error {
		d, err := parseMillis(v)
		c.Consumer.Group.Session.Timeout = d
		return err
	}},
	{"heartbeat.interval.ms", func(c *sarama.Config, v string) error {
		d, err := parseMillis(v)
		c.Consumer.Group.Heartbeat.Interval = d
		return err
	}},
	{"max.poll.interval.ms", func(c *sarama.Config, v string) error {
		d, err := parseMillis(v)
		c.Consumer.Group.Rebalance.Timeout = d
		return err
	}},
	{"isolation.level", func(c *sarama.Config, v string) error {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "read_uncommitted":
			c.Consumer.IsolationLevel = sarama.ReadUncommitted
		case "read_committed":
			c.Consumer.IsolationLevel = sarama.ReadCommitted
		default:
			return errors.New("expected read_uncommitted or read_committed")
		}
		return nil
	}},
	{"max.poll.records", func(*sarama.Config, string) error { return nil }},   // read by the sink loop
	{"group.id", func(*sarama.Config, string) error { return nil }},           // read by the sink loop
	{"enable.auto.commit", func(*sarama.Config, string) error { return nil }}, // always off: offsets follow flushes
	{"key.deserializer", func(*sarama.Config, string) error { return nil }},
	{"value.deserializer", func(*sarama.Config, string) error { return nil }},
}, commonClientKeys...)

// baseConfig is sarama's config with Kafka's client defaults where they differ.
func baseConfig() *sarama.Config {
	c := sarama.NewConfig()
	c.Version = sarama.V2_8_0_0
	c.Metadata.AllowAutoTopicCreation = true
	c.Net.DialTimeout = 10 * time.Second
	return c
}

// producerConfig builds a source task's producer config: Kafka Connect's
// producer defaults, then the worker's producer.* keys, then the connector's
// producer.override.* keys. It returns warnings for keys it does not know.
func producerConfig(clientID string, layers ...map[string]string) (*sarama.Config, []string, error) {
	c := baseConfig()
	c.ClientID = clientID
	c.Producer.RequiredAcks = sarama.WaitForAll
	c.Producer.Idempotent = true
	c.Producer.Return.Successes = true
	c.Producer.Return.Errors = true
	// Kafka's producer retries until delivery.timeout.ms (practically forever
	// for Connect); a lost broker must stall the task, not drop a record.
	// sarama keeps per-retry state for every partition, so the count is
	// bounded instead: with the backoff capped at a second this rides out
	// about an hour of outage before the task fails (its offsets unstored).
	c.Producer.Retry.Max = 3600
	c.Producer.Retry.BackoffFunc = func(retries, _ int) time.Duration {
		return min(100*time.Millisecond<<min(retries, 4), time.Second)
	}
	c.Producer.MaxMessageBytes = 1048576
	c.Producer.Partitioner = newStickyPartitioner
	// linger.ms: Kafka 4's producer default. Without a linger sarama flushes
	// whatever single record is ready, and the per-request cost dominates.
	c.Producer.Flush.Frequency = 5 * time.Millisecond
	c.Producer.Flush.Bytes = c.Producer.MaxMessageBytes
	// Each of sarama's pipeline stages buffers this many messages: enough
	// to keep them busy, few enough that peak memory stays small (measured
	// with bench/source.sh: 4096 costs ~15 MB more for no speed).
	c.ChannelBufferSize = 1024
	warns, err := applyLayers(c, producerKeys, layers)
	if err != nil {
		return nil, nil, err
	}
	if c.Producer.Idempotent {
		if c.Producer.RequiredAcks != sarama.WaitForAll {
			return nil, nil, errors.New("enable.idempotence=true requires acks=all; set producer.enable.idempotence=false to use other acks")
		}
		// The idempotent producer keeps order with one request in flight.
		c.Net.MaxOpenRequests = 1
	}
	if err := c.Validate(); err != nil {
		return nil, nil, fmt.Errorf("producer configuration: %w", err)
	}
	return c, warns, nil
}

// consumerConfig builds a sink task's consumer config the same way.
func consumerConfig(clientID string, layers ...map[string]string) (*sarama.Config, []string, error) {
	c := baseConfig()
	c.ClientID = clientID
	c.Consumer.Offsets.Initial = sarama.OffsetOldest
	c.Consumer.Offsets.AutoCommit.Enable = false
	c.Consumer.Return.Errors = true
	c.Consumer.Group.Rebalance.GroupStrategies = []sarama.BalanceStrategy{sarama.NewBalanceStrategyRange()}
	warns, err := applyLayers(c, consumerKeys, layers)
	if err != nil {
		return nil, nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, nil, fmt.Errorf("consumer configuration: %w", err)
	}
	return c, warns, nil
}

func applyLayers(c *sarama.Config, keys []clientKey, layers []map[string]string) ([]string, error) {
	byName := make(map[string]clientKey, len(keys))
	for _, k := range keys {
		byName[k.name] = k
	}
	var warns []string
	var errs []error
	for _, layer := range layers {
		names := make([]string, 0, len(layer))
		for n := range layer {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			k, ok := byName[n]
			if !ok {
				warns = append(warns, n)
				continue
			}
			if err := k.apply(c, layer[n]); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %w", n, layer[n], err))
			}
		}
	}
	return warns, errors.Join(errs...)
}

// clientInt reads an integer client property from the layers (last wins).
func clientInt(name string, def int, layers ...map[string]string) int {
	out := def
	for _, l := range layers {
		if v, ok := l[name]; ok {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
				out = n
			}
		}
	}
	return out
}

// waitForKafka connects to the cluster, retrying until timeout, as Kafka's
// worker describes the cluster at start-up. It logs each failed attempt so a
// user with a wrong address sees why nothing happens.
func waitForKafka(ctx context.Context, addrs []string, cfg *sarama.Config, timeout time.Duration, log *slog.Logger) error {
	deadline := time.Now().Add(timeout)
	backoff := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		client, err := sarama.NewClient(addrs, cfg)
		if err == nil {
			n := len(client.Brokers())
			client.Close()
			log.Info("connected to Kafka", "bootstrap.servers", strings.Join(addrs, ","), "brokers", n)
			return nil
		}
		if time.Now().Add(backoff).After(deadline) {
			return fmt.Errorf("%w at %s after %s: %v (check bootstrap.servers)", ErrKafkaConnect, strings.Join(addrs, ","), timeout, err)
		}
		log.Warn("cannot reach Kafka, retrying", "bootstrap.servers", strings.Join(addrs, ","), "attempt", attempt, "error", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w at %s: %w", ErrKafkaConnect, strings.Join(addrs, ","), ctx.Err())
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 2*time.Second)
	}
}
