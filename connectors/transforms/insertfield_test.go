package transforms

import (
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func TestInsertFieldConfig(t *testing.T) {
	class := Package + ".InsertField$Value"
	wantConfigErr(t, class, map[string]string{}, KeyInsertTopicField, "No field insertion configured")
	wantConfigErr(t, class, map[string]string{"static.field": "x"}, KeyInsertStaticValue, "No value specified for static field: x")
}

func TestInsertFieldSchemaless(t *testing.T) {
	ts := time.UnixMilli(1700000000123)
	tr := mustTransform(t, Package+".InsertField$Value", map[string]string{
		"topic.field": "topic_field!", "partition.field": "partition_field", "timestamp.field": "timestamp_field?",
		"static.field": "instance_id", "static.value": "my-instance-id",
	})
	in := connectors.Record{Topic: "test", Partition: 0, Timestamp: ts,
		Key:   connectors.SchemaAndValue{Value: "k"},
		Value: connectors.SchemaAndValue{Value: map[string]any{"magic": int64(42)}}}
	out, _, err := apply(t, tr, in)
	wantErr(t, err, "")
	want := map[string]any{"magic": int64(42), "topic_field": "test", "partition_field": int32(0),
		"timestamp_field": int64(1700000000123), "instance_id": "my-instance-id"}
	if !connectors.ValueEqual(out.Value.Value, want) || out.Value.Schema != nil || out.Key.Value != "k" {
		t.Errorf("got %+v", out)
	}

	// No partition and no timestamp: those fields are left out.
	in.Partition, in.Timestamp = -1, time.Time{}
	out, _, _ = apply(t, tr, in)
	if m := out.Value.Value.(map[string]any); len(m) != 3 {
		t.Errorf("got %v", m)
	}

	// A null value is passed on unchanged.
	in.Value = connectors.SchemaAndValue{}
	out, keep, err := apply(t, tr, in)
	if err != nil || !keep || out.Value.Value != nil {
		t.Errorf("tombstone: %+v %v %v", out, keep, err)
	}

	_, _, err = apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Value: "x"}})
	wantDataErr(t, err, "Only Map objects supported in absence of schema for [field insertion], found: java.lang.String")
}

func TestInsertFieldWithSchemaKey(t *testing.T) {
	tr := mustTransform(t, Package+".InsertField$Key", map[string]string{
		"topic.field": "topic_field!", "partition.field": "partition_field", "offset.field": "offset_field!",
		"timestamp.field": "timestamp_field?", "static.field": "instance_id", "static.value": "my-instance-id",
	})
	v := int32(3)
	schema := &connectors.Schema{Type: connectors.Struct, Name: "name", Version: &v, Doc: "doc", Optional: true,
		Fields: []connectors.Field{{Name: "magic", Schema: connectors.OptionalInt64Schema}}}
	key := structVal(t, schema, "magic", int64(42))
	ts := time.UnixMilli(1700000000123).Add(456 * time.Microsecond)
	in := connectors.SinkRecord{Offset: 7, Record: connectors.Record{Topic: "test", Partition: 0, Timestamp: ts,
		Key: connectors.SchemaAndValue{Schema: schema, Value: key}}}

	out, _, err := applySink(t, tr, in)
	wantErr(t, err, "")
	got := out.Key.Schema
	if got.Name != "name" || *got.Version != 3 || got.Doc != "doc" || got.Optional {
		t.Errorf("schema basics: %+v", got)
	}
	wantFields := structOf(fld("magic", connectors.OptionalInt64Schema), fld("topic_field", connectors.StringSchema),
		fld("partition_field", connectors.OptionalInt32Schema), fld("offset_field", connectors.Int64Schema),
		fld("timestamp_field", connectors.TimestampSchema(true)), fld("instance_id", connectors.OptionalStringSchema)).Fields
	if !connectors.SchemaEqual(&connectors.Schema{Type: connectors.Struct, Fields: got.Fields}, &connectors.Schema{Type: connectors.Struct, Fields: wantFields}) {
		t.Errorf("fields: %+v", got.Fields)
	}
	s := out.Key.Value.(*connectors.StructValue)
	want := structVal(t, got, "magic", int64(42), "topic_field", "test", "partition_field", int32(0), "offset_field", int64(7),
		"timestamp_field", time.UnixMilli(1700000000123).UTC(), "instance_id", "my-instance-id")
	if !s.Equal(want) {
		t.Errorf("got %v, want %v", s, want)
	}
	if again, _, _ := applySink(t, tr, in); again.Key.Schema != got {
		t.Error("schema not cached")
	}

	// On the source path there is no offset.
	_, _, err = apply(t, tr, in.Record)
	wantDataErr(t, err, "Only SinkRecord supported for [field insertion], found: org.apache.kafka.connect.source.SourceRecord")

	_, _, err = apply(t, tr, connectors.Record{Key: connectors.SchemaAndValue{Schema: schema, Value: map[string]any{}}})
	wantDataErr(t, err, "Only Struct objects supported for [field insertion], found: java.util.HashMap")
}

func TestInsertFieldReplaceNullWithDefault(t *testing.T) {
	schema := structOf(fld("opt", &connectors.Schema{Type: connectors.Int32, Optional: true, Default: int32(42)}))
	for _, tt := range []struct {
		replace string
		want    any
	}{{"true", int32(42)}, {"false", nil}} {
		tr := mustTransform(t, Package+".InsertField$Value", map[string]string{"topic.field": "t", "replace.null.with.default": tt.replace})
		out, _, err := apply(t, tr, connectors.Record{Topic: "x", Value: connectors.SchemaAndValue{Schema: schema, Value: structVal(t, schema)}})
		wantErr(t, err, "")
		if got, _ := out.Value.Value.(*connectors.StructValue).GetWithoutDefault("opt"); got != tt.want {
			t.Errorf("replace %s: got %v", tt.replace, got)
		}
	}
}

func TestInsertFieldDuplicateField(t *testing.T) {
	tr := mustTransform(t, Package+".InsertField$Value", map[string]string{"topic.field": "a"})
	schema := structOf(fld("a", connectors.StringSchema))
	_, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Schema: schema, Value: structVal(t, schema, "a", "x")}})
	wantDataErr(t, err, "Cannot create field because of field name duplication a")
}
