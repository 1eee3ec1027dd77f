// Package rest serves Kafka Connect's REST API for a running worker: the
// same paths, JSON bodies, status codes and {"error_code","message"} errors
// as Kafka's, so existing scripts and curl calls work unchanged. Where Kafka
// answers 500 for a client's mistake (malformed JSON, an unknown field),
// this API answers 400.
package rest

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/offsets"
	"github.com/connect-standalone/connect-standalone/runner"
)

// MaxBody bounds a request body; larger ones are answered 413.
const MaxBody = 1 << 20

// Options configures a Server.
type Options struct {
	Worker   *runner.Worker
	Registry *connectors.Registry
	Version  string // the product's version, shown by GET /
	Logger   *slog.Logger
	// Level is the level of the root logger, which /admin/loggers reads
	// and sets. Nil disables changing it.
	Level *slog.LevelVar
	// WorkerProps is the worker file's content, read for the API's own
	// settings: the TLS keys of https listeners (listeners.https.ssl.*,
	// else ssl.*), rest.basic.auth.credentials.file and
	// rest.allowed.file.dirs. Nil leaves the API open, as it is without
	// those keys.
	WorkerProps map[string]string
}

// Server is the REST API of one worker.
type Server struct {
	opts     Options
	log      *slog.Logger
	mux      *http.ServeMux
	workerID string               // the first listener's address
	loggers  map[string]time.Time // explicitly set loggers and when

	// setupErr is a problem in the worker's REST settings. Listen returns
	// it and every request is refused, so a misconfigured API never serves
	// unprotected.
	setupErr error
	users    credentials // nil: no authentication
	fileDirs []string    // rest.allowed.file.dirs, resolved
	// exposed is set once a listener is, or is configured to be, beyond
	// the loopback interface; an empty rest.allowed.file.dirs then allows
	// no file.
	exposed atomic.Bool
}

// New builds the API's handler and reads its settings from
// Options.WorkerProps: the credentials file and the allowed directories.
// Their problems are returned by Listen. Listen serves the handler.
func New(opts Options) *Server {
	s := &Server{opts: opts, log: opts.Logger, mux: http.NewServeMux(), loggers: make(map[string]time.Time)}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	var authErr, dirsErr error
	s.users, authErr = loadCredentials(javaTrim(opts.WorkerProps[config.KeyRestBasicAuthCredentialsFile]))
	s.fileDirs, dirsErr = allowedDirs(config.SplitList(opts.WorkerProps[config.KeyRestAllowedFileDirs]))
	if err := errors.Join(authErr, dirsErr); err != nil {
		s.setupErr = fmt.Errorf("REST API: %w", err)
	}
	for _, l := range opts.Worker.Listeners() {
		if !loopbackListener(l) {
			s.exposed.Store(true)
		}
	}
	s.routes()
	return s
}

// Handler is the API as an http.Handler, for tests and embedding.
func (s *Server) Handler() http.Handler { return s }

