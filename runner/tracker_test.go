package runner

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// track registers a record of n bytes at offset in the source partition.
func track(tr *tracker, partition, offset map[string]any, n int) *inflight {
	f := &inflight{offset: offset, bytes: n}
	tr.add(f, partition)
	return f
}

func TestTrackerCommitsOnlyTheAcknowledgedPrefix(t *testing.T) {
	pa := map[string]any{"filename": "a"}
	pb := map[string]any{"filename": "b"}
	off := func(n int64) map[string]any { return map[string]any{"position": n} }

	tests := []struct {
		name string
		acks []int // indexes into the added records, in ack order
		want map[string]int64
	}{
		{"nothing acknowledged", nil, map[string]int64{}},
		{"in order", []int{0, 1, 2}, map[string]int64{"a": 30}},
		{"later ones only", []int{1, 2}, map[string]int64{}},
		{"gap closes", []int{2, 0, 1}, map[string]int64{"a": 30}},
		{"first only", []int{0, 2}, map[string]int64{"a": 10}},
		{"partitions independent", []int{3, 1}, map[string]int64{"b": 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newTracker(100, 1<<20)
			recs := []*inflight{
				track(tr, pa, off(10), 1),
				track(tr, pa, off(20), 1),
				track(tr, pa, off(30), 1),
				track(tr, pb, off(5), 1),
			}
			for _, i := range tt.acks {
				tr.ack(recs[i])
			}
			entries, _ := tr.snapshot()
			got := map[string]int64{}
			for _, e := range entries {
				got[e.Partition["filename"].(string)] = e.Offset["position"].(int64)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("committable = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTrackerSnapshotIsOfferedAgainUntilMarkedDurable(t *testing.T) {
	tr := newTracker(100, 1<<20)
	p := map[string]any{"filename": "a"}
	tr.ack(track(tr, p, map[string]any{"position": int64(1)}, 1))

	first, _ := tr.snapshot() // a failed store: done is never called
	if len(first) != 1 {
		t.Fatalf("first snapshot has %d entries, want 1", len(first))
	}
	again, done := tr.snapshot()
	if len(again) != 1 {
		t.Fatalf("after a failed flush the offset must be offered again, got %d entries", len(again))
	}
	done()
	if rest, _ := tr.snapshot(); len(rest) != 0 {
		t.Fatalf("after a durable flush nothing is pending, got %v", rest)
	}
	tr.ack(track(tr, p, map[string]any{"position": int64(2)}, 1))
	if next, _ := tr.snapshot(); len(next) != 1 || next[0].Offset["position"] != int64(2) {
		t.Fatalf("a newer offset must be offered, got %v", next)
	}
}

func TestTrackerFailedRecordBlocksLaterOffsets(t *testing.T) {
	tr := newTracker(100, 1<<20)
	p := map[string]any{"filename": "a"}
	first := track(tr, p, map[string]any{"position": int64(1)}, 1)
	second := track(tr, p, map[string]any{"position": int64(2)}, 1)
	tr.failAll([]*inflight{first})
	tr.ack(second)
	if entries, _ := tr.snapshot(); len(entries) != 0 {
		t.Fatalf("an offset after an undelivered record must not be committable, got %v", entries)
	}
	if tr.pending() != 0 {
		t.Fatalf("pending = %d, want 0", tr.pending())
	}
}

func TestTrackerWindowBlocksUntilAcknowledged(t *testing.T) {
	tr := newTracker(2, 1<<20)
	p := map[string]any{"filename": "a"}
	a := track(tr, p, nil, 1)
	track(tr, p, nil, 1)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := tr.reserve(ctx, 1); err == nil {
		t.Fatal("reserve succeeded with a full window")
	}
	released := make(chan error, 1)
	go func() { released <- tr.reserve(context.Background(), 1) }()
	tr.ack(a)
	if err := <-released; err != nil {
		t.Fatalf("reserve after an ack: %v", err)
	}
}

func TestTrackerTryAddRefusesWhenFull(t *testing.T) {
	tr := newTracker(10, 100)
	p := map[string]any{"filename": "a"}
	first := &inflight{bytes: 200}
	if !tr.tryAdd(first, p) {
		t.Fatal("a record larger than the window must pass alone")
	}
	if tr.tryAdd(&inflight{bytes: 1}, p) {
		t.Fatal("tryAdd took a record into a full window")
	}
	tr.ack(first)
	if !tr.tryAdd(&inflight{bytes: 60}, p) || tr.tryAdd(&inflight{bytes: 60}, p) {
		t.Fatal("the byte bound is not kept")
	}
}

func TestTrackerDiscardFreesTheQueueEnd(t *testing.T) {
	tr := newTracker(10, 1<<20)
	p := map[string]any{"filename": "a"}
	sent := track(tr, p, map[string]any{"position": int64(1)}, 1)
	unsent := []*inflight{track(tr, p, map[string]any{"position": int64(2)}, 1), track(tr, p, map[string]any{"position": int64(3)}, 1)}
	tr.discard(unsent)
	progress := track(tr, p, map[string]any{"position": int64(9)}, 0)
	tr.ack(progress)
	tr.ack(sent)
	entries, _ := tr.snapshot()
	if len(entries) != 1 || entries[0].Offset["position"] != int64(9) || tr.pending() != 0 {
		t.Fatalf("entries %v, pending %d; want position 9 committable and nothing pending", entries, tr.pending())
	}
}

func TestTrackerWaitDrained(t *testing.T) {
	tr := newTracker(10, 1<<20)
	f := track(tr, map[string]any{"k": "v"}, nil, 1)
	done := make(chan error, 1)
	go func() { done <- tr.waitDrained(context.Background()) }()
	tr.ack(f)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestPartitionKeyIgnoresKeyOrder(t *testing.T) {
	a := map[string]any{"db": "x", "table": "t", "n": int64(1)}
	b := map[string]any{"table": "t", "n": int64(1), "db": "x"}
	if partitionKey(a) != partitionKey(b) {
		t.Fatal("equal maps must have equal keys")
	}
	if partitionKey(map[string]any{"f": "1"}) == partitionKey(map[string]any{"f": int64(1)}) {
		t.Fatal("a string and a number must differ")
	}
}

// Acknowledged records must not stay reachable through the queue's backing
// array: each pins the whole polled batch it was allocated with.
func TestTrackerDropsAcknowledgedRecords(t *testing.T) {
	tr := newTracker(1<<20, 1<<30)
	p := map[string]any{"filename": "a"}
	var recs []*inflight
	for i := range 5000 {
		recs = append(recs, track(tr, p, map[string]any{"position": int64(i)}, 1))
	}
	// Acknowledging more than half moves the rest to the array's front.
	for _, f := range recs[:3000] {
		tr.ack(f)
	}
	acked := make(map[*inflight]bool)
	for _, f := range recs[:3000] {
		acked[f] = true
	}
	part := recs[0].part
	if got := len(part.queue) - part.head; got != 2000 {
		t.Fatalf("%d records queued, want 2000", got)
	}
	for i, f := range part.queue[:cap(part.queue)] {
		if acked[f] {
			t.Fatalf("slot %d of the queue's array (length %d, head %d) still holds an acknowledged record", i, len(part.queue), part.head)
		}
	}
}
