package transforms

import (
	"math/big"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func TestMaskFieldConfig(t *testing.T) {
	class := Package + ".MaskField$Value"
	wantConfigErr(t, class, map[string]string{}, KeyMaskFields, "missing")
	wantConfigErr(t, class, map[string]string{"fields": ""}, KeyMaskFields, "Empty list")
	wantConfigErr(t, class, map[string]string{"fields": "a", "replacement": ""}, KeyMaskReplacement, "String must be non-empty")
}

var maskSchema = structOf(
	fld("magic", connectors.Int32Schema), fld("bool", connectors.BooleanSchema), fld("byte", connectors.Int8Schema),
	fld("short", connectors.Int16Schema), fld("int", connectors.Int32Schema), fld("long", connectors.Int64Schema),
	fld("float", connectors.Float32Schema), fld("double", connectors.Float64Schema), fld("string", connectors.StringSchema),
	fld("date", connectors.DateSchema(false)), fld("time", connectors.TimeSchema(false)), fld("timestamp", connectors.TimestampSchema(false)),
	fld("decimal", connectors.DecimalSchema(0, false)), fld("array", &connectors.Schema{Type: connectors.Array, Value: connectors.Int32Schema}),
	fld("map", &connectors.Schema{Type: connectors.Map, Key: connectors.StringSchema, Value: connectors.StringSchema}),
	fld("withDefault", &connectors.Schema{Type: connectors.String, Optional: true, Default: "default"}),
	fld("bytes", &connectors.Schema{Type: connectors.Bytes, Optional: true}),
)

func maskStruct(t *testing.T) *connectors.StructValue {
	now := time.UnixMilli(1700000000000).UTC()
	return structVal(t, maskSchema, "magic", int32(42), "bool", true, "byte", int8(42), "short", int16(42), "int", int32(42),
		"long", int64(42), "float", float32(42), "double", float64(42), "string", "hmm", "date", connectors.DateFromDays(10),
		"time", time.UnixMilli(1000).UTC(), "timestamp", now, "decimal", connectors.NewDecimal(42, 0),
		"array", []any{int32(1), int32(2)}, "map", map[any]any{"what": "what"})
}

func TestMaskFieldWithSchema(t *testing.T) {
	var fields string
	for _, f := range maskSchema.Fields[1:16] {
		fields += f.Name + ","
	}
	for replace, wantDefault := range map[string]any{"true": "", "false": nil} {
		tr := mustTransform(t, Package+".MaskField$Value", map[string]string{"fields": fields[:len(fields)-1], "replace.null.with.default": replace})
		out, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Schema: maskSchema, Value: maskStruct(t)}})
		wantErr(t, err, "")
		want := structVal(t, maskSchema, "magic", int32(42), "bool", false, "byte", int8(0), "short", int16(0), "int", int32(0),
			"long", int64(0), "float", float32(0), "double", float64(0), "string", "", "date", time.UnixMilli(0).UTC(),
			"time", time.UnixMilli(0).UTC(), "timestamp", time.UnixMilli(0).UTC(), "decimal", connectors.NewDecimal(0, 0),
			"array", []any{}, "map", map[any]any{}, "withDefault", wantDefault)
		if !connectors.ValueEqual(out.Value.Value, want) {
			t.Errorf("replace %s: got %v\nwant %v", replace, out.Value.Value, want)
		}
	}
}

func TestMaskFieldReplacement(t *testing.T) {
	for _, tt := range []struct {
		field, replacement string
		want               any
		err                string
	}{
		{"short", "123", int16(123), ""},
		{"byte", "123", int8(123), ""},
		{"byte", "300", int8(44), ""}, // narrowed as Java's (byte) cast
		{"int", "123.9", int32(123), ""},
		{"long", "-1e3", int64(-1000), ""},
		{"float", "123.0", float32(123), ""},
		{"double", "0.1", 0.1, ""},
		{"string", "123", "123", ""},
		{"decimal", "123.0", connectors.Decimal{Unscaled: big.NewInt(1230), Scale: 1}, ""},
		{"int", "foo", nil, "Unable to convert foo (class java.lang.String) to a number"},
		{"decimal", "foo", nil, "Unable to convert foo (class java.lang.String) to number"},
		{"time", "1", nil, "Cannot mask value of type class java.util.Date with custom replacement."},
		{"bool", "false", nil, "Cannot mask value of type class java.lang.Boolean with custom replacement."},
		{"array", "1", nil, "Cannot mask value of type class java.util.ArrayList with custom replacement."},
	} {
		tr := mustTransform(t, Package+".MaskField$Value", map[string]string{"fields": tt.field, "replacement": tt.replacement})
		out, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Schema: maskSchema, Value: maskStruct(t)}})
		if tt.err != "" {
			wantDataErr(t, err, tt.err)
			continue
		}
		wantErr(t, err, "")
		if got, _ := out.Value.Value.(*connectors.StructValue).Get(tt.field); !connectors.ValueEqual(got, tt.want) {
			t.Errorf("%s=%s: got %#v, want %#v", tt.field, tt.replacement, got, tt.want)
		}
	}
}

func TestMaskFieldSchemalessKey(t *testing.T) {
	tr := mustTransform(t, Package+".MaskField$Key", map[string]string{"fields": "int,list,map,missing,nil"})
	key := map[string]any{"magic": int32(42), "int": int64(5), "list": []any{int64(1)}, "map": map[string]any{"a": "b"}, "nil": nil}
	out, _, err := apply(t, tr, connectors.Record{Key: connectors.SchemaAndValue{Value: key}})
	wantErr(t, err, "")
	want := map[string]any{"magic": int32(42), "int": int64(0), "list": []any{}, "map": map[string]any{}, "missing": nil, "nil": nil}
	if !connectors.ValueEqual(out.Key.Value, want) {
		t.Errorf("got %v", out.Key.Value)
	}

	tr = mustTransform(t, Package+".MaskField$Key", map[string]string{"fields": "b"})
	_, _, err = apply(t, tr, connectors.Record{Key: connectors.SchemaAndValue{Value: map[string]any{"b": []byte{1}}}})
	wantDataErr(t, err, "Cannot mask value of type: class [B")
	// Unlike most transforms, a null key is an error.
	_, _, err = apply(t, tr, connectors.Record{})
	wantDataErr(t, err, "Only Map objects supported in absence of schema for [mask fields], found: null")
	_, _, err = apply(t, tr, connectors.Record{Key: connectors.SchemaAndValue{Schema: maskSchema}})
	wantDataErr(t, err, "Only Struct objects supported for [mask fields], found: null")
}

func TestParseJavaBigDecimal(t *testing.T) {
	for in, want := range map[string]string{"1": "1", "-1.50": "-1.50", "+.5": "0.5", "1.": "1", "1e3": "1E+3", "12.5E-1": "1.25"} {
		d, ok := parseJavaBigDecimal(in)
		if !ok || d.String() != want {
			t.Errorf("%s: got %v %v, want %s", in, d, ok, want)
		}
	}
	for _, in := range []string{"", ".", "+", "1e", "1e+", "a", "1.2.3", "0x10", "1e99999999999", "1_0"} {
		if _, ok := parseJavaBigDecimal(in); ok {
			t.Errorf("%q parsed", in)
		}
	}
	if got := javaLongValue(connectors.NewDecimal(1, -70)); got != 0 {
		t.Errorf("1e70 long value %d", got)
	}
	if got := javaLongValue(connectors.Decimal{Unscaled: new(big.Int).Lsh(big.NewInt(1), 64), Scale: 0}); got != 0 {
		t.Errorf("2^64 long value %d", got)
	}
}
