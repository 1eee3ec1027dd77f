package converters

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func mustJSON(t testing.TB, kv ...string) *JsonConverter {
	t.Helper()
	c, err := NewJsonConverter(valueCfg(kv...))
	if err != nil {
		t.Fatalf("NewJsonConverter: %v", err)
	}
	return c
}

func i32(v int32) *int32 { return &v }

func TestJsonFromConnect(t *testing.T) {
	arrayOfInt32 := &connectors.Schema{Type: connectors.Array, Value: connectors.Int32Schema}
	stringToInt := &connectors.Schema{Type: connectors.Map, Key: connectors.StringSchema, Value: connectors.Int32Schema}
	intToString := &connectors.Schema{Type: connectors.Map, Key: connectors.Int32Schema, Value: connectors.OptionalStringSchema}
	full := &connectors.Schema{Type: connectors.Int32, Optional: true, Name: "n", Version: i32(2), Doc: "d",
		Parameters: map[string]string{"b": "2", "a": "1"}, Default: int32(5)}
	optStruct := &connectors.Schema{Type: connectors.Struct, Optional: true, Fields: []connectors.Field{
		{Name: "id", Index: 0, Schema: connectors.Int64Schema},
		{Name: "opt", Index: 1, Schema: connectors.OptionalStringSchema},
	}}
	tests := []struct {
		name   string
		schema *connectors.Schema
		value  any
		want   string
		plain  string // with schemas.enable=false; "" means the payload of want
	}{
		{"quick start", connectors.StringSchema, "foo", `{"schema":{"type":"string","optional":false},"payload":"foo"}`, `"foo"`},
		{"schemaless string", nil, "x", `{"schema":null,"payload":"x"}`, `"x"`},
		{"escapes", connectors.StringSchema, "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f<>&é😀",
			`{"schema":{"type":"string","optional":false},"payload":"q\"b\\s/\b\f\n\r\t\u0001\u001F` + "\x7f" + `<>&é\uD83D\uDE00"}`, ""},
		{"invalid UTF-8", connectors.StringSchema, "a\xffb", `{"schema":{"type":"string","optional":false},"payload":"a` + "\uFFFD" + `b"}`, ""},
		{"int8", connectors.Int8Schema, int8(-128), `{"schema":{"type":"int8","optional":false},"payload":-128}`, ""},
		{"int16", connectors.OptionalInt16Schema, int16(300), `{"schema":{"type":"int16","optional":true},"payload":300}`, ""},
		{"int32", connectors.Int32Schema, int32(math.MinInt32), `{"schema":{"type":"int32","optional":false},"payload":-2147483648}`, ""},
		{"int64", connectors.Int64Schema, int64(math.MaxInt64), `{"schema":{"type":"int64","optional":false},"payload":9223372036854775807}`, ""},
		{"double 1.0", connectors.Float64Schema, 1.0, `{"schema":{"type":"double","optional":false},"payload":1.0}`, ""},
		{"double 1e20", connectors.Float64Schema, 1e20, `{"schema":{"type":"double","optional":false},"payload":1.0E20}`, ""},
		{"double 1.23456789E8", connectors.Float64Schema, 1.23456789e8, `{"schema":{"type":"double","optional":false},"payload":1.23456789E8}`, ""},
		{"double 1e-5", connectors.Float64Schema, 1e-5, `{"schema":{"type":"double","optional":false},"payload":1.0E-5}`, ""},
		{"double 0.001", connectors.Float64Schema, 0.001, `{"schema":{"type":"double","optional":false},"payload":0.001}`, ""},
		{"double NaN", connectors.Float64Schema, math.NaN(), `{"schema":{"type":"double","optional":false},"payload":"NaN"}`, ""},
		{"double -Inf", connectors.Float64Schema, math.Inf(-1), `{"schema":{"type":"double","optional":false},"payload":"-Infinity"}`, ""},
		{"float 12.34", connectors.Float32Schema, float32(12.34), `{"schema":{"type":"float","optional":false},"payload":12.34}`, ""},
		{"float Inf", connectors.Float32Schema, float32(math.Inf(1)), `{"schema":{"type":"float","optional":false},"payload":"Infinity"}`, ""},
		{"boolean", connectors.BooleanSchema, true, `{"schema":{"type":"boolean","optional":false},"payload":true}`, ""},
		{"bytes", connectors.BytesSchema, []byte{0, 1, 2, 0xff}, `{"schema":{"type":"bytes","optional":false},"payload":"AAEC/w=="}`, ""},
		{"empty bytes", connectors.BytesSchema, []byte{}, `{"schema":{"type":"bytes","optional":false},"payload":""}`, ""},
		{"array", arrayOfInt32, []any{int32(1), int32(2)}, `{"schema":{"type":"array","items":{"type":"int32","optional":false},"optional":false},"payload":[1,2]}`, ""},
		{"map string keys", stringToInt, map[any]any{"a": int32(1), "b": int32(2)},
			`{"schema":{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int32","optional":false},"optional":false},"payload":{"a":1,"b":2}}`, ""},
		{"map int keys", intToString, map[any]any{int32(2): nil, int32(1): "x"},
			`{"schema":{"type":"map","keys":{"type":"int32","optional":false},"values":{"type":"string","optional":true},"optional":false},"payload":[[1,"x"],[2,null]]}`, ""},
		{"all schema fields, null replaced by default", full, nil,
			`{"schema":{"type":"int32","optional":true,"name":"n","version":2,"doc":"d","parameters":{"a":"1","b":"2"},"default":5},"payload":5}`, "5"},
		{"optional null", connectors.OptionalStringSchema, nil, `{"schema":{"type":"string","optional":true},"payload":null}`, "null"},
		{"optional struct null", optStruct, nil,
			`{"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},{"type":"string","optional":true,"field":"opt"}],"optional":true},"payload":null}`, "null"},
		{"schemaless map", nil, map[string]any{"a": []any{int64(1), "x", nil, 1.5, true}},
			`{"schema":null,"payload":{"a":[1,"x",null,1.5,true]}}`, ""},
		{"schemaless non-string keys", nil, map[any]any{int32(1): "a"}, `{"schema":null,"payload":[[1,"a"]]}`, ""},
		{"schemaless map in HashMap order", nil, map[string]any{"b": int64(2), "a": int64(1), "c": int64(3), "aa": int64(0)},
			`{"schema":null,"payload":{"aa":0,"a":1,"b":2,"c":3}}`, ""}, // java.util.HashMap prints {aa=0, a=1, b=2, c=3}
	}
	enabled, disabled := mustJSON(t), mustJSON(t, KeySchemasEnable, "false")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := enabled.FromConnect(ctx, "t", nil, connectors.SchemaAndValue{Schema: tt.schema, Value: tt.value})
			if err != nil {
				t.Fatalf("FromConnect: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("FromConnect =\n %s\nwant\n %s", got, tt.want)
			}
			plain := tt.plain
			if plain == "" {
				_, plain, _ = strings.Cut(strings.TrimSuffix(tt.want, "}"), `,"payload":`)
			}
			got, err = disabled.FromConnect(ctx, "t", nil, connectors.SchemaAndValue{Schema: tt.schema, Value: tt.value})
			if err != nil || string(got) != plain {
				t.Errorf("schemas.enable=false: FromConnect = %s, %v; want %s", got, err, plain)
			}
		})
	}
}

