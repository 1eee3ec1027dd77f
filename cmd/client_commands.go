package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/runner"
)

// newClientCommands returns the commands that manage connectors on a
// running worker through its REST API, for the caller to add to the root.
func newClientCommands(ios *IOStreams) []*cobra.Command {
	return []*cobra.Command{
		newCmdLoad(ios),
		newCmdUnload(ios),
		newCmdList(ios),
		newCmdStatus(ios),
		newCmdConfig(ios),
		newCmdTargetState(ios, "pause", "Pause a connector and its tasks",
			`Pause the connector NAME (PUT /connectors/NAME/pause): its tasks stay
assigned but source tasks stop polling and sink tasks stop consuming, until
"resume". The worker accepts the request (202) and pauses soon after;
"status NAME" shows when it is PAUSED.`, "Pausing"),
		newCmdTargetState(ios, "resume", "Resume a paused or stopped connector",
			`Resume the connector NAME (PUT /connectors/NAME/resume) after "pause" or
"stop". The worker accepts the request (202) and resumes soon after; "status
NAME" shows when it is RUNNING again.`, "Resuming"),
		newCmdTargetState(ios, "stop", "Stop a connector and shut its tasks down",
			`Stop the connector NAME (PUT /connectors/NAME/stop): its tasks shut down and
their configurations are dropped, but the connector and its offsets stay.
"resume" starts it again. A stopped connector's offsets may be changed.`, "Stopped"),
		newCmdRestart(ios),
	}
}

// Kafka's REST entities, as far as the commands read them.
type (
	connectorInfo struct {
		Name   string            `json:"name"`
		Config map[string]string `json:"config"`
		Tasks  []struct {
			Connector string `json:"connector"`
			Task      int    `json:"task"`
		} `json:"tasks"`
		Type string `json:"type"`
	}
	instanceState struct {
		State    string `json:"state"`
		WorkerID string `json:"worker_id"`
		Trace    string `json:"trace"`
	}
	taskState struct {
		ID int `json:"id"`
		instanceState
	}
	connectorStatus struct {
		Name      string        `json:"name"`
		Connector instanceState `json:"connector"`
		Tasks     []taskState   `json:"tasks"`
		Type      string        `json:"type"`
	}
	// expandedConnector is one entry of GET /connectors?expand=...
	expandedConnector struct {
		Status *connectorStatus `json:"status"`
		Info   *connectorInfo   `json:"info"`
	}
)

// argsName accepts exactly one connector name. An empty one would address
// the list of connectors instead.
func argsName(args []string) error {
	switch {
	case len(args) == 0:
		return errors.New("missing the connector name")
	case len(args) > 1:
		return fmt.Errorf("want one connector name, got %d arguments", len(args))
	case args[0] == "":
		return errors.New("the connector name is empty")
	}
	return nil
}

func argsOptionalName(args []string) error {
	if len(args) == 0 {
		return nil
	}
	return argsName(args)
}

func argsNone(args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("takes no arguments, got %q", args[0])
	}
	return nil
}

const loadLong = `Create the connector NAME on a running worker, or replace its configuration,
from a connector file in any form connect-standalone reads: Java .properties
(ISO-8859-1, \uXXXX escapes), a JSON object of configs, or Kafka's JSON
creation request {"name": ..., "config": {...}, "initial_state": ...}.

Like Confluent's "confluent load", it sends PUT /connectors/NAME/config,
which creates the connector or replaces its configuration; an existing
connector keeps its state (running, paused or stopped). A file whose
initial_state is PAUSED or STOPPED creates the connector in that state
(POST /connectors), or, when it exists, only replaces its configuration.

NAME may be left out when the file names the connector; a file need not name
it when NAME is given. A name in the file that differs from NAME is an error,
found before the worker is asked. FILE "-" reads standard input.

Prints the connector's name, type and number of tasks.`

const loadExamples = `  # Kafka's example source, created or updated
  connect-standalone load local-file-source -d examples/connect-file-source.properties

  # The name from the file
  connect-standalone load -d examples/connect-file-sink.json

  # Copy a connector's configuration to a new connector
  connect-standalone config local-file-source | sed 's/^name=.*/name=copy/' |
      connect-standalone load copy -d -`

