package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// Hostile input: files that are not what the worker expects. Each test
// checks the outcome, that the worker neither crashes nor spins, and the
// log line that explains what happened.

const (
	stringConverter    = "org.apache.kafka.connect.storage.StringConverter"
	byteArrayConverter = "org.apache.kafka.connect.converters.ByteArrayConverter"
	// idleCPU bounds the CPU time a worker with nothing to do may use over
	// idleWindow: a spinning loop uses all of it, timers and heartbeats a
	// few milliseconds.
	idleWindow = 3 * time.Second
	idleCPU    = 600 * time.Millisecond
)

// TestHostileBinaryLines feeds a source file holding NUL and other control
// bytes and invalid UTF-8. The file source hands each line's bytes on
// unchanged; the StringConverter then encodes them as Kafka's does, whose
// source reads the file as UTF-8 and so holds U+FFFD for each malformed
// sequence: Kafka gets the same bytes from either worker. The
// ByteArrayConverter refuses the lines' STRING schema, as Kafka's does.
func TestHostileBinaryLines(t *testing.T) {
	needBinary(t)
	t.Parallel()
	const source = "nul\x00inside\n\x01\x02\x03\x7f\nbad \xff\xfe utf8 \xc3\x28 end\ntruncated \xe2\x82\nvalid é €\n"
	// What Kafka's StringConverter writes: each malformed sequence is one
	// U+FFFD, with the lengths Java's decoder gives them.
	const inKafka = "nul\x00inside\n\x01\x02\x03\x7f\nbad \uFFFD\uFFFD utf8 \uFFFD( end\ntruncated \uFFFD\nvalid é €\n"

	t.Run("StringConverter", func(t *testing.T) {
		t.Parallel()
		_, bootstrap := kafkatest.Cluster(t)
		dir := t.TempDir()
		writeFile(t, dir, "worker.properties", workerProps(t, dir, bootstrap, map[string]string{
			"key.converter":   stringConverter,
			"value.converter": stringConverter,
		}))
		writeFile(t, dir, "source.properties", example(t, "connect-file-source.properties"))
		writeFile(t, dir, "sink.properties", setProps(example(t, "connect-file-sink.properties"), map[string]string{
			// Bytes as they are in Kafka, whatever they hold.
			"value.converter": byteArrayConverter,
		}))
		writeFile(t, dir, "test.txt", source)
		sink := filepath.Join(dir, "test.sink.txt")

		p := run(t, dir, false, "worker.properties", "source.properties", "sink.properties")
		eventually(t, p, startDeadline, "every line in the sink", func() bool { return len(readFile(t, sink)) >= len(inKafka) })
		checkIdle(t, p)
		p.stop(t)

		var got []string
		for _, m := range consume(t, bootstrap, "connect-test", 5) {
			got = append(got, string(m.Value))
		}
		if want := strings.Split(strings.TrimSuffix(inKafka, "\n"), "\n"); !slices.Equal(got, want) {
			t.Errorf("record values in Kafka:\n got %q\nwant %q", got, want)
		}
		if got := readFile(t, sink); got != inKafka {
			t.Errorf("sink file:\n got %q\nwant %q", got, inKafka)
		}
	})

	t.Run("ByteArrayConverter", func(t *testing.T) {
		t.Parallel()
		_, bootstrap := kafkatest.Cluster(t)
		dir := t.TempDir()
		writeFile(t, dir, "worker.properties", workerProps(t, dir, bootstrap, map[string]string{
			"offset.flush.interval.ms": "100",
		}))
		writeFile(t, dir, "source.properties", setProps(example(t, "connect-file-source.properties"), map[string]string{
			"value.converter": byteArrayConverter,
		}))
		writeFile(t, dir, "test.txt", source)

		p := run(t, dir, false, "worker.properties", "source.properties")
		eventually(t, p, startDeadline, "the task to fail", func() bool { return strings.Contains(p.stderr.String(), "task failed") })
		if stderr := p.stderr.String(); !strings.Contains(stderr, "Invalid schema type for ByteArrayConverter: STRING") {
			t.Errorf("the failure does not say why:\n%s", stderr)
		}
		checkIdle(t, p)
		p.stop(t)
	})
}

