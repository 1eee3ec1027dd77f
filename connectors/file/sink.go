package file

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// sinkBufSize is the write buffer of a sink task: one write syscall per
// ~650 lines of 100 bytes.
const sinkBufSize = 64 << 10

func sinkDef() *config.Def {
	return &config.Def{Keys: []config.Key{
		{
			Name:       KeyFile,
			Type:       config.String,
			Importance: config.High,
			Doc:        "Path of the file each record value is appended to, one per line; created if missing. When unset or blank, values are written to standard output.",
		},
	}}
}

// SinkPlugin returns the FileStreamSinkConnector plugin. Tasks configured
// without a file write to stdout, which they flush but never close. Each
// task writes from its own goroutine, whole lines per Write call, so stdout
// must be safe for concurrent use when several tasks share it (os.Stdout
// is). stdout may be nil when there is no output stream; such tasks then
// fail to start.
func SinkPlugin(stdout io.Writer) connectors.Plugin {
	def := sinkDef()
	return connectors.Plugin{
		Class:   SinkClass,
		Kind:    connectors.KindSink,
		Version: connectors.Version,
		Def:     def,
		NewSink: func() connectors.SinkConnector {
			return &sinkConnector{def: def, stdout: stdout}
		},
	}
}

type sinkConnector struct {
	def    *config.Def
	stdout io.Writer
	props  map[string]string
}

func (c *sinkConnector) Config() *config.Def { return c.def }

func (c *sinkConnector) Start(ctx context.Context, cc connectors.ConnectorContext, cfg config.Values) error {
	c.props = maps.Clone(cfg.Raw())
	return nil
}

// TaskConfigs returns maxTasks copies of the connector's config: every task
// appends to the same file.
func (c *sinkConnector) TaskConfigs(maxTasks int) ([]map[string]string, error) {
	return connectors.CopyTaskConfigs(c.props, maxTasks), nil
}

func (c *sinkConnector) Stop(ctx context.Context) error { return nil }

func (c *sinkConnector) NewTask() connectors.SinkTask {
	return &sinkTask{def: c.def, stdout: c.stdout}
}

// sinkTask appends record values to a file. The runtime calls Start, Put,
// Flush and Stop from one goroutine.
type sinkTask struct {
	def    *config.Def
	stdout io.Writer

	log  *slog.Logger
	name string   // the file, or "standard output", for messages
	f    *os.File // nil when writing to stdout
	w    *bufio.Writer
}

// Start opens the file for appending, creating it if needed.
func (t *sinkTask) Start(ctx context.Context, tc connectors.SinkTaskContext, cfg map[string]string) error {
	vals, err := t.def.Parse(cfg)
	if err != nil {
		return fmt.Errorf("configure file sink task: %w", err)
	}
	log := slog.New(slog.DiscardHandler)
	if tc != nil && tc.Logger() != nil {
		log = tc.Logger()
	}
	filename := vals.String(KeyFile)
	if filename == "" {
		if t.stdout == nil {
			return errors.New("start file sink task: no standard output to write to")
		}
		t.name = "standard output"
		t.w = bufio.NewWriterSize(t.stdout, sinkBufSize)
		return nil
	}
	f, err := os.OpenFile(filename, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		// Kafka's message, so that existing alerting keeps matching.
		return fmt.Errorf("Couldn't find or create file '%s' for FileStreamSinkTask: %w", filename, err)
	}
	t.log, t.name, t.f = log, filename, f
	t.w = bufio.NewWriterSize(f, sinkBufSize)
	log.Info("appending records to "+filename, attrFile, filename)
	return nil
}

