package transforms

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

const castValueClass = Package + ".Cast$Value"

func TestCastExample(t *testing.T) {
	tr := mustTransform(t, castValueClass, map[string]string{"spec": "age:int32,score:string"})
	in := connectors.Record{Topic: "t", Value: connectors.SchemaAndValue{Value: map[string]any{"name": "ann", "age": "42", "score": 9.5}}}
	out, keep, err := apply(t, tr, in)
	if err != nil || !keep {
		t.Fatal(err)
	}
	want := map[string]any{"name": "ann", "age": int32(42), "score": "9.5"}
	if !connectors.ValueEqual(out.Value.Value, want) {
		t.Fatalf("got %v, want %v", out.Value.Value, want)
	}
}

func TestCastConfigErrors(t *testing.T) {
	for spec, want := range map[string]string{
		"":               "Must specify at least one field to cast.",
		"foo:faketype":   "Invalid type found in casting spec: faketype",
		"foo:array":      "Cast transformation does not support casting to ARRAY; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]",
		"bytes":          "Cast transformation does not support casting to BYTES",
		"foo:int8:extra": "Invalid value [foo:int8:extra] for configuration renames: Invalid rename mapping: foo:int8:extra",
		"foo:int8,int32": "Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec",
	} {
		_, err := newTransform(t, castValueClass, map[string]string{"spec": spec})
		var ke *config.KeyError
		if !errors.As(err, &ke) || ke.Key != "spec" || !strings.Contains(err.Error(), want) {
			t.Errorf("spec %q: got %v, want KeyError on spec containing %q", spec, err, want)
		}
	}
}

func TestCastWholeValue(t *testing.T) {
	day := time.UnixMilli(86400000 + 1).UTC()
	for _, c := range []struct {
		spec   string
		schema *connectors.Schema
		in     any
		want   any
	}{
		{"int8", connectors.Int32Schema, int32(42), int8(42)},
		{"int16", nil, int32(42), int16(42)},
		{"int64", connectors.Int32Schema, int32(42), int64(42)},
		{"float32", nil, int32(42), float32(42)},
		{"float64", connectors.Int32Schema, int32(42), float64(42)},
		{"boolean", nil, int32(0), false},
		{"boolean", nil, 0.1, false},
		{"boolean", nil, int64(1) << 40, true},
		{"string", nil, int32(42), "42"},
		{"string", nil, float32(1e10), "1.0E10"},
		{"string", connectors.DecimalSchema(0, false), connectors.NewDecimal(42, 0), "42"},
		{"string", connectors.TimestampSchema(false), day, "1970-01-02T00:00:00.001Z"},
		{"string", connectors.BytesSchema, []byte{0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10}, "/ty6mHZUMhA="},
		{"int8", nil, int32(300), int8(44)},
		{"int32", nil, 3e10, int32(2147483647)},
		{"int32", connectors.DecimalSchema(0, false), connectors.NewDecimal(2147483648, 0), int32(-2147483648)},
		{"int32", nil, "-17", int32(-17)},
		{"int32", nil, "+17", int32(17)},
		{"float64", nil, " 1.5d ", 1.5},
		{"boolean", nil, "TRUE", true},
		{"boolean", nil, "yes", false},
		{"int8", nil, true, int8(1)},
	} {
		tr := mustTransform(t, castValueClass, map[string]string{"spec": c.spec})
		out, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Schema: c.schema, Value: c.in}})
		if err != nil {
			t.Errorf("%s of %v: %v", c.spec, c.in, err)
			continue
		}
		if !connectors.ValueEqual(out.Value.Value, c.want) {
			t.Errorf("%s of %#v = %#v, want %#v", c.spec, c.in, out.Value.Value, c.want)
		}
		if (c.schema == nil) != (out.Value.Schema == nil) {
			t.Errorf("%s of %v: schema %v", c.spec, c.in, out.Value.Schema)
		}
	}
}