func TestJsonSchemaKeyOrder(t *testing.T) {
	// The spec's example of a struct schema, fields in schema order and
	// "field" last in each field entry.
	s := &connectors.Schema{Type: connectors.Struct, Name: "com.example.Rec", Version: i32(2), Doc: "d", Fields: []connectors.Field{
		{Name: "id", Index: 0, Schema: connectors.Int64Schema},
		{Name: "opt", Index: 1, Schema: connectors.OptionalStringSchema},
	}}
	want := `{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},{"type":"string","optional":true,"field":"opt"}],"optional":false,"name":"com.example.Rec","version":2,"doc":"d"}`
	got, err := mustJSON(t).schemaJSON(s)
	if err != nil || string(got) != want {
		t.Errorf("schemaJSON = %s, %v\nwant %s", got, err, want)
	}
}

func TestJsonTombstone(t *testing.T) {
	for _, c := range []*JsonConverter{mustJSON(t), mustJSON(t, KeySchemasEnable, "false")} {
		if got, err := c.FromConnect(ctx, "t", nil, connectors.SchemaAndValue{}); got != nil || err != nil {
			t.Errorf("FromConnect(nil, nil) = %q, %v; want nil", got, err)
		}
		if got, err := c.ToConnect(ctx, "t", nil, nil); got.Schema != nil || got.Value != nil || err != nil {
			t.Errorf("ToConnect(nil) = %+v, %v", got, err)
		}
	}
}

