package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// TestTransformsExample runs the shipped transform examples: lines go into
// Kafka as JSON objects with a header, on a routed topic, and come back out
// of the sink's transforms as the original lines.
func TestTransformsExample(t *testing.T) {
	needBinary(t)
	t.Parallel()
	_, bootstrap := kafkatest.Cluster(t)
	dir := t.TempDir()
	writeFile(t, dir, "worker.properties", workerProps(t, dir, bootstrap, nil))
	writeFile(t, dir, "source.properties", example(t, "connect-file-source-transforms.properties"))
	writeFile(t, dir, "sink.properties", example(t, "connect-file-sink-transforms.properties"))
	lines := example(t, "test.txt")
	writeFile(t, dir, "test.txt", lines)
	sink := filepath.Join(dir, "test.sink.txt")

	p := run(t, dir, false, "worker.properties", "source.properties", "sink.properties")
	eventually(t, p, startDeadline, "test.sink.txt to equal test.txt", func() bool { return readFile(t, sink) == lines })

	first := strings.SplitN(lines, "\n", 2)[0]
	msg := consume(t, bootstrap, "test-lines", 1)[0]
	if want := `{"line":"` + first + `","file":"test.txt"}`; string(msg.Value) != want {
		t.Errorf("record in test-lines = %s, want %s", msg.Value, want)
	}
	if len(msg.Headers) != 1 || string(msg.Headers[0].Key) != "pipeline" || string(msg.Headers[0].Value) != "transforms-example" {
		t.Errorf("headers = %v, want pipeline: transforms-example", msg.Headers)
	}
	p.stop(t)
}

// TestTransformFailure feeds a Cast a line that is no number: the lines
// before it are delivered, the task fails with a message naming the
// transform and the record, and the stored offset stops before the bad
// line so a fixed configuration resumes there.
func TestTransformFailure(t *testing.T) {
	needBinary(t)
	t.Parallel()
	_, bootstrap := kafkatest.Cluster(t)
	dir := t.TempDir()
	writeFile(t, dir, "worker.properties", workerProps(t, dir, bootstrap, map[string]string{"offset.flush.interval.ms": "100"}))
	writeFile(t, dir, "source.properties", setProps(example(t, "connect-file-source.properties"), map[string]string{
		"transforms":            "toInt",
		"transforms.toInt.type": "org.apache.kafka.connect.transforms.Cast$Value",
		"transforms.toInt.spec": "int32",
		"value.converter":       "org.apache.kafka.connect.storage.StringConverter",
	}))
	writeFile(t, dir, "test.txt", "1\n22\nabc\n4\n")

	p := run(t, dir, false, "worker.properties", "source.properties")
	checkStoppedAfterGoodLines(t, p, dir, bootstrap, "transform toInt (org.apache.kafka.connect.transforms.Cast$Value)", "abc", "test.txt", "position")
}

// consume reads the first n records of partition 0 of topic.
func consume(t *testing.T, bootstrap, topic string, n int) []*sarama.ConsumerMessage {
	t.Helper()
	c, err := sarama.NewConsumer([]string{bootstrap}, sarama.NewConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pc, err := c.ConsumePartition(topic, 0, sarama.OffsetOldest)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	var out []*sarama.ConsumerMessage
	for len(out) < n {
		select {
		case m := <-pc.Messages():
			out = append(out, m)
		case <-time.After(startDeadline):
			t.Fatalf("only %d of %d records in %s", len(out), n, topic)
		}
	}
	return out
}
