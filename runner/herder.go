package runner

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/offsets"
)

// Errors of the operations the REST API calls, which it maps to Kafka's
// status codes.
var (
	ErrNotFound   = errors.New("not found")           // 404
	ErrExists     = errors.New("already exists")      // 409
	ErrNotReady   = errors.New("worker not running")  // 503: starting or stopping
	ErrBadRequest = errors.New("bad request")         // 400
	ErrConflict   = errors.New("conflicting request") // 409
	ErrForbidden  = errors.New("forbidden")           // 403: turned off by the worker's configuration
)

// ConfigError is an invalid connector configuration: every problem found.
type ConfigError struct {
	Problems []error
}

func (e *ConfigError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.Error()
	}
	return fmt.Sprintf("Connector configuration is invalid and contains the following %d error(s):\n%s", len(e.Problems), strings.Join(lines, "\n"))
}

// TargetState is what a connector is asked to be, as Kafka names it.
type TargetState string

const (
	TargetStarted TargetState = "STARTED"
	TargetPaused  TargetState = "PAUSED"
	TargetStopped TargetState = "STOPPED"
)

// ConnectorInfo is a connector's configuration and tasks, as the REST API
// shows them.
type ConnectorInfo struct {
	Name   string
	Config map[string]string
	Tasks  []int
	Type   string // "source" or "sink"
}

// TaskInfo is one task's generated configuration.
type TaskInfo struct {
	Task   int
	Config map[string]string
}

// managed is one connector the worker runs: its configuration, what it is
// asked to be, and its running tasks. Guarded by Worker.ops.
type managed struct {
	name    string
	raw     map[string]string // as given, "name" included
	file    string            // the command-line file it came from; "" when created over REST
	conn    *connector
	target  TargetState
	gate    *gate
	started bool // the connector instance is running
	tasks   []*taskHandle
}

func (m *managed) kind() string {
	if m.conn.isSource() {
		return "source"
	}
	return "sink"
}

// taskHandle is a running task: stopping it asks it to finish gracefully,
// interrupting it ends what is still waiting.
type taskHandle struct {
	id        taskID
	config    map[string]string
	stop      context.CancelFunc
	interrupt context.CancelFunc
	done      chan struct{}
}

// runtime is what connectors need once the worker runs.
type runtime struct {
	addrs []string
	store offsets.Store
	stop  context.Context // done when the worker is asked to stop
	hard  context.Context // done when the graceful time is up
}

// Ready is closed once every connector of the command line has started and
// the operations below are available.
func (w *Worker) Ready() <-chan struct{} { return w.ready }

// ConnectorNames returns the names of the connectors, sorted.
func (w *Worker) ConnectorNames() []string {
	w.ops.Lock()
	defer w.ops.Unlock()
	return slices.Sorted(maps.Keys(w.conns))
}

// Connector returns a connector's configuration and tasks.
func (w *Worker) Connector(name string) (ConnectorInfo, error) {
	w.ops.Lock()
	defer w.ops.Unlock()
	m, err := w.lookup(name)
	if err != nil {
		return ConnectorInfo{}, err
	}
	return m.info(), nil
}

// info is what the REST API shows of m: passwords given literally are
// hidden, references to config providers shown as given.
func (m *managed) info() ConnectorInfo {
	info := ConnectorInfo{Name: m.name, Config: config.Redact(m.raw, m.conn.def, nil), Type: m.kind(), Tasks: []int{}}
	for _, t := range m.tasks {
		info.Tasks = append(info.Tasks, t.id.task)
	}
	return info
}

func (w *Worker) lookup(name string) (*managed, error) {
	m := w.conns[name]
	if m == nil {
		return nil, fmt.Errorf("%w: Connector %s not found", ErrNotFound, name)
	}
	return m, nil
}

// RawConfig returns a connector's configuration as given, literal passwords
// included: to build a changed configuration from, never to show.
func (w *Worker) RawConfig(name string) (map[string]string, error) {
	w.ops.Lock()
	defer w.ops.Unlock()
	m, err := w.lookup(name)
	if err != nil {
		return nil, err
	}
	return maps.Clone(m.raw), nil
}