// ServeHTTP answers one request; a panic in a handler becomes a 500 rather
// than taking the worker down.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("REST request failed", "method", r.Method, "path", r.URL.Path, "panic", v)
			writeError(w, http.StatusInternalServerError, fmt.Sprintf("internal error: %v", v))
		}
	}()
	w.Header().Set("Content-Type", "application/json")
	if s.setupErr != nil {
		writeError(w, http.StatusInternalServerError, "the REST API is misconfigured; see the worker's log")
		return
	}
	if !s.authenticated(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Listen serves the API on a listener URL, http://HOST:PORT or
// https://HOST:PORT, until ctx is done, then shuts down within a few
// seconds. An https listener takes its certificate and client
// authentication from the TLS keys of Options.WorkerProps. It returns once
// listening, with the address bound, or the error that prevented it: a
// problem in the worker's REST settings included. Calls must not overlap.
func (s *Server) Listen(ctx context.Context, listener string) (addr string, done <-chan error, err error) {
	scheme, hostPort, err := listenAddr(listener)
	if err != nil {
		return "", nil, err
	}
	if s.setupErr != nil {
		return "", nil, s.setupErr
	}
	var tlsCfg *tls.Config
	if scheme == "https" {
		if tlsCfg, err = serverTLS(s.opts.WorkerProps); err != nil {
			return "", nil, fmt.Errorf("REST API: listener %s: %w", listener, err)
		}
	}
	if !loopbackListener(listener) {
		// Before the first request: a file check must never see a
		// loopback-only API that is about to be exposed.
		s.exposed.Store(true)
	}
	ln, err := net.Listen("tcp", hostPort)
	if err != nil {
		return "", nil, fmt.Errorf("REST API: listen on %s: %w (set listeners in the worker file)", listener, err)
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		s.exposed.Store(true) // "localhost" resolved beyond loopback
	}
	if s.workerID == "" {
		s.workerID = ln.Addr().String()
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		TLSConfig:         tlsCfg,
		// TLS handshake failures (port scanners, clients without a
		// certificate) are connection noise, not worker errors.
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	ch := make(chan error, 1)
	go func() {
		var err error
		if tlsCfg != nil {
			err = srv.ServeTLS(ln, "", "")
		} else {
			err = srv.Serve(ln)
		}
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		ch <- err
	}()
	context.AfterFunc(ctx, func() {
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	})
	addr = ln.Addr().String()
	s.log.Info("REST API listening", "url", scheme+"://"+addr, "authentication", s.users != nil)
	return addr, ch, nil
}

// listenAddr splits a listener URL into its lower-case scheme, http or
// https, and host:port.
func listenAddr(listener string) (scheme, hostPort string, err error) {
	scheme, rest, ok := strings.Cut(strings.TrimSpace(listener), "://")
	scheme = strings.ToLower(scheme)
	if !ok || (scheme != "http" && scheme != "https") {
		return "", "", fmt.Errorf("REST API: listener %q: only http://HOST:PORT and https://HOST:PORT listeners are served", listener)
	}
	rest = strings.TrimSuffix(rest, "/")
	if _, _, err := net.SplitHostPort(rest); err != nil {
		return "", "", fmt.Errorf("REST API: listener %q: %w", listener, err)
	}
	return scheme, rest, nil
}

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET /{$}", s.root)
	m.HandleFunc("GET /health", s.health)
	m.HandleFunc("GET /connectors", s.listConnectors)
	m.HandleFunc("POST /connectors", s.createConnector)
	m.HandleFunc("GET /connectors/{name}", s.getConnector)
	m.HandleFunc("DELETE /connectors/{name}", s.deleteConnector)
	m.HandleFunc("GET /connectors/{name}/config", s.getConfig)
	m.HandleFunc("PUT /connectors/{name}/config", s.putConfig)
	m.HandleFunc("PATCH /connectors/{name}/config", s.patchConfig)
	m.HandleFunc("GET /connectors/{name}/status", s.getStatus)
	m.HandleFunc("GET /connectors/{name}/tasks", s.getTasks)
	m.HandleFunc("GET /connectors/{name}/tasks-config", s.getTasksConfig)
	m.HandleFunc("GET /connectors/{name}/tasks/{task}/status", s.getTaskStatus)
	m.HandleFunc("POST /connectors/{name}/restart", s.restartConnector)
	m.HandleFunc("POST /connectors/{name}/tasks/{task}/restart", s.restartTask)
	m.HandleFunc("PUT /connectors/{name}/pause", s.targetState(s.opts.Worker.PauseConnector, http.StatusAccepted))
	m.HandleFunc("PUT /connectors/{name}/resume", s.targetState(s.opts.Worker.ResumeConnector, http.StatusAccepted))
	m.HandleFunc("PUT /connectors/{name}/stop", s.targetState(s.opts.Worker.StopConnector, http.StatusNoContent))
	m.HandleFunc("GET /connectors/{name}/topics", s.topics)
	m.HandleFunc("PUT /connectors/{name}/topics/reset", s.resetTopics)
	m.HandleFunc("GET /connectors/{name}/offsets", s.getOffsets)
	m.HandleFunc("PATCH /connectors/{name}/offsets", s.alterOffsets)
	m.HandleFunc("DELETE /connectors/{name}/offsets", s.resetOffsets)
	m.HandleFunc("GET /connector-plugins", s.listPlugins)
	m.HandleFunc("GET /connector-plugins/{plugin}/config", s.pluginConfig)
	m.HandleFunc("PUT /connector-plugins/{plugin}/config/validate", s.validate)
	m.HandleFunc("GET /admin/loggers", s.listLoggers)
	m.HandleFunc("GET /admin/loggers/{logger}", s.getLogger)
	m.HandleFunc("PUT /admin/loggers/{logger}", s.setLogger)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "HTTP 404 Not Found")
	})
}

