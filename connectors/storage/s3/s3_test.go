package s3

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/hamba/avro/v2/ocf"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/storage/format"
)

func lines(vals ...string) string {
	var b strings.Builder
	for _, v := range vals {
		b.WriteString(v + "\n")
	}
	return b.String()
}

func TestFlushSizeRotationAndPreCommit(t *testing.T) {
	f := newFakeS3(t)
	tk := startTask(t, baseConfig(f), nil, orders0)

	put(t, tk, stringRecords(0, 1)...)
	if got := preCommit(t, tk); len(got) != 0 {
		t.Fatalf("PreCommit with only an open object = %v, want nothing", got)
	}
	if keys := f.keys(t); len(keys) != 0 {
		t.Fatalf("objects before flush.size: %v", keys)
	}
	put(t, tk, stringRecords(2, 3, 4, 5, 6)...)
	want := []string{
		"topics/orders/partition=0/orders+0+0000000000.json",
		"topics/orders/partition=0/orders+0+0000000003.json",
	}
	if got := f.keys(t); !slices.Equal(got, want) {
		t.Fatalf("keys = %q, want %q", got, want)
	}
	if got, want := string(f.object(t, want[0])), lines(`"v0"`, `"v1"`, `"v2"`); got != want {
		t.Errorf("first object = %q, want %q", got, want)
	}
	if got, want := string(f.object(t, want[1])), lines(`"v3"`, `"v4"`, `"v5"`); got != want {
		t.Errorf("second object = %q, want %q", got, want)
	}
	// Record 6 is in an open object: the offset after record 5 is the
	// last durable one.
	if got := preCommit(t, tk); !maps.Equal(got, map[connectors.TopicPartition]int64{orders0: 6}) {
		t.Fatalf("PreCommit = %v, want orders-0 at 6", got)
	}
	if got := preCommit(t, tk); len(got) != 0 {
		t.Fatalf("second PreCommit = %v, want nothing new", got)
	}
}

func TestRedeliveryAfterCrashRewritesSameObjects(t *testing.T) {
	f := newFakeS3(t)
	cfg := with(baseConfig(f), KeyPartSize, "5242880")
	first := startTask(t, cfg, nil, orders0)
	put(t, first, stringRecords(offsets(0, 8)...)...)
	if got := preCommit(t, first); got[orders0] != 6 {
		t.Fatalf("PreCommit = %v, want orders-0 at 6", got)
	}
	before := map[string][]byte{}
	for _, k := range f.keys(t) {
		before[k] = f.object(t, k)
	}
	// The worker dies before committing 6: Kafka still holds 0 as the
	// committed offset, and everything is delivered again to a new task.
	second := startTask(t, cfg, nil, orders0)
	put(t, second, stringRecords(offsets(0, 8)...)...)
	after := map[string][]byte{}
	for _, k := range f.keys(t) {
		after[k] = f.object(t, k)
	}
	if !maps.EqualFunc(before, after, bytes.Equal) || len(after) != 2 {
		t.Fatalf("objects after replay differ:\nbefore %q\nafter  %q", before, after)
	}
	if err := second.Close(context.Background(), []connectors.TopicPartition{orders0}); err != nil {
		t.Fatal(err)
	}
	if got := preCommit(t, second); len(got) != 0 {
		t.Fatalf("PreCommit after Close = %v", got)
	}
}

