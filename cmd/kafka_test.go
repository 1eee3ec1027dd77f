package cmd

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestRootRoutesFilesAndKafka checks that adding the subcommand changed
// nothing for file arguments: only a first argument spelled "kafka" selects
// it, and a file that merely looks like it stays a file.
func TestRootRoutesFilesAndKafka(t *testing.T) {
	tests := []struct {
		name       string
		argv       []string
		wantWorker string
		wantConns  []string
	}{
		{"worker and connector", []string{"worker.properties", "conn.properties"}, "worker.properties", []string{"conn.properties"}},
		{"worker named like the subcommand", []string{"kafka.properties"}, "kafka.properties", []string{}},
		{"a file named kafka, as a path", []string{"./kafka", "c.properties"}, "./kafka", []string{"c.properties"}},
		{"a connector file named kafka", []string{"w.properties", "kafka"}, "w.properties", []string{"kafka"}},
		{"a file named kafka after --", []string{"--", "kafka"}, "kafka", []string{}},
		{"root flags before files", []string{"--embedded-kafka", "--log-level", "warn", "w.properties"}, "w.properties", []string{}},
		{"a file named completion", []string{"completion", "bash"}, "completion", []string{"bash"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, stdout, stderr := testIO()
			var got *StandaloneOptions
			code := execute(t.Context(), tt.argv, ios, nil, func(o *StandaloneOptions) error {
				got = o
				return nil
			})
			if code != 0 {
				t.Fatalf("exit code = %d, want 0; stderr:\n%s", code, stderr)
			}
			if got == nil {
				t.Fatalf("the worker did not run; stdout:\n%s", stdout)
			}
			if got.WorkerFile != tt.wantWorker || strings.Join(got.ConnectorFiles, ",") != strings.Join(tt.wantConns, ",") {
				t.Errorf("worker %q, connectors %q; want %q, %q", got.WorkerFile, got.ConnectorFiles, tt.wantWorker, tt.wantConns)
			}
		})
	}
}

