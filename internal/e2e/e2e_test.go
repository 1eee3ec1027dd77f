package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// TestQuickStart is Kafka's quick start with the shipped files, run from the
// directory holding them: test.txt goes through the topic connect-test into
// test.sink.txt, and lines appended later follow.
func TestQuickStart(t *testing.T) {
	needBinary(t)
	t.Parallel()
	for _, form := range []string{"properties", "json"} {
		t.Run(form, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			// localhost, as in the shipped file: the embedded broker must be
			// reachable through a host name.
			bootstrap := "localhost:" + port(t, freeAddr(t))
			writeFile(t, dir, "connect-standalone.properties", workerProps(t, dir, bootstrap, nil))
			source := writeFile(t, dir, "test.txt", example(t, "test.txt"))
			sources, sinks := "connect-file-source."+form, "connect-file-sink."+form
			writeFile(t, dir, sources, example(t, sources))
			writeFile(t, dir, sinks, example(t, sinks))
			sink := filepath.Join(dir, "test.sink.txt")

			p := run(t, dir, false, "--embedded-kafka", "connect-standalone.properties", sources, sinks)
			want := example(t, "test.txt")
			eventually(t, p, startDeadline, "test.sink.txt to equal test.txt", func() bool { return readFile(t, sink) == want })

			appendFile(t, source, "one more line\n")
			want += "one more line\n"
			eventually(t, p, startDeadline, "the appended line in test.sink.txt", func() bool { return readFile(t, sink) == want })

			p.stop(t)
			if got := readFile(t, sink); got != want {
				t.Errorf("test.sink.txt after stop:\n got %q\nwant %q", got, want)
			}
			if out := p.stdout.String(); out != "" {
				t.Errorf("stdout = %q, want nothing: it is reserved for connector data", out)
			}
		})
	}
}

// fileWorker writes the shipped worker and file connector files into dir,
// pointed at bootstrap, and returns the worker's arguments and the source
// and sink paths.
func fileWorker(t *testing.T, dir, bootstrap string, extra map[string]string) (args []string, source, sink string) {
	t.Helper()
	writeFile(t, dir, "worker.properties", workerProps(t, dir, bootstrap, extra))
	writeFile(t, dir, "source.properties", example(t, "connect-file-source.properties"))
	writeFile(t, dir, "sink.properties", example(t, "connect-file-sink.properties"))
	return []string{"worker.properties", "source.properties", "sink.properties"},
		filepath.Join(dir, "test.txt"), filepath.Join(dir, "test.sink.txt")
}

// TestResumeAfterSIGTERM stops the worker with SIGTERM and starts it again
// against the same broker: every line reaches the sink exactly once.
func TestResumeAfterSIGTERM(t *testing.T) {
	needBinary(t)
	t.Parallel()
	_, bootstrap := kafkatest.Cluster(t)
	dir := t.TempDir()
	args, source, sink := fileWorker(t, dir, bootstrap, nil)

	first := numbered("first", 0, 50)
	writeFile(t, dir, "test.txt", first)
	p := run(t, dir, false, args...)
	eventually(t, p, startDeadline, "the first lines in the sink", func() bool { return readFile(t, sink) == first })
	p.stop(t)

	offsets, err := os.ReadFile(filepath.Join(dir, "connect.offsets"))
	if err != nil {
		t.Fatalf("offsets file after a graceful stop: %v", err)
	}
	if !json.Valid(offsets) {
		t.Errorf("offsets file is not JSON: %q", offsets)
	}

	second := numbered("second", 0, 50)
	appendFile(t, source, second)
	p = run(t, dir, false, args...)
	want := first + second
	eventually(t, p, startDeadline, "every line in the sink", func() bool { return len(readFile(t, sink)) >= len(want) })
	p.stop(t)
	if got := readFile(t, sink); got != want {
		t.Errorf("sink after restart: want every line exactly once, in order\n got %q\nwant %q", got, want)
	}
}

