package file

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkSourcePoll reads a file of 100-byte lines through the task, as
// the throughput benchmark does: one op is the whole file, polled with the
// default batch.size.
func BenchmarkSourcePoll(b *testing.B) {
	const lines = 100_000
	path := filepath.Join(b.TempDir(), "in.txt")
	line := strings.Repeat("x", 99) + "\n"
	if err := os.WriteFile(path, bytes.Repeat([]byte(line), lines), 0o644); err != nil {
		b.Fatal(err)
	}
	task := SourcePlugin(nil).NewSource().NewTask().(*sourceTask)
	tc := &taskContext{log: slog.New(slog.DiscardHandler)}
	ctx := context.Background()
	if err := task.Start(ctx, tc, map[string]string{KeyFile: path, KeyTopic: "t"}); err != nil {
		b.Fatal(err)
	}
	defer task.Stop(ctx)

	b.ReportAllocs()
	b.SetBytes(int64(lines * len(line)))
	for b.Loop() {
		if _, err := task.f.Seek(0, io.SeekStart); err != nil {
			b.Fatal(err)
		}
		task.lr = newLineReader(0)
		n := 0
		for n < lines {
			recs, err := task.Poll(ctx)
			if err != nil {
				b.Fatal(err)
			}
			n += len(recs)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lines), "ns/line")
}

// BenchmarkSinkPut writes string values to a discarding writer and, as a
// sink task of the runtime does, batches of max.poll.records (500) lines of
// 100 bytes to a file: one write per Put.
func BenchmarkSinkPut(b *testing.B) {
	b.Run("file/len=100", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "out.txt")
		task := SinkPlugin(nil).NewSink().NewTask()
		ctx := context.Background()
		if err := task.Start(ctx, nil, map[string]string{KeyFile: path}); err != nil {
			b.Fatal(err)
		}
		defer task.Stop(ctx)
		vals := make([]any, 500)
		for i := range vals {
			vals[i] = strings.Repeat("y", 99)
		}
		recs := sinkRecords(vals...)
		b.ReportAllocs()
		b.SetBytes(int64(len(recs) * 100))
		i := 0
		for b.Loop() {
			if err := task.Put(ctx, recs); err != nil {
				b.Fatal(err)
			}
			if i++; i%2000 == 0 { // keep the file small: writes append
				if err := os.Truncate(path, 0); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	for _, size := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("len=%d", size), func(b *testing.B) {
			task := SinkPlugin(io.Discard).NewSink().NewTask()
			ctx := context.Background()
			if err := task.Start(ctx, nil, map[string]string{}); err != nil {
				b.Fatal(err)
			}
			defer task.Stop(ctx)
			vals := make([]any, 2000)
			for i := range vals {
				vals[i] = strings.Repeat("y", size)
			}
			recs := sinkRecords(vals...)
			b.ReportAllocs()
			b.SetBytes(int64(len(recs) * (size + 1)))
			for b.Loop() {
				if err := task.Put(ctx, recs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