func TestJsonReplaceNullWithDefault(t *testing.T) {
	s := &connectors.Schema{Type: connectors.String, Optional: true, Default: "dflt"}
	c := mustJSON(t, KeyReplaceNullWithDefault, "false")
	got, err := c.FromConnect(ctx, "t", nil, connectors.SchemaAndValue{Schema: s, Value: nil})
	want := `{"schema":{"type":"string","optional":true,"default":"dflt"},"payload":null}`
	if err != nil || string(got) != want {
		t.Errorf("FromConnect = %s, %v; want %s", got, err, want)
	}
	sv, err := c.ToConnect(ctx, "t", nil, []byte(want))
	if err != nil || sv.Value != nil {
		t.Errorf("ToConnect = %+v, %v; want nil value", sv, err)
	}
	sv, err = mustJSON(t).ToConnect(ctx, "t", nil, []byte(want))
	if err != nil || sv.Value != "dflt" {
		t.Errorf("ToConnect with replacement = %+v, %v; want dflt", sv, err)
	}
}

func TestJsonFromConnectErrors(t *testing.T) {
	tests := []struct {
		name        string
		schema      *connectors.Schema
		value       any
		want        string
		unsupported bool
	}{
		{"required null", connectors.StringSchema, nil, "Conversion error: null value for field that is required and has no default value", false},
		{"type mismatch", connectors.Float64Schema, true, "Invalid type for FLOAT64: class java.lang.Boolean", false},
		{"int width mismatch", connectors.Int32Schema, int64(1), "Invalid type for INT32: class java.lang.Long", false},
		{"bytes mismatch", connectors.BytesSchema, "x", "Invalid type for bytes type: class java.lang.String", false},
		{"Go type without schema", nil, 5, "Go type int does not have corresponding schema type.", false},
		{"nested required null", &connectors.Schema{Type: connectors.Array, Value: connectors.StringSchema}, []any{nil},
			"Conversion error: null value for field that is required and has no default value", false},
		{"map key type", &connectors.Schema{Type: connectors.Map, Key: connectors.StringSchema, Value: connectors.StringSchema}, map[any]any{int32(1): "a"},
			"Invalid type for STRING: class java.lang.Integer", false},
		{"struct value", &connectors.Schema{Type: connectors.Struct}, map[string]any{}, "Invalid type for STRUCT: class java.util.HashMap", false},
		{"logical type", &connectors.Schema{Type: connectors.Int32, Name: "org.apache.kafka.connect.data.Date"}, int32(1),
			"Invalid type for Date, expected Date but was class java.lang.Integer", false},
	}
	c := mustJSON(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.FromConnect(ctx, "t", nil, connectors.SchemaAndValue{Schema: tt.schema, Value: tt.value})
			var de *DataError
			if !errors.As(err, &de) || err.Error() != tt.want {
				t.Fatalf("error = %v, want DataError %q", err, tt.want)
			}
			if errors.Is(err, ErrUnsupported) != tt.unsupported {
				t.Errorf("errors.Is(err, ErrUnsupported) = %v", !tt.unsupported)
			}
		})
	}
}

