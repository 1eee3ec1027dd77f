package e2e

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
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// gofakes3Version is the gofakes3 whose server TestS3Sink runs, the one
// go.mod requires.
const gofakes3Version = "v1.2.0"

// TestS3Sink runs the binary with examples/s3-sink.properties against
// gofakes3's own server in another process: lines of a file go through the
// embedded Kafka into objects of flush.size records. A restart is not tested
// here: the embedded Kafka forgets its topics when it stops.
func TestS3Sink(t *testing.T) {
	needBinary(t)
	// The worker takes its credentials from the environment, the default
	// AWS chain; t.Setenv rules out t.Parallel.
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "e2e", "AWS_SECRET_ACCESS_KEY": "e2e-secret", "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
	} {
		t.Setenv(k, v)
	}
	s3Addr := startGofakes3(t)
	storeURL := "http://" + s3Addr

	dir := t.TempDir()
	bootstrap := freeAddr(t)
	writeFile(t, dir, "worker.properties", workerProps(t, dir, bootstrap, map[string]string{"offset.flush.interval.ms": "500"}))
	input := writeFile(t, dir, "input.txt", numbered("line", 0, 7))
	writeFile(t, dir, "source.properties", setProps(example(t, "connect-file-source.properties"), map[string]string{"file": input, "topic": "s3-test"}))
	sink := example(t, "s3-sink.properties")
	if !strings.Contains(sink, "\ntopics=s3-test\n") || !strings.Contains(sink, "\ns3.bucket.name=connect-test\n") {
		t.Fatalf("examples/s3-sink.properties changed:\n%s", sink)
	}
	writeFile(t, dir, "s3-sink.properties", setProps(sink, map[string]string{"store.url": storeURL}))

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

	v := exec.Command(binary, "validate", "--strict", "worker.properties", "s3-sink.properties")
	v.Dir = dir
	if out, err := v.CombinedOutput(); err != nil {
		t.Fatalf("validate --strict: %v\n%s", err, out)
	}

	p := run(t, dir, false, "--embedded-kafka", "worker.properties", "source.properties", "s3-sink.properties")
	// Line 6 stays in an open object: flush.size is 3.
	eventually(t, p, startDeadline, "two objects of three lines", func() bool { return maps.Equal(objects(), want) })

	appendFile(t, input, numbered("line", 7, 10))
	want[prefix+"0000000006.json"] = jsonLines(6, 9)
	eventually(t, p, startDeadline, "a third object from line 6", func() bool { return maps.Equal(objects(), want) })

	// Line 9's object is still open when the worker stops: it is
	// abandoned, never visible half written.
	p.stop(t)
	if got := objects(); !maps.Equal(got, want) {
		t.Fatalf("objects after stop: %q, want %q", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
}

// startGofakes3 installs gofakes3's server command (go.mod lacks the
// modules of its other backends, so it is installed with its own go.mod),
// starts it in memory with the bucket connect-test, and returns its address.
func startGofakes3(t *testing.T) string {
	t.Helper()
	bin := t.TempDir()
	install := exec.Command("go", "install", "github.com/johannesboyne/gofakes3/cmd/gofakes3@"+gofakes3Version)
	install.Dir = t.TempDir()
	install.Env = append(os.Environ(), "GOBIN="+bin, "GOFLAGS=")
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("install gofakes3: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	var out syncBuffer
	c := exec.Command(filepath.Join(bin, "gofakes3"), "-backend", "memory", "-host", addr, "-initialbucket", "connect-test", "-quiet")
	c.Stdout, c.Stderr = &out, &out
	if err := c.Start(); err != nil {
		t.Fatalf("start gofakes3: %v", err)
	}
	t.Cleanup(func() {
		_ = c.Process.Kill()
		_ = c.Wait()
		if t.Failed() {
			t.Logf("--- gofakes3 output ---\n%s", out.String())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			conn.Close()
			return addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("gofakes3 does not listen on %s: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// jsonLines is what JsonFormat writes for numbered("line", from, to): JSON strings.
func jsonLines(from, to int) string {
	var b strings.Builder
	for i := from; i < to; i++ {
		fmt.Fprintf(&b, "\"line-%d\"\n", i)
	}
	return b.String()
}
