package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/runner/producer"
)

// sinkTask runs one SinkTask: consume with the group connect-<name>,
// convert, Put, and every offset.flush.interval.ms Flush the task and only
// then commit the consumed offsets.
//
// sarama delivers each partition on its own goroutine; they hand runs of
// messages to the task loop over a bounded channel, so the SinkTask itself
// only ever runs on one goroutine and a slow task holds back the consumer.
type sinkTask struct {
	id       taskID
	conn     *connector
	task     connectors.SinkTask
	config   map[string]string
	group    sarama.ConsumerGroup
	client   sarama.Client // for topics.regex
	topics   []string
	pattern  *regexp.Regexp
	maxPoll  int
	interval time.Duration
	timeouts timeouts
	log      *slog.Logger
	status   *statusBoard
	gate     *gate        // closed while the connector is paused
	dlq      *deadLetters // nil without errors.deadletterqueue.topic.name
	skipped  int          // records skipped under errors.tolerance=all

	seeks seeks // asked for by the task in Open

	deliveries chan delivery
	runs       sync.Pool // of *[]*sarama.ConsumerMessage with room for maxPoll
	events     chan sessionEvent
	gone       chan struct{} // closed once the loop answers no more events
	state      *sinkState
}

// delivery is a run of consecutive messages of one partition, at most
// max.poll.records, tagged with the session that read them: messages of an
// ended session are dropped, their offsets never committed. Handing over
// runs instead of single messages spares the task loop a channel receive
// per record; buf is the pooled slice msgs came from, returned by release.
type delivery struct {
	session sarama.ConsumerGroupSession
	msgs    []*sarama.ConsumerMessage
	buf     *[]*sarama.ConsumerMessage
}

// release gives d's slice back to the pool once its messages are put or
// dropped, cleared first: its pointers would keep the messages, and the
// fetch responses their bytes live in, from being collected.
func (s *sinkTask) release(d delivery) {
	if d.buf == nil {
		return
	}
	clear((*d.buf)[:cap(*d.buf)])
	*d.buf = (*d.buf)[:0]
	s.runs.Put(d.buf)
}

// sessionEvent tells the task loop a group session began (assigned) or is
// ending (revoked); the handler waits for done before sarama proceeds.
type sessionEvent struct {
	session  sarama.ConsumerGroupSession
	assigned bool
	done     chan error
}

type sinkTaskContext struct {
	log   *slog.Logger
	seeks *seeks
	task  *sinkTask
}

func (c sinkTaskContext) Logger() *slog.Logger { return c.log }

func (c sinkTaskContext) Seek(tp connectors.TopicPartition, offset int64) { c.seeks.add(tp, offset) }

// Report is called from the task's goroutine, during Put.
func (c sinkTaskContext) Report(ctx context.Context, r connectors.SinkRecord, err error) error {
	return c.task.report(ctx, r, err)
}

// seeks are the positions a task asked for while its partitions opened.
type seeks struct {
	mu sync.Mutex
	at map[connectors.TopicPartition]int64
}

func (s *seeks) add(tp connectors.TopicPartition, offset int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.at == nil {
		s.at = make(map[connectors.TopicPartition]int64)
	}
	s.at[tp] = offset
}

// take returns the positions asked for and forgets them.
func (s *seeks) take() map[connectors.TopicPartition]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.at
	s.at = nil
	return at
}

// run drives the task until stop is done: the consumer session ends, the
// task flushes and offsets are committed, then the task stops. It closes the
// consumer group.
func (s *sinkTask) run(stop, hard context.Context) (runErr error) {
	// A few runs per partition goroutine keep the loop busy while the
	// claims read ahead; each run holds at most max.poll.records messages.
	s.deliveries = make(chan delivery, deliveryRuns)
	s.runs.New = func() any {
		b := make([]*sarama.ConsumerMessage, 0, s.maxPoll)
		return &b
	}
	s.events = make(chan sessionEvent)
	s.gone = make(chan struct{})
	s.status.set(s.id, s.gate.running(), nil)
	if err := s.task.Start(hard, sinkTaskContext{log: s.log, seeks: &s.seeks, task: s}, s.config); err != nil {
		s.closeClients()
		err = fmt.Errorf("start task: %w", err)
		s.status.set(s.id, StateFailed, err)
		return err
	}
	defer func() {
		if err := s.task.Stop(hard); err != nil {
			s.log.Warn("task stop returned an error", "error", err)
		}
		if runErr != nil {
			s.status.set(s.id, StateFailed, runErr)
		} else {
			s.status.set(s.id, StateUnassigned, nil)
		}
	}()

	// The consumer runs until the loop ends, whether by stop or by failure.
	consumeCtx, cancelConsume := context.WithCancel(stop)
	var wg sync.WaitGroup
	consumeDone := make(chan struct{})
	wg.Go(func() {
		defer close(consumeDone)
		s.consume(consumeCtx)
	})
	wg.Go(func() {
		for err := range s.group.Errors() {
			s.log.Warn("consumer error", "error", err)
		}
	})
	err := s.loop(hard, consumeDone)
	cancelConsume()
	// Answer the session's last events while the consumer winds down, then
	// close it, which ends the error drain.
	s.drainEvents(hard, consumeDone, err)
	close(s.gone)
	s.closeClients()
	wg.Wait()
	return err
}

