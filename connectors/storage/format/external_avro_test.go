package format

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

const avroInstall = "install Debian's avro-bin (apt-get install avro-bin)"

// avroJSONBytes is bytes in Avro's JSON encoding: a string whose code
// points are the byte values.
func avroJSONBytes(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// avrocatBytes is bytes as avrocat prints them: Avro C copies bytes into a
// C string, so they end at the first zero byte. avropipe prints them whole
// and is checked separately.
func avrocatBytes(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return avroJSONBytes(b)
}

// TestAvroReadByAvroC reads our container files with Avro C's avrocat,
// which prints each record in Avro's JSON encoding: logical types as their
// base types, a union value as {"branch": value} and null as null. Avro C
// names a record branch by its simple name ("Point") where the
// specification wants the full name, and has no zstandard codec.
func TestAvroReadByAvroC(t *testing.T) {
	avrocat := externalTool(t, "avrocat", avroInstall)
	avropipe := externalTool(t, "avropipe", avroInstall)

	e := newEverything(t)
	dec := decimalBytes(t, connectors.NewDecimal(-12345, 2), 2)
	optDec := decimalBytes(t, connectors.NewDecimal(1234567, 3), 3)
	zeroDec := decimalBytes(t, connectors.NewDecimal(0, 2), 2)
	full := map[string]any{
		"i8": int64(-128), "i16": int64(-1600), "i32": int64(1 << 30), "i64": int64(-1) << 62,
		"f32": 1.5, "f64": 0.1, "b": true,
		"s":       "h\u00e9llo \"q\"\n\u20ac\U0001F600",
		"raw":     avrocatBytes([]byte{0xca, 0xfe, 0xff}),
		"opt_s":   map[string]any{"string": "x"},
		"opt_i64": map[string]any{"long": int64(1)<<53 + 1},
		"def_s":   map[string]any{"string": "d"},
		"dec":     avrocatBytes(dec),
		"opt_dec": map[string]any{"bytes": avrocatBytes(optDec)},
		"date":    int64(19782), // 2024-02-29
		"time":    int64(fullTimeMillis),
		"ts":      int64(fullTimestampMillis),
		"opt_ts":  map[string]any{"long": int64(fullTimestampMillis)},
		"tags":    []any{map[string]any{"string": "a"}, nil, map[string]any{"string": "b"}},
		"attrs":   map[string]any{"k": int64(9), "j": int64(-1)},
		// An optional map with non-string keys is a union with an array
		// of entries, in Java's HashMap order.
		"ids": map[string]any{"array": []any{
			map[string]any{"key": int64(1), "value": "one"},
			map[string]any{"key": int64(7), "value": "seven"},
		}},
		"at":    map[string]any{"x": int64(1), "y": map[string]any{"double": 2.5}},
		"maybe": map[string]any{"Point": map[string]any{"x": int64(2), "y": nil}},
		"path": []any{
			map[string]any{"x": int64(3), "y": nil},
			map[string]any{"x": int64(4), "y": map[string]any{"double": -0.25}},
		},
	}
	sparse := map[string]any{
		"i8": int64(0), "i16": int64(0), "i32": int64(0), "i64": int64(0),
		"f32": 0.0, "f64": 0.0, "b": false,
		"s":       "",
		"raw":     avrocatBytes([]byte{0, 0x41, 0}),
		"opt_s":   nil,
		"opt_i64": nil,
		"def_s":   map[string]any{"string": "anon"}, // the field's default
		"dec":     avrocatBytes(zeroDec),
		"opt_dec": nil,
		"date":    int64(0), "time": int64(0), "ts": int64(0),
		"opt_ts": nil,
		"tags":   []any{},
		"attrs":  map[string]any{},
		"ids":    nil,
		"at":     map[string]any{"x": int64(-1), "y": nil},
		"maybe":  nil,
		"path":   []any{},
	}
	// avropipe prints bytes in full but numbers with six decimals, so it
	// checks only the bytes fields, by path.
	pipeBytes := map[string][]byte{
		"/0/raw": {0xca, 0xfe, 0xff}, "/0/dec": dec, "/0/opt_dec/bytes": optDec,
		"/1/raw": {0, 0x41, 0}, "/1/dec": zeroDec,
	}

	const n = 1000 // several blocks of avroSyncInterval bytes
	for _, codec := range []string{"null", "deflate", "snappy"} {
		t.Run(codec, func(t *testing.T) {
			path := writeFile(t, Avro{Codec: codec}, e.records(n)...)

			lines := nonEmptyLines(runTool(t, avrocat, path))
			if len(lines) != n {
				t.Fatalf("avrocat printed %d records, want %d", len(lines), n)
			}
			for i, line := range lines {
				want := full
				if i%2 == 1 {
					want = sparse
				}
				compareFields(t, fmt.Sprintf("record %d", i), decodeJSON(t, line), want)
				if t.Failed() {
					t.Fatalf("avrocat line %d: %s", i, line)
				}
			}

			got := map[string][]byte{}
			sc := bufio.NewScanner(bytes.NewReader(runTool(t, avropipe, path)))
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				p, v, ok := strings.Cut(sc.Text(), "\t")
				if _, checked := pipeBytes[p]; !ok || !checked {
					continue
				}
				var s string
				if err := json.Unmarshal([]byte(v), &s); err != nil {
					t.Fatalf("avropipe %s: %v", sc.Text(), err)
				}
				b := make([]byte, 0, len(s))
				for _, r := range s {
					b = append(b, byte(r))
				}
				got[p] = b
			}
			if err := sc.Err(); err != nil {
				t.Fatal(err)
			}
			for p, want := range pipeBytes {
				if !bytes.Equal(got[p], want) {
					t.Errorf("avropipe %s = %x, want %x", p, got[p], want)
				}
			}
		})
	}
}

func nonEmptyLines(b []byte) [][]byte {
	var lines [][]byte
	for line := range bytes.Lines(b) {
		if line = bytes.TrimRight(line, "\n"); len(line) > 0 {
			lines = append(lines, line)
		}
	}
	return lines
}
