package e2e

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// client runs one client command against the worker at url and returns its
// standard output, failing the test unless it exits 0.
func client(t *testing.T, dir, url string, args ...string) string {
	t.Helper()
	p := run(t, dir, false, append(args, "--url", url)...)
	if code := p.exit(t, stopDeadline); code != 0 {
		t.Fatalf("%s: exit code %d\n%s", p.name, code, p.stderr)
	}
	return p.stdout.String()
}

// TestOperate manages a connector of a running worker with the client
// commands: load, pause, resume, status, unload.
func TestOperate(t *testing.T) {
	needBinary(t)
	t.Parallel()
	_, bootstrap := kafkatest.Cluster(t)
	dir := t.TempDir()
	api := "http://" + freeAddr(t)
	writeFile(t, dir, "worker.properties", workerProps(t, dir, bootstrap, map[string]string{"listeners": api}))
	writeFile(t, dir, "sink.properties", example(t, "connect-file-sink.properties"))
	writeFile(t, dir, "source.properties", example(t, "connect-file-source.properties"))
	source, sink := filepath.Join(dir, "test.txt"), filepath.Join(dir, "test.sink.txt")
	first := numbered("first", 0, 20)
	writeFile(t, dir, "test.txt", first)

	w := run(t, dir, false, "worker.properties", "sink.properties")
	eventually(t, w, startDeadline, "the REST API", func() bool { return strings.Contains(w.stderr.String(), "REST API listening") })

	if out := client(t, dir, api, "load", "local-file-source", "-d", "source.properties"); !strings.Contains(out, "local-file-source") {
		t.Errorf("load printed %q", out)
	}
	eventually(t, w, startDeadline, "the loaded source's lines in the sink", func() bool { return readFile(t, sink) == first })

	client(t, dir, api, "pause", "local-file-source")
	eventually(t, w, startDeadline, "the source PAUSED", func() bool {
		return strings.Contains(client(t, dir, api, "status", "local-file-source"), "PAUSED")
	})
	appendFile(t, source, "while paused\n")
	time.Sleep(1500 * time.Millisecond) // more than a poll's wait, had it been running
	if got := readFile(t, sink); got != first {
		t.Fatalf("a paused source delivered: sink ends %q", got[max(0, len(got)-40):])
	}

	client(t, dir, api, "resume", "local-file-source")
	eventually(t, w, startDeadline, "the line written while paused", func() bool { return readFile(t, sink) == first+"while paused\n" })

	var status map[string]any
	if err := json.Unmarshal([]byte(client(t, dir, api, "status", "local-file-source", "-o", "json")), &status); err != nil {
		t.Fatal(err)
	}
	if c, _ := status["connector"].(map[string]any); c["state"] != "RUNNING" {
		t.Errorf("status after resume: %v", status)
	}

	client(t, dir, api, "unload", "local-file-source")
	list := client(t, dir, api, "list")
	if strings.Contains(list, "local-file-source") || !strings.Contains(list, "local-file-sink") {
		t.Errorf("list after unload:\n%s", list)
	}
	w.stop(t)
}

// TestEditConnectorFile edits a running connector's file: a good edit
// reconfigures it, a broken one is reported and changes nothing.
func TestEditConnectorFile(t *testing.T) {
	needBinary(t)
	t.Parallel()
	_, bootstrap := kafkatest.Cluster(t)
	dir := t.TempDir()
	args, _, sink := fileWorker(t, dir, bootstrap, nil)
	writeFile(t, dir, "test.txt", "one\n")
	w := run(t, dir, false, args...)
	eventually(t, w, startDeadline, "the first line in the sink", func() bool { return readFile(t, sink) == "one\n" })

	// The sink now writes another file.
	other := filepath.Join(dir, "other.sink.txt")
	writeFile(t, dir, "sink.properties", setProps(example(t, "connect-file-sink.properties"), map[string]string{"file": other}))
	eventually(t, w, startDeadline, "the sink reconfigured", func() bool {
		return strings.Contains(w.stderr.String(), "connector reconfigured from its changed file")
	})
	appendFile(t, filepath.Join(dir, "test.txt"), "two\n")
	eventually(t, w, startDeadline, "the new line in the new file", func() bool { return strings.Contains(readFile(t, other), "two\n") })

	writeFile(t, dir, "sink.properties", setProps(example(t, "connect-file-sink.properties"), map[string]string{"tasks.max": "lots"}))
	eventually(t, w, startDeadline, "the broken edit reported", func() bool {
		return strings.Contains(w.stderr.String(), "sink.properties: tasks.max:")
	})
	appendFile(t, filepath.Join(dir, "test.txt"), "three\n")
	eventually(t, w, startDeadline, "the sink running on its last good file", func() bool { return strings.Contains(readFile(t, other), "three\n") })
	w.stop(t)
}