// TestHostileHugeLine sends one 50 MB line through the worker: it arrives
// whole, and the worker's memory stays within a small multiple of it.
func TestHostileHugeLine(t *testing.T) {
	needBinary(t)
	t.Parallel()
	const size = 50 << 20
	limit := strconv.Itoa(size + 1<<20)
	_, bootstrap := kafkatest.Cluster(t, kfake.BrokerConfigs(map[string]string{"message.max.bytes": limit}))
	dir := t.TempDir()
	writeFile(t, dir, "worker.properties", workerProps(t, dir, bootstrap, map[string]string{
		"key.converter":                      stringConverter,
		"value.converter":                    stringConverter,
		"producer.max.request.size":          limit,
		"consumer.max.partition.fetch.bytes": limit,
		"consumer.fetch.max.bytes":           limit,
	}))
	writeFile(t, dir, "source.properties", example(t, "connect-file-source.properties"))
	writeFile(t, dir, "sink.properties", example(t, "connect-file-sink.properties"))
	line := bytes.Repeat([]byte("0123456789abcdef"), size/16)
	line[size/2] = 'M' // a difference in the middle shows a line put together wrongly
	huge := string(line) + "\n"
	writeFile(t, dir, "test.txt", "before\n"+huge+"after\n")
	sink := filepath.Join(dir, "test.sink.txt")

	p := run(t, dir, false, "worker.properties", "source.properties", "sink.properties")
	want := "before\n" + huge + "after\n"
	eventually(t, p, 40*time.Second, "the huge line in the sink", func() bool { return sizeOf(sink) >= int64(len(want)) })
	rss := peakRSS(t, p)
	checkIdle(t, p)
	p.stop(t)
	if got := readFile(t, sink); got != want {
		t.Errorf("sink holds %d bytes, want the %d bytes written, identical", len(got), len(want))
	}
	t.Logf("peak RSS with a %d MiB line: %d MiB", size>>20, rss>>20)
	if rss > 8*size {
		t.Errorf("peak RSS %d MiB for a %d MiB line, want under %d MiB", rss>>20, size>>20, 8*size>>20)
	}
}

// TestHostileSourceRotation truncates, replaces and deletes the source file
// under a running worker: each change is logged, the new content follows,
// and the worker stays idle in between.
func TestHostileSourceRotation(t *testing.T) {
	needBinary(t)
	t.Parallel()
	_, bootstrap := kafkatest.Cluster(t)
	dir := t.TempDir()
	args, source, sink := fileWorker(t, dir, bootstrap, map[string]string{"offset.flush.interval.ms": "200"})
	writeFile(t, dir, "test.txt", numbered("first", 0, 20)+"unterminated")
	p := run(t, dir, false, args...)
	want := numbered("first", 0, 20)
	waitSink := func(what string) {
		t.Helper()
		eventually(t, p, startDeadline, what, func() bool { return readFile(t, sink) == want })
	}
	waitSink("the first lines")

	writeFile(t, dir, "test.txt", numbered("truncated", 0, 3))
	want += numbered("truncated", 0, 3)
	waitSink("the lines after truncation")
	checkIdle(t, p)

	writeFile(t, dir, "test.txt.new", numbered("replaced", 0, 30))
	if err := os.Rename(filepath.Join(dir, "test.txt.new"), source); err != nil {
		t.Fatal(err)
	}
	want += numbered("replaced", 0, 30)
	waitSink("the lines of the file renamed over it")

	if err := os.Remove(source); err != nil {
		t.Fatal(err)
	}
	eventually(t, p, startDeadline, "the removal in the log", func() bool { return strings.Contains(p.stderr.String(), "was removed; waiting") })
	checkIdle(t, p)
	writeFile(t, dir, "test.txt", numbered("recreated", 0, 5))
	want += numbered("recreated", 0, 5)
	waitSink("the lines of the file created again")
	p.stop(t)

	stderr := p.stderr.String()
	for _, logged := range []string{
		// Truncated to 0 bytes or to the new content: the writer truncates,
		// then writes.
		"bytes, below the read position 182; reading it again from the start (dropping its last 12 bytes, an unterminated line)",
		"test.txt was replaced by another file; reading the new one from the start",
		"test.txt was removed; waiting for it to be created again, to read it from the start",
		"test.txt exists now; reading it",
	} {
		if !strings.Contains(stderr, logged) {
			t.Errorf("the log does not say %q:\n%s", logged, stderr)
		}
	}
	if strings.Contains(stderr, "level=ERROR") {
		t.Errorf("errors logged:\n%s", stderr)
	}
}