// Status returns a connector's state and its tasks'.
func (w *Worker) Status(name string) (ConnectorStatus, error) {
	w.ops.Lock()
	m := w.conns[name]
	w.ops.Unlock()
	st, ok := w.status.connector(name)
	if m == nil || !ok {
		return ConnectorStatus{}, fmt.Errorf("%w: No status found for connector %s", ErrNotFound, name)
	}
	st.Type = m.kind()
	return st, nil
}

// TaskStatus returns one task's state.
func (w *Worker) TaskStatus(name string, task int) (TaskStatus, error) {
	st, ok := w.status.task(taskID{name, task})
	if !ok {
		return TaskStatus{}, fmt.Errorf("%w: No status found for task %s-%d", ErrNotFound, name, task)
	}
	return st, nil
}

// Tasks returns the configurations of a connector's tasks.
func (w *Worker) Tasks(name string) ([]TaskInfo, error) {
	w.ops.Lock()
	defer w.ops.Unlock()
	m, err := w.lookup(name)
	if err != nil {
		return nil, err
	}
	out := make([]TaskInfo, 0, len(m.tasks))
	for _, t := range m.tasks {
		// Task configs hold resolved values: show the references instead.
		out = append(out, TaskInfo{Task: t.id.task, Config: config.Redact(config.Unresolve(t.config, m.raw), m.conn.def, nil)})
	}
	return out, nil
}

// PutConnector creates the connector, in the initial state asked (STARTED
// when empty), or replaces the configuration of an existing one, which keeps
// its target state and restarts with the new configuration. An invalid
// configuration is a *ConfigError and changes nothing.
func (w *Worker) PutConnector(ctx context.Context, name string, cfg map[string]string, initial TargetState) (created bool, info ConnectorInfo, err error) {
	if initial == "" {
		initial = TargetStarted
	}
	raw := maps.Clone(cfg)
	raw[config.KeyName] = name
	conn, err := w.build(name, "", raw)
	if err != nil {
		return false, ConnectorInfo{}, err
	}
	w.ops.Lock()
	defer w.ops.Unlock()
	if err := w.running(); err != nil {
		return false, ConnectorInfo{}, err
	}
	m := w.conns[name]
	if m == nil {
		m = &managed{name: name, raw: raw, conn: conn, target: initial, gate: newGate(initial == TargetPaused)}
		w.conns[name] = m
		created = true
	} else {
		w.halt(m)
		m.raw, m.conn = raw, conn
	}
	w.launch(m)
	w.saveState()
	return created, m.info(), nil
}

// build validates a connector configuration, as New does for files.
func (w *Worker) build(name, file string, raw map[string]string) (*connector, error) {
	if strings.TrimSpace(raw[config.KeyConnectorClass]) == "" {
		return nil, fmt.Errorf("%w: Connector config %v contains no connector type", ErrBadRequest, config.Redact(raw, nil, nil))
	}
	c, err := w.newConnector(config.ConnectorFile{Path: file, Name: name, Config: raw})
	if err == nil {
		c.overrides(config.Subset(w.opts.WorkerProps, "producer."), config.Subset(w.opts.WorkerProps, "consumer."))
		err = c.checkClients()
	}
	if err != nil {
		return nil, &ConfigError{Problems: config.Problems(err)}
	}
	return c, nil
}

// newConnector validates a connector config with its ${provider:path:key}
// references resolved. The connector gets a copy of its own: what it does to
// its config must not change what the REST API shows as given, and errors
// never show a resolved secret.
func (w *Worker) newConnector(cf config.ConnectorFile) (*connector, error) {
	raw := maps.Clone(cf.Config)
	var secrets map[string]bool
	if w.providers != nil {
		resolved, s, err := w.providers.Resolve(raw)
		if err != nil {
			return nil, config.HideSecrets(err, resolved, s)
		}
		raw, secrets = resolved, s
	}
	cf.Config = raw
	c, err := newConnector(cf, w.opts.Registry, w.opts.WorkerProps, w.log)
	return c, config.HideSecrets(err, raw, secrets)
}