func TestNewCmdKafka(t *testing.T) {
	tests := []struct {
		name      string
		argv      []string
		want      KafkaOptions
		wantUsage string // substring of a usage error
	}{
		{name: "defaults", argv: []string{}, want: KafkaOptions{Listen: "127.0.0.1:9092", LogLevel: slog.LevelInfo}},
		{name: "listen", argv: []string{"--listen", "127.0.0.1:0"}, want: KafkaOptions{Listen: "127.0.0.1:0", LogLevel: slog.LevelInfo}},
		{name: "listen with =", argv: []string{"--listen=[::1]:19092"}, want: KafkaOptions{Listen: "[::1]:19092", LogLevel: slog.LevelInfo}},
		{name: "every interface", argv: []string{"--listen", ":9093"}, want: KafkaOptions{Listen: ":9093", LogLevel: slog.LevelInfo}},
		{name: "log level", argv: []string{"--log-level", "debug"}, want: KafkaOptions{Listen: "127.0.0.1:9092", LogLevel: slog.LevelDebug}},
		{name: "no host:port", argv: []string{"--listen", "localhost"}, wantUsage: `--listen "localhost": want HOST:PORT`},
		{name: "bad port", argv: []string{"--listen", "localhost:70000"}, wantUsage: "the port must be a number from 0 to 65535"},
		{name: "argument", argv: []string{"worker.properties"}, wantUsage: `kafka takes no arguments, got "worker.properties"`},
		{name: "unknown flag", argv: []string{"--embedded-kafka"}, wantUsage: "unknown flag: --embedded-kafka"},
		{name: "bad log level", argv: []string{"--log-level", "loud"}, wantUsage: "want debug, info, warn or error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := testIO()
			var got *KafkaOptions
			c := newCmdKafka(ios, func(_ context.Context, o *KafkaOptions) error {
				got = o
				return nil
			})
			c.SetArgs(tt.argv)
			err := c.Execute()
			if tt.wantUsage != "" {
				if _, ok := err.(*usageError); !ok || !strings.Contains(err.Error(), tt.wantUsage) {
					t.Fatalf("Execute() error = %v, want a usage error containing %q", err, tt.wantUsage)
				}
				if got != nil {
					t.Fatal("the broker was started despite the usage error")
				}
				return
			}
			if err != nil {
				t.Fatalf("Execute() error = %v", err)
			}
			if got == nil {
				t.Fatal("runF was not called")
			}
			if got.IO != ios || got.Listen != tt.want.Listen || got.LogLevel != tt.want.LogLevel {
				t.Errorf("options = %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func TestKafkaUsageErrors(t *testing.T) {
	for _, argv := range [][]string{
		{"kafka", "extra"},
		{"kafka", "--nope"},
		{"kafka", "--listen", "nohost"},
	} {
		t.Run(strings.Join(argv, " "), func(t *testing.T) {
			ios, _, stdout, stderr := testIO()
			code := execute(t.Context(), argv, ios, nil, failRun(t))
			if code != 1 {
				t.Errorf("exit code = %d, want 1", code)
			}
			if !strings.HasSuffix(stderr.String(), "connect-standalone: Run 'connect-standalone kafka --help' for usage.\n") ||
				strings.Contains(stderr.String(), "WORKER_PROPERTIES") {
				t.Errorf("stderr = %q, want the error and a pointer to the subcommand's help", stderr)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

func TestKafkaHelp(t *testing.T) {
	ios, _, stdout, stderr := testIO()
	if code := execute(t.Context(), []string{"kafka", "--help"}, ios, nil, failRun(t)); code != 0 {
		t.Fatalf("exit code = %d, want 0; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{
		"connect-standalone kafka [--listen HOST:PORT]", "--listen", "--log-level",
		"127.0.0.1:9092", "listening on", "port 0", "SIGTERM", "in memory",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("kafka --help does not mention %q:\n%s", want, stdout)
		}
	}

	ios, _, stdout, _ = testIO()
	if code := execute(t.Context(), []string{"--help"}, ios, nil, failRun(t)); code != 0 {
		t.Fatalf("--help: exit code = %d, want 0", code)
	}
	if !strings.Contains(stdout.String(), "kafka ") || strings.Contains(stdout.String(), "completion") {
		t.Errorf("the root help should list the kafka subcommand and no completion command:\n%s", stdout)
	}
}

// TestKafkaRunsUntilSignal starts the real broker on a free port, connects
// to the address it prints and stops it as the first signal does.
func TestKafkaRunsUntilSignal(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out, errOut := &lockedBuffer{}, &lockedBuffer{}
	ios := &IOStreams{In: &bytes.Buffer{}, Out: out, ErrOut: errOut}
	codec := make(chan int, 1)
	go func() {
		codec <- execute(ctx, []string{"--log-level", "warn", "kafka", "--listen", "127.0.0.1:0"}, ios, make(chan struct{}), failRun(t))
	}()

	var addr string
	deadline := time.Now().Add(10 * time.Second)
	for addr == "" {
		if s, ok := strings.CutPrefix(out.String(), "listening on "); ok && strings.HasSuffix(s, "\n") {
			addr = strings.TrimSuffix(s, "\n")
			break
		}
		select {
		case code := <-codec:
			t.Fatalf("exited with %d before listening; stderr:\n%s", code, errOut)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no address printed; stdout %q, stderr:\n%s", out, errOut)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.HasPrefix(addr, "127.0.0.1:") || strings.HasSuffix(addr, ":0") {
		t.Fatalf("printed address %q, want 127.0.0.1 and the port picked", addr)
	}
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial the printed address: %v", err)
	}
	conn.Close()

	cancel() // the first SIGINT or SIGTERM
	select {
	case code := <-codec:
		if code != 0 {
			t.Errorf("exit code = %d, want 0; stderr:\n%s", code, errOut)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the broker did not stop")
	}
	// --log-level warn before the subcommand is the subcommand's flag: the
	// info lines are gone, the warning about memory is not.
	if s := errOut.String(); strings.Contains(s, "level=INFO") || !strings.Contains(s, "level=WARN") {
		t.Errorf("stderr at --log-level warn:\n%s", s)
	}
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("the broker still accepts connections after it stopped")
	}
}

func TestKafkaAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ios, _, stdout, stderr := testIO()
	code := execute(t.Context(), []string{"kafka", "--listen", ln.Addr().String()}, ios, nil, failRun(t))
	if code != 2 {
		t.Errorf("exit code = %d, want 2; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stderr.String(), ln.Addr().String()+" is already in use") {
		t.Errorf("stderr does not name the address in use:\n%s", stderr)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", stdout)
	}
}

// lockedBuffer is a bytes.Buffer written by the command's goroutine and read
// by the test's.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
