package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/runner/producer"
)

// Stages a record can fail in, as Kafka's errors.Stage names them in logs
// and dead letter queue headers.
const (
	stageKeyConverter    = "KEY_CONVERTER"
	stageValueConverter  = "VALUE_CONVERTER"
	stageHeaderConverter = "HEADER_CONVERTER"
	stageTransformation  = "TRANSFORMATION"
	stageKafkaProduce    = "KAFKA_PRODUCE"
	stageTaskPut         = "TASK_PUT"
)

// stageError is a record's failure in one stage of its path.
type stageError struct {
	stage string
	class string // the converter's or transform's class
	err   error
}

func (e *stageError) Error() string { return e.err.Error() }
func (e *stageError) Unwrap() error { return e.err }

// stageOf returns where err happened, if it says.
func stageOf(err error) (stage, class string) {
	var se *stageError
	if errors.As(err, &se) {
		return se.stage, se.class
	}
	return stageKafkaProduce, ""
}

// exceptionClass names an error as Kafka's headers and logs name the
// exception it would have thrown.
func exceptionClass(err error) string {
	if errors.Is(err, connectors.ErrInvalidData) {
		return "org.apache.kafka.connect.errors.DataException"
	}
	if errors.Is(err, connectors.ErrRetriable) {
		return "org.apache.kafka.connect.errors.RetriableException"
	}
	return "org.apache.kafka.connect.errors.ConnectException"
}

// errorPolicy is a connector's errors.* settings.
type errorPolicy struct {
	tolerateAll   bool
	retryTimeout  time.Duration // negative: forever
	retryDelayMax time.Duration
	logEnable     bool
	logMessages   bool
	dlqTopic      string
	dlqHeaders    bool
	dlqReplicas   int16
}

func newErrorPolicy(v config.Values) errorPolicy {
	timeout := time.Duration(v.Long(config.KeyErrorsRetryTimeout)) * time.Millisecond
	if v.Long(config.KeyErrorsRetryTimeout) < 0 {
		timeout = -1
	}
	return errorPolicy{
		tolerateAll:   v.String(config.KeyErrorsTolerance) == config.ToleranceAll,
		retryTimeout:  timeout,
		retryDelayMax: time.Duration(v.Long(config.KeyErrorsRetryDelayMaxMs)) * time.Millisecond,
		logEnable:     v.Bool(config.KeyErrorsLogEnable),
		logMessages:   v.Bool(config.KeyErrorsLogIncludeMessages),
		dlqTopic:      v.String(config.KeyErrorsDeadLetterQueueTopicName),
		dlqHeaders:    v.Bool(config.KeyErrorsDeadLetterQueueContextHeadersEnable),
		dlqReplicas:   v.Short(config.KeyErrorsDeadLetterQueueTopicReplicationFactor),
	}
}

// retry runs op again while it fails with a retriable error, for up to
// errors.retry.timeout, waiting 300 ms, then twice as long each time up to
// errors.retry.delay.max.ms, as Kafka's RetryWithToleranceOperator. The
// first failure is err, from the caller's own first try: on the hot path
// nothing runs unless a record failed.
func (p *errorPolicy) retry(ctx context.Context, err error, op func() error) error {
	if p.retryTimeout == 0 || !errors.Is(err, connectors.ErrRetriable) {
		return err
	}
	deadline := time.Now().Add(p.retryTimeout)
	delay := 300 * time.Millisecond
	for errors.Is(err, connectors.ErrRetriable) {
		wait := delay
		if wait > p.retryDelayMax {
			wait = time.Duration(rand.Int64N(int64(max(p.retryDelayMax, time.Millisecond))))
		}
		if p.retryTimeout > 0 && time.Now().Add(wait).After(deadline) {
			return err
		}
		sleep(ctx, wait)
		if ctx.Err() != nil {
			return err
		}
		err = op()
		delay *= 2
	}
	return err
}

// logSkipped logs a record skipped under errors.tolerance=all, as Kafka's
// LogReporter does when errors.log.enable is set. where describes the
// record; it is logged only with errors.log.include.messages.
func (p *errorPolicy) logSkipped(log *slog.Logger, id taskID, err error, where string) {
	if !p.logEnable {
		return
	}
	stage, class := stageOf(err)
	msg := fmt.Sprintf("Error encountered in task %s. Executing stage '%s' with class '%s'", id, stage, class)
	if p.logMessages && where != "" {
		msg += ", where " + where
	}
	log.Error(msg+".", "error", err)
}

