package cmd

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/connect-standalone/connect-standalone/runner"
	"github.com/connect-standalone/connect-standalone/runner/embedded"
)

// KafkaOptions is what `connect-standalone kafka` is asked for.
type KafkaOptions struct {
	IO       *IOStreams
	Listen   string     // host:port; port 0 picks a free port
	LogLevel slog.Level // minimum level written to standard error
}

// defaultKafkaListen is Kafka's own default listener, on loopback only.
const defaultKafkaListen = "127.0.0.1:9092"

const kafkaLongHelp = `Run only the in-memory Kafka-protocol broker that --embedded-kafka starts
with a worker, as a process of its own: for labs, tests and benchmarks that
need a broker and no Kafka installation. Any Kafka client can use it.

It has one broker, creates topics on first use with one partition, and keeps
everything in memory: nothing survives the process. It is not for data that
matters.

Once it accepts connections it prints one line to standard output, the
address clients should use:

  listening on 127.0.0.1:9092

Logs go to standard error. It runs until SIGINT or SIGTERM and then exits 0;
a second signal exits 130 at once. It exits 1 on a usage error and 2 when it
cannot listen on the address (in use, or not an address of this machine).

A worker file named "kafka" in the current directory is still a worker file
when named ./kafka.`

const kafkaExamples = `  # A broker on Kafka's default port, then a worker using it
  connect-standalone kafka
  connect-standalone worker.properties connect-file-source.properties

  # A free port, for scripts: read the address from the first line
  connect-standalone kafka --listen 127.0.0.1:0`

// newCmdKafka builds the kafka subcommand. runF replaces the broker in
// tests; nil runs it.
func newCmdKafka(ios *IOStreams, runF func(context.Context, *KafkaOptions) error) *cobra.Command {
	opts := &KafkaOptions{IO: ios, Listen: defaultKafkaListen, LogLevel: slog.LevelInfo}
	cmd := &cobra.Command{
		Use:     "kafka [--listen HOST:PORT] [--log-level LEVEL]",
		Short:   "Run only the in-memory Kafka-protocol broker, until stopped",
		Long:    kafkaLongHelp,
		Example: kafkaExamples,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usage("connect-standalone kafka", fmt.Errorf("kafka takes no arguments, got %q", args[0]))
			}
			return nil
		},
		DisableFlagsInUseLine: true,
		SilenceUsage:          true,
		SilenceErrors:         true,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := checkListen(opts.Listen); err != nil {
				return usage("connect-standalone kafka", err)
			}
			if runF != nil {
				return runF(c.Context(), opts)
			}
			return runKafka(c.Context(), opts)
		},
	}
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usage("connect-standalone kafka", err) })
	f := cmd.Flags()
	f.StringVar(&opts.Listen, "listen", defaultKafkaListen,
		"host:port to listen on; port 0 picks a free port, 0.0.0.0 every interface")
	f.Var((*levelFlag)(&opts.LogLevel), "log-level", "minimum level of the logs written to standard error: debug, info, warn or error")
	f.SortFlags = false
	return cmd
}

// checkListen rejects an address that is not host:port with a valid port,
// a usage error; whether it can be bound is only known when listening.
func checkListen(addr string) error {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: want HOST:PORT, such as 127.0.0.1:9092", addr)
	}
	if _, err := strconv.ParseUint(p, 10, 16); err != nil {
		return fmt.Errorf("--listen %q: the port must be a number from 0 to 65535", addr)
	}
	return nil
}

// runKafka serves the Kafka protocol on opts.Listen until ctx is cancelled.
func runKafka(ctx context.Context, opts *KafkaOptions) error {
	logger := slog.New(slog.NewTextHandler(opts.IO.ErrOut, &slog.HandlerOptions{Level: opts.LogLevel}))
	broker, err := embedded.Start(opts.Listen, logger.With("component", "embedded-kafka"))
	if err != nil {
		return classify(err, runner.ErrKafkaConnect) // exit 2, as for --embedded-kafka
	}
	defer broker.Close()
	if _, err := fmt.Fprintf(opts.IO.Out, "listening on %s\n", broker.Addr()); err != nil {
		return fmt.Errorf("write the address to standard output: %w", err)
	}
	logger.Info("broker ready; stop with Ctrl-C or SIGTERM", "address", broker.Addr())
	<-ctx.Done()
	logger.Info("signal received, stopping the broker")
	return nil
}
