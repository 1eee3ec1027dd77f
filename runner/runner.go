// Package runner is the standalone worker: it builds every connector and its
// tasks, runs the source and sink loops, flushes offsets and stops them all
// within the graceful timeout. See DESIGN.md in this directory.
package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
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

// Worker runs connectors. Create it with New, then call Run once. While it
// runs, its methods in herder.go change connectors as the REST API asks.
type Worker struct {
	opts     Options
	log      *slog.Logger
	values   config.Values
	files    []*managed // the command line's connectors, in order
	timeouts timeouts
	status   *statusBoard

	providers *config.Providers // resolve ${provider:path:key} in connector configs; nil when the worker's are invalid

	ops       sync.Mutex // one connector operation at a time; guards what follows
	conns     map[string]*managed
	rt        *runtime // set once Run has connected
	closing   bool
	statePath string

	clusterOnce sync.Once
	clusterID   string

	ready chan struct{}  // closed once the command line's connectors started
	tasks sync.WaitGroup // every task goroutine
	bg    sync.WaitGroup // restarts that go on after their request
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
	w := &Worker{opts: opts, log: log, status: newStatusBoard(log), conns: make(map[string]*managed), ready: make(chan struct{})}

	var workerErrs []error
	// Worker values may hold ${provider:path:key} references too: from
	// here on the worker reads them resolved.
	providers, resolved, secrets, err := config.ResolveWorker(opts.WorkerProps)
	workerErrs = append(workerErrs, config.Problems(config.HideSecrets(err, resolved, secrets))...)
	if providers != nil {
		for _, warning := range providers.Warnings() {
			log.Warn(warning, "file", opts.WorkerFile)
		}
	}
	if resolved != nil {
		opts.WorkerProps = resolved
		w.opts = opts
	}
	w.providers = providers
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
	if _, warns, err := adminConfig("check", opts.WorkerProps); err != nil {
		workerErrs = append(workerErrs, &config.KeyError{Key: "admin.*", Err: err})
	} else {
		for _, k := range warns {
			log.Warn("admin property is not supported and is ignored", "property", k, "file", opts.WorkerFile)
		}
	}
	for _, warning := range config.WorkerWarnings(opts.WorkerProps) {
		log.Warn(warning, "file", opts.WorkerFile)
	}
	if vals.Bool(config.KeyTopicTrackingEnable) {
		w.status.topics = make(map[string]map[string]struct{})
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
		c, err := w.newConnector(cf)
		if err != nil {
			connErrs = append(connErrs, config.Problems(config.InFile(cf.Path, err))...)
			continue
		}
		c.overrides(producerLayer, consumerLayer)
		if err := c.checkClients(); err != nil {
			connErrs = append(connErrs, config.Problems(config.InFile(cf.Path, err))...)
			continue
		}
		target := TargetStarted
		switch cf.InitialState {
		case config.StatePaused:
			target = TargetPaused
		case config.StateStopped:
			target = TargetStopped
		}
		w.files = append(w.files, &managed{name: cf.Name, raw: maps.Clone(cf.Config), file: cf.Path, conn: c, target: target, gate: newGate(target == TargetPaused)})
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
	check, _, err := adminConfig(w.clientID("connect-standalone-check"), w.opts.WorkerProps)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrWorkerConfig, err)
	}
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

	rest, err := w.restConnectors(store)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrStart, err)
	}
	w.ops.Lock()
	w.rt = &runtime{addrs: addrs, store: store, stop: ctx, hard: hard}
	defer w.shutdown(hard)
	for _, m := range w.files {
		w.conns[m.name] = m
		if err := w.launch(m); err != nil {
			w.ops.Unlock()
			return fmt.Errorf("%w: %s: %w", ErrStart, m.file, err)
		}
	}
	for _, m := range rest {
		w.conns[m.name] = m
		if err := w.launch(m); err != nil {
			m.conn.log.Error("connector failed to start; fix it over the REST API", "error", err)
		}
	}
	w.ops.Unlock()
	close(w.ready)

	watchCtx, stopWatching := context.WithCancel(ctx)
	watching := make(chan struct{})
	go func() {
		defer close(watching)
		w.watchFiles(watchCtx)
	}()
	defer func() {
		stopWatching()
		<-watching
	}()
	<-ctx.Done()
	return nil
}