// DeleteConnector stops a connector and its tasks and forgets it. Its
// stored source offsets stay, as in Kafka.
func (w *Worker) DeleteConnector(ctx context.Context, name string) error {
	m, err := w.operate(name)
	if err != nil {
		return err
	}
	defer w.ops.Unlock()
	w.halt(m)
	delete(w.conns, name)
	w.status.drop(name)
	w.saveState()
	m.conn.log.Info("deleted connector")
	return nil
}

// PauseConnector holds a connector's tasks: sources stop polling, sinks stop
// putting records. Pausing a paused connector does nothing.
func (w *Worker) PauseConnector(name string) error {
	return w.retarget(name, TargetPaused)
}

// ResumeConnector resumes a paused or stopped connector.
func (w *Worker) ResumeConnector(name string) error {
	return w.retarget(name, TargetStarted)
}

// StopConnector shuts a connector's tasks down and keeps its configuration:
// its offsets can then be changed.
func (w *Worker) StopConnector(name string) error {
	return w.retarget(name, TargetStopped)
}

func (w *Worker) retarget(name string, target TargetState) error {
	m, err := w.operate(name)
	if err != nil {
		return err
	}
	defer w.ops.Unlock()
	if m.target == target {
		return nil
	}
	prev := m.target
	m.target = target
	switch {
	case target == TargetStopped || prev == TargetStopped || !m.started:
		w.halt(m)
		w.launch(m)
	default: // between STARTED and PAUSED: the tasks stay, behind the gate
		m.gate.set(target == TargetPaused)
		state := StateRunning
		if target == TargetPaused {
			state = StatePaused
		}
		w.status.setConnector(name, state, nil)
		for _, t := range m.tasks {
			if st, ok := w.status.task(t.id); ok && st.State != StateFailed {
				w.status.set(t.id, state, nil)
			}
		}
	}
	w.saveState()
	m.conn.log.Info("connector target state changed", "from", prev, "to", target)
	return nil
}

// RestartConnector restarts a connector and, with includeTasks, its tasks;
// onlyFailed limits both to those that FAILED. What will restart is marked
// RESTARTING in the status returned; the restart itself goes on after.
func (w *Worker) RestartConnector(name string, includeTasks, onlyFailed bool) (ConnectorStatus, error) {
	m, err := w.operate(name)
	if err != nil {
		return ConnectorStatus{}, err
	}
	st, _ := w.status.connector(name)
	restartConn := !onlyFailed || st.State == StateFailed
	var tasks []int
	if includeTasks {
		for _, t := range st.Tasks {
			if !onlyFailed || t.State == StateFailed {
				tasks = append(tasks, t.Task)
			}
		}
	}
	if restartConn {
		w.status.setConnector(name, StateRestarting, nil)
	}
	for _, n := range tasks {
		w.status.set(taskID{name, n}, StateRestarting, nil)
	}
	st, _ = w.status.connector(name)
	st.Type = m.kind()
	// The restart goes on after the answer, still holding ops, which this
	// goroutine releases: no other operation, nor the worker's stop, sees it
	// half done.
	go func() {
		defer w.ops.Unlock()
		switch {
		case restartConn:
			// The tasks asked for restart with it; the others keep running
			// only when the connector keeps its task configs.
			w.restartConnector(m, tasks, includeTasks)
		default:
			for _, n := range tasks {
				w.restartTask(m, n)
			}
		}
	}()
	return st, nil
}

