// Package runner is the standalone worker: it builds every connector and its
// tasks, runs the source and sink loops, flushes offsets and stops them all
// within the graceful timeout.
package runner

import (
	"context"
	"errors"
	"log/slog"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// The classes of failure cmd maps to Kafka's exit codes: worker
// configuration and an unreachable Kafka exit 2, connector configuration and
// start-up failures (a corrupt offsets file included) exit 3.
var (
	ErrWorkerConfig    = errors.New("invalid worker configuration")
	ErrKafkaConnect    = errors.New("cannot connect to Kafka")
	ErrConnectorConfig = errors.New("invalid connector configuration")
	ErrStart           = errors.New("failed to start")
)

// Options configures a Worker.
type Options struct {
	WorkerFile  string            // named in errors
	WorkerProps map[string]string // the worker .properties file's content
	Connectors  []config.ConnectorFile
	Registry    *connectors.Registry
	Logger      *slog.Logger
}

// Worker runs connectors. Create it with New, then call Run once.
type Worker struct {
	opts Options
}

// New validates the worker and every connector configuration without
// touching Kafka or the disk, and reports every problem at once, wrapped in
// ErrWorkerConfig or ErrConnectorConfig.
func New(opts Options) (*Worker, error) {
	return nil, errors.New("runner: not implemented yet")
}

// Run connects to Kafka, opens the offsets store, starts every connector and
// its tasks, and blocks until ctx is cancelled or a fatal error. It then
// stops everything within task.shutdown.graceful.timeout.ms, flushing
// offsets, and returns nil after a stop requested through ctx.
func (w *Worker) Run(ctx context.Context) error {
	return errors.New("runner: not implemented yet")
}
