package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/spf13/cobra"
)

// fakeWorker serves the part of Kafka Connect's REST API the client
// commands call, with Kafka's status codes, bodies and error messages, and
// records every request.
type fakeWorker struct {
	mu    sync.Mutex
	conns map[string]*fakeConnector
	reqs  []recordedRequest
}

type fakeConnector struct {
	config map[string]string
	typ    string
	state  string
	trace  string
	tasks  []taskState
}

type recordedRequest struct {
	Method string
	Path   string // escaped, as sent
	Query  string
	Body   string // JSON, compared by value; empty for none
}

const fakeWorkerID = "127.0.0.1:8083"

func newFakeWorker(t *testing.T) (*fakeWorker, *httptest.Server) {
	w := &fakeWorker{conns: make(map[string]*fakeConnector)}
	srv := httptest.NewServer(w.handler(t))
	t.Cleanup(srv.Close)
	return w, srv
}

// add creates a connector as a running worker would have it.
func (w *fakeWorker) add(name, class string, states ...string) *fakeConnector {
	c := &fakeConnector{
		config: map[string]string{"name": name, "connector.class": class, "tasks.max": strconv.Itoa(len(states))},
		typ:    fakeConnectorType(class),
		state:  "RUNNING",
	}
	for i, s := range states {
		t := taskState{ID: i, instanceState: instanceState{State: s, WorkerID: fakeWorkerID}}
		if s == "FAILED" {
			t.Trace = fmt.Sprintf("org.apache.kafka.connect.errors.ConnectException: task %d failed\n\tat org.apache.kafka.connect.runtime.WorkerTask.run(WorkerTask.java:1)\n", i)
		}
		c.tasks = append(c.tasks, t)
	}
	w.conns[name] = c
	return c
}

func (w *fakeWorker) requests() []recordedRequest {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.reqs)
}

func fakeConnectorType(class string) string {
	if strings.Contains(class, "Sink") {
		return "sink"
	}
	return "source"
}

func (c *fakeConnector) info(name string) map[string]any {
	tasks := []map[string]any{}
	for _, t := range c.tasks {
		tasks = append(tasks, map[string]any{"connector": name, "task": t.ID})
	}
	return map[string]any{"name": name, "config": c.config, "tasks": tasks, "type": c.typ}
}

func fakeInstanceJSON(s instanceState) map[string]any {
	m := map[string]any{"state": s.State, "worker_id": s.WorkerID}
	if s.Trace != "" {
		m["trace"] = s.Trace
	}
	return m
}

func (c *fakeConnector) status(name string) map[string]any {
	tasks := []map[string]any{}
	for _, t := range c.tasks {
		m := fakeInstanceJSON(t.instanceState)
		m["id"] = t.ID
		tasks = append(tasks, m)
	}
	return map[string]any{
		"name":      name,
		"connector": fakeInstanceJSON(instanceState{State: c.state, WorkerID: fakeWorkerID, Trace: c.trace}),
		"tasks":     tasks,
		"type":      c.typ,
	}
}

func fakeReply(rw http.ResponseWriter, status int, body any) {
	if body == nil {
		rw.WriteHeader(status)
		return
	}
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	json.NewEncoder(rw).Encode(body)
}

func fakeError(rw http.ResponseWriter, status int, format string, a ...any) {
	fakeReply(rw, status, map[string]any{"error_code": status, "message": fmt.Sprintf(format, a...)})
}