// restartConnector restarts the connector instance; if its task
// configurations changed, or all its tasks were asked for, every task
// restarts, else only the tasks listed.
func (w *Worker) restartConnector(m *managed, tasks []int, all bool) {
	if m.target == TargetStopped {
		w.status.setConnector(m.name, StateStopped, nil)
		return
	}
	old := m.tasks
	if m.started {
		m.conn.stop(w.rt.hard)
		m.started = false
	}
	configs, err := w.startInstance(m)
	if err != nil {
		return
	}
	same := len(configs) == len(old)
	for i := range old {
		if same && !maps.Equal(configs[i], old[i].config) {
			same = false
		}
	}
	if !same || all {
		w.stopTasks(old)
		m.tasks = nil
		w.status.dropTasks(m.name, 0)
		for i, tc := range configs {
			w.startTask(m, i, tc)
		}
		return
	}
	for _, n := range tasks {
		w.restartTask(m, n)
	}
}

// reconfigureTasks answers a connector's RequestTaskReconfiguration: it
// asks the instance for its task configs again and, when they changed,
// replaces the tasks. A connector replaced, stopped or paused since asking
// is left alone; it asks again when it runs.
func (w *Worker) reconfigureTasks(m *managed) {
	w.ops.Lock()
	defer w.ops.Unlock()
	if w.running() != nil || !m.started || m.target != TargetStarted {
		return
	}
	if current, err := w.lookup(m.name); err != nil || current != m {
		return
	}
	configs, err := m.conn.taskConfigs()
	if err != nil {
		m.conn.log.Error("task reconfiguration failed; the tasks keep their configs", "error", err)
		return
	}
	same := len(configs) == len(m.tasks)
	for i := range m.tasks {
		if same && !maps.Equal(configs[i], m.tasks[i].config) {
			same = false
		}
	}
	if same {
		return
	}
	m.conn.log.Info("task configs changed; restarting the tasks", "tasks", len(configs))
	w.stopTasks(m.tasks)
	m.tasks = nil
	w.status.dropTasks(m.name, 0)
	for i, tc := range configs {
		w.startTask(m, i, tc)
	}
}

// RestartTask restarts one task of a connector.
func (w *Worker) RestartTask(name string, task int) error {
	m, err := w.operate(name)
	if err != nil {
		return err
	}
	defer w.ops.Unlock()
	if task < 0 || task >= len(m.tasks) {
		return fmt.Errorf("%w: Task %s-%d not found", ErrNotFound, name, task)
	}
	w.restartTask(m, task)
	return nil
}

func (w *Worker) restartTask(m *managed, n int) {
	if n >= len(m.tasks) {
		return
	}
	old := m.tasks[n]
	w.stopTasks([]*taskHandle{old})
	m.tasks[n] = w.newHandle(m, n, old.config)
}

// Offsets returns a connector's offsets: a source's stored source offsets,
// or a sink's consumer group offsets as Kafka shows them (partition
// {"kafka_topic","kafka_partition"}, offset {"kafka_offset"}).
func (w *Worker) Offsets(ctx context.Context, name string) ([]offsets.Entry, error) {
	m, err := w.operate(name)
	if err != nil {
		return nil, err
	}
	defer w.ops.Unlock()
	if !m.conn.isSource() {
		return w.sinkOffsets(ctx, m)
	}
	return w.rt.store.All(name)
}

// AlterOffsets changes the offsets of a stopped connector: an entry with a
// nil offset removes that partition's. With reset, every offset of the
// connector is removed and entries are ignored.
func (w *Worker) AlterOffsets(ctx context.Context, name string, entries []offsets.Entry, reset bool) error {
	m, err := w.operate(name)
	if err != nil {
		return err
	}
	defer w.ops.Unlock()
	if m.target != TargetStopped || len(m.tasks) > 0 {
		return fmt.Errorf("%w: Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/%s/stop' endpoint", ErrBadRequest, name)
	}
	if !m.conn.isSource() {
		return w.alterSinkOffsets(ctx, m, entries, reset)
	}
	for _, e := range entries {
		if e.Partition == nil {
			return fmt.Errorf("%w: The partition for a source connector offset cannot be null or missing", ErrBadRequest)
		}
	}
	if reset {
		stored, err := w.rt.store.All(name)
		if err != nil {
			return err
		}
		entries = nil
		for _, e := range stored {
			entries = append(entries, offsets.Entry{Partition: e.Partition})
		}
	}
	if len(entries) == 0 {
		return nil
	}
	return w.rt.store.Set(ctx, name, entries)
}

