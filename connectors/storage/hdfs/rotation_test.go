package hdfs

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// committed lists the committed files below dir.
func committed(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, f := range files(t, dir) {
		if strings.HasPrefix(f, "topics/") && !strings.HasPrefix(f, "topics/+tmp/") {
			out = append(out, f)
		}
	}
	return out
}

// rotate.interval.ms measures record time with the Record extractor: a
// record an interval after the first of the open file starts a new file.
func TestRotateIntervalRecordTime(t *testing.T) {
	dir := t.TempDir()
	tk, _ := startTask(t, labConfig(dir,
		"flush.size", "100",
		"rotate.interval.ms", "2500",
		"partitioner.class", "io.confluent.connect.storage.partitioner.TimeBasedPartitioner",
		"path.format", "'day'=dd",
		"partition.duration.ms", "86400000",
		"locale", "en",
		"timezone", "UTC",
		"timestamp.extractor", "Record",
	), nil)
	// Records are 1 s apart: offsets 0-2 span 2 s, offset 3 is 3 s after 0.
	mustPut(t, tk, records(t, 0, 7))
	want := []string{
		"topics/test_hdfs/day=14/test_hdfs+0+0000000000+0000000002.avro",
		"topics/test_hdfs/day=14/test_hdfs+0+0000000003+0000000005.avro",
	}
	if got := committed(t, dir); !slices.Equal(got, want) {
		t.Fatalf("committed %v, want %v", got, want)
	}
}

// With the wall clock, the open files are committed at a pre-commit once
// the interval passed, though no record arrives.
func TestRotateIntervalWhileIdle(t *testing.T) {
	dir := t.TempDir()
	now := time.UnixMilli(1_700_000_000_000)
	tk, _ := startTask(t, labConfig(dir, "flush.size", "100", "rotate.interval.ms", "60000"), func(tk *task) {
		tk.now = func() time.Time { return now }
	})
	mustPut(t, tk, records(t, 0, 2))
	offs, err := tk.PreCommit(context.Background(), nil)
	if err != nil || len(committed(t, dir)) != 0 || len(offs) != 0 {
		t.Fatalf("before the interval: committed %v, offsets %v, %v", committed(t, dir), offs, err)
	}
	now = now.Add(time.Minute)
	offs, err = tk.PreCommit(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"topics/test_hdfs/partition=0/test_hdfs+0+0000000000+0000000001.avro"}
	if got := committed(t, dir); !slices.Equal(got, want) || offs[tp0] != 2 {
		t.Fatalf("after the interval: committed %v, offsets %v; want %v and offset 2", got, offs, want)
	}
}

// rotate.schedule.interval.ms commits on the wall-clock schedule, counted
// from midnight in the timezone.
func TestRotateSchedule(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2024, 5, 17, 10, 59, 0, 0, time.UTC)
	tk, _ := startTask(t, labConfig(dir, "flush.size", "100", "rotate.schedule.interval.ms", "3600000", "timezone", "UTC"), func(tk *task) {
		tk.now = func() time.Time { return now }
	})
	mustPut(t, tk, records(t, 0, 2))
	now = now.Add(30 * time.Second)
	if _, err := tk.PreCommit(context.Background(), nil); err != nil || len(committed(t, dir)) != 0 {
		t.Fatalf("before 11:00: committed %v, %v", committed(t, dir), err)
	}
	now = now.Add(30 * time.Second)
	if _, err := tk.PreCommit(context.Background(), nil); err != nil || len(committed(t, dir)) != 1 {
		t.Fatalf("at 11:00: committed %v, %v", committed(t, dir), err)
	}
}

func TestRotateScheduleNeedsTimezone(t *testing.T) {
	tk := Plugin().NewSink().NewTask()
	err := tk.Start(context.Background(), &taskContext{}, labConfig(t.TempDir(), "rotate.schedule.interval.ms", "1000"))
	if err == nil || !strings.Contains(err.Error(), "timezone") {
		t.Fatalf("Start = %v, want an error naming timezone", err)
	}
}

func versioned(v int32, fields ...connectors.Field) *connectors.Schema {
	for i := range fields {
		fields[i].Index = i
	}
	return &connectors.Schema{Type: connectors.Struct, Name: "myrecord", Version: &v, Fields: fields}
}

func withSchema(t *testing.T, s *connectors.Schema, offset int64) connectors.SinkRecord {
	t.Helper()
	v := connectors.NewStruct(s)
	if err := v.Put("f1", "x"); err != nil {
		t.Fatal(err)
	}
	return connectors.SinkRecord{
		Record: connectors.Record{Topic: tp0.Topic, Partition: 0, Value: connectors.SchemaAndValue{Schema: s, Value: v}},
		Offset: offset, OriginalTopic: tp0.Topic,
	}
}