func TestJsonToConnect(t *testing.T) {
	optInt32 := &connectors.Schema{Type: connectors.Int32, Optional: true}
	tests := []struct {
		name   string
		in     string
		schema *connectors.Schema
		value  any
	}{
		{"quick start", `{"schema":{"type":"string","optional":false},"payload":"foo"}`, connectors.StringSchema, "foo"},
		{"schema null", `{"schema":null,"payload":12}`, nil, int64(12)},
		{"keys in any order, whitespace", " {\"payload\" : true ,\n\"schema\":{\"optional\":true,\"type\":\"boolean\"}}\t", connectors.OptionalBooleanSchema, true},
		{"int8 truncates", `{"schema":{"type":"int8"},"payload":300}`, connectors.Int8Schema, int8(44)},
		{"int8 negative", `{"schema":{"type":"int8"},"payload":-129}`, connectors.Int8Schema, int8(127)},
		{"int16 truncates", `{"schema":{"type":"int16"},"payload":65537}`, connectors.Int16Schema, int16(1)},
		{"int32 from long", `{"schema":{"type":"int32"},"payload":4294967297}`, connectors.Int32Schema, int32(1)},
		{"int64 from big integer", `{"schema":{"type":"int64"},"payload":18446744073709551617}`, connectors.Int64Schema, int64(1)},
		{"int32 from decimal", `{"schema":{"type":"int32"},"payload":-1.9}`, connectors.Int32Schema, int32(-1)},
		{"int32 from exponent", `{"schema":{"type":"int32"},"payload":1e2}`, connectors.Int32Schema, int32(100)},
		{"int64 from huge exponent", `{"schema":{"type":"int64"},"payload":1e64}`, connectors.Int64Schema, int64(0)},
		{"int32 from text", `{"schema":{"type":"int32"},"payload":"12"}`, connectors.Int32Schema, int32(0)},
		{"leading zeros", `{"schema":{"type":"int32"},"payload":0012}`, connectors.Int32Schema, int32(12)},
		{"float", `{"schema":{"type":"float"},"payload":0.1}`, connectors.Float32Schema, float32(0.1)},
		{"double", `{"schema":{"type":"double"},"payload":1.0E20}`, connectors.Float64Schema, 1e20},
		{"double negative zero", `{"schema":{"type":"double"},"payload":-0.0}`, connectors.Float64Schema, 0.0},
		{"double overflow", `{"schema":{"type":"double"},"payload":1e400}`, connectors.Float64Schema, math.Inf(1)},
		{"double from text", `{"schema":{"type":"double"},"payload":"NaN"}`, connectors.Float64Schema, 0.0},
		{"boolean from number", `{"schema":{"type":"boolean"},"payload":1}`, connectors.BooleanSchema, false},
		{"string from number", `{"schema":{"type":"string"},"payload":1}`, connectors.StringSchema, nil},
		{"bytes", `{"schema":{"type":"bytes"},"payload":"AAEC/w=="}`, connectors.BytesSchema, []byte{0, 1, 2, 0xff}},
		{"bytes with spaces between groups", `{"schema":{"type":"bytes"},"payload":" AAEC AQ== "}`, connectors.BytesSchema, []byte{0, 1, 2, 1}},
		{"bytes from number", `{"schema":{"type":"bytes"},"payload":1}`, connectors.BytesSchema, nil},
		{"optional null", `{"schema":{"type":"int32","optional":true},"payload":null}`, optInt32, nil},
		{"default", `{"schema":{"type":"int32","optional":true,"default":7},"payload":null}`,
			&connectors.Schema{Type: connectors.Int32, Optional: true, Default: int32(7)}, int32(7)},
		{"schema details", `{"schema":{"type":"int32","name":"n","version":3,"doc":"d","parameters":{"p":"v"},"extra":1},"payload":1}`,
			&connectors.Schema{Type: connectors.Int32, Name: "n", Version: i32(3), Doc: "d", Parameters: map[string]string{"p": "v"}}, int32(1)},
		{"ignored schema details", `{"schema":{"type":"int32","optional":"true","name":1,"version":1.5,"doc":null,"parameters":[]},"payload":1}`,
			connectors.Int32Schema, int32(1)},
		{"array", `{"schema":{"type":"array","items":{"type":"string"}},"payload":["a","b"]}`,
			&connectors.Schema{Type: connectors.Array, Value: connectors.StringSchema}, []any{"a", "b"}},
		{"array from object values", `{"schema":{"type":"array","items":{"type":"int64"}},"payload":{"x":1,"y":2}}`,
			&connectors.Schema{Type: connectors.Array, Value: connectors.Int64Schema}, []any{int64(1), int64(2)}},
		{"array from scalar", `{"schema":{"type":"array","items":{"type":"int64"}},"payload":5}`,
			&connectors.Schema{Type: connectors.Array, Value: connectors.Int64Schema}, []any{}},
		{"map string keys", `{"schema":{"type":"map","keys":{"type":"string"},"values":{"type":"int64"}},"payload":{"a":1,"a":2}}`,
			&connectors.Schema{Type: connectors.Map, Key: connectors.StringSchema, Value: connectors.Int64Schema}, map[any]any{"a": int64(2)}},
		{"map pairs", `{"schema":{"type":"map","keys":{"type":"int8"},"values":{"type":"boolean"}},"payload":[[1,true],[2,false]]}`,
			&connectors.Schema{Type: connectors.Map, Key: connectors.Int8Schema, Value: connectors.BooleanSchema}, map[any]any{int8(1): true, int8(2): false}},
		{"struct schema, null payload", `{"schema":{"type":"struct","fields":[{"type":"int64","field":"id"},{"type":"string","optional":true,"field":"opt"}],"optional":true,"name":"com.example.Rec"},"payload":null}`,
			&connectors.Schema{Type: connectors.Struct, Optional: true, Name: "com.example.Rec", Fields: []connectors.Field{
				{Name: "id", Index: 0, Schema: connectors.Int64Schema},
				{Name: "opt", Index: 1, Schema: connectors.OptionalStringSchema},
			}}, nil},
		{"trailing bytes ignored", `{"schema":null,"payload":1} garbage`, nil, int64(1)},
		{"duplicate payload: last wins", `{"schema":null,"payload":1,"payload":2}`, nil, int64(2)},
		{"duplicate schema: last wins", `{"schema":{"type":"foo"},"payload":1,"schema":{"type":"int8"}}`, connectors.Int8Schema, int8(1)},
		{"UTF-8 BOM", "\xEF\xBB\xBF{\"schema\":null,\"payload\":\"é\"}", nil, "é"},
	}
	c := mustJSON(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.ToConnect(ctx, "t", nil, []byte(tt.in))
			if err != nil {
				t.Fatalf("ToConnect: %v", err)
			}
			if !reflect.DeepEqual(got.Schema, tt.schema) {
				t.Errorf("schema = %+v, want %+v", got.Schema, tt.schema)
			}
			if !reflect.DeepEqual(got.Value, tt.value) {
				t.Errorf("value = %#v, want %#v", got.Value, tt.value)
			}
		})
	}
}

