// Package producer sends records to Kafka in batches it builds itself on
// sarama's low-level produce API. It does what Kafka's Java producer does
// for a Connect source task: one accumulating batch per partition, closed
// when it reaches batch.size or has waited linger.ms; several requests in
// flight, kept in order by idempotent sequence numbers, so that a retry
// neither reorders nor duplicates; and delivery reported per batch through
// one callback. See DESIGN.md.
package producer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/IBM/sarama"
)

// ErrClosed is the error of a record that was not delivered because the
// producer was closed first. Kafka may or may not have it.
var ErrClosed = errors.New("producer closed before the record was delivered")

// ErrRecordTooLarge is the error of a record that cannot fit in one produce
// request (max.request.size).
var ErrRecordTooLarge = errors.New("record too large")

// Record is one record to send. The producer reads Key, Value and Headers
// until the record is reported delivered; the caller must not change them
// meanwhile.
type Record struct {
	Topic      string
	Partition  int32  // -1 lets the producer choose; Send sets the partition chosen
	Key, Value []byte // nil is null
	Headers    []sarama.RecordHeader
	Timestamp  time.Time
	Meta       any // the caller's, untouched

	// Offset is set on delivery: the record's offset in its partition, or
	// -1 when the broker did not say (acks=0, or a retried batch it
	// already had beyond its memory of recent batches).
	Offset int64
}

// Options configures a Producer.
type Options struct {
	// Config holds the Kafka client settings: acks (Producer.RequiredAcks),
	// linger.ms
	// (Producer.Flush.Frequency), batch.size (Producer.Flush.Bytes),
	// max.request.size (Producer.MaxMessageBytes), compression, retries
	// (Producer.Retry.Max with its backoff), max.in.flight.requests.per.connection
	// (Net.MaxOpenRequests), the request timeout (Producer.Timeout) and
	// everything the underlying client needs. Its Producer.Idempotent must be
	// false: sarama would refuse more than one request in flight.
	Config *sarama.Config
	// Idempotent is enable.idempotence: batches carry a producer id and
	// sequence numbers, so the broker drops a batch it already has and
	// rejects one that would land out of order. Without it, a partition has
	// one request in flight at a time, so that retries cannot reorder.
	Idempotent bool
	// DeliveryTimeout fails a batch that is still undelivered this long
	// after its first record was sent (delivery.timeout.ms). Zero means never.
	DeliveryTimeout time.Duration
	// OnDelivery is called once per batch: with a nil error once Kafka
	// acknowledged it, or with the error that made it fail for good. Batches
	// of one partition are reported in send order. It runs on the producer's
	// goroutine, as the Java producer's callbacks run on its I/O thread, so it
	// must be quick; recs is reused after it returns.
	OnDelivery func(recs []*Record, err error)
	Logger     *slog.Logger
}

// Producer sends records. Send and Close are safe for concurrent use.
type Producer struct {
	client sarama.Client
	opts   Options
	log    *slog.Logger

	acks            sarama.RequiredAcks
	version         int16
	timeoutMs       int32
	linger          time.Duration
	batchBytes      int // a batch closes once it holds this many bytes
	maxRequestBytes int
	maxInFlight     int // requests per broker connection
	perPartition    int // batches of one partition in flight
	codec           sarama.CompressionCodec
	codecLevel      int
	retries         int
	backoff         func(attempt int) time.Duration

	producerID    int64
	producerEpoch int16

	wake chan struct{} // a token when the loop has something new to look at
	done chan struct{} // closed when the loop has ended

	mu          sync.Mutex
	topics      map[string]*topic
	active      []*partition // partitions with an open, queued or in-flight batch
	inFlight    map[*sarama.Broker]int
	undelivered int // batches opened and not yet reported
	closing     bool
	aborting    bool
	free        []*batch

	resultsMu sync.Mutex
	results   []result // responses handed over by sarama's reader goroutines
}

// topic is what the producer knows of one topic.
type topic struct {
	name       string
	partitions []*partition
	sticky     *partition // where keyless records go until it has a batch's worth
	stickyLeft int
	keyed      sarama.Partitioner
	keyMsg     sarama.ProducerMessage // reused for hashing keys; guarded by Producer.mu
}

