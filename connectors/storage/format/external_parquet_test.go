package format

import (
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// hyparquetDir holds the Node script that prints a Parquet file as
// hyparquet reads it, and the pinned hyparquet packages it imports.
var hyparquetDir = filepath.Join("testdata", "hyparquet")

// hyparquetReader returns the paths of node and of read.mjs.
func hyparquetReader(t *testing.T) (node, script string) {
	t.Helper()
	node = externalTool(t, "node", "install Node.js 20 or later")
	if _, err := os.Stat(filepath.Join(hyparquetDir, "node_modules", "hyparquet", "package.json")); err != nil {
		missingTool(t, "hyparquet is not installed; run: npm ci --prefix connectors/storage/format/"+filepath.ToSlash(hyparquetDir))
	}
	script, err := filepath.Abs(filepath.Join(hyparquetDir, "read.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	return node, script
}

// hyparquetRead returns the schema, footer metadata, codecs and rows of a
// Parquet file as read.mjs prints them.
func hyparquetRead(t *testing.T, node, script, path string) map[string]any {
	t.Helper()
	doc, ok := decodeJSON(t, runTool(t, node, script, path)).(map[string]any)
	if !ok {
		t.Fatal("read.mjs did not print an object")
	}
	return doc
}

// describeColumn prints one schema element as hyparquet reports it: name,
// physical type (or group), repetition, converted type and logical type
// with its parameters.
func describeColumn(e map[string]any) string {
	parts := []string{e["name"].(string)}
	if typ, ok := e["type"].(string); ok {
		parts = append(parts, typ)
	} else {
		parts = append(parts, "group")
	}
	for _, k := range []string{"repetition_type", "converted_type"} {
		if v, ok := e[k].(string); ok {
			parts = append(parts, v)
		}
	}
	if lt, ok := e["logical_type"].(map[string]any); ok {
		var params []string
		for _, k := range slices.Sorted(maps.Keys(lt)) {
			if k != "type" {
				params = append(params, fmt.Sprintf("%s=%v", k, lt[k]))
			}
		}
		s := lt["type"].(string)
		if len(params) > 0 {
			s += "(" + strings.Join(params, ",") + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// TestParquetReadByHyparquet reads our Parquet files with hyparquet, a
// reader written from the Parquet specification in JavaScript. It reports
// INT64 values as BigInt, DATE and TIMESTAMP as Dates, TIME_MILLIS as the
// plain number, DECIMAL as a JavaScript number (so decimals are compared
// to the nearest double, the exact bytes being parquet-go's round-trip
// test's concern), and MAP keys as object keys, which are strings.
func TestParquetReadByHyparquet(t *testing.T) {
	node, script := hyparquetReader(t)
	e := newEverything(t)
	const (
		int32Logical = "INTEGER(bitWidth=32,isSigned=true)"
		int64Logical = "INTEGER(bitWidth=64,isSigned=true)"
		str          = "BYTE_ARRAY %s UTF8 STRING"
	)
	wantSchema := []string{
		"com.example.Everything group",
		"i8 INT32 REQUIRED " + int32Logical,
		"i16 INT32 REQUIRED " + int32Logical,
		"i32 INT32 REQUIRED " + int32Logical,
		"i64 INT64 REQUIRED " + int64Logical,
		"f32 FLOAT REQUIRED",
		"f64 DOUBLE REQUIRED",
		"b BOOLEAN REQUIRED",
		"s " + fmt.Sprintf(str, "REQUIRED"),
		"raw BYTE_ARRAY REQUIRED",
		"opt_s " + fmt.Sprintf(str, "OPTIONAL"),
		"opt_i64 INT64 OPTIONAL " + int64Logical,
		"def_s " + fmt.Sprintf(str, "OPTIONAL"),
		"dec BYTE_ARRAY REQUIRED DECIMAL DECIMAL(precision=64,scale=2)",
		"opt_dec BYTE_ARRAY OPTIONAL DECIMAL DECIMAL(precision=64,scale=3)",
		"date INT32 REQUIRED DATE DATE",
		"time INT32 REQUIRED TIME_MILLIS TIME(isAdjustedToUTC=true,unit=MILLIS)",
		"ts INT64 REQUIRED TIMESTAMP_MILLIS TIMESTAMP(isAdjustedToUTC=true,unit=MILLIS)",
		"opt_ts INT64 OPTIONAL TIMESTAMP_MILLIS TIMESTAMP(isAdjustedToUTC=true,unit=MILLIS)",
		"tags group REQUIRED LIST LIST",
		"list group REPEATED",
		"element " + fmt.Sprintf(str, "OPTIONAL"),
		"attrs group REQUIRED MAP MAP",
		"key_value group REPEATED",
		"key " + fmt.Sprintf(str, "REQUIRED"),
		"value INT64 REQUIRED " + int64Logical,
		"ids group OPTIONAL MAP MAP",
		"key_value group REPEATED",
		"key INT32 REQUIRED " + int32Logical,
		"value " + fmt.Sprintf(str, "REQUIRED"),
		"at group REQUIRED",
		"x INT32 REQUIRED " + int32Logical,
		"y DOUBLE OPTIONAL",
		"maybe group OPTIONAL",
		"x INT32 REQUIRED " + int32Logical,
		"y DOUBLE OPTIONAL",
		"path group REQUIRED LIST LIST",
		"list group REPEATED",
		"element group REQUIRED",
		"x INT32 REQUIRED " + int32Logical,
		"y DOUBLE OPTIONAL",
	}
	bigint := func(s string) any { return map[string]any{"bigint": s} }
	date := func(s string) any { return map[string]any{"date": s} }
	full := map[string]any{
		"i8": int64(-128), "i16": int64(-1600), "i32": int64(1 << 30), "i64": bigint("-4611686018427387904"),
		"f32": 1.5, "f64": 0.1, "b": true,
		"s":       "h\u00e9llo \"q\"\n\u20ac\U0001F600",
		"raw":     map[string]any{"bytes": "yv7/"},
		"opt_s":   "x",
		"opt_i64": bigint("9007199254740993"),
		"def_s":   "d",
		"dec":     -123.45,
		"opt_dec": 1234.567,
		"date":    date("2024-02-29T00:00:00.000Z"),
		"time":    int64(fullTimeMillis),
		"ts":      date("2023-11-14T22:13:20.123Z"),
		"opt_ts":  date("2023-11-14T22:13:20.123Z"),
		"tags":    []any{"a", nil, "b"},
		"attrs":   map[string]any{"k": bigint("9"), "j": bigint("-1")},
		"ids":     map[string]any{"1": "one", "7": "seven"},
		"at":      map[string]any{"x": int64(1), "y": 2.5},
		"maybe":   map[string]any{"x": int64(2), "y": nil},
		"path": []any{
			map[string]any{"x": int64(3), "y": nil},
			map[string]any{"x": int64(4), "y": -0.25},
		},
	}
	sparse := map[string]any{
		"i8": int64(0), "i16": int64(0), "i32": int64(0), "i64": bigint("0"),
		"f32": int64(0), "f64": int64(0), "b": false, // JSON.stringify prints 0.0 as 0
		"s":       "",
		"raw":     map[string]any{"bytes": "AEEA"},
		"opt_s":   nil,
		"opt_i64": nil,
		"def_s":   "anon", // the field's default
		"dec":     int64(0),
		"opt_dec": nil,
		"date":    date("1970-01-01T00:00:00.000Z"),
		"time":    int64(0),
		"ts":      date("1970-01-01T00:00:00.000Z"),
		"opt_ts":  nil,
		"tags":    []any{},
		"attrs":   map[string]any{},
		"ids":     nil,
		"at":      map[string]any{"x": int64(-1), "y": nil},
		"maybe":   nil,
		"path":    []any{},
	}
	avroSchema, err := avroSchemaJSON(e.schema)
	if err != nil {
		t.Fatal(err)
	}

	const n = 100
	codecs := map[string]string{
		"none": "UNCOMPRESSED", "snappy": "SNAPPY", "gzip": "GZIP",
		"zstd": "ZSTD", "lz4": "LZ4_RAW", "brotli": "BROTLI",
	}
	for _, codec := range slices.Sorted(maps.Keys(codecs)) {
		t.Run(codec, func(t *testing.T) {
			doc := hyparquetRead(t, node, script, writeFile(t, Parquet{Codec: codec}, e.records(n)...))

			var gotSchema []string
			for _, el := range doc["schema"].([]any) {
				gotSchema = append(gotSchema, describeColumn(el.(map[string]any)))
			}
			if !slices.Equal(gotSchema, wantSchema) {
				t.Errorf("schema:\n got %s\nwant %s", strings.Join(gotSchema, "\n     "), strings.Join(wantSchema, "\n     "))
			}
			md := doc["metadata"].(map[string]any)
			if md["parquet.avro.schema"] != string(avroSchema) || md["writer.model.name"] != "avro" {
				t.Errorf("footer metadata = %v, want parquet.avro.schema %s and writer.model.name avro", md, avroSchema)
			}
			if got := doc["codecs"]; !slices.Equal(got.([]any), []any{codecs[codec]}) {
				t.Errorf("column codecs = %v, want [%s]", got, codecs[codec])
			}
			if got := doc["num_rows"]; fmt.Sprint(got) != fmt.Sprint(bigint(fmt.Sprint(n))) {
				t.Errorf("num_rows = %v, want %d", got, n)
			}

			rows := doc["rows"].([]any)
			if len(rows) != n {
				t.Fatalf("hyparquet read %d rows, want %d", len(rows), n)
			}
			for i, row := range rows {
				want := full
				if i%2 == 1 {
					want = sparse
				}
				roundDecimals(row.(map[string]any), map[string]int{"dec": 2, "opt_dec": 3})
				compareFields(t, fmt.Sprintf("row %d", i), row, want)
				if t.Failed() {
					t.FailNow()
				}
			}
		})
	}
}

// roundDecimals rounds the decimal fields hyparquet computed in floating
// point (unscaled × 10^-scale) to their scale, giving the double nearest
// the exact decimal, as a literal in the expected rows is.
func roundDecimals(row map[string]any, scales map[string]int) {
	for name, scale := range scales {
		if f, ok := row[name].(float64); ok {
			p := math.Pow10(scale)
			row[name] = math.Round(f*p) / p
		}
	}
}
