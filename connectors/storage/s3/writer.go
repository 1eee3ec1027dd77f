package s3

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/storage/format"
	"github.com/connect-standalone/connect-standalone/connectors/storage/partition"
	"github.com/connect-standalone/connect-standalone/connectors/storage/rotation"
)

// partitionWriter writes the records of one Kafka partition, as
// Confluent's TopicPartitionWriter: one open object per encoded
// partition, named by the offset of its first record. Every rotation
// commits all open objects of the Kafka partition together, so the
// offset after the last record written is then durable. It is not safe
// for concurrent use.
type partitionWriter struct {
	tp     connectors.TopicPartition
	s      *settings
	client *s3.Client
	log    *slog.Logger
	timer  *rotation.Timer

	objects map[string]*object // by encoded partition
	order   []string           // encoded partitions in the order their objects opened
	// schemas is the value schema per encoded partition since the last
	// rotation; a nil entry is schemaless data.
	schemas    map[string]*connectors.Schema
	count      int    // records in the open objects
	lastOffset int64  // of the last record written
	lastEnc    string // its encoded partition

	commitOffset int64 // next offset to read after the uploaded objects
	haveCommit   bool  // commitOffset not yet handed to PreCommit
}

// object is one open object: a format writer, optionally gzip, over an
// upload.
type object struct {
	up *upload
	gz *gzip.Writer
	w  format.Writer
}

func newPartitionWriter(tp connectors.TopicPartition, s *settings, c *s3.Client, log *slog.Logger) *partitionWriter {
	return &partitionWriter{
		tp: tp, s: s, client: c,
		log:     log.With("topic", tp.Topic, "partition", tp.Partition),
		timer:   s.policy.NewTimer(),
		objects: make(map[string]*object),
		schemas: make(map[string]*connectors.Schema),
	}
}

// write adds r to the object of its encoded partition, first committing
// the open objects when a rotation rule says so, and afterwards when
// flush.size is reached.
func (w *partitionWriter) write(ctx context.Context, r connectors.SinkRecord) error {
	enc, err := w.s.partitioner.Partition(r)
	if err != nil {
		return err
	}
	if w.count == 0 {
		// New objects: time is measured from this record, and a schedule
		// that expired while nothing was open starts again from now.
		if err := w.timer.Reset(nil); err != nil {
			return recordErr(r, err)
		}
	}
	reason, err := w.rotateBefore(r, enc)
	if err != nil {
		return recordErr(r, err)
	}
	if reason != "" {
		if err := w.commit(ctx, reason); err != nil {
			return err
		}
		if err := w.timer.Reset(&r); err != nil {
			return recordErr(r, err)
		}
	}
	cur, known := w.schemas[enc]
	if !known || cur == nil || r.Value.Schema == nil {
		cur = r.Value.Schema
		w.schemas[enc] = cur
	}
	projected, err := w.s.compat.Project(r, cur)
	if err != nil {
		return err
	}
	o, opened, err := w.object(enc, r.Offset)
	if err != nil {
		return err
	}
	if err := o.w.Write(projected); err != nil {
		if opened {
			w.drop(ctx, enc)
		}
		return fmt.Errorf("write %s to %s: %w", recordName(r), o.up.name(), err)
	}
	w.count++
	w.lastOffset, w.lastEnc = r.Offset, enc
	if err := o.up.flush(ctx); err != nil {
		return fmt.Errorf("write %s: %w", recordName(r), err)
	}
	if w.count >= w.s.policy.FlushSize {
		return w.commit(ctx, "flush.size reached")
	}
	return nil
}

// rotateBefore says why the open objects must be committed before r is
// written, or "" when r goes into them. The checks are Confluent's, in
// its order: a switch between schemaless and schema-based values, the
// time rules, a change of encoded partition under rotate.interval.ms, and
// a schema change schema.compatibility does not absorb.
func (w *partitionWriter) rotateBefore(r connectors.SinkRecord, enc string) (string, error) {
	if w.count == 0 {
		_, err := w.timer.Due(&r, 0) // starts rotate.interval.ms at r
		return "", err
	}
	s := r.Value.Schema
	cur, known := w.schemas[enc]
	if known && (cur == nil) != (s == nil) {
		return "switch between schemaless and schema-based values", nil
	}
	due, err := w.timer.Due(&r, w.count)
	switch {
	case err != nil:
		return "", err
	case due:
		return "rotation interval or schedule passed", nil
	case w.s.onPartition && enc != w.lastEnc:
		return "encoded partition changed", nil
	}
	if !known || cur == nil {
		return "", nil
	}
	change, err := w.s.compat.ShouldChange(s, cur)
	if err != nil {
		return "", err
	}
	if change {
		return "value schema changed", nil
	}
	return "", nil
}