func newCmdLoad(ios *IOStreams) *cobra.Command {
	var file string
	c := &cobra.Command{
		Use:     "load [NAME] -d FILE",
		Short:   "Create or update a connector from a .properties or JSON file",
		Long:    loadLong,
		Example: loadExamples,
	}
	c.Flags().StringVarP(&file, "file", "d", "", `the connector file, .properties or JSON; "-" reads standard input`)
	newClientCmd(ios, c, argsOptionalName, func(ctx context.Context, r *clientRun, args []string) error {
		if file == "" {
			return usage(c.CommandPath(), errors.New("missing -d FILE, the connector file"))
		}
		name := ""
		if len(args) == 1 {
			name = args[0]
		}
		return runLoad(ctx, r, file, name)
	})
	c.Long += "\n  3  the connector file is invalid, or names another connector"
	return c
}

func runLoad(ctx context.Context, r *clientRun, file, name string) error {
	cf, err := readConnectorFile(r.io.In, file, name)
	if err != nil {
		return classify(err, runner.ErrConnectorConfig)
	}
	// Only a POST carries an initial state; RUNNING is what a PUT creates.
	put := cf.InitialState == "" || cf.InitialState == config.StateRunning
	method, path := http.MethodPost, "/connectors"
	var status int
	var body []byte
	if !put {
		req := struct {
			Name         string            `json:"name"`
			Config       map[string]string `json:"config"`
			InitialState string            `json:"initial_state"`
		}{cf.Name, cf.Config, cf.InitialState}
		status, body, err = r.client.do(ctx, method, path, nil, req)
		var re *restError
		if errors.As(err, &re) && re.Status == http.StatusConflict {
			fmt.Fprintf(r.io.ErrOut, "connect-standalone: connector %s exists: its configuration is replaced and its state kept, whatever the file's initial_state %s\n",
				cf.Name, cf.InitialState)
			put = true
		} else if err != nil {
			return err
		}
	}
	if put {
		method, path = http.MethodPut, connectorPath(cf.Name, "config")
		if status, body, err = r.client.do(ctx, method, path, nil, cf.Config); err != nil {
			return err
		}
	}
	if r.opts.Output == outputJSON {
		return writeAnswer(r.io.Out, body)
	}
	var info connectorInfo
	if err := decodeAnswer(method, path, body, &info); err != nil {
		return err
	}
	verb := "Updated"
	if status == http.StatusCreated {
		verb = "Created"
	}
	_, err = fmt.Fprintf(r.io.Out, "%s connector %s (%s, %s)\n", verb, info.Name, info.Type, taskCount(len(info.Tasks)))
	return err
}

// readConnectorFile reads a connector file as the worker does; path "-"
// reads in. name, when not empty, is the connector's name: it names a file
// that has no name and must match the name of a file that has one.
func readConnectorFile(in io.Reader, path, name string) (config.ConnectorFile, error) {
	label := path
	var data []byte
	var err error
	if path == "-" {
		label = "standard input"
		data, err = io.ReadAll(in)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return config.ConnectorFile{}, fmt.Errorf("read %s: %w", label, err)
	}
	cf, err := config.ParseConnectorFile(label, data)
	if errors.Is(err, config.ErrMissing) {
		if name == "" {
			return config.ConnectorFile{}, fmt.Errorf("%w\nGive the name on the command line: load NAME -d FILE", err)
		}
		cf, err = config.ParseConnectorFile(label, withNameKey(data, name))
	}
	if err != nil {
		return config.ConnectorFile{}, err
	}
	if name != "" && cf.Name != name {
		return config.ConnectorFile{}, fmt.Errorf("%s names the connector %q, not %q", label, cf.Name, name)
	}
	return cf, nil
}

// withNameKey adds name to a connector file that lacks one. The file
// parsed but for its name, so it is well formed: a JSON object gets a
// leading top-level "name", which the creation-request form also copies
// into its config, and a .properties file a leading line. The file's
// forms are told apart as config.ParseConnectorFile does.
func withNameKey(data []byte, name string) []byte {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	body := bytes.TrimLeft(data, " \t\r\n")
	if len(body) > 0 && body[0] == '{' {
		rest := body[1:]
		member, _ := json.Marshal(name) // a string always encodes
		sep := ","
		if r := bytes.TrimLeft(rest, " \t\r\n"); len(r) > 0 && r[0] == '}' {
			sep = ""
		}
		return slices.Concat([]byte(`{"name":`), member, []byte(sep), rest)
	}
	var b bytes.Buffer
	_ = config.WriteProperties(&b, map[string]string{config.KeyName: name}) // a bytes.Buffer does not fail
	return append(b.Bytes(), data...)
}

