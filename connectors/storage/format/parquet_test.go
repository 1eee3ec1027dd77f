package format

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// readParquet opens a file with parquet-go and reads every row as a map.
func readParquet(t *testing.T, b []byte) (*parquet.File, []map[string]any) {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	r := parquet.NewReader(f)
	var rows []map[string]any
	for {
		m := map[string]any{}
		if err := r.Read(&m); err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatalf("read: %v", err)
			}
			break
		}
		rows = append(rows, m)
	}
	return f, rows
}

func TestParquetRoundTrip(t *testing.T) {
	point := structSchema("", field(0, "x", connectors.Int32Schema), field(1, "y", connectors.OptionalFloat64Schema))
	s := structSchema("com.example.Event",
		field(0, "i8", connectors.Int8Schema),
		field(1, "i16", connectors.Int16Schema),
		field(2, "i64", connectors.Int64Schema),
		field(3, "f32", connectors.Float32Schema),
		field(4, "b", connectors.BooleanSchema),
		field(5, "s", connectors.OptionalStringSchema),
		field(6, "raw", connectors.BytesSchema),
		field(7, "dec", connectors.DecimalSchema(2, false)),
		field(8, "date", connectors.DateSchema(true)),
		field(9, "time", connectors.TimeSchema(false)),
		field(10, "ts", connectors.TimestampSchema(false)),
		field(11, "tags", &connectors.Schema{Type: connectors.Array, Value: connectors.OptionalStringSchema}),
		field(12, "attrs", &connectors.Schema{Type: connectors.Map, Key: connectors.StringSchema, Value: connectors.Int64Schema, Optional: true}),
		field(13, "at", point),
		field(14, "path", &connectors.Schema{Type: connectors.Array, Value: point}),
	)
	ts := time.UnixMilli(1700000000123).UTC()
	day := time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
	full := structOf(t, s,
		"i8", int8(-1), "i16", int16(300), "i64", int64(1)<<40, "f32", float32(0.5), "b", true,
		"s", "hi", "raw", []byte{1, 2}, "dec", connectors.NewDecimal(-150, 2), "date", day,
		"time", time.UnixMilli(1000).UTC(), "ts", ts,
		"tags", []any{"a", nil, "b"},
		"attrs", map[any]any{"k": int64(9)},
		"at", structOf(t, point, "x", int32(1), "y", 2.5),
		"path", []any{structOf(t, point, "x", int32(2)), structOf(t, point, "x", int32(3), "y", 0.25)},
	)
	sparse := structOf(t, s,
		"i8", int8(0), "i16", int16(0), "i64", int64(0), "f32", float32(0), "b", false,
		"raw", []byte{}, "dec", connectors.NewDecimal(0, 2),
		"time", time.UnixMilli(0).UTC(), "ts", ts,
		"tags", []any{},
		"at", structOf(t, point, "x", int32(0)),
		"path", []any{},
	)
	var buf bytes.Buffer
	w, err := Parquet{}.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, w, record(s, full, 0), record(s, sparse, 1))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, rows := readParquet(t, buf.Bytes())

	wantSchema := `message com.example.Event {
	required int32 i8 (INT(32,true));
	required int32 i16 (INT(32,true));
	required int64 i64 (INT(64,true));
	required float f32;
	required boolean b;
	optional binary s (STRING);
	required binary raw;
	required binary dec (DECIMAL(64,2));
	optional int32 date (DATE);
	required int32 time (TIME(isAdjustedToUTC=true,unit=MILLIS));
	required int64 ts (TIMESTAMP(isAdjustedToUTC=true,unit=MILLIS));
	required group tags (LIST) {
		repeated group list {
			optional binary element (STRING);
		}
	}
	optional group attrs (MAP) {
		repeated group key_value {
			required binary key (STRING);
			required int64 value (INT(64,true));
		}
	}
	required group at {
		required int32 x (INT(32,true));
		optional double y;
	}
	required group path (LIST) {
		repeated group list {
			required group element {
				required int32 x (INT(32,true));
				optional double y;
			}
		}
	}
}`
	if got := f.Schema().String(); got != wantSchema {
		t.Errorf("schema\n got %s\nwant %s", got, wantSchema)
	}
	if v, _ := f.Lookup("parquet.avro.schema"); !strings.HasPrefix(v, `{"type":"record","name":"Event","namespace":"com.example"`) {
		t.Errorf("parquet.avro.schema = %q", v)
	}
	want := []map[string]any{
		{
			"i8": int32(-1), "i16": int32(300), "i64": int64(1) << 40, "f32": float32(0.5), "b": true,
			"s": "hi", "raw": []byte{1, 2}, "dec": "-1.5", "date": int32(19782),
			"time": int32(1000), "ts": int64(1700000000123),
			"tags":  []any{"a", nil, "b"},
			"attrs": map[string]any{"k": int64(9)},
			"at":    map[string]any{"x": int32(1), "y": 2.5},
			"path":  []any{map[string]any{"x": int32(2), "y": nil}, map[string]any{"x": int32(3), "y": 0.25}},
		},
		{
			"i8": int32(0), "i16": int32(0), "i64": int64(0), "f32": float32(0), "b": false,
			"s": nil, "raw": []byte{}, "dec": "0", "date": nil,
			"time": int32(0), "ts": int64(1700000000123),
			"tags":  []any{},
			"attrs": nil,
			"at":    map[string]any{"x": int32(0), "y": nil},
			"path":  []any{},
		},
	}
	if len(rows) != len(want) {
		t.Fatalf("read %d rows, want %d", len(rows), len(want))
	}
	for i := range want {
		for k, wv := range want[i] {
			if gv := rows[i][k]; !looselyEqual(gv, wv) {
				t.Errorf("row %d field %s = %#v (%T), want %#v", i, k, gv, gv, wv)
			}
		}
	}
}

