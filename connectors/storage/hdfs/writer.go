package hdfs

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/storage/format"
	"github.com/connect-standalone/connect-standalone/connectors/storage/partition"
	"github.com/connect-standalone/connect-standalone/connectors/storage/rotation"
	"github.com/connect-standalone/connect-standalone/connectors/storage/store"
)

// settings is what every partition writer of a task shares.
type settings struct {
	log    *slog.Logger
	st     store.Store
	layout partition.Layout
	part   partition.Partitioner
	format format.Format
	policy rotation.Policy
	compat rotation.Compatibility
	pad    int
}

// partitionWriter writes one Kafka partition's records: one temporary file
// per encoded partition, all committed together, as Confluent's
// TopicPartitionWriter. It is used from the task's goroutine only.
type partitionWriter struct {
	*settings
	tp    connectors.TopicPartition
	wal   *store.WAL
	timer *rotation.Timer

	// next is the offset after the last committed file's end, -1 before
	// any: records below it are in committed files already.
	next int64

	files   map[string]*openFile // by encoded partition, in order of opening
	order   []string
	count   int // records in the open files
	schema  *connectors.Schema
	started bool // schema holds the open files' value schema
}

// openFile is a temporary file being written.
type openFile struct {
	name       string
	out        io.WriteCloser
	w          format.Writer
	start, end int64
}

func newPartitionWriter(s *settings, tp connectors.TopicPartition) *partitionWriter {
	return &partitionWriter{
		settings: s,
		tp:       tp,
		wal:      store.NewWAL(s.st, s.layout.WAL(tp.Topic, tp.Partition)),
		timer:    s.policy.NewTimer(),
		next:     -1,
		files:    make(map[string]*openFile),
	}
}

// recover brings the partition's files to a committed state after whatever
// happened before: it finishes a commit the write-ahead log shows was
// interrupted, deletes the temporary files earlier writers of this
// partition left, and returns the offset after the highest committed
// offset, or -1 when no file of the partition is committed.
func (w *partitionWriter) recover() (int64, error) {
	renames, err := w.wal.Recover()
	if err != nil {
		return 0, fmt.Errorf("recover %s-%d: %w", w.tp.Topic, w.tp.Partition, err)
	}
	if len(renames) > 0 {
		w.log.Info("finished an interrupted commit from the write-ahead log", "topic", w.tp.Topic, "partition", w.tp.Partition, "files", len(renames))
	}
	temps, err := w.st.Walk(w.layout.TempDir(w.tp.Topic))
	if err != nil {
		return 0, fmt.Errorf("recover %s-%d: list temporary files: %w", w.tp.Topic, w.tp.Partition, err)
	}
	prefix := tempPrefix(w.tp)
	for _, name := range temps {
		if strings.HasPrefix(path.Base(name), prefix) {
			if err := w.st.Remove(name); err != nil {
				return 0, fmt.Errorf("recover %s-%d: remove %s: %w", w.tp.Topic, w.tp.Partition, name, err)
			}
		}
	}
	committed, err := w.st.Walk(w.layout.TopicDir(w.tp.Topic))
	if err != nil {
		return 0, fmt.Errorf("recover %s-%d: list committed files: %w", w.tp.Topic, w.tp.Partition, err)
	}
	w.next = -1
	for _, name := range committed {
		f, err := partition.ParseCommittedName(path.Base(name))
		if err != nil || f.Topic != w.tp.Topic || f.Partition != w.tp.Partition {
			continue
		}
		w.next = max(w.next, f.End+1)
	}
	w.reset()
	return w.next, w.timer.Reset(nil)
}

// tempPrefix starts the names of a partition's temporary files, so that
// recovery finds the ones a crashed writer left.
func tempPrefix(tp connectors.TopicPartition) string {
	return tp.Topic + "+" + strconv.FormatInt(int64(tp.Partition), 10) + "+"
}