// partition is one topic-partition's queue. Batches leave it in order, one
// in flight at a time.
type partition struct {
	topic  *topic
	id     int32
	leader *sarama.Broker // nil until looked up, or after a failure that may mean leadership moved
	open   *batch         // accumulating records
	queue  []*batch       // closed batches not yet delivered, in sequence order
	flying int            // batches of queue in flight
	// recovering: a batch failed while later ones were in flight. Those
	// come back rejected as out of order; once all are back, sending
	// starts again from the first undelivered batch.
	recovering bool
	retryAt    time.Time // no send before this, after a failure
	nextSeq    int32     // the first sequence number of the next batch closed
	active     bool
}

// batch is one record batch of one partition.
type batch struct {
	part     *partition
	recs     []*Record
	bytes    int
	created  time.Time
	seq      int32
	sending  bool
	attempts int
	lastErr  error
	// maybeWritten: a send of it ended without a clear answer, so the
	// broker may hold it and its sequence numbers must never be reused.
	maybeWritten bool

	encoded *sarama.RecordBatch // built on first send and resent as is
	records []sarama.Record     // backing of encoded.Records, kept for reuse
	ptrs    []*sarama.Record
}

// request is one produce request to one broker.
type request struct {
	broker  *sarama.Broker
	batches []*batch
	bytes   int
}

type result struct {
	req  *request
	resp *sarama.ProduceResponse
	err  error
}

// report is one batch's outcome, handed to OnDelivery outside the lock.
type report struct {
	b   *batch
	err error
}

// recordOverhead bounds a record's framing in a batch: length, attributes,
// timestamp and offset deltas, key and value lengths and header count.
const recordOverhead = 24

// requestOverhead bounds a produce request's framing beyond its batches'
// records: request header, topic and partition entries, batch header.
const requestOverhead = 512

// New connects a producer to the cluster at addrs. With idempotence on it
// obtains a producer id first.
func New(addrs []string, opts Options) (*Producer, error) {
	client, err := sarama.NewClient(addrs, opts.Config)
	if err != nil {
		return nil, fmt.Errorf("connect producer: %w", err)
	}
	cfg := opts.Config
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.OnDelivery == nil {
		opts.OnDelivery = func([]*Record, error) {}
	}
	p := &Producer{
		client:          client,
		opts:            opts,
		log:             log,
		acks:            cfg.Producer.RequiredAcks,
		version:         requestVersion(cfg.Version),
		timeoutMs:       int32(min(cfg.Producer.Timeout.Milliseconds(), math.MaxInt32)),
		linger:          cfg.Producer.Flush.Frequency,
		maxRequestBytes: cfg.Producer.MaxMessageBytes,
		maxInFlight:     max(cfg.Net.MaxOpenRequests, 1),
		perPartition:    1,
		codec:           cfg.Producer.Compression,
		codecLevel:      cfg.Producer.CompressionLevel,
		retries:         cfg.Producer.Retry.Max,
		producerID:      -1,
		producerEpoch:   -1,
		wake:            make(chan struct{}, 1),
		done:            make(chan struct{}),
		topics:          make(map[string]*topic),
		inFlight:        make(map[*sarama.Broker]int),
	}
	p.batchBytes = cfg.Producer.Flush.Bytes
	if p.batchBytes <= 0 || p.batchBytes > p.maxRequestBytes-requestOverhead {
		p.batchBytes = max(p.maxRequestBytes-requestOverhead, 1)
	}
	p.backoff = func(attempt int) time.Duration {
		if f := cfg.Producer.Retry.BackoffFunc; f != nil {
			return f(attempt, p.retries)
		}
		return cfg.Producer.Retry.Backoff
	}
	if opts.Idempotent {
		if err := p.initProducerID(); err != nil {
			client.Close()
			return nil, err
		}
		// Kafka's brokers remember a producer's last five batches per
		// partition: more in flight could not be told apart on a retry.
		p.perPartition = min(p.maxInFlight, 5)
	}
	go p.loop()
	return p, nil
}

