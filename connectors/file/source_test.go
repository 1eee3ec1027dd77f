package file

import (
	"context"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// forever stands for "never" in intervals: a test that needs it to pass
// would hang until its deadline instead.
const forever = time.Hour

type sourceSetup struct {
	stdin    io.Reader
	offsets  map[string]any // stored offset of the file
	logs     *logBuffer
	idle     time.Duration // default forever
	pollEach time.Duration // fallback polling, default forever
}

// startSource starts a source task through the plugin, as the runtime does,
// and stops it when the test ends.
func startSource(t *testing.T, cfg map[string]string, s sourceSetup) *sourceTask {
	t.Helper()
	p := SourcePlugin(s.stdin)
	conn := p.NewSource()
	ctx := t.Context()
	vals, err := conn.Config().Parse(cfg)
	if err != nil {
		t.Fatalf("parse connector config: %v", err)
	}
	if err := conn.Start(ctx, connectorContext{testLogger(t, nil)}, vals); err != nil {
		t.Fatalf("start connector: %v", err)
	}
	tcs, err := conn.TaskConfigs(1)
	if err != nil || len(tcs) != 1 {
		t.Fatalf("TaskConfigs(1) = %v, %v; want one config", tcs, err)
	}
	task := conn.NewTask().(*sourceTask)
	task.idle, task.watchedPoll, task.unwatchedPoll = forever, forever, forever
	if s.idle > 0 {
		task.idle = s.idle
	}
	if s.pollEach > 0 {
		task.watchedPoll, task.unwatchedPoll = s.pollEach, s.pollEach
	}
	tc := &taskContext{log: testLogger(t, s.logs)}
	if s.offsets != nil {
		tc.set(cfg[KeyFile], s.offsets)
	}
	if err := task.Start(ctx, tc, tcs[0]); err != nil {
		t.Fatalf("start task: %v", err)
	}
	t.Cleanup(func() {
		if err := task.Stop(context.Background()); err != nil {
			t.Errorf("stop task: %v", err)
		}
		if err := conn.Stop(context.Background()); err != nil {
			t.Errorf("stop connector: %v", err)
		}
	})
	return task
}

// pollN polls until n records arrived, failing after 10 s.
func pollN(t *testing.T, task *sourceTask, n int) []connectors.SourceRecord {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var out []connectors.SourceRecord
	for len(out) < n {
		recs, err := task.Poll(ctx)
		if err != nil {
			t.Fatalf("poll after %d of %d records: %v", len(out), n, err)
		}
		out = append(out, recs...)
	}
	if len(out) != n {
		t.Fatalf("got %d records, want %d: %v", len(out), n, values(out))
	}
	return out
}

func values(recs []connectors.SourceRecord) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.Value.Value.(string)
	}
	return out
}

func positions(recs []connectors.SourceRecord) []any {
	out := make([]any, len(recs))
	for i, r := range recs {
		out[i] = r.SourceOffset[offsetPosition]
	}
	return out
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, path, content string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(content); err != nil {
		t.Fatal(err)
	}
}

func TestSourceOffsetEndsEachBatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.txt")
	writeFile(t, path, "a\nbb\nccc\n")
	task := startSource(t, map[string]string{KeyFile: path, KeyTopic: "t", KeyBatchSize: "2"}, sourceSetup{})
	if got, want := positions(pollN(t, task, 2)), []any{nil, int64(5)}; !reflect.DeepEqual(got, want) {
		t.Errorf("first batch positions = %v, want %v", got, want)
	}
	if got, want := positions(pollN(t, task, 1)), []any{int64(9)}; !reflect.DeepEqual(got, want) {
		t.Errorf("second batch positions = %v, want %v", got, want)
	}
}