// write adds r to the open files, committing them first when r may not
// join them.
func (w *partitionWriter) write(r connectors.SinkRecord) error {
	if r.Offset < w.next {
		// Redelivered: already in a committed file.
		return nil
	}
	rotate := false
	if !w.started {
		w.schema, w.started = r.Value.Schema, true
	} else {
		change, err := w.compat.ShouldChange(r.Value.Schema, w.schema)
		if err != nil {
			return fmt.Errorf("record %s-%d at offset %d: %w", w.tp.Topic, w.tp.Partition, r.Offset, err)
		}
		if change {
			rotate = w.count > 0
			w.schema = r.Value.Schema
		}
	}
	if !rotate {
		due, err := w.timer.Due(&r, w.count)
		if err != nil {
			return err
		}
		rotate = due
	}
	if rotate {
		if err := w.commit(); err != nil {
			return err
		}
		if err := w.timer.Reset(&r); err != nil {
			return err
		}
		w.schema, w.started = r.Value.Schema, true
	}
	r, err := w.compat.Project(r, w.schema)
	if err != nil {
		return err
	}
	enc, err := w.part.Partition(r)
	if err != nil {
		return err
	}
	f, err := w.file(enc)
	if err != nil {
		return err
	}
	if err := f.w.Write(r); err != nil {
		if errors.Is(err, format.ErrSchemaChanged) {
			return fmt.Errorf("record %s-%d at offset %d: %w", w.tp.Topic, w.tp.Partition, r.Offset, err)
		}
		return fmt.Errorf("write record %s-%d at offset %d to %s: %w", w.tp.Topic, w.tp.Partition, r.Offset, f.name, err)
	}
	if f.start < 0 {
		f.start = r.Offset
	}
	f.end = r.Offset
	w.count++
	return nil
}

// file returns the open file of an encoded partition, creating it.
func (w *partitionWriter) file(enc string) (*openFile, error) {
	if f, ok := w.files[enc]; ok {
		return f, nil
	}
	ext := w.format.Extension()
	name := w.layout.TempFile(w.tp.Topic, enc, tempPrefix(w.tp)+uuid.NewString(), ext)
	out, err := w.st.Create(name)
	if err != nil {
		return nil, fmt.Errorf("create %s in %s: %w", name, w.st.URL(), err)
	}
	fw, err := w.format.NewWriter(out)
	if err != nil {
		out.Close()
		w.st.Remove(name)
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	f := &openFile{name: name, out: out, w: fw, start: -1}
	w.files[enc] = f
	w.order = append(w.order, enc)
	return f, nil
}

// due reports whether the open files should be committed now, with no
// record waiting: flush.size reached, or a rotation interval passed.
func (w *partitionWriter) due() (bool, error) {
	if w.count == 0 {
		return false, nil
	}
	return w.timer.Due(nil, w.count)
}

// commit closes the open files and moves them to their committed names in
// one write-ahead-logged step. On failure the open files are discarded and
// the error returned: the records are written again after the task
// restarts and recovers.
func (w *partitionWriter) commit() error {
	if w.count == 0 {
		return nil
	}
	var renames []store.Rename
	var err error
	for _, enc := range w.order {
		f := w.files[enc]
		if err == nil {
			err = closeFile(f)
		}
		renames = append(renames, store.Rename{
			From: f.name,
			To: path.Join(w.layout.CommittedDir(w.tp.Topic, enc),
				partition.CommittedName(w.tp.Topic, w.tp.Partition, f.start, f.end, w.pad, w.format.Extension())),
		})
	}
	if err == nil {
		err = w.wal.Commit(renames)
	}
	if err != nil {
		w.discard()
		return fmt.Errorf("commit files of %s-%d to %s: %w", w.tp.Topic, w.tp.Partition, w.st.URL(), err)
	}
	last := int64(-1)
	for _, enc := range w.order {
		last = max(last, w.files[enc].end)
	}
	for _, r := range renames {
		w.log.Info("committed "+r.To, "topic", w.tp.Topic, "partition", w.tp.Partition)
	}
	w.next = last + 1
	w.reset()
	return nil
}

func closeFile(f *openFile) error {
	err := f.w.Close()
	if cerr := f.out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("close %s: %w", f.name, err)
	}
	return nil
}

// discard closes and deletes the open files; it is best effort, as
// recovery deletes whatever is left.
func (w *partitionWriter) discard() {
	for _, enc := range w.order {
		f := w.files[enc]
		f.w.Close()
		f.out.Close()
		if err := w.st.Remove(f.name); err != nil {
			w.log.Warn("could not delete a temporary file; it is deleted when the partition is next recovered", "file", f.name, "error", err)
		}
	}
	w.reset()
}

func (w *partitionWriter) reset() {
	clear(w.files)
	w.order = w.order[:0]
	w.count = 0
	w.started = false
	w.schema = nil
}
