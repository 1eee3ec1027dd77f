package format

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// readJSONLines checks with Node that a file is valid UTF-8 and that every
// newline-terminated line is one JSON value, and returns the values as
// JSON.parse read them. JSON.parse reads every number as a double.
const readJSONLines = `
const fs = require('node:fs')
const text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(process.argv[1]))
if (!text.endsWith('\n')) throw new Error('the last record has no line separator')
const values = text.slice(0, -1).split('\n').map((line, i) => {
  try {
    return JSON.parse(line)
  } catch (e) {
    throw new Error('line ' + (i + 1) + ': ' + e.message)
  }
})
process.stdout.write(JSON.stringify(values))
`

func nodeJSONLines(t *testing.T, node, path string) []any {
	t.Helper()
	var values []any
	if err := json.Unmarshal(runTool(t, node, "-e", readJSONLines, path), &values); err != nil {
		t.Fatal(err)
	}
	return values
}

// TestJSONReadByNode parses our newline-delimited JSON with Node's
// JSON.parse, for both decimal formats and for schemaless values whose
// encoding is easy to get wrong: NaN and the infinities (quoted, as
// Jackson writes them), control characters, U+2028 and malformed UTF-8
// (written as U+FFFD).
func TestJSONReadByNode(t *testing.T) {
	node := externalTool(t, "node", "install Node.js 20 or later")
	e := newEverything(t)
	b64 := func(d connectors.Decimal, scale int) string {
		return base64.StdEncoding.EncodeToString(decimalBytes(t, d, scale))
	}
	full := func(dec, optDec any) map[string]any {
		return map[string]any{
			"i8": -128.0, "i16": -1600.0, "i32": float64(1 << 30), "i64": float64(-1 << 62),
			"f32": 1.5, "f64": 0.1, "b": true,
			"s":       "h\u00e9llo \"q\"\n\u20ac\U0001F600",
			"raw":     base64.StdEncoding.EncodeToString([]byte{0xca, 0xfe, 0xff}),
			"opt_s":   "x",
			"opt_i64": float64(1<<53 + 1), // a double: 2^53
			"def_s":   "d",
			"dec":     dec, "opt_dec": optDec,
			"date": 19782.0, "time": float64(fullTimeMillis),
			"ts": float64(fullTimestampMillis), "opt_ts": float64(fullTimestampMillis),
			"tags":  []any{"a", nil, "b"},
			"attrs": map[string]any{"k": 9.0, "j": -1.0},
			"ids":   []any{[]any{1.0, "one"}, []any{7.0, "seven"}},
			"at":    map[string]any{"x": 1.0, "y": 2.5},
			"maybe": map[string]any{"x": 2.0, "y": nil},
			"path":  []any{map[string]any{"x": 3.0, "y": nil}, map[string]any{"x": 4.0, "y": -0.25}},
		}
	}
	sparse := func(dec any) map[string]any {
		return map[string]any{
			"i8": 0.0, "i16": 0.0, "i32": 0.0, "i64": 0.0, "f32": 0.0, "f64": 0.0, "b": false,
			"s": "", "raw": "AEEA", "opt_s": nil, "opt_i64": nil, "def_s": "anon",
			"dec": dec, "opt_dec": nil,
			"date": 0.0, "time": 0.0, "ts": 0.0, "opt_ts": nil,
			"tags": []any{}, "attrs": map[string]any{}, "ids": nil,
			"at":    map[string]any{"x": -1.0, "y": nil},
			"maybe": nil, "path": []any{},
		}
	}
	tests := []struct {
		name    string
		decimal string
		records []connectors.SinkRecord
		want    []any
	}{
		{"base64 decimals", "BASE64", e.records(2), []any{
			full(b64(connectors.NewDecimal(-12345, 2), 2), b64(connectors.NewDecimal(1234567, 3), 3)),
			sparse(b64(connectors.NewDecimal(0, 2), 2)),
		}},
		{"numeric decimals", "NUMERIC", e.records(2), []any{full(-123.45, 1234.567), sparse(0.0)}},
		{"schemaless", "", []connectors.SinkRecord{
			record(nil, map[string]any{
				"nan": math.NaN(), "inf": math.Inf(-1), "max": float32(math.MaxFloat32),
				"text": "a\xffb\u2028\x00\x1f\x7f", "bytes": []byte{0, 0xff}, "null": nil,
			}, 0),
			record(nil, nil, 1),
			record(nil, []any{map[any]any{int64(1): "x"}, "\r\n"}, 2),
		}, []any{
			map[string]any{
				// A float is written with a float's shortest digits, as Java
				// prints it, and read back as a double.
				"nan": "NaN", "inf": "-Infinity", "max": 3.4028235e38,
				"text": "a\ufffdb\u2028\x00\x1f\x7f", "bytes": "AP8=", "null": nil,
			},
			nil,
			[]any{[]any{[]any{1.0, "x"}}, "\r\n"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := NewJSON(tt.decimal)
			if err != nil {
				t.Fatal(err)
			}
			got := nodeJSONLines(t, node, writeFile(t, f, tt.records...))
			if len(got) != len(tt.want) {
				t.Fatalf("JSON.parse read %d lines, want %d: %v", len(got), len(tt.want), got)
			}
			for i := range got {
				compareFields(t, fmt.Sprintf("line %d", i+1), got[i], tt.want[i])
			}
		})
	}
}