func TestSourceRecords(t *testing.T) {
	noLeaks(t)
	path := filepath.Join(t.TempDir(), "in.txt")
	writeFile(t, path, "héllo\r\n\nwörld\rpartial")
	task := startSource(t, map[string]string{KeyFile: "  " + path + " ", KeyTopic: "connect-test"}, sourceSetup{})

	recs := pollN(t, task, 3)
	if got, want := values(recs), []string{"héllo", "", "wörld"}; !reflect.DeepEqual(got, want) {
		t.Errorf("values = %q, want %q", got, want)
	}
	// One poll returned the three lines: only the last carries its offset.
	if got, want := positions(recs), []any{nil, nil, int64(16)}; !reflect.DeepEqual(got, want) {
		t.Errorf("positions = %v, want %v", got, want)
	}
	for _, r := range recs {
		if r.Topic != "connect-test" || r.Partition != -1 || r.Key != (connectors.SchemaAndValue{}) ||
			r.Value.Schema != connectors.StringSchema || r.Timestamp.IsZero() || r.Headers != nil {
			t.Errorf("record = %+v, want topic connect-test, partition -1, no key, string schema, a timestamp, no headers", r.Record)
		}
		if want := map[string]any{"filename": path}; !reflect.DeepEqual(r.SourcePartition, want) {
			t.Errorf("partition = %v, want %v (the file as configured, trimmed)", r.SourcePartition, want)
		}
	}

	// The partial line is emitted once its terminator arrives.
	appendFile(t, path, " line\n")
	recs = pollN(t, task, 1)
	if got := values(recs)[0]; got != "partial line" {
		t.Errorf("value = %q, want %q", got, "partial line")
	}
	if got := positions(recs)[0]; got != int64(29) {
		t.Errorf("position = %v, want 29", got)
	}
}

