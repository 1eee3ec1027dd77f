// Package s3 is Confluent's Amazon S3 sink connector,
// io.confluent.connect.s3.S3SinkConnector: it writes the records of each
// Kafka partition to objects in a bucket of AWS S3 or of an S3-compatible
// store, in Avro, JSON, Parquet or raw bytes.
//
// The keys, object names and rotation rules are Confluent's, so existing
// connector files and the objects they produce stay the same. An object
// is named by the offset of its first record and written with a multipart
// upload; it appears in the bucket whole when it is committed, and only
// then are its records' offsets committed to Kafka (PreCommit). A replay
// after a crash thus writes the same objects under the same keys, as long
// as the partitioner and rotation depend on the records only (no
// Wallclock extractor, no rotate.schedule.interval.ms).
//
// It differs from Confluent's connector in a few places:
//
//   - Closing partitions aborts the uploads of those partitions only,
//     where Confluent's task aborts those of every partition it holds.
//   - aws.access.key.id and aws.secret.access.key must be set together;
//     Confluent silently falls back to the default chain when one is
//     blank.
//   - storage.class may be left out; its only value is the default.
//   - rotate.interval.ms with the Wallclock extractor also commits
//     objects at an offset commit when no record arrives.
//   - Not supported: store.kafka.keys and store.kafka.headers (and with
//     them behavior.on.null.values=write), s3.object.tagging, custom
//     s3.credentials.provider.class, and the dead letter queue for
//     records the partitioner or format reject: such records fail the
//     task.
package s3

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Class is the connector's Java class name.
const Class = "io.confluent.connect.s3.S3SinkConnector"

// Plugin returns the S3 sink plugin. Its connector and tasks are built
// fresh for each use; a task's methods are called from one goroutine.
func Plugin() connectors.Plugin {
	def := newDef()
	return connectors.Plugin{
		Class:   Class,
		Kind:    connectors.KindSink,
		Version: connectors.Version,
		Def:     def,
		Doc:     pluginDoc,
		Example: pluginExample,
		NewSink: func() connectors.SinkConnector { return &connector{def: def} },
	}
}

const pluginDoc = "Writes the records of each Kafka partition to objects in an S3 bucket, as Confluent's S3 sink: " +
	"`<topics.dir>/<topic>/<encoded partition>/<topic>+<partition>+<start offset>.<ext>`. " +
	"An object is uploaded in `s3.part.size` parts while it fills and completed when `flush.size` records, " +
	"`rotate.interval.ms`, `rotate.schedule.interval.ms` or a schema change end it; consumer offsets are " +
	"committed only for records in completed objects, so a restart rewrites the same objects (exactly once)."

const pluginExample = "```properties\n" +
	"name=s3-sink\n" +
	"connector.class=io.confluent.connect.s3.S3SinkConnector\n" +
	"topics=orders\n" +
	"s3.bucket.name=my-bucket\n" +
	"s3.region=eu-west-1\n" +
	"format.class=io.confluent.connect.s3.format.json.JsonFormat\n" +
	"flush.size=1000\n" +
	"```\n\n" +
	"Records 0 to 999 of partition 0 of `orders` become the object " +
	"`topics/orders/partition=0/orders+0+0000000000.json`, one JSON value per line.\n"

type connector struct {
	def   *config.Def
	props map[string]string
}

func (c *connector) Config() *config.Def { return c.def }

// Start checks the configuration as tasks will use it, so that mistakes
// show before any task starts. It does no I/O.
func (c *connector) Start(ctx context.Context, cc connectors.ConnectorContext, cfg config.Values) error {
	if _, err := newSettings(cfg, logger(cc), nil); err != nil {
		return fmt.Errorf("configure S3 sink: %w", err)
	}
	c.props = maps.Clone(cfg.Raw())
	return nil
}

// TaskConfigs gives every task the connector's config; the runtime
// shares the partitions among them.
func (c *connector) TaskConfigs(maxTasks int) ([]map[string]string, error) {
	return connectors.CopyTaskConfigs(c.props, maxTasks), nil
}

func (c *connector) Stop(ctx context.Context) error { return nil }

func (c *connector) NewTask() connectors.SinkTask { return &task{def: c.def} }

// task writes the records of its partitions to S3. The runtime calls all
// its methods from one goroutine.
type task struct {
	def *config.Def
	now func() time.Time // nil: time.Now; tests set it

	log     *slog.Logger
	s       *settings
	client  *s3.Client
	writers map[connectors.TopicPartition]*partitionWriter
}