// initProducerID asks the cluster for an idempotent producer id, retrying
// a few times as the cluster may still be electing its coordinator.
func (p *Producer) initProducerID() error {
	var err error
	for attempt := 1; attempt <= 10; attempt++ {
		var resp *sarama.InitProducerIDResponse
		resp, err = p.client.InitProducerID()
		if err == nil && !errors.Is(resp.Err, sarama.ErrNoError) {
			err = resp.Err
		}
		if err == nil {
			p.producerID, p.producerEpoch = resp.ProducerID, resp.ProducerEpoch
			return nil
		}
		time.Sleep(p.backoff(attempt))
	}
	return fmt.Errorf("get an idempotent producer id: %w", err)
}

// requestVersion picks the produce request version for the cluster version,
// as sarama's own producer does. Every version from 3 on carries record
// batches with producer ids and sequence numbers.
func requestVersion(v sarama.KafkaVersion) int16 {
	switch {
	case v.IsAtLeast(sarama.V3_7_0_0):
		return 10
	case v.IsAtLeast(sarama.V2_8_0_0):
		return 9
	case v.IsAtLeast(sarama.V2_4_0_0):
		return 8
	case v.IsAtLeast(sarama.V2_1_0_0):
		return 7
	case v.IsAtLeast(sarama.V2_0_0_0):
		return 6
	case v.IsAtLeast(sarama.V1_0_0_0):
		return 5
	default:
		return 3
	}
}

// recordSize is the number of bytes r counts for in batches and requests.
func recordSize(r *Record) int {
	n := len(r.Key) + len(r.Value) + recordOverhead
	for _, h := range r.Headers {
		n += len(h.Key) + len(h.Value) + 10
	}
	return n
}

// Send queues records for sending, in order, and returns how many it took.
// It blocks only to learn a topic's partitions the first time the topic is
// seen. A record it cannot take stops it: it returns that record's index
// and the error; the records before it are queued.
func (p *Producer) Send(ctx context.Context, recs ...*Record) (int, error) {
	now := time.Now()
	wake := false
	defer func() {
		if wake {
			p.signal()
		}
	}()
	p.mu.Lock()
	for i, r := range recs {
		if p.closing {
			p.mu.Unlock()
			return i, ErrClosed
		}
		t := p.topics[r.Topic]
		if t == nil {
			p.mu.Unlock()
			if err := p.addTopic(ctx, r.Topic); err != nil {
				return i, err
			}
			p.mu.Lock()
			t = p.topics[r.Topic]
		}
		size := recordSize(r)
		if size > p.maxRequestBytes-requestOverhead {
			p.mu.Unlock()
			return i, fmt.Errorf("%w: the record is %d bytes when serialized, more than max.request.size (%d bytes) allows", ErrRecordTooLarge, size, p.maxRequestBytes)
		}
		part, err := p.choose(t, r, size)
		if err != nil {
			p.mu.Unlock()
			return i, err
		}
		r.Partition = part.id
		wake = p.append(part, r, size, now) || wake
	}
	p.mu.Unlock()
	return len(recs), nil
}

func (p *Producer) signal() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// addTopic learns how many partitions a topic has, waiting for it to be
// created (by the broker's auto-creation) and retrying until ctx is done,
// as Kafka's producer blocks in send while it has no metadata.
func (p *Producer) addTopic(ctx context.Context, name string) error {
	var last error
	for attempt := 1; ; attempt++ {
		ids, err := p.client.Partitions(name)
		if err == nil && len(ids) == 0 {
			err = sarama.ErrLeaderNotAvailable
		}
		if err == nil {
			n := int32(0)
			for _, id := range ids {
				n = max(n, id+1)
			}
			// The metadata just read names the leaders: knowing them now
			// spares the first batch a lookup once its linger is up. Only
			// partitions known to have one are asked: for the others the
			// client would refresh the metadata, once per partition.
			leaders := make([]*sarama.Broker, n)
			if writable, err := p.client.WritablePartitions(name); err == nil {
				for _, id := range writable {
					if b, err := p.client.Leader(name, id); err == nil && id < n {
						leaders[id] = b
					}
				}
			}
			p.mu.Lock()
			if p.topics[name] == nil {
				t := &topic{name: name, keyed: sarama.NewMurmur2Partitioner(name)}
				for id := range n {
					t.partitions = append(t.partitions, &partition{topic: t, id: id, leader: leaders[id]})
				}
				p.topics[name] = t
			}
			p.mu.Unlock()
			return nil
		}
		if attempt == 3 || (attempt%30 == 0 && !errors.Is(err, last)) {
			p.log.Warn("waiting for the topic's metadata", "topic", name, "attempt", attempt, "error", err)
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("topic %s: no metadata: %w (last error: %w)", name, ctx.Err(), err)
		case <-time.After(p.backoff(attempt)):
		}
		if rerr := p.client.RefreshMetadata(name); rerr != nil {
			last = rerr
		}
	}
}