// groupAdmin connects to the cluster with a sink connector's consumer
// settings, for its group's offsets.
func (w *Worker) groupAdmin(m *managed) (sarama.Client, sarama.ClusterAdmin, error) {
	cfg, _, err := consumerConfig(w.clientID("connector-offsets-"+m.name), m.conn.consumerLayers...)
	if err != nil {
		return nil, nil, err
	}
	client, err := sarama.NewClient(w.rt.addrs, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("connect to Kafka for the offsets of consumer group %s: %w", m.conn.groupID(), err)
	}
	admin, err := sarama.NewClusterAdminFromClient(client)
	if err != nil {
		client.Close()
		return nil, nil, err
	}
	return client, admin, nil
}

func (w *Worker) sinkOffsets(ctx context.Context, m *managed) ([]offsets.Entry, error) {
	_, admin, err := w.groupAdmin(m)
	if err != nil {
		return nil, err
	}
	defer admin.Close() // closes the client too
	resp, err := admin.ListConsumerGroupOffsets(m.conn.groupID(), nil)
	if errors.Is(err, sarama.ErrGroupIDNotFound) {
		return nil, nil // never committed, or reset
	}
	if err != nil {
		return nil, fmt.Errorf("read the offsets of consumer group %s: %w", m.conn.groupID(), err)
	}
	var out []offsets.Entry
	for topic, parts := range resp.Blocks {
		for p, b := range parts {
			if b.Offset < 0 {
				continue
			}
			out = append(out, offsets.Entry{
				Partition: map[string]any{"kafka_topic": topic, "kafka_partition": int64(p)},
				Offset:    map[string]any{"kafka_offset": b.Offset},
			})
		}
	}
	return out, nil
}

// sinkPartition checks one sink offset entry as Kafka does, with its
// messages.
func sinkPartition(e offsets.Entry) (topic string, partition int32, offset int64, remove bool, err error) {
	if e.Partition == nil {
		return "", 0, 0, false, fmt.Errorf("%w: The partition for a sink connector offset cannot be null or missing", ErrBadRequest)
	}
	t, okT := e.Partition["kafka_topic"]
	p, okP := e.Partition["kafka_partition"]
	if !okT || !okP {
		return "", 0, 0, false, fmt.Errorf("%w: The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'", ErrBadRequest)
	}
	topic, _ = t.(string)
	pn, ok := integer(p)
	if !ok || pn < 0 || pn > math.MaxInt32 {
		return "", 0, 0, false, fmt.Errorf("%w: Partition values for sink connectors need to be integers", ErrBadRequest)
	}
	if e.Offset == nil {
		return topic, int32(pn), 0, true, nil
	}
	o, ok := e.Offset["kafka_offset"]
	if !ok {
		return "", 0, 0, false, fmt.Errorf("%w: The offset for a sink connector should either be null or contain the key 'kafka_offset'", ErrBadRequest)
	}
	offset, ok = integer(o)
	if !ok || offset < 0 {
		return "", 0, 0, false, fmt.Errorf("%w: Offset values for sink connectors need to be integers", ErrBadRequest)
	}
	return topic, int32(pn), offset, false, nil
}

// integer accepts a JSON number that is a whole number, as decoded from a
// request (float64) or read from storage (int64).
func integer(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int64(n), true
		}
	}
	return 0, false
}