// Put appends each record's value and a "\n" to the file. The batch goes out
// in one write at the end, so the lines are visible at once as with Kafka's
// sink (users tail the file), while the fsync that makes them durable waits
// for Flush. A line that fits in the buffer is never split across two
// writes, so tasks appending to the same file do not interleave inside lines.
func (t *sinkTask) Put(ctx context.Context, records []connectors.SinkRecord) error {
	if t.w == nil {
		return errors.New("put to file sink task: not started")
	}
	for i := range records {
		r := &records[i]
		var err error
		if s, ok := r.Value.Value.(string); ok {
			if err = t.reserve(len(s) + 1); err == nil {
				t.w.WriteString(s)
				err = t.w.WriteByte('\n')
			}
		} else {
			line, ferr := connectors.AppendJavaString(t.w.AvailableBuffer(), r.Value.Value)
			if ferr != nil {
				return fmt.Errorf("format value of record %s-%d at offset %d for %s: %w", r.Topic, r.Partition, r.Offset, t.name, ferr)
			}
			// line still aliases the free buffer when it fits, and then
			// reserve does not flush.
			line = append(line, '\n')
			if err = t.reserve(len(line)); err == nil {
				_, err = t.w.Write(line)
			}
		}
		if err != nil {
			return fmt.Errorf("write to %s: %w", t.name, err)
		}
	}
	if err := t.w.Flush(); err != nil {
		return fmt.Errorf("write to %s: %w", t.name, err)
	}
	return nil
}

// reserve flushes the buffer when n more bytes would not fit in it.
func (t *sinkTask) reserve(n int) error {
	if n > t.w.Available() && t.w.Buffered() > 0 {
		return t.w.Flush()
	}
	return nil
}

// Flush writes the buffer out and, for a file, fsyncs it: consumer offsets
// are committed after Flush returns, so nothing they cover can be lost in
// a crash. It blocks until the disk acknowledged the data; ctx cannot
// interrupt that.
func (t *sinkTask) Flush(ctx context.Context, offsets map[connectors.TopicPartition]int64) error {
	if t.w == nil {
		return errors.New("flush file sink task: not started")
	}
	if err := t.w.Flush(); err != nil {
		return fmt.Errorf("flush %s: %w", t.name, err)
	}
	if t.f != nil {
		if err := t.f.Sync(); err != nil {
			return fmt.Errorf("sync %s: %w", t.name, err)
		}
		return t.checkFile()
	}
	return nil
}

// checkFile makes sure the lines written since the last commit can still be
// found: writes to a file that was deleted, or whose directory was,
// succeed but land nowhere, and committing their offsets would lose them
// for good. A deleted file fails the flush, so the offsets stay where they
// were and the records are delivered again once the file can be written.
// A file moved away (rotated) still holds its lines: later ones go to a new
// file at the configured path.
func (t *sinkTask) checkFile() error {
	cur, err := t.f.Stat()
	if err != nil || !cur.Mode().IsRegular() {
		return nil
	}
	now, err := os.Stat(t.name)
	if err == nil && os.SameFile(cur, now) {
		return nil
	}
	if unlinked(cur) {
		return fmt.Errorf("file %s was deleted while records were written to it: they went nowhere, so their offsets are not committed", t.name)
	}
	f, err := os.OpenFile(t.name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("file %s was moved away; open a new one at that path: %w", t.name, err)
	}
	t.log.Info(fmt.Sprintf("file %s was moved away; appending to a new file at that path", t.name), attrFile, t.name)
	old := t.f
	t.f = f
	t.w.Reset(f)
	if err := old.Close(); err != nil {
		return fmt.Errorf("close %s after it was moved away: %w", t.name, err)
	}
	return nil
}

// Stop writes out what is buffered and closes the file; stdout is left open.
func (t *sinkTask) Stop(ctx context.Context) error {
	if t.w == nil {
		return nil
	}
	var errs []error
	if err := t.w.Flush(); err != nil {
		errs = append(errs, fmt.Errorf("flush %s: %w", t.name, err))
	}
	if t.f != nil {
		if err := t.f.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close %s: %w", t.name, err))
		}
		t.f = nil
	}
	t.w = nil
	return errors.Join(errs...)
}
