package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

func produce(t *testing.T, addr, topic string, values ...string) {
	t.Helper()
	cfg := sarama.NewConfig()
	cfg.Producer.Return.Successes = true
	p, err := sarama.NewSyncProducer([]string{addr}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	msgs := make([]*sarama.ProducerMessage, len(values))
	for i, v := range values {
		msgs[i] = &sarama.ProducerMessage{Topic: topic, Value: sarama.StringEncoder(v)}
	}
	if err := p.SendMessages(msgs); err != nil {
		t.Fatal(err)
	}
}

func TestConsume(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	var values []string
	for i := range 2500 {
		values = append(values, "line-"+strconv.Itoa(i))
	}
	produce(t, addr, "in", values...)
	out := filepath.Join(t.TempDir(), "out.txt")

	var stderr bytes.Buffer
	if code := run([]string{"consume", "-brokers", addr, "-topic", "in", "-out", out}, io.Discard, &stderr); code != 0 {
		t.Fatalf("exit code %d: %s", code, &stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Join(values, "\n") + "\n"; string(b) != want {
		t.Errorf("wrote %d bytes, want the %d values one per line", len(b), len(values))
	}
}

// checkWaiter runs a waiter with args, then, once it is ready, calls
// before (what must not end the wait yet) and trigger (what must), and
// checks that it printed a time between trigger's start and now and exited 0.
func checkWaiter(t *testing.T, args []string, before, trigger func()) {
	t.Helper()
	r, w := io.Pipe()
	code := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		code <- run(args, w, &stderr)
		w.Close()
	}()
	lines := bufio.NewScanner(r)
	if !lines.Scan() || lines.Text() != "ready" {
		t.Fatalf("first line %q, want ready; stderr: %s", lines.Text(), &stderr)
	}
	if before != nil {
		before()
		time.Sleep(50 * time.Millisecond) // several looks at what is not enough
	}
	from := time.Now().UnixMicro()
	trigger()
	if !lines.Scan() {
		t.Fatalf("no time printed; stderr: %s", &stderr)
	}
	at, err := strconv.ParseInt(lines.Text(), 10, 64)
	if err != nil {
		t.Fatalf("printed %q, want microseconds", lines.Text())
	}
	if to := time.Now().UnixMicro(); at < from || at > to {
		t.Errorf("%s: seen at %d, outside [%d, %d]", args[0], at, from, to)
	}
	if c := <-code; c != 0 {
		t.Errorf("exit code %d: %s", c, &stderr)
	}
}

func TestWaitFirst(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	checkWaiter(t, []string{"wait-first", "-brokers", addr, "-topic", "first", "-timeout", "30s"},
		nil, func() { produce(t, addr, "first", "one") })
}

func TestWaitCount(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	checkWaiter(t, []string{"wait-count", "-brokers", addr, "-topic", "count", "-n", "3", "-timeout", "30s"},
		func() { produce(t, addr, "count", "one", "two") },
		func() { produce(t, addr, "count", "three") })
}

func TestWaitSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt") // missing at first
	checkWaiter(t, []string{"wait-size", "-path", path, "-n", "10", "-timeout", "30s"},
		func() {
			if err := os.WriteFile(path, []byte("12345"), 0o644); err != nil {
				t.Fatal(err)
			}
		},
		func() {
			f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.WriteString("67890"); err != nil {
				t.Fatal(err)
			}
		})
}

func TestWaitCountTimeout(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"wait-count", "-brokers", addr, "-topic", "few", "-n", "2", "-timeout", "100ms"}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit code %d, want 1; stderr: %s", code, &stderr)
	}
	if !strings.Contains(stderr.String(), "few holds 0 of 2 records") {
		t.Errorf("stderr %q does not say how many records the topic holds", &stderr)
	}
}

func TestDeleteTopics(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	produce(t, addr, "a", "x")
	produce(t, addr, "b", "y")
	var stderr bytes.Buffer
	if code := run([]string{"delete-topics", "-brokers", addr, "a", "missing"}, io.Discard, &stderr); code != 0 {
		t.Fatalf("exit code %d: %s", code, &stderr)
	}
	admin, err := sarama.NewClusterAdmin([]string{addr}, sarama.NewConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	topics, err := admin.ListTopics()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range topics {
		names = append(names, n)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"b"}) {
		t.Errorf("topics after delete: %q, want [b]", names)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"nope"},
		{"consume", "-topic", "t"},
		{"wait-first"},
		{"wait-count", "-topic", "t"},
		{"wait-size", "-n", "3"},
		{"wait-rows", "-dsn", "host=127.0.0.1", "-n", "3"},
		{"wait-rows", "-query", "SELECT 1", "-n", "3"},
		{"consume", "-bad-flag"},
	} {
		if code := run(args, io.Discard, io.Discard); code != 2 {
			t.Errorf("run(%q) = %d, want 2", args, code)
		}
	}
}