func TestMultipartUploadStreamsParts(t *testing.T) {
	f := newFakeS3(t)
	cfg := with(baseConfig(f),
		KeyFormatClass, format.S3ByteArray,
		KeyPartSize, "5242880",
		"flush.size", "12")
	tk := startTask(t, cfg, nil, orders0)

	const mib = 1 << 20
	var recs []connectors.SinkRecord
	var want bytes.Buffer
	for i := range 12 {
		v := bytes.Repeat([]byte{byte('a' + i)}, mib)
		want.Write(v)
		want.WriteByte('\n')
		recs = append(recs, connectors.SinkRecord{
			Record: connectors.Record{Topic: "orders", Value: connectors.SchemaAndValue{Schema: connectors.BytesSchema, Value: v}},
			Offset: int64(100 + i),
		})
	}
	put(t, tk, recs[:6]...)
	// 6 MiB written: one 5 MiB part went out, the rest waits in memory and
	// nothing is visible yet.
	if got := f.partUploads(); got != 1 {
		t.Fatalf("parts uploaded after 6 MiB = %d, want 1", got)
	}
	if keys := f.keys(t); len(keys) != 0 {
		t.Fatalf("object visible before commit: %v", keys)
	}
	put(t, tk, recs[6:]...)
	if got := f.partUploads(); got != 3 {
		t.Fatalf("parts uploaded for 12 MiB = %d, want 3 (5+5+2)", got)
	}
	key := "topics/orders/partition=0/orders+0+0000000100.bin"
	if got := f.object(t, key); !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("object %s: %d bytes, want %d, equal prefix %v", key, len(got), want.Len(), bytes.HasPrefix(want.Bytes(), got))
	}
	if got := preCommit(t, tk); got[orders0] != 112 {
		t.Fatalf("PreCommit = %v, want orders-0 at 112", got)
	}

	// An object with parts uploaded is aborted when its partition closes.
	put(t, tk, recs[0:6]...)
	if f.pendingUploads(t) != 1 {
		t.Fatalf("pending uploads = %d, want 1", f.pendingUploads(t))
	}
	if err := tk.Close(context.Background(), []connectors.TopicPartition{orders0}); err != nil {
		t.Fatal(err)
	}
	if n := f.pendingUploads(t); n != 0 {
		t.Fatalf("pending uploads after Close = %d, want 0", n)
	}
	if keys := f.keys(t); len(keys) != 1 {
		t.Fatalf("keys after Close = %v, want only %s", keys, key)
	}
}

func TestRotateIntervalWithRecordTime(t *testing.T) {
	f := newFakeS3(t)
	cfg := with(baseConfig(f),
		"flush.size", "100",
		"rotate.interval.ms", "60000",
		"partitioner.class", "io.confluent.connect.storage.partitioner.TimeBasedPartitioner",
		"partition.duration.ms", "3600000",
		"path.format", "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH",
		"locale", "en",
		"timezone", "UTC",
		"timestamp.extractor", "Record")
	recs := stringRecords(0, 1, 2, 3)
	t0 := time.Date(2024, 5, 17, 10, 58, 0, 0, time.UTC)
	for i, d := range []time.Duration{0, 10 * time.Second, 70 * time.Second, 120 * time.Second} {
		recs[i].Timestamp = t0.Add(d)
	}
	hour10 := "topics/orders/year=2024/month=05/day=17/hour=10/"

	t.Run("interval and partition change", func(t *testing.T) {
		tk := startTask(t, cfg, nil, orders0)
		put(t, tk, recs...)
		// Record 2 is 70 s after record 0: rotation before it. Record 3 is
		// 50 s after record 2, but in the next hour's encoded partition:
		// rotation before it too.
		want := []string{hour10 + "orders+0+0000000000.json", hour10 + "orders+0+0000000002.json"}
		if got := f.keys(t); !slices.Equal(got, want) {
			t.Fatalf("keys = %q, want %q", got, want)
		}
		if got := string(f.object(t, want[0])); got != lines(`"v0"`, `"v1"`) {
			t.Errorf("first object = %q", got)
		}
		if got := preCommit(t, tk); got[orders0] != 3 {
			t.Fatalf("PreCommit = %v, want orders-0 at 3", got)
		}
	})
	t.Run("no rotation on partition change", func(t *testing.T) {
		f.client.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String(hour10 + "orders+0+0000000002.json")})
		tk := startTask(t, with(cfg, KeyRotateOnPartitionChange, "false"), nil, orders0)
		put(t, tk, recs...)
		if got := f.keys(t); !slices.Equal(got, []string{hour10 + "orders+0+0000000000.json"}) {
			t.Fatalf("keys = %q", got)
		}
	})
}

func TestRotateIntervalIgnoredWithoutTimeBasedPartitioner(t *testing.T) {
	f := newFakeS3(t)
	tk := startTask(t, with(baseConfig(f), "flush.size", "100", "rotate.interval.ms", "1"), nil, orders0)
	recs := stringRecords(0, 1)
	recs[1].Timestamp = recs[0].Timestamp.Add(time.Hour)
	put(t, tk, recs...)
	if keys := f.keys(t); len(keys) != 0 {
		t.Fatalf("rotate.interval.ms applied with the default partitioner: %v", keys)
	}
}

