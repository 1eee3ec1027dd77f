package format

import (
	"bytes"
	"errors"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hamba/avro/v2"
	"github.com/hamba/avro/v2/ocf"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func version(v int32) *int32 { return &v }

func TestAvroSchemaJSON(t *testing.T) {
	inner := structSchema("", field(0, "x", connectors.Int32Schema))
	other := structSchema("", field(0, "y", connectors.StringSchema))
	tests := []struct {
		name   string
		schema *connectors.Schema
		want   string
	}{
		{"int8", connectors.Int8Schema, `{"type":"int","connect.type":"int8"}`},
		{"int16 optional", connectors.OptionalInt16Schema, `["null",{"type":"int","connect.type":"int16"}]`},
		{"primitives", connectors.Int64Schema, `"long"`},
		{"optional string", connectors.OptionalStringSchema, `["null","string"]`},
		{"decimal", connectors.DecimalSchema(2, false),
			`{"type":"bytes","scale":2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"2"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}`},
		{"decimal with precision", &connectors.Schema{Type: connectors.Bytes, Name: connectors.DecimalName, Version: version(1),
			Parameters: map[string]string{"scale": "3", "connect.decimal.precision": "10"}},
			`{"type":"bytes","scale":3,"precision":10,"connect.version":1,"connect.parameters":{"connect.decimal.precision":"10","scale":"3"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}`},
		{"date", connectors.DateSchema(false),
			`{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Date","logicalType":"date"}`},
		{"time", connectors.TimeSchema(true),
			`["null",{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Time","logicalType":"time-millis"}]`},
		{"timestamp", connectors.TimestampSchema(false),
			`{"type":"long","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"}`},
		{"string map", &connectors.Schema{Type: connectors.Map, Key: connectors.StringSchema, Value: connectors.OptionalInt32Schema},
			`{"type":"map","values":["null","int"]}`},
		{"int map", &connectors.Schema{Type: connectors.Map, Key: connectors.Int32Schema, Value: connectors.StringSchema},
			`{"type":"array","items":{"type":"record","name":"MapEntry","namespace":"io.confluent.connect.avro","fields":[{"name":"key","type":"int"},{"name":"value","type":"string"}]}}`},
		{"named map", &connectors.Schema{Type: connectors.Map, Name: "com.x.Counts", Key: connectors.OptionalStringSchema, Value: connectors.Int64Schema},
			`{"type":"array","items":{"type":"record","name":"Counts","namespace":"com.x","fields":[{"name":"key","type":["null","string"],"default":null},{"name":"value","type":"long"}],"connect.internal.type":"MapEntry"},"connect.name":"com.x.Counts"}`},
		{"array", &connectors.Schema{Type: connectors.Array, Value: connectors.BytesSchema, Doc: "blobs"},
			`{"type":"array","items":"bytes","connect.doc":"blobs"}`},
		{"unnamed struct", structSchema("", field(0, "a", connectors.StringSchema)),
			`{"type":"record","name":"ConnectDefault","namespace":"io.confluent.connect.avro","fields":[{"name":"a","type":"string"}]}`},
		{"named struct with metadata", &connectors.Schema{Type: connectors.Struct, Name: "com.example.User", Version: version(3), Doc: "a user",
			Fields: []connectors.Field{
				field(0, "id", connectors.Int64Schema),
				field(1, "nick", &connectors.Schema{Type: connectors.String, Optional: true, Default: "anon"}),
				field(2, "age", &connectors.Schema{Type: connectors.Int32, Default: int32(7)}),
				field(3, "score", &connectors.Schema{Type: connectors.Float64, Optional: true, Default: 1e10}),
			}},
			`{"type":"record","name":"User","namespace":"com.example","fields":[` +
				`{"name":"id","type":"long"},` +
				`{"name":"nick","type":[{"type":"string","connect.default":"anon"},"null"],"default":"anon"},` +
				`{"name":"age","type":{"type":"int","connect.default":7},"default":7},` +
				`{"name":"score","type":[{"type":"double","connect.default":1.0E10},"null"],"default":1.0E10}` +
				`],"connect.doc":"a user","connect.version":3,"connect.name":"com.example.User"}`},
		{"nested reuse and renaming", structSchema("com.example.Outer",
			field(0, "a", inner),
			field(1, "b", &connectors.Schema{Type: connectors.Struct, Optional: true, Fields: inner.Fields}),
			field(2, "c", other),
			field(3, "d", structSchema("com.example.Leaf", field(0, "z", connectors.BooleanSchema))),
			field(4, "e", structSchema("com.example.Leaf", field(0, "z", connectors.BooleanSchema))),
			field(5, "f", structSchema("Bare", field(0, "w", connectors.Float32Schema))),
		),
			`{"type":"record","name":"Outer","namespace":"com.example","fields":[` +
				`{"name":"a","type":{"type":"record","name":"ConnectDefault","namespace":"io.confluent.connect.avro","fields":[{"name":"x","type":"int"}]}},` +
				`{"name":"b","type":["null","io.confluent.connect.avro.ConnectDefault"],"default":null},` +
				`{"name":"c","type":{"type":"record","name":"ConnectDefault2","namespace":"io.confluent.connect.avro","fields":[{"name":"y","type":"string"}]}},` +
				`{"name":"d","type":{"type":"record","name":"Leaf","fields":[{"name":"z","type":"boolean"}],"connect.name":"com.example.Leaf"}},` +
				`{"name":"e","type":"Leaf"},` +
				`{"name":"f","type":{"type":"record","name":"Bare","namespace":"","fields":[{"name":"w","type":"float"}],"connect.name":"Bare"}}` +
				`],"connect.name":"com.example.Outer"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := avroSchemaJSON(tt.schema)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("schema\n got %s\nwant %s", got, tt.want)
			}
			if _, err := avro.ParseWithCache(string(got), "", &avro.SchemaCache{}); err != nil {
				t.Errorf("hamba cannot parse the schema: %v", err)
			}
		})
	}
}

func TestAvroSchemaNameClash(t *testing.T) {
	s := structSchema("com.x.A",
		field(0, "p", structSchema("com.x.B", field(0, "i", connectors.Int32Schema))),
		field(1, "q", structSchema("com.x.B", field(0, "s", connectors.StringSchema))))
	if _, err := avroSchemaJSON(s); err == nil || !strings.Contains(err.Error(), "com.x.B") {
		t.Fatalf("err = %v, want a clash on com.x.B", err)
	}
}

// readAvro decodes a container file with hamba's OCF reader, turning
// decimals into their exact strings for comparison.
func readAvro(t *testing.T, b []byte) (schema, codec string, values []any) {
	t.Helper()
	dec, err := ocf.NewDecoder(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	for dec.HasNext() {
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("decode: %v", err)
		}
		values = append(values, normalize(v))
	}
	if err := dec.Error(); err != nil {
		t.Fatalf("read: %v", err)
	}
	return string(dec.Metadata()["avro.schema"]), string(dec.Metadata()["avro.codec"]), values
}

func normalize(v any) any {
	switch v := v.(type) {
	case *big.Rat:
		return v.RatString()
	case map[string]any:
		for k, e := range v {
			v[k] = normalize(e)
		}
	case []any:
		for i, e := range v {
			v[i] = normalize(e)
		}
	}
	return v
}

func TestAvroRoundTrip(t *testing.T) {
	day := time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
	ts := time.UnixMilli(1700000000123).UTC()
	inner := structSchema("com.example.Point", field(0, "x", connectors.Int32Schema), field(1, "y", connectors.OptionalInt32Schema))
	optPt := &connectors.Schema{Type: connectors.Struct, Name: "com.example.Point", Optional: true, Fields: inner.Fields}
	all := structSchema("com.example.All",
		field(0, "i8", connectors.Int8Schema),
		field(1, "i16", connectors.Int16Schema),
		field(2, "i32", connectors.Int32Schema),
		field(3, "i64", connectors.Int64Schema),
		field(4, "f32", connectors.Float32Schema),
		field(5, "f64", connectors.Float64Schema),
		field(6, "b", connectors.BooleanSchema),
		field(7, "s", connectors.StringSchema),
		field(8, "bytes", connectors.BytesSchema),
		field(9, "dec", connectors.DecimalSchema(3, false)),
		field(10, "date", connectors.DateSchema(false)),
		field(11, "time", connectors.TimeSchema(false)),
		field(12, "ts", connectors.TimestampSchema(false)),
		field(13, "opt", connectors.OptionalStringSchema),
		field(14, "def", &connectors.Schema{Type: connectors.Int64, Optional: true, Default: int64(42)}),
		field(15, "arr", &connectors.Schema{Type: connectors.Array, Value: connectors.OptionalStringSchema}),
		field(16, "smap", &connectors.Schema{Type: connectors.Map, Key: connectors.StringSchema, Value: connectors.Int32Schema}),
		field(17, "imap", &connectors.Schema{Type: connectors.Map, Key: connectors.Int64Schema, Value: connectors.OptionalBooleanSchema}),
		field(18, "pt", inner),
		field(19, "optpt", optPt),
		field(20, "reqdef", &connectors.Schema{Type: connectors.String, Default: "dflt"}),
	)
	full := structOf(t, all,
		"i8", int8(-8), "i16", int16(-1600), "i32", int32(1<<30), "i64", int64(-1<<40),
		"f32", float32(1.5), "f64", 2.25, "b", true, "s", "héllo", "bytes", []byte{0, 1, 255},
		"dec", connectors.NewDecimal(-123456, 3), "date", day, "time", time.UnixMilli(45296789).UTC(), "ts", ts,
		"opt", "present", "def", int64(7),
		"arr", []any{"a", nil, "c"},
		"smap", map[any]any{"one": int32(1)},
		"imap", map[any]any{int64(5): nil},
		"pt", structOf(t, inner, "x", int32(1), "y", int32(2)),
		"optpt", structOf(t, optPt, "x", int32(3)),
	)
	sparse := structOf(t, all,
		"i8", int8(0), "i16", int16(0), "i32", int32(0), "i64", int64(0),
		"f32", float32(0), "f64", 0.0, "b", false, "s", "", "bytes", []byte{},
		"dec", connectors.NewDecimal(0, 3), "date", day, "time", time.UnixMilli(0).UTC(), "ts", ts,
		"arr", []any{}, "smap", map[any]any{}, "imap", map[any]any{},
		"pt", structOf(t, inner, "x", int32(0)),
	)
	wantFull := map[string]any{
		"i8": -8, "i16": -1600, "i32": 1 << 30, "i64": int64(-1 << 40),
		"f32": float32(1.5), "f64": 2.25, "b": true, "s": "héllo", "bytes": []byte{0, 1, 255},
		"dec": "-15432/125", "date": day, "time": 45296789 * time.Millisecond, "ts": ts,
		"opt": "present", "def": int64(7),
		"arr":    []any{"a", nil, "c"},
		"smap":   map[string]any{"one": 1},
		"imap":   []any{map[string]any{"key": int64(5), "value": nil}},
		"pt":     map[string]any{"x": 1, "y": 2},
		"optpt":  map[string]any{"com.example.Point": map[string]any{"x": 3, "y": nil}}, // hamba names a record's union branch
		"reqdef": "dflt",
	}
	wantSparse := map[string]any{
		"i8": 0, "i16": 0, "i32": 0, "i64": int64(0),
		"f32": float32(0), "f64": 0.0, "b": false, "s": "", "bytes": []byte{},
		"dec": "0", "date": day, "time": time.Duration(0), "ts": ts,
		"opt": nil, "def": int64(42), // Struct.get gives the default
		"arr": []any{}, "smap": map[string]any{}, "imap": []any{},
		"pt":     map[string]any{"x": 0, "y": nil},
		"optpt":  nil,
		"reqdef": "dflt",
	}

	tests := []struct {
		name   string
		schema *connectors.Schema
		values []any
		want   []any
	}{
		{"every type", all, []any{full, sparse}, []any{wantFull, wantSparse}},
		{"top-level int8", connectors.Int8Schema, []any{int8(-128), int8(127)}, []any{-128, 127}},
		{"top-level optional string", connectors.OptionalStringSchema, []any{"x", nil}, []any{"x", nil}},
		{"top-level decimal", connectors.DecimalSchema(2, false), []any{connectors.NewDecimal(12345, 2)}, []any{"2469/20"}},
		{"top-level array of maps", &connectors.Schema{Type: connectors.Array, Value: &connectors.Schema{Type: connectors.Map, Key: connectors.StringSchema, Value: connectors.Float64Schema}},
			[]any{[]any{map[string]any{"pi": 3.14}}}, []any{[]any{map[string]any{"pi": 3.14}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			w, err := Avro{}.NewWriter(&buf)
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range tt.values {
				mustWrite(t, w, record(tt.schema, v, int64(i)))
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			_, codec, got := readAvro(t, buf.Bytes())
			if codec != "null" {
				t.Errorf("codec = %q, want null", codec)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("values\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestAvroCodecs(t *testing.T) {
	s := structSchema("com.example.Line", field(0, "text", connectors.StringSchema))
	for _, codec := range []string{"", "null", "deflate", "snappy", "zstandard"} {
		t.Run(codec, func(t *testing.T) {
			var buf bytes.Buffer
			w, err := Avro{Codec: codec}.NewWriter(&buf)
			if err != nil {
				t.Fatal(err)
			}
			var want []any
			for i := range 500 {
				text := strings.Repeat("line ", i%7)
				mustWrite(t, w, record(s, structOf(t, s, "text", text), int64(i)))
				want = append(want, map[string]any{"text": text})
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			_, gotCodec, got := readAvro(t, buf.Bytes())
			if wantCodec := cmpOr(codec, "null"); gotCodec != wantCodec {
				t.Errorf("codec = %q, want %q", gotCodec, wantCodec)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("read back %d values, differing from the %d written", len(got), len(want))
			}
		})
	}
	if _, err := (Avro{Codec: "bzip2"}).NewWriter(&bytes.Buffer{}); err == nil {
		t.Error("bzip2: no error")
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestAvroSchemaChange(t *testing.T) {
	v1 := structSchema("com.example.V", field(0, "a", connectors.Int32Schema))
	v2 := structSchema("com.example.V", field(0, "a", connectors.Int32Schema), field(1, "b", connectors.OptionalStringSchema))
	same := structSchema("com.example.V", field(0, "a", connectors.Int32Schema)) // equal, another pointer
	var buf bytes.Buffer
	w, _ := Avro{}.NewWriter(&buf)
	mustWrite(t, w, record(v1, structOf(t, v1, "a", int32(1)), 0))
	err := w.Write(record(v2, structOf(t, v2, "a", int32(2)), 1))
	if !errors.Is(err, ErrSchemaChanged) {
		t.Fatalf("Write(v2) = %v, want ErrSchemaChanged", err)
	}
	mustWrite(t, w, record(same, structOf(t, same, "a", int32(3)), 2))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, _, got := readAvro(t, buf.Bytes())
	want := []any{map[string]any{"a": 1}, map[string]any{"a": 3}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
}

func TestAvroErrors(t *testing.T) {
	t.Run("schemaless", func(t *testing.T) {
		w, _ := Avro{}.NewWriter(&bytes.Buffer{})
		if err := w.Write(record(nil, map[string]any{"a": 1}, 0)); err == nil || !strings.Contains(err.Error(), "schemaless") {
			t.Errorf("err = %v, want a schemaless error", err)
		}
	})
	t.Run("bad value leaves the file intact", func(t *testing.T) {
		var buf bytes.Buffer
		w, _ := Avro{}.NewWriter(&buf)
		mustWrite(t, w, record(connectors.Int32Schema, int32(1), 0))
		if err := w.Write(record(connectors.Int32Schema, "one", 1)); err == nil {
			t.Error("string for int32: no error")
		}
		if err := w.Write(record(connectors.Int32Schema, nil, 2)); err == nil {
			t.Error("null for a required int32: no error")
		}
		mustWrite(t, w, record(connectors.Int32Schema, int32(3), 3))
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if _, _, got := readAvro(t, buf.Bytes()); !reflect.DeepEqual(got, []any{1, 3}) {
			t.Errorf("got %#v, want [1 3]", got)
		}
	})
	t.Run("no records, no bytes", func(t *testing.T) {
		var buf bytes.Buffer
		w, _ := Avro{}.NewWriter(&buf)
		if err := w.Close(); err != nil || buf.Len() != 0 {
			t.Errorf("Close = %v with %d bytes, want nil and none", err, buf.Len())
		}
	})
}

// TestAvrocat reads a file back with avro-c's avrocat, an independent
// implementation, when the Debian avro-bin package is installed.
func TestAvrocat(t *testing.T) {
	avrocat, err := exec.LookPath("avrocat")
	if err != nil {
		t.Skip("avrocat (Debian avro-bin) not installed")
	}
	s := structSchema("com.example.Cat",
		field(0, "n", connectors.Int8Schema),
		field(1, "s", connectors.OptionalStringSchema),
		field(2, "m", &connectors.Schema{Type: connectors.Map, Key: connectors.Int32Schema, Value: connectors.StringSchema}),
		field(3, "d", connectors.DecimalSchema(2, false)))
	for _, codec := range []string{"null", "deflate", "snappy"} {
		path := filepath.Join(t.TempDir(), "f.avro")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		w, _ := Avro{Codec: codec}.NewWriter(f)
		mustWrite(t, w, record(s, structOf(t, s, "n", int8(4), "s", "x", "m", map[any]any{int32(1): "a"}, "d", connectors.NewDecimal(5, 2)), 0))
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(avrocat, path).CombinedOutput()
		if err != nil {
			t.Fatalf("avrocat (%s): %v\n%s", codec, err, out)
		}
		if !strings.Contains(string(out), `"n": 4`) && !strings.Contains(string(out), `"n":4`) {
			t.Errorf("avrocat (%s) output %s lacks n=4", codec, out)
		}
	}
}
