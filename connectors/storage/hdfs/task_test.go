package hdfs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hamba/avro/v2/ocf"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/storage/partition"
	"github.com/connect-standalone/connect-standalone/connectors/storage/store"
)

// taskContext records the seeks a task asks for.
type taskContext struct {
	mu    sync.Mutex
	seeks map[connectors.TopicPartition]int64
}

func (c *taskContext) Logger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func (c *taskContext) Seek(tp connectors.TopicPartition, offset int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seeks == nil {
		c.seeks = make(map[connectors.TopicPartition]int64)
	}
	c.seeks[tp] = offset
}

var tp0 = connectors.TopicPartition{Topic: "test_hdfs", Partition: 0}

var valueSchema = &connectors.Schema{Type: connectors.Struct, Name: "myrecord", Fields: []connectors.Field{
	{Name: "f1", Index: 0, Schema: connectors.StringSchema},
}}

func value(t *testing.T, s *connectors.Schema, f1 string) *connectors.StructValue {
	t.Helper()
	v := connectors.NewStruct(s)
	if err := v.Put("f1", f1); err != nil {
		t.Fatal(err)
	}
	return v
}

// records returns the records at offsets from..to-1 of tp0, with values
// "value<offset>".
func records(t *testing.T, from, to int64) []connectors.SinkRecord {
	t.Helper()
	var out []connectors.SinkRecord
	for o := from; o < to; o++ {
		out = append(out, connectors.SinkRecord{
			Record: connectors.Record{Topic: tp0.Topic, Partition: tp0.Partition,
				Value:     connectors.SchemaAndValue{Schema: valueSchema, Value: value(t, valueSchema, fmt.Sprintf("value%d", o))},
				Timestamp: time.UnixMilli(1_700_000_000_000 + o*1000)},
			Offset: o, OriginalTopic: tp0.Topic, OriginalPartition: tp0.Partition,
		})
	}
	return out
}

func labConfig(dir string, extra ...string) map[string]string {
	cfg := map[string]string{
		"name":            "hdfs-sink",
		"connector.class": Class,
		"tasks.max":       "1",
		"topics":          "test_hdfs",
		"hdfs.url":        "file://" + dir,
		"flush.size":      "3",
	}
	for i := 0; i < len(extra); i += 2 {
		cfg[extra[i]] = extra[i+1]
	}
	return cfg
}

func startTask(t *testing.T, cfg map[string]string, tweak func(*task)) (*task, *taskContext) {
	t.Helper()
	tk := Plugin().NewSink().NewTask().(*task)
	if tweak != nil {
		tweak(tk)
	}
	tc := &taskContext{}
	if err := tk.Start(context.Background(), tc, cfg); err != nil {
		t.Fatal(err)
	}
	if err := tk.Open(context.Background(), []connectors.TopicPartition{tp0}); err != nil {
		t.Fatal(err)
	}
	return tk, tc
}

// files lists the files below dir, relative to it.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// readAvro returns the f1 values of an Avro file's records.
func readAvro(t *testing.T, name string) []string {
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
		var rec map[string]any
		if err := dec.Decode(&rec); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, rec["f1"].(string))
	}
	if dec.Error() != nil {
		t.Fatalf("%s: %v", name, dec.Error())
	}
	return out
}

func mustPut(t *testing.T, tk *task, rs []connectors.SinkRecord) {
	t.Helper()
	if err := tk.Put(context.Background(), rs); err != nil {
		t.Fatal(err)
	}
}

// The classic lab: seven records with flush.size=3 make two committed
// files; the seventh waits in a temporary file.
func TestLab(t *testing.T) {
	dir := t.TempDir()
	tk, tc := startTask(t, labConfig(dir), nil)
	if len(tc.seeks) != 0 {
		t.Errorf("a fresh partition asked to seek: %v", tc.seeks)
	}
	mustPut(t, tk, records(t, 0, 7))

	var committed, temp []string
	for _, f := range files(t, dir) {
		if strings.HasPrefix(f, "topics/+tmp/") {
			temp = append(temp, f)
		} else {
			committed = append(committed, f)
		}
	}
	want := []string{
		"topics/test_hdfs/partition=0/test_hdfs+0+0000000000+0000000002.avro",
		"topics/test_hdfs/partition=0/test_hdfs+0+0000000003+0000000005.avro",
	}
	if !slices.Equal(committed, want) {
		t.Fatalf("committed files %v, want %v", committed, want)
	}
	if got := readAvro(t, filepath.Join(dir, want[0])); !slices.Equal(got, []string{"value0", "value1", "value2"}) {
		t.Errorf("first file holds %v", got)
	}
	if got := readAvro(t, filepath.Join(dir, want[1])); !slices.Equal(got, []string{"value3", "value4", "value5"}) {
		t.Errorf("second file holds %v", got)
	}
	if len(temp) != 1 || !strings.HasPrefix(temp[0], "topics/+tmp/test_hdfs/partition=0/test_hdfs+0+") || !strings.HasSuffix(temp[0], "_tmp.avro") {
		t.Errorf("temporary files %v, want one for the seventh record", temp)
	}
	offs, err := tk.PreCommit(context.Background(), map[connectors.TopicPartition]int64{tp0: 7})
	if err != nil || offs[tp0] != 6 {
		t.Errorf("PreCommit = %v, %v; want offset 6, after the committed files only", offs, err)
	}

	// Two more records complete the third file.
	mustPut(t, tk, records(t, 7, 9))
	if got := readAvro(t, filepath.Join(dir, "topics/test_hdfs/partition=0/test_hdfs+0+0000000006+0000000008.avro")); !slices.Equal(got, []string{"value6", "value7", "value8"}) {
		t.Errorf("third file holds %v", got)
	}
	if err := tk.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// A restarted task resumes after the committed files, deletes what the
// previous one left in +tmp, and skips records it is given again.
func TestRecovery(t *testing.T) {
	dir := t.TempDir()
	tk, _ := startTask(t, labConfig(dir), nil)
	mustPut(t, tk, records(t, 0, 7))
	// The worker dies: no Close, no Stop.

	tk2, tc := startTask(t, labConfig(dir), nil)
	if got := tc.seeks[tp0]; got != 6 {
		t.Fatalf("seek after recovery = %d, want 6", got)
	}
	for _, f := range files(t, dir) {
		if strings.Contains(f, "+tmp") {
			t.Errorf("temporary file %s left after recovery", f)
		}
	}
	// The consumer group's offset may be older than the files: records
	// already committed are delivered again and must not be written twice.
	mustPut(t, tk2, records(t, 2, 9))
	got := readAvro(t, filepath.Join(dir, "topics/test_hdfs/partition=0/test_hdfs+0+0000000006+0000000008.avro"))
	if !slices.Equal(got, []string{"value6", "value7", "value8"}) {
		t.Errorf("file after recovery holds %v", got)
	}
}

// Other partitions' temporary files are left alone by a partition's recovery.
func TestRecoveryKeepsOtherPartitionsTempFiles(t *testing.T) {
	dir := t.TempDir()
	other := "topics/+tmp/test_hdfs/partition=1/test_hdfs+1+abc_tmp.avro"
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, other)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, other), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	startTask(t, labConfig(dir), nil)
	if _, err := os.Stat(filepath.Join(dir, other)); err != nil {
		t.Errorf("partition 1's temporary file was touched by partition 0's recovery: %v", err)
	}
}