// shutdown stops every task and connector once Run returns: tasks drain and
// flush within task.shutdown.graceful.timeout.ms, after which they are
// interrupted.
func (w *Worker) shutdown(hard context.Context) {
	w.bg.Wait() // a restart in progress holds ops until it is done
	w.ops.Lock()
	defer w.ops.Unlock()
	w.closing = true
	var all []*taskHandle
	for _, m := range w.conns {
		all = append(all, m.tasks...)
	}
	if !w.stopTasks(all) {
		w.log.Warn("graceful shutdown timed out; tasks were interrupted", "timeout", w.timeouts.graceful)
	}
	w.tasks.Wait()
	for _, m := range w.conns {
		if m.started {
			m.conn.stop(hard)
			m.started = false
		}
	}
	w.log.Info("stopped")
}

// restConnectors builds the connectors saved from earlier REST requests,
// skipping those a command-line file names. One whose configuration no
// longer validates is reported and left out.
func (w *Worker) restConnectors(store offsets.Store) ([]*managed, error) {
	if _, ok := store.(*offsets.FileStore); !ok {
		return nil, nil
	}
	w.statePath = statePath(w.values.String(config.KeyOffsetStorageFileFilename))
	saved, err := loadState(w.statePath)
	if err != nil {
		return nil, err
	}
	fromFiles := make(map[string]string)
	for _, m := range w.files {
		fromFiles[m.name] = m.file
	}
	var out []*managed
	for _, sc := range saved {
		if file, ok := fromFiles[sc.Name]; ok {
			w.log.Info("connector saved from the REST API is also named on the command line; the file wins", "connector", sc.Name, "file", file)
			continue
		}
		c, err := w.build(sc.Name, "", sc.Config)
		if err != nil {
			w.log.Error("connector saved from the REST API no longer validates; it is not started", "connector", sc.Name, "file", w.statePath, "error", err)
			continue
		}
		out = append(out, &managed{name: sc.Name, raw: sc.Config, conn: c, target: sc.Target, gate: newGate(sc.Target == TargetPaused)})
	}
	return out, nil
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

func (w *Worker) newTask(src taskSource, n int, cfg map[string]string) (runnable, error) {
	c, addrs, store := src.conn, w.rt.addrs, w.rt.store
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
			id: id, conn: c, task: src.impl.(connectors.SourceConnector).NewTask(), config: cfg,
			tracker: newTracker(sourceWindowRecords, clientInt("buffer.memory", 32<<20, c.producerLayers...)),
			store:   store, timeouts: w.timeouts, log: log, status: w.status,
			gate: src.gate, interval: w.values.Duration(config.KeyOffsetFlushIntervalMs),
			failed: make(chan error, 1),
		}
		if p := c.errors; p.tolerateAll && p.dlqTopic != "" {
			st.dlq, err = newDeadLetters(addrs, p, c.producerLayers, w.clientID(fmt.Sprintf("connector-dlq-producer-%s-%d", c.name, n)), log,
				func(recs []*producer.Record) {
					fs := make([]*inflight, len(recs))
					for i, r := range recs {
						fs[i] = r.Meta.(*inflight)
					}
					st.tracker.ackAll(fs)
				})
			if err != nil {
				return nil, err
			}
		}
		po.OnDelivery, po.Logger = st.onDelivery, log
		st.producer, err = producer.New(addrs, po)
		if err != nil {
			st.dlq.close(context.Background())
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
		id: id, conn: c, task: src.impl.(connectors.SinkConnector).NewTask(), config: cfg,
		topics:   c.values.List(config.KeyTopics),
		maxPoll:  clientInt("max.poll.records", 500, c.consumerLayers...),
		interval: w.values.Duration(config.KeyOffsetFlushIntervalMs),
		timeouts: w.timeouts, log: log, status: w.status, gate: src.gate,
	}
	if p := c.errors; p.tolerateAll && p.dlqTopic != "" {
		if st.dlq, err = newDeadLetters(addrs, p, c.producerLayers, w.clientID(fmt.Sprintf("connector-dlq-producer-%s-%d", c.name, n)), log, nil); err != nil {
			return nil, err
		}
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