// TestHostileOffsetsFile starts the worker on offsets files it cannot use:
// start-up fails with exit code 3 naming the file, which is left exactly as
// it was, so nothing stored in it is lost.
func TestHostileOffsetsFile(t *testing.T) {
	needBinary(t)
	t.Parallel()
	java, err := os.ReadFile(filepath.Join("..", "..", "offsets", "testdata", "java", "spec.bin"))
	if err != nil {
		t.Fatal(err)
	}
	valid := `{"format": "connect-standalone-offsets", "version": 1, "connectors": {"local-file-source": [{"partition": {"filename": "test.txt"}, "offset": {"position": 7}}]}}` + "\n"
	tests := []struct {
		name    string
		content []byte
		why     string
	}{
		{"garbage", []byte("\x00\x01\x02garbage\xff\xfe\n"), "invalid offsets content"},
		{"truncated JSON", []byte(valid[:len(valid)/2]), "invalid offsets content"},
		{"truncated JSON with BOM", append([]byte("\xef\xbb\xbf"), valid[:40]...), "invalid offsets content"},
		{"Kafka's Java format", java, "Kafka's Java-serialized offsets format"},
		{"truncated Java format", java[:len(java)/2], "Kafka's Java-serialized offsets format"},
		{"future version", []byte(strings.Replace(valid, `"version": 1`, `"version": 99`, 1)), "unsupported offsets format version"},
		{"wrong offset type", []byte(strings.Replace(valid, `{"position": 7}`, `[7]`, 1)), "invalid offsets content"},
		{"a directory", nil, "is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			args, _, _ := fileWorker(t, dir, freeAddr(t), nil)
			writeFile(t, dir, "test.txt", "a line\n")
			offsets := filepath.Join(dir, "connect.offsets")
			if tt.content == nil {
				mustDo(t, os.Mkdir(offsets, 0o755))
			} else {
				writeFile(t, dir, "connect.offsets", string(tt.content))
			}
			p := run(t, dir, false, append([]string{"--embedded-kafka"}, args...)...)
			if code := p.exit(t, startDeadline); code != 3 {
				t.Errorf("exit code = %d, want 3", code)
			}
			stderr := p.stderr.String()
			if !strings.Contains(stderr, "connect-standalone: ") || !strings.Contains(stderr, offsets) || !strings.Contains(stderr, tt.why) {
				t.Errorf("stderr should report an error naming %s and saying %q:\n%s", offsets, tt.why, stderr)
			}
			if tt.content == nil {
				if fi, err := os.Stat(offsets); err != nil || !fi.IsDir() {
					t.Errorf("the directory at the offsets file's path was changed: %v", err)
				}
			} else if got, err := os.ReadFile(offsets); err != nil || !bytes.Equal(got, tt.content) {
				t.Errorf("the offsets file was changed (%v) to %q", err, got)
			}
		})
	}
}