// choose picks r's partition as Kafka's Java producer does: an explicit
// partition as given, a key by murmur2 hash, and keyless records stick to
// one partition until it has a batch's worth, then move on, so requests
// stay full while records spread over partitions.
func (p *Producer) choose(t *topic, r *Record, size int) (*partition, error) {
	n := int32(len(t.partitions))
	switch {
	case r.Partition >= 0:
		if r.Partition >= n {
			return nil, fmt.Errorf("invalid partition %d for topic %s: it has partitions 0 to %d", r.Partition, t.name, n-1)
		}
		return t.partitions[r.Partition], nil
	case r.Key != nil:
		t.keyMsg.Key = sarama.ByteEncoder(r.Key)
		id, err := t.keyed.Partition(&t.keyMsg, n)
		t.keyMsg.Key = nil
		if err != nil {
			return nil, fmt.Errorf("partition a record for topic %s: %w", t.name, err)
		}
		return t.partitions[id], nil
	}
	if t.sticky == nil || t.stickyLeft <= 0 {
		t.sticky = t.partitions[nextSticky(t, n)]
		t.stickyLeft = p.batchBytes
	}
	t.stickyLeft -= size
	return t.sticky, nil
}

// nextSticky moves keyless records to another partition, round the ring, so
// that successive batches spread evenly.
func nextSticky(t *topic, n int32) int32 {
	if t.sticky == nil {
		return int32(time.Now().UnixNano() % int64(n))
	}
	return (t.sticky.id + 1) % n
}

// append adds r to its partition's open batch and reports whether the loop
// must look: a batch was opened (its linger starts) or closed.
func (p *Producer) append(part *partition, r *Record, size int, now time.Time) bool {
	wake := false
	b := part.open
	if b != nil && b.bytes+size > p.batchBytes {
		p.closeBatch(part)
		b, wake = nil, true
	}
	if b == nil {
		b = p.newBatch(part, now)
		part.open = b
		wake = true
		if !part.active {
			part.active = true
			p.active = append(p.active, part)
		}
	}
	b.recs = append(b.recs, r)
	b.bytes += size
	if b.bytes >= p.batchBytes {
		p.closeBatch(part)
		wake = true
	}
	return wake
}

func (p *Producer) newBatch(part *partition, now time.Time) *batch {
	p.undelivered++
	if n := len(p.free); n > 0 {
		b := p.free[n-1]
		p.free = p.free[:n-1]
		b.part, b.created = part, now
		return b
	}
	return &batch{part: part, created: now}
}

// closeBatch moves the open batch to the send queue and gives it its
// sequence numbers, which it keeps through every retry.
func (p *Producer) closeBatch(part *partition) {
	b := part.open
	part.open = nil
	b.seq = part.nextSeq
	part.nextSeq = addSequence(part.nextSeq, len(b.recs))
	part.queue = append(part.queue, b)
}

// addSequence advances a sequence number; like Kafka's, they wrap to 0
// after math.MaxInt32.
func addSequence(seq int32, n int) int32 {
	const m = math.MaxInt32 + 1
	return int32(((int64(seq)+int64(n))%m + m) % m)
}

// Close sends what is queued and waits for Kafka to acknowledge it, or for
// ctx to be done. Records still undelivered then are reported with
// ErrClosed. Close returns once every batch has been reported.
func (p *Producer) Close(ctx context.Context) error {
	p.mu.Lock()
	p.closing = true
	p.mu.Unlock()
	p.signal()
	var err error
	select {
	case <-p.done:
	case <-ctx.Done():
		p.mu.Lock()
		p.aborting = true
		p.mu.Unlock()
		p.signal()
		<-p.done
		err = fmt.Errorf("close producer: %w", ctx.Err())
	}
	if cerr := p.client.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("close producer: %w", cerr)
	}
	return err
}