func (s *sinkTask) closeClients() {
	if err := s.group.Close(); err != nil {
		s.log.Warn("close consumer", "error", err)
	}
	s.dlq.close(context.Background()) // commit drained it: nothing waits
	if s.client != nil {
		s.client.Close()
	}
}

// consume keeps the task in the group until ctx is done, rejoining after
// rebalances and when topics.regex starts matching other topics.
func (s *sinkTask) consume(ctx context.Context) {
	for ctx.Err() == nil {
		topics, err := s.subscription()
		if err != nil || len(topics) == 0 {
			if err != nil {
				s.log.Warn("list topics for topics.regex", "error", err)
			}
			sleep(ctx, 5*time.Second)
			continue
		}
		sessCtx, cancel := context.WithCancel(ctx)
		var watch sync.WaitGroup
		if s.pattern != nil {
			watch.Go(func() { s.watchTopics(sessCtx, cancel, topics) })
		}
		err = s.group.Consume(sessCtx, topics, handler{s})
		cancel()
		watch.Wait()
		if errors.Is(err, sarama.ErrClosedConsumerGroup) {
			return
		}
		if err != nil {
			s.log.Warn("consumer group session ended, rejoining", "error", err)
			sleep(ctx, time.Second)
		}
	}
}

// subscription returns the topics to consume: the topics list, or the
// existing topics that topics.regex matches in full, as Java's matcher does.
func (s *sinkTask) subscription() ([]string, error) {
	if s.pattern == nil {
		return s.topics, nil
	}
	if err := s.client.RefreshMetadata(); err != nil {
		return nil, err
	}
	all, err := s.client.Topics()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, t := range all {
		if s.pattern.MatchString(t) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (s *sinkTask) watchTopics(ctx context.Context, rejoin context.CancelFunc, current []string) {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			next, err := s.subscription()
			if err == nil && !slices.Equal(next, current) {
				s.log.Info("topics.regex matches other topics now, rejoining", "topics", next)
				rejoin()
				return
			}
		}
	}
}

// handler adapts sarama's callbacks to the task loop's channels.
type handler struct{ s *sinkTask }

func (h handler) Setup(sess sarama.ConsumerGroupSession) error {
	return h.s.notify(sess, true)
}

func (h handler) Cleanup(sess sarama.ConsumerGroupSession) error {
	return h.s.notify(sess, false)
}

// ConsumeClaim waits for a message, takes whatever else sarama has already
// decoded for the partition (up to max.poll.records) and hands the run to
// the task loop, as Kafka's poll returns what the fetches brought.
func (h handler) ConsumeClaim(sess sarama.ConsumerGroupSession, claim sarama.ConsumerGroupClaim) error {
	s := h.s
	msgs, done := claim.Messages(), sess.Context().Done()
	for {
		var m *sarama.ConsumerMessage
		select {
		case m = <-msgs:
		case <-done:
			return nil
		}
		if m == nil {
			return nil // the claim ended
		}
		buf := s.runs.Get().(*[]*sarama.ConsumerMessage)
		run, open := append((*buf)[:0], m), true
	fill:
		for len(run) < s.maxPoll {
			select {
			case m, open = <-msgs:
				if !open {
					break fill
				}
				run = append(run, m)
			default:
				break fill
			}
		}
		*buf = run
		select {
		case s.deliveries <- delivery{session: sess, msgs: run, buf: buf}:
		case <-done:
			s.release(delivery{buf: buf})
			return nil
		}
		if !open {
			return nil
		}
	}
}

