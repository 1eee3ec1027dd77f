package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/runner"
)

func TestExitCodes(t *testing.T) {
	connErr := fmt.Errorf("%w: a.properties: tasks.max: invalid value", runner.ErrConnectorConfig)
	workerErr := fmt.Errorf("%w: key.converter: missing required configuration", runner.ErrWorkerConfig)
	tests := []struct {
		name       string
		err        error
		wantCode   int
		wantStderr string
	}{
		{"clean stop", nil, 0, ""},
		{"worker config", workerErr, 2, "connect-standalone: invalid worker configuration: key.converter: missing required configuration\n"},
		{"kafka unreachable", fmt.Errorf("%w at 127.0.0.1:1", runner.ErrKafkaConnect), 2, "connect-standalone: cannot connect to Kafka at 127.0.0.1:1\n"},
		{"connector config", connErr, 3, "connect-standalone: invalid connector configuration: a.properties: tasks.max: invalid value\n"},
		{"start failure", fmt.Errorf("%w: open offsets file /tmp/o: corrupt", runner.ErrStart), 3, "connect-standalone: failed to start: open offsets file /tmp/o: corrupt\n"},
		{"worker wins over connector", errors.Join(connErr, workerErr), 2,
			"connect-standalone: invalid connector configuration: a.properties: tasks.max: invalid value\n" +
				"connect-standalone: invalid worker configuration: key.converter: missing required configuration\n"},
		{"classified keeps the message", classify(errors.New("open w.properties: no such file or directory"), runner.ErrWorkerConfig), 2,
			"connect-standalone: open w.properties: no such file or directory\n"},
		{"joined problems one per line", fmt.Errorf("%w: %w", runner.ErrConnectorConfig, errors.Join(errors.New("a: x"), errors.New("b: y"))), 3,
			"connect-standalone: invalid connector configuration: a: x\nconnect-standalone: b: y\n"},
		{"anything else", errors.New("boom"), 1, "connect-standalone: boom\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, stdout, stderr := testIO()
			code := execute(t.Context(), []string{"w.properties"}, ios, nil, func(*StandaloneOptions) error { return tt.err })
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d", code, tt.wantCode)
			}
			if stderr.String() != tt.wantStderr {
				t.Errorf("stderr = %q, want %q", stderr, tt.wantStderr)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		argv []string
		want string
	}{
		{"no arguments", nil, "connect-standalone: missing the worker properties file\n"},
		{"daemon", []string{"-daemon", "w.properties"}, "connect-standalone: -daemon is not supported: run connect-standalone in the background with your shell (nohup ... &) or a service manager such as systemd\n"},
		{"unknown flag", []string{"--nope", "w.properties"}, "connect-standalone: unknown flag: --nope\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, stdout, stderr := testIO()
			code := execute(t.Context(), tt.argv, ios, nil, failRun(t))
			if code != 1 {
				t.Errorf("exit code = %d, want 1", code)
			}
			if !strings.HasPrefix(stderr.String(), tt.want) || !strings.Contains(stderr.String(), "Usage:\n  connect-standalone [flags] WORKER_PROPERTIES") {
				t.Errorf("stderr = %q, want %q followed by the usage", stderr, tt.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

func TestStopOnSignal(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	ios, _, _, stderr := testIO()
	started := make(chan struct{})
	go func() {
		<-started
		cancel() // the first signal
	}()
	code := execute(ctx, []string{"w.properties"}, ios, make(chan struct{}), func(*StandaloneOptions) error {
		close(started)
		<-ctx.Done() // the worker stops cleanly once cancelled
		return nil
	})
	if code != 0 {
		t.Errorf("exit code = %d, want 0; stderr: %s", code, stderr)
	}
}

func TestForcedExit(t *testing.T) {
	ios, _, _, stderr := testIO()
	forced := make(chan struct{})
	release := make(chan struct{})
	defer close(release)
	code := execute(t.Context(), []string{"w.properties"}, ios, forced, func(*StandaloneOptions) error {
		close(forced) // a second signal while the worker hangs in its stop
		<-release
		return nil
	})
	if code != 130 {
		t.Errorf("exit code = %d, want 130", code)
	}
	if stderr.String() != "connect-standalone: forced exit\n" {
		t.Errorf("stderr = %q, want the forced exit notice", stderr)
	}
}

func TestNotifySignals(t *testing.T) {
	ctx, forced, stop := notifySignals(t.Context())
	defer stop()
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the first signal did not cancel the context")
	}
	select {
	case <-forced:
		t.Fatal("one signal forced the exit")
	case <-time.After(50 * time.Millisecond):
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-forced:
	case <-time.After(10 * time.Second):
		t.Fatal("the second signal did not force the exit")
	}
}

// TestLoadProblems runs Main on bad files: it fails before the worker is
// built, so no Kafka is needed.
func TestLoadProblems(t *testing.T) {
	dir := t.TempDir()
	worker := write(t, dir, "worker.properties", "bootstrap.servers=localhost:9092\n")
	noName := write(t, dir, "no-name.properties", "connector.class=FileStreamSource\ntopic=t\n")
	missingWorker := filepath.Join(dir, "missing-worker.properties")
	missingConn := filepath.Join(dir, "missing-connector.properties")

	tests := []struct {
		name     string
		argv     []string
		wantCode int
		wantIn   []string
	}{
		{"missing worker file", []string{missingWorker}, 2, []string{missingWorker}},
		{"missing connector file", []string{worker, missingConn}, 3, []string{missingConn}},
		{"connector without name", []string{worker, noName}, 3, []string{noName, "name"}},
		{"every problem at once", []string{missingWorker, noName, missingConn}, 2, []string{missingWorker, noName, missingConn}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, stdout, stderr := testIO()
			code := Main(tt.argv, ios.In, ios.Out, ios.ErrOut)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tt.wantCode, stderr)
			}
			for _, w := range tt.wantIn {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr does not mention %q:\n%s", w, stderr)
				}
			}
			for line := range strings.SplitSeq(strings.TrimSpace(stderr.String()), "\n") {
				if !strings.HasPrefix(line, "connect-standalone: ") {
					t.Errorf("stderr line %q is not an error line", line)
				}
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

func TestFirstBootstrap(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"", "localhost:9092"},
		{"127.0.0.1:19092", "127.0.0.1:19092"},
		{" localhost:9093 , localhost:9094", "localhost:9093"},
		{",,localhost:9095", "localhost:9095"},
		{"PLAINTEXT://localhost:9096", "localhost:9096"},
		{"[::1]:9097", "[::1]:9097"},
	}
	for _, tt := range tests {
		props := map[string]string{}
		if tt.in != "" {
			props["bootstrap.servers"] = tt.in
		}
		if got := firstBootstrap(props); got != tt.want {
			t.Errorf("firstBootstrap(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