// alterSinkOffsets commits or deletes a stopped sink's consumer group
// offsets. Every entry is checked before anything changes.
func (w *Worker) alterSinkOffsets(ctx context.Context, m *managed, entries []offsets.Entry, reset bool) error {
	type change struct {
		topic     string
		partition int32
		offset    int64
		remove    bool
	}
	var changes []change
	for _, e := range entries {
		t, p, o, rm, err := sinkPartition(e)
		if err != nil {
			return err
		}
		changes = append(changes, change{t, p, o, rm})
	}
	client, admin, err := w.groupAdmin(m)
	if err != nil {
		return err
	}
	defer admin.Close()
	group := m.conn.groupID()
	if reset {
		err := admin.DeleteConsumerGroup(group)
		if err != nil && !errors.Is(err, sarama.ErrGroupIDNotFound) {
			return fmt.Errorf("reset the offsets of consumer group %s: %w", group, err)
		}
		return nil
	}
	om, err := sarama.NewOffsetManagerFromClient(group, client)
	if err != nil {
		return err
	}
	defer om.Close()
	for _, c := range changes {
		if c.remove {
			if err := admin.DeleteConsumerGroupOffset(group, c.topic, c.partition); err != nil && !errors.Is(err, sarama.ErrUnknownTopicOrPartition) {
				return fmt.Errorf("reset the offset of %s-%d in consumer group %s: %w", c.topic, c.partition, group, err)
			}
			continue
		}
		pom, err := om.ManagePartition(c.topic, c.partition)
		if err != nil {
			return fmt.Errorf("set the offset of %s-%d in consumer group %s: %w", c.topic, c.partition, group, err)
		}
		pom.ResetOffset(c.offset, "")
		om.Commit()
		err = pendingError(pom.Errors())
		pom.AsyncClose()
		if err != nil {
			return fmt.Errorf("set the offset of %s-%d in consumer group %s: %w", c.topic, c.partition, group, err)
		}
	}
	return nil
}

// pendingError returns the error already waiting in errs, if any: Commit
// reports its failures before it returns.
func pendingError(errs <-chan *sarama.ConsumerError) error {
	select {
	case e, ok := <-errs:
		if ok && e != nil {
			return e
		}
	default:
	}
	return nil
}

// operate takes ops for an operation on the named connector, once the
// worker runs. On success the caller holds ops and must release it.
func (w *Worker) operate(name string) (*managed, error) {
	w.ops.Lock()
	if err := w.running(); err != nil {
		w.ops.Unlock()
		return nil, err
	}
	m, err := w.lookup(name)
	if err != nil {
		w.ops.Unlock()
		return nil, err
	}
	return m, nil
}

// running refuses operations before Run has started the connectors and
// once it is stopping. The caller holds ops.
func (w *Worker) running() error {
	if w.rt == nil || w.closing {
		return fmt.Errorf("%w: the worker is starting or stopping", ErrNotReady)
	}
	return nil
}

// launch brings a stopped connector to its target state: a STARTED one runs
// its instance and tasks; a PAUSED one gets them once resumed, as a
// connector created paused does in Kafka; a STOPPED one runs nothing. (A
// running connector paused keeps its tasks, behind its gate: see retarget.)
// The caller holds ops.
func (w *Worker) launch(m *managed) error {
	m.gate.set(m.target == TargetPaused)
	switch m.target {
	case TargetStopped:
		w.status.setConnector(m.name, StateStopped, nil)
		return nil
	case TargetPaused:
		w.status.setConnector(m.name, StatePaused, nil)
		return nil
	}
	configs, err := w.startInstance(m)
	if err != nil {
		return err
	}
	for i, tc := range configs {
		w.startTask(m, i, tc)
	}
	return nil
}

// startInstance starts the connector instance and returns its task configs.
func (w *Worker) startInstance(m *managed) ([]map[string]string, error) {
	configs, err := m.conn.start(w.rt.stop, func() { go w.reconfigureTasks(m) })
	if err != nil {
		w.status.setConnector(m.name, StateFailed, err)
		return nil, err
	}
	m.started = true
	state := StateRunning
	if m.target == TargetPaused {
		state = StatePaused
	}
	w.status.setConnector(m.name, state, nil)
	m.conn.log.Info("started connector", "class", m.conn.plugin.Class, "tasks", len(configs))
	return configs, nil
}

// halt stops a connector's tasks and instance, leaving its configuration.
// The caller holds ops.
func (w *Worker) halt(m *managed) {
	w.stopTasks(m.tasks)
	m.tasks = nil
	w.status.dropTasks(m.name, 0)
	if m.started {
		m.conn.stop(w.rt.hard)
		m.started = false
	}
}

