package cmd

import (
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// IOStreams are the process's standard streams, passed in so tests can
// replace them.
type IOStreams struct {
	In     io.Reader // read by the console source (FileStreamSource without a file)
	Out    io.Writer // data only: the console sink writes records here, never logs
	ErrOut io.Writer // logs, errors, usage
}

// StandaloneOptions is what the command line asks for.
type StandaloneOptions struct {
	IO *IOStreams

	WorkerFile     string   // the worker .properties file, always first
	ConnectorFiles []string // connector .properties or .json files, in order

	EmbeddedKafka bool       // start an in-memory broker on the first bootstrap.servers address
	LogLevel      slog.Level // minimum level written to standard error
}

const longHelp = `Run Kafka Connect connectors in a single process, exactly as Apache Kafka's
bin/connect-standalone.sh does. The first file configures the worker; every
further file configures one connector, as Java .properties or as JSON (the
forms Kafka 3.7 and later accept). Files written for Kafka work unchanged.

Logs go to standard error. Standard output carries only the data of
connectors that write to it, such as the console sink (FileStreamSink without
a file), so it can be piped into other programs.

Stop with Ctrl-C or SIGTERM: tasks stop, in-flight records are delivered and
source offsets are saved within task.shutdown.graceful.timeout.ms. A second
signal exits at once without saving. There is no -daemon option: use your
shell (nohup ... &) or a service manager such as systemd to run in the
background.

Exit codes:
  0    stopped cleanly after a signal
  1    usage error, or an unexpected failure
  2    invalid worker configuration, or Kafka unreachable
  3    invalid connector configuration, or a connector failed to start
  130  forced exit (a second signal while stopping)`

const examples = `  # Kafka's quick start with no Kafka installed: an in-memory broker listens on
  # the worker's bootstrap.servers (localhost:9092). Its data is lost on exit.
  cd examples
  connect-standalone --embedded-kafka connect-standalone.properties \
      connect-file-source.properties connect-file-sink.properties

  # A real Kafka cluster, named by bootstrap.servers in the worker file
  connect-standalone /etc/kafka/connect-standalone.properties my-source.properties

  # JSON connector files, {"name": ..., "config": {...}}, as in Kafka 3.7+
  connect-standalone worker.properties connect-file-source.json connect-file-sink.json

  # Console source and sink: lines read from stdin come back on stdout
  connect-standalone --embedded-kafka examples/connect-standalone.properties \
      examples/connect-console-source.properties examples/connect-console-sink.properties`

// NewCmdStandalone builds the root command. Its flags bind to a
// StandaloneOptions that RunE hands to runF, or, when runF is nil, to the
// worker itself. The command never prints errors or usage itself: Main does.
func NewCmdStandalone(ios *IOStreams, runF func(*StandaloneOptions) error) *cobra.Command {
	opts := &StandaloneOptions{IO: ios, LogLevel: slog.LevelInfo}
	cmd := &cobra.Command{
		Use:     "connect-standalone [flags] WORKER_PROPERTIES [CONNECTOR_CONFIG ...]",
		Short:   "Run Kafka Connect connectors in one process, as connect-standalone.sh does",
		Long:    longHelp,
		Example: examples,
		Version: connectors.Version,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return &FlagError{fmt.Errorf("missing the worker properties file")}
			}
			return nil
		},
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(c *cobra.Command, args []string) error {
			opts.WorkerFile = args[0]
			opts.ConnectorFiles = args[1:]
			if runF != nil {
				return runF(opts)
			}
			return runStandalone(c.Context(), opts)
		},
	}
	cmd.SetVersionTemplate(fmt.Sprintf("connect-standalone {{.Version}} (%s %s/%s)\n", runtime.Version(), runtime.GOOS, runtime.GOARCH))
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &FlagError{err} })
	cmd.SetIn(ios.In)
	cmd.SetOut(ios.Out)
	cmd.SetErr(ios.ErrOut)

	f := cmd.Flags()
	f.BoolVar(&opts.EmbeddedKafka, "embedded-kafka", false,
		"run an in-memory Kafka broker on the first bootstrap.servers address (not durable: labs and tests)")
	f.Var((*levelFlag)(&opts.LogLevel), "log-level", "minimum level of the logs written to standard error: debug, info, warn or error")
	f.SortFlags = false
	return cmd
}

// FlagError is a command-line usage error: Main prints the usage after it.
type FlagError struct{ err error }

func (e *FlagError) Error() string { return e.err.Error() }
func (e *FlagError) Unwrap() error { return e.err }

// levelFlag is a slog.Level spelled the way --log-level accepts it.
type levelFlag slog.Level

var levelNames = []struct {
	name  string
	level slog.Level
}{
	{"debug", slog.LevelDebug},
	{"info", slog.LevelInfo},
	{"warn", slog.LevelWarn},
	{"error", slog.LevelError},
}

func (l *levelFlag) String() string {
	for _, n := range levelNames {
		if slog.Level(*l) == n.level {
			return n.name
		}
	}
	return slog.Level(*l).String()
}

func (l *levelFlag) Set(s string) error {
	for _, n := range levelNames {
		if strings.EqualFold(s, n.name) {
			*l = levelFlag(n.level)
			return nil
		}
	}
	return fmt.Errorf("want debug, info, warn or error")
}

func (l *levelFlag) Type() string { return "level" }
