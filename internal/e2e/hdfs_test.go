package e2e

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/hamba/avro/v2/ocf"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/connect-standalone/connect-standalone/connectors/storage/partition"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// hdfsFiles lists the files below root/topics, relative to root, split
// into committed and temporary ones.
func hdfsFiles(t *testing.T, root string) (committed, temp []string) {
	t.Helper()
	err := filepath.WalkDir(filepath.Join(root, "topics"), func(p string, d os.DirEntry, err error) error {
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(rel, "topics/+tmp/") {
			temp = append(temp, rel)
		} else {
			committed = append(committed, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return committed, temp
}

// avroValues returns the values of an Avro container file's records,
// printed with fmt: a record's fields by name, via field, or the value
// itself when field is "".
func avroValues(t *testing.T, name, field string) []string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := ocf.NewDecoder(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out []string
	for dec.HasNext() {
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if m, ok := v.(map[string]any); ok && field != "" {
			v = m[field]
		}
		out = append(out, fmt.Sprint(v))
	}
	if err := dec.Error(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return out
}

// TestHDFSLab runs the classic lab with the shipped files: seven records
// through test_hdfs with flush.size=3 give two committed Avro files and the
// seventh waits; a clean stop discards it, and after a restart it is written
// again with two more records into the third file.
func TestHDFSLab(t *testing.T) {
	needBinary(t)
	t.Parallel()
	_, bootstrap := kafkatest.Cluster(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "hdfs")
	writeFile(t, dir, "worker.properties", workerProps(t, dir, bootstrap, map[string]string{"offset.flush.interval.ms": "500"}))
	writeFile(t, dir, "source.properties", example(t, "hdfs-lab-source.properties"))
	writeFile(t, dir, "sink.properties", setProps(example(t, "hdfs-connector.properties"), map[string]string{"hdfs.url": "file://" + out}))
	input := writeFile(t, dir, "test_hdfs.jsonl", example(t, "test_hdfs.jsonl"))
	args := []string{"worker.properties", "source.properties", "sink.properties"}

	p := run(t, dir, false, args...)
	want := []string{
		"topics/test_hdfs/partition=0/test_hdfs+0+0000000000+0000000002.avro",
		"topics/test_hdfs/partition=0/test_hdfs+0+0000000003+0000000005.avro",
	}
	eventually(t, p, startDeadline, "two committed files", func() bool {
		c, _ := hdfsFiles(t, out)
		return len(c) >= 2
	})
	committed, temp := hdfsFiles(t, out)
	if !slices.Equal(committed, want) {
		t.Fatalf("committed files %v, want %v", committed, want)
	}
	if len(temp) != 1 {
		t.Errorf("temporary files %v, want one holding the seventh record", temp)
	}
	if got := avroValues(t, filepath.Join(out, want[1]), "f1"); !slices.Equal(got, []string{"value4", "value5", "value6"}) {
		t.Errorf("%s holds %v", want[1], got)
	}
	p.stop(t)
	if _, temp := hdfsFiles(t, out); len(temp) != 0 {
		t.Errorf("temporary files %v left after a clean stop", temp)
	}

	lines := strings.Split(example(t, "test_hdfs.jsonl"), "\n")
	appendFile(t, input, strings.ReplaceAll(lines[0], "value1", "value8")+"\n"+strings.ReplaceAll(lines[0], "value1", "value9")+"\n")
	p = run(t, dir, false, args...)
	third := "topics/test_hdfs/partition=0/test_hdfs+0+0000000006+0000000008.avro"
	eventually(t, p, startDeadline, third, func() bool {
		c, _ := hdfsFiles(t, out)
		return len(c) == 3
	})
	p.stop(t)
	committed, _ = hdfsFiles(t, out)
	if !slices.Equal(committed, append(want, third)) {
		t.Fatalf("committed files %v, want %v", committed, append(want, third))
	}
	if got := avroValues(t, filepath.Join(out, third), "f1"); !slices.Equal(got, []string{"value7", "value8", "value9"}) {
		t.Errorf("%s holds %v", third, got)
	}
}

// TestHDFSExactlyOnceUnderKills produces records while the worker running
// the HDFS sink is killed with SIGKILL at random moments, during writes and
// commits, and restarted, against a broker that outlives every worker. In
// the end the committed files hold every record exactly once: their names
// cover the offsets without gap or overlap, and each holds the records of
// its offsets, in order.
func TestHDFSExactlyOnceUnderKills(t *testing.T) {
	needBinary(t)
	t.Parallel()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, seed))

	_, bootstrap := kafkatest.Cluster(t, kfake.GroupMinSessionTimeout(500*time.Millisecond))
	dir := t.TempDir()
	out := filepath.Join(dir, "hdfs")
	writeFile(t, dir, "worker.properties", workerProps(t, dir, bootstrap, map[string]string{
		"offset.flush.interval.ms":       "200",
		"consumer.session.timeout.ms":    "2000",
		"consumer.heartbeat.interval.ms": "400",
		"consumer.max.poll.interval.ms":  "2000",
		"value.converter":                "org.apache.kafka.connect.storage.StringConverter",
	}))
	writeFile(t, dir, "sink.properties", setProps(example(t, "hdfs-connector.properties"), map[string]string{
		"hdfs.url":        "file://" + out,
		"flush.size":      "7",
		"value.converter": "org.apache.kafka.connect.storage.StringConverter",
	}))

	const total = 3500 // a multiple of flush.size: every record ends up committed
	produced := make(chan error, 1)
	go func() {
		produced <- produceSlowly(bootstrap, "test_hdfs", total, 5*time.Second, func(i int) string { return fmt.Sprintf("record-%d", i) })
	}()

	for cycle := range 8 {
		life := 300*time.Millisecond + time.Duration(rng.Int64N(int64(1500*time.Millisecond)))
		runThenKill(t, dir, life, "worker.properties", "sink.properties")
		c, tmp := hdfsFiles(t, out)
		t.Logf("cycle %d: killed after %v with %d committed and %d temporary files", cycle, life, len(c), len(tmp))
	}
	if err := <-produced; err != nil {
		t.Fatal(err)
	}
	p := run(t, dir, false, "worker.properties", "sink.properties")
	last := partition.CommittedName("test_hdfs", 0, total-7, total-1, 10, ".avro")
	eventually(t, p, 2*startDeadline, "the last file "+last, func() bool {
		c, _ := hdfsFiles(t, out)
		return len(c) > 0 && path.Base(c[len(c)-1]) == last
	})
	p.stop(t)

	committed, temp := hdfsFiles(t, out)
	if len(temp) != 0 {
		t.Errorf("temporary files left: %v", temp)
	}
	next := int64(0)
	for _, name := range committed {
		f, err := partition.ParseCommittedName(path.Base(name))
		if err != nil {
			t.Fatalf("stray file %s", name)
		}
		if f.Start != next {
			t.Fatalf("%s starts at %d, want %d: a gap or an overlap", name, f.Start, next)
		}
		values := avroValues(t, filepath.Join(out, name), "")
		var want []string
		for o := f.Start; o <= f.End; o++ {
			want = append(want, fmt.Sprintf("record-%d", o))
		}
		if !slices.Equal(values, want) {
			t.Fatalf("%s holds %v, want %v", name, values, want)
		}
		next = f.End + 1
	}
	if next != total {
		t.Fatalf("committed files end at offset %d, want %d", next-1, total-1)
	}
}

// produceSlowly sends value(0) .. value(n-1) to partition 0 of topic, in
// batches spread over about d, so that a sink writes and commits throughout.
func produceSlowly(bootstrap, topic string, n int, d time.Duration, value func(i int) string) error {
	cfg := sarama.NewConfig()
	cfg.Producer.Return.Successes = true
	cfg.Producer.RequiredAcks = sarama.WaitForAll
	cfg.Producer.Partitioner = sarama.NewManualPartitioner
	p, err := sarama.NewSyncProducer([]string{bootstrap}, cfg)
	if err != nil {
		return err
	}
	defer p.Close()
	const batch = 50
	pause := d / time.Duration(n/batch)
	for i := 0; i < n; i += batch {
		var msgs []*sarama.ProducerMessage
		for j := i; j < min(i+batch, n); j++ {
			msgs = append(msgs, &sarama.ProducerMessage{Topic: topic, Partition: 0, Value: sarama.StringEncoder(value(j))})
		}
		if err := p.SendMessages(msgs); err != nil {
			return err
		}
		time.Sleep(pause)
	}
	return nil
}