func (s *sinkTask) notify(sess sarama.ConsumerGroupSession, assigned bool) error {
	if assigned {
		for topic := range sess.Claims() {
			s.status.useTopic(s.id.connector, topic)
		}
	}
	ev := sessionEvent{session: sess, assigned: assigned, done: make(chan error, 1)}
	select {
	case s.events <- ev:
	case <-s.gone:
		return nil
	}
	select {
	case err := <-ev.done:
		return err
	case <-s.gone:
		return nil
	}
}

// sinkState is the task loop's view of the current session.
type sinkState struct {
	session  sarama.ConsumerGroupSession
	assigned []connectors.TopicPartition
	consumed map[connectors.TopicPartition]int64 // next offset to read, after Put
	pending  map[connectors.TopicPartition]int64 // consumed once the batch being built is Put
	dirty    bool
	// carry is the rest of a run the last Put had no room for. It is put
	// before any later run: those may hold later messages of its partition.
	carry delivery
}

// deliveryRuns is how many runs wait for the task loop before the claims
// block: a slow task holds back the consumer.
const deliveryRuns = 4

// always is a closed channel: a select case on it is always ready.
var always = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (s *sinkTask) loop(ctx context.Context, consumeDone <-chan struct{}) error {
	st := &sinkState{consumed: make(map[connectors.TopicPartition]int64), pending: make(map[connectors.TopicPartition]int64)}
	s.state = st
	ticker := time.NewTicker(s.interval)
	defer ticker.Stop()
	batch := make([]connectors.SinkRecord, 0, s.maxPoll)
	for {
		// While a carried run waits, it goes next instead of a new run;
		// events, commits and stop still take their turn.
		deliveries, carried := s.deliveries, (chan struct{})(nil)
		if len(st.carry.msgs) > 0 {
			deliveries, carried = nil, always
		}
		// Paused, nothing is put; the full channel then holds back the
		// consumer, while rebalances and commits go on.
		paused, gateChange := s.gate.state()
		if paused {
			deliveries, carried = nil, nil
		}
		select {
		case <-gateChange:
		case <-consumeDone:
			return nil
		case <-ctx.Done():
			return fmt.Errorf("stop timed out: %w", ctx.Err())
		case ev := <-s.events:
			err := s.handleEvent(ctx, st, ev)
			ev.done <- err
			if err != nil {
				return err
			}
		case d := <-deliveries:
			if err := s.deliver(ctx, st, d, batch[:0]); err != nil {
				return err
			}
		case <-carried:
			d := st.carry
			st.carry = delivery{}
			if err := s.deliver(ctx, st, d, batch[:0]); err != nil {
				return err
			}
		case <-ticker.C:
			if err := s.commit(ctx, st); err != nil {
				return err
			}
		}
	}
}

// deliver converts and transforms the run d and whatever else is already
// waiting, up to max.poll.records messages, and hands the batch to Put. The
// part of a run that does not fit is carried to the next batch. Records a
// transform dropped are not handed over, but their offsets are consumed
// with the batch, as in Kafka.
func (s *sinkTask) deliver(ctx context.Context, st *sinkState, d delivery, batch []connectors.SinkRecord) error {
	read := 0
	for {
		if d.session == st.session {
			n := min(len(d.msgs), s.maxPoll-read)
			for _, m := range d.msgs[:n] {
				r, keep, err := s.transform(ctx, m)
				if err != nil {
					if err := s.skip(ctx, m, err); err != nil {
						return err
					}
					continue
				}
				if keep {
					batch = append(batch, r)
				}
			}
			// A run is one partition's messages in order: its last one
			// taken sets where that partition resumes.
			last := d.msgs[n-1]
			st.pending[connectors.TopicPartition{Topic: last.Topic, Partition: last.Partition}] = last.Offset + 1
			read += n
			if n < len(d.msgs) {
				d.msgs = d.msgs[n:]
				st.carry = d
				break
			}
		}
		s.release(d)
		if read >= s.maxPoll {
			break
		}
		select {
		case d = <-s.deliveries:
			continue
		default:
		}
		break
	}
	if read == 0 {
		return nil
	}
	if len(batch) > 0 {
		if err := s.task.Put(ctx, batch); err != nil {
			clear(st.pending)
			return fmt.Errorf("put %d records: %w", len(batch), err)
		}
	}
	for tp, next := range st.pending {
		st.consumed[tp] = next
	}
	clear(st.pending)
	st.dirty = true
	return nil
}