// --- responses ---------------------------------------------------------------

type errorBody struct {
	ErrorCode int    `json:"error_code"`
	Message   string `json:"message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v) // the client went away; nothing to do
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{ErrorCode: status, Message: msg})
}

// fail answers an operation's error with the status Kafka gives it.
func (s *Server) fail(w http.ResponseWriter, err error) {
	var cfgErr *runner.ConfigError
	status := http.StatusInternalServerError
	switch {
	case errors.As(err, &cfgErr):
		status = http.StatusBadRequest
		msg := cfgErr.Error() + "\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`"
		writeError(w, status, msg)
		return
	case errors.Is(err, runner.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, runner.ErrExists), errors.Is(err, runner.ErrConflict):
		status = http.StatusConflict
	case errors.Is(err, runner.ErrBadRequest):
		status = http.StatusBadRequest
	case errors.Is(err, runner.ErrNotReady):
		status = http.StatusServiceUnavailable
	case errors.Is(err, runner.ErrForbidden):
		status = http.StatusForbidden
	}
	writeError(w, status, message(err))
}

// message is an operation error's text without the class prefix the runner
// adds for matching ("not found: Connector x not found").
func message(err error) string {
	msg := err.Error()
	for _, class := range []error{runner.ErrNotFound, runner.ErrExists, runner.ErrConflict, runner.ErrBadRequest, runner.ErrNotReady, runner.ErrForbidden} {
		if p := class.Error() + ": "; strings.HasPrefix(msg, p) {
			return msg[len(p):]
		}
	}
	return msg
}

// readJSON decodes a request body into v: a body over MaxBody is 413,
// malformed JSON 400, naming where it broke.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	body := http.MaxBytesReader(w, r.Body, MaxBody)
	data, err := io.ReadAll(body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes", MaxBody))
		return false
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "cannot read the request body: "+err.Error())
		return false
	}
	if len(bytes.TrimSpace(data)) == 0 {
		writeError(w, http.StatusBadRequest, "malformed JSON in the request body: the body is empty")
		return false
	}
	if err := json.Unmarshal(data, v); err != nil {
		writeError(w, http.StatusBadRequest, "malformed JSON in the request body: "+jsonProblem(data, err))
		return false
	}
	return true
}

func jsonProblem(data []byte, err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("%v at byte %d", syn, syn.Offset)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		if typ.Field != "" {
			return fmt.Sprintf("field %q: expected %s, got a JSON %s", typ.Field, typ.Type, typ.Value)
		}
		return fmt.Sprintf("expected %s, got a JSON %s", typ.Type, typ.Value)
	}
	return err.Error()
}

// --- root, health ------------------------------------------------------------

func (s *Server) root(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{
		"version":          s.opts.Version,
		"commit":           commit(),
		"kafka_cluster_id": s.opts.Worker.ClusterID(),
	})
}

// commit is the first 16 hex digits of the revision the binary was built
// from, as Kafka shows its own; "" when the build did not record one.
func commit() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" {
			return s.Value[:min(16, len(s.Value))]
		}
	}
	return ""
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	select {
	case <-s.opts.Worker.Ready():
		writeJSON(w, http.StatusOK, map[string]string{"status": "healthy", "message": "Worker has completed startup and is ready to handle requests."})
	default:
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "starting", "message": "Worker is still starting up."})
	}
}