// loop is the producer's one goroutine: it settles responses, closes
// batches whose linger is up, looks up leaders, sends requests and reports
// deliveries, then sleeps until something changes.
func (p *Producer) loop() {
	defer close(p.done)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		results := p.takeResults()
		now := time.Now()
		p.mu.Lock()
		var reports []report
		var broken []*sarama.Broker
		for _, res := range results {
			reports, broken = p.settle(res, now, reports, broken)
		}
		if p.aborting {
			reports = p.abortAll(reports)
		}
		reports = p.expire(now, reports)
		reqs, lookups, next := p.collect(now)
		p.mu.Unlock()

		for _, b := range broken {
			_ = b.Close() // the connection is in an unknown state; the next lookup reconnects
		}
		if p.report(reports) {
			return
		}
		for _, rq := range reqs {
			p.send(rq)
		}
		if len(lookups) > 0 {
			p.lookupLeaders(lookups)
		}
		if len(reqs) > 0 || len(lookups) > 0 {
			continue // responses may already be in, and leaders known: look again
		}
		if next.IsZero() {
			timer.Stop()
		} else {
			timer.Reset(max(next.Sub(now), 0))
		}
		select {
		case <-p.wake:
		case <-timer.C:
		}
	}
}

func (p *Producer) takeResults() []result {
	p.resultsMu.Lock()
	defer p.resultsMu.Unlock()
	r := p.results
	p.results = nil
	return r
}

func (p *Producer) addResult(r result) {
	p.resultsMu.Lock()
	p.results = append(p.results, r)
	p.resultsMu.Unlock()
	p.signal()
}

// expire fails head batches older than delivery.timeout.ms that are not in
// flight: a partition without a leader for that long gives up too.
func (p *Producer) expire(now time.Time, reports []report) []report {
	if p.opts.DeliveryTimeout <= 0 {
		return reports
	}
	for _, part := range p.active {
		for len(part.queue) > 0 && !part.queue[0].sending && now.Sub(part.queue[0].created) >= p.opts.DeliveryTimeout {
			b := part.queue[0]
			err := fmt.Errorf("not delivered within delivery.timeout.ms (%s)", p.opts.DeliveryTimeout)
			if b.lastErr != nil {
				err = fmt.Errorf("%w after %d attempts: %w", err, b.attempts, b.lastErr)
			}
			reports = p.failed(b, err, reports)
		}
	}
	return reports
}

// collect closes batches that are ready, picks for each partition free to
// send the head of its queue, and groups them into one request per leader.
// It returns the partitions whose leader must be looked up first, and when
// the loop must look again at the latest.
func (p *Producer) collect(now time.Time) (reqs []*request, lookups []*partition, next time.Time) {
	byBroker := make(map[*sarama.Broker]*request)
	soonest := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	kept := p.active[:0]
	for _, part := range p.active {
		if part.open == nil && len(part.queue) == 0 {
			part.active = false
			continue
		}
		kept = append(kept, part)
		if part.flying >= p.perPartition || part.recovering && part.flying > 0 {
			continue // a response will wake the loop
		}
		part.recovering = false
		if part.open != nil && part.flying == len(part.queue) {
			due := part.open.created.Add(p.linger)
			if !p.closing && now.Before(due) {
				soonest(due)
				continue
			}
			p.closeBatch(part)
		}
		if part.flying == len(part.queue) {
			continue
		}
		if now.Before(part.retryAt) {
			soonest(part.retryAt)
			continue
		}
		if part.leader == nil {
			lookups = append(lookups, part)
			continue
		}
		// The batches in flight are a prefix of the queue: they are sent
		// in order, and after a failure all come back before any is resent.
		b := part.queue[part.flying]
		rq := byBroker[part.leader]
		switch {
		case rq == nil && p.inFlight[part.leader] >= p.maxInFlight:
			continue // a response will wake the loop
		case rq == nil:
			rq = &request{broker: part.leader}
			byBroker[part.leader] = rq
			reqs = append(reqs, rq)
		case rq.bytes+b.bytes > p.maxRequestBytes-requestOverhead:
			soonest(now) // the rest goes in the next request
			continue
		}
		rq.batches = append(rq.batches, b)
		rq.bytes += b.bytes
		b.sending = true
		part.flying++
	}
	clear(p.active[len(kept):])
	p.active = kept
	for _, rq := range reqs {
		p.inFlight[rq.broker]++
	}
	return reqs, lookups, next
}