func (s *sinkTask) handleEvent(ctx context.Context, st *sinkState, ev sessionEvent) error {
	if ev.assigned {
		st.session = ev.session
		st.assigned = st.assigned[:0]
		for topic, parts := range ev.session.Claims() {
			for _, p := range parts {
				st.assigned = append(st.assigned, connectors.TopicPartition{Topic: topic, Partition: p})
			}
		}
		s.log.Info("partitions assigned", "partitions", len(st.assigned))
		if ph, ok := s.task.(connectors.PartitionHandler); ok {
			if err := ph.Open(ctx, st.assigned); err != nil {
				return fmt.Errorf("open partitions: %w", err)
			}
		}
		// The session's claims start once this returns, each at the
		// offset its partition's offset manager holds: a seek sets it.
		for tp, offset := range s.seeks.take() {
			s.log.Info("resuming where the task asked", "topic", tp.Topic, "partition", tp.Partition, "offset", offset)
			// Mark moves only forward and Reset only back: together they
			// set the offset wherever it was.
			ev.session.MarkOffset(tp.Topic, tp.Partition, offset, "")
			ev.session.ResetOffset(tp.Topic, tp.Partition, offset, "")
		}
		return nil
	}
	// The session ends: its claims have stopped, so what is carried and
	// left in the channel is final. Put it, flush, commit, then let the
	// partitions go.
	for {
		if len(st.carry.msgs) > 0 {
			d := st.carry
			st.carry = delivery{}
			if err := s.deliver(ctx, st, d, nil); err != nil {
				return err
			}
			continue
		}
		select {
		case d := <-s.deliveries:
			if err := s.deliver(ctx, st, d, nil); err != nil {
				return err
			}
			continue
		default:
		}
		break
	}
	err := s.commit(ctx, st)
	if ph, ok := s.task.(connectors.PartitionHandler); ok {
		if cerr := ph.Close(ctx, st.assigned); cerr != nil && err == nil {
			err = fmt.Errorf("close partitions: %w", cerr)
		}
	}
	st.session = nil
	clear(st.consumed)
	return err
}

// transform converts a consumed message and runs it through the
// connector's transforms, retrying what fails retriably as errors.retry.*
// allow.
func (s *sinkTask) transform(ctx context.Context, m *sarama.ConsumerMessage) (connectors.SinkRecord, bool, error) {
	once := func() (connectors.SinkRecord, bool, error) {
		r, err := s.conn.convertSink(ctx, m)
		if err != nil {
			return r, false, err
		}
		if len(s.conn.chain) == 0 {
			return r, true, nil
		}
		r, keep, err := s.conn.chain.applySink(r)
		if err != nil {
			return r, false, fmt.Errorf("record of %s-%d offset %d: %w", m.Topic, m.Partition, m.Offset, err)
		}
		return r, keep, nil
	}
	r, keep, err := once()
	if err != nil {
		err = s.conn.errors.retry(ctx, err, func() (err error) {
			r, keep, err = once()
			return err
		})
	}
	return r, keep, err
}

// skip settles a message that failed conversion or a transform, as
// errors.tolerance says: with none the task fails; with all it is logged
// (errors.log.enable) and skipped, and written as it was consumed to the
// dead letter queue if there is one. Its offset is committed with its
// batch's, after the dead letter queue acknowledged it.
func (s *sinkTask) skip(ctx context.Context, m *sarama.ConsumerMessage, cause error) error {
	if !s.conn.errors.tolerateAll {
		return cause
	}
	s.tolerate(cause, m.Topic, m.Partition, m.Offset, m.Timestamp)
	if s.dlq == nil {
		return nil
	}
	rec := &producer.Record{Key: m.Key, Value: m.Value, Timestamp: m.Timestamp}
	for _, h := range m.Headers {
		rec.Headers = append(rec.Headers, *h)
	}
	if s.conn.errors.dlqHeaders {
		rec.Headers = append(rec.Headers, contextHeaders(s.id, cause, m.Topic, m.Partition, m.Offset)...)
	}
	return s.dlq.send(ctx, rec)
}

// tolerate counts and logs a record skipped under errors.tolerance=all.
func (s *sinkTask) tolerate(cause error, topic string, partition int32, offset int64, ts time.Time) {
	p := &s.conn.errors
	s.skipped++
	where := fmt.Sprintf("consumed record is {topic='%s', partition=%d, offset=%d, timestamp=%d, timestampType=CreateTime}", topic, partition, offset, ts.UnixMilli())
	switch {
	case p.logEnable:
		p.logSkipped(s.log, s.id, cause, where)
	case s.skipped == 1:
		s.log.Warn("skipping a record that failed, as errors.tolerance=all asks; further ones are skipped silently unless errors.log.enable=true",
			"topic", topic, "partition", partition, "offset", offset, "error", cause)
	}
}