// object returns the open object of enc, opening one that starts at
// offset when there is none.
func (w *partitionWriter) object(enc string, offset int64) (*object, bool, error) {
	if o, ok := w.objects[enc]; ok {
		return o, false, nil
	}
	key := w.key(enc, offset)
	o := &object{up: newUpload(w.client, w.s, key)}
	var out io.Writer = o.up
	if w.s.gzip {
		gz, err := gzip.NewWriterLevel(o.up, w.s.gzipLevel)
		if err != nil {
			return nil, false, fmt.Errorf("gzip %s: %w", o.up.name(), err)
		}
		o.gz, out = gz, gz
	}
	fw, err := w.s.format.NewWriter(out)
	if err != nil {
		return nil, false, fmt.Errorf("open %s: %w", o.up.name(), err)
	}
	o.w = fw
	w.objects[enc] = o
	w.order = append(w.order, enc)
	w.log.Debug("opening object", "key", key)
	return o, true, nil
}

// key is Confluent's object key: <topics.dir>/<topic>/<encoded
// partition>/<topic>+<partition>+<start offset><ext>, joined by
// directory.delim, without topics.dir when it is blank.
func (w *partitionWriter) key(enc string, start int64) string {
	name := partition.ObjectName(w.tp.Topic, w.tp.Partition, start, w.s.padWidth, w.s.ext)
	parts := []string{w.tp.Topic, enc, name}
	if strings.TrimSpace(w.s.topicsDir) != "" {
		parts = append([]string{w.s.topicsDir}, parts...)
	}
	return strings.Join(parts, w.s.delim)
}

// commit completes the uploads of all open objects, in the order they
// opened. Once all are in the bucket, the offset after the last record
// written becomes the offset to commit. A failure leaves the objects not
// yet completed open, for Close to abort.
func (w *partitionWriter) commit(ctx context.Context, reason string) error {
	for len(w.order) > 0 {
		enc := w.order[0]
		o := w.objects[enc]
		if err := o.close(ctx); err != nil {
			return err
		}
		w.log.Info("committed object", "key", o.up.key, "reason", reason)
		delete(w.objects, enc)
		w.order = w.order[1:]
	}
	if w.count > 0 {
		w.commitOffset, w.haveCommit = w.lastOffset+1, true
	}
	w.count = 0
	clear(w.schemas)
	return nil
}

func (o *object) close(ctx context.Context) error {
	if err := o.w.Close(); err != nil {
		return fmt.Errorf("finish %s: %w", o.up.name(), err)
	}
	if o.gz != nil {
		if err := o.gz.Close(); err != nil {
			return fmt.Errorf("finish gzip of %s: %w", o.up.name(), err)
		}
	}
	return o.up.complete(ctx)
}

// preCommit commits the open objects when a time rule says so while no
// record arrives, and returns the offset to commit once: Confluent's
// getOffsetToCommitAndReset.
func (w *partitionWriter) preCommit(ctx context.Context) (int64, bool, error) {
	if w.count > 0 {
		due, err := w.timer.Due(nil, w.count)
		if err != nil {
			return 0, false, err
		}
		if due {
			if err := w.commit(ctx, "rotation interval or schedule passed"); err != nil {
				return 0, false, err
			}
		}
	}
	off, ok := w.commitOffset, w.haveCommit
	w.haveCommit = false
	return off, ok, nil
}

// abort aborts the uploads of all open objects; their records are read
// again from the last committed offset.
func (w *partitionWriter) abort(ctx context.Context) error {
	var errs []error
	for _, enc := range w.order {
		errs = append(errs, w.objects[enc].up.abort(ctx))
	}
	clear(w.objects)
	w.order = nil
	w.count = 0
	clear(w.schemas)
	return errors.Join(errs...)
}

// drop aborts the object of enc, which holds no record.
func (w *partitionWriter) drop(ctx context.Context, enc string) {
	if err := w.objects[enc].up.abort(ctx); err != nil {
		w.log.Warn("abandoned an empty upload", "error", err)
	}
	delete(w.objects, enc)
	w.order = w.order[:len(w.order)-1]
}

func recordName(r connectors.SinkRecord) string {
	return fmt.Sprintf("record %s-%d at offset %d", r.Topic, r.Partition, r.Offset)
}

func recordErr(r connectors.SinkRecord, err error) error {
	return fmt.Errorf("%s: %w", recordName(r), err)
}
