package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/offsets"
)

// sourceTask runs one SourceTask: poll, convert, produce, and track which
// offsets Kafka has made safe to store.
type sourceTask struct {
	id       taskID
	conn     *connector
	task     connectors.SourceTask
	config   map[string]string
	producer sarama.AsyncProducer
	tracker  *tracker
	store    offsets.Store
	timeouts timeouts
	log      *slog.Logger
	status   *statusBoard

	flushMu sync.Mutex // one offset flush at a time, so an older snapshot never lands after a newer one
	failed  chan error // first delivery failure reported by the acknowledgement goroutines
}

type sourceTaskContext struct {
	t *sourceTask
}

func (c sourceTaskContext) Logger() *slog.Logger { return c.t.log }

func (c sourceTaskContext) Offset(_ context.Context, partition map[string]any) (map[string]any, error) {
	return c.t.store.Get(c.t.conn.name, partition)
}

// run drives the task until stop is done, then drains, flushes offsets and
// stops the task. hard is cancelled when the graceful shutdown time is up:
// from then on nothing waits any more. run closes the producer.
func (s *sourceTask) run(stop, hard context.Context) error {
	var acks sync.WaitGroup
	acks.Go(s.drainSuccesses)
	acks.Go(s.drainErrors)
	defer func() {
		s.producer.AsyncClose()
		acks.Wait()
	}()

	s.status.set(s.id, StateRunning, nil)
	if err := s.task.Start(hard, sourceTaskContext{s}, s.config); err != nil {
		err = fmt.Errorf("start task: %w", err)
		s.status.set(s.id, StateFailed, err)
		return err
	}
	loopErr := s.loop(stop, hard)

	// Stop as Kafka does: wait for in-flight records within
	// offset.flush.timeout.ms, store what Kafka acknowledged, then stop the task.
	drainCtx, cancel := context.WithTimeout(hard, s.timeouts.flush)
	if err := s.tracker.waitDrained(drainCtx); err != nil {
		s.log.Warn("stopping with records still unacknowledged; their offsets are not stored and they will be sent again",
			"records", s.tracker.pending())
	}
	cancel()
	if err := s.flush(hard); err != nil {
		s.log.Error("final offset flush failed", "error", err)
	}
	if err := s.task.Stop(hard); err != nil {
		s.log.Warn("task stop returned an error", "error", err)
	}
	if loopErr != nil {
		s.status.set(s.id, StateFailed, loopErr)
		return loopErr
	}
	s.status.set(s.id, StateUnassigned, nil)
	return nil
}

func (s *sourceTask) loop(stop, hard context.Context) error {
	for {
		select {
		case err := <-s.failed:
			return err
		case <-stop.Done():
			return nil
		default:
		}
		records, err := s.task.Poll(stop)
		if err != nil && stop.Err() != nil && errors.Is(err, stop.Err()) {
			err = nil // interrupted by the stop request: send what it returned
		}
		if err != nil {
			if errors.Is(err, connectors.ErrRetriable) {
				s.log.Warn("poll failed, retrying", "error", err)
				sleep(stop, 100*time.Millisecond)
				continue
			}
			return fmt.Errorf("poll: %w", err)
		}
		if err := s.send(hard, records); err != nil {
			return err
		}
	}
}

// send converts and produces one polled batch. It sends the whole batch even
// when a stop was requested meanwhile, as Kafka does; only hard interrupts it.
func (s *sourceTask) send(ctx context.Context, records []connectors.SourceRecord) error {
	_, committer := s.task.(connectors.RecordCommitter)
	var transformed connectors.SourceRecord // reused: the record as the chain left it
	for i := range records {
		r := &records[i]
		out := r
		if len(s.conn.chain) > 0 {
			rec, keep, err := s.conn.chain.apply(r.Record)
			if err != nil {
				return fmt.Errorf("record for topic %s (%s): %w", r.Topic, sourcePosition(r), err)
			}
			if !keep {
				s.dropped(r, committer)
				continue
			}
			transformed = connectors.SourceRecord{Record: rec, SourcePartition: r.SourcePartition, SourceOffset: r.SourceOffset}
			out = &transformed
		}
		var msg sarama.ProducerMessage
		if err := s.conn.convertSource(ctx, out, &msg); err != nil {
			return err
		}
		n := encodedLen(msg.Key) + encodedLen(msg.Value)
		if err := s.tracker.reserve(ctx, n); err != nil {
			return nil
		}
		f := s.tracker.add(r.SourcePartition, r.SourceOffset, r.Partition, n)
		if committer {
			f.record = r
		}
		f.msg = msg
		f.msg.Metadata = f
		select {
		case s.producer.Input() <- &f.msg:
		case <-ctx.Done():
			return nil
		}
	}
	return nil
}

// dropped settles a record a transform dropped: as in Kafka its offset
// counts as delivered once every record before it is, and the task's
// CommitRecord hears of it with no metadata.
func (s *sourceTask) dropped(r *connectors.SourceRecord, committer bool) {
	s.tracker.ack(s.tracker.add(r.SourcePartition, r.SourceOffset, r.Partition, 0))
	if committer {
		if err := s.task.(connectors.RecordCommitter).CommitRecord(context.Background(), r, nil); err != nil {
			s.log.Warn("commit record failed", "error", err)
		}
	}
}

func (s *sourceTask) drainSuccesses() {
	rc, committer := s.task.(connectors.RecordCommitter)
	if !committer {
		// Acknowledge whatever has arrived together, under one lock.
		batch := make([]*inflight, 0, 256)
		for m := range s.producer.Successes() {
			batch = append(batch[:0], m.Metadata.(*inflight))
		more:
			for len(batch) < cap(batch) {
				select {
				case m, ok := <-s.producer.Successes():
					if !ok {
						break more
					}
					batch = append(batch, m.Metadata.(*inflight))
				default:
					break more
				}
			}
			s.tracker.ackAll(batch)
		}
		return
	}
	for m := range s.producer.Successes() {
		f := m.Metadata.(*inflight)
		s.tracker.ack(f)
		md := &connectors.RecordMetadata{Topic: m.Topic, Partition: m.Partition, Offset: m.Offset, Timestamp: m.Timestamp}
		if err := rc.CommitRecord(context.Background(), f.record, md); err != nil {
			s.log.Warn("commit record failed", "error", err)
		}
	}
}

func (s *sourceTask) drainErrors() {
	for pe := range s.producer.Errors() {
		f := pe.Msg.Metadata.(*inflight)
		s.tracker.fail(f, pe.Err)
		err := fmt.Errorf("send to topic %s: %w (the source offset of this record and every later one of its source partition is not stored)", pe.Msg.Topic, pe.Err)
		select {
		case s.failed <- err:
		default:
		}
	}
}

// flush stores the offsets Kafka has fully acknowledged, then calls the
// task's Commit. It is called by the flusher and once at stop.
func (s *sourceTask) flush(ctx context.Context) error {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	entries, done := s.tracker.snapshot()
	if len(entries) > 0 {
		ctx, cancel := context.WithTimeout(ctx, s.timeouts.flush)
		defer cancel()
		if err := s.store.Set(ctx, s.conn.name, entries); err != nil {
			return fmt.Errorf("store offsets: %w; will try again on the next flush", err)
		}
		done()
		s.log.Debug("stored offsets", "partitions", len(entries))
	}
	if c, ok := s.task.(connectors.Committer); ok {
		if err := c.Commit(ctx); err != nil {
			return fmt.Errorf("task commit: %w", err)
		}
	}
	return nil
}

func encodedLen(e sarama.Encoder) int {
	if e == nil {
		return 0
	}
	return e.Length()
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
