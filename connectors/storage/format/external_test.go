package format

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// The external tests read our files with readers that share no code with
// ours (Avro C's avrocat and avropipe, hyparquet in Node, Node's
// JSON.parse), so a mistake mirrored in our writer and our reader cannot
// pass unnoticed.

// externalTool returns the path of an external reader. A missing tool
// skips the test on a developer machine; in CI (CI=true), where .ci/run
// installs the tools, it fails, so a broken install cannot pass as a skip.
func externalTool(t *testing.T, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		missingTool(t, name+" not found in PATH; "+install)
	}
	return path
}

func missingTool(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (CI=true: the external readers are required)", msg)
	}
	t.Skip(msg)
}

// runTool runs a tool and returns its standard output, failing the test
// with its standard error when it does not succeed.
func runTool(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", filepath.Base(name), args, err, stderr.Bytes())
	}
	return out
}

// writeFile writes records with f into a file under a fresh directory and
// returns its path.
func writeFile(t *testing.T, f Format, rs ...connectors.SinkRecord) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out"+f.Extension())
	if err := os.WriteFile(path, []byte(writeAll(t, f, rs...)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// decodeJSON decodes one JSON value keeping integers exact: a number is an
// int64 when it is one, a float64 otherwise.
func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return exactNumbers(v)
}

func exactNumbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		if n, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return n
		}
		f, _ := strconv.ParseFloat(string(v), 64)
		return f
	case map[string]any:
		for k, e := range v {
			v[k] = exactNumbers(e)
		}
	case []any:
		for i, e := range v {
			v[i] = exactNumbers(e)
		}
	}
	return v
}

// compareFields reports every top-level field of got that differs from
// want, and fields missing on either side.
func compareFields(t *testing.T, what string, got, want any) {
	t.Helper()
	g, gok := got.(map[string]any)
	w, wok := want.(map[string]any)
	if !gok || !wok {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %#v\nwant %#v", what, got, want)
		}
		return
	}
	for k, wv := range w {
		gv, ok := g[k]
		if !ok {
			t.Errorf("%s: field %s missing", what, k)
			continue
		}
		if !reflect.DeepEqual(gv, wv) {
			t.Errorf("%s: field %s:\n got %#v\nwant %#v", what, k, gv, wv)
		}
	}
	for k := range g {
		if _, ok := w[k]; !ok {
			t.Errorf("%s: unexpected field %s = %#v", what, k, g[k])
		}
	}
}

// everything is a value schema with every Connect type the Avro and
// Parquet mappings support, and a full and a sparse value of it.
type everything struct {
	schema       *connectors.Schema
	full, sparse *connectors.StructValue
}

const (
	fullTimestampMillis = 1700000000123 // 2023-11-14T22:13:20.123Z
	fullTimeMillis      = 45296789      // 12:34:56.789
)

func newEverything(t *testing.T) everything {
	t.Helper()
	point := structSchema("com.example.Point",
		field(0, "x", connectors.Int32Schema),
		field(1, "y", connectors.OptionalFloat64Schema))
	maybePoint := &connectors.Schema{Type: connectors.Struct, Name: point.Name, Optional: true, Fields: point.Fields}
	s := structSchema("com.example.Everything",
		field(0, "i8", connectors.Int8Schema),
		field(1, "i16", connectors.Int16Schema),
		field(2, "i32", connectors.Int32Schema),
		field(3, "i64", connectors.Int64Schema),
		field(4, "f32", connectors.Float32Schema),
		field(5, "f64", connectors.Float64Schema),
		field(6, "b", connectors.BooleanSchema),
		field(7, "s", connectors.StringSchema),
		field(8, "raw", connectors.BytesSchema),
		field(9, "opt_s", connectors.OptionalStringSchema),
		field(10, "opt_i64", connectors.OptionalInt64Schema),
		field(11, "def_s", &connectors.Schema{Type: connectors.String, Optional: true, Default: "anon"}),
		field(12, "dec", connectors.DecimalSchema(2, false)),
		field(13, "opt_dec", connectors.DecimalSchema(3, true)),
		field(14, "date", connectors.DateSchema(false)),
		field(15, "time", connectors.TimeSchema(false)),
		field(16, "ts", connectors.TimestampSchema(false)),
		field(17, "opt_ts", connectors.TimestampSchema(true)),
		field(18, "tags", &connectors.Schema{Type: connectors.Array, Value: connectors.OptionalStringSchema}),
		field(19, "attrs", &connectors.Schema{Type: connectors.Map, Key: connectors.StringSchema, Value: connectors.Int64Schema}),
		field(20, "ids", &connectors.Schema{Type: connectors.Map, Key: connectors.Int32Schema, Value: connectors.StringSchema, Optional: true}),
		field(21, "at", point),
		field(22, "maybe", maybePoint),
		field(23, "path", &connectors.Schema{Type: connectors.Array, Value: point}),
	)
	ts := time.UnixMilli(fullTimestampMillis).UTC()
	full := structOf(t, s,
		"i8", int8(-128), "i16", int16(-1600), "i32", int32(1<<30), "i64", int64(-1)<<62,
		"f32", float32(1.5), "f64", 0.1, "b", true,
		"s", "h\u00e9llo \"q\"\n\u20ac\U0001F600", "raw", []byte{0xca, 0xfe, 0xff},
		"opt_s", "x", "opt_i64", int64(1)<<53+1, "def_s", "d",
		"dec", connectors.NewDecimal(-12345, 2), "opt_dec", connectors.NewDecimal(1234567, 3),
		"date", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), "time", time.UnixMilli(fullTimeMillis).UTC(),
		"ts", ts, "opt_ts", ts,
		"tags", []any{"a", nil, "b"},
		"attrs", map[any]any{"k": int64(9), "j": int64(-1)},
		"ids", map[any]any{int32(7): "seven", int32(1): "one"},
		"at", structOf(t, point, "x", int32(1), "y", 2.5),
		"maybe", structOf(t, maybePoint, "x", int32(2)),
		"path", []any{structOf(t, point, "x", int32(3)), structOf(t, point, "x", int32(4), "y", -0.25)},
	)
	sparse := structOf(t, s,
		"i8", int8(0), "i16", int16(0), "i32", int32(0), "i64", int64(0),
		"f32", float32(0), "f64", 0.0, "b", false,
		"s", "", "raw", []byte{0, 0x41, 0},
		"dec", connectors.NewDecimal(0, 2),
		"date", time.Unix(0, 0).UTC(), "time", time.UnixMilli(0).UTC(), "ts", time.UnixMilli(0).UTC(),
		"tags", []any{}, "attrs", map[any]any{},
		"at", structOf(t, point, "x", int32(-1)),
		"path", []any{},
	)
	return everything{schema: s, full: full, sparse: sparse}
}

// decimalBytes is a Decimal's unscaled value as Connect encodes it.
func decimalBytes(t *testing.T, d connectors.Decimal, scale int) []byte {
	t.Helper()
	b, err := connectors.EncodeDecimal(connectors.DecimalSchema(scale, false), d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// records returns n records alternating the full and sparse values, enough
// for several Avro blocks when n is large.
func (e everything) records(n int) []connectors.SinkRecord {
	rs := make([]connectors.SinkRecord, n)
	for i := range rs {
		v := e.full
		if i%2 == 1 {
			v = e.sparse
		}
		rs[i] = record(e.schema, v, int64(i))
	}
	return rs
}
