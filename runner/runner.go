// Package runner is the standalone worker: it builds every connector and its
// tasks, runs the source and sink loops, flushes offsets and stops them all
// within the graceful timeout. See DESIGN.md in this directory.
package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"sync"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/offsets"
	"github.com/connect-standalone/connect-standalone/runner/producer"
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

// timeouts are the worker's time budgets.
type timeouts struct {
	flush    time.Duration // offset.flush.timeout.ms
	graceful time.Duration // task.shutdown.graceful.timeout.ms
}

// Worker runs connectors. Create it with New, then call Run once.
type Worker struct {
	opts       Options
	log        *slog.Logger
	values     config.Values
	connectors []*connector
	timeouts   timeouts
	status     *statusBoard
}

// New validates the worker and every connector configuration without
// touching Kafka or the disk, and reports every problem at once: worker
// problems wrapped in ErrWorkerConfig, connector problems in
// ErrConnectorConfig, each naming its file and key.
func New(opts Options) (*Worker, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &Worker{opts: opts, log: log, status: newStatusBoard(log)}

	var workerErrs []error
	vals, err := config.WorkerDef().Parse(opts.WorkerProps)
	workerErrs = append(workerErrs, config.Problems(err)...)
	w.values = vals
	if _, err := buildConverters(opts.Registry, nil, opts.WorkerProps); err != nil {
		workerErrs = append(workerErrs, config.Problems(err)...)
	}
	producerLayer := config.Subset(opts.WorkerProps, "producer.")
	consumerLayer := config.Subset(opts.WorkerProps, "consumer.")
	if _, _, err := producerConfig("check", producerLayer); err != nil {
		workerErrs = append(workerErrs, &config.KeyError{Key: "producer.*", Err: err})
	}
	if _, _, err := consumerConfig("check", consumerLayer); err != nil {
		workerErrs = append(workerErrs, &config.KeyError{Key: "consumer.*", Err: err})
	}
	for _, warning := range config.WorkerWarnings(opts.WorkerProps) {
		log.Warn(warning, "file", opts.WorkerFile)
	}
	w.timeouts = timeouts{
		flush:    vals.Duration(config.KeyOffsetFlushTimeoutMs),
		graceful: vals.Duration(config.KeyTaskShutdownGracefulTimeoutMs),
	}

	var connErrs []error
	seen := make(map[string]string)
	for _, cf := range opts.Connectors {
		if prev, dup := seen[cf.Name]; dup {
			connErrs = append(connErrs, fmt.Errorf("%s: connector %q is already defined in %s", cf.Path, cf.Name, prev))
			continue
		}
		seen[cf.Name] = cf.Path
		c, err := newConnector(cf, opts.Registry, opts.WorkerProps, log)
		if err != nil {
			connErrs = append(connErrs, config.Problems(config.InFile(cf.Path, err))...)
			continue
		}
		c.overrides(producerLayer, consumerLayer)
		if err := c.checkClients(); err != nil {
			connErrs = append(connErrs, config.Problems(config.InFile(cf.Path, err))...)
			continue
		}
		w.connectors = append(w.connectors, c)
	}

	var errs []error
	if len(workerErrs) > 0 {
		errs = append(errs, fmt.Errorf("%w in %s:\n%w", ErrWorkerConfig, opts.WorkerFile, errors.Join(config.Problems(config.InFile(opts.WorkerFile, errors.Join(workerErrs...)))...)))
	}
	if len(connErrs) > 0 {
		errs = append(errs, fmt.Errorf("%w:\n%w", ErrConnectorConfig, errors.Join(connErrs...)))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return w, nil
}

// Run connects to Kafka, opens the offsets store, starts every connector and
// its tasks, and blocks until ctx is cancelled. It then stops everything
// within task.shutdown.graceful.timeout.ms, flushing offsets, and returns nil
// after a stop requested through ctx. A task that fails is reported and
// stays failed while the others go on, as in Kafka.
func (w *Worker) Run(ctx context.Context) error {
	addrs := w.values.List(config.KeyBootstrapServers)
	check := baseConfig()
	check.ClientID = w.clientID("connect-standalone-check")
	check.Metadata.Retry.Max = 0
	if err := waitForKafka(ctx, addrs, check, w.values.Duration(config.KeyBootstrapTimeoutMs), w.log); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	store, err := offsets.OpenFile(w.values.String(config.KeyOffsetStorageFileFilename), w.log)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrStart, err)
	}
	defer func() {
		if err := store.Close(); err != nil {
			w.log.Warn("close offsets store", "error", err)
		}
	}()

	// hard is cancelled once the graceful time after a stop request is up.
	hard, cancelHard := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelHard()
	stopTimer := context.AfterFunc(ctx, func() {
		w.log.Info("stopping", "graceful_timeout", w.timeouts.graceful)
		time.AfterFunc(w.timeouts.graceful, cancelHard)
	})
	defer stopTimer()

	var tasks []runnable
	started := make([]*connector, 0, len(w.connectors))
	defer func() {
		for _, c := range started {
			c.stop(hard)
		}
	}()
	for _, c := range w.connectors {
		configs, err := c.start(ctx)
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrStart, c.file, err)
		}
		started = append(started, c)
		c.log.Info("created connector", "class", c.plugin.Class, "tasks", len(configs))
		for i, tc := range configs {
			t, err := w.newTask(c, i, tc, addrs, store)
			if err != nil {
				id := taskID{c.name, i}
				w.status.set(id, StateFailed, err)
				continue
			}
			tasks = append(tasks, t)
		}
	}

	var wg sync.WaitGroup
	for _, t := range tasks {
		wg.Go(func() { t.run(ctx, hard) }) // failures are reported on the status board
	}
	flusherDone := make(chan struct{})
	go func() {
		defer close(flusherDone)
		w.flushPeriodically(ctx, tasks)
	}()
	<-ctx.Done()
	<-flusherDone

	finished := make(chan struct{})
	go func() {
		wg.Wait()
		close(finished)
	}()
	select {
	case <-finished:
		w.log.Info("stopped")
	case <-hard.Done():
		<-finished // tasks observe hard and return promptly
		w.log.Warn("graceful shutdown timed out; tasks were interrupted", "timeout", w.timeouts.graceful)
	}
	return nil
}