func TestJsonToConnectSchemaless(t *testing.T) {
	tests := []struct {
		in   string
		want any
	}{
		{``, nil},
		{" \n", nil},
		{`null`, nil},
		{`true`, true},
		{`1`, int64(1)},
		{`-0`, int64(0)},
		{`0012`, int64(12)},
		{`-007`, int64(-7)},
		{`9223372036854775808`, int64(math.MinInt64)},
		{`1.0`, 1.0},
		{`1e2`, 100.0},
		{`"x"`, "x"},
		{`[1,"a",null,[]]`, []any{int64(1), "a", nil, []any{}}},
		{`{"a":{"b":[1.5]}}`, map[string]any{"a": map[string]any{"b": []any{1.5}}}},
		{`1 x`, int64(1)},
		{`true x`, true},
		{`true]`, true},
		{`"a"b`, "a"},
		{`{"a":1}}`, map[string]any{"a": int64(1)}},
		{`"\u00e9\/\uD83D\uDE00"`, "é/😀"},
		{`"\uD83D"`, "\uFFFD"},
		{`"\uDE00\uD83D"`, "\uFFFD\uFFFD"},
		{"\"\xED\xA0\xBD\xED\xB8\x80\"", "😀"}, // CESU-8 pair: Jackson decodes each half
		{"\"\xC0\x80\"", "\x00"},              // overlong NUL: Jackson does not check
		{"\x00\x31", int64(1)},                // UTF-16BE without BOM
		{"\xFF\xFE1\x00", int64(1)},           // UTF-16LE with BOM
		{"\x00\x00\x00\x31", int64(1)},        // UTF-32BE
		{strings.Repeat("[", 1000) + strings.Repeat("]", 1000), nest(1000)},
		{strings.Repeat("9", 1000), int64(-1)},
		{manyKeys(40) + `}`, manyKeysWant(40, -1)},
		{manyKeys(40) + `,"k5":"last"}`, manyKeysWant(40, 5)},
		{`{"a":1,"b":2,"a":3}`, map[string]any{"a": int64(3), "b": int64(2)}},
	}
	c := mustJSON(t, KeySchemasEnable, "false")
	for _, tt := range tests {
		got, err := c.ToConnect(ctx, "t", nil, []byte(tt.in))
		if err != nil {
			t.Errorf("ToConnect(%q): %v", tt.in, err)
			continue
		}
		if got.Schema != nil || !reflect.DeepEqual(got.Value, tt.want) {
			t.Errorf("ToConnect(%q) = %#v, want %#v", tt.in, got.Value, tt.want)
		}
	}
}