func (w *Worker) startTask(m *managed, n int, cfg map[string]string) {
	m.tasks = append(m.tasks, w.newHandle(m, n, cfg))
}

// newHandle creates task n of m and runs it on a goroutine of its own. A
// task that fails is restarted after a backoff (task.restart.*) until it is
// stopped; with task.restart.enable=false it stays FAILED, as in Kafka.
func (w *Worker) newHandle(m *managed, n int, cfg map[string]string) *taskHandle {
	id := taskID{m.name, n}
	stop, cancelStop := context.WithCancel(w.rt.stop)
	hard, cancelHard := context.WithCancel(w.rt.hard)
	h := &taskHandle{id: id, config: cfg, stop: cancelStop, interrupt: cancelHard, done: make(chan struct{})}
	w.status.assign(id)
	// Taken now, under ops: a restart of the connector replaces its
	// instance while this task runs on.
	src := taskSource{conn: m.conn, impl: m.conn.impl, gate: m.gate}
	w.tasks.Go(func() {
		defer close(h.done)
		backoff := time.Duration(0)
		for {
			started := time.Now()
			err := w.runTask(src, n, cfg, stop, hard) // failures are on the status board
			if err == nil || stop.Err() != nil {
				return
			}
			if !w.values.Bool(config.KeyTaskRestartEnable) {
				src.conn.log.Warn("the task stays FAILED until it is restarted over the REST API (task.restart.enable=false)", "task", n)
				return
			}
			backoff = w.restartBackoff(backoff, time.Since(started))
			src.conn.log.Warn("task failed; restarting it", "task", n, "in", backoff, "error", err)
			sleep(stop, backoff)
			if stop.Err() != nil {
				return
			}
			w.status.set(id, StateRestarting, nil)
		}
	})
	return h
}

// taskSource is what a task is made from: its connector's configuration
// and instance, and the gate that pauses it.
type taskSource struct {
	conn *connector
	impl connectors.Connector
	gate *gate
}

// runTask creates and runs one task until it stops or fails.
func (w *Worker) runTask(src taskSource, n int, cfg map[string]string, stop, hard context.Context) error {
	t, err := w.newTask(src, n, cfg)
	if err != nil {
		w.status.set(taskID{src.conn.name, n}, StateFailed, err)
		return err
	}
	return t.run(stop, hard)
}

// restartBackoff is the wait before the next restart of a task that failed
// after running for ran: doubled from the last wait, from
// task.restart.backoff.ms up to task.restart.backoff.max.ms, and back to the
// start once the task had run longer than the longest wait.
func (w *Worker) restartBackoff(last, ran time.Duration) time.Duration {
	first := time.Duration(w.values.Long(config.KeyTaskRestartBackoffMs)) * time.Millisecond
	most := max(time.Duration(w.values.Long(config.KeyTaskRestartBackoffMaxMs))*time.Millisecond, first)
	if last == 0 || ran > most {
		return first
	}
	return min(2*last, most)
}

// stopTasks stops tasks together and waits for them, interrupting those
// still running after task.shutdown.graceful.timeout.ms. It reports whether
// they all stopped in time.
func (w *Worker) stopTasks(hs []*taskHandle) (graceful bool) {
	for _, h := range hs {
		h.stop()
	}
	graceful = true
	deadline := time.NewTimer(w.timeouts.graceful)
	defer deadline.Stop()
	for _, h := range hs {
		select {
		case <-h.done:
		case <-deadline.C:
			graceful = false
			for _, h := range hs {
				h.interrupt()
			}
			<-h.done
		}
	}
	for _, h := range hs {
		h.interrupt() // releases the context
	}
	return graceful
}