func TestCastDataErrors(t *testing.T) {
	for _, c := range []struct {
		spec string
		in   any
		want string
	}{
		{"int32", "abc", "Value (abc) was out of range for requested data type"},
		{"int8", "128", "Value (128) was out of range for requested data type"},
		{"int8", []any{"foo"}, "Cast transformation does not support casting from ARRAY"},
		{"int32", []byte("x"), "Unexpected type in Cast transformation: class [B"},
		{"int32", time.Unix(0, 0), "Cast transformation was passed a value of type class java.util.Date"},
	} {
		tr := mustTransform(t, castValueClass, map[string]string{"spec": c.spec})
		_, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Value: c.in}})
		if !errors.Is(err, connectors.ErrInvalidData) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s of %v: got %v, want %q", c.spec, c.in, err, c.want)
		}
	}
}

func TestCastStruct(t *testing.T) {
	schema := &connectors.Schema{Type: connectors.Struct, Name: "rec", Fields: []connectors.Field{
		{Name: "int8", Index: 0, Schema: connectors.Int8Schema},
		{Name: "int16", Index: 1, Schema: connectors.OptionalInt16Schema},
		{Name: "int32", Index: 2, Schema: &connectors.Schema{Type: connectors.Int32, Default: int32(2)}},
		{Name: "float64", Index: 3, Schema: &connectors.Schema{Type: connectors.Float64, Default: -1.125}},
		{Name: "date", Index: 4, Schema: connectors.DateSchema(false)},
		{Name: "ts", Index: 5, Schema: connectors.TimestampSchema(false)},
		{Name: "magic", Index: 6, Schema: &connectors.Schema{Type: connectors.Int32, Optional: true, Default: int32(10)}},
	}}
	in := connectors.NewStruct(schema)
	for k, v := range map[string]any{"int8": int8(8), "int16": int16(16), "int32": int32(32), "float64": -64.0,
		"date": time.UnixMilli(86400000).UTC(), "ts": time.UnixMilli(0).UTC()} {
		if err := in.Put(k, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, replace := range []string{"true", "false"} {
		tr := mustTransform(t, castValueClass, map[string]string{"spec": "int8:int16,int16:int32,int32:int64,float64:boolean,date:int32,magic:string", "replace.null.with.default": replace})
		out, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Schema: schema, Value: in}})
		if err != nil {
			t.Fatal(err)
		}
		got := out.Value.Value.(*connectors.StructValue)
		wantMagic := any("10")
		if replace == "false" {
			wantMagic = nil
		}
		for name, want := range map[string]any{"int8": int16(8), "int16": int32(16), "int32": int64(32), "float64": true,
			"date": int32(1), "ts": time.UnixMilli(0).UTC(), "magic": wantMagic} {
			if v, _ := got.GetWithoutDefault(name); !connectors.ValueEqual(v, want) {
				t.Errorf("replace=%s %s = %#v, want %#v", replace, name, v, want)
			}
		}
		s := out.Value.Schema
		if f, _ := s.Field("int32"); f.Schema.Default != int64(2) {
			t.Errorf("int32 default %#v", f.Schema.Default)
		}
		if f, _ := s.Field("float64"); f.Schema.Default != true {
			t.Errorf("float64 default %#v", f.Schema.Default)
		}
		if f, _ := s.Field("int16"); !f.Schema.Optional || s.Name != "rec" {
			t.Errorf("schema %+v", s)
		}
	}
}

func TestCastNullPassesThrough(t *testing.T) {
	tr := mustTransform(t, Package+".Cast$Key", map[string]string{"spec": "foo:int64"})
	in := connectors.Record{Key: connectors.SchemaAndValue{Schema: connectors.StringSchema}, Value: connectors.SchemaAndValue{Value: "v"}}
	out, keep, err := apply(t, tr, in)
	if err != nil || !keep || !recordEqual(out, in) {
		t.Fatalf("got %+v %v %v", out, keep, err)
	}
}

func TestCastSchemalessAddsMissingField(t *testing.T) {
	tr := mustTransform(t, castValueClass, map[string]string{"spec": "missing:int32"})
	out, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Value: map[string]any{"a": "b"}}})
	if err != nil {
		t.Fatal(err)
	}
	if m := out.Value.Value.(map[string]any); len(m) != 2 || m["missing"] != nil {
		t.Fatalf("got %v", m)
	}
}