// manyKeys opens an object with n fields, enough for the parser to index
// them by name.
func manyKeys(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"k%d":%d`, i, i)
	}
	return b.String()
}

func manyKeysWant(n, replaced int) map[string]any {
	m := map[string]any{}
	for i := 0; i < n; i++ {
		m[fmt.Sprintf("k%d", i)] = int64(i)
	}
	if replaced >= 0 {
		m[fmt.Sprintf("k%d", replaced)] = "last"
	}
	return m
}

func nest(n int) any {
	v := []any{}
	for i := 1; i < n; i++ {
		v = []any{v}
	}
	return v
}

func TestJsonSyntaxErrors(t *testing.T) {
	// Documents Jackson (as configured by Kafka) refuses.
	inputs := []string{
		`1x`, `truex`, `true1`, `nul`, `tru`, `1.`, `.5`, `+1`, `-`, `1e`, `1e+`, `NaN`, `-Infinity`, `'a'`,
		`[1,]`, `[,1]`, `{"a":1,}`, `{'a':1}`, `{a:1}`, `{"a" 1}`, `[1 2]`, `[`, `{"a":`, `]`, "\"\x01\"", `"\x"`, `"\u12G4"`,
		"\"\x80\"", "\"\xC3\"", "\"\xC3\x41\"", "\xFF", `/* c */ 1`, `# c`, "\f1",
		strings.Repeat("[", 1001) + strings.Repeat("]", 1001),
		strings.Repeat("9", 1001),
		"0." + strings.Repeat("9", 1000),
		"1e99999999999",
	}
	c := mustJSON(t, KeySchemasEnable, "false")
	for _, in := range inputs {
		_, err := c.ToConnect(ctx, "t", nil, []byte(in))
		var de *DataError
		if !errors.As(err, &de) || !strings.HasPrefix(err.Error(), "Converting byte[] to Kafka Connect data failed due to serialization error: ") {
			t.Errorf("ToConnect(%.40q) error = %v, want a serialization DataError", in, err)
		}
	}
}

func TestJsonToConnectErrors(t *testing.T) {
	envelope := `JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.`
	tests := []struct {
		in   string
		want string
	}{
		{``, envelope},
		{`null`, envelope},
		{`"x"`, envelope},
		{`[]`, envelope},
		{`{}`, envelope},
		{`{"schema":null}`, envelope},
		{`{"payload":1}`, envelope},
		{`{"schema":null,"payload":1,"x":2}`, envelope},
		{`{"schema":null,"payload":1,"x":}`, "Converting byte[] to Kafka Connect data failed due to serialization error: "},
		{`{"schema":{},"payload":1}`, "Schema must contain 'type' field"},
		{`{"schema":5,"payload":1}`, "Schema must contain 'type' field"},
		{`{"schema":{"type":1},"payload":1}`, "Schema must contain 'type' field"},
		{`{"schema":{"type":"foo"},"payload":1}`, "Unknown schema type: foo"},
		{`{"schema":{"type":"array"},"payload":1}`, "Array schema did not specify the element type"},
		{`{"schema":{"type":"array","items":null},"payload":1}`, "Array schema did not specify the element type"},
		{`{"schema":{"type":"map","values":{"type":"string"}},"payload":1}`, "Map schema did not specify the key type"},
		{`{"schema":{"type":"map","keys":{"type":"string"}},"payload":1}`, "Map schema did not specify the value type"},
		{`{"schema":{"type":"map","keys":null,"values":{"type":"string"}},"payload":1}`, "keySchema cannot be null."},
		{`{"schema":{"type":"struct"},"payload":1}`, `Struct schema's "fields" argument is not an array.`},
		{`{"schema":{"type":"struct","fields":[{"type":"int8"}]},"payload":1}`, "Struct schema's field name not specified properly"},
		{`{"schema":{"type":"struct","fields":[{"type":"int8","field":"a"},{"type":"int8","field":"a"}]},"payload":1}`, "Cannot create field because of field name duplication a"},
		{`{"schema":{"type":"struct","fields":[{"type":"int8","field":""}]},"payload":1}`, "fieldName cannot be null."},
		{`{"schema":{"type":"int8","parameters":{"a":1}},"payload":1}`, "Schema parameters must have string values."},
		{`{"schema":{"type":"int8","default":null},"payload":1}`, "Invalid null value for required INT8 field"},
		{`{"schema":{"type":"string","default":5},"payload":1}`, `Invalid default value: Invalid value: null used for required field: "null", schema type: STRING`},
		{`{"schema":{"type":"int32"},"payload":null}`, "Invalid null value for required INT32 field"},
		{`{"schema":{"type":"map","keys":{"type":"string"},"values":{"type":"int8"}},"payload":[]}`, "Maps with string fields should be encoded as JSON objects, but found ARRAY"},
		{`{"schema":{"type":"map","keys":{"type":"int8"},"values":{"type":"int8"}},"payload":{}}`, "Maps with non-string fields should be encoded as JSON array of tuples, but found OBJECT"},
		{`{"schema":{"type":"map","keys":{"type":"int8"},"values":{"type":"int8"}},"payload":[1]}`, "Found invalid map entry instead of array tuple: NUMBER"},
		{`{"schema":{"type":"map","keys":{"type":"int8"},"values":{"type":"int8"}},"payload":[[1]]}`, "Found invalid map entry, expected length 2 but found :1"},
		{`{"schema":{"type":"struct","fields":[]},"payload":"x"}`, "Structs should be encoded as JSON objects, but found STRING"},
		{`{"schema":{"type":"bytes"},"payload":"AA"}`, "Invalid bytes field: "},
		{`{"schema":{"type":"bytes"},"payload":"A!=="}`, "Invalid bytes field: "},
		{`{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Date"},"payload":1.0}`, "Invalid type for Date, underlying representation should be integer but was NUMBER"},
	}
	c := mustJSON(t)
	for _, tt := range tests {
		_, err := c.ToConnect(ctx, "t", nil, []byte(tt.in))
		var de *DataError
		if !errors.As(err, &de) || !strings.HasPrefix(err.Error(), tt.want) || (!strings.HasSuffix(tt.want, " ") && err.Error() != tt.want) {
			t.Errorf("ToConnect(%s) error = %v\nwant DataError %q", tt.in, err, tt.want)
		}
	}
}

