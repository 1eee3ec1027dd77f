package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/builtin"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/runner"
)

// api is a running worker on an in-process broker with its REST API.
type api struct {
	t      *testing.T
	url    string
	addr   string // the broker
	dir    string
	stop   func()
	level  *slog.LevelVar
	worker *runner.Worker
}

func workerProps(addr, dir string) map[string]string {
	return map[string]string{
		"bootstrap.servers":                 addr,
		"key.converter":                     "org.apache.kafka.connect.storage.StringConverter",
		"value.converter":                   "org.apache.kafka.connect.storage.StringConverter",
		"offset.storage.file.filename":      filepath.Join(dir, "connect.offsets"),
		"offset.flush.interval.ms":          "100",
		"task.shutdown.graceful.timeout.ms": "5000",
	}
}

// startAPI runs a worker with the given command-line connectors on the
// broker at addr, keeping its offsets in dir.
func startAPI(t *testing.T, addr, dir string) *api {
	t.Helper()
	reg, err := builtin.New(strings.NewReader(""), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo}))
	w, err := runner.New(runner.Options{WorkerFile: "worker.properties", WorkerProps: workerProps(addr, dir), Registry: reg, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	level := new(slog.LevelVar)
	srv := New(Options{Worker: w, Registry: reg, Version: connectors.Version, Logger: log, Level: level})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	select {
	case <-w.Ready():
	case err := <-done:
		cancel()
		t.Fatalf("worker ended: %v", err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("worker not ready after 30 s")
	}
	listenCtx, stopListening := context.WithCancel(context.Background())
	hostPort, served, err := srv.Listen(listenCtx, "http://127.0.0.1:0")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	a := &api{t: t, url: "http://" + hostPort, addr: addr, dir: dir, level: level, worker: w}
	var once sync.Once
	a.stop = func() {
		once.Do(func() {
			stopListening()
			if err := <-served; err != nil {
				t.Errorf("serve: %v", err)
			}
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(a.stop)
	return a
}

// call makes one request; body is JSON-encoded unless it is a string,
// which is sent as is.
func (a *api) call(method, path string, body any) (int, []byte, http.Header) {
	a.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.url+path, r)
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp.StatusCode, data, resp.Header
}

// expect makes a request and checks its status, decoding the body into out
// when out is not nil.
func (a *api) expect(method, path string, body any, status int, out any) {
	a.t.Helper()
	got, data, _ := a.call(method, path, body)
	if got != status {
		a.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, got, status, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			a.t.Fatalf("%s %s: body %s: %v", method, path, data, err)
		}
	}
}

// expectError checks an error answer: its status, and Kafka's body with
// error_code equal to it and a message containing want.
func (a *api) expectError(method, path string, body any, status int, want string) {
	a.t.Helper()
	var e errorBody
	a.expect(method, path, body, status, &e)
	if e.ErrorCode != status || !strings.Contains(e.Message, want) {
		a.t.Errorf("%s %s: error %+v, want code %d and a message containing %q", method, path, e, status, want)
	}
}

// eventually retries check until it returns "" or 20 s pass.
func eventually(t *testing.T, what string, check func() string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		msg := check()
		if msg == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %s", what, msg)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// records returns how many records topic holds.
func records(t *testing.T, addr, topic string) int64 {
	t.Helper()
	c, err := sarama.NewClient([]string{addr}, sarama.NewConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	n, err := c.GetOffset(topic, 0, sarama.OffsetNewest)
	if err != nil {
		return 0 // not created yet
	}
	return n
}

func appendLines(t *testing.T, path string, lines ...string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, l := range lines {
		if _, err := f.WriteString(l + "\n"); err != nil {
			t.Fatal(err)
		}
	}
}

func (a *api) sourceConfig(file, topic string) map[string]string {
	return map[string]string{
		"connector.class": "FileStreamSource",
		"tasks.max":       "1",
		"file":            file,
		"topic":           topic,
	}
}

func (a *api) waitState(name, want string) statusBody {
	a.t.Helper()
	var st statusBody
	eventually(a.t, name+" "+want, func() string {
		code, data, _ := a.call("GET", "/connectors/"+url.PathEscape(name)+"/status", nil)
		if code != http.StatusOK {
			return fmt.Sprintf("status %d: %s", code, data)
		}
		st = statusBody{}
		if err := json.Unmarshal(data, &st); err != nil {
			return err.Error()
		}
		if st.Connector.State != want {
			return "connector " + st.Connector.State
		}
		for _, task := range st.Tasks {
			if task.State != want {
				return fmt.Sprintf("task %d %s", task.ID, task.State)
			}
		}
		return ""
	})
	return st
}

func TestConnectorLifecycle(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	dir := t.TempDir()
	a := startAPI(t, addr, dir)
	input := filepath.Join(dir, "in.txt")
	appendLines(t, input, "one", "two", "three")

	var root map[string]string
	a.expect("GET", "/", nil, http.StatusOK, &root)
	if root["version"] != connectors.Version || root["kafka_cluster_id"] == "" {
		t.Errorf("GET / answered %v, want version %q and the cluster's id", root, connectors.Version)
	}
	var health map[string]string
	a.expect("GET", "/health", nil, http.StatusOK, &health)
	if health["status"] != "healthy" {
		t.Errorf("health %v", health)
	}
	var names []string
	a.expect("GET", "/connectors", nil, http.StatusOK, &names)
	if len(names) != 0 {
		t.Errorf("connectors at start %v, want none", names)
	}

	// Create.
	var info connectorInfo
	code, data, hdr := a.call("POST", "/connectors", map[string]any{"name": "src", "config": a.sourceConfig(input, "lines")})
	if code != http.StatusCreated {
		t.Fatalf("POST /connectors: %d %s", code, data)
	}
	if loc := hdr.Get("Location"); loc != "/connectors/src" {
		t.Errorf("Location %q", loc)
	}
	if err := json.Unmarshal(data, &info); err != nil {
		t.Fatal(err)
	}
	if info.Name != "src" || info.Type != "source" || len(info.Tasks) != 1 || info.Config["name"] != "src" {
		t.Errorf("created %+v", info)
	}
	a.waitState("src", "RUNNING")
	eventually(t, "3 records", func() string {
		if n := records(t, addr, "lines"); n != 3 {
			return fmt.Sprintf("%d records", n)
		}
		return ""
	})
	a.expectError("POST", "/connectors", map[string]any{"name": "src", "config": a.sourceConfig(input, "lines")}, http.StatusConflict, "Connector src already exists")

	// Read.
	a.expect("GET", "/connectors/src", nil, http.StatusOK, &info)
	var cfg map[string]string
	a.expect("GET", "/connectors/src/config", nil, http.StatusOK, &cfg)
	if cfg["topic"] != "lines" || cfg["name"] != "src" {
		t.Errorf("config %v", cfg)
	}
	var tasks []taskInfoBody
	a.expect("GET", "/connectors/src/tasks", nil, http.StatusOK, &tasks)
	if len(tasks) != 1 || tasks[0].ID != (taskRef{"src", 0}) || tasks[0].Config["file"] != input {
		t.Errorf("tasks %+v", tasks)
	}
	var tasksConfig map[string]map[string]string
	a.expect("GET", "/connectors/src/tasks-config", nil, http.StatusOK, &tasksConfig)
	if tasksConfig["src-0"]["topic"] != "lines" {
		t.Errorf("tasks-config %v", tasksConfig)
	}
	var ts taskStateBody
	a.expect("GET", "/connectors/src/tasks/0/status", nil, http.StatusOK, &ts)
	if ts.State != "RUNNING" || ts.WorkerID == "" {
		t.Errorf("task status %+v", ts)
	}
	var expanded map[string]struct {
		Status statusBody    `json:"status"`
		Info   connectorInfo `json:"info"`
	}
	a.expect("GET", "/connectors?expand=status&expand=info", nil, http.StatusOK, &expanded)
	if e := expanded["src"]; e.Status.Connector.State != "RUNNING" || e.Info.Type != "source" {
		t.Errorf("expanded %+v", expanded)
	}

	// Pause: nothing flows; resume: it flows again.
	a.expect("PUT", "/connectors/src/pause", nil, http.StatusAccepted, nil)
	a.waitState("src", "PAUSED")
	appendLines(t, input, "four")
	time.Sleep(500 * time.Millisecond) // several polls' worth, had it been running
	if n := records(t, addr, "lines"); n != 3 {
		t.Fatalf("%d records while paused, want 3", n)
	}
	a.expect("PUT", "/connectors/src/resume", nil, http.StatusAccepted, nil)
	a.waitState("src", "RUNNING")
	eventually(t, "4 records after resume", func() string {
		if n := records(t, addr, "lines"); n != 4 {
			return fmt.Sprintf("%d records", n)
		}
		return ""
	})

	// Offsets can be changed only once stopped.
	a.expectError("DELETE", "/connectors/src/offsets", nil, http.StatusBadRequest, "must be in the STOPPED state")
	a.expect("PUT", "/connectors/src/stop", nil, http.StatusNoContent, nil)
	st := a.waitState("src", "STOPPED")
	if len(st.Tasks) != 0 {
		t.Errorf("stopped connector has tasks %+v", st.Tasks)
	}
	var offs offsetsBody
	a.expect("GET", "/connectors/src/offsets", nil, http.StatusOK, &offs)
	if len(offs.Offsets) != 1 || offs.Offsets[0].Partition["filename"] != input || offs.Offsets[0].Offset["position"] != float64(19) {
		t.Errorf("offsets %+v", offs)
	}
	// Back to the line "two": it and what follows are read again.
	alter := map[string]any{"offsets": []any{map[string]any{"partition": map[string]any{"filename": input}, "offset": map[string]any{"position": 4}}}}
	a.expect("PATCH", "/connectors/src/offsets", alter, http.StatusOK, nil)
	a.expect("GET", "/connectors/src/offsets", nil, http.StatusOK, &offs)
	if len(offs.Offsets) != 1 || offs.Offsets[0].Offset["position"] != float64(4) {
		t.Errorf("offsets after PATCH %+v", offs)
	}
	a.expect("PUT", "/connectors/src/resume", nil, http.StatusAccepted, nil)
	a.waitState("src", "RUNNING")
	eventually(t, "lines two to four again", func() string {
		if n := records(t, addr, "lines"); n != 7 {
			return fmt.Sprintf("%d records", n)
		}
		return ""
	})

	// Reconfigure, patch, restart.
	newCfg := a.sourceConfig(input, "lines2")
	a.expect("PUT", "/connectors/src/config", newCfg, http.StatusOK, &info)
	if info.Config["topic"] != "lines2" {
		t.Errorf("PUT config answered %+v", info)
	}
	info = connectorInfo{} // decoding into a filled map would merge
	a.expect("PATCH", "/connectors/src/config", map[string]any{"batch.size": "5", "tasks.max": nil}, http.StatusOK, &info)
	if info.Config["batch.size"] != "5" || info.Config["tasks.max"] != "" {
		t.Errorf("PATCH config answered %+v", info.Config)
	}
	a.expect("POST", "/connectors/src/restart", nil, http.StatusNoContent, nil)
	a.expect("POST", "/connectors/src/restart?includeTasks=true", nil, http.StatusAccepted, &st)
	if st.Connector.State != "RESTARTING" || len(st.Tasks) != 1 || st.Tasks[0].State != "RESTARTING" {
		t.Errorf("restart answered %+v", st)
	}
	a.waitState("src", "RUNNING")
	a.expect("POST", "/connectors/src/restart?includeTasks=true&onlyFailed=true", nil, http.StatusAccepted, &st)
	if st.Connector.State != "RUNNING" {
		t.Errorf("onlyFailed restart of a running connector answered %+v", st)
	}
	a.expect("POST", "/connectors/src/tasks/0/restart", nil, http.StatusNoContent, nil)
	a.waitState("src", "RUNNING")

	var topics map[string]map[string][]string
	a.expect("GET", "/connectors/src/topics", nil, http.StatusOK, &topics)
	// lines2 got no record yet: the source resumed at the end of its file.
	if got := topics["src"]["topics"]; !slices.Equal(got, []string{"lines"}) {
		t.Errorf("topics %v, want [lines]", topics)
	}
	a.expect("PUT", "/connectors/src/topics/reset", nil, http.StatusAccepted, nil)
	a.expect("GET", "/connectors/src/topics", nil, http.StatusOK, &topics)
	if got := topics["src"]["topics"]; len(got) != 0 {
		t.Errorf("topics after reset %v", topics)
	}

	// Delete.
	a.expect("DELETE", "/connectors/src", nil, http.StatusNoContent, nil)
	a.expectError("GET", "/connectors/src", nil, http.StatusNotFound, "Connector src not found")
	a.expectError("GET", "/connectors/src/status", nil, http.StatusNotFound, "No status found for connector src")
}

func TestSinkOffsets(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	dir := t.TempDir()
	a := startAPI(t, addr, dir)
	input, output := filepath.Join(dir, "in.txt"), filepath.Join(dir, "out.txt")
	appendLines(t, input, "one", "two", "three")
	a.expect("POST", "/connectors", map[string]any{"name": "src", "config": a.sourceConfig(input, "lines")}, http.StatusCreated, nil)
	a.expect("POST", "/connectors", map[string]any{"name": "sink", "config": map[string]string{
		"connector.class": "FileStreamSink", "topics": "lines", "file": output,
	}}, http.StatusCreated, nil)
	read := func() string {
		b, _ := os.ReadFile(output)
		return string(b)
	}
	eventually(t, "the sink file", func() string {
		if got := read(); got != "one\ntwo\nthree\n" {
			return fmt.Sprintf("file holds %q", got)
		}
		return ""
	})
	a.expect("PUT", "/connectors/sink/stop", nil, http.StatusNoContent, nil)
	a.waitState("sink", "STOPPED")
	var offs offsetsBody
	a.expect("GET", "/connectors/sink/offsets", nil, http.StatusOK, &offs)
	want := offsetBody{Partition: map[string]any{"kafka_topic": "lines", "kafka_partition": float64(0)}, Offset: map[string]any{"kafka_offset": float64(3)}}
	if len(offs.Offsets) != 1 || fmt.Sprint(offs.Offsets[0]) != fmt.Sprint(want) {
		t.Fatalf("sink offsets %+v, want [%+v]", offs.Offsets, want)
	}

	for _, bad := range []struct {
		body any
		want string
	}{
		{map[string]any{"offsets": []any{map[string]any{"partition": map[string]any{"kafka_topic": "lines"}, "offset": nil}}}, "must contain the keys 'kafka_topic' and 'kafka_partition'"},
		{map[string]any{"offsets": []any{map[string]any{"partition": map[string]any{"kafka_topic": "lines", "kafka_partition": "0"}, "offset": nil}}}, "Partition values for sink connectors need to be integers"},
		{map[string]any{"offsets": []any{map[string]any{"partition": map[string]any{"kafka_topic": "lines", "kafka_partition": 0}, "offset": map[string]any{"x": 1}}}}, "should either be null or contain the key 'kafka_offset'"},
		{map[string]any{"offsets": []any{map[string]any{"partition": map[string]any{"kafka_topic": "lines", "kafka_partition": 0}, "offset": map[string]any{"kafka_offset": 1.5}}}}, "Offset values for sink connectors need to be integers"},
		{map[string]any{"offsets": []any{}}, "Partitions / offsets need to be provided"},
	} {
		a.expectError("PATCH", "/connectors/sink/offsets", bad.body, http.StatusBadRequest, bad.want)
	}

	// Rewind to the second record: it and the third are written again.
	rewind := map[string]any{"offsets": []any{map[string]any{"partition": map[string]any{"kafka_topic": "lines", "kafka_partition": 0}, "offset": map[string]any{"kafka_offset": 1}}}}
	a.expect("PATCH", "/connectors/sink/offsets", rewind, http.StatusOK, nil)
	a.expect("GET", "/connectors/sink/offsets", nil, http.StatusOK, &offs)
	if len(offs.Offsets) != 1 || offs.Offsets[0].Offset["kafka_offset"] != float64(1) {
		t.Fatalf("after the rewind: %+v", offs.Offsets)
	}
	a.expect("PUT", "/connectors/sink/resume", nil, http.StatusAccepted, nil)
	eventually(t, "the rewound records written again", func() string {
		if got := read(); got != "one\ntwo\nthree\ntwo\nthree\n" {
			return fmt.Sprintf("file holds %q", got)
		}
		return ""
	})

	a.expect("PUT", "/connectors/sink/stop", nil, http.StatusNoContent, nil)
	a.waitState("sink", "STOPPED")
	a.expect("DELETE", "/connectors/sink/offsets", nil, http.StatusOK, nil)
	a.expect("GET", "/connectors/sink/offsets", nil, http.StatusOK, &offs)
	if len(offs.Offsets) != 0 {
		t.Errorf("after the reset: %+v", offs.Offsets)
	}
}

func TestErrors(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	dir := t.TempDir()
	a := startAPI(t, addr, dir)
	input := filepath.Join(dir, "in.txt")

	tests := []struct {
		name, method, path string
		body               any
		status             int
		want               string
	}{
		{"malformed JSON", "POST", "/connectors", `{"name": "x", "config": {`, 400, "malformed JSON"},
		{"wrong JSON type", "POST", "/connectors", `{"name": "x", "config": {"tasks.max": 1}}`, 400, `expected string`},
		{"empty body", "POST", "/connectors", ``, 400, "the body is empty"},
		{"no name", "POST", "/connectors", map[string]any{"config": map[string]string{"connector.class": "FileStreamSource"}}, 400, "name must not be empty"},
		{"no class", "POST", "/connectors", map[string]any{"name": "x", "config": map[string]string{}}, 400, "contains no connector type"},
		{"invalid config", "POST", "/connectors", map[string]any{"name": "x", "config": map[string]string{"connector.class": "FileStreamSource", "tasks.max": "zero"}}, 400,
			"Connector configuration is invalid and contains the following 2 error(s):"},
		{"unknown class", "POST", "/connectors", map[string]any{"name": "x", "config": map[string]string{"connector.class": "NoSuchConnector"}}, 400, "NoSuchConnector"},
		{"name mismatch", "PUT", "/connectors/x/config", map[string]string{"name": "y", "connector.class": "FileStreamSource"}, 400, "doesn't match connector name in the URL"},
		{"bad initial state", "POST", "/connectors", map[string]any{"name": "x", "initial_state": "SLEEPING", "config": a.sourceConfig(input, "t")}, 400, "initial_state"},
		{"unknown connector", "GET", "/connectors/nope", nil, 404, "Connector nope not found"},
		{"unknown connector status", "GET", "/connectors/nope/status", nil, 404, "No status found for connector nope"},
		{"unknown task", "GET", "/connectors/nope/tasks/0/status", nil, 404, "No status found for task nope-0"},
		{"task not a number", "GET", "/connectors/nope/tasks/x/status", nil, 404, "No status found for task nope-x"},
		{"pause unknown", "PUT", "/connectors/nope/pause", nil, 404, "Connector nope not found"},
		{"delete unknown", "DELETE", "/connectors/nope", nil, 404, "Connector nope not found"},
		{"patch unknown", "PATCH", "/connectors/nope/config", map[string]any{}, 404, "Connector nope not found"},
		{"restart flag", "POST", "/connectors/nope/restart?includeTasks=maybe", nil, 400, "includeTasks"},
		{"unknown path", "GET", "/nothing/here", nil, 404, "HTTP 404 Not Found"},
		{"unknown plugin", "GET", "/connector-plugins/Nope/config", nil, 404, "Unknown plugin Nope."},
		{"validate type mismatch", "PUT", "/connector-plugins/FileStreamSink/config/validate", map[string]string{"connector.class": "FileStreamSource"}, 400, "does not match request type"},
		{"too large", "POST", "/connectors", `{"name":"` + strings.Repeat("x", MaxBody) + `"}`, 413, "larger than"},
		{"logger without level", "PUT", "/admin/loggers/root", map[string]any{}, 400, "Desired 'level' parameter was not specified"},
		{"logger bad level", "PUT", "/admin/loggers/root", map[string]string{"level": "LOUD"}, 404, "invalid log level 'LOUD'."},
		{"unknown logger", "GET", "/admin/loggers/org.apache.kafka", nil, 404, "Logger org.apache.kafka not found."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a.t = t
			a.expectError(tt.method, tt.path, tt.body, tt.status, tt.want)
		})
	}
	a.t = t
	var names []string
	a.expect("GET", "/connectors", nil, http.StatusOK, &names)
	if len(names) != 0 {
		t.Errorf("failed requests left connectors %v", names)
	}
}

func TestNamesNeedingEscapes(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	dir := t.TempDir()
	a := startAPI(t, addr, dir)
	input := filepath.Join(dir, "in.txt")
	appendLines(t, input, "x")
	for _, name := range []string{"with space", "slash/inside", "ünïcödé ✓", "percent%20"} {
		t.Run(name, func(t *testing.T) {
			a.t = t
			code, data, hdr := a.call("POST", "/connectors", map[string]any{"name": name, "config": a.sourceConfig(input, "esc")})
			if code != http.StatusCreated {
				t.Fatalf("POST: %d %s", code, data)
			}
			if loc := hdr.Get("Location"); loc != "/connectors/"+url.PathEscape(name) {
				t.Errorf("Location %q", loc)
			}
			var info connectorInfo
			a.expect("GET", "/connectors/"+url.PathEscape(name), nil, http.StatusOK, &info)
			if info.Name != name {
				t.Errorf("GET answered name %q", info.Name)
			}
			a.waitState(name, "RUNNING")
			a.expect("DELETE", "/connectors/"+url.PathEscape(name), nil, http.StatusNoContent, nil)
		})
	}
}

func TestRESTConnectorsSurviveRestart(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	dir := t.TempDir()
	input := filepath.Join(dir, "in.txt")
	appendLines(t, input, "a", "b")
	a := startAPI(t, addr, dir)
	a.expect("POST", "/connectors", map[string]any{"name": "kept", "config": a.sourceConfig(input, "kept")}, http.StatusCreated, nil)
	a.expect("POST", "/connectors", map[string]any{"name": "paused", "initial_state": "PAUSED", "config": a.sourceConfig(input, "paused")}, http.StatusCreated, nil)
	a.expect("POST", "/connectors", map[string]any{"name": "gone", "config": a.sourceConfig(input, "gone")}, http.StatusCreated, nil)
	a.expect("DELETE", "/connectors/gone", nil, http.StatusNoContent, nil)
	st := a.waitState("paused", "PAUSED")
	if len(st.Tasks) != 0 {
		t.Errorf("a connector created PAUSED has tasks %+v", st.Tasks)
	}
	eventually(t, "2 records", func() string {
		if n := records(t, addr, "kept"); n != 2 {
			return fmt.Sprintf("%d records", n)
		}
		return ""
	})
	a.stop()

	b := startAPI(t, addr, dir)
	var names []string
	b.expect("GET", "/connectors", nil, http.StatusOK, &names)
	if !slices.Equal(names, []string{"kept", "paused"}) {
		t.Fatalf("connectors after restart %v, want [kept paused]", names)
	}
	b.waitState("kept", "RUNNING")
	b.waitState("paused", "PAUSED")
	appendLines(t, input, "c")
	eventually(t, "the new line only", func() string {
		if n := records(t, addr, "kept"); n != 3 {
			return fmt.Sprintf("%d records", n)
		}
		return ""
	})
}

func TestConcurrentRequests(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	dir := t.TempDir()
	a := startAPI(t, addr, dir)
	input := filepath.Join(dir, "in.txt")
	appendLines(t, input, "x")
	var wg sync.WaitGroup
	codes := make(chan int, 64)
	for i := range 8 {
		wg.Go(func() {
			name := fmt.Sprintf("c%d", i%3) // names collide on purpose
			for _, req := range []struct{ method, path string }{
				{"POST", "/connectors"}, {"PUT", "/connectors/" + name + "/pause"}, {"GET", "/connectors/" + name + "/status"},
				{"PUT", "/connectors/" + name + "/resume"}, {"DELETE", "/connectors/" + name},
			} {
				var body any
				if req.method == "POST" {
					body = map[string]any{"name": name, "config": a.sourceConfig(input, "conc")}
				}
				code, _, _ := a.call(req.method, req.path, body)
				codes <- code
			}
		})
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		switch c {
		case 200, 201, 202, 204, 404, 409:
		default:
			t.Errorf("status %d from a concurrent request", c)
		}
	}
	var names []string
	a.expect("GET", "/health", nil, http.StatusOK, nil)
	a.expect("GET", "/connectors", nil, http.StatusOK, &names)
	for _, n := range names {
		a.waitState(n, "RUNNING")
	}
}

func TestPluginsAndValidate(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	a := startAPI(t, addr, t.TempDir())

	var plugins []pluginBody
	a.expect("GET", "/connector-plugins", nil, http.StatusOK, &plugins)
	if len(plugins) < 2 || plugins[0].Type != "sink" || !slices.ContainsFunc(plugins, func(p pluginBody) bool {
		return p.Class == "org.apache.kafka.connect.file.FileStreamSourceConnector" && p.Type == "source"
	}) {
		t.Errorf("plugins %+v", plugins)
	}
	for _, p := range plugins {
		if p.Type != "sink" && p.Type != "source" {
			t.Errorf("connectorsOnly listed %+v", p)
		}
	}
	var all []pluginBody
	a.expect("GET", "/connector-plugins?connectorsOnly=false", nil, http.StatusOK, &all)
	if !slices.ContainsFunc(all, func(p pluginBody) bool { return p.Type == "transformation" }) || len(all) <= len(plugins) {
		t.Errorf("all plugins: %d, connectors: %d", len(all), len(plugins))
	}

	var keys []map[string]any
	a.expect("GET", "/connector-plugins/FileStreamSource/config", nil, http.StatusOK, &keys)
	if len(keys) == 0 || keys[0]["name"] != "file" {
		t.Errorf("plugin config starts with %v, want the plugin's own key file first", keys[0])
	}

	var infos configInfos
	a.expect("PUT", "/connector-plugins/FileStreamSinkConnector/config/validate",
		map[string]any{"connector.class": "FileStreamSink", "tasks.max": "x", "unknown.key": "1", "file": nil}, http.StatusOK, &infos)
	if infos.Name != "FileStreamSink" || infos.ErrorCount < 2 {
		t.Errorf("validate: name %q, %d errors", infos.Name, infos.ErrorCount)
	}
	find := func(key string) *configInfo {
		for i := range infos.Configs {
			if infos.Configs[i].Value.Name == key {
				return &infos.Configs[i]
			}
		}
		t.Fatalf("validate lists no %s", key)
		return nil
	}
	if c := find("tasks.max"); c.Definition == nil || len(c.Value.Errors) == 0 || *c.Value.Value != "x" {
		t.Errorf("tasks.max: %+v", c)
	}
	if c := find("unknown.key"); c.Definition != nil {
		t.Errorf("unknown.key has a definition: %+v", c.Definition)
	}
	if c := find("file"); !slices.Contains(c.Value.Errors, "Null value can not be supplied as the configuration value.") {
		t.Errorf("file: %+v", c.Value)
	}
	a.expect("PUT", "/connector-plugins/FileStreamSink/config/validate",
		map[string]any{"connector.class": "FileStreamSink", "topics": "t", "file": "/tmp/x"}, http.StatusOK, &infos)
	if infos.ErrorCount != 0 {
		t.Errorf("valid config: %d errors: %+v", infos.ErrorCount, infos.Configs)
	}
}

func TestLoggers(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	a := startAPI(t, addr, t.TempDir())
	var loggers map[string]loggerBody
	a.expect("GET", "/admin/loggers", nil, http.StatusOK, &loggers)
	if loggers["root"].Level != "INFO" || loggers["root"].LastModified != nil {
		t.Errorf("loggers %+v", loggers)
	}
	var changed []string
	a.expect("PUT", "/admin/loggers/root", map[string]string{"level": "DEBUG"}, http.StatusOK, &changed)
	if !slices.Equal(changed, []string{"root"}) || a.level.Level() != slog.LevelDebug {
		t.Errorf("changed %v, level %v", changed, a.level.Level())
	}
	var root loggerBody
	a.expect("GET", "/admin/loggers/root", nil, http.StatusOK, &root)
	if root.Level != "DEBUG" || root.LastModified == nil {
		t.Errorf("root %+v", root)
	}
	a.expect("PUT", "/admin/loggers/root?scope=cluster", map[string]string{"level": "warn"}, http.StatusNoContent, nil)
	if a.level.Level() != slog.LevelWarn {
		t.Errorf("level %v, want WARN", a.level.Level())
	}
}

func TestPasswordsHidden(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	dir := t.TempDir()
	a := startAPI(t, addr, dir)
	input := filepath.Join(dir, "in.txt")
	appendLines(t, input, "x")
	cfg := a.sourceConfig(input, "pw")
	cfg["producer.override.ssl.truststore.password"] = "hunter2"
	code, data, _ := a.call("POST", "/connectors", map[string]any{"name": "pw", "config": cfg})
	if code != http.StatusCreated || strings.Contains(string(data), "hunter2") {
		t.Fatalf("POST answered %d %s", code, data)
	}
	for _, path := range []string{"/connectors/pw", "/connectors/pw/config", "/connectors/pw/tasks", "/connectors/pw/tasks-config", "/connectors?expand=info"} {
		_, data, _ := a.call("GET", path, nil)
		if strings.Contains(string(data), "hunter2") || !strings.Contains(string(data), "[hidden]") {
			t.Errorf("GET %s: %s", path, data)
		}
	}
	// A PATCH of another key keeps the password as it was given.
	a.expect("PATCH", "/connectors/pw/config", map[string]any{"batch.size": "7"}, http.StatusOK, nil)
	raw, err := a.worker.RawConfig("pw")
	if err != nil || raw["producer.override.ssl.truststore.password"] != "hunter2" || raw["batch.size"] != "7" {
		t.Errorf("after PATCH: %v, %v", raw, err)
	}
}