func TestScheduledRotationAtPreCommit(t *testing.T) {
	f := newFakeS3(t)
	c := &clock{t: time.Date(2024, 5, 17, 10, 0, 30, 0, time.UTC)}
	cfg := with(baseConfig(f), "flush.size", "100", "rotate.schedule.interval.ms", "60000", "timezone", "UTC")
	tk := startTask(t, cfg, c.now, orders0)
	put(t, tk, stringRecords(0, 1)...)
	if got := preCommit(t, tk); len(got) != 0 {
		t.Fatalf("PreCommit before the schedule = %v", got)
	}
	c.add(31 * time.Second)
	if got := preCommit(t, tk); got[orders0] != 2 {
		t.Fatalf("PreCommit after the schedule = %v, want orders-0 at 2", got)
	}
	if got := f.keys(t); !slices.Equal(got, []string{"topics/orders/partition=0/orders+0+0000000000.json"}) {
		t.Fatalf("keys = %q", got)
	}
}

func intStruct(s *connectors.Schema, kv ...any) *connectors.StructValue {
	v := connectors.NewStruct(s)
	for i := 0; i < len(kv); i += 2 {
		if err := v.Put(kv[i].(string), kv[i+1]); err != nil {
			panic(err)
		}
	}
	return v
}

func TestAvroRotatesOnSchemaChange(t *testing.T) {
	f := newFakeS3(t)
	v1 := &connectors.Schema{Type: connectors.Struct, Name: "com.example.Order", Fields: []connectors.Field{
		{Name: "id", Index: 0, Schema: connectors.Int64Schema},
	}}
	v2 := &connectors.Schema{Type: connectors.Struct, Name: "com.example.Order", Fields: []connectors.Field{
		{Name: "id", Index: 0, Schema: connectors.Int64Schema},
		{Name: "note", Index: 1, Schema: connectors.StringSchema},
	}}
	rec := func(off int64, s *connectors.Schema, kv ...any) connectors.SinkRecord {
		return connectors.SinkRecord{Record: connectors.Record{Topic: "orders",
			Value: connectors.SchemaAndValue{Schema: s, Value: intStruct(s, kv...)}}, Offset: off}
	}
	tk := startTask(t, with(baseConfig(f), KeyFormatClass, format.S3Avro, "flush.size", "10"), nil, orders0)
	put(t, tk,
		rec(0, v1, "id", int64(1)),
		rec(1, v1, "id", int64(2)),
		rec(2, v2, "id", int64(3), "note", "x"),
		rec(3, v1, "id", int64(4)),
	)
	want := []string{
		"topics/orders/partition=0/orders+0+0000000000.avro",
		"topics/orders/partition=0/orders+0+0000000002.avro",
	}
	if got := f.keys(t); !slices.Equal(got, want) {
		t.Fatalf("keys = %q, want %q", got, want)
	}
	if got := decodeAvro(t, f.object(t, want[0])); !reflect.DeepEqual(got, []map[string]any{{"id": int64(1)}, {"id": int64(2)}}) {
		t.Errorf("first object = %v", got)
	}
	if got := decodeAvro(t, f.object(t, want[1])); !reflect.DeepEqual(got, []map[string]any{{"id": int64(3), "note": "x"}}) {
		t.Errorf("second object = %v", got)
	}
	if got := preCommit(t, tk); got[orders0] != 3 {
		t.Fatalf("PreCommit = %v, want orders-0 at 3", got)
	}
}

