package file

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func startSink(t *testing.T, stdout io.Writer, cfg map[string]string) connectors.SinkTask {
	t.Helper()
	task := SinkPlugin(stdout).NewSink().NewTask()
	if err := task.Start(t.Context(), nil, cfg); err != nil {
		t.Fatalf("start sink task: %v", err)
	}
	t.Cleanup(func() {
		if err := task.Stop(context.Background()); err != nil {
			t.Errorf("stop sink task: %v", err)
		}
	})
	return task
}

func sinkRecords(vals ...any) []connectors.SinkRecord {
	out := make([]connectors.SinkRecord, len(vals))
	for i, v := range vals {
		out[i] = connectors.SinkRecord{
			Record: connectors.Record{Topic: "t", Value: connectors.SchemaAndValue{Value: v}},
			Offset: int64(i),
		}
	}
	return out
}

func TestSinkWritesAndFlushes(t *testing.T) {
	noLeaks(t)
	path := filepath.Join(t.TempDir(), "out.txt")
	writeFile(t, path, "existing\n")
	task := startSink(t, nil, map[string]string{KeyFile: " " + path + " "})

	err := task.Put(t.Context(), sinkRecords("foo", nil, int64(42), true, []byte("raw\xffbytes"), 1.5, []any{"a", int32(1)}, map[string]any{"k": "v"}, ""))
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	// Visible as soon as Put returns, as with Kafka's sink; Flush adds the fsync.
	want := "existing\nfoo\nnull\n42\ntrue\nraw\xffbytes\n1.5\n[a, 1]\n{k=v}\n\n"
	if got, _ := os.ReadFile(path); string(got) != want {
		t.Errorf("after Put the file holds %q, want %q", got, want)
	}
	if err := task.Flush(t.Context(), nil); err != nil {
		t.Fatalf("flush: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != want {
		t.Errorf("after Flush the file holds %q, want %q", got, want)
	}
}

func TestSinkCreatesFile(t *testing.T) {
	noLeaks(t)
	path := filepath.Join(t.TempDir(), "new.txt")
	task := startSink(t, nil, map[string]string{KeyFile: path})
	if err := task.Put(t.Context(), sinkRecords("x")); err != nil {
		t.Fatal(err)
	}
	// Stop writes out what is buffered.
	if err := task.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "x\n" {
		t.Errorf("file holds %q, want %q", got, "x\n")
	}
}

func TestSinkLargeValues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	task := startSink(t, nil, map[string]string{KeyFile: path})
	big := strings.Repeat("y", 3*sinkBufSize)
	vals := []any{"small", big, []byte(big), "end"}
	for range 100 {
		vals = append(vals, strings.Repeat("z", 1000))
	}
	if err := task.Put(t.Context(), sinkRecords(vals...)); err != nil {
		t.Fatal(err)
	}
	if err := task.Flush(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	for _, v := range vals {
		want.WriteString(string(toBytes(v)) + "\n")
	}
	if got, _ := os.ReadFile(path); string(got) != want.String() {
		t.Errorf("file holds %d bytes, want %d", len(got), want.Len())
	}
}

func toBytes(v any) []byte {
	if s, ok := v.(string); ok {
		return []byte(s)
	}
	return v.([]byte)
}

func TestSinkStdout(t *testing.T) {
	noLeaks(t)
	var out bytes.Buffer
	task := startSink(t, &out, map[string]string{})
	if err := task.Put(t.Context(), sinkRecords("a", float32(0.1))); err != nil {
		t.Fatal(err)
	}
	if err := task.Flush(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "a\n0.1\n" {
		t.Errorf("stdout = %q, want %q", got, "a\n0.1\n")
	}
}

func TestSinkOpenError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing-dir", "out.txt")
	task := SinkPlugin(nil).NewSink().NewTask()
	err := task.Start(t.Context(), nil, map[string]string{KeyFile: path})
	want := "Couldn't find or create file '" + path + "' for FileStreamSinkTask"
	if err == nil || !strings.HasPrefix(err.Error(), want) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("start error = %v, want %q wrapping the cause", err, want)
	}

	if err := SinkPlugin(nil).NewSink().NewTask().Start(t.Context(), nil, map[string]string{}); err == nil {
		t.Error("start without a file and without stdout succeeded, want an error")
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

func TestSinkWriteError(t *testing.T) {
	boom := errors.New("disk on fire")
	task := SinkPlugin(failingWriter{boom}).NewSink().NewTask()
	if err := task.Start(t.Context(), nil, map[string]string{}); err != nil {
		t.Fatal(err)
	}
	err := task.Put(t.Context(), sinkRecords("a"))
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "write to standard output") {
		t.Fatalf("put error = %v, want one wrapping the cause and naming standard output", err)
	}
	// The writer's error is sticky: a later flush fails too, so offsets are
	// never committed over the lost write.
	if err := task.Flush(t.Context(), nil); !errors.Is(err, boom) {
		t.Fatalf("flush error = %v, want the write failure", err)
	}
	if err := task.Stop(t.Context()); !errors.Is(err, boom) {
		t.Fatalf("stop error = %v, want the flush failure", err)
	}

	if _, err := os.Stat("/dev/full"); err != nil {
		return
	}
	full := SinkPlugin(nil).NewSink().NewTask()
	if err := full.Start(t.Context(), nil, map[string]string{KeyFile: "/dev/full"}); err != nil {
		t.Fatal(err)
	}
	defer full.Stop(context.Background())
	if err := full.Put(t.Context(), sinkRecords("a")); err == nil || !strings.Contains(err.Error(), "/dev/full") {
		t.Fatalf("put to /dev/full = %v, want an error naming the file", err)
	}
}

func TestSinkFormatError(t *testing.T) {
	var out bytes.Buffer
	task := startSink(t, &out, map[string]string{})
	loop := make([]any, 1)
	loop[0] = []any{loop} // a list that contains itself one level down
	err := task.Put(t.Context(), sinkRecords(loop))
	if !errors.Is(err, connectors.ErrTooDeep) {
		t.Fatalf("put error = %v, want %v", err, connectors.ErrTooDeep)
	}
}

func TestSinkConnector(t *testing.T) {
	p := SinkPlugin(nil)
	if p.Class != "org.apache.kafka.connect.file.FileStreamSinkConnector" || p.Kind != connectors.KindSink ||
		p.Version != connectors.Version || p.NewSink == nil {
		t.Fatalf("plugin = %+v", p)
	}
	if got, want := p.Aliases(), []string{"FileStreamSinkConnector", "FileStreamSink"}; !reflect.DeepEqual(got, want) {
		t.Errorf("aliases = %v, want %v", got, want)
	}
	reg := connectors.NewRegistry()
	if err := reg.Register(p); err != nil {
		t.Fatal(err)
	}
	if err := reg.Register(SourcePlugin(nil)); err != nil {
		t.Fatal(err)
	}

	conn := p.NewSink()
	raw := map[string]string{"name": "sink", "topics": "a,b", KeyFile: "out.txt"}
	vals, err := conn.Config().Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Start(t.Context(), connectorContext{testLogger(t, nil)}, vals); err != nil {
		t.Fatal(err)
	}
	got, err := conn.TaskConfigs(3)
	if err != nil || len(got) != 3 {
		t.Fatalf("TaskConfigs(3) = %v, %v; want 3 configs", got, err)
	}
	for _, c := range got {
		if !maps.Equal(c, raw) {
			t.Errorf("task config %v, want %v", c, raw)
		}
	}
	got[0]["file"] = "changed"
	if got[1]["file"] != "out.txt" {
		t.Error("task configs share one map")
	}
}
