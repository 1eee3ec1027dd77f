// Command storagebench measures the HDFS sink writing records to files on
// local disk: records per second, output megabytes per second and peak
// memory, per file format. Each format runs in a process of its own, so
// that peak memory is that format's alone.
//
//	go run ./bench/cmd/storagebench                      # 1,000,000 records, Avro and Parquet
//	go run ./bench/cmd/storagebench -flush-size 1000000  # one file: memory must not grow with it
package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/storage/hdfs"
)

var formats = map[string]string{
	"avro":    "io.confluent.connect.hdfs.avro.AvroFormat",
	"parquet": "io.confluent.connect.hdfs.parquet.ParquetFormat",
	"json":    "io.confluent.connect.hdfs.json.JsonFormat",
}

func main() {
	records := flag.Int("records", 1_000_000, "records to write")
	flushSize := flag.Int("flush-size", 100_000, "flush.size: records per file")
	batch := flag.Int("batch", 500, "records per Put, as max.poll.records")
	only := flag.String("format", "", "run one format (avro, parquet, json) in this process")
	list := flag.String("formats", "avro,parquet", "formats to run, each in a child process")
	flag.Parse()

	if *only != "" {
		if err := run(*only, *records, *flushSize, *batch); err != nil {
			fmt.Fprintln(os.Stderr, "storagebench:", err)
			os.Exit(1)
		}
		return
	}
	fmt.Printf("# %d records, flush.size %d, %d per Put, GOMAXPROCS %d, %s\n", *records, *flushSize, *batch, runtime.GOMAXPROCS(0), runtime.Version())
	fmt.Printf("%-8s %10s %12s %10s %10s %8s %12s\n", "format", "seconds", "records/s", "MB", "MB/s", "files", "peak RSS MiB")
	for _, f := range strings.Split(*list, ",") {
		cmd := exec.Command(os.Args[0], "-format", f, "-records", strconv.Itoa(*records),
			"-flush-size", strconv.Itoa(*flushSize), "-batch", strconv.Itoa(*batch))
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "storagebench:", f+":", err)
			os.Exit(1)
		}
	}
}

// taskContext is the least a task needs from the runtime.
type taskContext struct{}

func (taskContext) Logger() *slog.Logger                  { return slog.New(slog.DiscardHandler) }
func (taskContext) Seek(connectors.TopicPartition, int64) {}

// schema is a small record: an id, a name, an amount and a time.
var schema = &connectors.Schema{Type: connectors.Struct, Name: "bench.Event", Fields: []connectors.Field{
	{Name: "id", Index: 0, Schema: connectors.Int64Schema},
	{Name: "name", Index: 1, Schema: connectors.StringSchema},
	{Name: "amount", Index: 2, Schema: connectors.Float64Schema},
	{Name: "at", Index: 3, Schema: connectors.TimestampSchema(false)},
	{Name: "note", Index: 4, Schema: connectors.OptionalStringSchema},
}}

func run(format string, records, flushSize, batch int) error {
	class, ok := formats[format]
	if !ok {
		return fmt.Errorf("unknown format %q", format)
	}
	dir, err := os.MkdirTemp("", "storagebench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	ctx := context.Background()
	task := hdfs.Plugin().NewSink().NewTask()
	cfg := map[string]string{
		"name": "bench", "connector.class": hdfs.Class, "topics": "bench",
		"hdfs.url": dir, "flush.size": strconv.Itoa(flushSize), "format.class": class,
	}
	if err := task.Start(ctx, taskContext{}, cfg); err != nil {
		return err
	}
	tp := connectors.TopicPartition{Topic: "bench"}
	if err := task.(connectors.PartitionHandler).Open(ctx, []connectors.TopicPartition{tp}); err != nil {
		return err
	}
	base := time.Date(2024, 5, 17, 0, 0, 0, 0, time.UTC)
	buf := make([]connectors.SinkRecord, 0, batch)
	start := time.Now()
	for off := 0; off < records; {
		buf = buf[:0]
		for ; len(buf) < batch && off < records; off++ {
			v := connectors.NewStruct(schema)
			v.Put("id", int64(off))
			v.Put("name", "customer-"+strconv.Itoa(off%1000))
			v.Put("amount", float64(off%10000)/100)
			v.Put("at", base.Add(time.Duration(off)*time.Millisecond))
			if off%10 == 0 {
				v.Put("note", "every tenth record has a note")
			}
			buf = append(buf, connectors.SinkRecord{
				Record: connectors.Record{Topic: "bench", Value: connectors.SchemaAndValue{Schema: schema, Value: v}},
				Offset: int64(off), OriginalTopic: "bench",
			})
		}
		if err := task.Put(ctx, buf); err != nil {
			return err
		}
	}
	offsets, err := task.(connectors.PreCommitter).PreCommit(ctx, nil)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	if err := task.Stop(ctx); err != nil {
		return err
	}
	if got := offsets[tp]; got != int64(records/flushSize*flushSize) {
		return fmt.Errorf("committed up to offset %d, want %d", got, records/flushSize*flushSize)
	}
	var bytes int64
	files := 0
	err = filepath.WalkDir(filepath.Join(dir, "topics", "bench"), func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		bytes += info.Size()
		files++
		return nil
	})
	if err != nil {
		return err
	}
	mb := float64(bytes) / 1e6
	fmt.Printf("%-8s %10.2f %12.0f %10.1f %10.1f %8d %12.1f\n", format, elapsed.Seconds(),
		float64(records)/elapsed.Seconds(), mb, mb/elapsed.Seconds(), files, peakRSS())
	return nil
}

// peakRSS is the process's peak resident set in MiB, from /proc.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