// TestJsonRoundTrip converts Connect data to JSON and back.
func TestJsonRoundTrip(t *testing.T) {
	arr := &connectors.Schema{Type: connectors.Array, Optional: true, Value: connectors.OptionalFloat64Schema}
	mp := &connectors.Schema{Type: connectors.Map, Key: connectors.Int64Schema, Value: &connectors.Schema{Type: connectors.Array, Value: connectors.StringSchema}}
	named := &connectors.Schema{Type: connectors.String, Name: "a.B", Version: i32(-1), Doc: "doc \"q\"", Parameters: map[string]string{"k": "v"}, Default: "d"}
	tests := []connectors.SchemaAndValue{
		{Schema: connectors.StringSchema, Value: "foo"},
		{Schema: connectors.StringSchema, Value: "ctl \x00\x1f \u2028 😀 é"},
		{Schema: connectors.Int8Schema, Value: int8(-5)},
		{Schema: connectors.Int16Schema, Value: int16(-300)},
		{Schema: connectors.Int32Schema, Value: int32(70000)},
		{Schema: connectors.Int64Schema, Value: int64(math.MinInt64)},
		{Schema: connectors.Float32Schema, Value: float32(3.1415927)},
		{Schema: connectors.Float32Schema, Value: float32(1e-45)},
		{Schema: connectors.Float64Schema, Value: 1.7976931348623157e308},
		{Schema: connectors.Float64Schema, Value: 5e-324},
		{Schema: connectors.Float64Schema, Value: 0.1 + 0.2},
		{Schema: connectors.BooleanSchema, Value: false},
		{Schema: connectors.BytesSchema, Value: []byte("\x00binary\xff")},
		{Schema: arr, Value: []any{1.5, nil, -2.0}},
		{Schema: mp, Value: map[any]any{int64(3): []any{"x"}, int64(-1): []any{}}},
		{Schema: named, Value: "v"},
		{Schema: nil, Value: map[string]any{"n": int64(1), "f": 2.5, "s": "x", "l": []any{true, nil}, "m": map[string]any{}}},
	}
	for _, schemas := range []string{"true", "false"} {
		c := mustJSON(t, KeySchemasEnable, schemas)
		for _, in := range tests {
			if schemas == "false" && in.Schema != nil {
				continue
			}
			b, err := c.FromConnect(ctx, "t", nil, in)
			if err != nil {
				t.Errorf("FromConnect(%#v): %v", in.Value, err)
				continue
			}
			out, err := c.ToConnect(ctx, "t", nil, b)
			if err != nil {
				t.Errorf("ToConnect(%s): %v", b, err)
				continue
			}
			if !reflect.DeepEqual(out, in) {
				t.Errorf("round trip via %s:\n got %+v %#v\nwant %+v %#v", b, out.Schema, out.Value, in.Schema, in.Value)
			}
		}
	}
}

