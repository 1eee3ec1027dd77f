package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/runner/producer"
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
var commonClientKeys = append([]clientKey{
	{"client.id", func(c *sarama.Config, v string) error { c.ClientID = strings.TrimSpace(v); return nil }},
	{"bootstrap.servers", func(*sarama.Config, string) error { return nil }}, // read separately
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
}, securityKeys...)

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
	// Read by newTask: buffer.memory bounds the source loop's in-flight
	// window, delivery.timeout.ms goes to the producer.
	{"buffer.memory", func(_ *sarama.Config, v string) error { _, err := parseInt(v, 1); return err }},
	{"delivery.timeout.ms", func(_ *sarama.Config, v string) error { _, err := parseMillis(v); return err }},
	{"max.block.ms", func(*sarama.Config, string) error { return nil }},   // sends block on our in-flight window instead
	{"key.serializer", func(*sarama.Config, string) error { return nil }}, // always bytes: the converters serialize
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

// defaultBatchBytes is our batch.size default.
const defaultBatchBytes = 256 << 10

// sourceWindowRecords bounds a source task's unacknowledged records, next to
// buffer.memory's bound on their bytes. It covers the batches of one
// partition that may be in flight (five) plus the one filling, with room to
// spare, at defaultBatchBytes and ~100-byte records; beyond that, more
// records in flight only cost memory (about 500 bytes each with the
// runtime's bookkeeping), and well below it the producer waits for
// acknowledgements with nothing to send.
const sourceWindowRecords = 16384

// baseConfig is sarama's config with Kafka's client defaults where they differ.
func baseConfig() *sarama.Config {
	c := sarama.NewConfig()
	c.Version = sarama.V2_8_0_0
	c.Metadata.AllowAutoTopicCreation = true
	c.Net.DialTimeout = 10 * time.Second
	return c
}

// producerConfig builds a source task's producer options: Kafka Connect's
// producer defaults, then the worker's producer.* keys, then the connector's
// producer.override.* keys. It returns warnings for keys it does not know.
func producerConfig(clientID string, layers ...map[string]string) (producer.Options, []string, error) {
	c := baseConfig()
	c.ClientID = clientID
	c.Producer.RequiredAcks = sarama.WaitForAll
	c.Producer.Idempotent = true
	// Kafka Connect's producer retries until delivery.timeout.ms, which it
	// sets to practically forever: a lost broker stalls the task, it never
	// drops a record. The backoff grows to a second, as retry.backoff.max.ms.
	c.Producer.Retry.Max = math.MaxInt32
	c.Producer.Retry.BackoffFunc = func(retries, _ int) time.Duration {
		return min(100*time.Millisecond<<min(retries, 4), time.Second)
	}
	c.Producer.MaxMessageBytes = 1048576
	// linger.ms: Kafka 4's producer default.
	c.Producer.Flush.Frequency = 5 * time.Millisecond
	// batch.size: larger than Kafka's 16384, so that each request carries
	// more: linger.ms still bounds how long a record waits. Measured with
	// bench/run.sh.
	c.Producer.Flush.Bytes = defaultBatchBytes
	// max.in.flight.requests.per.connection: the Kafka producer's default,
	// where Kafka Connect sets 1. Idempotence keeps the order (see
	// producer.Options.Idempotent); without it we send one request per
	// partition at a time whatever this says.
	c.Net.MaxOpenRequests = 5
	warns, err := applyLayers(c, producerKeys, layers)
	if err != nil {
		return producer.Options{}, nil, err
	}
	opts := producer.Options{
		Config:          c,
		Idempotent:      c.Producer.Idempotent,
		DeliveryTimeout: time.Duration(clientInt("delivery.timeout.ms", math.MaxInt32, layers...)) * time.Millisecond,
	}
	if opts.Idempotent {
		if c.Producer.RequiredAcks != sarama.WaitForAll {
			return producer.Options{}, nil, errors.New("enable.idempotence=true requires acks=all; set producer.enable.idempotence=false to use other acks")
		}
		if c.Net.MaxOpenRequests > 5 {
			return producer.Options{}, nil, errors.New("enable.idempotence=true requires max.in.flight.requests.per.connection to be at most 5")
		}
	}
	// Idempotence is ours to implement: sarama's flag would hold its own
	// producer, which we do not use, to one request in flight.
	c.Producer.Idempotent = false
	if err := c.Validate(); err != nil {
		return producer.Options{}, nil, fmt.Errorf("producer configuration: %w", err)
	}
	return opts, warns, nil
}

// adminConfig builds the config of the worker's own clients, which read
// cluster metadata: as Kafka's admin clients, they take the worker's
// un-prefixed client keys, then its admin.* keys. It returns warnings for
// admin.* keys it does not know; other worker keys are not client keys.
func adminConfig(clientID string, workerProps map[string]string) (*sarama.Config, []string, error) {
	c := baseConfig()
	c.ClientID = clientID
	worker := make(map[string]string)
	for _, k := range commonClientKeys {
		if v, ok := workerProps[k.name]; ok {
			worker[k.name] = v
		}
	}
	warns, err := applyLayers(c, commonClientKeys, []map[string]string{worker, config.Subset(workerProps, "admin.")})
	if err != nil {
		return nil, nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, nil, fmt.Errorf("admin client configuration: %w", err)
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
	errs = append(errs, applySecurity(c, layers))
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
			hint := "check bootstrap.servers"
			if cfg.Net.TLS.Enable || cfg.Net.SASL.Enable {
				hint += " and the security.protocol, ssl.* and sasl.* settings"
			}
			return fmt.Errorf("%w at %s after %s: %v (%s)", ErrKafkaConnect, strings.Join(addrs, ","), timeout, err, hint)
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
