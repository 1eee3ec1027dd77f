package file

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// TestMain fails the run when goroutines outlive the tests.
func TestMain(m *testing.M) {
	before := runtime.NumGoroutine()
	code := m.Run()
	if f := flag.Lookup("test.fuzz"); code == 0 && (f == nil || f.Value.String() == "") {
		if err := waitGoroutines(before, 5*time.Second); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

func waitGoroutines(limit int, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		n := runtime.NumGoroutine()
		if n <= limit {
			return nil
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			return fmt.Errorf("%d goroutines running, want at most %d:\n%s", n, limit, buf)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// noLeaks fails t when, after its cleanups, more goroutines run than when it
// was called. Call it first so its cleanup runs last.
func noLeaks(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		if err := waitGoroutines(before, 5*time.Second); err != nil {
			t.Error(err)
		}
	})
}

// logBuffer collects log output for assertions; safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) Count(s string) int { return strings.Count(b.String(), s) }

// taskContext is a SourceTaskContext backed by a map of stored offsets,
// keyed by the partition's filename.
type taskContext struct {
	log     *slog.Logger
	offsets map[string]map[string]any
}

func (c *taskContext) Logger() *slog.Logger { return c.log }

func (c *taskContext) Offset(ctx context.Context, partition map[string]any) (map[string]any, error) {
	name, _ := partition[partitionFilename].(string)
	return c.offsets[name], nil
}

func (c *taskContext) set(filename string, offset map[string]any) {
	if c.offsets == nil {
		c.offsets = make(map[string]map[string]any)
	}
	c.offsets[filename] = offset
}

type connectorContext struct{ log *slog.Logger }

func (c connectorContext) Logger() *slog.Logger        { return c.log }
func (c connectorContext) RequestTaskReconfiguration() {} // the file connectors never ask

// Seek is never asked for by the file sink, which keeps no position.
func (c connectorContext) Seek(connectors.TopicPartition, int64) {}

// testLogger logs to the test's output and, when logs is not nil, to logs.
func testLogger(t *testing.T, logs *logBuffer) *slog.Logger {
	w := t.Output()
	if logs != nil {
		w = io.MultiWriter(w, logs)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