// Start builds the S3 client and checks that the bucket exists, which may
// block on the network until ctx ends.
func (t *task) Start(ctx context.Context, tc connectors.SinkTaskContext, cfg map[string]string) error {
	t.log = slog.New(slog.DiscardHandler)
	if tc != nil && tc.Logger() != nil {
		t.log = tc.Logger()
	}
	vals, err := t.def.Parse(cfg)
	if err != nil {
		return fmt.Errorf("configure S3 sink task: %w", err)
	}
	s, err := newSettings(vals, t.log, t.now)
	if err != nil {
		return fmt.Errorf("configure S3 sink task: %w", err)
	}
	client, err := newClient(ctx, s)
	if err != nil {
		return fmt.Errorf("start S3 sink task: %w", err)
	}
	if err := checkBucket(ctx, client, s); err != nil {
		return fmt.Errorf("start S3 sink task: %w", err)
	}
	t.s, t.client = s, client
	t.writers = make(map[connectors.TopicPartition]*partitionWriter)
	t.log.Info("writing to S3 bucket "+s.bucket, "bucket", s.bucket, "store", s.where())
	return nil
}

// Open makes a writer per partition. Nothing is read from the bucket:
// partitions resume at their committed consumer offsets, which only ever
// cover completed objects.
func (t *task) Open(ctx context.Context, tps []connectors.TopicPartition) error {
	for _, tp := range tps {
		if _, ok := t.writers[tp]; !ok {
			t.writers[tp] = newPartitionWriter(tp, t.s, t.client, t.log)
		}
	}
	return nil
}

// Put writes the records to their objects, uploading every part that
// fills and completing the objects that rotate.
func (t *task) Put(ctx context.Context, records []connectors.SinkRecord) error {
	for i := range records {
		r := records[i]
		if r.Value.Value == nil {
			if t.s.ignoreNulls {
				t.log.Debug("skipping a record with a null value", "topic", r.Topic, "partition", r.Partition, "offset", r.Offset)
				continue
			}
			return fmt.Errorf("%s has a null value, which the S3 sink cannot write; set %s=ignore to skip such records", recordName(r), KeyNullValues)
		}
		tp := connectors.TopicPartition{Topic: r.Topic, Partition: r.Partition}
		w, ok := t.writers[tp]
		if !ok {
			return fmt.Errorf("%s: partition not assigned to this task", recordName(r))
		}
		if err := w.write(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// Flush does nothing: the runtime calls PreCommit instead, and objects
// become durable when they rotate, not when offsets are committed.
func (t *task) Flush(ctx context.Context, offsets map[connectors.TopicPartition]int64) error {
	return nil
}

// PreCommit completes the objects whose time is up and returns, for each
// partition that completed objects since the last call, the offset after
// their last record. Records in open objects are never covered.
func (t *task) PreCommit(ctx context.Context, consumed map[connectors.TopicPartition]int64) (map[connectors.TopicPartition]int64, error) {
	out := make(map[connectors.TopicPartition]int64)
	for tp, w := range t.writers {
		off, ok, err := w.preCommit(ctx)
		if err != nil {
			return nil, fmt.Errorf("commit objects of %s-%d: %w", tp.Topic, tp.Partition, err)
		}
		if ok {
			out[tp] = off
		}
	}
	return out, nil
}

// Close aborts the open uploads of the partitions and drops their
// writers. Failing to abort is logged, not returned: the records are read
// again anyway, and S3 lifecycle rules can remove orphaned parts.
func (t *task) Close(ctx context.Context, tps []connectors.TopicPartition) error {
	for _, tp := range tps {
		t.closeWriter(ctx, tp)
	}
	return nil
}

// Stop aborts the uploads of the partitions still open.
func (t *task) Stop(ctx context.Context) error {
	for tp := range t.writers {
		t.closeWriter(ctx, tp)
	}
	return nil
}

func (t *task) closeWriter(ctx context.Context, tp connectors.TopicPartition) {
	w, ok := t.writers[tp]
	if !ok {
		return
	}
	if err := w.abort(ctx); err != nil {
		t.log.Warn("could not abort uploads", "topic", tp.Topic, "partition", tp.Partition, "error", err)
	}
	delete(t.writers, tp)
}

func logger(cc connectors.ConnectorContext) *slog.Logger {
	if cc != nil && cc.Logger() != nil {
		return cc.Logger()
	}
	return slog.New(slog.DiscardHandler)
}
