package connectors

import (
	"time"
)

// Header is one record header. Keys may repeat; order is kept.
type Header struct {
	Key   string
	Value SchemaAndValue
}

// Headers is an ordered list of headers. Treat a Headers slice as immutable:
// With and Without return copies, so a transform never changes a record that
// another stage still holds.
type Headers []Header

// With returns a copy of h with a header appended.
func (h Headers) With(key string, v SchemaAndValue) Headers {
	out := make(Headers, len(h), len(h)+1)
	copy(out, h)
	return append(out, Header{Key: key, Value: v})
}

// Without returns a copy of h without any header named key.
func (h Headers) Without(key string) Headers {
	out := make(Headers, 0, len(h))
	for _, x := range h {
		if x.Key != key {
			out = append(out, x)
		}
	}
	return out
}

// Record is what flows between Kafka and a connector: Kafka's ConnectRecord.
type Record struct {
	Topic     string
	Partition int32 // -1: let the producer's partitioner choose
	Key       SchemaAndValue
	Value     SchemaAndValue
	Headers   Headers
	Timestamp time.Time // zero: no timestamp (the producer stamps it)
}

// SourceRecord is a record produced by a SourceTask, with where it came from.
// SourcePartition and SourceOffset hold JSON-encodable primitives (string,
// bool, nil, integers, floats) under string keys, as Kafka requires.
//
// A nil SourceOffset leaves the partition's stored offset where the records
// before it put it. A task polling many records of one partition at once may
// give only the last one an offset, sparing an allocation per record, and
// implement OffsetFiller so that a failure in the middle of the batch still
// stores the exact progress and names the exact record.
type SourceRecord struct {
	Record
	SourcePartition map[string]any // which stream, e.g. {"filename": "test.txt"}
	SourceOffset    map[string]any // where in it, e.g. {"position": 1234}; may be nil, see above
}

// SinkRecord is a record consumed from Kafka and handed to a SinkTask.
type SinkRecord struct {
	Record
	Offset int64 // the Kafka offset of the record
	// OriginalTopic and OriginalPartition are where the record was read,
	// before transforms changed Topic or Partition. Flush's offsets are
	// keyed by them.
	OriginalTopic     string
	OriginalPartition int32
}

// TopicPartition names one Kafka partition.
type TopicPartition struct {
	Topic     string
	Partition int32
}

// RecordMetadata is what Kafka returned for an acknowledged source record.
type RecordMetadata struct {
	Topic     string
	Partition int32
	Offset    int64
	Timestamp time.Time
}
