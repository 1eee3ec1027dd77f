// Package connectors is the plugin API: connectors, tasks, converters and the
// records and schemas they exchange, mirroring Kafka Connect's connect/api in
// Go. Implementations live in subpackages; the runtime in package runner.
package connectors

import (
	"context"
	"errors"
	"log/slog"
	"maps"

	"github.com/connect-standalone/connect-standalone/config"
)

// ErrRetriable marks a failure worth retrying (Kafka's RetriableException):
// wrap it, as in fmt.Errorf("poll %s: %w", file, connectors.ErrRetriable).
var ErrRetriable = errors.New("retriable")

// ConnectorContext is what the runtime offers a running connector.
// It is safe for concurrent use.
type ConnectorContext interface {
	Logger() *slog.Logger
	// RequestTaskReconfiguration asks the runtime to call TaskConfigs again
	// and, if the task configs changed, to restart the tasks with the new
	// ones, as Kafka's ConnectorContext.requestTaskReconfiguration: for a
	// connector that watches its outside system, such as the JDBC source
	// finding new tables. It returns at once; the work happens later.
	RequestTaskReconfiguration()
}

// Connector is the configuration half of a plugin: it validates its config
// and splits the work into task configs. It moves no data itself.
type Connector interface {
	// Config declares the connector's own keys. It is pure and may be called
	// before Start (offline validation, docs).
	Config() *config.Def
	// Start is called once with the connector's config, parsed by Config()
	// merged with the runtime's common connector keys (Raw holds every key
	// the user wrote). Cancelling ctx abandons the start.
	Start(ctx context.Context, cc ConnectorContext, cfg config.Values) error
	// TaskConfigs returns at most maxTasks task configs.
	TaskConfigs(maxTasks int) ([]map[string]string, error)
	// Stop releases what Start acquired.
	Stop(ctx context.Context) error
}

// CopyTaskConfigs returns maxTasks copies of cfg: the task configs of a
// connector whose tasks all do the same work, as sinks do, sharing the
// topics' partitions through their consumer group.
func CopyTaskConfigs(cfg map[string]string, maxTasks int) []map[string]string {
	out := make([]map[string]string, max(maxTasks, 0))
	for i := range out {
		out[i] = maps.Clone(cfg)
	}
	return out
}

// SourceConnector is a Connector whose tasks read from an outside system into Kafka.
type SourceConnector interface {
	Connector
	NewTask() SourceTask
}

// SinkConnector is a Connector whose tasks write from Kafka to an outside system.
type SinkConnector interface {
	Connector
	NewTask() SinkTask
}

// SourceTaskContext is what the runtime offers a running source task.
// It is safe for concurrent use.
type SourceTaskContext interface {
	Logger() *slog.Logger
	// Offset returns the last committed offset of a source partition, or nil.
	Offset(ctx context.Context, partition map[string]any) (map[string]any, error)
}

// SourceTask reads records from an outside system. The runtime calls Start,
// then Poll repeatedly from one goroutine, then Stop from that same goroutine.
type SourceTask interface {
	Start(ctx context.Context, tc SourceTaskContext, cfg map[string]string) error
	// Poll blocks until records are ready, an idle interval passes (nil, nil),
	// or ctx is done. When ctx is done it returns promptly: records it already
	// holds may be returned once, with a nil error.
	Poll(ctx context.Context) ([]SourceRecord, error)
	Stop(ctx context.Context) error
}

// OffsetFiller is an optional SourceTask capability, for tasks that give only
// the last record of each Poll its offset (see SourceRecord). FillOffset sets
// the offset of r, one of the records the latest Poll returned, when the
// runtime needs it exactly: to name r in an error, or to store the progress
// made up to r when a later record of the batch fails. It is called from the
// goroutine that calls Poll, before the next Poll.
type OffsetFiller interface {
	FillOffset(r *SourceRecord)
}

// RecordCommitter is an optional SourceTask capability: CommitRecord is called
// after Kafka acknowledged r (md is nil when r was dropped on the way).
type RecordCommitter interface {
	CommitRecord(ctx context.Context, r *SourceRecord, md *RecordMetadata) error
}

// Committer is an optional SourceTask capability: Commit is called after the
// task's offsets were made durable.
type Committer interface {
	Commit(ctx context.Context) error
}