// looselyEqual compares values read by parquet-go's generic reader, which
// returns strings as strings or bytes depending on context, and decimals
// as *big.Float (compared with the wanted decimal's text).
func looselyEqual(got, want any) bool {
	if reflect.DeepEqual(got, want) {
		return true
	}
	switch g := got.(type) {
	case *big.Float:
		w, ok := want.(string)
		return ok && g.Text('f', -1) == w
	case string:
		if w, ok := want.([]byte); ok {
			return g == string(w)
		}
	case []byte:
		if w, ok := want.(string); ok {
			return string(g) == w
		}
	case map[string]any:
		w, ok := want.(map[string]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for k := range w {
			if !looselyEqual(g[k], w[k]) {
				return false
			}
		}
		return true
	case []any:
		w, ok := want.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !looselyEqual(g[i], w[i]) {
				return false
			}
		}
		return true
	}
	return false
}

func TestParquetCodecs(t *testing.T) {
	s := structSchema("com.example.L", field(0, "text", connectors.StringSchema))
	for _, codec := range []string{"none", "snappy", "gzip", "zstd", "lz4", "brotli"} {
		t.Run(codec, func(t *testing.T) {
			var buf bytes.Buffer
			w, err := Parquet{Codec: codec}.NewWriter(&buf)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 100 {
				mustWrite(t, w, record(s, structOf(t, s, "text", strings.Repeat("x", i)), int64(i)))
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			f, rows := readParquet(t, buf.Bytes())
			if len(rows) != 100 || !looselyEqual(rows[99]["text"], strings.Repeat("x", 99)) {
				t.Errorf("read %d rows, last %v", len(rows), rows[len(rows)-1])
			}
			got := f.Metadata().RowGroups[0].Columns[0].MetaData.Codec.String()
			want := map[string]string{"none": "UNCOMPRESSED", "snappy": "SNAPPY", "gzip": "GZIP", "zstd": "ZSTD", "lz4": "LZ4_RAW", "brotli": "BROTLI"}[codec]
			if got != want {
				t.Errorf("column codec = %s, want %s", got, want)
			}
		})
	}
	if _, err := (Parquet{Codec: "lzo"}).NewWriter(&bytes.Buffer{}); err == nil {
		t.Error("lzo: no error")
	}
}

func TestParquetErrors(t *testing.T) {
	s := structSchema("com.example.V", field(0, "a", connectors.Int32Schema))
	s2 := structSchema("com.example.V", field(0, "a", connectors.Int64Schema))
	var buf bytes.Buffer
	w, _ := Parquet{}.NewWriter(&buf)
	mustWrite(t, w, record(s, structOf(t, s, "a", int32(1)), 0))
	if err := w.Write(record(s2, structOf(t, s2, "a", int64(2)), 1)); !errors.Is(err, ErrSchemaChanged) {
		t.Errorf("schema change: %v, want ErrSchemaChanged", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, rows := readParquet(t, buf.Bytes()); len(rows) != 1 {
		t.Errorf("read %d rows, want 1", len(rows))
	}

	for name, r := range map[string]connectors.SinkRecord{
		"primitive":  record(connectors.Int32Schema, int32(1), 0),
		"schemaless": record(nil, map[string]any{"a": 1}, 0),
		"null":       record(s, nil, 0),
	} {
		w, _ := Parquet{}.NewWriter(&bytes.Buffer{})
		if err := w.Write(r); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	optKey := structSchema("com.example.M", field(0, "m", &connectors.Schema{Type: connectors.Map, Key: connectors.OptionalStringSchema, Value: connectors.StringSchema}))
	w, _ = Parquet{}.NewWriter(&bytes.Buffer{})
	if err := w.Write(record(optKey, structOf(t, optKey, "m", map[any]any{}), 0)); err == nil {
		t.Error("optional map keys: no error")
	}
}

// A file larger than rowGroupBytes is written as several row groups, so
// that a writer's memory is bounded by that size, not by flush.size.
func TestParquetRowGroupsBoundMemory(t *testing.T) {
	defer func(old int) { rowGroupBytes = old }(rowGroupBytes)
	rowGroupBytes = 4 << 10
	s := structSchema("r", field(0, "id", connectors.Int64Schema), field(1, "name", connectors.StringSchema))
	var buf bytes.Buffer
	w, err := Parquet{Codec: "snappy"}.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	const n = 2000
	for i := range n {
		mustWrite(t, w, record(s, structOf(t, s, "id", int64(i), "name", fmt.Sprintf("name-%d", i)), int64(i)))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, rows := readParquet(t, buf.Bytes())
	if groups := len(f.RowGroups()); groups < 5 {
		t.Errorf("%d row groups, want one per %d bytes of values", groups, rowGroupBytes)
	}
	if len(rows) != n || rows[n-1]["id"] != int64(n-1) || rows[n-1]["name"] != fmt.Sprintf("name-%d", n-1) {
		t.Errorf("read %d rows, last %v", len(rows), rows[len(rows)-1])
	}
}
