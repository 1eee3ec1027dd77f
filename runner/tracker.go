package runner

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/offsets"
	"github.com/connect-standalone/connect-standalone/runner/producer"
)

// inflight is one source record between Poll and Kafka's acknowledgement.
// It holds the producer record itself; the source loop allocates them a
// polled batch at a time.
type inflight struct {
	rec    producer.Record
	part   *partState
	offset map[string]any
	acked  bool
	bytes  int
	index  int                      // in its polled batch
	record *connectors.SourceRecord // kept only for tasks that implement RecordCommitter
}

// partState tracks one source partition: records in send order, and the
// offset of the last record whose every predecessor Kafka acknowledged.
type partState struct {
	partition   map[string]any
	queue       []*inflight
	head        int
	committable map[string]any
	gen         uint64 // bumped whenever committable moves
	flushedGen  uint64
}

// tracker is a source task's offset tracker and in-flight window. Only the
// acknowledged prefix of each source partition is ever offered for flushing,
// so an offset is stored only after Kafka has every record before it. The
// window bounds memory: reserve blocks, and tryAdd refuses, while too many
// records or bytes are unacknowledged. Safe for concurrent use by the task
// loop, the producer's delivery callback and the offset flusher.
type tracker struct {
	mu       sync.Mutex
	parts    map[string]*partState
	last     *partState // the partition of the previous add, for tasks that reuse one partition map
	count    int
	bytes    int
	maxCount int
	maxBytes int
	space    chan struct{} // a token whenever acknowledgements free room
	drained  chan struct{} // closed and replaced when count reaches zero
}

func newTracker(maxCount, maxBytes int) *tracker {
	return &tracker{
		parts:    make(map[string]*partState),
		maxCount: maxCount,
		maxBytes: maxBytes,
		space:    make(chan struct{}, 1),
		drained:  make(chan struct{}),
	}
}

// reserve blocks until the window has room for one more record of n bytes,
// or ctx is done. A record larger than the whole window is let through alone.
func (t *tracker) reserve(ctx context.Context, n int) error {
	for {
		t.mu.Lock()
		fits := t.count == 0 || (t.count < t.maxCount && t.bytes+n <= t.maxBytes)
		t.mu.Unlock()
		if fits {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.space:
		}
	}
}

// tryAdd registers f, about to be sent, as add does, if the window has room
// for it now.
func (t *tracker) tryAdd(f *inflight, partition map[string]any) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.count != 0 && (t.count >= t.maxCount || t.bytes+f.bytes > t.maxBytes) {
		return false
	}
	t.addLocked(f, partition)
	return true
}

// add registers f, about to be sent, in send order: f.offset becomes
// committable for its source partition once f and every record before it
// are acknowledged.
func (t *tracker) add(f *inflight, partition map[string]any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.addLocked(f, partition)
}

func (t *tracker) addLocked(f *inflight, partition map[string]any) {
	p := t.last
	// Tasks usually hand every record of a stream the same partition map:
	// then the map itself identifies the partition and no key is built.
	if p == nil || !sameMap(p.partition, partition) {
		key := partitionKey(partition)
		p = t.parts[key]
		if p == nil {
			p = &partState{partition: partition}
			t.parts[key] = p
		}
		t.last = p
	}
	f.part = p
	p.queue = append(p.queue, f)
	t.count++
	t.bytes += f.bytes
}

// ack marks f acknowledged (or dropped on purpose) and advances its
// partition's committable offset over the acknowledged prefix.
func (t *tracker) ack(f *inflight) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ackLocked(f)
}

// ackAll acknowledges a run of records under one lock.
func (t *tracker) ackAll(fs []*inflight) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, f := range fs {
		t.ackLocked(f)
	}
}

func (t *tracker) ackLocked(f *inflight) {
	f.acked = true
	p := f.part
	for p.head < len(p.queue) && p.queue[p.head].acked {
		done := p.queue[p.head]
		p.queue[p.head] = nil
		p.head++
		if done.offset != nil {
			p.committable = done.offset
			p.gen++
		}
	}
	if p.head == len(p.queue) {
		p.queue, p.head = p.queue[:0], 0
	} else if p.head > 1024 && p.head*2 > len(p.queue) {
		n := copy(p.queue, p.queue[p.head:])
		// The moved entries' old slots would otherwise keep acknowledged
		// records, and every record allocated with them, reachable.
		clear(p.queue[n:])
		p.queue, p.head = p.queue[:n], 0
	}
	t.release(f.bytes)
}

// failAll releases the records' room in the window without advancing any
// offset: they were not delivered, so nothing after them may be stored
// either.
func (t *tracker) failAll(fs []*inflight) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, f := range fs {
		t.release(f.bytes)
	}
}

// discard takes back records that were added but never sent: the last ones
// added, so they leave the end of their partitions' queues and nothing
// waits on them.
func (t *tracker) discard(fs []*inflight) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		f := fs[i]
		if q := f.part.queue; len(q) > f.part.head && q[len(q)-1] == f {
			q[len(q)-1] = nil
			f.part.queue = q[:len(q)-1]
		}
		t.release(f.bytes)
	}
}

func (t *tracker) release(n int) {
	t.count--
	t.bytes -= n
	select {
	case t.space <- struct{}{}:
	default:
	}
	if t.count == 0 {
		close(t.drained)
		t.drained = make(chan struct{})
	}
}

// waitDrained blocks until no record is in flight or ctx is done.
func (t *tracker) waitDrained(ctx context.Context) error {
	for {
		t.mu.Lock()
		n, ch := t.count, t.drained
		t.mu.Unlock()
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		}
	}
}

// pending returns the number of records in flight.
func (t *tracker) pending() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.count
}

// snapshot returns the committable offsets not yet flushed, and a function
// to call once they are durable. A failed flush simply never calls it, so the
// offsets are offered again next time.
func (t *tracker) snapshot() ([]offsets.Entry, func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	type mark struct {
		p   *partState
		gen uint64
	}
	var entries []offsets.Entry
	var marks []mark
	for _, p := range t.parts {
		if p.gen != p.flushedGen {
			entries = append(entries, offsets.Entry{Partition: p.partition, Offset: p.committable})
			marks = append(marks, mark{p, p.gen})
		}
	}
	return entries, func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		for _, m := range marks {
			if m.p.flushedGen < m.gen {
				m.p.flushedGen = m.gen
			}
		}
	}
}

// sameMap reports whether a and b are the same map, not merely equal ones.
func sameMap(a, b map[string]any) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// partitionKey is a canonical string for a source partition map, equal for
// equal maps whatever their key order. Single string-valued partitions (the
// file source's) take a fast path: this runs once per record.
func partitionKey(m map[string]any) string {
	if len(m) == 1 {
		for k, v := range m {
			if s, ok := v.(string); ok {
				return k + "\x00s" + s
			}
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(strconv.Quote(k))
		b.WriteByte('=')
		switch v := m[k].(type) {
		case string:
			b.WriteString("s" + v)
		default:
			enc, err := json.Marshal(v)
			if err != nil {
				enc = []byte("?")
			}
			b.Write(enc)
		}
		b.WriteByte(0)
	}
	return b.String()
}