func TestJsonSchemaCache(t *testing.T) {
	c := mustJSON(t, KeySchemasCacheSize, "2")
	s := &connectors.Schema{Type: connectors.String, Name: "cached"}
	for i := 0; i < 3; i++ {
		if _, err := c.FromConnect(ctx, "t", nil, connectors.SchemaAndValue{Schema: s, Value: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	if n := c.fromCache.len(); n != 1 {
		t.Errorf("fromCache holds %d schemas, want 1", n)
	}
	var first *connectors.Schema
	for i := 0; i < 4; i++ {
		in := `{"schema":{"type":"string","name":"s` + string(rune('0'+i%3)) + `"},"payload":"x"}`
		sv, err := c.ToConnect(ctx, "t", nil, []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = sv.Schema
		}
	}
	if n := c.toCache.len(); n != 2 {
		t.Errorf("toCache holds %d schemas, want its bound 2", n)
	}
	sv, _ := c.ToConnect(ctx, "t", nil, []byte(`{"schema":{"type":"string","name":"s0"},"payload":"x"}`))
	if sv.Schema == first {
		t.Error("an evicted schema was still served from the cache")
	}
	none := mustJSON(t, KeySchemasCacheSize, "0")
	if _, err := none.ToConnect(ctx, "t", nil, []byte(`{"schema":{"type":"string"},"payload":"x"}`)); err != nil || none.toCache.len() != 0 {
		t.Errorf("schemas.cache.size=0 cached a schema (%v)", err)
	}
}

func TestJsonConverterConfig(t *testing.T) {
	if _, err := NewJsonConverter(valueCfg(KeyDecimalFormat, "numeric")); err != nil {
		t.Errorf("decimal.format is case-insensitive in Kafka: %v", err)
	}
	for _, cfg := range []map[string]string{
		valueCfg(KeyDecimalFormat, "HEX"),
		valueCfg(KeySchemasEnable, "yes"),
		valueCfg(KeySchemasCacheSize, "many"),
		{},
	} {
		if _, err := NewJsonConverter(cfg); err == nil {
			t.Errorf("NewJsonConverter(%v) succeeded", cfg)
		}
	}
}

func TestJsonHeaderConverter(t *testing.T) {
	c := mustJSON(t)
	b, err := c.FromConnectHeader(ctx, "t", "h", connectors.SchemaAndValue{Schema: connectors.Int32Schema, Value: int32(4)})
	if err != nil || string(b) != `{"schema":{"type":"int32","optional":false},"payload":4}` {
		t.Errorf("FromConnectHeader = %s, %v", b, err)
	}
	sv, err := c.ToConnectHeader(ctx, "t", "h", b)
	if err != nil || sv.Value != int32(4) {
		t.Errorf("ToConnectHeader = %+v, %v", sv, err)
	}
}

// TestJsonConcurrentUse shares one converter, and so its schema caches,
// between goroutines; run with -race.
func TestJsonConcurrentUse(t *testing.T) {
	c := mustJSON(t, KeySchemasCacheSize, "3")
	schemas := make([]*connectors.Schema, 5)
	for i := range schemas {
		schemas[i] = &connectors.Schema{Type: connectors.String, Name: "s" + string(rune('a'+i))}
	}
	done := make(chan struct{})
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 200; i++ {
				s := schemas[(g+i)%len(schemas)]
				b, err := c.FromConnect(ctx, "t", nil, connectors.SchemaAndValue{Schema: s, Value: "v"})
				if err != nil {
					t.Error(err)
					return
				}
				sv, err := c.ToConnect(ctx, "t", nil, b)
				if err != nil || sv.Schema.Name != s.Name || sv.Value != "v" {
					t.Errorf("round trip = %+v, %v", sv, err)
					return
				}
			}
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}
