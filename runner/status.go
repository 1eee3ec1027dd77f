package runner

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
)

// State is a connector's or task's state, as Kafka's REST API reports it.
//
//	UNASSIGNED --start--> RUNNING --stop--> UNASSIGNED
//	                       |   ^
//	                 pause |   | resume
//	                       v   |
//	                      PAUSED        any --error--> FAILED --restart--> RESTARTING --> RUNNING
//
// A connector stopped through the REST API is STOPPED and has no tasks.
type State int

const (
	StateUnassigned State = iota
	StateRunning
	StatePaused
	StateStopped
	StateFailed
	StateRestarting
)

func (s State) String() string {
	switch s {
	case StateUnassigned:
		return "UNASSIGNED"
	case StateRunning:
		return "RUNNING"
	case StatePaused:
		return "PAUSED"
	case StateStopped:
		return "STOPPED"
	case StateFailed:
		return "FAILED"
	case StateRestarting:
		return "RESTARTING"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// taskID names a task as Kafka does: connector name and task number.
type taskID struct {
	connector string
	task      int
}

func (id taskID) String() string { return fmt.Sprintf("%s-%d", id.connector, id.task) }

// TaskStatus is one task's state and, when FAILED, why.
type TaskStatus struct {
	Connector string
	Task      int
	State     State
	Err       error
}

// ConnectorStatus is a connector's own state and its tasks', sorted by task.
type ConnectorStatus struct {
	Name  string
	Type  string // "source" or "sink"
	State State
	Err   error // why, when FAILED
	Tasks []TaskStatus
}

// statusBoard records connector and task states and logs every change, so
// a task that fails is reported even with nobody asking. Safe for
// concurrent use.
type statusBoard struct {
	mu         sync.Mutex
	tasks      map[taskID]TaskStatus
	connectors map[string]TaskStatus          // Task unused
	topics     map[string]map[string]struct{} // per connector, the topics it used; nil when not tracked
	log        *slog.Logger
}

func newStatusBoard(log *slog.Logger) *statusBoard {
	return &statusBoard{tasks: make(map[taskID]TaskStatus), connectors: make(map[string]TaskStatus), log: log}
}

// useTopic records that a connector's task wrote to or read from topic
// (topic.tracking.enable).
func (b *statusBoard) useTopic(connector, topic string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.topics == nil {
		return
	}
	set := b.topics[connector]
	if set == nil {
		set = make(map[string]struct{})
		b.topics[connector] = set
	}
	if _, ok := set[topic]; !ok {
		set[topic] = struct{}{}
		b.log.Debug("connector uses a new topic", "connector", connector, "topic", topic)
	}
}

// topicsOf returns the topics a connector used, sorted.
func (b *statusBoard) topicsOf(connector string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Sorted(maps.Keys(b.topics[connector]))
}

// resetTopics forgets the topics a connector used.
func (b *statusBoard) resetTopics(connector string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.topics, connector)
}

func (b *statusBoard) set(id taskID, s State, err error) {
	b.mu.Lock()
	b.tasks[id] = TaskStatus{Connector: id.connector, Task: id.task, State: s, Err: err}
	b.mu.Unlock()
	if s == StateFailed {
		b.log.Error("task failed", "connector", id.connector, "task", id.task, "error", err)
		return
	}
	b.log.Info("task "+s.String(), "connector", id.connector, "task", id.task)
}

// assign records a task that is about to start, so that it is listed at
// once; its own start then reports it RUNNING or FAILED.
func (b *statusBoard) assign(id taskID) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.tasks[id]; !ok {
		b.tasks[id] = TaskStatus{Connector: id.connector, Task: id.task, State: StateUnassigned}
	}
}

// setConnector records the state of a connector itself.
func (b *statusBoard) setConnector(name string, s State, err error) {
	b.mu.Lock()
	b.connectors[name] = TaskStatus{Connector: name, State: s, Err: err}
	b.mu.Unlock()
	if s == StateFailed {
		b.log.Error("connector failed", "connector", name, "error", err)
	}
}

// dropTasks forgets the tasks of a connector numbered from on: they no
// longer exist.
func (b *statusBoard) dropTasks(name string, from int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for id := range b.tasks {
		if id.connector == name && id.task >= from {
			delete(b.tasks, id)
		}
	}
}

// drop forgets a deleted connector, its tasks and its topics.
func (b *statusBoard) drop(name string) {
	b.dropTasks(name, 0)
	b.mu.Lock()
	delete(b.connectors, name)
	delete(b.topics, name)
	b.mu.Unlock()
}

// connector returns a connector's status; ok is false when it has none.
func (b *statusBoard) connector(name string) (ConnectorStatus, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, ok := b.connectors[name]
	if !ok {
		return ConnectorStatus{}, false
	}
	st := ConnectorStatus{Name: name, State: c.State, Err: c.Err}
	for id, t := range b.tasks {
		if id.connector == name {
			st.Tasks = append(st.Tasks, t)
		}
	}
	slices.SortFunc(st.Tasks, func(a, b TaskStatus) int { return a.Task - b.Task })
	return st, true
}

// task returns one task's status.
func (b *statusBoard) task(id taskID) (TaskStatus, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	t, ok := b.tasks[id]
	return t, ok
}

func (b *statusBoard) snapshot() []TaskStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]TaskStatus, 0, len(b.tasks))
	for _, s := range b.tasks {
		out = append(out, s)
	}
	return out
}

// gate holds a connector's tasks while it is paused. Safe for concurrent use.
type gate struct {
	mu     sync.Mutex
	paused bool
	change chan struct{} // closed and replaced at every change
}

func newGate(paused bool) *gate { return &gate{paused: paused, change: make(chan struct{})} }

func (g *gate) set(paused bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.paused == paused {
		return
	}
	g.paused = paused
	close(g.change)
	g.change = make(chan struct{})
}

// state reports whether the gate is closed, and a channel closed at its next change.
func (g *gate) state() (paused bool, change <-chan struct{}) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.paused, g.change
}

// wait blocks while the gate is closed, until ctx is done.
func (g *gate) wait(ctx context.Context) error {
	for {
		paused, change := g.state()
		if !paused {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-change:
		}
	}
}

// whileOpen returns a context that is cancelled when parent is, or when the
// gate closes, so that a pause interrupts a wait in progress.
func (g *gate) whileOpen(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	paused, change := g.state()
	if paused {
		cancel()
		return ctx, cancel
	}
	go func() {
		select {
		case <-change:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// running is the state a task reports while it runs: PAUSED behind a
// closed gate.
func (g *gate) running() State {
	if paused, _ := g.state(); paused {
		return StatePaused
	}
	return StateRunning
}
