// Package offsets keeps source connectors' offsets: where each source
// partition was read up to, per connector, durable across restarts.
package offsets

import "context"

// Entry is one source partition's offset. A nil Offset is a tombstone: the
// partition's offset is removed.
type Entry struct {
	Partition map[string]any
	Offset    map[string]any
}

// Store holds source offsets keyed by connector name and source partition.
// Implementations are safe for concurrent use.
//
// Offset maps read back hold Kafka's schemaless JSON types: string, bool,
// nil, int64 for integral numbers, float64 for others, map[string]any and
// []any; partitions are compared by value, whatever their key order.
type Store interface {
	// Get returns the stored offset of one partition, or nil when none is stored.
	Get(connector string, partition map[string]any) (map[string]any, error)
	// All returns every stored entry of a connector.
	All(connector string) ([]Entry, error)
	// Set stores entries for a connector and returns once they are durable
	// (on disk for the file store). Cancelling ctx abandons the wait; the
	// entries may or may not have been stored. Later entries for the same
	// partition win.
	Set(ctx context.Context, connector string, entries []Entry) error
	// Close releases the store. Set must not be called after Close.
	Close() error
}
