package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// A line too large for one produce request stops the task with an error
// naming it, after the lines before it are in Kafka and their offset stored.
func TestRecordTooLargeStopsAtTheLine(t *testing.T) {
	needBinary(t)
	t.Parallel()
	dir, bootstrap := tooLargeLine(t, nil)
	p := run(t, dir, false, "worker.properties", "source.properties")
	checkStoppedAfterGoodLines(t, p, dir, bootstrap, "record too large", "max.request.size (1024 bytes)", `position\":2006`)
}

// tooLargeLine writes a worker whose requests hold at most 1024 bytes and a
// file source, with the extra connector keys, reading "1\n22\n<2000
// bytes>\n4\n" into connect-test. It returns the directory and broker.
func tooLargeLine(t *testing.T, extra map[string]string) (dir, bootstrap string) {
	t.Helper()
	_, bootstrap = kafkatest.Cluster(t)
	dir = t.TempDir()
	writeFile(t, dir, "worker.properties", workerProps(t, dir, bootstrap, map[string]string{
		"offset.flush.interval.ms":  "100",
		"producer.max.request.size": "1024",
	}))
	conn := map[string]string{"value.converter": "org.apache.kafka.connect.storage.StringConverter"}
	for k, v := range extra {
		conn[k] = v
	}
	writeFile(t, dir, "source.properties", setProps(example(t, "connect-file-source.properties"), conn))
	writeFile(t, dir, "test.txt", "1\n22\n"+strings.Repeat("x", 2000)+"\n4\n")
	return dir, bootstrap
}

// checkStoppedAfterGoodLines checks that the task reading "1\n22\n<bad>\n..."
// failed with an error holding each of wants, after delivering the two good
// lines and storing the offset past them.
func checkStoppedAfterGoodLines(t *testing.T, p *proc, dir, bootstrap string, wants ...string) {
	t.Helper()
	eventually(t, p, startDeadline, "the task to fail", func() bool { return strings.Contains(p.stderr.String(), "task failed") })
	stderr := p.stderr.String()
	for _, want := range wants {
		if !strings.Contains(stderr, want) {
			t.Errorf("the failure does not name %q:\n%s", want, stderr)
		}
	}
	eventually(t, p, startDeadline, "the offset of the good lines stored", func() bool {
		offsets, _ := os.ReadFile(filepath.Join(dir, "connect.offsets"))
		return strings.Contains(string(offsets), `"position": 5`) || strings.Contains(string(offsets), `"position":5`)
	})
	p.stop(t)
	var got []string
	for _, m := range consume(t, bootstrap, "connect-test", 2) {
		got = append(got, string(m.Value))
	}
	if strings.Join(got, ",") != "1,22" {
		t.Errorf("delivered %q, want the two lines before the bad one", got)
	}
}

// With errors.tolerance=all a line too large is skipped, loudly, and the
// lines after it flow on.
func TestRecordTooLargeSkippedWithTolerance(t *testing.T) {
	needBinary(t)
	t.Parallel()
	dir, bootstrap := tooLargeLine(t, map[string]string{"errors.tolerance": "all"})
	p := run(t, dir, false, "worker.properties", "source.properties")
	eventually(t, p, startDeadline, "the offset past every line stored", func() bool {
		offsets, _ := os.ReadFile(filepath.Join(dir, "connect.offsets"))
		return strings.Contains(string(offsets), `"position": 2008`)
	})
	p.stop(t)
	if stderr := p.stderr.String(); !strings.Contains(stderr, "skipping a record that failed") || !strings.Contains(stderr, "record too large") {
		t.Errorf("the skip is not logged:\n%s", stderr)
	}
	var got []string
	for _, m := range consume(t, bootstrap, "connect-test", 3) {
		got = append(got, string(m.Value))
	}
	if strings.Join(got, ",") != "1,22,4" {
		t.Errorf("delivered %q, want every line but the large one", got)
	}
}
