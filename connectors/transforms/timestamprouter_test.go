package transforms

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

const routerClass = Package + ".TimestampRouter"

func TestTimestampRouter(t *testing.T) {
	ts := time.UnixMilli(1483425001864)
	for _, c := range []struct {
		cfg  map[string]string
		want string
	}{
		{nil, "test-20170103"},
		{map[string]string{"topic.format": "${topic}_${timestamp}", "timestamp.format": "yyyy-MM-dd"}, "test_2017-01-03"},
		{map[string]string{"topic.format": "x-${timestamp}-${topic}-${topic}", "timestamp.format": "HH'h'"}, "x-06h-test-test"},
	} {
		tr := mustTransform(t, routerClass, c.cfg)
		in := connectors.Record{Topic: "test", Timestamp: ts, Value: connectors.SchemaAndValue{Value: "v"}}
		out, keep, err := apply(t, tr, in)
		if err != nil || !keep || out.Topic != c.want {
			t.Errorf("%v: topic %q, %v; want %q", c.cfg, out.Topic, err, c.want)
		}
		if out.Value.Value != "v" || !out.Timestamp.Equal(ts) {
			t.Errorf("record changed: %+v", out)
		}
	}
}

func TestTimestampRouterExample(t *testing.T) {
	tr := mustTransform(t, routerClass, map[string]string{"topic.format": "${topic}_${timestamp}", "timestamp.format": "yyyy-MM-dd"})
	out, _, err := apply(t, tr, connectors.Record{Topic: "orders", Timestamp: time.UnixMilli(1483425001864)})
	if err != nil || out.Topic != "orders_2017-01-03" {
		t.Fatalf("got %q %v", out.Topic, err)
	}
}

func TestTimestampRouterErrors(t *testing.T) {
	tr := mustTransform(t, routerClass, nil)
	_, _, err := apply(t, tr, connectors.Record{Topic: "t", Partition: 0, Key: connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: "k"}})
	want := "Timestamp missing on record: ConnectRecord{topic='t', kafkaPartition=0, key=k, keySchema=Schema{STRING}, value=null, valueSchema=null, timestamp=null, headers=ConnectHeaders(headers=)}"
	if !errors.Is(err, connectors.ErrInvalidData) || err.Error() != want {
		t.Fatalf("got %v", err)
	}
	// Kafka accepts a bad pattern and fails on the first record; it is
	// refused with the rest of the configuration here.
	_, err = newTransform(t, routerClass, map[string]string{"timestamp.format": "yyyyb"})
	var ke *config.KeyError
	if !errors.As(err, &ke) || ke.Key != "timestamp.format" || !strings.Contains(err.Error(), "Illegal pattern character 'b'") {
		t.Fatalf("got %v", err)
	}
}
