package partition

import (
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests need zones whatever the host has

	"github.com/connect-standalone/connect-standalone/connectors"
)

func rec(v connectors.SchemaAndValue) connectors.SinkRecord {
	return connectors.SinkRecord{Record: connectors.Record{Topic: "orders", Partition: 3, Value: v}, Offset: 42}
}

func userStruct(t *testing.T) connectors.SchemaAndValue {
	t.Helper()
	addr := &connectors.Schema{Type: connectors.Struct, Optional: true, Fields: []connectors.Field{
		{Name: "city", Index: 0, Schema: connectors.OptionalStringSchema},
	}}
	s := &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{
		{Name: "id", Index: 0, Schema: connectors.Int64Schema},
		{Name: "country", Index: 1, Schema: connectors.StringSchema},
		{Name: "vip", Index: 2, Schema: connectors.BooleanSchema},
		{Name: "score", Index: 3, Schema: connectors.Float64Schema},
		{Name: "note", Index: 4, Schema: connectors.OptionalStringSchema},
		{Name: "addr", Index: 5, Schema: addr},
		{Name: "small", Index: 6, Schema: connectors.Int8Schema},
	}}
	v := connectors.NewStruct(s)
	a := connectors.NewStruct(addr)
	for _, kv := range []struct {
		st *connectors.StructValue
		k  string
		v  any
	}{{v, "id", int64(7)}, {v, "country", "fr"}, {v, "vip", true}, {v, "score", 1.5}, {v, "addr", a}, {v, "small", int8(-3)}, {a, "city", "Lyon"}} {
		if err := kv.st.Put(kv.k, kv.v); err != nil {
			t.Fatal(err)
		}
	}
	return connectors.SchemaAndValue{Schema: s, Value: v}
}

func TestDefault(t *testing.T) {
	got, err := Default{}.Partition(rec(connectors.SchemaAndValue{}))
	if err != nil || got != "partition=3" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestField(t *testing.T) {
	st := userStruct(t)
	m := connectors.SchemaAndValue{Value: map[string]any{"country": "de", "n": int64(5), "b": false, "f": 2.5, "nested": map[string]any{"x": "y"}, "nil": nil, "slash": "a/../b"}}
	tests := []struct {
		name    string
		fields  []string
		delim   string
		v       connectors.SchemaAndValue
		want    string
		wantErr string
	}{
		{"struct one", []string{"country"}, "", st, "country=fr", ""},
		{"struct many", []string{"country", "id", "vip", "small"}, "", st, "country=fr/id=7/vip=true/small=-3", ""},
		{"struct delim", []string{"country", "id"}, "_", st, "country=fr_id=7", ""},
		{"struct nested", []string{"addr.city"}, "", st, "addr.city=Lyon", ""},
		{"struct null leaf", []string{"note"}, "", st, "note=null", ""},
		{"struct missing", []string{"nope"}, "", st, "", `field "nope" is not present in the schema`},
		{"struct nested missing", []string{"addr.zip"}, "", st, "", `field "addr.zip" is not present`},
		{"struct float", []string{"score"}, "", st, "", "float64 is not supported"},
		{"struct through primitive", []string{"id.x"}, "", st, "", `"id" is int64`},
		{"map", []string{"country", "n", "b"}, "", m, "country=de/n=5/b=false", ""},
		{"map nested", []string{"nested.x"}, "", m, "nested.x=y", ""},
		{"map null", []string{"nil"}, "", m, "nil=null", ""},
		{"map missing", []string{"zz"}, "", m, "", `field "zz" is not present in the value`},
		{"map float", []string{"f"}, "", m, "", "not supported"},
		{"map null on path", []string{"nil.x"}, "", m, "", `"nil" is null`},
		{"traversal", []string{"slash"}, "", m, "", "path delimiter"},
		{"null value", []string{"a"}, "", connectors.SchemaAndValue{}, "", "record value is null"},
		{"primitive value", []string{"a"}, "", connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: "x"}, "", "not a struct or map"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewField(tc.fields, tc.delim)
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Partition(rec(tc.v))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, ErrPartition) ||
					!strings.Contains(err.Error(), "topic orders partition 3 offset 42") {
					t.Fatalf("err = %v, want %q naming the record", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestNewFieldRejects(t *testing.T) {
	for _, names := range [][]string{nil, {""}, {"a..b"}, {" "}, {"a."}} {
		if _, err := NewField(names, "/"); err == nil {
			t.Errorf("NewField(%q) succeeded", names)
		}
	}
}

func TestNewFromConfig(t *testing.T) {
	now := func() time.Time { return time.Date(2024, 5, 17, 13, 45, 0, 0, time.UTC) }
	r := rec(connectors.SchemaAndValue{Value: map[string]any{"k": "v"}})
	tests := []struct {
		raw  map[string]string
		want string
	}{
		{map[string]string{}, "partition=3"},
		{map[string]string{"partitioner.class": "io.confluent.connect.hdfs.partitioner.DefaultPartitioner"}, "partition=3"},
		{map[string]string{"partitioner.class": FieldClass, "partition.field.name": "k"}, "k=v"},
		{map[string]string{"partitioner.class": DailyClass, "locale": "en", "timezone": "UTC"}, "year=2024/month=05/day=17"},
		{map[string]string{"partitioner.class": "io.confluent.connect.hdfs.partitioner.HourlyPartitioner", "locale": "en", "timezone": "Asia/Tokyo"}, "year=2024/month=05/day=17/hour=22"},
		{map[string]string{"partitioner.class": HourlyClass, "locale": "en", "timezone": "UTC", "directory.delim": "_"}, "year=2024_month=05_day=17_hour=13"},
		{map[string]string{"partitioner.class": TimeBasedClass, "locale": "en", "timezone": "UTC", "path.format": "'dt'=YYYY-MM-dd/'m'=mm/", "partition.duration.ms": "900000"}, "dt=2024-05-17/m=45"},
	}
	for _, tc := range tests {
		v, err := Def.Parse(tc.raw)
		if err != nil {
			t.Fatalf("%v: %v", tc.raw, err)
		}
		p, err := New(v, now)
		if err != nil {
			t.Fatalf("%v: %v", tc.raw, err)
		}
		got, err := p.Partition(r)
		if err != nil || got != tc.want {
			t.Errorf("%v: got %q, %v; want %q", tc.raw, got, err, tc.want)
		}
	}
	bad := []map[string]string{
		{"partitioner.class": "com.example.Mine"},
		{"partitioner.class": TimeBasedClass, "locale": "en", "timezone": "UTC", "path.format": "YYYY"},
		{"partitioner.class": DailyClass, "timezone": "UTC"},
		{"partitioner.class": DailyClass, "locale": "en"},
		{"timezone": "Mars/Olympus"},
		{"partitioner.class": FieldClass},
	}
	for _, raw := range bad {
		v, err := Def.Parse(raw)
		if err != nil {
			continue
		}
		if _, err := New(v, now); err == nil {
			t.Errorf("%v: accepted", raw)
		}
	}
}