func newCmdUnload(ios *IOStreams) *cobra.Command {
	return newClientCmd(ios, &cobra.Command{
		Use:   "unload NAME",
		Short: "Delete a connector",
		Long: `Delete the connector NAME (DELETE /connectors/NAME): its tasks and the
connector stop, and its configuration and status are removed. Its source
offsets stay, for a connector of the same name created later.`,
		Example: "  connect-standalone unload local-file-source",
	}, argsName, func(ctx context.Context, r *clientRun, args []string) error {
		_, body, err := r.client.do(ctx, http.MethodDelete, connectorPath(args[0]), nil, nil)
		if err != nil {
			return err
		}
		return r.done(body, "Deleted connector %s\n", args[0])
	})
}

func newCmdList(ios *IOStreams) *cobra.Command {
	return newClientCmd(ios, &cobra.Command{
		Use:   "list",
		Short: "List the connectors, their types, states and tasks",
		Long: `List the connectors of a running worker (GET /connectors?expand=status&expand=info),
sorted by name: their type, state, and how many of their tasks are running,
followed by the number of tasks in each other state.`,
		Example: `  connect-standalone list
  connect-standalone list --url http://connect.example.com:8083 -o json`,
	}, argsNone, func(ctx context.Context, r *clientRun, _ []string) error {
		conns, err := r.expanded(ctx, "status", "info")
		if err != nil || r.opts.Output == outputJSON {
			return err
		}
		if len(conns) == 0 {
			_, err := fmt.Fprintln(r.io.ErrOut, "no connectors")
			return err
		}
		rows := [][]string{{"NAME", "TYPE", "STATE", "TASKS"}}
		for _, name := range slices.Sorted(maps.Keys(conns)) {
			st, typ := conns[name].split()
			if info := conns[name].Info; info != nil {
				typ = info.Type
			}
			rows = append(rows, []string{name, typ, st.Connector.State, tasksSummary(st.Tasks)})
		}
		return writeAligned(r.io.Out, rows)
	})
}

// split returns e's status, an empty one when the worker gave none, and
// the connector's type.
func (e expandedConnector) split() (connectorStatus, string) {
	if e.Status == nil {
		return connectorStatus{Connector: instanceState{State: "-"}}, "-"
	}
	return *e.Status, e.Status.Type
}

// expanded fetches every connector with the given expansions, and writes
// the answer when the output is JSON.
func (r *clientRun) expanded(ctx context.Context, expand ...string) (map[string]expandedConnector, error) {
	_, body, err := r.client.do(ctx, http.MethodGet, "/connectors", url.Values{"expand": expand}, nil)
	if err != nil {
		return nil, err
	}
	if r.opts.Output == outputJSON {
		return nil, writeAnswer(r.io.Out, body)
	}
	var conns map[string]expandedConnector
	if err := decodeAnswer(http.MethodGet, "/connectors", body, &conns); err != nil {
		return nil, err
	}
	return conns, nil
}

// done reports a request whose answer needs no reading: the answer itself
// as JSON, else the message.
func (r *clientRun) done(body []byte, format string, a ...any) error {
	if r.opts.Output == outputJSON {
		return writeAnswer(r.io.Out, body)
	}
	_, err := fmt.Fprintf(r.io.Out, format, a...)
	return err
}

const statusLong = `Show the state of a connector and of each of its tasks, with the worker
running them. A failed connector or task shows the first line of its error
trace; --verbose, or --output json, shows the whole trace.

Without NAME, every connector (GET /connectors?expand=status), sorted by
name, one line for the connector and one for each task. With NAME, that
connector (GET /connectors/NAME/status).

States are Kafka's: RUNNING, PAUSED, STOPPED (connectors only), FAILED,
RESTARTING and UNASSIGNED.`

func newCmdStatus(ios *IOStreams) *cobra.Command {
	var verbose bool
	c := &cobra.Command{
		Use:   "status [NAME]",
		Short: "Show the state of connectors and their tasks",
		Long:  statusLong,
		Example: `  connect-standalone status
  connect-standalone status local-file-source --verbose`,
	}
	c.Flags().BoolVar(&verbose, "verbose", false, "show whole error traces")
	return newClientCmd(ios, c, argsOptionalName, func(ctx context.Context, r *clientRun, args []string) error {
		if len(args) == 0 {
			return runStatusAll(ctx, r, verbose)
		}
		path := connectorPath(args[0], "status")
		_, body, err := r.client.do(ctx, http.MethodGet, path, nil, nil)
		if err != nil {
			return err
		}
		if r.opts.Output == outputJSON {
			return writeAnswer(r.io.Out, body)
		}
		var st connectorStatus
		if err := decodeAnswer(http.MethodGet, path, body, &st); err != nil {
			return err
		}
		return writeStatus(r.io.Out, &st, verbose)
	})
}