// SinkTaskContext is what the runtime offers a running sink task.
// It is safe for concurrent use.
type SinkTaskContext interface {
	Logger() *slog.Logger
	// Seek makes tp resume at offset, as Kafka's SinkTaskContext.offset:
	// for sinks that keep their own position, such as the storage sinks
	// whose file names record the offsets they hold. It takes effect when
	// called from PartitionHandler.Open for the partitions being opened.
	Seek(tp TopicPartition, offset int64)
}

// SinkTask writes records to an outside system. The runtime calls Start, then
// Put and Flush from one goroutine, then Stop from that same goroutine.
type SinkTask interface {
	Start(ctx context.Context, tc SinkTaskContext, cfg map[string]string) error
	// Put hands over records; they need not be durable until Flush.
	Put(ctx context.Context, records []SinkRecord) error
	// Flush makes everything passed to Put durable. Consumer offsets (the next
	// offset to read, per partition) are committed only after it returns nil.
	Flush(ctx context.Context, offsets map[TopicPartition]int64) error
	Stop(ctx context.Context) error
}

// ErrantRecordReporter is an optional SinkTaskContext capability, Kafka's
// ErrantRecordReporter: a sink task hands over a record it cannot write,
// and the runtime settles it as errors.tolerance says. With none, Report
// returns an error for the task to fail with. With all, the record is
// logged (errors.log.enable) and sent to the dead letter queue if one is
// configured, Report returns nil, and the task goes on without it; its
// offset is committed with its batch's, after the dead letter queue has it.
// Report is called from the goroutine that calls Put.
type ErrantRecordReporter interface {
	Report(ctx context.Context, r SinkRecord, err error) error
}

// PreCommitter is an optional SinkTask capability, Kafka's
// SinkTask.preCommit, for sinks that decide themselves which records are
// durable, such as the storage sinks, which make whole files durable rather
// than batches. When a task has it, the runtime calls PreCommit instead of
// Flush at every offset commit (offset.flush.interval.ms), even when no
// record was put since the last, and before partitions are closed.
// consumed holds, per assigned partition, the next offset after the records
// put so far. PreCommit returns the offsets to commit, the next offset to
// read per partition; partitions it leaves out are not committed.
type PreCommitter interface {
	PreCommit(ctx context.Context, consumed map[TopicPartition]int64) (map[TopicPartition]int64, error)
}

// PartitionHandler is an optional SinkTask capability, called when partitions
// are assigned to the task and before they are taken away.
type PartitionHandler interface {
	Open(ctx context.Context, tps []TopicPartition) error
	Close(ctx context.Context, tps []TopicPartition) error
}

// Converter turns Connect data into the bytes of a record's key or value and
// back. Implementations are safe for concurrent use. The bytes FromConnect
// returns may share memory with the value (a string's bytes, a []byte value)
// and ToConnect may keep b: neither side modifies bytes it was handed.
type Converter interface {
	FromConnect(ctx context.Context, topic string, h Headers, v SchemaAndValue) ([]byte, error)
	ToConnect(ctx context.Context, topic string, h Headers, b []byte) (SchemaAndValue, error)
}

// HeaderConverter turns one header value into bytes and back.
// Implementations are safe for concurrent use.
type HeaderConverter interface {
	FromConnectHeader(ctx context.Context, topic, key string, v SchemaAndValue) ([]byte, error)
	ToConnectHeader(ctx context.Context, topic, key string, b []byte) (SchemaAndValue, error)
}

// Transform is a Single Message Transform, Kafka's Transformation: it
// reshapes one record, or drops it by returning keep=false (Kafka returns
// null). Apply is pure and safe for concurrent use: it never modifies r's
// maps, slices, StructValues or headers, and returns a new record instead.
type Transform interface {
	Apply(r Record) (out Record, keep bool, err error)
}

// SinkRecordTransform is an optional Transform capability for transforms
// that read a sink record's Kafka coordinates (InsertField's offset.field).
// On the sink path the runtime calls ApplySink instead of Apply.
type SinkRecordTransform interface {
	ApplySink(r SinkRecord) (out SinkRecord, keep bool, err error)
}

// Predicate decides whether a transform applies to a record, Kafka's
// Predicate. Test is pure and safe for concurrent use.
type Predicate interface {
	Test(r Record) (bool, error)
}

// ConverterTypeKey is set by the runtime in every converter's config, as
// Kafka's ConverterConfig "converter.type": "key", "value" or "header".
const ConverterTypeKey = "converter.type"

// Version is the version of connect-standalone and of its built-in plugins.
const Version = "0.1.0"