// contextHeaders are Kafka's __connect.errors.* headers for a failed
// record; topic is empty for a source record, which has no Kafka origin.
func contextHeaders(id taskID, err error, topic string, partition int32, offset int64) []sarama.RecordHeader {
	h := func(k, v string) sarama.RecordHeader {
		return sarama.RecordHeader{Key: []byte("__connect.errors." + k), Value: []byte(v)}
	}
	stage, class := stageOf(err)
	var out []sarama.RecordHeader
	if topic != "" {
		out = append(out, h("topic", topic), h("partition", strconv.Itoa(int(partition))), h("offset", strconv.FormatInt(offset, 10)))
	}
	return append(out,
		h("connector.name", id.connector),
		h("task.id", strconv.Itoa(id.task)),
		h("stage", stage),
		h("class.name", class),
		h("exception.class.name", exceptionClass(err)),
		h("exception.message", err.Error()),
		h("exception.stacktrace", exceptionClass(err)+": "+err.Error()),
	)
}

// deadLetters writes failed records to a connector's dead letter queue
// topic. Kafka acknowledges them before the offsets past them are stored:
// a source's skipped record is acknowledged in its tracker only once the
// dead letter queue has it; a sink waits for them before it commits.
type deadLetters struct {
	topic    string
	producer *producer.Producer
	log      *slog.Logger

	pending chan struct{} // one token per record not yet acknowledged
	failed  chan error    // the first delivery failure
}

// newDeadLetters creates the topic unless it exists (one partition, the
// configured replication factor, as Kafka does) and a producer for it.
// onDelivered, if not nil, hears of every acknowledged record.
func newDeadLetters(addrs []string, p errorPolicy, layers []map[string]string, clientID string, log *slog.Logger, onDelivered func([]*producer.Record)) (*deadLetters, error) {
	opts, _, err := producerConfig(clientID, layers...)
	if err != nil {
		return nil, err
	}
	if err := createTopic(addrs, opts.Config, p.dlqTopic, p.dlqReplicas); err != nil {
		return nil, err
	}
	d := &deadLetters{topic: p.dlqTopic, log: log, pending: make(chan struct{}, 1<<16), failed: make(chan error, 1)}
	opts.Logger = log
	opts.OnDelivery = func(recs []*producer.Record, err error) {
		if err != nil {
			select {
			case d.failed <- fmt.Errorf("write %d records to the dead letter queue %s: %w", len(recs), d.topic, err):
			default:
			}
		} else if onDelivered != nil {
			onDelivered(recs)
		}
		for range recs {
			<-d.pending
		}
	}
	d.producer, err = producer.New(addrs, opts)
	if err != nil {
		return nil, fmt.Errorf("dead letter queue %s: %w", p.dlqTopic, err)
	}
	return d, nil
}

func createTopic(addrs []string, cfg *sarama.Config, topic string, replicas int16) error {
	admin, err := sarama.NewClusterAdmin(addrs, cfg)
	if err != nil {
		return fmt.Errorf("dead letter queue %s: %w", topic, err)
	}
	defer admin.Close()
	err = admin.CreateTopic(topic, &sarama.TopicDetail{NumPartitions: 1, ReplicationFactor: replicas}, false)
	if err == nil || errors.Is(err, sarama.ErrTopicAlreadyExists) {
		return nil
	}
	return fmt.Errorf("create the dead letter queue topic %s with %s=%d: %w (a cluster of fewer brokers needs a smaller value)",
		topic, config.KeyErrorsDeadLetterQueueTopicReplicationFactor, replicas, err)
}

// send queues rec for the dead letter queue.
func (d *deadLetters) send(ctx context.Context, rec *producer.Record) error {
	rec.Topic, rec.Partition = d.topic, -1
	select {
	case err := <-d.failed:
		d.failed <- err
		return err
	case d.pending <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	if _, err := d.producer.Send(ctx, rec); err != nil {
		<-d.pending
		return fmt.Errorf("write to the dead letter queue %s: %w", d.topic, err)
	}
	return nil
}

// drain waits until every record sent is acknowledged, or a delivery failed.
func (d *deadLetters) drain(ctx context.Context) error {
	for {
		select {
		case err := <-d.failed:
			d.failed <- err
			return err
		default:
		}
		if len(d.pending) == 0 {
			return nil
		}
		select {
		case err := <-d.failed:
			d.failed <- err
			return err
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func (d *deadLetters) close(ctx context.Context) {
	if d == nil {
		return
	}
	if err := d.producer.Close(ctx); err != nil {
		d.log.Debug("dead letter queue producer closed with records undelivered", "error", err)
	}
}

// connectBytes renders a Connect value for a dead letter record whose
// converter failed: strings and bytes as they are, anything else as JSON.
func connectBytes(v connectors.SchemaAndValue) []byte {
	switch x := v.Value.(type) {
	case nil:
		return nil
	case string:
		return []byte(x)
	case []byte:
		return x
	}
	b, err := json.Marshal(v.Value)
	if err != nil {
		return []byte(fmt.Sprint(v.Value))
	}
	return b
}