func (w *fakeWorker) handler(t *testing.T) http.Handler {
	mux := http.NewServeMux()
	// Jersey's answer to a path no resource has.
	mux.HandleFunc("/", func(rw http.ResponseWriter, _ *http.Request) {
		fakeError(rw, http.StatusNotFound, "HTTP 404 Not Found")
	})
	mux.HandleFunc("GET /connectors", func(rw http.ResponseWriter, r *http.Request) {
		expand := r.URL.Query()["expand"]
		out := map[string]map[string]any{}
		for n, c := range w.conns {
			e := map[string]any{}
			if slices.Contains(expand, "status") {
				e["status"] = c.status(n)
			}
			if slices.Contains(expand, "info") {
				e["info"] = c.info(n)
			}
			out[n] = e
		}
		fakeReply(rw, http.StatusOK, out)
	})
	mux.HandleFunc("POST /connectors", func(rw http.ResponseWriter, r *http.Request) {
		var req struct {
			Name         string            `json:"name"`
			Config       map[string]string `json:"config"`
			InitialState string            `json:"initial_state"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			fakeError(rw, http.StatusInternalServerError, "Cannot deserialize value: %v", err)
			return
		}
		if _, ok := w.conns[req.Name]; ok {
			fakeError(rw, http.StatusConflict, "Connector %s already exists", req.Name)
			return
		}
		w.create(rw, req.Name, req.Config, req.InitialState)
	})
	mux.HandleFunc("GET /connectors/{name}/config", func(rw http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		c, ok := w.conns[name]
		if !ok {
			fakeError(rw, http.StatusNotFound, "Connector %s not found", name)
			return
		}
		fakeReply(rw, http.StatusOK, c.config)
	})
	mux.HandleFunc("PUT /connectors/{name}/config", func(rw http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		var cfg map[string]string
		if err := json.NewDecoder(r.Body).Decode(&cfg); err != nil {
			fakeError(rw, http.StatusInternalServerError, "Cannot deserialize value: %v", err)
			return
		}
		if n, ok := cfg["name"]; ok && n != name {
			fakeError(rw, http.StatusBadRequest, "Connector name configuration (%s) doesn't match connector name in the URL (%s)", n, name)
			return
		}
		cfg["name"] = name
		c, ok := w.conns[name]
		if !ok {
			w.create(rw, name, cfg, "")
			return
		}
		if !w.valid(rw, cfg) {
			return
		}
		c.config = cfg
		c.typ = fakeConnectorType(cfg["connector.class"])
		n, _ := strconv.Atoi(cfg["tasks.max"])
		c.tasks = c.tasks[:0]
		for i := range n {
			c.tasks = append(c.tasks, taskState{ID: i, instanceState: instanceState{State: c.state, WorkerID: fakeWorkerID}})
		}
		fakeReply(rw, http.StatusOK, c.info(name))
	})
	mux.HandleFunc("GET /connectors/{name}/status", func(rw http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		c, ok := w.conns[name]
		if !ok {
			fakeError(rw, http.StatusNotFound, "No status found for connector %s", name)
			return
		}
		fakeReply(rw, http.StatusOK, c.status(name))
	})
	mux.HandleFunc("DELETE /connectors/{name}", func(rw http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		if _, ok := w.conns[name]; !ok {
			fakeError(rw, http.StatusNotFound, "Connector %s not found", name)
			return
		}
		delete(w.conns, name)
		fakeReply(rw, http.StatusNoContent, nil)
	})
	for verb, state := range map[string]string{"pause": "PAUSED", "resume": "RUNNING"} {
		mux.HandleFunc("PUT /connectors/{name}/"+verb, func(rw http.ResponseWriter, r *http.Request) {
			name := r.PathValue("name")
			c, ok := w.conns[name]
			if !ok {
				fakeError(rw, http.StatusNotFound, "Unknown connector %s", name)
				return
			}
			c.state = state
			for i := range c.tasks {
				c.tasks[i].State = state
			}
			fakeReply(rw, http.StatusAccepted, nil)
		})
	}
	mux.HandleFunc("PUT /connectors/{name}/stop", func(rw http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		c, ok := w.conns[name]
		if !ok {
			// Standalone's IllegalArgumentException, mapped to 500.
			fakeError(rw, http.StatusInternalServerError, "No connector `%s` configured", name)
			return
		}
		c.state, c.tasks = "STOPPED", nil
		fakeReply(rw, http.StatusNoContent, nil)
	})
	mux.HandleFunc("POST /connectors/{name}/restart", func(rw http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		c, ok := w.conns[name]
		if !ok {
			fakeError(rw, http.StatusNotFound, "Unknown connector: %s", name)
			return
		}
		includeTasks := r.URL.Query().Get("includeTasks") == "true"
		onlyFailed := r.URL.Query().Get("onlyFailed") == "true"
		if !includeTasks && !onlyFailed {
			fakeReply(rw, http.StatusNoContent, nil)
			return
		}
		if !onlyFailed || c.state == "FAILED" {
			c.state, c.trace = "RESTARTING", ""
		}
		for i, task := range c.tasks {
			if includeTasks && (!onlyFailed || task.State == "FAILED") {
				c.tasks[i].State, c.tasks[i].Trace = "RESTARTING", ""
			}
		}
		fakeReply(rw, http.StatusAccepted, c.status(name))
	})
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("read request body: %v", err)
		}
		if len(body) > 0 && r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: Content-Type %q, want application/json", r.Method, r.URL, r.Header.Get("Content-Type"))
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		w.mu.Lock()
		defer w.mu.Unlock()
		w.reqs = append(w.reqs, recordedRequest{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Body: string(body)})
		mux.ServeHTTP(rw, r)
	})
}

// valid applies the part of Kafka's validation the tests need.
func (w *fakeWorker) valid(rw http.ResponseWriter, cfg map[string]string) bool {
	if _, ok := cfg["connector.class"]; !ok {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(cfg)) {
			parts = append(parts, k+"="+cfg[k])
		}
		fakeError(rw, http.StatusBadRequest, "Connector config {%s} contains no connector type", strings.Join(parts, ", "))
		return false
	}
	if n, err := strconv.Atoi(cfg["tasks.max"]); err != nil || n < 1 {
		fakeError(rw, http.StatusBadRequest, "Connector configuration is invalid and contains the following 1 error(s):\n"+
			"Invalid value %s for configuration tasks.max: Value must be at least 1\n"+
			"You can also find the above list of errors at the endpoint `/connector-plugins/{fakeConnectorType}/config/validate`", cfg["tasks.max"])
		return false
	}
	return true
}

func (w *fakeWorker) create(rw http.ResponseWriter, name string, cfg map[string]string, initial string) {
	if !w.valid(rw, cfg) {
		return
	}
	c := &fakeConnector{config: cfg, typ: fakeConnectorType(cfg["connector.class"]), state: "RUNNING"}
	switch initial {
	case "PAUSED", "STOPPED":
		c.state = initial // no tasks until resumed
	default:
		n, _ := strconv.Atoi(cfg["tasks.max"])
		for i := range n {
			c.tasks = append(c.tasks, taskState{ID: i, instanceState: instanceState{State: "RUNNING", WorkerID: fakeWorkerID}})
		}
	}
	w.conns[name] = c
	rw.Header().Set("Location", "/connectors/"+name)
	fakeReply(rw, http.StatusCreated, c.info(name))
}

// runClient runs argv through a root command holding the client commands,
// as the program registers them, and reports as Main does.
func runClient(t *testing.T, stdin string, argv ...string) (stdout, stderr string, code int) {
	t.Helper()
	in, out, errOut := strings.NewReader(stdin), &bytes.Buffer{}, &bytes.Buffer{}
	ios := &IOStreams{In: in, Out: out, ErrOut: errOut}
	root := &cobra.Command{Use: "connect-standalone", SilenceErrors: true, SilenceUsage: true}
	root.AddCommand(newClientCommands(ios)...)
	root.SetArgs(argv)
	code = report(errOut, root, root.ExecuteContext(t.Context()))
	return out.String(), errOut.String(), code
}

// clientFiles writes files into a new directory and returns a function
// that replaces "@name" arguments with their paths.
func clientFiles(t *testing.T, files map[string]string) func([]string) []string {
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return func(argv []string) []string {
		out := slices.Clone(argv)
		for i, a := range out {
			if strings.HasPrefix(a, "@") {
				out[i] = filepath.Join(dir, a[1:])
			}
		}
		return out
	}
}

// checkRequests compares requests, their JSON bodies by value.
func checkRequests(t *testing.T, got, want []recordedRequest) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("requests:\n%s\nwant:\n%s", formatRequests(got), formatRequests(want))
		return
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Method != w.Method || g.Path != w.Path || g.Query != w.Query || !sameJSONValue(g.Body, w.Body) {
			t.Errorf("request %d = %+v\nwant        %+v", i, g, w)
		}
	}
}

func formatRequests(rs []recordedRequest) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "  %+v\n", r)
	}
	return b.String()
}

func sameJSONValue(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	var va, vb any
	if json.Unmarshal([]byte(a), &va) != nil || json.Unmarshal([]byte(b), &vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

const clientSourceProps = `# Kafka's example
name=local-file-source
connector.class=FileStreamSource
tasks.max=1
file=test.txt
topic=connect-test
`

const clientSinkRequest = `{
  "name": "local-file-sink",
  "config": {
    "connector.class": "FileStreamSink",
    "tasks.max": 1,
    "file": "test.sink.txt",
    "topics": "connect-test"
  }
}`

const clientSourceBody = `{"name":"local-file-source","connector.class":"FileStreamSource","tasks.max":"1","file":"test.txt","topic":"connect-test"}`

func TestClientLoad(t *testing.T) {
	files := map[string]string{
		"source.properties": clientSourceProps,
		// Java semantics: ISO-8859-1 bytes, \u escapes, escaped separators,
		// continuation lines.
		"java.properties": "connector.class=FileStreamSource\nfile=C\\:\\\\data\\\\caf\xe9-\\u00e8.txt\ntopic=a,\\\n    b\ntasks.max 1\n",
		"sink.json":       clientSinkRequest,
		"bare.json":       `{"connector.class": "FileStreamSink", "tasks.max": 2, "topics": "t"}`,
		"request.json":    `{"config": {"connector.class": "FileStreamSink", "tasks.max": "1", "topics": "t"}}`,
		"empty.json":      " {\n}\n",
		"running.json":    `{"name": "r", "config": {"connector.class": "FileStreamSource", "tasks.max": "1"}, "initial_state": "Running"}`,
		"paused.json":     `{"name": "p", "config": {"connector.class": "FileStreamSource", "tasks.max": "1"}, "initial_state": "paused"}`,
		"invalid.json":    `{"name": "x", "config": {"connector.class": "FileStreamSource", "tasks.max": "0"}}`,
		"broken.json":     "{\n  \"name\": \"x\",\n}",
	}
	tests := []struct {
		name     string
		setup    func(w *fakeWorker)
		argv     []string
		stdin    string
		wantReqs []recordedRequest
		wantOut  string
		wantErr  string
		wantCode int
	}{
		{
			name:     "create from properties",
			argv:     []string{"load", "local-file-source", "-d", "@source.properties"},
			wantReqs: []recordedRequest{{Method: "PUT", Path: "/connectors/local-file-source/config", Body: clientSourceBody}},
			wantOut:  "Created connector local-file-source (source, 1 task)\n",
		},
		{
			name:     "update",
			setup:    func(w *fakeWorker) { w.add("local-file-source", "FileStreamSource", "RUNNING", "RUNNING") },
			argv:     []string{"load", "local-file-source", "--file", "@source.properties"},
			wantReqs: []recordedRequest{{Method: "PUT", Path: "/connectors/local-file-source/config", Body: clientSourceBody}},
			wantOut:  "Updated connector local-file-source (source, 1 task)\n",
		},
		{
			name: "Java properties semantics, name from the command line",
			argv: []string{"load", "java", "-d", "@java.properties"},
			wantReqs: []recordedRequest{{Method: "PUT", Path: "/connectors/java/config",
				Body: `{"name":"java","connector.class":"FileStreamSource","file":"C:\\data\\café-è.txt","topic":"a,b","tasks.max":"1"}`}},
			wantOut: "Created connector java (source, 1 task)\n",
		},
		{
			name: "name from a JSON request, numbers as text",
			argv: []string{"load", "-d", "@sink.json"},
			wantReqs: []recordedRequest{{Method: "PUT", Path: "/connectors/local-file-sink/config",
				Body: `{"name":"local-file-sink","connector.class":"FileStreamSink","tasks.max":"1","file":"test.sink.txt","topics":"connect-test"}`}},
			wantOut: "Created connector local-file-sink (sink, 1 task)\n",
		},
		{
			name: "bare JSON map without a name",
			argv: []string{"load", "bare", "-d", "@bare.json"},
			wantReqs: []recordedRequest{{Method: "PUT", Path: "/connectors/bare/config",
				Body: `{"name":"bare","connector.class":"FileStreamSink","tasks.max":"2","topics":"t"}`}},
			wantOut: "Created connector bare (sink, 2 tasks)\n",
		},
		{
			name: "JSON request without a name",
			argv: []string{"load", "req", "-d", "@request.json"},
			wantReqs: []recordedRequest{{Method: "PUT", Path: "/connectors/req/config",
				Body: `{"name":"req","connector.class":"FileStreamSink","tasks.max":"1","topics":"t"}`}},
			wantOut: "Created connector req (sink, 1 task)\n",
		},
		{
			name:     "standard input",
			argv:     []string{"load", "local-file-source", "-d", "-"},
			stdin:    clientSourceProps,
			wantReqs: []recordedRequest{{Method: "PUT", Path: "/connectors/local-file-source/config", Body: clientSourceBody}},
			wantOut:  "Created connector local-file-source (source, 1 task)\n",
		},
		{
			name: "a name needing escapes",
			argv: []string{"load", "my conn/é?#%", "-d", "@bare.json"},
			wantReqs: []recordedRequest{{Method: "PUT", Path: "/connectors/my%20conn%2F%C3%A9%3F%23%25/config",
				Body: `{"name":"my conn/é?#%","connector.class":"FileStreamSink","tasks.max":"2","topics":"t"}`}},
			wantOut: "Created connector my conn/é?#% (sink, 2 tasks)\n",
		},
		{
			name: "initial state on creation",
			argv: []string{"load", "-d", "@paused.json"},
			wantReqs: []recordedRequest{{Method: "POST", Path: "/connectors",
				Body: `{"name":"p","config":{"name":"p","connector.class":"FileStreamSource","tasks.max":"1"},"initial_state":"PAUSED"}`}},
			wantOut: "Created connector p (source, 0 tasks)\n",
		},
		{
			name:     "initial state RUNNING is what PUT creates",
			argv:     []string{"load", "-d", "@running.json"},
			wantReqs: []recordedRequest{{Method: "PUT", Path: "/connectors/r/config", Body: `{"name":"r","connector.class":"FileStreamSource","tasks.max":"1"}`}},
			wantOut:  "Created connector r (source, 1 task)\n",
		},
		{
			name:  "initial state of an existing connector",
			setup: func(w *fakeWorker) { w.add("p", "FileStreamSource", "RUNNING") },
			argv:  []string{"load", "p", "-d", "@paused.json"},
			wantReqs: []recordedRequest{
				{Method: "POST", Path: "/connectors",
					Body: `{"name":"p","config":{"name":"p","connector.class":"FileStreamSource","tasks.max":"1"},"initial_state":"PAUSED"}`},
				{Method: "PUT", Path: "/connectors/p/config", Body: `{"name":"p","connector.class":"FileStreamSource","tasks.max":"1"}`},
			},
			wantOut: "Updated connector p (source, 1 task)\n",
			wantErr: "connect-standalone: connector p exists: its configuration is replaced and its state kept, whatever the file's initial_state PAUSED\n",
		},
		{
			name:     "JSON output",
			argv:     []string{"load", "-d", "@sink.json", "-o", "json"},
			wantReqs: []recordedRequest{{Method: "PUT", Path: "/connectors/local-file-sink/config", Body: `{"name":"local-file-sink","connector.class":"FileStreamSink","tasks.max":"1","file":"test.sink.txt","topics":"connect-test"}`}},
			wantOut: `{
  "config": {
    "connector.class": "FileStreamSink",
    "file": "test.sink.txt",
    "name": "local-file-sink",
    "tasks.max": "1",
    "topics": "connect-test"
  },
  "name": "local-file-sink",
  "tasks": [
    {
      "connector": "local-file-sink",
      "task": 0
    }
  ],
  "type": "sink"
}
`,
		},
		{
			name:     "the worker's validation errors, line by line",
			argv:     []string{"load", "-d", "@invalid.json"},
			wantReqs: []recordedRequest{{Method: "PUT", Path: "/connectors/x/config", Body: `{"name":"x","connector.class":"FileStreamSource","tasks.max":"0"}`}},
			wantErr: "connect-standalone: 400 Connector configuration is invalid and contains the following 1 error(s):\n" +
				"connect-standalone: Invalid value 0 for configuration tasks.max: Value must be at least 1\n" +
				"connect-standalone: You can also find the above list of errors at the endpoint `/connector-plugins/{fakeConnectorType}/config/validate`\n",
			wantCode: 1,
		},
		{
			name:     "an empty JSON object gets its name only",
			argv:     []string{"load", "e", "-d", "@empty.json"},
			wantReqs: []recordedRequest{{Method: "PUT", Path: "/connectors/e/config", Body: `{"name":"e"}`}},
			wantErr:  "connect-standalone: 400 Connector config {name=e} contains no connector type\n",
			wantCode: 1,
		},
		{
			name:     "a name that differs from the file's",
			argv:     []string{"load", "other", "-d", "@source.properties"},
			wantErr:  `names the connector "local-file-source", not "other"`,
			wantCode: 3,
		},
		{
			name:     "no name anywhere",
			argv:     []string{"load", "-d", "@bare.json"},
			wantErr:  "is missing the mandatory 'name' configuration\nconnect-standalone: Give the name on the command line: load NAME -d FILE",
			wantCode: 3,
		},
		{
			name:     "malformed JSON",
			argv:     []string{"load", "-d", "@broken.json"},
			wantErr:  "broken.json: line 3, column 1",
			wantCode: 3,
		},
		{
			name:     "missing file",
			argv:     []string{"load", "x", "-d", "@nope.properties"},
			wantErr:  "nope.properties: no such file or directory",
			wantCode: 3,
		},
		{
			name:     "no file flag",
			argv:     []string{"load", "x"},
			wantErr:  "connect-standalone: missing -d FILE, the connector file\nconnect-standalone: Run 'connect-standalone load --help' for usage.\n",
			wantCode: 1,
		},
		{
			name:     "two names",
			argv:     []string{"load", "x", "y", "-d", "@bare.json"},
			wantErr:  "want one connector name, got 2 arguments",
			wantCode: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, srv := newFakeWorker(t)
			if tt.setup != nil {
				tt.setup(w)
			}
			argv := append(clientFiles(t, files)(tt.argv), "--url", srv.URL)
			stdout, stderr, code := runClient(t, tt.stdin, argv...)
			checkRequests(t, w.requests(), tt.wantReqs)
			checkClientRun(t, stdout, stderr, code, tt.wantOut, tt.wantErr, tt.wantCode)
		})
	}
}

// checkClientRun checks the output and exit code. wantErr is the whole of
// standard error when it ends in a newline, else a part of it.
func checkClientRun(t *testing.T, stdout, stderr string, code int, wantOut, wantErr string, wantCode int) {
	t.Helper()
	if code != wantCode {
		t.Errorf("exit code = %d, want %d; stderr:\n%s", code, wantCode, stderr)
	}
	if stdout != wantOut {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, wantOut)
	}
	if strings.HasSuffix(wantErr, "\n") || wantErr == "" {
		if stderr != wantErr {
			t.Errorf("stderr:\n%s\nwant:\n%s", stderr, wantErr)
		}
	} else if !strings.Contains(stderr, wantErr) {
		t.Errorf("stderr:\n%s\nwant it to contain %q", stderr, wantErr)
	}
}

// clientWorld is the worker most tests run against.
func clientWorld(w *fakeWorker) {
	w.add("local-file-source", "FileStreamSource", "RUNNING", "RUNNING")
	w.add("local-file-sink", "FileStreamSink", "RUNNING", "FAILED")
	p := w.add("my conn/é", "FileStreamSource", "PAUSED")
	p.state = "PAUSED"
	p.config["file"] = "C:\\data\\café.txt"
	p.config["key with spaces"] = " leading=blank#"
}

func TestClientCommands(t *testing.T) {
	const sinkTask1Trace = "org.apache.kafka.connect.errors.ConnectException: task 1 failed\n" +
		"\tat org.apache.kafka.connect.runtime.WorkerTask.run(WorkerTask.java:1)\n"
	tests := []struct {
		name     string
		setup    func(w *fakeWorker)
		argv     []string
		wantReqs []recordedRequest
		wantOut  string
		wantErr  string
		wantCode int
	}{
		{
			name:     "list",
			argv:     []string{"list"},
			wantReqs: []recordedRequest{{Method: "GET", Path: "/connectors", Query: "expand=status&expand=info"}},
			wantOut: "" +
				"NAME               TYPE    STATE    TASKS\n" +
				"local-file-sink    sink    RUNNING  1/2 RUNNING, 1 FAILED\n" +
				"local-file-source  source  RUNNING  2/2 RUNNING\n" +
				"my conn/é          source  PAUSED   0/1 RUNNING, 1 PAUSED\n",
		},
		{
			name:     "list, none",
			setup:    func(*fakeWorker) {},
			argv:     []string{"list"},
			wantReqs: []recordedRequest{{Method: "GET", Path: "/connectors", Query: "expand=status&expand=info"}},
			wantErr:  "no connectors\n",
		},
		{
			name:     "list as JSON",
			setup:    func(w *fakeWorker) { w.add("s", "FileStreamSource") },
			argv:     []string{"list", "-o", "json"},
			wantReqs: []recordedRequest{{Method: "GET", Path: "/connectors", Query: "expand=status&expand=info"}},
			wantOut: `{
  "s": {
    "info": {
      "config": {
        "connector.class": "FileStreamSource",
        "name": "s",
        "tasks.max": "0"
      },
      "name": "s",
      "tasks": [],
      "type": "source"
    },
    "status": {
      "connector": {
        "state": "RUNNING",
        "worker_id": "127.0.0.1:8083"
      },
      "name": "s",
      "tasks": [],
      "type": "source"
    }
  }
}
`,
		},
		{
			name:     "status of all",
			argv:     []string{"status"},
			wantReqs: []recordedRequest{{Method: "GET", Path: "/connectors", Query: "expand=status"}},
			wantOut: "" +
				"NAME               TYPE    STATE    TASKS                  WORKER ID       TRACE\n" +
				"local-file-sink    sink    RUNNING  1/2 RUNNING, 1 FAILED  127.0.0.1:8083\n" +
				"  task 0                   RUNNING                         127.0.0.1:8083\n" +
				"  task 1                   FAILED                          127.0.0.1:8083  org.apache.kafka.connect.errors.ConnectException: task 1 failed\n" +
				"local-file-source  source  RUNNING  2/2 RUNNING            127.0.0.1:8083\n" +
				"  task 0                   RUNNING                         127.0.0.1:8083\n" +
				"  task 1                   RUNNING                         127.0.0.1:8083\n" +
				"my conn/é          source  PAUSED   0/1 RUNNING, 1 PAUSED  127.0.0.1:8083\n" +
				"  task 0                   PAUSED                          127.0.0.1:8083\n",
		},
		{
			name: "status of all, verbose, no failure",
			setup: func(w *fakeWorker) {
				w.add("b", "FileStreamSink")
				w.add("a", "FileStreamSource", "RUNNING")
			},
			argv:     []string{"status", "--verbose"},
			wantReqs: []recordedRequest{{Method: "GET", Path: "/connectors", Query: "expand=status"}},
			wantOut: "" +
				"NAME      TYPE    STATE    TASKS        WORKER ID\n" +
				"a         source  RUNNING  1/1 RUNNING  127.0.0.1:8083\n" +
				"  task 0          RUNNING               127.0.0.1:8083\n" +
				"b         sink    RUNNING  0/0 RUNNING  127.0.0.1:8083\n",
		},
		{
			name: "status of all, verbose",
			setup: func(w *fakeWorker) {
				c := w.add("local-file-sink", "FileStreamSink", "RUNNING", "FAILED")
				c.state, c.trace = "FAILED", "java.lang.IllegalStateException: connector down\n\tat X.y(X.java:2)"
			},
			argv:     []string{"status", "--verbose"},
			wantReqs: []recordedRequest{{Method: "GET", Path: "/connectors", Query: "expand=status"}},
			wantOut: "" +
				"NAME             TYPE  STATE    TASKS                  WORKER ID       TRACE\n" +
				"local-file-sink  sink  FAILED   1/2 RUNNING, 1 FAILED  127.0.0.1:8083  java.lang.IllegalStateException: connector down\n" +
				"  task 0               RUNNING                         127.0.0.1:8083\n" +
				"  task 1               FAILED                          127.0.0.1:8083  org.apache.kafka.connect.errors.ConnectException: task 1 failed\n" +
				"\nConnector local-file-sink trace:\njava.lang.IllegalStateException: connector down\n\tat X.y(X.java:2)\n" +
				"\nTask local-file-sink-1 trace:\n" + sinkTask1Trace,
		},
		{
			name:     "status of one",
			argv:     []string{"status", "local-file-sink"},
			wantReqs: []recordedRequest{{Method: "GET", Path: "/connectors/local-file-sink/status"}},
			wantOut: "" +
				"Connector:  local-file-sink\n" +
				"Type:       sink\n" +
				"State:      RUNNING\n" +
				"Worker ID:  127.0.0.1:8083\n" +
				"Tasks:      1/2 RUNNING, 1 FAILED\n" +
				"\n" +
				"TASK  STATE    WORKER ID       TRACE\n" +
				"0     RUNNING  127.0.0.1:8083\n" +
				"1     FAILED   127.0.0.1:8083  org.apache.kafka.connect.errors.ConnectException: task 1 failed\n",
		},
		{
			name:     "status of one, verbose",
			argv:     []string{"status", "--verbose", "local-file-sink"},
			wantReqs: []recordedRequest{{Method: "GET", Path: "/connectors/local-file-sink/status"}},
			wantOut: "" +
				"Connector:  local-file-sink\n" +
				"Type:       sink\n" +
				"State:      RUNNING\n" +
				"Worker ID:  127.0.0.1:8083\n" +
				"Tasks:      1/2 RUNNING, 1 FAILED\n" +
				"\n" +
				"TASK  STATE    WORKER ID       TRACE\n" +
				"0     RUNNING  127.0.0.1:8083\n" +
				"1     FAILED   127.0.0.1:8083  org.apache.kafka.connect.errors.ConnectException: task 1 failed\n" +
				"\nTask local-file-sink-1 trace:\n" + sinkTask1Trace,
		},
		{
			name:     "status of one, escaped, as JSON with the whole trace",
			setup:    func(w *fakeWorker) { w.add("my conn/é", "FileStreamSink", "FAILED") },
			argv:     []string{"status", "my conn/é", "--output", "JSON"},
			wantReqs: []recordedRequest{{Method: "GET", Path: "/connectors/my%20conn%2F%C3%A9/status"}},
			wantOut: `{
  "connector": {
    "state": "RUNNING",
    "worker_id": "127.0.0.1:8083"
  },
  "name": "my conn/é",
  "tasks": [
    {
      "id": 0,
      "state": "FAILED",
      "trace": "org.apache.kafka.connect.errors.ConnectException: task 0 failed\n\tat org.apache.kafka.connect.runtime.WorkerTask.run(WorkerTask.java:1)\n",
      "worker_id": "127.0.0.1:8083"
    }
  ],
  "type": "sink"
}
`,
		},
		{
			name:     "status of one, stopped",
			setup:    func(w *fakeWorker) { w.add("s", "FileStreamSource").state = "STOPPED" },
			argv:     []string{"status", "s"},
			wantReqs: []recordedRequest{{Method: "GET", Path: "/connectors/s/status"}},
			wantOut:  "Connector:  s\nType:       source\nState:      STOPPED\nWorker ID:  127.0.0.1:8083\nTasks:      0/0 RUNNING\n",
		},
		{
			name:     "status of an unknown connector",
			argv:     []string{"status", "nope"},
			wantReqs: []recordedRequest{{Method: "GET", Path: "/connectors/nope/status"}},
			wantErr:  "connect-standalone: 404 No status found for connector nope\n",
			wantCode: 1,
		},
		{
			name:     "config as properties",
			argv:     []string{"config", "my conn/é"},
			wantReqs: []recordedRequest{{Method: "GET", Path: "/connectors/my%20conn%2F%C3%A9/config"}},
			wantOut: "" +
				"connector.class=FileStreamSource\n" +
				"file=C\\:\\\\data\\\\caf\\u00E9.txt\n" +
				"key\\ with\\ spaces=\\ leading\\=blank\\#\n" +
				"name=my conn/\\u00E9\n" +
				"tasks.max=1\n",
		},
		{
			name:     "config as JSON",
			setup:    func(w *fakeWorker) { w.add("s", "FileStreamSource") },
			argv:     []string{"config", "s", "-o", "json"},
			wantReqs: []recordedRequest{{Method: "GET", Path: "/connectors/s/config"}},
			wantOut:  "{\n  \"connector.class\": \"FileStreamSource\",\n  \"name\": \"s\",\n  \"tasks.max\": \"0\"\n}\n",
		},
		{
			name:     "config of an unknown connector",
			argv:     []string{"config", "nope"},
			wantReqs: []recordedRequest{{Method: "GET", Path: "/connectors/nope/config"}},
			wantErr:  "connect-standalone: 404 Connector nope not found\n",
			wantCode: 1,
		},
		{
			name:     "unload",
			argv:     []string{"unload", "local-file-source"},
			wantReqs: []recordedRequest{{Method: "DELETE", Path: "/connectors/local-file-source"}},
			wantOut:  "Deleted connector local-file-source\n",
		},
		{
			name:     "unload as JSON prints nothing",
			argv:     []string{"unload", "my conn/é", "-o", "json"},
			wantReqs: []recordedRequest{{Method: "DELETE", Path: "/connectors/my%20conn%2F%C3%A9"}},
		},
		{
			name:     "unload an unknown connector",
			argv:     []string{"unload", "nope"},
			wantReqs: []recordedRequest{{Method: "DELETE", Path: "/connectors/nope"}},
			wantErr:  "connect-standalone: 404 Connector nope not found\n",
			wantCode: 1,
		},
		{
			name:     "pause",
			argv:     []string{"pause", "local-file-source"},
			wantReqs: []recordedRequest{{Method: "PUT", Path: "/connectors/local-file-source/pause"}},
			wantOut:  "Pausing connector local-file-source\n",
		},
		{
			name:     "pause an unknown connector",
			argv:     []string{"pause", "nope"},
			wantReqs: []recordedRequest{{Method: "PUT", Path: "/connectors/nope/pause"}},
			wantErr:  "connect-standalone: 404 Unknown connector nope\n",
			wantCode: 1,
		},
		{
			name:     "resume",
			argv:     []string{"resume", "my conn/é"},
			wantReqs: []recordedRequest{{Method: "PUT", Path: "/connectors/my%20conn%2F%C3%A9/resume"}},
			wantOut:  "Resuming connector my conn/é\n",
		},
		{
			name:     "stop",
			argv:     []string{"stop", "local-file-source"},
			wantReqs: []recordedRequest{{Method: "PUT", Path: "/connectors/local-file-source/stop"}},
			wantOut:  "Stopped connector local-file-source\n",
		},
		{
			name:     "stop an unknown connector",
			argv:     []string{"stop", "nope"},
			wantReqs: []recordedRequest{{Method: "PUT", Path: "/connectors/nope/stop"}},
			wantErr:  "connect-standalone: 500 No connector `nope` configured\n",
			wantCode: 1,
		},
		{
			name:     "restart the connector only",
			argv:     []string{"restart", "local-file-sink"},
			wantReqs: []recordedRequest{{Method: "POST", Path: "/connectors/local-file-sink/restart", Query: "includeTasks=false&onlyFailed=false"}},
			wantOut:  "Restarted connector local-file-sink\n",
		},
		{
			name:     "restart failed tasks",
			argv:     []string{"restart", "local-file-sink", "--include-tasks", "--only-failed"},
			wantReqs: []recordedRequest{{Method: "POST", Path: "/connectors/local-file-sink/restart", Query: "includeTasks=true&onlyFailed=true"}},
			wantOut: "" +
				"Connector:  local-file-sink\n" +
				"Type:       sink\n" +
				"State:      RUNNING\n" +
				"Worker ID:  127.0.0.1:8083\n" +
				"Tasks:      1/2 RUNNING, 1 RESTARTING\n" +
				"\n" +
				"TASK  STATE       WORKER ID\n" +
				"0     RUNNING     127.0.0.1:8083\n" +
				"1     RESTARTING  127.0.0.1:8083\n",
		},
		{
			name:     "restart everything as JSON",
			setup:    func(w *fakeWorker) { w.add("s", "FileStreamSource", "RUNNING") },
			argv:     []string{"restart", "s", "--include-tasks", "-o", "json"},
			wantReqs: []recordedRequest{{Method: "POST", Path: "/connectors/s/restart", Query: "includeTasks=true&onlyFailed=false"}},
			wantOut: `{
  "connector": {
    "state": "RESTARTING",
    "worker_id": "127.0.0.1:8083"
  },
  "name": "s",
  "tasks": [
    {
      "id": 0,
      "state": "RESTARTING",
      "worker_id": "127.0.0.1:8083"
    }
  ],
  "type": "source"
}
`,
		},
		{
			name:     "restart an unknown connector",
			argv:     []string{"restart", "nope", "--only-failed"},
			wantReqs: []recordedRequest{{Method: "POST", Path: "/connectors/nope/restart", Query: "includeTasks=false&onlyFailed=true"}},
			wantErr:  "connect-standalone: 404 Unknown connector: nope\n",
			wantCode: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, srv := newFakeWorker(t)
			setup := tt.setup
			if setup == nil {
				setup = clientWorld
			}
			setup(w)
			stdout, stderr, code := runClient(t, "", append(tt.argv, "--url", srv.URL)...)
			checkRequests(t, w.requests(), tt.wantReqs)
			checkClientRun(t, stdout, stderr, code, tt.wantOut, tt.wantErr, tt.wantCode)
		})
	}
}

func TestClientTransportErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()

	hang := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	t.Cleanup(hang.Close)
	proxy := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Content-Type", "text/html")
		rw.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(rw, "<html><body>upstream down</body></html>\n")
	}))
	t.Cleanup(proxy.Close)

	tests := []struct {
		name    string
		argv    []string
		wantErr string
	}{
		{
			name: "connection refused",
			argv: []string{"list", "--url", refused},
			wantErr: "connect-standalone: cannot connect to the worker at " + refused + ": connection refused\n" +
				"connect-standalone: Is the worker running? Its REST API listens on the addresses of its listeners setting\n" +
				"connect-standalone: (default http://localhost:8083); name another worker with --url or $CONNECT_URL.\n",
		},
		{
			name:    "timeout",
			argv:    []string{"status", "x", "--url", hang.URL, "--timeout", "50ms"},
			wantErr: "connect-standalone: the worker at " + hang.URL + " did not answer within 50ms (--timeout)\n",
		},
		{
			name:    "an error page that is not Kafka's",
			argv:    []string{"pause", "x", "--url", proxy.URL},
			wantErr: "connect-standalone: 502 Bad Gateway: <html><body>upstream down</body></html>\n",
		},
		{
			name:    "unknown host",
			argv:    []string{"list", "--url", "http://no-such-host.invalid:8083"},
			wantErr: "connect-standalone: cannot reach the worker at http://no-such-host.invalid:8083: lookup no-such-host.invalid",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runClient(t, "", tt.argv...)
			checkClientRun(t, stdout, stderr, code, "", tt.wantErr, 1)
		})
	}
}

// TestClientURL checks where requests go: --url with a path prefix, the
// environment, and the flag over the environment.
func TestClientURL(t *testing.T) {
	w, srv := newFakeWorker(t)
	clientWorld(w)

	// A prefix the worker does not serve gets Jersey's 404 for an unknown
	// path, which shows where the request went.
	stdout, stderr, code := runClient(t, "", "stop", "a/b", "--url", srv.URL+"/connect/")
	checkClientRun(t, stdout, stderr, code, "", "connect-standalone: 404 HTTP 404 Not Found\n", 1)
	checkRequests(t, w.requests(), []recordedRequest{{Method: "PUT", Path: "/connect/connectors/a%2Fb/stop"}})

	t.Setenv(envConnectURL, srv.URL)
	stdout, stderr, code = runClient(t, "", "pause", "local-file-source")
	checkClientRun(t, stdout, stderr, code, "Pausing connector local-file-source\n", "", 0)

	t.Setenv(envConnectURL, "http://127.0.0.1:1")
	stdout, stderr, code = runClient(t, "", "resume", "local-file-source", "--url", srv.URL)
	checkClientRun(t, stdout, stderr, code, "Resuming connector local-file-source\n", "", 0)

	t.Setenv(envConnectURL, "localhost:8083")
	stdout, stderr, code = runClient(t, "", "list")
	checkClientRun(t, stdout, stderr, code, "",
		"connect-standalone: --url \"localhost:8083\": want http://HOST:PORT or https://HOST:PORT, such as http://localhost:8083\n"+
			"connect-standalone: Run 'connect-standalone list --help' for usage.\n", 1)
}

func TestClientUsageErrors(t *testing.T) {
	tests := []struct {
		argv    []string
		wantErr string
	}{
		{[]string{"status", "--output", "yaml"}, `invalid argument "yaml" for "-o, --output" flag: want text or json`},
		{[]string{"list", "--url", "ftp://host"}, `--url "ftp://host": want http://HOST:PORT`},
		{[]string{"list", "--timeout", "-1s"}, "--timeout -1s: want a positive duration"},
		{[]string{"list", "--timeout", "soon"}, `invalid argument "soon" for "--timeout" flag`},
		{[]string{"list", "x"}, `takes no arguments, got "x"`},
		{[]string{"status", "a", "b"}, "want one connector name, got 2 arguments"},
		{[]string{"config"}, "missing the connector name"},
		{[]string{"unload", ""}, "the connector name is empty"},
		{[]string{"restart", "x", "--all"}, "unknown flag: --all"},
		{[]string{"pause", "x", "--verbose"}, "unknown flag: --verbose"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.argv, " "), func(t *testing.T) {
			w, srv := newFakeWorker(t)
			// A --url in the case comes later and wins.
			argv := slices.Concat(tt.argv[:1], []string{"--url", srv.URL}, tt.argv[1:])
			stdout, stderr, code := runClient(t, "", argv...)
			checkClientRun(t, stdout, stderr, code, "", tt.wantErr, 1)
			hint := fmt.Sprintf("connect-standalone: Run 'connect-standalone %s --help' for usage.\n", tt.argv[0])
			if !strings.HasSuffix(stderr, hint) {
				t.Errorf("stderr = %q, want it to end with %q", stderr, hint)
			}
			checkRequests(t, w.requests(), nil)
		})
	}
}

func TestClientHelp(t *testing.T) {
	var names []string
	for _, c := range newClientCommands(&IOStreams{}) {
		names = append(names, c.Name())
	}
	want := []string{"load", "unload", "list", "status", "config", "pause", "resume", "stop", "restart"}
	if !slices.Equal(names, want) {
		t.Fatalf("commands = %q, want %q", names, want)
	}
	for _, name := range want {
		stdout, stderr, code := runClient(t, "", name, "--help")
		if code != 0 || stderr != "" {
			t.Fatalf("%s --help: exit code %d, stderr %q", name, code, stderr)
		}
		for _, s := range []string{"Usage:\n  connect-standalone " + name, "--url string", "$CONNECT_URL", "-o, --output format", "--timeout duration", "Exit codes:"} {
			if !strings.Contains(stdout, s) {
				t.Errorf("%s --help does not mention %q:\n%s", name, s, stdout)
			}
		}
		// Only load reads a file, so only load exits 3.
		if got := strings.Contains(stdout, "\n  3  the connector file is invalid"); got != (name == "load") {
			t.Errorf("%s --help mentions exit code 3: %v, want %v", name, got, name == "load")
		}
	}
}

// TestClientConfigRoundTrip checks that what config prints, load reads
// back as the same configuration.
func TestClientConfigRoundTrip(t *testing.T) {
	w, srv := newFakeWorker(t)
	clientWorld(w)
	want := maps.Clone(w.conns["my conn/é"].config)
	props, stderr, code := runClient(t, "", "config", "my conn/é", "--url", srv.URL)
	if code != 0 {
		t.Fatalf("config: exit code %d; stderr:\n%s", code, stderr)
	}
	w.mu.Lock()
	delete(w.conns, "my conn/é")
	w.mu.Unlock()
	stdout, stderr, code := runClient(t, props, "load", "my conn/é", "-d", "-", "--url", srv.URL)
	checkClientRun(t, stdout, stderr, code, "Created connector my conn/é (source, 1 task)\n", "", 0)
	w.mu.Lock()
	defer w.mu.Unlock()
	if got := w.conns["my conn/é"].config; !maps.Equal(got, want) {
		t.Errorf("config after the round trip = %q, want %q", got, want)
	}
}