// runnable is a source or sink task ready to run.
type runnable interface {
	run(stop, hard context.Context) error
}

func (w *Worker) clientID(def string) string {
	if id := w.values.String(config.KeyClientID); id != "" {
		return id
	}
	return def
}

func (w *Worker) newTask(c *connector, n int, cfg map[string]string, addrs []string, store offsets.Store) (runnable, error) {
	id := taskID{c.name, n}
	log := c.log.With("task", n)
	if c.isSource() {
		po, warns, err := producerConfig(w.clientID(fmt.Sprintf("connector-producer-%s-%d", c.name, n)), c.producerLayers...)
		if err != nil {
			return nil, err
		}
		for _, k := range warns {
			log.Warn("producer property is not supported and is ignored", "property", k)
		}
		st := &sourceTask{
			id: id, conn: c, task: c.impl.(connectors.SourceConnector).NewTask(), config: cfg,
			tracker: newTracker(sourceWindowRecords, clientInt("buffer.memory", 32<<20, c.producerLayers...)),
			store:   store, timeouts: w.timeouts, log: log, status: w.status,
			failed: make(chan error, 1),
		}
		po.OnDelivery, po.Logger = st.onDelivery, log
		st.producer, err = producer.New(addrs, po)
		if err != nil {
			return nil, fmt.Errorf("create producer: %w", err)
		}
		return st, nil
	}
	group := c.groupID()
	cc, warns, err := consumerConfig(w.clientID(fmt.Sprintf("connector-consumer-%s-%d", c.name, n)), c.consumerLayers...)
	if err != nil {
		return nil, err
	}
	for _, k := range warns {
		log.Warn("consumer property is not supported and is ignored", "property", k)
	}
	st := &sinkTask{
		id: id, conn: c, task: c.impl.(connectors.SinkConnector).NewTask(), config: cfg,
		topics:   c.values.List(config.KeyTopics),
		maxPoll:  clientInt("max.poll.records", 500, c.consumerLayers...),
		interval: w.values.Duration(config.KeyOffsetFlushIntervalMs),
		timeouts: w.timeouts, log: log, status: w.status,
	}
	if re := c.values.String(config.KeyTopicsRegex); re != "" {
		pattern, err := regexp.Compile("^(?:" + re + ")$")
		if err != nil {
			return nil, fmt.Errorf("topics.regex: %w", err)
		}
		st.pattern = pattern
		if st.client, err = sarama.NewClient(addrs, cc); err != nil {
			return nil, fmt.Errorf("create client: %w", err)
		}
	}
	if st.group, err = sarama.NewConsumerGroup(addrs, group, cc); err != nil {
		if st.client != nil {
			st.client.Close()
		}
		return nil, fmt.Errorf("create consumer group %s: %w", group, err)
	}
	return st, nil
}

// flushPeriodically stores every source task's acknowledged offsets each
// offset.flush.interval.ms until ctx is done; tasks flush once more as they stop.
func (w *Worker) flushPeriodically(ctx context.Context, tasks []runnable) {
	var sources []*sourceTask
	for _, t := range tasks {
		if s, ok := t.(*sourceTask); ok {
			sources = append(sources, s)
		}
	}
	if len(sources) == 0 {
		return
	}
	t := time.NewTicker(w.values.Duration(config.KeyOffsetFlushIntervalMs))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for _, s := range sources {
				if err := s.flush(ctx); err != nil && ctx.Err() == nil {
					s.log.Warn("offset flush failed", "error", err)
				}
			}
		}
	}
}