// TestHostilePropertiesFiles starts the worker with property files holding
// bytes editors and tools leave behind. They load as Java's
// Properties.load reads them (ISO-8859-1, any line end), but for a UTF-8
// byte order mark, which is dropped; a malformed \u escape is an error
// naming the file and line.
func TestHostilePropertiesFiles(t *testing.T) {
	needBinary(t)
	t.Parallel()

	t.Run("stray bytes load", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		worker := workerProps(t, dir, freeAddr(t), map[string]string{
			"key.converter":   stringConverter,
			"value.converter": stringConverter,
		})
		worker = "\xef\xbb\xbf" + strings.ReplaceAll(worker, "\n", "\r\n") +
			"# a comment with NUL \x00 and high bytes \xff\xfe\r\n" +
			"stray.key.with\x00nul=and\x80high\xffbytes\r" + // a lone CR ends a line too
			"long.unknown.key=" + strings.Repeat("v", 1<<20) + "\n"
		writeFile(t, dir, "worker.properties", worker)
		// ISO-8859-1: the byte E9 is é, so the file read is the UTF-8 name
		// "tést.txt", as Java opens it.
		writeFile(t, dir, "source.properties", "\xef\xbb\xbf"+strings.ReplaceAll(
			setProps(example(t, "connect-file-source.properties"), map[string]string{"file": "t\xe9st.txt"}), "\n", "\r\n"))
		writeFile(t, dir, "sink.properties", strings.ReplaceAll(example(t, "connect-file-sink.properties"), "\n", "\r"))
		writeFile(t, dir, "tést.txt", "héllo\n")
		sink := filepath.Join(dir, "test.sink.txt")

		p := run(t, dir, false, "--embedded-kafka", "worker.properties", "source.properties", "sink.properties")
		eventually(t, p, startDeadline, "the line in the sink", func() bool { return readFile(t, sink) == "héllo\n" })
		checkIdle(t, p)
		p.stop(t)
		if stderr := p.stderr.String(); !strings.Contains(stderr, "stray.key.with") || !strings.Contains(stderr, "long.unknown.key") {
			t.Errorf("the unknown keys are not reported:\n%s", stderr)
		}
	})

	t.Run("malformed escape", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeFile(t, dir, "worker.properties", workerProps(t, dir, freeAddr(t), nil))
		writeFile(t, dir, "source.properties", "name=x\r\nconnector.class=FileStreamSource\r\n\r\ntopic=bad\\u00zz\r\n")
		p := run(t, dir, false, "--embedded-kafka", "worker.properties", "source.properties")
		if code := p.exit(t, startDeadline); code != 3 {
			t.Errorf("exit code = %d, want 3", code)
		}
		if stderr, want := p.stderr.String(), "source.properties: line 4"; !strings.Contains(stderr, want) || !strings.Contains(stderr, `\u00zz`) {
			t.Errorf("stderr should name %q and the escape:\n%s", want, stderr)
		}
	})
}