// lookupLeaders finds the current leader of each partition, refreshing the
// metadata of their topics first. A partition without a leader waits a
// backoff before the next try.
func (p *Producer) lookupLeaders(parts []*partition) {
	seen := make(map[string]bool)
	var names []string
	for _, part := range parts {
		if !seen[part.topic.name] {
			seen[part.topic.name] = true
			names = append(names, part.topic.name)
		}
	}
	if err := p.client.RefreshMetadata(names...); err != nil {
		p.log.Debug("refresh metadata", "topics", names, "error", err)
	}
	type found struct {
		part   *partition
		leader *sarama.Broker
		err    error
	}
	results := make([]found, 0, len(parts))
	for _, part := range parts {
		leader, err := p.client.Leader(part.topic.name, part.id)
		results = append(results, found{part, leader, err})
	}
	now := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range results {
		if f.err != nil {
			f.part.retryAt = now.Add(p.backoff(1))
			p.log.Debug("no leader", "topic", f.part.topic.name, "partition", f.part.id, "error", f.err)
			continue
		}
		f.part.leader = f.leader
	}
}

// send encodes and writes one request. The response comes back through
// addResult from sarama's reader goroutine.
func (p *Producer) send(rq *request) {
	req := &sarama.ProduceRequest{RequiredAcks: p.acks, Timeout: p.timeoutMs, Version: p.version}
	for _, b := range rq.batches {
		req.AddBatch(b.part.topic.name, b.part.id, p.encode(b))
	}
	if p.acks == sarama.NoResponse {
		err := rq.broker.AsyncProduce(req, nil)
		p.addResult(result{req: rq, err: err})
		return
	}
	err := rq.broker.AsyncProduce(req, func(resp *sarama.ProduceResponse, err error) {
		p.addResult(result{req: rq, resp: resp, err: err})
	})
	if err != nil {
		p.addResult(result{req: rq, err: err})
	}
}

// encode builds a batch's sarama form once; a retry sends the same one, so
// the broker sees the same sequence numbers and bytes.
func (p *Producer) encode(b *batch) *sarama.RecordBatch {
	if b.encoded != nil {
		return b.encoded
	}
	n := len(b.recs)
	if cap(b.records) < n {
		b.records = make([]sarama.Record, n)
		b.ptrs = make([]*sarama.Record, n)
	}
	records, ptrs := b.records[:n], b.ptrs[:n]
	first := b.recs[0].Timestamp.UnixMilli()
	latest := first
	for i, r := range b.recs {
		ts := r.Timestamp.UnixMilli()
		latest = max(latest, ts)
		rec := &records[i]
		*rec = sarama.Record{
			Key:            r.Key,
			Value:          r.Value,
			OffsetDelta:    int64(i),
			TimestampDelta: time.Duration(ts-first) * time.Millisecond,
		}
		if len(r.Headers) > 0 {
			hs := make([]*sarama.RecordHeader, len(r.Headers))
			for j := range r.Headers {
				hs[j] = &r.Headers[j]
			}
			rec.Headers = hs
		}
		ptrs[i] = rec
	}
	b.encoded = &sarama.RecordBatch{
		Version:          2,
		Codec:            p.codec,
		CompressionLevel: p.codecLevel,
		FirstTimestamp:   time.UnixMilli(first),
		MaxTimestamp:     time.UnixMilli(latest),
		LastOffsetDelta:  int32(n - 1),
		ProducerID:       p.producerID,
		ProducerEpoch:    p.producerEpoch,
		FirstSequence:    -1,
		Records:          ptrs,
	}
	if p.producerID >= 0 {
		b.encoded.FirstSequence = b.seq
	}
	return b.encoded
}