func decodeAvro(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	dec, err := ocf.NewDecoder(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for dec.HasNext() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	if err := dec.Error(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFieldPartitionerCommitsAllObjectsTogether(t *testing.T) {
	f := newFakeS3(t)
	s := &connectors.Schema{Type: connectors.Struct, Name: "Order", Fields: []connectors.Field{
		{Name: "region", Index: 0, Schema: connectors.StringSchema},
	}}
	var recs []connectors.SinkRecord
	for i, region := range []string{"eu", "us", "eu"} {
		recs = append(recs, connectors.SinkRecord{Record: connectors.Record{Topic: "orders",
			Value: connectors.SchemaAndValue{Schema: s, Value: intStruct(s, "region", region)}}, Offset: int64(i)})
	}
	cfg := with(baseConfig(f),
		"partitioner.class", "io.confluent.connect.storage.partitioner.FieldPartitioner",
		"partition.field.name", "region",
		"topics.dir", "data",
		"filename.offset.zero.pad.width", "4")
	tk := startTask(t, cfg, nil, orders0)
	put(t, tk, recs...)
	want := []string{"data/orders/region=eu/orders+0+0000.json", "data/orders/region=us/orders+0+0001.json"}
	if got := f.keys(t); !slices.Equal(got, want) {
		t.Fatalf("keys = %q, want %q", got, want)
	}
	if got := string(f.object(t, want[0])); got != lines(`{"region":"eu"}`, `{"region":"eu"}`) {
		t.Errorf("eu object = %q", got)
	}
}

func TestNullValues(t *testing.T) {
	f := newFakeS3(t)
	recs := stringRecords(0, 1, 2, 3)
	recs[1].Value = connectors.SchemaAndValue{}

	failing := startTask(t, baseConfig(f), nil, orders0)
	err := failing.Put(context.Background(), recs)
	if err == nil || !strings.Contains(err.Error(), "orders-0 at offset 1") || !strings.Contains(err.Error(), KeyNullValues) {
		t.Fatalf("Put with behavior.on.null.values=fail: %v", err)
	}

	ignoring := startTask(t, with(baseConfig(f), KeyNullValues, "IGNORE"), nil, orders0)
	put(t, ignoring, recs...)
	key := "topics/orders/partition=0/orders+0+0000000000.json"
	if got := string(f.object(t, key)); got != lines(`"v0"`, `"v2"`, `"v3"`) {
		t.Fatalf("object = %q", got)
	}
	if got := preCommit(t, ignoring); got[orders0] != 4 {
		t.Fatalf("PreCommit = %v, want orders-0 at 4", got)
	}
}

func TestGzipJSON(t *testing.T) {
	f := newFakeS3(t)
	tk := startTask(t, with(baseConfig(f), KeyCompressionType, "gzip", KeyCompressionLevel, "9"), nil, orders0)
	put(t, tk, stringRecords(0, 1, 2)...)
	key := "topics/orders/partition=0/orders+0+0000000000.json.gz"
	zr, err := gzip.NewReader(bytes.NewReader(f.object(t, key)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b); got != lines(`"v0"`, `"v1"`, `"v2"`) {
		t.Fatalf("object = %q", got)
	}
}

func TestCredentials(t *testing.T) {
	t.Run("explicit", func(t *testing.T) {
		f := newFakeS3(t)
		t.Setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
		t.Setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
		tk := startTask(t, baseConfig(f), nil, orders0)
		put(t, tk, stringRecords(0, 1, 2)...)
		if got := f.keysUsed(); !slices.Equal(got, []string{"AKIDEXPLICIT"}) {
			t.Fatalf("access keys used = %q, want the explicit one", got)
		}
	})
	t.Run("default chain", func(t *testing.T) {
		f := newFakeS3(t)
		t.Setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
		t.Setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
		t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
		t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
		cfg := baseConfig(f)
		delete(cfg, KeyAccessKeyID)
		delete(cfg, KeySecretAccessKey)
		tk := startTask(t, cfg, nil, orders0)
		put(t, tk, stringRecords(0, 1, 2)...)
		if got := f.keysUsed(); !slices.Equal(got, []string{"AKIDENV"}) {
			t.Fatalf("access keys used = %q, want the environment's", got)
		}
	})
	t.Run("half set", func(t *testing.T) {
		f := newFakeS3(t)
		cfg := baseConfig(f)
		delete(cfg, KeySecretAccessKey)
		tk := &task{def: newDef()}
		err := tk.Start(context.Background(), newTaskContext(t), cfg)
		if err == nil || !strings.Contains(err.Error(), KeySecretAccessKey) {
			t.Fatalf("Start with only %s: %v", KeyAccessKeyID, err)
		}
	})
}

func TestMissingBucket(t *testing.T) {
	f := newFakeS3(t)
	tk := &task{def: newDef()}
	err := tk.Start(context.Background(), newTaskContext(t), with(baseConfig(f), KeyBucket, "no-such-bucket"))
	if err == nil || !strings.Contains(err.Error(), `"no-such-bucket"`) || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("Start with a missing bucket: %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	f := newFakeS3(t)
	tests := []struct {
		name string
		cfg  map[string]string
		key  string
	}{
		{"part size below 5 MiB", with(baseConfig(f), KeyPartSize, "5242879"), KeyPartSize},
		{"no bucket", with(baseConfig(f), KeyBucket, ""), KeyBucket},
		{"unknown format", with(baseConfig(f), KeyFormatClass, format.HDFSAvro), KeyFormatClass},
		{"no flush size", with(baseConfig(f), "flush.size", ""), "flush.size"},
		{"keys not supported", with(baseConfig(f), KeyStoreKafkaKeys, "true"), KeyStoreKafkaKeys},
		{"write tombstones not supported", with(baseConfig(f), KeyNullValues, "write"), KeyNullValues},
		{"bad compression", with(baseConfig(f), KeyCompressionType, "snappy"), KeyCompressionType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.cfg[tt.key] == "" {
				delete(tt.cfg, tt.key)
			}
			_, err := newDef().Parse(tt.cfg)
			var ke *config.KeyError
			if !errors.As(err, &ke) || ke.Key != tt.key {
				t.Fatalf("Parse error = %v, want one for %s", err, tt.key)
			}
		})
	}

	t.Run("schedule needs timezone", func(t *testing.T) {
		c := Plugin().NewSink()
		vals, err := c.Config().Parse(with(baseConfig(f), "rotate.schedule.interval.ms", "1000"))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Start(context.Background(), nil, vals); err == nil || !strings.Contains(err.Error(), "timezone") {
			t.Fatalf("connector Start = %v, want a timezone error", err)
		}
	})
}

func TestPluginTaskConfigs(t *testing.T) {
	p := Plugin()
	if p.Kind != connectors.KindSink || p.Class != Class {
		t.Fatalf("plugin = %v %s", p.Kind, p.Class)
	}
	if _, ok := p.Def.Key("logs.dir"); ok {
		t.Error("logs.dir declared; the S3 sink has no write-ahead log")
	}
	c := p.NewSink()
	f := newFakeS3(t)
	vals, err := c.Config().Parse(baseConfig(f))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background(), nil, vals); err != nil {
		t.Fatal(err)
	}
	cfgs, err := c.TaskConfigs(2)
	if err != nil || len(cfgs) != 2 || cfgs[1][KeyBucket] != testBucket {
		t.Fatalf("TaskConfigs = %v, %v", cfgs, err)
	}
	var _ connectors.PreCommitter = c.NewTask().(*task)
	var _ connectors.PartitionHandler = c.NewTask().(*task)
}

func TestRequestOptions(t *testing.T) {
	f := newFakeS3(t)
	var mu sync.Mutex
	var proxyAuth []string
	// A forward proxy for plain HTTP gets the absolute URL, which the fake
	// server routes by its path.
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		proxyAuth = append(proxyAuth, r.Header.Get("Proxy-Authorization"))
		mu.Unlock()
		f.handler.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	cfg := with(baseConfig(f),
		KeyCannedACL, "bucket-owner-full-control",
		KeySSEAlgorithm, "AES256",
		KeyProxyURL, proxy.URL,
		KeyProxyUser, "proxyuser",
		KeyProxyPassword, "proxypass")
	tk := startTask(t, cfg, nil, orders0)
	put(t, tk, stringRecords(0, 1, 2)...)

	creates := f.createHeaders()
	if len(creates) != 1 {
		t.Fatalf("multipart uploads created = %d, want 1", len(creates))
	}
	if got := creates[0].Get("X-Amz-Acl"); got != "bucket-owner-full-control" {
		t.Errorf("x-amz-acl = %q", got)
	}
	if got := creates[0].Get("X-Amz-Server-Side-Encryption"); got != "AES256" {
		t.Errorf("x-amz-server-side-encryption = %q", got)
	}
	mu.Lock()
	defer mu.Unlock()
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("proxyuser:proxypass"))
	if len(proxyAuth) == 0 || proxyAuth[0] != want {
		t.Fatalf("requests through the proxy: %q, want each with %q", proxyAuth, want)
	}
}