func TestSchemaCompatibility(t *testing.T) {
	v1 := versioned(1, connectors.Field{Name: "f1", Schema: connectors.StringSchema})
	v2 := versioned(2, connectors.Field{Name: "f1", Schema: connectors.StringSchema}, connectors.Field{Name: "f2", Schema: connectors.OptionalInt32Schema})
	tests := []struct {
		compat string
		order  []*connectors.Schema
		want   []string // committed files after the six records
	}{
		// Every change starts a file: 0-1 v1, 2 v2, 3 v1, 4 v2; 5 is open.
		{"NONE", []*connectors.Schema{v1, v1, v2, v1, v2, v1}, []string{"0000000000+0000000001", "0000000002+0000000002", "0000000003+0000000003", "0000000004+0000000004"}},
		// A newer version starts a file; older records join it, projected.
		{"BACKWARD", []*connectors.Schema{v1, v1, v2, v1, v2, v1}, []string{"0000000000+0000000001"}},
		// An older version starts a file; newer records are projected down.
		{"FORWARD", []*connectors.Schema{v2, v2, v1, v2, v1, v2}, []string{"0000000000+0000000001"}},
	}
	for _, tt := range tests {
		t.Run(tt.compat, func(t *testing.T) {
			dir := t.TempDir()
			tk, _ := startTask(t, labConfig(dir, "flush.size", "100", "schema.compatibility", tt.compat), nil)
			var rs []connectors.SinkRecord
			for i, s := range tt.order {
				rs = append(rs, withSchema(t, s, int64(i)))
			}
			mustPut(t, tk, rs)
			var got []string
			for _, f := range committed(t, dir) {
				name := strings.TrimSuffix(filepath.Base(f), ".avro")
				got = append(got, strings.TrimPrefix(name, "test_hdfs+0+"))
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("committed %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSchemaCompatibilityNeedsVersions(t *testing.T) {
	dir := t.TempDir()
	tk, _ := startTask(t, labConfig(dir, "schema.compatibility", "BACKWARD"), nil)
	other := &connectors.Schema{Type: connectors.Struct, Name: "myrecord", Fields: []connectors.Field{
		{Name: "f1", Index: 0, Schema: connectors.StringSchema},
		{Name: "f2", Index: 1, Schema: connectors.OptionalStringSchema},
	}}
	err := tk.Put(context.Background(), []connectors.SinkRecord{withSchema(t, valueSchema, 0), withSchema(t, other, 1)})
	if err == nil || !strings.Contains(err.Error(), "version required") || !strings.Contains(err.Error(), "offset 1") {
		t.Fatalf("Put = %v, want an error naming the version and the record", err)
	}
}

// A field partitioner spreads one Kafka partition over directories; their
// files are committed together, each named with its own offsets.
func TestFieldPartitioner(t *testing.T) {
	dir := t.TempDir()
	tk, _ := startTask(t, labConfig(dir, "partitioner.class", "io.confluent.connect.hdfs.partitioner.FieldPartitioner", "partition.field.name", "f1"), nil)
	var rs []connectors.SinkRecord
	for i, v := range []string{"a", "b", "a"} {
		rs = append(rs, connectors.SinkRecord{
			Record: connectors.Record{Topic: tp0.Topic, Value: connectors.SchemaAndValue{Schema: valueSchema, Value: value(t, valueSchema, v)}},
			Offset: int64(i), OriginalTopic: tp0.Topic,
		})
	}
	mustPut(t, tk, rs)
	want := []string{
		"topics/test_hdfs/f1=a/test_hdfs+0+0000000000+0000000002.avro",
		"topics/test_hdfs/f1=b/test_hdfs+0+0000000001+0000000001.avro",
	}
	if got := committed(t, dir); !slices.Equal(got, want) {
		t.Fatalf("committed %v, want %v", got, want)
	}
	// Recovery takes the highest end offset over all directories.
	_, tc := startTask(t, labConfig(dir, "partitioner.class", "FieldPartitioner", "partition.field.name", "f1"), nil)
	if tc.seeks[tp0] != 3 {
		t.Fatalf("seek = %v, want 3", tc.seeks)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  map[string]string
		want string
	}{
		{"hive", labConfig("/tmp/x", "hive.integration", "true"), "hive.integration"},
		{"kerberos", labConfig("/tmp/x", "hdfs.authentication.kerberos", "true"), "hdfs.authentication.kerberos"},
		{"format", labConfig("/tmp/x", "format.class", "io.confluent.connect.hdfs.orc.OrcFormat"), "format.class"},
		{"flush.size", func() map[string]string { c := labConfig("/tmp/x"); delete(c, "flush.size"); return c }(), "flush.size"},
		{"no url", func() map[string]string { c := labConfig("/tmp/x"); delete(c, "hdfs.url"); return c }(), "hdfs.url or store.url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Plugin().NewSink().NewTask().Start(context.Background(), &taskContext{}, tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Start = %v, want an error naming %s", err, tt.want)
			}
		})
	}
}

// The HDFS 3 connector takes its own package's format classes.
func TestHDFS3FormatClass(t *testing.T) {
	dir := t.TempDir()
	tk := Plugin3().NewSink().NewTask().(*task)
	cfg := labConfig(dir, "connector.class", Class3, "format.class", "io.confluent.connect.hdfs3.json.JsonFormat", "flush.size", "1")
	if err := tk.Start(context.Background(), &taskContext{}, cfg); err != nil {
		t.Fatal(err)
	}
	if err := tk.Open(context.Background(), []connectors.TopicPartition{tp0}); err != nil {
		t.Fatal(err)
	}
	mustPut(t, tk, records(t, 0, 1))
	want := []string{"topics/test_hdfs/partition=0/test_hdfs+0+0000000000+0000000000.json"}
	if got := committed(t, dir); !slices.Equal(got, want) {
		t.Fatalf("committed %v, want %v", got, want)
	}
}
