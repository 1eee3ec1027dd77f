package hdfs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/storage/partition"
	"github.com/connect-standalone/connect-standalone/connectors/storage/rotation"
	"github.com/connect-standalone/connect-standalone/connectors/storage/store"
)

// task writes the records of its assigned partitions to files. The runtime
// calls it from one goroutine.
type task struct {
	def *config.Def
	// now and openStore are time.Now and store.OpenURL when nil; tests
	// set them.
	now       func() time.Time
	openStore func(url, hadoopConfDir string) (store.Store, error)

	tc      connectors.SinkTaskContext
	s       *settings
	writers map[connectors.TopicPartition]*partitionWriter
}

// Start opens the store and builds the partitioner, format and rotation
// policy; nothing is written before partitions are opened.
func (t *task) Start(ctx context.Context, tc connectors.SinkTaskContext, cfg map[string]string) error {
	v, err := t.def.Parse(cfg)
	if err != nil {
		return fmt.Errorf("configure HDFS sink task: %w", err)
	}
	url := storeURL(v)
	if url == "" {
		return errors.New("configure HDFS sink task: hdfs.url or store.url is required")
	}
	fp, err := lookupFormat(v.String(KeyFormatClass))
	if err != nil {
		return fmt.Errorf("configure HDFS sink task: %s: %w", KeyFormatClass, err)
	}
	f, err := fp.New(v)
	if err != nil {
		return fmt.Errorf("configure HDFS sink task: %w", err)
	}
	part, err := partition.New(v, t.now)
	if err != nil {
		return fmt.Errorf("configure HDFS sink task: %w", err)
	}
	policy, err := rotation.NewPolicy(v, part, t.now)
	if err != nil {
		return fmt.Errorf("configure HDFS sink task: %w", err)
	}
	open := t.openStore
	if open == nil {
		open = store.OpenURL
	}
	st, err := open(url, v.String(KeyHadoopConfDir))
	if err != nil {
		return fmt.Errorf("start HDFS sink task: %w", err)
	}
	log := slog.New(slog.DiscardHandler)
	if tc != nil && tc.Logger() != nil {
		log = tc.Logger()
	}
	t.tc = tc
	t.s = &settings{
		log:    log,
		st:     st,
		layout: partition.Layout{TopicsDir: v.String(partition.KeyTopicsDir), LogsDir: v.String(partition.KeyLogsDir)},
		part:   part,
		format: f,
		policy: policy,
		compat: rotation.Compatibility(v.String(rotation.KeySchemaCompatibility)),
		pad:    v.Int(partition.KeyZeroPadWidth),
	}
	t.writers = make(map[connectors.TopicPartition]*partitionWriter)
	log.Info("writing files to "+st.URL(), "format", v.String(KeyFormatClass), "flush.size", policy.FlushSize)
	return nil
}

// Open recovers each partition from its files and makes the consumer
// resume after the highest committed offset, whatever offset the consumer
// group holds: the files are the truth. A partition with no committed
// file resumes where the group's offset (or auto.offset.reset) says.
func (t *task) Open(ctx context.Context, tps []connectors.TopicPartition) error {
	for _, tp := range tps {
		w := newPartitionWriter(t.s, tp)
		next, err := w.recover()
		if err != nil {
			return err
		}
		t.writers[tp] = w
		if next >= 0 {
			t.tc.Seek(tp, next)
			t.s.log.Info("resuming after the committed files", "topic", tp.Topic, "partition", tp.Partition, "offset", next)
		}
	}
	return nil
}

// Put writes records to the open files, then commits the files of every
// partition that reached flush.size or a rotation interval.
func (t *task) Put(ctx context.Context, records []connectors.SinkRecord) error {
	touched := make(map[*partitionWriter]struct{})
	for _, r := range records {
		tp := origin(r)
		w, ok := t.writers[tp]
		if !ok {
			return fmt.Errorf("record %s-%d at offset %d: partition not opened", tp.Topic, tp.Partition, r.Offset)
		}
		if err := w.write(r); err != nil {
			return err
		}
		touched[w] = struct{}{}
	}
	for w := range touched {
		if err := t.commitIfDue(w); err != nil {
			return err
		}
	}
	return nil
}

// origin is the partition r was read from. Files are named after it even
// when a transform renamed the topic, as recovery finds a partition's
// files by that name.
func origin(r connectors.SinkRecord) connectors.TopicPartition {
	if r.OriginalTopic != "" {
		return connectors.TopicPartition{Topic: r.OriginalTopic, Partition: r.OriginalPartition}
	}
	return connectors.TopicPartition{Topic: r.Topic, Partition: r.Partition}
}

func (t *task) commitIfDue(w *partitionWriter) error {
	due, err := w.due()
	if err != nil || !due {
		return err
	}
	if err := w.commit(); err != nil {
		return err
	}
	return w.timer.Reset(nil)
}

// Flush has nothing to do: the runtime asks PreCommit instead, as records
// become durable only when their file is committed.
func (t *task) Flush(ctx context.Context, offsets map[connectors.TopicPartition]int64) error {
	return nil
}

// PreCommit commits the files whose rotation interval passed while no
// record arrived, and returns, for the consumer group, the offset after
// each partition's committed files. Kafka then shows the sink's real lag;
// on a restart the files decide where to resume anyway.
func (t *task) PreCommit(ctx context.Context, consumed map[connectors.TopicPartition]int64) (map[connectors.TopicPartition]int64, error) {
	out := make(map[connectors.TopicPartition]int64, len(t.writers))
	for tp, w := range t.writers {
		if err := t.commitIfDue(w); err != nil {
			return nil, err
		}
		if w.next >= 0 {
			out[tp] = w.next
		}
	}
	return out, nil
}

// Close discards the open files of partitions taken away: their records
// are delivered again to whichever task gets the partition.
func (t *task) Close(ctx context.Context, tps []connectors.TopicPartition) error {
	for _, tp := range tps {
		if w, ok := t.writers[tp]; ok {
			w.discard()
			delete(t.writers, tp)
		}
	}
	return nil
}

func (t *task) Stop(ctx context.Context) error {
	if t.s == nil {
		return nil
	}
	for tp, w := range t.writers {
		w.discard()
		delete(t.writers, tp)
	}
	return t.s.st.Close()
}