// ValidateConfig checks a connector configuration as creating it would,
// without creating it: the keys it is checked against (the framework's and
// the plugin's), and every problem, each a *config.KeyError where it
// concerns one key. An unknown or missing connector.class returns a nil def.
func (w *Worker) ValidateConfig(cfg map[string]string) (plugin connectors.Plugin, def *config.Def, problems []error) {
	raw := maps.Clone(cfg)
	if strings.TrimSpace(raw[config.KeyName]) == "" {
		raw[config.KeyName] = "validate"
	}
	class := strings.TrimSpace(raw[config.KeyConnectorClass])
	p, err := w.opts.Registry.Lookup(class, connectors.KindSource, connectors.KindSink)
	if class == "" || err != nil {
		if err == nil {
			err = fmt.Errorf("%w %q which has no default value", config.ErrMissing, config.KeyConnectorClass)
		}
		return connectors.Plugin{}, nil, []error{&config.KeyError{Key: config.KeyConnectorClass, Err: err}}
	}
	common := config.SourceConnectorDef()
	if p.Kind == connectors.KindSink {
		common = config.SinkConnectorDef()
	}
	if _, err := w.build(raw[config.KeyName], "", raw); err != nil {
		var ce *ConfigError
		if errors.As(err, &ce) {
			problems = ce.Problems
		} else {
			problems = []error{err}
		}
	}
	return p, common.Merge(p.Def), problems
}

// Listeners are the URLs the REST API should listen on (listeners).
func (w *Worker) Listeners() []string { return w.values.List(config.KeyListeners) }

// Topics returns the topics a connector's tasks wrote to or read from since
// it was created or its topics were reset (topic.tracking.enable).
func (w *Worker) Topics(name string) ([]string, error) {
	if !w.values.Bool(config.KeyTopicTrackingEnable) {
		return nil, fmt.Errorf("%w: Topic tracking is disabled.", ErrForbidden)
	}
	w.ops.Lock()
	_, err := w.lookup(name)
	w.ops.Unlock()
	if err != nil {
		return nil, err
	}
	return w.status.topicsOf(name), nil
}

// ResetTopics forgets the topics a connector used
// (topic.tracking.allow.reset).
func (w *Worker) ResetTopics(name string) error {
	if !w.values.Bool(config.KeyTopicTrackingEnable) {
		return fmt.Errorf("%w: Topic tracking is disabled.", ErrForbidden)
	}
	if !w.values.Bool(config.KeyTopicTrackingAllowReset) {
		return fmt.Errorf("%w: Topic tracking reset is disabled.", ErrForbidden)
	}
	w.ops.Lock()
	_, err := w.lookup(name)
	w.ops.Unlock()
	if err != nil {
		return err
	}
	w.status.resetTopics(name)
	return nil
}

// ClusterID returns the Kafka cluster's id, asked once and remembered; ""
// when the cluster cannot say. The REST API's GET / shows it.
func (w *Worker) ClusterID() string {
	w.clusterOnce.Do(func() {
		if w.rt == nil {
			return
		}
		cfg, _, err := adminConfig(w.clientID("connect-standalone-check"), w.opts.WorkerProps)
		if err != nil {
			return
		}
		cfg.Metadata.Full = false // this client asks once, below
		client, err := sarama.NewClient(w.rt.addrs, cfg)
		if err != nil {
			return
		}
		defer client.Close()
		b := client.LeastLoadedBroker()
		if b == nil {
			return
		}
		if err := b.Open(cfg); err != nil && !errors.Is(err, sarama.ErrAlreadyConnected) {
			return
		}
		req := sarama.NewMetadataRequest(cfg.Version, nil)
		req.AllowAutoTopicCreation = false
		if resp, err := b.GetMetadata(req); err == nil && resp.ClusterID != nil {
			w.clusterID = *resp.ClusterID
		}
	})
	return w.clusterID
}

// Resolve returns cfg with its config provider references resolved, for
// checks that must see the values a connector will get. Its result must
// never be shown.
func (w *Worker) Resolve(cfg map[string]string) (map[string]string, error) {
	if w.providers == nil {
		return cfg, nil
	}
	resolved, secrets, err := w.providers.Resolve(cfg)
	return resolved, config.HideSecrets(err, resolved, secrets)
}