// settle applies one request's outcome to its batches.
func (p *Producer) settle(res result, now time.Time, reports []report, broken []*sarama.Broker) ([]report, []*sarama.Broker) {
	rq := res.req
	if p.inFlight[rq.broker]--; p.inFlight[rq.broker] <= 0 {
		delete(p.inFlight, rq.broker)
	}
	if res.err != nil {
		// The connection failed: whether the broker wrote the batches is
		// unknown. Resending them with their sequence numbers is safe.
		broken = append(broken, rq.broker)
		for _, b := range rq.batches {
			b.maybeWritten = true
			reports = p.retry(b, res.err, true, now, reports)
		}
		return reports, broken
	}
	for _, b := range rq.batches {
		if res.resp == nil { // acks=0: written is all we learn
			reports = p.delivered(b, -1, time.Time{}, reports)
			continue
		}
		block := res.resp.GetBlock(b.part.topic.name, b.part.id)
		if block == nil {
			b.maybeWritten = true
			reports = p.retry(b, errors.New("the broker's response left the partition out"), false, now, reports)
			continue
		}
		switch {
		case errors.Is(block.Err, sarama.ErrNoError):
			reports = p.delivered(b, block.Offset, block.Timestamp, reports)
		case errors.Is(block.Err, sarama.ErrDuplicateSequenceNumber):
			reports = p.delivered(b, -1, time.Time{}, reports)
		case retriable(block.Err) || errors.Is(block.Err, sarama.ErrOutOfOrderSequenceNumber) && p.afterFailure(b):
			b.maybeWritten = b.maybeWritten || outcomeUnknown(block.Err)
			reports = p.retry(b, blockError(block), leadershipMoved(block.Err), now, reports)
		default:
			b.maybeWritten = b.maybeWritten || outcomeUnknown(block.Err)
			reports = p.failed(b, blockError(block), reports)
		}
	}
	return reports, broken
}

func blockError(block *sarama.ProduceResponseBlock) error {
	if block.ErrorMessage != nil && *block.ErrorMessage != "" {
		return fmt.Errorf("%w: %s", block.Err, *block.ErrorMessage)
	}
	return block.Err
}

// afterFailure reports whether an earlier batch of b's partition failed
// while b was in flight: then b is refused as out of order only because the
// broker lacks that batch, and is resent after it.
func (p *Producer) afterFailure(b *batch) bool {
	return b.part.recovering || len(b.part.queue) > 0 && b.part.queue[0] != b
}

// retriable lists the produce errors Kafka's producer retries.
func retriable(err sarama.KError) bool {
	switch err {
	case sarama.ErrUnknownTopicOrPartition, sarama.ErrLeaderNotAvailable, sarama.ErrNotLeaderForPartition,
		sarama.ErrRequestTimedOut, sarama.ErrNetworkException, sarama.ErrNotEnoughReplicas,
		sarama.ErrNotEnoughReplicasAfterAppend, sarama.ErrKafkaStorageError, sarama.ErrFencedLeaderEpoch,
		sarama.ErrUnknownLeaderEpoch, sarama.ErrInvalidMessage, sarama.ErrThrottlingQuotaExceeded,
		sarama.ErrOffsetNotAvailable, sarama.ErrBrokerNotAvailable:
		return true
	}
	return false
}

// leadershipMoved lists the errors after which the partition's leader must
// be looked up again.
func leadershipMoved(err sarama.KError) bool {
	switch err {
	case sarama.ErrUnknownTopicOrPartition, sarama.ErrLeaderNotAvailable, sarama.ErrNotLeaderForPartition,
		sarama.ErrFencedLeaderEpoch, sarama.ErrUnknownLeaderEpoch, sarama.ErrKafkaStorageError, sarama.ErrBrokerNotAvailable:
		return true
	}
	return false
}

// outcomeUnknown lists the errors that leave open whether the broker wrote
// the batch: it timed out replicating, or wrote it and then lacked replicas.
// Every other error means the batch was rejected.
func outcomeUnknown(err sarama.KError) bool {
	return err == sarama.ErrRequestTimedOut || err == sarama.ErrNotEnoughReplicasAfterAppend
}

