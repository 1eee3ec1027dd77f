package s3

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/connect-standalone/connect-standalone/config"
)

// gofakes3Version is the gofakes3 whose server the end-to-end test runs,
// the one go.mod requires.
const gofakes3Version = "v1.2.0"

// TestEndToEnd runs the connect-standalone binary with examples/s3-sink.properties
// against gofakes3's own server in another process: lines of a file go
// through the embedded Kafka into objects of flush.size records. A restart
// is not tested here: the embedded Kafka forgets its topics when it stops.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: skipped with -short")
	}
	bin := t.TempDir()
	root := filepath.Join("..", "..", "..")
	goCmd(t, root, nil, "build", "-o", filepath.Join(bin, "connect-standalone"), ".")
	worker := filepath.Join(bin, "connect-standalone")
	if out, err := exec.Command(worker, "plugins", "list").CombinedOutput(); err != nil {
		t.Fatalf("plugins list: %v\n%s", err, out)
	} else if !bytes.Contains(out, []byte(Class)) {
		t.Skip(Class + " is not registered in connectors/builtin yet")
	}
	// go.mod lacks the modules of gofakes3's other backends, so its
	// command is installed on its own, with its own go.mod.
	goCmd(t, t.TempDir(), []string{"GOBIN=" + bin, "GOFLAGS="}, "install", "github.com/johannesboyne/gofakes3/cmd/gofakes3@"+gofakes3Version)

	s3Addr := freeAddr(t)
	startProcess(t, "gofakes3", exec.Command(filepath.Join(bin, "gofakes3"),
		"-backend", "memory", "-host", s3Addr, "-initialbucket", "connect-test", "-quiet"))
	waitListening(t, s3Addr)
	storeURL := "http://" + s3Addr

	dir := t.TempDir()
	bootstrap := freeAddr(t)
	writeProps(t, dir, "worker.properties", example(t, "connect-standalone.properties"), map[string]string{
		"bootstrap.servers":            bootstrap,
		"offset.storage.file.filename": filepath.Join(dir, "connect.offsets"),
		"offset.flush.interval.ms":     "500",
		"listeners":                    "http://127.0.0.1:0",
	})
	input := filepath.Join(dir, "input.txt")
	if err := os.WriteFile(input, []byte(numberedLines(0, 7)), 0o644); err != nil {
		t.Fatal(err)
	}
	writeProps(t, dir, "source.properties", example(t, "connect-file-source.properties"), map[string]string{
		"file": input, "topic": "s3-test",
	})
	sink := example(t, "s3-sink.properties")
	if sink["topics"] != "s3-test" || sink[KeyBucket] != "connect-test" {
		t.Fatalf("examples/s3-sink.properties changed: %v", sink)
	}
	writeProps(t, dir, "s3-sink.properties", sink, map[string]string{KeyStoreURL: storeURL})

	client := s3.New(s3.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(storeURL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	objects := func() map[string]string {
		out, err := client.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String("connect-test")})
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		m := map[string]string{}
		for _, o := range out.Contents {
			got, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("connect-test"), Key: o.Key})
			if err != nil {
				t.Fatalf("get %s: %v", aws.ToString(o.Key), err)
			}
			var b bytes.Buffer
			b.ReadFrom(got.Body)
			got.Body.Close()
			m[aws.ToString(o.Key)] = b.String()
		}
		return m
	}
	const prefix = "topics/s3-test/partition=0/s3-test+0+"
	want := map[string]string{
		prefix + "0000000000.json": jsonLines(0, 3),
		prefix + "0000000003.json": jsonLines(3, 6),
	}

	v := exec.Command(worker, "validate", "--strict", "worker.properties", "s3-sink.properties")
	v.Dir = dir
	if out, err := v.CombinedOutput(); err != nil {
		t.Fatalf("validate --strict: %v\n%s", err, out)
	}

	c := exec.Command(worker, "--embedded-kafka", "worker.properties", "source.properties", "s3-sink.properties")
	c.Dir = dir
	c.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=e2e", "AWS_SECRET_ACCESS_KEY=e2e-secret",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE=/nonexistent", "AWS_SHARED_CREDENTIALS_FILE=/nonexistent")
	p := startProcess(t, "connect-standalone", c)
	// Line 6 stays in an open object: flush.size is 3.
	eventuallyEqual(t, "two objects of three lines", objects, want)

	appendLines(t, input, numberedLines(7, 10))
	want[prefix+"0000000006.json"] = jsonLines(6, 9)
	eventuallyEqual(t, "a third object from line 6", objects, want)

	// Line 9's object is still open when the worker stops: it is
	// abandoned, never visible half written.
	stop(t, p)
	if got := objects(); !maps.Equal(got, want) {
		t.Fatalf("objects after stop: %q, want %q", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
}

func goCmd(t *testing.T, dir string, env []string, args ...string) {
	t.Helper()
	c := exec.Command("go", args...)
	c.Dir = dir
	c.Env = append(os.Environ(), env...)
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// proc is a process the test started.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{} // closed once it exited
}

// startProcess starts c with its output captured, and kills it when the
// test ends if it still runs; the output is shown when the test failed.
func startProcess(t *testing.T, name string, c *exec.Cmd) *proc {
	t.Helper()
	var out syncBuffer
	c.Stdout, c.Stderr = &out, &out
	if err := c.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	p := &proc{cmd: c, done: make(chan struct{})}
	go func() {
		_ = c.Wait() // the exit status is read from ProcessState
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = c.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("--- %s output ---\n%s", name, out.String())
		}
	})
	return p
}

// stop sends SIGTERM and waits for a clean exit.
func stop(t *testing.T, p *proc) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Fatal("connect-standalone did not exit within 30s of SIGTERM")
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit code after SIGTERM = %d, want 0", code)
	}
}

// syncBuffer is a bytes.Buffer safe for the writes of a process's stdout
// and stderr copiers.
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

func eventuallyEqual(t *testing.T, what string, get func() map[string]string, want map[string]string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		got := get()
		if maps.Equal(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: objects %q, want %q", what, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitListening(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing listens on %s: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// example loads a file of examples/ with the worker's loader.
func example(t *testing.T, name string) map[string]string {
	t.Helper()
	p, err := config.LoadProperties(filepath.Join("..", "..", "..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func writeProps(t *testing.T, dir, name string, props, set map[string]string) {
	t.Helper()
	all := maps.Clone(props)
	maps.Copy(all, set)
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(all)) {
		fmt.Fprintf(&b, "%s=%s\n", k, all[k])
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendLines(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

func numberedLines(from, to int) string {
	var b strings.Builder
	for i := from; i < to; i++ {
		fmt.Fprintf(&b, "line-%d\n", i)
	}
	return b.String()
}

// jsonLines is what JsonFormat writes for numberedLines: JSON strings.
func jsonLines(from, to int) string {
	var b strings.Builder
	for i := from; i < to; i++ {
		fmt.Fprintf(&b, "\"line-%d\"\n", i)
	}
	return b.String()
}
