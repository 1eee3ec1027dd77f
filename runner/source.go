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
	"github.com/connect-standalone/connect-standalone/runner/producer"
)

// sourceTask runs one SourceTask: poll, convert, produce, and track which
// offsets Kafka has made safe to store.
type sourceTask struct {
	id       taskID
	conn     *connector
	task     connectors.SourceTask
	config   map[string]string
	producer *producer.Producer
	tracker  *tracker
	store    offsets.Store
	timeouts timeouts
	log      *slog.Logger
	status   *statusBoard
	gate     *gate         // closed while the connector is paused
	interval time.Duration // offset.flush.interval.ms
	dlq      *deadLetters  // nil without errors.deadletterqueue.topic.name
	skipped  int           // records skipped under errors.tolerance=all

	flushMu sync.Mutex // one offset flush at a time, so an older snapshot never lands after a newer one
	failed  chan error // first delivery failure reported by the producer

	outbox    []*producer.Record // converted records not yet handed to the producer
	lastTopic string             // of the previous record, so a topic is tracked once per change
	acked     []*inflight        // scratch of onDelivery, which the producer calls from one goroutine
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
	s.status.set(s.id, s.gate.running(), nil)
	if err := s.task.Start(hard, sourceTaskContext{s}, s.config); err != nil {
		err = fmt.Errorf("start task: %w", err)
		s.status.set(s.id, StateFailed, err)
		_ = s.producer.Close(hard) // nothing was sent: it returns at once
		return err
	}
	flushCtx, stopFlushing := context.WithCancel(stop)
	flushed := make(chan struct{})
	go func() {
		defer close(flushed)
		s.flushPeriodically(flushCtx)
	}()
	loopErr := s.loop(stop, hard)
	stopFlushing()
	<-flushed

	// Stop as Kafka does: wait for in-flight records within
	// offset.flush.timeout.ms, store what Kafka acknowledged, then stop the task.
	drainCtx, cancel := context.WithTimeout(hard, s.timeouts.flush)
	if err := s.tracker.waitDrained(drainCtx); err != nil {
		s.log.Warn("stopping with records still unacknowledged; their offsets are not stored and they will be sent again",
			"records", s.tracker.pending())
	}
	// What is still unacknowledged now is given up: its offsets stay unstored.
	if err := s.producer.Close(drainCtx); err != nil {
		s.log.Debug("producer closed with records undelivered", "error", err)
	}
	s.dlq.close(drainCtx)
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
		if err := s.gate.wait(stop); err != nil {
			return nil // stopped while paused
		}
		pollCtx, cancelPoll := s.gate.whileOpen(stop)
		records, err := s.task.Poll(pollCtx)
		cancelPoll()
		if err != nil && pollCtx.Err() != nil && errors.Is(err, pollCtx.Err()) {
			err = nil // interrupted by a stop or pause request: send what it returned
		}
		// Paused during the poll: what it returned waits for the resume.
		// Stopped meanwhile, it is dropped unsent with its offsets unstored,
		// so it is read again next time.
		if err := s.gate.wait(stop); err != nil {
			return nil
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
	fs := make([]inflight, len(records))    // one allocation for the batch's bookkeeping
	var transformed connectors.SourceRecord // reused: the record as the chain left it
	for i := range records {
		r := &records[i]
		out := r
		if len(s.conn.chain) > 0 {
			rec, keep, err := s.conn.chain.apply(r.Record)
			if err != nil {
				err = s.conn.errors.retry(ctx, err, func() (err error) {
					rec, keep, err = s.conn.chain.apply(r.Record)
					return err
				})
			}
			if err != nil {
				if err := s.skip(ctx, records, i, &fs[i], committer, err); err != nil {
					return err
				}
				continue
			}
			if !keep {
				s.dropped(&fs[i], r, committer)
				continue
			}
			transformed = connectors.SourceRecord{Record: rec, SourcePartition: r.SourcePartition, SourceOffset: r.SourceOffset}
			out = &transformed
		}
		f := &fs[i]
		if err := s.conn.convertSource(ctx, out, &f.rec); err != nil {
			err = s.conn.errors.retry(ctx, err, func() error { return s.conn.convertSource(ctx, out, &f.rec) })
			if err != nil {
				f.rec = producer.Record{}
				if err := s.skip(ctx, records, i, f, committer, err); err != nil {
					return err
				}
				continue
			}
		}
		if f.rec.Topic != s.lastTopic {
			s.lastTopic = f.rec.Topic
			s.status.useTopic(s.id.connector, f.rec.Topic)
		}
		f.rec.Meta, f.offset, f.bytes, f.index = f, r.SourceOffset, len(f.rec.Key)+len(f.rec.Value), i
		if committer {
			f.record = r
		}
		if !s.tracker.tryAdd(f, r.SourcePartition) {
			// The window is full: what waits in the outbox must go out
			// first, or no acknowledgement would ever make room.
			if err := s.sendOutbox(ctx, records); err != nil {
				return err
			}
			if err := s.tracker.reserve(ctx, f.bytes); err != nil {
				return nil
			}
			s.tracker.add(f, r.SourcePartition)
		}
		s.outbox = append(s.outbox, &f.rec)
	}
	return s.sendOutbox(ctx, records)
}

// sendOutbox hands the converted records to the producer. A record the
// producer refuses fails the task, naming the record; it and the records
// after it leave the tracker unsent.
func (s *sourceTask) sendOutbox(ctx context.Context, records []connectors.SourceRecord) error {
	all := s.outbox
	s.outbox = s.outbox[:0] // all keeps the records; nothing is appended before it is cleared
	defer clear(all)
	out := all
	var n int
	var err error
	for len(out) > 0 {
		n, err = s.producer.Send(ctx, out...)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil || !s.conn.errors.tolerateAll {
			break
		}
		// A record Kafka would refuse (too large, a partition the topic
		// lacks) is skipped under errors.tolerance=all; the rest go on.
		f := out[n].Meta.(*inflight)
		s.skipSent(f, records, &stageError{stageKafkaProduce, "", err})
		out = out[n+1:]
	}
	if len(out) == 0 {
		return nil
	}
	unsent := make([]*inflight, 0, len(out)-n)
	for _, r := range out[n:] {
		unsent = append(unsent, r.Meta.(*inflight))
	}
	s.tracker.discard(unsent)
	if ctx.Err() != nil {
		return nil // stopping: nothing more is sent
	}
	return s.recordFailed(ctx, records, unsent[0].index, err)
}

// recordFailed reports that records[i] cannot be sent, naming it, after
// sending the records before it. When the task gives offsets on demand
// (connectors.OffsetFiller), the last record of each source partition before
// i gets its offset, so that exactly the progress before the failure is
// stored once Kafka has it.
func (s *sourceTask) recordFailed(ctx context.Context, records []connectors.SourceRecord, i int, cause error) error {
	sendErr := s.sendOutbox(ctx, records)
	r := &records[i]
	if filler, ok := s.task.(connectors.OffsetFiller); ok {
		filler.FillOffset(r)
		var done []map[string]any
	partitions:
		for j := i - 1; j >= 0; j-- {
			prev := &records[j]
			for _, p := range done {
				if sameMap(p, prev.SourcePartition) || partitionKey(p) == partitionKey(prev.SourcePartition) {
					continue partitions
				}
			}
			done = append(done, prev.SourcePartition)
			filler.FillOffset(prev)
			progress := &inflight{offset: prev.SourceOffset}
			s.tracker.add(progress, prev.SourcePartition)
			s.tracker.ack(progress)
		}
	}
	return errors.Join(fmt.Errorf("record for topic %s (%s): %w", r.Topic, sourcePosition(r), cause), sendErr)
}

// skip settles records[i], which failed in a transform or a converter, as
// errors.tolerance says: with none the task fails, naming the record; with
// all the record is logged (errors.log.enable) and skipped, or written to
// the dead letter queue, and its offset counts once that has it.
func (s *sourceTask) skip(ctx context.Context, records []connectors.SourceRecord, i int, f *inflight, committer bool, cause error) error {
	if !s.conn.errors.tolerateAll {
		return s.recordFailed(ctx, records, i, cause)
	}
	r := &records[i]
	if filler, ok := s.task.(connectors.OffsetFiller); ok {
		filler.FillOffset(r)
	}
	s.noteSkipped(cause, r)
	if s.dlq == nil {
		s.dropped(f, r, committer)
		return nil
	}
	s.deadLetter(ctx, r, cause, &f.rec)
	f.rec.Meta, f.offset, f.index = f, r.SourceOffset, i
	s.tracker.add(f, r.SourcePartition)
	if err := s.dlq.send(ctx, &f.rec); err != nil {
		s.tracker.discard([]*inflight{f})
		return errors.Join(fmt.Errorf("record for topic %s (%s): %w", r.Topic, sourcePosition(r), cause), err)
	}
	return nil
}

// skipSent settles a converted record the producer refused under
// errors.tolerance=all: it is logged and counts as delivered.
func (s *sourceTask) skipSent(f *inflight, records []connectors.SourceRecord, cause error) {
	r := &records[f.index]
	if filler, ok := s.task.(connectors.OffsetFiller); ok && r.SourceOffset == nil {
		filler.FillOffset(r)
		f.offset = r.SourceOffset
	}
	s.noteSkipped(cause, r)
	s.tracker.ack(f)
}

// noteSkipped logs a skipped record: each one with errors.log.enable, else
// only the first, so that skipping is never silent.
func (s *sourceTask) noteSkipped(cause error, r *connectors.SourceRecord) {
	s.skipped++
	p := &s.conn.errors
	if p.logEnable {
		p.logSkipped(s.log, s.id, cause, fmt.Sprintf("source record is for topic %s (%s)", r.Topic, sourcePosition(r)))
		return
	}
	if s.skipped == 1 {
		s.log.Warn("skipping a record that failed, as errors.tolerance=all asks; further ones are skipped silently unless errors.log.enable=true",
			"topic", r.Topic, "position", sourcePosition(r), "error", cause)
	}
}

// deadLetter fills rec with a failed source record for the dead letter
// queue: converted by the connector's converters when they can, else its
// key and value as text, with its source partition, offset and intended
// topic in headers, and Kafka's context headers when asked for.
func (s *sourceTask) deadLetter(ctx context.Context, r *connectors.SourceRecord, cause error, rec *producer.Record) {
	*rec = producer.Record{}
	if err := s.conn.convertSource(ctx, r, rec); err != nil {
		*rec = producer.Record{Key: connectBytes(r.Key), Value: connectBytes(r.Value), Timestamp: r.Timestamp}
		if rec.Timestamp.IsZero() {
			rec.Timestamp = time.Now()
		}
	}
	h := func(k, v string) sarama.RecordHeader {
		return sarama.RecordHeader{Key: []byte("__connect.errors." + k), Value: []byte(v)}
	}
	rec.Headers = append(rec.Headers,
		h("source.topic", r.Topic),
		h("source.partition", jsonText(r.SourcePartition)),
		h("source.offset", jsonText(r.SourceOffset)))
	if s.conn.errors.dlqHeaders {
		rec.Headers = append(rec.Headers, contextHeaders(s.id, cause, "", 0, 0)...)
	}
}

// dropped settles a record a transform dropped: as in Kafka its offset
// counts as delivered once every record before it is, and the task's
// CommitRecord hears of it with no metadata.
func (s *sourceTask) dropped(f *inflight, r *connectors.SourceRecord, committer bool) {
	f.offset = r.SourceOffset
	s.tracker.add(f, r.SourcePartition)
	s.tracker.ack(f)
	if committer {
		if err := s.task.(connectors.RecordCommitter).CommitRecord(context.Background(), r, nil); err != nil {
			s.log.Warn("commit record failed", "error", err)
		}
	}
}

// onDelivery is the producer's report on one batch of records.
func (s *sourceTask) onDelivery(recs []*producer.Record, err error) {
	s.acked = s.acked[:0]
	for _, r := range recs {
		s.acked = append(s.acked, r.Meta.(*inflight))
	}
	if err != nil && s.conn.errors.tolerateAll {
		// Kafka refused the batch for good: under errors.tolerance=all its
		// records are skipped, loudly, and the task goes on.
		f := s.acked[0]
		s.log.Error("records not delivered and skipped, as errors.tolerance=all asks",
			"records", len(recs), "source_partition", jsonText(f.part.partition), "from_offset", jsonText(f.offset), "error", err)
		s.tracker.ackAll(s.acked)
		clear(s.acked)
		return
	}
	if err != nil {
		s.tracker.failAll(s.acked)
		f := s.acked[0]
		from := "source partition " + jsonText(f.part.partition)
		if f.offset != nil {
			from += " offset " + jsonText(f.offset) + " on"
		}
		err = fmt.Errorf("%w: %d records from %s were not delivered; their offsets and every later one of that source partition are not stored",
			err, len(recs), from)
		select {
		case s.failed <- err:
		default:
		}
		return
	}
	s.tracker.ackAll(s.acked)
	if rc, ok := s.task.(connectors.RecordCommitter); ok {
		for _, f := range s.acked {
			md := &connectors.RecordMetadata{Topic: f.rec.Topic, Partition: f.rec.Partition, Offset: f.rec.Offset, Timestamp: f.rec.Timestamp}
			if err := rc.CommitRecord(context.Background(), f.record, md); err != nil {
				s.log.Warn("commit record failed", "error", err)
			}
		}
	}
	clear(s.acked)
}

// flushPeriodically stores the acknowledged offsets every
// offset.flush.interval.ms until ctx is done; run flushes once more at stop.
func (s *sourceTask) flushPeriodically(ctx context.Context) {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.flush(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("offset flush failed", "error", err)
			}
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

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