// --- connectors ----------------------------------------------------------------

type taskRef struct {
	Connector string `json:"connector"`
	Task      int    `json:"task"`
}

type connectorInfo struct {
	Name   string            `json:"name"`
	Config map[string]string `json:"config"`
	Tasks  []taskRef         `json:"tasks"`
	Type   string            `json:"type"`
}

func infoBody(i runner.ConnectorInfo) connectorInfo {
	out := connectorInfo{Name: i.Name, Config: i.Config, Type: i.Type, Tasks: []taskRef{}}
	for _, t := range i.Tasks {
		out.Tasks = append(out.Tasks, taskRef{Connector: i.Name, Task: t})
	}
	return out
}

type stateBody struct {
	State    string `json:"state"`
	WorkerID string `json:"worker_id"`
	Trace    string `json:"trace,omitempty"`
}

type taskStateBody struct {
	ID       int    `json:"id"`
	State    string `json:"state"`
	WorkerID string `json:"worker_id"`
	Trace    string `json:"trace,omitempty"`
}

type statusBody struct {
	Name      string          `json:"name"`
	Connector stateBody       `json:"connector"`
	Tasks     []taskStateBody `json:"tasks"`
	Type      string          `json:"type"`
}

func trace(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func (s *Server) statusBody(st runner.ConnectorStatus) statusBody {
	out := statusBody{
		Name:      st.Name,
		Connector: stateBody{State: st.State.String(), WorkerID: s.workerID, Trace: trace(st.Err)},
		Tasks:     []taskStateBody{},
		Type:      st.Type,
	}
	for _, t := range st.Tasks {
		out.Tasks = append(out.Tasks, s.taskBody(t))
	}
	return out
}

func (s *Server) taskBody(t runner.TaskStatus) taskStateBody {
	return taskStateBody{ID: t.Task, State: t.State.String(), WorkerID: s.workerID, Trace: trace(t.Err)}
}

func (s *Server) listConnectors(w http.ResponseWriter, r *http.Request) {
	names := s.opts.Worker.ConnectorNames()
	var withStatus, withInfo bool
	for _, e := range r.URL.Query()["expand"] {
		switch e {
		case "status":
			withStatus = true
		case "info":
			withInfo = true
		}
	}
	if !withStatus && !withInfo {
		writeJSON(w, http.StatusOK, names)
		return
	}
	out := make(map[string]map[string]any, len(names))
	for _, n := range names {
		entry := make(map[string]any)
		if withStatus {
			if st, err := s.opts.Worker.Status(n); err == nil {
				entry["status"] = s.statusBody(st)
			}
		}
		if withInfo {
			if info, err := s.opts.Worker.Connector(n); err == nil {
				entry["info"] = infoBody(info)
			}
		}
		out[n] = entry
	}
	writeJSON(w, http.StatusOK, out)
}

type createRequest struct {
	Name         *string           `json:"name"`
	Config       map[string]string `json:"config"`
	InitialState string            `json:"initial_state"`
}

func (s *Server) createConnector(w http.ResponseWriter, r *http.Request) {
	var req createRequest
	if !readJSON(w, r, &req) {
		return
	}
	name := ""
	if req.Name != nil {
		name = strings.TrimSpace(*req.Name)
	}
	if name == "" {
		writeError(w, http.StatusBadRequest, "Connector name must not be empty")
		return
	}
	if req.Config == nil {
		req.Config = map[string]string{}
	}
	if n, ok := req.Config["name"]; ok && n != name {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("Connector name configuration (%s) doesn't match connector name in the URL (%s)", n, name))
		return
	}
	var initial runner.TargetState
	switch strings.ToUpper(req.InitialState) {
	case "", "RUNNING":
		initial = runner.TargetStarted
	case "PAUSED":
		initial = runner.TargetPaused
	case "STOPPED":
		initial = runner.TargetStopped
	default:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("initial_state %q is not one of RUNNING, PAUSED, STOPPED", req.InitialState))
		return
	}
	if _, err := s.opts.Worker.Connector(name); err == nil {
		writeError(w, http.StatusConflict, fmt.Sprintf("Connector %s already exists", name))
		return
	}
	if err := s.checkFile(name, req.Config); err != nil {
		s.fail(w, err)
		return
	}
	created, info, err := s.opts.Worker.PutConnector(r.Context(), name, req.Config, initial)
	if err != nil {
		s.fail(w, err)
		return
	}
	if !created { // created by a concurrent request meanwhile: it was replaced, so say so
		writeError(w, http.StatusConflict, fmt.Sprintf("Connector %s already exists", name))
		return
	}
	w.Header().Set("Location", "/connectors/"+url.PathEscape(name))
	writeJSON(w, http.StatusCreated, infoBody(info))
}