func runStatusAll(ctx context.Context, r *clientRun, verbose bool) error {
	conns, err := r.expanded(ctx, "status")
	if err != nil || r.opts.Output == outputJSON {
		return err
	}
	if len(conns) == 0 {
		_, err := fmt.Fprintln(r.io.ErrOut, "no connectors")
		return err
	}
	names := slices.Sorted(maps.Keys(conns))
	traced := false
	for _, name := range names {
		st, _ := conns[name].split()
		traced = traced || hasTrace(&st)
	}
	rows := [][]string{{"NAME", "TYPE", "STATE", "TASKS", "WORKER ID"}}
	for _, name := range names {
		st, typ := conns[name].split()
		rows = append(rows, []string{name, typ, st.Connector.State, tasksSummary(st.Tasks), st.Connector.WorkerID, traceHeadline(st.Connector.Trace)})
		for _, t := range st.Tasks {
			rows = append(rows, []string{"  task " + strconv.Itoa(t.ID), "", t.State, "", t.WorkerID, traceHeadline(t.Trace)})
		}
	}
	if err := writeAligned(r.io.Out, withTraceColumn(rows, traced)); err != nil {
		return err
	}
	if !verbose {
		return nil
	}
	for _, name := range names {
		st, _ := conns[name].split()
		st.Name = name
		if err := writeTraces(r.io.Out, &st); err != nil {
			return err
		}
	}
	return nil
}

// withTraceColumn names the last column TRACE when some row has a trace,
// and drops it otherwise, so that no line ends in blanks.
func withTraceColumn(rows [][]string, traced bool) [][]string {
	if traced {
		rows[0] = append(rows[0], "TRACE")
		return rows
	}
	for i := 1; i < len(rows); i++ {
		rows[i] = rows[i][:len(rows[i])-1]
	}
	return rows
}

func hasTrace(st *connectorStatus) bool {
	return st.Connector.Trace != "" || slices.ContainsFunc(st.Tasks, func(t taskState) bool { return t.Trace != "" })
}

// writeStatus writes one connector's status: its own state first, then a
// table of its tasks, then, when verbose, the whole traces.
func writeStatus(w io.Writer, st *connectorStatus, verbose bool) error {
	rows := [][]string{
		{"Connector:", st.Name},
		{"Type:", st.Type},
		{"State:", st.Connector.State},
		{"Worker ID:", st.Connector.WorkerID},
	}
	if st.Connector.Trace != "" {
		rows = append(rows, []string{"Trace:", traceHeadline(st.Connector.Trace)})
	}
	rows = append(rows, []string{"Tasks:", tasksSummary(st.Tasks)})
	if err := writeAligned(w, rows); err != nil {
		return err
	}
	if len(st.Tasks) > 0 {
		traced := slices.ContainsFunc(st.Tasks, func(t taskState) bool { return t.Trace != "" })
		rows = [][]string{{"TASK", "STATE", "WORKER ID"}}
		for _, t := range st.Tasks {
			rows = append(rows, []string{strconv.Itoa(t.ID), t.State, t.WorkerID, traceHeadline(t.Trace)})
		}
		if _, err := fmt.Fprintln(w); err != nil {
			return err
		}
		if err := writeAligned(w, withTraceColumn(rows, traced)); err != nil {
			return err
		}
	}
	if verbose {
		return writeTraces(w, st)
	}
	return nil
}

