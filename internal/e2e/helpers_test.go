package e2e

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Deadlines are generous: they bound a hung test, they are not assertions
// about speed.
const (
	startDeadline = 60 * time.Second // until data shows up
	stopDeadline  = 30 * time.Second // from a signal to the exit
)

var (
	binary   string // the connect-standalone binary built by TestMain
	buildErr error
)

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		m.Run()
		return
	}
	dir, err := os.MkdirTemp("", "connect-standalone-e2e-")
	if err != nil {
		buildErr = err
		m.Run()
		return
	}
	defer os.RemoveAll(dir)
	binary, buildErr = build(dir)
	m.Run()
}

// build compiles the module's main package once for every test. With
// GOCOVERDIR set, the binary is built with -cover and the runs' coverage
// lands there (the children inherit the variable).
func build(dir string) (string, error) {
	out := filepath.Join(dir, "connect-standalone")
	args := []string{"build", "-o", out}
	if os.Getenv("GOCOVERDIR") != "" {
		args = append(args, "-cover", "-coverpkg=github.com/connect-standalone/connect-standalone/...")
	}
	args = append(args, ".")
	c := exec.Command("go", args...)
	c.Dir = filepath.Join("..", "..") // the module root, from this package's directory
	if b, err := c.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, b)
	}
	return out, nil
}

// needBinary skips under -short and fails when the build did.
func needBinary(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end: skipped with -short")
	}
	if buildErr != nil {
		t.Fatalf("build connect-standalone: %v", buildErr)
	}
}

// freeAddr returns 127.0.0.1:<port> where nothing listens right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func port(t *testing.T, addr string) string {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// proc is one run of the binary. Its output is captured; it is killed when
// the test ends if it is still running.
type proc struct {
	name   string
	cmd    *exec.Cmd
	stdin  io.WriteCloser // nil unless asked for
	stdout *syncBuffer
	stderr *syncBuffer
	done   chan struct{} // closed once the process has exited
	state  *os.ProcessState
}

// run starts the binary in dir with args. withStdin gives the test the
// process's standard input; otherwise it reads from /dev/null.
func run(t *testing.T, dir string, withStdin bool, args ...string) *proc {
	t.Helper()
	p := &proc{
		name:   fmt.Sprintf("connect-standalone %s", strings.Join(args, " ")),
		cmd:    exec.Command(binary, args...),
		stdout: &syncBuffer{},
		stderr: &syncBuffer{},
		done:   make(chan struct{}),
	}
	p.cmd.Dir = dir
	p.cmd.Stdout = p.stdout
	p.cmd.Stderr = p.stderr
	if withStdin {
		// A pipe from StdinPipe, unlike an io.Reader, needs no copying
		// goroutine that Wait would wait for.
		w, err := p.cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		p.stdin = w
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", p.name, err)
	}
	go func() {
		_ = p.cmd.Wait() // the exit status is read from ProcessState
		p.state = p.cmd.ProcessState
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		if p.stdin != nil {
			p.stdin.Close()
		}
		if t.Failed() {
			t.Logf("%s\n--- stderr ---\n%s--- stdout ---\n%s", p.name, p.stderr, p.stdout)
		}
	})
	return p
}

// exit waits for the process to end and returns its exit code.
func (p *proc) exit(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
		return p.state.ExitCode()
	case <-time.After(within):
		t.Fatalf("%s did not exit within %s", p.name, within)
		return -1
	}
}

// stop sends SIGTERM and expects a clean exit.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("signal %s: %v", p.name, err)
	}
	if code := p.exit(t, stopDeadline); code != 0 {
		t.Fatalf("exit code after SIGTERM = %d, want 0", code)
	}
}

// runThenKill runs the binary with args in dir for life, then kills it with
// SIGKILL, as a crash would. It fails when the worker exited by itself.
func runThenKill(t *testing.T, dir string, life time.Duration, args ...string) {
	t.Helper()
	p := run(t, dir, false, args...)
	time.Sleep(life)
	if p.exited() {
		t.Fatalf("%s exited by itself with code %d", p.name, p.state.ExitCode())
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if code := p.exit(t, stopDeadline); code != -1 || !p.state.Sys().(syscall.WaitStatus).Signaled() {
		t.Fatalf("%s: exit code = %d, want death by SIGKILL", p.name, code)
	}
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// eventually polls cond until it holds. It fails early when p exits, as
// nothing will change any more.
func eventually(t *testing.T, p *proc, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if p != nil && p.exited() {
			if cond() {
				return
			}
			t.Fatalf("waiting for %s: %s exited with code %d", what, p.name, p.state.ExitCode())
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: not done within %s", what, within)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// example reads a file shipped in examples/.
func example(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
	if err != nil {
		t.Fatalf("read the shipped example: %v", err)
	}
	return string(b)
}

// setProps returns a .properties text with the given keys set: a line
// defining a key is replaced in place, missing keys are appended. Comments
// and every other line are kept as they are.
func setProps(text string, set map[string]string) string {
	done := make(map[string]bool)
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	for i, line := range lines {
		trimmed := strings.TrimLeft(line, " \t\f")
		if trimmed == "" || trimmed[0] == '#' || trimmed[0] == '!' {
			continue
		}
		key := trimmed
		if j := strings.IndexAny(trimmed, "=: \t\f"); j >= 0 {
			key = trimmed[:j]
		}
		if v, ok := set[key]; ok {
			lines[i] = key + "=" + v
			done[key] = true
		}
	}
	for k, v := range set {
		if !done[k] {
			lines = append(lines, k+"="+v)
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// workerProps is the shipped worker file pointed at bootstrap, with its
// offsets file in dir.
func workerProps(t *testing.T, dir, bootstrap string, extra map[string]string) string {
	t.Helper()
	set := map[string]string{
		"bootstrap.servers":            bootstrap,
		"offset.storage.file.filename": filepath.Join(dir, "connect.offsets"),
		"listeners":                    "http://127.0.0.1:0", // tests run in parallel: no fixed port
	}
	for k, v := range extra {
		set[k] = v
	}
	return setProps(example(t, "connect-standalone.properties"), set)
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func appendFile(t *testing.T, path, content string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(content); err != nil {
		t.Fatal(err)
	}
}

// readFile returns a file's content, or "" while it does not exist yet.
func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return string(b)
}

// numbered returns lines prefix-<from>..prefix-<to-1>, each ended by "\n".
func numbered(prefix string, from, to int) string {
	var b strings.Builder
	for i := from; i < to; i++ {
		b.WriteString(prefix + "-" + strconv.Itoa(i) + "\n")
	}
	return b.String()
}