func (s *Server) getConnector(w http.ResponseWriter, r *http.Request) {
	info, err := s.opts.Worker.Connector(r.PathValue("name"))
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, infoBody(info))
}

func (s *Server) deleteConnector(w http.ResponseWriter, r *http.Request) {
	if err := s.opts.Worker.DeleteConnector(r.Context(), r.PathValue("name")); err != nil {
		s.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) getConfig(w http.ResponseWriter, r *http.Request) {
	info, err := s.opts.Worker.Connector(r.PathValue("name"))
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, info.Config)
}

func (s *Server) putConfig(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	var cfg map[string]string
	if !readJSON(w, r, &cfg) {
		return
	}
	s.applyConfig(w, r, name, cfg)
}

func (s *Server) applyConfig(w http.ResponseWriter, r *http.Request, name string, cfg map[string]string) {
	if cfg == nil {
		cfg = map[string]string{}
	}
	if n, ok := cfg["name"]; ok && n != name {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("Connector name configuration (%s) doesn't match connector name in the URL (%s)", n, name))
		return
	}
	if err := s.checkFile(name, cfg); err != nil {
		s.fail(w, err)
		return
	}
	initial := runner.TargetStarted
	created, info, err := s.opts.Worker.PutConnector(r.Context(), name, cfg, initial)
	if err != nil {
		s.fail(w, err)
		return
	}
	if created {
		w.Header().Set("Location", "/connectors/"+url.PathEscape(name))
		writeJSON(w, http.StatusCreated, infoBody(info))
		return
	}
	writeJSON(w, http.StatusOK, infoBody(info))
}

func (s *Server) patchConfig(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	cfg, err := s.opts.Worker.RawConfig(name) // passwords the answers hide stay as they were
	if err != nil {
		s.fail(w, err)
		return
	}
	var patch map[string]*string
	if !readJSON(w, r, &patch) {
		return
	}
	for k, v := range patch {
		if v == nil {
			delete(cfg, k)
			continue
		}
		cfg[k] = *v
	}
	s.applyConfig(w, r, name, cfg)
}

func (s *Server) getStatus(w http.ResponseWriter, r *http.Request) {
	st, err := s.opts.Worker.Status(r.PathValue("name"))
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, s.statusBody(st))
}

type taskInfoBody struct {
	ID     taskRef           `json:"id"`
	Config map[string]string `json:"config"`
}

