// Package cmd is the connect-standalone command line: flags, signals, and
// the mapping from errors to Kafka's exit codes. The work happens in runner.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/connect-standalone/connect-standalone/runner"
)

// Exit codes, as Kafka's ConnectStandalone and its shell wrapper use them.
const (
	exitOK          = 0
	exitError       = 1 // usage, or anything unexpected
	exitWorker      = 2 // worker configuration, Kafka unreachable
	exitConnector   = 3 // connector configuration, start failure
	exitInterrupted = 130
)

// Main runs the command line with args (without the program name) and
// returns the process exit code. It blocks until the worker stops: after a
// first SIGINT or SIGTERM it stops the worker gracefully and returns 0; a
// second signal makes it return 130 at once, leaving the worker's goroutines
// to die with the process. Main sets process-wide state (signal handlers,
// sarama's logger) and is not safe for concurrent use.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, forced, stop := notifySignals(context.Background())
	defer stop()
	return execute(ctx, args, &IOStreams{In: stdin, Out: stdout, ErrOut: stderr}, forced, nil)
}

// notifySignals returns a context cancelled by the first SIGINT or SIGTERM
// and a channel closed by the second. stop releases the handlers.
func notifySignals(parent context.Context) (ctx context.Context, forced <-chan struct{}, stop func()) {
	ctx, cancel := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	// A second registration sees every signal too, including the first, so
	// there is no window in which a second signal could go unnoticed.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	f := make(chan struct{})
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for n := 0; ; {
			select {
			case <-sigs:
				if n++; n == 2 {
					close(f)
					return
				}
			case <-quit:
				return
			}
		}
	}()
	return ctx, f, func() {
		close(quit)
		<-done
		signal.Stop(sigs)
		cancel()
	}
}

// execute runs the command until it returns or forced is closed, and maps
// the outcome to an exit code. runF replaces the worker in tests.
func execute(ctx context.Context, args []string, ios *IOStreams, forced <-chan struct{}, runF func(*StandaloneOptions) error) int {
	cmd := NewCmdStandalone(ios, runF)
	addCommands(cmd, ios)
	for _, a := range args {
		if a == "--" {
			break // file names follow
		}
		if a == "-daemon" || a == "--daemon" {
			return report(ios.ErrOut, cmd, &FlagError{errors.New(
				"-daemon is not supported: run connect-standalone in the background with your shell (nohup ... &) or a service manager such as systemd")})
		}
	}
	if args == nil {
		args = []string{} // nil would make cobra read os.Args
	}
	cmd.SetArgs(args)

	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	select {
	case err := <-done:
		return report(ios.ErrOut, cmd, err)
	case <-forced:
		fmt.Fprintln(ios.ErrOut, "connect-standalone: forced exit")
		return exitInterrupted
	}
}

// addCommands registers the subcommands on the root command. A worker file
// named like one of them is still a worker file when given as ./NAME.
func addCommands(root *cobra.Command, ios *IOStreams) {
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(
		newCmdKafka(ios, nil),
		newCmdValidate(ios),
		newCmdPlugins(ios),
		newCmdOffsets(ios),
	)
	root.AddCommand(newClientCommands(ios)...)
}

// usageError is a usage error of a subcommand. Unlike a *FlagError, whose
// report shows the root command's usage, it points at the subcommand's own
// help. It exits 1, as every usage error.
type usageError struct {
	path string // the subcommand's command line, e.g. "connect-standalone kafka"
	err  error
}

func usage(path string, err error) error { return &usageError{path: path, err: err} }

func (e *usageError) Error() string {
	return fmt.Sprintf("%v\nRun '%s --help' for usage.", e.err, e.path)
}
func (e *usageError) Unwrap() error { return e.err }

// report prints err once, one problem per line, and returns its exit code.
func report(w io.Writer, cmd *cobra.Command, err error) int {
	if err == nil {
		return exitOK
	}
	for line := range strings.SplitSeq(strings.TrimRight(err.Error(), "\n"), "\n") {
		fmt.Fprintf(w, "connect-standalone: %s\n", line)
	}
	if errors.As(err, new(*FlagError)) {
		// The usage without the long examples keeps the error in view.
		fmt.Fprintf(w, "\nUsage:\n  %s\n\nFlags:\n%s\nRun 'connect-standalone --help' for examples.\n",
			cmd.UseLine(), cmd.Flags().FlagUsages())
	}
	return exitCode(err)
}

// exitCode maps an error to Kafka's exit codes. A worker-level problem wins
// over a connector-level one, as Kafka checks the worker first.
func exitCode(err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, new(*FlagError)):
		return exitError
	case errors.Is(err, runner.ErrWorkerConfig), errors.Is(err, runner.ErrKafkaConnect):
		return exitWorker
	case errors.Is(err, runner.ErrConnectorConfig), errors.Is(err, runner.ErrStart):
		return exitConnector
	}
	return exitError
}

// classified tags err with a class that exitCode recognises, without adding
// the class's text to the message the user sees.
type classified struct {
	err   error
	class error
}

func classify(err, class error) error {
	if err == nil {
		return nil
	}
	return &classified{err: err, class: class}
}

func (c *classified) Error() string   { return c.err.Error() }
func (c *classified) Unwrap() []error { return []error{c.err, c.class} }