// retry puts b back to be sent again after a backoff, unless its retries or
// delivery time are used up.
func (p *Producer) retry(b *batch, err error, lookup bool, now time.Time, reports []report) []report {
	part := b.part
	p.land(b)
	b.attempts++
	b.lastErr = err
	switch {
	case p.aborting:
		return p.failed(b, ErrClosed, reports)
	case b.attempts > p.retries:
		return p.failed(b, fmt.Errorf("gave up after %d attempts: %w", b.attempts, err), reports)
	case p.opts.DeliveryTimeout > 0 && now.Sub(b.created) >= p.opts.DeliveryTimeout:
		return p.failed(b, fmt.Errorf("not delivered within delivery.timeout.ms (%s) after %d attempts: %w", p.opts.DeliveryTimeout, b.attempts, err), reports)
	}
	if lookup {
		part.leader = nil
	}
	if part.flying > 0 {
		part.recovering = true
	}
	wait := p.backoff(b.attempts)
	part.retryAt = now.Add(wait)
	p.log.Warn("produce failed, retrying", "topic", part.topic.name, "partition", part.id,
		"records", len(b.recs), "attempt", b.attempts, "backoff", wait, "error", err)
	return reports
}

// delivered completes the head batch of its partition.
func (p *Producer) delivered(b *batch, base int64, appendTime time.Time, reports []report) []report {
	p.dequeue(b)
	for i, r := range b.recs {
		r.Offset = -1
		if base >= 0 {
			r.Offset = base + int64(i)
		}
		if !appendTime.IsZero() && appendTime.UnixMilli() > 0 {
			r.Timestamp = appendTime
		}
	}
	return append(reports, report{b: b})
}

// failed reports b as failed for good. When the broker certainly does not
// have it, its sequence numbers were never used: the batches queued behind
// it take them over, so they are not rejected in turn as out of order.
func (p *Producer) failed(b *batch, err error, reports []report) []report {
	part := b.part
	at := p.dequeue(b)
	if !b.maybeWritten && p.producerID >= 0 {
		// Batches in flight behind it come back refused as out of order,
		// and are resent with their new numbers.
		n := len(b.recs)
		for _, q := range part.queue[at:] {
			q.seq = addSequence(q.seq, -n)
			if q.encoded != nil {
				q.encoded.FirstSequence = q.seq
			}
		}
		part.nextSeq = addSequence(part.nextSeq, -n)
	}
	if part.flying > 0 {
		part.recovering = true
	}
	return append(reports, report{b: b, err: fmt.Errorf("produce to topic %s partition %d: %w", part.topic.name, part.id, err)})
}

// dequeue takes b out of its partition and returns where in the queue it was.
func (p *Producer) dequeue(b *batch) int {
	part := b.part
	p.land(b)
	if part.open == b {
		part.open = nil
		return len(part.queue)
	}
	for i, q := range part.queue {
		if q == b {
			copy(part.queue[i:], part.queue[i+1:])
			part.queue[len(part.queue)-1] = nil
			part.queue = part.queue[:len(part.queue)-1]
			return i
		}
	}
	return len(part.queue)
}

// land notes that b is no longer in flight.
func (p *Producer) land(b *batch) {
	if b.sending {
		b.sending = false
		b.part.flying--
	}
}

// abortAll fails every batch not yet reported: Close ran out of time.
func (p *Producer) abortAll(reports []report) []report {
	for _, part := range p.active {
		for len(part.queue) > 0 {
			part.queue[0].maybeWritten = true // in flight, perhaps written
			reports = p.failed(part.queue[0], ErrClosed, reports)
		}
		if part.open != nil {
			reports = p.failed(part.open, ErrClosed, reports)
		}
	}
	clear(p.inFlight) // their responses, if any come, are not waited for
	return reports
}

// report hands outcomes to OnDelivery, then recycles the batches. It
// reports whether the producer is closing and has nothing left to report.
func (p *Producer) report(reports []report) bool {
	for _, r := range reports {
		p.opts.OnDelivery(r.b.recs, r.err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range reports {
		b := r.b
		clear(b.recs)
		clear(b.records)
		clear(b.ptrs)
		b.recs = b.recs[:0]
		b.part, b.encoded, b.bytes, b.attempts, b.lastErr, b.maybeWritten = nil, nil, 0, 0, nil, false
		p.undelivered--
		if len(p.free) < 4 {
			p.free = append(p.free, b)
		}
	}
	return p.closing && p.undelivered == 0
}