func (s *Server) getTasks(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	tasks, err := s.opts.Worker.Tasks(name)
	if err != nil {
		s.fail(w, err)
		return
	}
	out := make([]taskInfoBody, 0, len(tasks))
	for _, t := range tasks {
		out = append(out, taskInfoBody{ID: taskRef{Connector: name, Task: t.Task}, Config: t.Config})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getTasksConfig(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	tasks, err := s.opts.Worker.Tasks(name)
	if err != nil {
		s.fail(w, err)
		return
	}
	out := make(map[string]map[string]string, len(tasks))
	for _, t := range tasks {
		out[name+"-"+strconv.Itoa(t.Task)] = t.Config
	}
	writeJSON(w, http.StatusOK, out)
}

func taskNumber(w http.ResponseWriter, r *http.Request) (int, bool) {
	n, err := strconv.Atoi(r.PathValue("task"))
	if err != nil || n < 0 {
		writeError(w, http.StatusNotFound, fmt.Sprintf("No status found for task %s-%s", r.PathValue("name"), r.PathValue("task")))
		return 0, false
	}
	return n, true
}

func (s *Server) getTaskStatus(w http.ResponseWriter, r *http.Request) {
	n, ok := taskNumber(w, r)
	if !ok {
		return
	}
	st, err := s.opts.Worker.TaskStatus(r.PathValue("name"), n)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, s.taskBody(st))
}

func boolParam(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	return strconv.ParseBool(v)
}

func (s *Server) restartConnector(w http.ResponseWriter, r *http.Request) {
	includeTasks, err1 := boolParam(r, "includeTasks")
	onlyFailed, err2 := boolParam(r, "onlyFailed")
	if err := errors.Join(err1, err2); err != nil {
		writeError(w, http.StatusBadRequest, "includeTasks and onlyFailed take true or false: "+err.Error())
		return
	}
	st, err := s.opts.Worker.RestartConnector(r.PathValue("name"), includeTasks, onlyFailed)
	if err != nil {
		s.fail(w, err)
		return
	}
	if !r.URL.Query().Has("includeTasks") && !r.URL.Query().Has("onlyFailed") {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusAccepted, s.statusBody(st))
}

func (s *Server) restartTask(w http.ResponseWriter, r *http.Request) {
	n, ok := taskNumber(w, r)
	if !ok {
		return
	}
	if err := s.opts.Worker.RestartTask(r.PathValue("name"), n); err != nil {
		s.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) targetState(op func(string) error, status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := op(r.PathValue("name")); err != nil {
			s.fail(w, err)
			return
		}
		w.WriteHeader(status)
	}
}

func (s *Server) topics(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	topics, err := s.opts.Worker.Topics(name)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]map[string][]string{name: {"topics": topics}})
}

func (s *Server) resetTopics(w http.ResponseWriter, r *http.Request) {
	if err := s.opts.Worker.ResetTopics(r.PathValue("name")); err != nil {
		s.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// --- offsets -------------------------------------------------------------------

type offsetBody struct {
	Partition map[string]any `json:"partition"`
	Offset    map[string]any `json:"offset"`
}

type offsetsBody struct {
	Offsets []offsetBody `json:"offsets"`
}

func (s *Server) getOffsets(w http.ResponseWriter, r *http.Request) {
	entries, err := s.opts.Worker.Offsets(r.Context(), r.PathValue("name"))
	if err != nil {
		s.fail(w, err)
		return
	}
	out := offsetsBody{Offsets: []offsetBody{}}
	for _, e := range entries {
		if e.Offset != nil {
			out.Offsets = append(out.Offsets, offsetBody{Partition: e.Partition, Offset: e.Offset})
		}
	}
	sort.Slice(out.Offsets, func(i, j int) bool {
		a, _ := json.Marshal(out.Offsets[i].Partition)
		b, _ := json.Marshal(out.Offsets[j].Partition)
		return string(a) < string(b)
	})
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) alterOffsets(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Offsets []offsetBody `json:"offsets"`
	}
	if !readJSON(w, r, &body) {
		return
	}
	if len(body.Offsets) == 0 {
		writeError(w, http.StatusBadRequest, "Partitions / offsets need to be provided for an alter offsets request")
		return
	}
	entries := make([]offsets.Entry, 0, len(body.Offsets))
	for _, o := range body.Offsets {
		entries = append(entries, offsets.Entry{Partition: o.Partition, Offset: o.Offset})
	}
	if err := s.opts.Worker.AlterOffsets(r.Context(), r.PathValue("name"), entries, false); err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": "The Connect framework-managed offsets for this connector have been altered successfully. However, if this connector manages offsets externally, they will need to be manually altered in the system that the connector uses."})
}

func (s *Server) resetOffsets(w http.ResponseWriter, r *http.Request) {
	if err := s.opts.Worker.AlterOffsets(r.Context(), r.PathValue("name"), nil, true); err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": "The Connect framework-managed offsets for this connector have been reset successfully. However, if this connector manages offsets externally, they will need to be manually reset in the system that the connector uses."})
}
