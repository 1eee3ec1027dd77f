package s3

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/storage/format"
)

const testBucket = "test-bucket"

// fakeS3 is an in-process S3 server holding testBucket. It records the
// access key of every request and counts part uploads.
type fakeS3 struct {
	URL    string
	client *s3.Client

	handler http.Handler

	mu         sync.Mutex
	accessKeys map[string]int
	parts      int
	creates    []http.Header // of the requests creating multipart uploads
}

var credentialRE = regexp.MustCompile(`Credential=([^/]+)/`)

func newFakeS3(t *testing.T) *fakeS3 {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(testBucket); err != nil {
		t.Fatal(err)
	}
	f := &fakeS3{accessKeys: make(map[string]int)}
	h := gofakes3.New(backend).Server()
	f.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		if m := credentialRE.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
			f.accessKeys[m[1]]++
		}
		if r.Method == http.MethodPut && r.URL.Query().Has("partNumber") {
			f.parts++
		}
		if r.Method == http.MethodPost && r.URL.Query().Has("uploads") {
			f.creates = append(f.creates, r.Header.Clone())
		}
		f.mu.Unlock()
		h.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(f.handler)
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	f.client = s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider("reader", "secret", ""),
	})
	return f
}

func (f *fakeS3) partUploads() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.parts
}

func (f *fakeS3) createHeaders() []http.Header {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.creates)
}

func (f *fakeS3) keysUsed() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Sorted(maps.Keys(f.accessKeys))
}

// keys lists the bucket, sorted.
func (f *fakeS3) keys(t *testing.T) []string {
	t.Helper()
	out, err := f.client.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(testBucket)})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	slices.Sort(keys)
	return keys
}

func (f *fakeS3) object(t *testing.T, key string) []byte {
	t.Helper()
	out, err := f.client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pendingUploads counts multipart uploads neither completed nor aborted.
func (f *fakeS3) pendingUploads(t *testing.T) int {
	t.Helper()
	out, err := f.client.ListMultipartUploads(context.Background(), &s3.ListMultipartUploadsInput{Bucket: aws.String(testBucket)})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Uploads)
}

// taskContext is a SinkTaskContext that logs to the test.
type taskContext struct{ log *slog.Logger }

func newTaskContext(t *testing.T) *taskContext {
	return &taskContext{log: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))}
}

func (c *taskContext) Logger() *slog.Logger                            { return c.log }
func (c *taskContext) Seek(tp connectors.TopicPartition, offset int64) {}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// baseConfig writes JSON objects of 3 records to the fake server with
// explicit credentials.
func baseConfig(f *fakeS3) map[string]string {
	return map[string]string{
		"name":                         "s3-sink",
		KeyBucket:                      testBucket,
		KeyRegion:                      "us-east-1",
		KeyStoreURL:                    f.URL,
		KeyAccessKeyID:                 "AKIDEXPLICIT",
		KeySecretAccessKey:             "explicit-secret",
		KeyFormatClass:                 format.S3JSON,
		"flush.size":                   "3",
		"topics":                       "orders",
		"connector.class":              Class,
		"schema.compatibility":         "NONE",
		"partitioner.class":            "io.confluent.connect.storage.partitioner.DefaultPartitioner",
		KeyNullValues:                  "fail",
		"directory.delim":              "/",
		"s3.path.style.access.enabled": "true",
	}
}

func with(cfg map[string]string, kv ...string) map[string]string {
	out := maps.Clone(cfg)
	for i := 0; i < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// startTask starts a task with cfg, opened on tps, and stops it when the
// test ends.
func startTask(t *testing.T, cfg map[string]string, now func() time.Time, tps ...connectors.TopicPartition) *task {
	t.Helper()
	tk := &task{def: newDef(), now: now}
	ctx := context.Background()
	if err := tk.Start(ctx, newTaskContext(t), cfg); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { tk.Stop(context.Background()) })
	if err := tk.Open(ctx, tps); err != nil {
		t.Fatalf("Open: %v", err)
	}
	return tk
}

var orders0 = connectors.TopicPartition{Topic: "orders", Partition: 0}

// stringRecords are records of orders-0 at the given offsets whose values
// are the strings "v<offset>".
func stringRecords(offsets ...int64) []connectors.SinkRecord {
	var out []connectors.SinkRecord
	for _, o := range offsets {
		out = append(out, connectors.SinkRecord{
			Record: connectors.Record{
				Topic: "orders", Partition: 0,
				Value: connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: "v" + strconv.FormatInt(o, 10)},
			},
			Offset: o,
		})
	}
	return out
}

func offsets(from, to int64) []int64 {
	var out []int64
	for o := from; o < to; o++ {
		out = append(out, o)
	}
	return out
}

func put(t *testing.T, tk *task, recs ...connectors.SinkRecord) {
	t.Helper()
	if err := tk.Put(context.Background(), recs); err != nil {
		t.Fatalf("Put: %v", err)
	}
}

func preCommit(t *testing.T, tk *task) map[connectors.TopicPartition]int64 {
	t.Helper()
	got, err := tk.PreCommit(context.Background(), nil)
	if err != nil {
		t.Fatalf("PreCommit: %v", err)
	}
	return got
}
