package transforms

import (
	"errors"
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func TestExtractFieldConfig(t *testing.T) {
	class := Package + ".ExtractField$Key"
	wantConfigErr(t, class, map[string]string{}, KeyExtractField, "missing")
	wantConfigErr(t, class, map[string]string{"field": "a", "field.syntax.version": "V3"}, KeyFieldSyntaxVersion, "String must be one of (case insensitive): V1, V2")
	wantConfigErr(t, class, map[string]string{"field": "`a", "field.syntax.version": "v2"}, KeyExtractField, "Incomplete backtick pair in path: [`a]")
}

func TestExtractFieldSchemaless(t *testing.T) {
	nested := map[string]any{"magic": map[string]any{"foo": int32(42), "nil": nil, "n": int32(1)}, "magic.foo": "top"}
	for _, tt := range []struct {
		field, version string
		in             any
		want           any
		err            string
	}{
		{"magic.foo", "V1", nested, "top", ""},
		{"magic.foo", "V2", nested, int32(42), ""},
		{"`magic.foo`", "V2", nested, "top", ""},
		{"magic.nonexistent", "V2", nested, nil, ""},
		{"un.known", "V2", nested, nil, ""},
		{"magic.nil.inner", "V2", nested, nil, ""},
		{"nonexistent", "V1", nested, nil, ""},
		{"magic", "V1", nil, nil, ""},
		{"magic.n.x", "V2", nested, nil, "Only Map objects supported in absence of schema for [nested field access], found: java.lang.Integer"},
		{"magic", "V1", "x", nil, "Only Map objects supported in absence of schema for [field extraction], found: java.lang.String"},
		{"", "V2", nested, nil, "fromIndex(0) > toIndex(-1)"},
	} {
		tr := mustTransform(t, Package+".ExtractField$Key", map[string]string{"field": tt.field, "field.syntax.version": tt.version})
		out, _, err := apply(t, tr, connectors.Record{Key: connectors.SchemaAndValue{Value: tt.in}, Value: connectors.SchemaAndValue{Value: "v"}})
		wantErr(t, err, tt.err)
		if err == nil && (!connectors.ValueEqual(out.Key.Value, tt.want) || out.Key.Schema != nil || out.Value.Value != "v") {
			t.Errorf("%s %s: got %+v, want %v", tt.version, tt.field, out, tt.want)
		}
	}
}

func TestExtractFieldWithSchema(t *testing.T) {
	foo := structOf(fld("foo", connectors.Int32Schema), fld("opt", &connectors.Schema{Type: connectors.Int32, Optional: true, Default: int32(42)}))
	schema := structOf(fld("magic", foo), fld("opt", foo.Fields[1].Schema), fld("n", connectors.Int32Schema))
	magic := structVal(t, foo, "foo", int32(7))
	value := structVal(t, schema, "magic", magic, "n", int32(1))
	for _, tt := range []struct {
		field, version, replace string
		value                   any
		wantSchema              *connectors.Schema
		want                    any
		err                     string
	}{
		{"magic.foo", "V2", "true", value, connectors.Int32Schema, int32(7), ""},
		{"magic.opt", "V2", "true", value, foo.Fields[1].Schema, int32(42), ""},
		{"magic.opt", "V2", "false", value, foo.Fields[1].Schema, nil, ""},
		{"opt", "V1", "true", value, foo.Fields[1].Schema, int32(42), ""},
		{"opt", "V1", "false", value, foo.Fields[1].Schema, nil, ""},
		{"n", "V1", "true", nil, connectors.Int32Schema, nil, ""},
		{"magic", "V1", "true", value, foo, magic, ""},
		{"nonexistent", "V1", "true", value, nil, nil, "Unknown field: nonexistent"},
		{"magic.nonexistent", "V2", "true", value, nil, nil, "Unknown field: magic.nonexistent"},
		{"n.x", "V2", "true", value, nil, nil, "Cannot look up fields on non-struct type"},
		{"n", "V1", "true", "x", nil, nil, "Only Struct objects supported for [field extraction], found: java.lang.String"},
	} {
		tr := mustTransform(t, Package+".ExtractField$Value", map[string]string{"field": tt.field, "field.syntax.version": tt.version, "replace.null.with.default": tt.replace})
		out, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Schema: schema, Value: tt.value}})
		wantErr(t, err, tt.err)
		if tt.err == "Unknown field: nonexistent" && errors.Is(err, connectors.ErrInvalidData) {
			t.Error("Kafka throws IllegalArgumentException here, not DataException")
		}
		if err == nil && (!connectors.ValueEqual(out.Value.Value, tt.want) || !connectors.SchemaEqual(out.Value.Schema, tt.wantSchema)) {
			t.Errorf("%s %s: got %+v, want %v", tt.version, tt.field, out.Value, tt.want)
		}
	}
}