// TestKillThenRestart kills the worker with SIGKILL while lines stream
// through it; after a restart no line is lost. Lines may repeat (at least
// once), and the one line the sink was writing when killed may be torn.
func TestKillThenRestart(t *testing.T) {
	needBinary(t)
	t.Parallel()
	_, bootstrap := kafkatest.Cluster(t)
	dir := t.TempDir()
	args, source, sink := fileWorker(t, dir, bootstrap, map[string]string{
		"offset.flush.interval.ms": "500",
		// Rejoining the sink's group waits for the killed member's session to expire.
		"consumer.session.timeout.ms": "6000",
	})

	const total = 600
	writeFile(t, dir, "test.txt", numbered("line", 0, 100))
	p := run(t, dir, false, args...)
	eventually(t, p, startDeadline, "the first lines in the sink", func() bool { return readFile(t, sink) != "" })
	for i := 100; i < 400; i++ {
		appendFile(t, source, numbered("line", i, i+1))
		if i == 250 {
			if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(time.Millisecond)
	}
	if code := p.exit(t, stopDeadline); code != -1 || !p.state.Sys().(syscall.WaitStatus).Signaled() {
		t.Fatalf("exit code = %d, want death by SIGKILL", code)
	}
	appendFile(t, source, numbered("line", 400, total))

	p = run(t, dir, false, args...)
	want := strings.Split(strings.TrimSuffix(numbered("line", 0, total), "\n"), "\n")
	eventually(t, p, 2*startDeadline, "every line in the sink", func() bool {
		got := strings.Split(readFile(t, sink), "\n")
		for _, w := range want {
			if !slices.Contains(got, w) {
				return false
			}
		}
		return true
	})
	p.stop(t)

	got := strings.Split(strings.TrimSuffix(readFile(t, sink), "\n"), "\n")
	seen := make(map[string]int)
	var unexpected []string
	for _, l := range got {
		seen[l]++
		if !slices.Contains(want, l) {
			unexpected = append(unexpected, l)
		}
	}
	if len(unexpected) > 1 {
		t.Errorf("sink holds lines nobody wrote (at most one torn line is expected): %q", unexpected)
	}
	t.Logf("%d lines written, %d in the sink (%d repeated after the kill)", total, len(got), len(got)-total-len(unexpected))
}

// TestConsole runs the shipped console connectors in one process: lines
// written to standard input come back on standard output, which holds
// nothing else.
func TestConsole(t *testing.T) {
	needBinary(t)
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "worker.properties", workerProps(t, dir, freeAddr(t), nil))
	writeFile(t, dir, "console-source.properties", example(t, "connect-console-source.properties"))
	writeFile(t, dir, "console-sink.properties", example(t, "connect-console-sink.properties"))

	p := run(t, dir, true, "--embedded-kafka", "worker.properties", "console-source.properties", "console-sink.properties")
	want := "hello\nwörld\n"
	if _, err := p.stdin.Write([]byte(want)); err != nil {
		t.Fatal(err)
	}
	eventually(t, p, startDeadline, "the lines on stdout", func() bool { return len(p.stdout.String()) >= len(want) })
	more := "typed later\n"
	if _, err := p.stdin.Write([]byte(more)); err != nil {
		t.Fatal(err)
	}
	want += more
	eventually(t, p, startDeadline, "the later line on stdout", func() bool { return len(p.stdout.String()) >= len(want) })
	p.stop(t)
	if got := p.stdout.String(); got != want {
		t.Errorf("stdout = %q, want exactly %q", got, want)
	}
}

