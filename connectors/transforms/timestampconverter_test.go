package transforms

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

const tsConverterClass = Package + ".TimestampConverter$Value"

// datePlusTime is 1970-01-02T00:00:01.234Z, Kafka's test instant.
var datePlusTime = time.UnixMilli(86401234).UTC()

func TestTimestampConverterExample(t *testing.T) {
	tr := mustTransform(t, tsConverterClass, map[string]string{"field": "created", "target.type": "string", "format": "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"})
	out, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Value: map[string]any{"id": int64(7), "created": int64(1483425001864)}}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"id": int64(7), "created": "2017-01-03T06:30:01.864Z"}
	if !connectors.ValueEqual(out.Value.Value, want) {
		t.Fatalf("got %v", out.Value.Value)
	}
}

func TestTimestampConverterConfigErrors(t *testing.T) {
	for _, c := range []struct {
		cfg       map[string]string
		key, want string
	}{
		{map[string]string{}, "target.type", "missing"},
		{map[string]string{"target.type": "invalid"}, "target.type", "String must be one of"},
		{map[string]string{"target.type": "unix", "unix.precision": "invalid"}, "unix.precision", "String must be one of"},
		{map[string]string{"target.type": "string"}, "format", "TimestampConverter requires format option to be specified when using string timestamps"},
		{map[string]string{"target.type": "string", "format": "bad-format"}, "format", "TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: bad-format"},
	} {
		_, err := newTransform(t, tsConverterClass, c.cfg)
		var ke *config.KeyError
		if !errors.As(err, &ke) || ke.Key != c.key || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want %s error %q", c.cfg, err, c.key, c.want)
		}
	}
}

func TestTimestampConverterSchemaless(t *testing.T) {
	const fmtStr = "yyyy MM dd HH mm ss SSS z"
	for _, c := range []struct {
		target, precision string
		in, want          any
	}{
		{"Timestamp", "", datePlusTime, datePlusTime},
		{"Date", "", datePlusTime, time.UnixMilli(86400000).UTC()},
		{"Time", "", datePlusTime, time.UnixMilli(1234).UTC()},
		{"unix", "", datePlusTime, int64(86401234)},
		{"unix", "seconds", datePlusTime, int64(86401)},
		{"unix", "microseconds", datePlusTime, int64(86401234000)},
		{"unix", "nanoseconds", datePlusTime, int64(86401234000000)},
		{"string", "", datePlusTime, "1970 01 02 00 00 01 234 UTC"},
		{"Timestamp", "", "1970 01 02 00 00 01 234 UTC", datePlusTime},
		{"Timestamp", "", int64(86401234), datePlusTime},
		{"Timestamp", "microseconds", int64(86401234123), datePlusTime},
		{"Timestamp", "nanoseconds", int64(86401234123456), datePlusTime},
		{"Timestamp", "seconds", int64(86401), time.UnixMilli(86401000).UTC()},
		{"Date", "", int64(-1), time.UnixMilli(-86400000).UTC()},
	} {
		cfg := map[string]string{"target.type": c.target, "format": fmtStr}
		if c.precision != "" {
			cfg["unix.precision"] = c.precision
		}
		tr := mustTransform(t, tsConverterClass, cfg)
		out, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Value: c.in}})
		if err != nil {
			t.Errorf("%v to %s: %v", c.in, c.target, err)
			continue
		}
		if !connectors.ValueEqual(out.Value.Value, c.want) || out.Value.Schema != nil {
			t.Errorf("%v to %s (%s) = %#v, want %#v", c.in, c.target, c.precision, out.Value.Value, c.want)
		}
	}
}

func TestTimestampConverterWithSchema(t *testing.T) {
	schema := &connectors.Schema{Type: connectors.Struct, Name: "rec", Optional: true, Fields: []connectors.Field{
		{Name: "ts", Index: 0, Schema: connectors.TimestampSchema(true)},
		{Name: "other", Index: 1, Schema: connectors.StringSchema},
	}}
	in := connectors.NewStruct(schema)
	_ = in.Put("ts", datePlusTime)
	_ = in.Put("other", "x")
	tr := mustTransform(t, tsConverterClass, map[string]string{"target.type": "unix", "field": "ts"})
	out, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Schema: schema, Value: in}})
	if err != nil {
		t.Fatal(err)
	}
	wantSchema := &connectors.Schema{Type: connectors.Struct, Name: "rec", Optional: true, Fields: []connectors.Field{
		{Name: "ts", Index: 0, Schema: connectors.OptionalInt64Schema},
		{Name: "other", Index: 1, Schema: connectors.StringSchema},
	}}
	if !connectors.SchemaEqual(out.Value.Schema, wantSchema) {
		t.Fatalf("schema %+v", out.Value.Schema)
	}
	got := out.Value.Value.(*connectors.StructValue)
	if v, _ := got.Get("ts"); v != int64(86401234) {
		t.Fatalf("ts = %v", v)
	}
	// A null struct stays null, with the new schema.
	out, _, err = apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Schema: schema}})
	if err != nil || out.Value.Value != nil || !connectors.SchemaEqual(out.Value.Schema, wantSchema) {
		t.Fatalf("null struct: %+v %v", out.Value, err)
	}

	whole := mustTransform(t, tsConverterClass, map[string]string{"target.type": "Date"})
	out, _, err = apply(t, whole, connectors.Record{Value: connectors.SchemaAndValue{Schema: connectors.Int64Schema, Value: int64(86401234)}})
	if err != nil || !connectors.SchemaEqual(out.Value.Schema, connectors.DateSchema(false)) || !connectors.ValueEqual(out.Value.Value, time.UnixMilli(86400000).UTC()) {
		t.Fatalf("whole: %+v %v", out.Value, err)
	}
	_, _, err = apply(t, whole, connectors.Record{Value: connectors.SchemaAndValue{Schema: connectors.Int32Schema, Value: int32(1)}})
	if err == nil || err.Error() != "Schema Schema{INT32} does not correspond to a known timestamp type format" {
		t.Fatalf("int32 schema: %v", err)
	}
}

func TestTimestampConverterDataErrors(t *testing.T) {
	tr := mustTransform(t, tsConverterClass, map[string]string{"target.type": "Timestamp", "format": "yyyy-MM-dd"})
	for in, want := range map[any]string{
		"not a date": "Could not parse timestamp: value (not a date) does not match pattern (yyyy-MM-dd)",
		int32(5):     "TimestampConverter does not support class java.lang.Integer objects as timestamps",
	} {
		_, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Value: in}})
		if !errors.Is(err, connectors.ErrInvalidData) || err.Error() != want {
			t.Errorf("%v: got %v, want %q", in, err, want)
		}
	}
	_, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: int64(5)}})
	if err == nil || err.Error() != "Expected string timestamp to be a String, but found class java.lang.Long" {
		t.Errorf("got %v", err)
	}
}