// TestHostileSinkCannotWrite takes the sink's file away: its directory is
// removed while the worker runs, or a directory sits at its path at start.
// The task fails naming the file, and its consumer offsets stay where the
// data was written: once the cause is fixed, a restart writes every line.
func TestHostileSinkCannotWrite(t *testing.T) {
	needBinary(t)
	t.Parallel()

	t.Run("directory removed", func(t *testing.T) {
		t.Parallel()
		_, bootstrap := kafkatest.Cluster(t)
		dir := t.TempDir()
		args, source, _ := fileWorker(t, dir, bootstrap, map[string]string{"offset.flush.interval.ms": "100"})
		out := filepath.Join(dir, "out")
		if err := os.Mkdir(out, 0o755); err != nil {
			t.Fatal(err)
		}
		sink := filepath.Join(out, "sink.txt")
		writeFile(t, dir, "sink.properties", setProps(example(t, "connect-file-sink.properties"), map[string]string{"file": sink}))
		writeFile(t, dir, "test.txt", numbered("before", 0, 10))
		p := run(t, dir, false, args...)
		eventually(t, p, startDeadline, "the first lines in the sink", func() bool { return readFile(t, sink) == numbered("before", 0, 10) })
		// Several flush intervals: the first lines' offsets are committed.
		time.Sleep(500 * time.Millisecond)

		if err := os.RemoveAll(out); err != nil {
			t.Fatal(err)
		}
		appendFile(t, source, numbered("after", 0, 10))
		eventually(t, p, startDeadline, "the sink task to fail", func() bool { return strings.Contains(p.stderr.String(), "task failed") })
		if stderr, want := p.stderr.String(), "file "+sink+" was deleted while records were written to it"; !strings.Contains(stderr, want) {
			t.Errorf("the failure does not say %q:\n%s", want, stderr)
		}
		checkIdle(t, p)
		p.stop(t)

		if err := os.Mkdir(out, 0o755); err != nil {
			t.Fatal(err)
		}
		p = run(t, dir, false, args...)
		want := numbered("after", 0, 10)
		eventually(t, p, startDeadline, "the later lines in the new sink file", func() bool { return strings.HasSuffix(readFile(t, sink), want) })
		p.stop(t)
		if got := readFile(t, sink); strings.Contains(got, "before-0\n") {
			t.Errorf("the restarted sink wrote lines already committed: %q", got)
		}
	})

	// The sink cannot open its file at start: the task fails, and once the
	// cause is gone a restart writes every line.
	for _, tt := range []struct {
		name           string
		block, unblock func(t *testing.T, sink string)
	}{
		{
			name:    "directory at its path",
			block:   func(t *testing.T, sink string) { mustDo(t, os.Mkdir(sink, 0o755)) },
			unblock: func(t *testing.T, sink string) { mustDo(t, os.Remove(sink)) },
		},
		{
			name: "read-only file",
			block: func(t *testing.T, sink string) {
				if os.Geteuid() == 0 {
					t.Skip("root writes to read-only files")
				}
				mustDo(t, os.WriteFile(sink, nil, 0o444))
			},
			unblock: func(t *testing.T, sink string) { mustDo(t, os.Chmod(sink, 0o644)) },
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, bootstrap := kafkatest.Cluster(t)
			dir := t.TempDir()
			args, _, sink := fileWorker(t, dir, bootstrap, nil)
			tt.block(t, sink)
			writeFile(t, dir, "test.txt", numbered("line", 0, 10))
			p := run(t, dir, false, args...)
			eventually(t, p, startDeadline, "the sink task to fail", func() bool { return strings.Contains(p.stderr.String(), "task failed") })
			if stderr, want := p.stderr.String(), "Couldn't find or create file 'test.sink.txt' for FileStreamSinkTask"; !strings.Contains(stderr, want) {
				t.Errorf("the failure does not say %q:\n%s", want, stderr)
			}
			checkIdle(t, p)
			p.stop(t)

			tt.unblock(t, sink)
			p = run(t, dir, false, args...)
			eventually(t, p, startDeadline, "every line in the sink", func() bool { return readFile(t, sink) == numbered("line", 0, 10) })
			p.stop(t)
		})
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// checkIdle fails t when p uses more than idleCPU of CPU time over
// idleWindow, in which it has nothing to do.
func checkIdle(t *testing.T, p *proc) {
	t.Helper()
	before := cpuTime(t, p)
	time.Sleep(idleWindow)
	if used := cpuTime(t, p) - before; used > idleCPU {
		t.Errorf("the idle worker used %v of CPU in %v: a busy loop?", used, idleWindow)
	}
}

// cpuTime returns the user and system CPU time p used so far, from
// /proc/PID/stat.
func cpuTime(t *testing.T, p *proc) time.Duration {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/stat")
	if err != nil {
		t.Skipf("no /proc to read CPU time from: %v", err)
	}
	// The command name, in parentheses, may hold spaces: fields are
	// counted after its closing parenthesis.
	fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	// utime and stime are fields 14 and 15 of the whole line, in clock
	// ticks of 1/100 s on Linux.
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			t.Fatalf("parse /proc/%d/stat: %v", p.cmd.Process.Pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

// peakRSS returns p's peak resident set size in bytes, from
// /proc/PID/status.
func peakRSS(t *testing.T, p *proc) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/status")
	if err != nil {
		t.Skipf("no /proc to read memory use from: %v", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("parse VmHWM %q: %v", v, err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no VmHWM in /proc/%d/status", p.cmd.Process.Pid)
	return 0
}

func sizeOf(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}
