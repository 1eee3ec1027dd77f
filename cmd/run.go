package cmd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/IBM/sarama"
	"github.com/rcrowley/go-metrics"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/builtin"
	"github.com/connect-standalone/connect-standalone/runner"
	"github.com/connect-standalone/connect-standalone/runner/embedded"
	"github.com/connect-standalone/connect-standalone/runner/rest"
)

// runStandalone loads every file, builds and validates the worker, then runs
// it until ctx is cancelled. It blocks for the worker's whole life.
func runStandalone(ctx context.Context, opts *StandaloneOptions) error {
	// The REST API's /admin/loggers changes the level while the worker runs.
	level := new(slog.LevelVar)
	level.Set(opts.LogLevel)
	handler := slog.NewTextHandler(opts.IO.ErrOut, &slog.HandlerOptions{Level: level})
	logger := slog.New(handler)
	// sarama logs through one global; it must point at our handler before any
	// client exists. Its lines are connection-level detail, hence debug.
	sarama.Logger = slog.NewLogLogger(handler.WithAttrs([]slog.Attr{slog.String("component", "sarama")}), slog.LevelDebug)
	// We expose no sarama metrics, and each sarama client otherwise starts a
	// go-metrics meter goroutine that is never stopped (IBM/sarama#897).
	metrics.UseNilMetrics = true

	workerProps, connFiles, err := loadFiles(opts.WorkerFile, opts.ConnectorFiles)
	if err != nil {
		return err
	}
	registry, err := builtin.New(opts.IO.In, opts.IO.Out)
	if err != nil {
		return fmt.Errorf("build plugin registry: %w", err)
	}
	worker, err := runner.New(runner.Options{
		WorkerFile:  opts.WorkerFile,
		WorkerProps: workerProps,
		Connectors:  connFiles,
		Registry:    registry,
		Logger:      logger,
	})
	if err != nil {
		return err
	}

	if opts.EmbeddedKafka {
		broker, err := embedded.Start(firstBootstrap(workerProps), logger.With("component", "embedded-kafka"))
		if err != nil {
			return classify(err, runner.ErrKafkaConnect)
		}
		defer broker.Close()
	}

	api := rest.New(rest.Options{Worker: worker, Registry: registry, Version: connectors.Version, Logger: logger.With("component", "rest"), Level: level, WorkerProps: workerProps})
	for _, l := range worker.Listeners() {
		if _, _, err := api.Listen(ctx, l); err != nil {
			return classify(err, runner.ErrWorkerConfig)
		}
	}

	stopNotice := context.AfterFunc(ctx, func() {
		logger.Info("signal received, stopping gracefully; a second signal exits at once without saving offsets")
	})
	defer stopNotice()
	err = worker.Run(ctx)
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return nil // a signal during start-up is a requested stop, not a failure
	}
	return err
}

// loadFiles reads the worker file and every connector file, reporting every
// problem at once. A worker file problem is classed as worker configuration
// (exit 2), connector file problems as connector configuration (exit 3).
func loadFiles(workerFile string, connectorFiles []string) (map[string]string, []config.ConnectorFile, error) {
	var errs []error
	workerProps, err := config.LoadProperties(workerFile)
	if err != nil {
		errs = append(errs, classify(err, runner.ErrWorkerConfig))
	}
	conns := make([]config.ConnectorFile, 0, len(connectorFiles))
	for _, f := range connectorFiles {
		cf, err := config.LoadConnectorFile(f)
		if err != nil {
			errs = append(errs, classify(err, runner.ErrConnectorConfig))
			continue
		}
		conns = append(conns, cf)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return workerProps, conns, nil
}

// firstBootstrap returns the first bootstrap.servers address, where
// --embedded-kafka listens, as host:port.
func firstBootstrap(props map[string]string) string {
	for s := range strings.SplitSeq(props[config.KeyBootstrapServers], ",") {
		s = strings.TrimSpace(s)
		if _, hostport, ok := strings.Cut(s, "://"); ok {
			s = hostport // Kafka tolerates a listener-style PLAINTEXT:// prefix
		}
		if s != "" {
			return s
		}
	}
	return config.DefaultBootstrapServers
}
