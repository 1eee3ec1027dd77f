package runner

import (
	"fmt"
	"log/slog"
	"sync"
)

// State is a connector's or task's state, as Kafka's REST API reports it.
//
//	UNASSIGNED --start--> RUNNING --stop--> UNASSIGNED
//	                         |
//	                         +--error--> FAILED
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

// statusBoard records task states and logs every change, so a task that
// fails is reported even with nobody asking. Safe for concurrent use.
type statusBoard struct {
	mu    sync.Mutex
	tasks map[taskID]TaskStatus
	log   *slog.Logger
}

func newStatusBoard(log *slog.Logger) *statusBoard {
	return &statusBoard{tasks: make(map[taskID]TaskStatus), log: log}
}

func (b *statusBoard) set(id taskID, s State, err error) {
	b.mu.Lock()
	b.tasks[id] = TaskStatus{Connector: id.connector, Task: id.task, State: s, Err: err}
	b.mu.Unlock()
	if s == StateFailed {
		b.log.Error("task failed; it stays FAILED until the worker is restarted", "connector", id.connector, "task", id.task, "error", err)
		return
	}
	b.log.Info("task "+s.String(), "connector", id.connector, "task", id.task)
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