// crashStore fails every change after a number of them, as if the worker
// died there; the files stay as they were at that moment.
type crashStore struct {
	store.Store
	left int
}

var errCrash = errors.New("crash")

func (c *crashStore) step() error {
	if c.left == 0 {
		return errCrash
	}
	c.left--
	return nil
}

func (c *crashStore) Create(name string) (io.WriteCloser, error) {
	if err := c.step(); err != nil {
		return nil, err
	}
	f, err := c.Store.Create(name)
	if err != nil {
		return nil, err
	}
	return &crashFile{WriteCloser: f, c: c}, nil
}

type crashFile struct {
	io.WriteCloser
	c *crashStore
}

func (f *crashFile) Write(p []byte) (int, error) {
	if err := f.c.step(); err != nil {
		// The part written before the crash stays, as a torn file.
		n, _ := f.WriteCloser.Write(p[:len(p)/2])
		return n, err
	}
	return f.WriteCloser.Write(p)
}

func (f *crashFile) Close() error {
	if err := f.c.step(); err != nil {
		return err
	}
	return f.WriteCloser.Close()
}

func (c *crashStore) Rename(from, to string) error {
	if err := c.step(); err != nil {
		return err
	}
	return c.Store.Rename(from, to)
}

func (c *crashStore) Remove(name string) error {
	if err := c.step(); err != nil {
		return err
	}
	return c.Store.Remove(name)
}

// A crash at every step of writing and committing, followed by a restart
// that is given the records again from the offset it seeks to (or from the
// start when it seeks nowhere), leaves every record in exactly one
// committed file, in offset order, with no gap and no overlap.
func TestCrashAtEveryStep(t *testing.T) {
	const total = 10
	for budget := 0; ; budget++ {
		dir := t.TempDir()
		crashed := false
		tk, _ := startTask(t, labConfig(dir), func(tk *task) {
			tk.openStore = func(url, confDir string) (store.Store, error) {
				st, err := store.OpenURL(url, confDir)
				return &crashStore{Store: st, left: budget}, err
			}
		})
		if err := tk.Put(context.Background(), records(t, 0, total)); err != nil {
			if !errors.Is(err, errCrash) {
				t.Fatalf("budget %d: %v", budget, err)
			}
			crashed = true
		}
		if !crashed {
			if budget == 0 {
				t.Fatal("no step of the commit reached the store")
			}
			return // every step has had its crash
		}
		tk2, tc := startTask(t, labConfig(dir), nil)
		from := int64(0)
		if o, ok := tc.seeks[tp0]; ok {
			from = o
		}
		mustPut(t, tk2, records(t, from, total))
		// The tenth record stays open; nine are committed.
		var got []string
		var names []partition.CommittedFile
		for _, f := range files(t, dir) {
			if strings.Contains(f, "+tmp") || strings.HasPrefix(f, "logs/") {
				continue
			}
			cf, err := partition.ParseCommittedName(path.Base(f))
			if err != nil {
				t.Fatalf("budget %d: stray file %s", budget, f)
			}
			names = append(names, cf)
			got = append(got, readAvro(t, filepath.Join(dir, f))...)
		}
		var want []string
		for o := 0; o < total-1; o++ {
			want = append(want, fmt.Sprintf("value%d", o))
		}
		if !slices.Equal(got, want) {
			t.Fatalf("budget %d: committed records %v, want %v (files %v)", budget, got, want, names)
		}
		for i := 1; i < len(names); i++ {
			if names[i].Start != names[i-1].End+1 {
				t.Fatalf("budget %d: files %v leave a gap or overlap", budget, names)
			}
		}
	}
}