// report settles a record the task could not write, as Kafka's
// ErrantRecordReporter: with errors.tolerance=none the error comes back
// for the task to fail with; with all the record is skipped like one that
// failed conversion, and sent to the dead letter queue converted back
// with the connector's converters, as Kafka does for records it no longer
// holds the bytes of.
func (s *sinkTask) report(ctx context.Context, r connectors.SinkRecord, cause error) error {
	cause = &stageError{stageTaskPut, s.conn.plugin.Class, cause}
	if !s.conn.errors.tolerateAll {
		return cause
	}
	topic, partition := r.OriginalTopic, r.OriginalPartition
	if topic == "" {
		topic, partition = r.Topic, r.Partition
	}
	s.tolerate(cause, topic, partition, r.Offset, r.Timestamp)
	if s.dlq == nil {
		return nil
	}
	rec := &producer.Record{Timestamp: r.Timestamp}
	var err error
	if rec.Key, err = s.conn.conv.key.FromConnect(ctx, r.Topic, r.Headers, r.Key); err != nil {
		return fmt.Errorf("report record %s-%d at offset %d: convert its key for the dead letter queue: %w", topic, partition, r.Offset, err)
	}
	if rec.Value, err = s.conn.conv.value.FromConnect(ctx, r.Topic, r.Headers, r.Value); err != nil {
		return fmt.Errorf("report record %s-%d at offset %d: convert its value for the dead letter queue: %w", topic, partition, r.Offset, err)
	}
	for _, h := range r.Headers {
		b, err := s.conn.conv.header.FromConnectHeader(ctx, r.Topic, h.Key, h.Value)
		if err != nil {
			return fmt.Errorf("report record %s-%d at offset %d: convert header %s for the dead letter queue: %w", topic, partition, r.Offset, h.Key, err)
		}
		rec.Headers = append(rec.Headers, sarama.RecordHeader{Key: []byte(h.Key), Value: b})
	}
	if s.conn.errors.dlqHeaders {
		rec.Headers = append(rec.Headers, contextHeaders(s.id, cause, topic, partition, r.Offset)...)
	}
	return s.dlq.send(ctx, rec)
}

// commit flushes the task and, only if that succeeded, commits the offsets
// of everything Put so far: nothing is committed that is not durable.
//
// A task that is a PreCommitter is asked at every commit, dirty or not, as
// it may make files durable on a timer, and only the offsets it returns
// are committed.
func (s *sinkTask) commit(ctx context.Context, st *sinkState) error {
	pc, preCommits := s.task.(connectors.PreCommitter)
	if st.session == nil || !st.dirty && !preCommits {
		return nil
	}
	offsets := maps.Clone(st.consumed)
	fctx, cancel := context.WithTimeout(ctx, s.timeouts.flush)
	defer cancel()
	if preCommits {
		durable, err := pc.PreCommit(fctx, offsets)
		if err != nil {
			return fmt.Errorf("pre-commit: %w (offsets not committed; the records will be delivered again)", err)
		}
		offsets = make(map[connectors.TopicPartition]int64, len(durable))
		for _, tp := range st.assigned {
			if off, ok := durable[tp]; ok {
				offsets[tp] = off
			}
		}
	} else if err := s.task.Flush(fctx, offsets); err != nil {
		return fmt.Errorf("flush: %w (offsets not committed; the records will be delivered again)", err)
	}
	if s.dlq != nil {
		if err := s.dlq.drain(fctx); err != nil {
			return fmt.Errorf("%w (offsets not committed; the records will be delivered again)", err)
		}
	}
	for tp, off := range offsets {
		st.session.MarkOffset(tp.Topic, tp.Partition, off, "")
	}
	st.session.Commit()
	st.dirty = false
	s.log.Debug("committed offsets", "partitions", len(offsets))
	return nil
}

// drainEvents answers session events after the loop ended, until the
// consumer has stopped. After a failure nothing is committed any more.
func (s *sinkTask) drainEvents(ctx context.Context, consumeDone <-chan struct{}, loopErr error) {
	for {
		select {
		case <-consumeDone:
			return
		case ev := <-s.events:
			if loopErr != nil || ev.assigned {
				ev.done <- nil
				continue
			}
			ev.done <- s.handleEvent(ctx, s.state, ev)
		case d := <-s.deliveries:
			// Dropped: not put, so not committed; read again next time.
			s.release(d)
		case <-ctx.Done():
			return
		}
	}
}