// TestBadInput runs the binary on files users get wrong. Nothing here needs
// a broker except the corrupt offsets file, which is only read once Kafka
// is reachable.
func TestBadInput(t *testing.T) {
	needBinary(t)
	t.Parallel()

	// A connector file with one key changed from the shipped file source.
	badSource := func(set map[string]string, del string) func(t *testing.T, dir string) []string {
		return func(t *testing.T, dir string) []string {
			writeFile(t, dir, "worker.properties", workerProps(t, dir, freeAddr(t), nil))
			text := setProps(example(t, "connect-file-source.properties"), set)
			if del != "" {
				var kept []string
				for l := range strings.SplitSeq(text, "\n") {
					if !strings.HasPrefix(l, del+"=") {
						kept = append(kept, l)
					}
				}
				text = strings.Join(kept, "\n")
			}
			writeFile(t, dir, "bad-source.properties", text)
			return []string{"worker.properties", "bad-source.properties"}
		}
	}

	tests := []struct {
		name     string
		setup    func(t *testing.T, dir string) []string
		wantCode int
		wantErr  []string // in stderr; "$DIR" is the test's directory
		check    func(t *testing.T, dir string)
	}{
		{
			name:     "no arguments",
			setup:    func(*testing.T, string) []string { return nil },
			wantCode: 1,
			wantErr:  []string{"missing the worker properties file", "Usage:", "WORKER_PROPERTIES"},
		},
		{
			name:     "daemon",
			setup:    func(*testing.T, string) []string { return []string{"-daemon", "worker.properties"} },
			wantCode: 1,
			wantErr:  []string{"-daemon is not supported", "systemd"},
		},
		{
			name:     "missing worker file",
			setup:    func(*testing.T, string) []string { return []string{"no-such-worker.properties"} },
			wantCode: 2,
			wantErr:  []string{"no-such-worker.properties"},
		},
		{
			name:     "connector without name",
			setup:    badSource(nil, "name"),
			wantCode: 3,
			wantErr:  []string{"bad-source.properties", "name"},
		},
		{
			name:     "unknown connector class",
			setup:    badSource(map[string]string{"connector.class": "File Stream Source"}, ""),
			wantCode: 3,
			wantErr:  []string{"File Stream Source", "FileStreamSource"},
		},
		{
			name:     "tasks.max not a number",
			setup:    badSource(map[string]string{"tasks.max": "abc"}, ""),
			wantCode: 3,
			wantErr:  []string{"bad-source.properties", "tasks.max", "abc"},
		},
		{
			name:     "source without topic",
			setup:    badSource(nil, "topic"),
			wantCode: 3,
			wantErr:  []string{"bad-source.properties", "topic"},
		},
		{
			name: "corrupt offsets file",
			setup: func(t *testing.T, dir string) []string {
				args, _, _ := fileWorker(t, dir, freeAddr(t), nil)
				writeFile(t, dir, "test.txt", "a line\n")
				writeFile(t, dir, "connect.offsets", corruptOffsets)
				return append([]string{"--embedded-kafka"}, args...)
			},
			wantCode: 3,
			wantErr:  []string{"$DIR/connect.offsets"},
			check: func(t *testing.T, dir string) {
				if got := readFile(t, filepath.Join(dir, "connect.offsets")); got != corruptOffsets {
					t.Errorf("the corrupt offsets file was changed to %q", got)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			p := run(t, dir, false, tt.setup(t, dir)...)
			if code := p.exit(t, startDeadline); code != tt.wantCode {
				t.Errorf("exit code = %d, want %d", code, tt.wantCode)
			}
			stderr := p.stderr.String()
			for _, w := range tt.wantErr {
				w = strings.ReplaceAll(w, "$DIR", dir)
				if !strings.Contains(stderr, "connect-standalone: ") || !strings.Contains(stderr, w) {
					t.Errorf("stderr should report an error mentioning %q", w)
				}
			}
			if out := p.stdout.String(); out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
			if tt.check != nil {
				tt.check(t, dir)
			}
		})
	}
}

// corruptOffsets is neither our offsets format nor Kafka's.
const corruptOffsets = "\x00\x01{\"not\": offsets\xff\n"

// TestUnreachableKafka points the worker at a closed port: it gives up and
// names the address.
func TestUnreachableKafka(t *testing.T) {
	needBinary(t)
	t.Parallel()
	dir := t.TempDir()
	addr := freeAddr(t)
	// bootstrap.timeout.ms bounds the runner's start-up retries.
	args, _, _ := fileWorker(t, dir, addr, map[string]string{"bootstrap.timeout.ms": "5000"})
	writeFile(t, dir, "test.txt", "a line\n")
	p := run(t, dir, false, args...)
	if code := p.exit(t, 60*time.Second); code != 2 {
		t.Errorf("exit code = %d, want 2", code)
	}
	if stderr := p.stderr.String(); !strings.Contains(stderr, "connect-standalone: ") || !strings.Contains(stderr, addr) {
		t.Errorf("stderr should report an error naming %s", addr)
	}
}

func TestVersion(t *testing.T) {
	needBinary(t)
	t.Parallel()
	p := run(t, t.TempDir(), false, "--version")
	if code := p.exit(t, stopDeadline); code != 0 {
		t.Errorf("exit code = %d, want 0", code)
	}
	if got := p.stdout.String(); !strings.HasPrefix(got, "connect-standalone 0.") || !strings.Contains(got, "go1.") {
		t.Errorf("stdout = %q, want connect-standalone <version> and the Go version", got)
	}
}