func TestSourceResume(t *testing.T) {
	const content = "a\r\nbb\nc\xc3\xa9\nd\n"
	tests := []struct {
		name    string
		offsets map[string]any
		want    []string
		wantErr string
	}{
		{"no stored offset", nil, []string{"a", "bb", "cé", "d"}, ""},
		{"null position", map[string]any{"position": nil}, []string{"a", "bb", "cé", "d"}, ""},
		{"int64", map[string]any{"position": int64(6)}, []string{"cé", "d"}, ""},
		{"after multi-byte line", map[string]any{"position": int64(10)}, []string{"d"}, ""},
		{"between cr and lf", map[string]any{"position": int64(2)}, []string{"bb", "cé", "d"}, ""},
		{"integral float64", map[string]any{"position": float64(6)}, []string{"cé", "d"}, ""},
		{"at the end", map[string]any{"position": int64(12)}, nil, ""},
		{"string", map[string]any{"position": "6"}, nil, "has type string"},
		{"fractional float", map[string]any{"position": 6.5}, nil, "not a non-negative integer"},
		{"negative", map[string]any{"position": int64(-1)}, nil, "negative"},
		{"int", map[string]any{"position": 3}, nil, "has type int"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noLeaks(t)
			path := filepath.Join(t.TempDir(), "in.txt")
			writeFile(t, path, content)
			cfg := map[string]string{KeyFile: path, KeyTopic: "t"}
			if tt.wantErr != "" {
				task := SourcePlugin(nil).NewSource().NewTask()
				tc := &taskContext{log: testLogger(t, nil)}
				tc.set(path, tt.offsets)
				err := task.Start(t.Context(), tc, cfg)
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), path) {
					t.Fatalf("Start error = %v, want one naming %s and saying %q", err, path, tt.wantErr)
				}
				return
			}
			task := startSource(t, cfg, sourceSetup{offsets: tt.offsets, idle: 50 * time.Millisecond})
			var got []string
			for {
				recs, err := task.Poll(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				if recs == nil {
					break // idle: everything was read
				}
				got = append(got, values(recs)...)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSourceWakesOnAppend checks that a write wakes a waiting Poll: the
// idle and polling intervals are too long to matter, so only the file
// watch can deliver the line before the deadline.
func TestSourceWakesOnAppend(t *testing.T) {
	noLeaks(t)
	path := filepath.Join(t.TempDir(), "in.txt")
	writeFile(t, path, "first\n")
	task := startSource(t, map[string]string{KeyFile: path, KeyTopic: "t"}, sourceSetup{})
	if task.w == nil {
		t.Skip("file watching is not available here")
	}
	pollN(t, task, 1)

	type result struct {
		recs []connectors.SourceRecord
		err  error
	}
	done := make(chan result, 1)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	go func() {
		recs, err := task.Poll(ctx)
		done <- result{recs, err}
	}()
	time.Sleep(50 * time.Millisecond) // let Poll start waiting; the outcome does not depend on it
	appendFile(t, path, "second\n")
	r := <-done
	if r.err != nil {
		t.Fatalf("poll: %v (not woken by the append)", r.err)
	}
	if got := values(r.recs); !reflect.DeepEqual(got, []string{"second"}) {
		t.Fatalf("got %q, want [second]", got)
	}
}

// TestSourceFallbackPolling checks that lines arrive without file events.
func TestSourceFallbackPolling(t *testing.T) {
	noLeaks(t)
	path := filepath.Join(t.TempDir(), "in.txt")
	writeFile(t, path, "")
	task := startSource(t, map[string]string{KeyFile: path, KeyTopic: "t"}, sourceSetup{pollEach: 10 * time.Millisecond})
	if err := task.w.close(); err != nil {
		t.Fatal(err)
	}
	task.w = nil
	appendFile(t, path, "polled\n")
	if got := values(pollN(t, task, 1)); got[0] != "polled" {
		t.Fatalf("got %q, want [polled]", got)
	}
}

func TestSourceWaitsForFile(t *testing.T) {
	noLeaks(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "later.txt")
	logs := &logBuffer{}
	task := startSource(t, map[string]string{KeyFile: path, KeyTopic: "t"}, sourceSetup{logs: logs, idle: 20 * time.Millisecond})

	for range 3 {
		recs, err := task.Poll(t.Context())
		if recs != nil || err != nil {
			t.Fatalf("poll before the file exists = %v, %v; want nil, nil", recs, err)
		}
	}
	want := "couldn't find file " + path + ", waiting for it to be created"
	if n := logs.Count(want); n != 1 {
		t.Errorf("logged %q %d times, want once; logs:\n%s", want, n, logs)
	}

	// From now on only the directory watch can wake Poll in time.
	if task.w != nil {
		task.idle = forever
	}
	// Other files in the directory do not matter.
	writeFile(t, filepath.Join(dir, "other.txt"), "no\n")
	writeFile(t, path, "created\n")
	if got := values(pollN(t, task, 1)); got[0] != "created" {
		t.Fatalf("got %q, want [created]", got)
	}
}

func TestSourceBatchSize(t *testing.T) {
	noLeaks(t)
	path := filepath.Join(t.TempDir(), "in.txt")
	writeFile(t, path, "1\n2\n3\n4\n5\n6\n7\n")
	task := startSource(t, map[string]string{KeyFile: path, KeyTopic: "t", KeyBatchSize: "3"}, sourceSetup{})

	// The file does not change: lines already read must come without
	// waiting, or Poll would block until the test's deadline.
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var sizes []int
	var got []string
	for len(got) < 7 {
		recs, err := task.Poll(ctx)
		if err != nil {
			t.Fatalf("poll: %v", err)
		}
		sizes = append(sizes, len(recs))
		got = append(got, values(recs)...)
	}
	if want := []int{3, 3, 1}; !reflect.DeepEqual(sizes, want) {
		t.Errorf("batch sizes = %v, want %v", sizes, want)
	}
	if want := strings.Fields("1 2 3 4 5 6 7"); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestSourceRotated rotates the file in each way logrotate and editors do:
// every line of the old file is read, the change is logged, and the new
// content is read from its start.
func TestSourceRotated(t *testing.T) {
	tests := []struct {
		name   string
		rotate func(t *testing.T, path string)
		logged string
		lines  int // in the new file
	}{
		{
			name:   "truncated",
			rotate: func(t *testing.T, path string) { writeFile(t, path, "c\n") },
			logged: " was truncated to 2 bytes, below the read position 17; reading it again from the start",
			lines:  1,
		},
		{
			name: "renamed over",
			rotate: func(t *testing.T, path string) {
				writeFile(t, path+".new", "c\n")
				if err := os.Rename(path+".new", path); err != nil {
					t.Fatal(err)
				}
			},
			logged: " was replaced by another file; reading the new one from the start",
			lines:  1,
		},
		{
			name: "longer file renamed over",
			rotate: func(t *testing.T, path string) {
				writeFile(t, path+".new", "c\n"+strings.Repeat("x", 20)+"\n")
				if err := os.Rename(path+".new", path); err != nil {
					t.Fatal(err)
				}
			},
			logged: " was replaced by another file; reading the new one from the start",
			lines:  2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noLeaks(t)
			path := filepath.Join(t.TempDir(), "in.txt")
			writeFile(t, path, "aaaa\nbbbb\npartial")
			logs := &logBuffer{}
			task := startSource(t, map[string]string{KeyFile: path, KeyTopic: "t"}, sourceSetup{logs: logs, idle: 20 * time.Millisecond, pollEach: 5 * time.Millisecond})
			pollN(t, task, 2)
			tt.rotate(t, path)
			recs := pollN(t, task, tt.lines)
			if got := values(recs); got[0] != "c" {
				t.Errorf("first line after rotation = %q, want c", got)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := positions(recs); got[len(got)-1] != fi.Size() {
				t.Errorf("positions after rotation = %v, want the batch to end at %d: the new file is read from its start", got, fi.Size())
			}
			want := "file " + path + tt.logged + " (dropping its last 7 bytes, an unterminated line)"
			if n := logs.Count(want); n != 1 {
				t.Errorf("logged %q %d times, want once; logs:\n%s", want, n, logs)
			}
		})
	}
}

// TestSourceRemovedAndCreated deletes the file being read: the task waits
// for it without spinning, and reads the new file from its start.
func TestSourceRemovedAndCreated(t *testing.T) {
	noLeaks(t)
	path := filepath.Join(t.TempDir(), "in.txt")
	writeFile(t, path, "aaaa\nbbbb\n")
	logs := &logBuffer{}
	task := startSource(t, map[string]string{KeyFile: path, KeyTopic: "t"}, sourceSetup{logs: logs, idle: 20 * time.Millisecond, pollEach: 5 * time.Millisecond})
	pollN(t, task, 2)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if recs, err := task.Poll(t.Context()); recs != nil || err != nil {
			t.Fatalf("poll after removal = %v, %v; want nil, nil", values(recs), err)
		}
	}
	for _, want := range []string{"file " + path + " was removed; waiting for it to be created again, to read it from the start"} {
		if n := logs.Count(want); n != 1 {
			t.Errorf("logged %q %d times, want once; logs:\n%s", want, n, logs)
		}
	}
	if n := logs.Count("couldn't find file"); n != 0 {
		t.Errorf("the removal was logged again as a missing file:\n%s", logs)
	}
	writeFile(t, path, "c\n")
	if got := values(pollN(t, task, 1)); got[0] != "c" {
		t.Errorf("first line of the new file = %q, want c", got)
	}
	if want := "file " + path + " exists now; reading it"; logs.Count(want) != 1 {
		t.Errorf("the new file was not logged as %q:\n%s", want, logs)
	}
}

// TestSourceStoredOffsetPastEnd starts on a file shorter than the stored
// offset: it was rotated while the worker was down, so it is read from its
// start.
func TestSourceStoredOffsetPastEnd(t *testing.T) {
	noLeaks(t)
	path := filepath.Join(t.TempDir(), "in.txt")
	writeFile(t, path, "new\n")
	logs := &logBuffer{}
	task := startSource(t, map[string]string{KeyFile: path, KeyTopic: "t"}, sourceSetup{
		logs: logs, idle: 20 * time.Millisecond, offsets: map[string]any{offsetPosition: int64(100)},
	})
	if got := values(pollN(t, task, 1)); got[0] != "new" {
		t.Errorf("first line = %q, want new", got)
	}
	if want := "was truncated to 4 bytes, below the read position 100; reading it again from the start"; logs.Count(want) != 1 {
		t.Errorf("the short file was not logged as %q:\n%s", want, logs)
	}
}

func TestSourceCancel(t *testing.T) {
	noLeaks(t)
	path := filepath.Join(t.TempDir(), "in.txt")
	writeFile(t, path, "")
	task := startSource(t, map[string]string{KeyFile: path, KeyTopic: "t"}, sourceSetup{})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := task.Poll(ctx)
		done <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("poll error = %v, want context.Canceled", err)
	}
}

func TestSourceStdin(t *testing.T) {
	noLeaks(t)
	task := startSource(t, map[string]string{KeyTopic: "t"}, sourceSetup{
		stdin: strings.NewReader("a\nb\r\n\rlast"),
		idle:  20 * time.Millisecond,
	})
	recs := pollN(t, task, 4)
	if got, want := values(recs), []string{"a", "b", "", "last"}; !reflect.DeepEqual(got, want) {
		t.Errorf("values = %q, want %q (the unterminated last line is emitted at EOF)", got, want)
	}
	for _, r := range recs {
		if !reflect.DeepEqual(r.SourcePartition, map[string]any{"filename": nil}) || !reflect.DeepEqual(r.SourceOffset, map[string]any{"position": nil}) {
			t.Errorf("partition, offset = %v, %v; want filename and position nil", r.SourcePartition, r.SourceOffset)
		}
	}
	// At EOF, Poll keeps returning nil, nil after the idle interval.
	for range 3 {
		if recs, err := task.Poll(t.Context()); recs != nil || err != nil {
			t.Fatalf("poll at EOF = %v, %v; want nil, nil", values(recs), err)
		}
	}
}

// TestSourceStdinAcrossTasks checks that input read while no task was
// polling goes to the next task instead of being lost.
func TestSourceStdinAcrossTasks(t *testing.T) {
	noLeaks(t)
	pr, pw := io.Pipe()
	p := SourcePlugin(pr)
	cfg := map[string]string{KeyTopic: "t"}
	newTask := func() connectors.SourceTask {
		task := p.NewSource().NewTask()
		task.(*sourceTask).idle = 20 * time.Millisecond
		if err := task.Start(t.Context(), &taskContext{log: testLogger(t, nil)}, cfg); err != nil {
			t.Fatal(err)
		}
		return task
	}
	poll := func(task connectors.SourceTask) []string {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		recs, err := task.Poll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return values(recs)
	}

	first := newTask()
	go pw.Write([]byte("one\n"))
	if got := poll(first); !reflect.DeepEqual(got, []string{"one"}) {
		t.Fatalf("first task got %q, want [one]", got)
	}
	if err := first.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := pw.Write([]byte("two\n")); err != nil { // taken by the reader while no task runs
		t.Fatal(err)
	}
	second := newTask()
	if got := poll(second); !reflect.DeepEqual(got, []string{"two"}) {
		t.Fatalf("second task got %q, want [two]", got)
	}
	pw.Close()
	if recs, err := second.Poll(t.Context()); recs != nil || err != nil {
		t.Fatalf("poll at EOF = %v, %v; want nil, nil", recs, err)
	}
	if err := second.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestSourceStdinError(t *testing.T) {
	noLeaks(t)
	boom := errors.New("boom")
	task := startSource(t, map[string]string{KeyTopic: "t"}, sourceSetup{
		stdin: io.MultiReader(strings.NewReader("a\n"), iotestErrReader{boom}),
		idle:  20 * time.Millisecond,
	})
	var got []string
	for {
		recs, err := task.Poll(t.Context())
		if err != nil {
			if !errors.Is(err, boom) || !strings.Contains(err.Error(), "read standard input") {
				t.Fatalf("poll error = %v, want one wrapping boom and naming standard input", err)
			}
			break
		}
		got = append(got, values(recs)...)
	}
	if !reflect.DeepEqual(got, []string{"a"}) {
		t.Errorf("got %q before the error, want [a]", got)
	}
}

type iotestErrReader struct{ err error }

func (r iotestErrReader) Read([]byte) (int, error) { return 0, r.err }

func TestSourceConfig(t *testing.T) {
	p := SourcePlugin(nil)
	if p.Class != "org.apache.kafka.connect.file.FileStreamSourceConnector" || p.Kind != connectors.KindSource ||
		p.Version != connectors.Version || p.NewSource == nil {
		t.Fatalf("plugin = %+v", p)
	}
	if got, want := p.Aliases(), []string{"FileStreamSourceConnector", "FileStreamSource"}; !reflect.DeepEqual(got, want) {
		t.Errorf("aliases = %v, want %v", got, want)
	}
	if err := connectors.NewRegistry().Register(p); err != nil {
		t.Errorf("register: %v", err)
	}

	tests := []struct {
		name    string
		raw     map[string]string
		wantErr string
	}{
		{"minimal", map[string]string{KeyTopic: "t"}, ""},
		{"missing topic", map[string]string{KeyFile: "f"}, `"topic" which has no default value`},
		{"blank topic", map[string]string{KeyTopic: "   "}, "String must be non-empty"},
		{"bad batch size", map[string]string{KeyTopic: "t", KeyBatchSize: "many"}, "not a number of type INT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.Def.Parse(tt.raw)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("parse: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("parse error = %v, want one containing %q", err, tt.wantErr)
			}
			// The task checks its config too.
			err = p.NewSource().NewTask().Start(t.Context(), &taskContext{log: testLogger(t, nil)}, tt.raw)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("task start error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}

	vals, err := p.Def.Parse(map[string]string{KeyTopic: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if vals.Int(KeyBatchSize) != 2000 || vals.String(KeyFile) != "" {
		t.Errorf("defaults: batch.size %d, file %q; want 2000 and unset", vals.Int(KeyBatchSize), vals.String(KeyFile))
	}
}

func TestSourceTaskConfigs(t *testing.T) {
	conn := SourcePlugin(nil).NewSource()
	raw := map[string]string{"name": "src", "connector.class": "FileStreamSource", KeyTopic: "t", KeyFile: "x", "extra": "kept"}
	vals, err := conn.Config().Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Start(t.Context(), connectorContext{testLogger(t, nil)}, vals); err != nil {
		t.Fatal(err)
	}
	for _, maxTasks := range []int{1, 3} {
		got, err := conn.TaskConfigs(maxTasks)
		if err != nil || len(got) != 1 || !maps.Equal(got[0], raw) {
			t.Errorf("TaskConfigs(%d) = %v, %v; want exactly one copy of the connector config", maxTasks, got, err)
		}
	}
}

// TestSourceIdle pins the waiting intervals on a fake clock.
func TestSourceIdle(t *testing.T) {
	t.Run("stdin", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			task := SourcePlugin(strings.NewReader("a\n")).NewSource().NewTask()
			if err := task.Start(t.Context(), &taskContext{log: testLogger(t, nil)}, map[string]string{KeyTopic: "t"}); err != nil {
				t.Fatal(err)
			}
			defer task.Stop(context.Background())
			if recs, err := task.Poll(t.Context()); err != nil || len(recs) != 1 {
				t.Fatalf("first poll = %v, %v; want the line", recs, err)
			}
			for range 3 {
				start := time.Now()
				recs, err := task.Poll(t.Context())
				if recs != nil || err != nil {
					t.Fatalf("poll at EOF = %v, %v; want nil, nil", recs, err)
				}
				if waited := time.Since(start); waited != idleInterval {
					t.Fatalf("poll at EOF returned after %v, want %v", waited, idleInterval)
				}
			}
		})
	})
	t.Run("unwatched file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "in.txt")
		writeFile(t, path, "")
		synctest.Test(t, func(t *testing.T) {
			task := SourcePlugin(nil).NewSource().NewTask().(*sourceTask)
			if err := task.Start(t.Context(), &taskContext{log: testLogger(t, nil)}, map[string]string{KeyFile: path, KeyTopic: "t"}); err != nil {
				t.Fatal(err)
			}
			defer task.Stop(context.Background())
			if err := task.w.close(); err != nil {
				t.Fatal(err)
			}
			task.w = nil

			start := time.Now()
			if recs, err := task.Poll(t.Context()); recs != nil || err != nil {
				t.Fatalf("poll of an empty file = %v, %v; want nil, nil", recs, err)
			}
			if waited := time.Since(start); waited != idleInterval {
				t.Fatalf("idle poll returned after %v, want %v", waited, idleInterval)
			}

			// Written at 600 ms: found by the check at 750 ms.
			go func() {
				time.Sleep(600 * time.Millisecond)
				appendFile(t, path, "late\n")
			}()
			start = time.Now()
			recs, err := task.Poll(t.Context())
			if err != nil || len(recs) != 1 {
				t.Fatalf("poll = %v, %v; want the line", recs, err)
			}
			if waited := time.Since(start); waited != 3*unwatchedPollInterval {
				t.Fatalf("line found after %v, want %v", waited, 3*unwatchedPollInterval)
			}
		})
	})
}
