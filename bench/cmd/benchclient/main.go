// Command benchclient is the Go side of bench/run.sh: a plain sarama
// consumer to compare the file sink with, precise detectors of a topic's
// first record (start-up benchmark) and of its last (source benchmark), a
// watcher of a file's size (sink benchmark), and topic deletion between
// rounds; and for bench/jdbc.sh, a watcher of a PostgreSQL table's row
// count (JDBC sink benchmark).
//
//	benchclient consume -brokers ADDR -topic T -out FILE
//	benchclient wait-first -brokers ADDR -topic T [-timeout D]
//	benchclient wait-count -brokers ADDR -topic T -n N [-timeout D]
//	benchclient wait-size -path FILE -n BYTES [-timeout D]
//	benchclient wait-rows -dsn DSN -query SQL -n N [-interval D] [-timeout D]
//	benchclient delete-topics -brokers ADDR TOPIC...
//
// consume copies every record of T present at start, oldest first, to FILE,
// one value per line, and exits. wait-first creates T, prints "ready", and
// once the first record arrives prints the wall clock in microseconds since
// the Unix epoch. wait-count does the same once T holds N records, and
// wait-size once FILE holds N bytes, and wait-rows once the PostgreSQL
// query SQL (e.g. SELECT count(*) FROM t) returns N or more. It exits 1 on any failure, 2 on a
// usage error.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/IBM/sarama"
	"github.com/rcrowley/go-metrics"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage:
  benchclient consume -brokers ADDR -topic T -out FILE
  benchclient wait-first -brokers ADDR -topic T [-timeout D]
  benchclient wait-count -brokers ADDR -topic T -n N [-timeout D]
  benchclient wait-size -path FILE -n BYTES [-timeout D]
  benchclient wait-rows -dsn DSN -query SQL -n N [-interval D] [-timeout D]
  benchclient delete-topics -brokers ADDR TOPIC...`

func run(args []string, stdout, stderr io.Writer) int {
	// No sarama metrics are read, and each client would otherwise start a
	// meter goroutine that is never stopped.
	metrics.UseNilMetrics = true
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	flags := flag.NewFlagSet("benchclient "+args[0], flag.ContinueOnError)
	flags.SetOutput(stderr)
	brokers := flags.String("brokers", "127.0.0.1:9092", "bootstrap address(es), comma-separated")
	topic := flags.String("topic", "", "topic")
	out := flags.String("out", "", "output file (consume)")
	timeout := flags.Duration("timeout", time.Minute, "give up waiting after this long (wait-*)")
	count := flags.Int64("n", 0, "records (wait-count), bytes (wait-size) or rows (wait-rows) to wait for")
	path := flags.String("path", "", "file to watch (wait-size)")
	dsn := flags.String("dsn", "", "PostgreSQL connection string, URL or key=value (wait-rows)")
	query := flags.String("query", "", "query returning one integer (wait-rows)")
	interval := flags.Duration("interval", 100*time.Millisecond, "shortest wait between queries (wait-rows)")
	if err := flags.Parse(args[1:]); err != nil {
		return 2
	}
	addrs := strings.Split(*brokers, ",")
	var err error
	switch args[0] {
	case "consume":
		if *topic == "" || *out == "" || flags.NArg() > 0 {
			fmt.Fprintln(stderr, usage)
			return 2
		}
		err = consume(addrs, *topic, *out)
	case "wait-first":
		if *topic == "" || flags.NArg() > 0 {
			fmt.Fprintln(stderr, usage)
			return 2
		}
		err = waitFirst(addrs, *topic, *timeout, stdout)
	case "wait-count":
		if *topic == "" || *count <= 0 || flags.NArg() > 0 {
			fmt.Fprintln(stderr, usage)
			return 2
		}
		err = waitCount(addrs, *topic, *count, *timeout, stdout)
	case "wait-size":
		if *path == "" || *count <= 0 || flags.NArg() > 0 {
			fmt.Fprintln(stderr, usage)
			return 2
		}
		err = waitSize(*path, *count, *timeout, stdout)
	case "wait-rows":
		if *dsn == "" || *query == "" || *count <= 0 || *interval <= 0 || flags.NArg() > 0 {
			fmt.Fprintln(stderr, usage)
			return 2
		}
		err = waitRows(*dsn, *query, *count, *interval, *timeout, stdout, stderr)
	case "delete-topics":
		err = deleteTopics(addrs, flags.Args())
	default:
		fmt.Fprintln(stderr, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "benchclient %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

// consume writes the value of every record in topic up to the end offsets
// read at start to path, each followed by '\n': a plain partition consumer,
// no group, no commits. It leaves the client open for the process exit to
// close: a graceful Close waits for the fetch in flight, which the broker
// holds for Consumer.MaxWaitTime (500 ms) once there is nothing left.
func consume(addrs []string, topic, path string) (err error) {
	cfg := sarama.NewConfig()
	cfg.Consumer.Return.Errors = true
	client, err := sarama.NewClient(addrs, cfg)
	if err != nil {
		return err
	}
	consumer, err := sarama.NewConsumerFromClient(client)
	if err != nil {
		return err
	}
	partitions, err := client.Partitions(topic)
	if err != nil {
		return err
	}

	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriterSize(f, 64<<10)
	for _, p := range partitions {
		start, err := client.GetOffset(topic, p, sarama.OffsetOldest)
		if err != nil {
			return err
		}
		end, err := client.GetOffset(topic, p, sarama.OffsetNewest)
		if err != nil {
			return err
		}
		if start >= end {
			continue
		}
		pc, err := consumer.ConsumePartition(topic, p, start)
		if err != nil {
			return err
		}
		if err := copyPartition(pc, w, end); err != nil {
			return fmt.Errorf("%s/%d: %w", topic, p, err)
		}
	}
	return w.Flush()
}

func copyPartition(pc sarama.PartitionConsumer, w *bufio.Writer, end int64) error {
	for {
		select {
		case m := <-pc.Messages():
			w.Write(m.Value) // errors stay in w and come back from Flush
			w.WriteByte('\n')
			if m.Offset >= end-1 {
				return nil
			}
		case err := <-pc.Errors():
			return err
		}
	}
}

// createTopic creates topic with one partition, as the broker's automatic
// creation would, unless it exists, and connects a client that knows it.
func createTopic(addrs []string, topic string) (sarama.Client, error) {
	cfg := sarama.NewConfig()
	cfg.Consumer.Return.Errors = true
	client, err := sarama.NewClient(addrs, cfg)
	if err != nil {
		return nil, err
	}
	admin, err := sarama.NewClusterAdminFromClient(client)
	if err == nil {
		err = admin.CreateTopic(topic, &sarama.TopicDetail{NumPartitions: 1, ReplicationFactor: 1}, false)
		if errors.Is(err, sarama.ErrTopicAlreadyExists) {
			err = nil
		}
		if err != nil {
			err = fmt.Errorf("create topic %s: %w", topic, err)
		}
	}
	if err == nil {
		err = client.RefreshMetadata(topic)
	}
	if err != nil {
		client.Close()
		return nil, err
	}
	return client, nil
}

// waitFirst creates topic, prints "ready" once it is fetching from the
// start of partition 0, then prints the Unix time in microseconds at which
// the first record arrived.
func waitFirst(addrs []string, topic string, timeout time.Duration, stdout io.Writer) error {
	client, err := createTopic(addrs, topic)
	if err != nil {
		return err
	}
	defer client.Close()
	consumer, err := sarama.NewConsumerFromClient(client)
	if err != nil {
		return err
	}
	defer consumer.Close()
	pc, err := consumer.ConsumePartition(topic, 0, sarama.OffsetOldest)
	if err != nil {
		return err
	}
	defer pc.Close()
	if _, err := fmt.Fprintln(stdout, "ready"); err != nil {
		return err
	}
	select {
	case <-pc.Messages():
		_, err := fmt.Fprintln(stdout, time.Now().UnixMicro())
		return err
	case err := <-pc.Errors():
		return err
	case <-time.After(timeout):
		return fmt.Errorf("no record in %s within %s", topic, timeout)
	}
}

// waitCount creates topic, prints "ready", then asks for its end offset
// every few milliseconds over one connection, and prints the Unix time in
// microseconds at which it first saw n records. Asking costs the broker and
// the machine far less than a new client process per look.
func waitCount(addrs []string, topic string, n int64, timeout time.Duration, stdout io.Writer) error {
	client, err := createTopic(addrs, topic)
	if err != nil {
		return err
	}
	defer client.Close()
	return waitFor(n, timeout, stdout, func() (int64, error) {
		return client.GetOffset(topic, 0, sarama.OffsetNewest)
	}, func(have int64) error {
		return fmt.Errorf("%s holds %d of %d records after %s", topic, have, n, timeout)
	})
}

// waitSize prints "ready", then looks at path's size every few milliseconds
// and prints the Unix time in microseconds at which it first saw n bytes or
// more. A missing file counts as empty.
func waitSize(path string, n int64, timeout time.Duration, stdout io.Writer) error {
	return waitFor(n, timeout, stdout, func() (int64, error) {
		fi, err := os.Stat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		return fi.Size(), nil
	}, func(have int64) error {
		return fmt.Errorf("%s holds %d of %d bytes after %s", path, have, n, timeout)
	})
}

// waitFor prints "ready", then calls look every 5 ms until it returns n or
// more, and prints the Unix time in microseconds at which it did. After
// timeout it gives up with late's error.
func waitFor(n int64, timeout time.Duration, stdout io.Writer, look func() (int64, error), late func(have int64) error) error {
	if _, err := fmt.Fprintln(stdout, "ready"); err != nil {
		return err
	}
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		have, err := look()
		if err != nil {
			return err
		}
		if have >= n {
			_, err := fmt.Fprintln(stdout, time.Now().UnixMicro())
			return err
		}
		if time.Now().After(deadline) {
			return late(have)
		}
		<-tick.C
	}
}

// deleteTopics deletes the topics, so the broker can free their memory.
func deleteTopics(addrs []string, topics []string) error {
	admin, err := sarama.NewClusterAdmin(addrs, sarama.NewConfig())
	if err != nil {
		return err
	}
	defer admin.Close()
	var errs []error
	for _, t := range topics {
		if err := admin.DeleteTopic(t); err != nil && !errors.Is(err, sarama.ErrUnknownTopicOrPartition) {
			errs = append(errs, fmt.Errorf("delete topic %s: %w", t, err))
		}
	}
	return errors.Join(errs...)
}