// writeTraces writes the whole trace of each failed instance of st, named
// as Kafka names them: the connector, and tasks as NAME-ID.
func writeTraces(w io.Writer, st *connectorStatus) error {
	var b strings.Builder
	trace := func(what, t string) {
		if t != "" {
			fmt.Fprintf(&b, "\n%s trace:\n%s\n", what, strings.TrimRight(t, "\n"))
		}
	}
	trace("Connector "+st.Name, st.Connector.Trace)
	for _, t := range st.Tasks {
		trace(fmt.Sprintf("Task %s-%d", st.Name, t.ID), t.Trace)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// tasksSummary counts tasks by state: "2/3 RUNNING, 1 FAILED".
func tasksSummary(tasks []taskState) string {
	others := make(map[string]int)
	running := 0
	for _, t := range tasks {
		if t.State == "RUNNING" {
			running++
		} else {
			others[t.State]++
		}
	}
	s := fmt.Sprintf("%d/%d RUNNING", running, len(tasks))
	for _, state := range slices.Sorted(maps.Keys(others)) {
		s += fmt.Sprintf(", %d %s", others[state], state)
	}
	return s
}

func traceHeadline(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(line)
}

func taskCount(n int) string {
	if n == 1 {
		return "1 task"
	}
	return fmt.Sprintf("%d tasks", n)
}

func newCmdConfig(ios *IOStreams) *cobra.Command {
	return newClientCmd(ios, &cobra.Command{
		Use:   "config NAME",
		Short: "Print a connector's configuration",
		Long: `Print the configuration of the connector NAME (GET /connectors/NAME/config) as
a Java .properties file, sorted by key and escaped as Java's Properties.store
does, so that "load" reads it back unchanged; with --output json, as the
worker's JSON object.`,
		Example: `  connect-standalone config local-file-source > local-file-source.properties`,
	}, argsName, func(ctx context.Context, r *clientRun, args []string) error {
		path := connectorPath(args[0], "config")
		_, body, err := r.client.do(ctx, http.MethodGet, path, nil, nil)
		if err != nil {
			return err
		}
		if r.opts.Output == outputJSON {
			return writeAnswer(r.io.Out, body)
		}
		var cfg map[string]string
		if err := decodeAnswer(http.MethodGet, path, body, &cfg); err != nil {
			return err
		}
		return config.WriteProperties(r.io.Out, cfg)
	})
}

// newCmdTargetState builds pause, resume or stop: a PUT to the
// connector's sub-resource of the same name, reported as done.
func newCmdTargetState(ios *IOStreams, verb, short, long, done string) *cobra.Command {
	return newClientCmd(ios, &cobra.Command{
		Use:     verb + " NAME",
		Short:   short,
		Long:    long,
		Example: "  connect-standalone " + verb + " local-file-source",
	}, argsName, func(ctx context.Context, r *clientRun, args []string) error {
		_, body, err := r.client.do(ctx, http.MethodPut, connectorPath(args[0], verb), nil, nil)
		if err != nil {
			return err
		}
		return r.done(body, "%s connector %s\n", done, args[0])
	})
}

const restartLong = `Restart the connector NAME (POST /connectors/NAME/restart). Without flags
only the connector instance restarts, as Kafka does, and the worker answers
once it has. With --include-tasks its tasks restart too; with --only-failed
only the connector or tasks that are FAILED restart. With either flag the
worker answers at once with the connector's status, showing RESTARTING for
what it restarts, and that status is printed.`

func newCmdRestart(ios *IOStreams) *cobra.Command {
	var includeTasks, onlyFailed bool
	c := &cobra.Command{
		Use:   "restart NAME [--include-tasks] [--only-failed]",
		Short: "Restart a connector, and optionally its tasks",
		Long:  restartLong,
		Example: `  # Restart whatever failed, connector or tasks
  connect-standalone restart local-file-source --include-tasks --only-failed`,
	}
	f := c.Flags()
	f.BoolVar(&includeTasks, "include-tasks", false, "restart the connector's tasks too")
	f.BoolVar(&onlyFailed, "only-failed", false, "restart only the connector or tasks that are FAILED")
	return newClientCmd(ios, c, argsName, func(ctx context.Context, r *clientRun, args []string) error {
		query := url.Values{
			"includeTasks": {strconv.FormatBool(includeTasks)},
			"onlyFailed":   {strconv.FormatBool(onlyFailed)},
		}
		path := connectorPath(args[0], "restart")
		status, body, err := r.client.do(ctx, http.MethodPost, path, query, nil)
		if err != nil {
			return err
		}
		if status != http.StatusAccepted {
			return r.done(body, "Restarted connector %s\n", args[0])
		}
		if r.opts.Output == outputJSON {
			return writeAnswer(r.io.Out, body)
		}
		var st connectorStatus
		if err := decodeAnswer(http.MethodPost, path, body, &st); err != nil {
			return err
		}
		return writeStatus(r.io.Out, &st, false)
	})
}
