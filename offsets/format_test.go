package offsets

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// javaOffsets is a file written by Kafka's FileOffsetBackingStore holding
// ["local-file-source",{"filename":"test.txt"}] → {"position":22}.
var javaOffsets = mustHex("aced0005737200116a6176612e7574696c2e486173684d61700507dac1c31660d103000246000a6c6f6164466163746f7249000974687265" +
	"73686f6c6478703f4000000000000c77080000001000000001757200025b42acf317f8060854e002000078700000002d5b226c6f63616c2d" +
	"66696c652d736f75726365222c7b2266696c656e616d65223a22746573742e747874227d5d7571007e00020000000f7b22706f736974696f" +
	"6e223a32327d78")

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// file wraps connector entries in a format-1 header.
func file(connectors string) []byte {
	return []byte(`{"format": "connect-standalone-offsets", "version": 1, "connectors": {` + connectors + `}}`)
}

// badFiles are contents OpenFile must refuse without touching the file.
var badFiles = []struct {
	name string
	data []byte
	want error
	msg  []string // substrings of the error
}{
	{"java serialized", javaOffsets, ErrJavaFormat,
		[]string{"Java-serialized", "needs converting", "point offset.storage.file.filename at a new file"}},
	{"java serialized empty map", mustHex("aced0005737200116a6176612e7574696c2e486173684d61700507dac1c31660d103000246000a6c6f6164466163746f724900097468726573686f6c6478703f400000000000007708000000100000000078"),
		ErrJavaFormat, []string{"Java-serialized"}},
	{"truncated json", []byte(`{"format": "connect-standalone-offsets", "vers`), ErrInvalid, []string{"not valid JSON", "line 1"}},
	{"syntax error on line 4", []byte("{\n  \"format\": \"connect-standalone-offsets\",\n  \"version\": 1,\n  \"connectors\": {,}\n}\n"),
		ErrInvalid, []string{"line 4, column 18"}},
	{"trailing garbage", append(file(""), " x"...), ErrInvalid, []string{"not valid JSON"}},
	{"binary", []byte{0x00, 0x01, 0xff}, ErrInvalid, []string{"not valid JSON"}},
	{"top level array", []byte(`[]`), ErrInvalid, []string{"top level is a JSON array"}},
	{"top level null", []byte(`null`), ErrInvalid, []string{"top level is null"}},
	{"missing marker", []byte(`{"version": 1, "connectors": {}}`), ErrInvalid,
		[]string{`"format" is missing`, "not a connect-standalone offsets file"}},
	{"wrong marker", []byte(`{"format": "kafka", "version": 1, "connectors": {}}`), ErrInvalid,
		[]string{`"format" is "kafka"`}},
	{"future version", []byte(`{"format": "connect-standalone-offsets", "version": 2, "partitions": [1, 2]}`),
		ErrUnsupportedVersion, []string{"version 2 is newer", "newer connect-standalone"}},
	{"version zero", []byte(`{"format": "connect-standalone-offsets", "version": 0}`), ErrInvalid, []string{`"version" is 0`}},
	{"version as string", []byte(`{"format": "connect-standalone-offsets", "version": "1"}`), ErrInvalid, []string{`"version" is "1"`}},
	{"version as float", []byte(`{"format": "connect-standalone-offsets", "version": 1.0}`), ErrInvalid, []string{`"version" is 1.0`}},
	{"missing version", []byte(`{"format": "connect-standalone-offsets"}`), ErrInvalid, []string{`"version" is missing`}},
	{"unknown top-level field", []byte(`{"format": "connect-standalone-offsets", "version": 1, "conectors": {}}`),
		ErrInvalid, []string{`unknown top-level field "conectors"`}},
	{"connectors not an object", []byte(`{"format": "connect-standalone-offsets", "version": 1, "connectors": []}`),
		ErrInvalid, []string{`"connectors" must be a JSON object`}},
	{"entries not an array", file(`"src": {"partition": {}, "offset": {}}`), ErrInvalid,
		[]string{`connectors["src"] must be a JSON array`}},
	{"entry not an object", file(`"src": [1]`), ErrInvalid, []string{`connectors["src"][0] must be an object`}},
	{"misspelt field", file(`"src": [{"partition": {}, "ofset": {}}]`), ErrInvalid,
		[]string{`connectors["src"][0]: unknown field "ofset"`}},
	{"missing offset", file(`"src": [{"partition": {"f": "a"}}]`), ErrInvalid, []string{`missing "offset"`}},
	{"missing partition", file(`"src": [{"offset": {}}]`), ErrInvalid, []string{`missing "partition"`}},
	{"null partition", file(`"src": [{"partition": null, "offset": {}}]`), ErrInvalid,
		[]string{`connectors["src"][0].partition must be a JSON object`}},
	{"offset is a number", file(`"src": [{"partition": {}, "offset": 22}]`), ErrInvalid,
		[]string{`connectors["src"][0].offset must be a JSON object, got 22`}},
	{"integer overflow", file(`"src": [{"partition": {}, "offset": {"position": 9223372036854775808}}]`), ErrInvalid,
		[]string{`connectors["src"][0].offset["position"]: integer 9223372036854775808 does not fit`}},
	{"float overflow", file(`"src": [{"partition": {}, "offset": {"position": 1e400}}]`), ErrInvalid,
		[]string{"out of the float64 range"}},
}

func TestDecodeRejects(t *testing.T) {
	for _, tc := range badFiles {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decode(tc.data)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Decode() = %v, %v; want error wrapping %q", got, err, tc.want)
			}
			for _, m := range tc.msg {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not contain %q", err, m)
				}
			}
		})
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		data string
		want map[string][]Entry
	}{
		{"empty", "", map[string][]Entry{}},
		{"whitespace", " \n\t", map[string][]Entry{}},
		{"no connectors field", `{"format": "connect-standalone-offsets", "version": 1}`, map[string][]Entry{}},
		{"null connectors", `{"format": "connect-standalone-offsets", "version": 1, "connectors": null}`, map[string][]Entry{}},
		{"connector without entries is dropped", string(file(`"src": []`)), map[string][]Entry{}},
		{
			"one entry", string(file(`"local-file-source": [{"partition": {"filename": "test.txt"}, "offset": {"position": 22}}]`)),
			map[string][]Entry{"local-file-source": {{map[string]any{"filename": "test.txt"}, map[string]any{"position": int64(22)}}}},
		},
		{
			"byte-order mark", "\xEF\xBB\xBF" + string(file(`"s": [{"partition": {}, "offset": {}}]`)),
			map[string][]Entry{"s": {{map[string]any{}, map[string]any{}}}},
		},
		{
			"later entry for the same partition wins, whatever its key order",
			string(file(`"s": [{"partition": {"b": 1, "a": "x"}, "offset": {"n": 1}}, {"partition": {"a": "x", "b": 1}, "offset": {"n": 2}}]`)),
			map[string][]Entry{"s": {{map[string]any{"a": "x", "b": int64(1)}, map[string]any{"n": int64(2)}}}},
		},
		{
			"tombstone removes the partition and then the connector",
			string(file(`"s": [{"partition": {"a": 1}, "offset": {"n": 1}}, {"partition": {"a": 1}, "offset": null}]`)),
			map[string][]Entry{},
		},
		{
			"tombstone of an unknown partition", string(file(`"s": [{"partition": {"a": 1}, "offset": null}, {"partition": {"a": 2}, "offset": {}}]`)),
			map[string][]Entry{"s": {{map[string]any{"a": int64(2)}, map[string]any{}}}},
		},
		{
			"entries come back sorted by partition",
			string(file(`"s": [{"partition": {"f": "b"}, "offset": {}}, {"partition": {"f": "a"}, "offset": {}}]`)),
			map[string][]Entry{"s": {{map[string]any{"f": "a"}, map[string]any{}}, {map[string]any{"f": "b"}, map[string]any{}}}},
		},
		{
			"nested values", string(file(`"s": [{"partition": {}, "offset": {"l": [1, 1.5, "x", null, true, {"k": []}]}}]`)),
			map[string][]Entry{"s": {{map[string]any{}, map[string]any{
				"l": []any{int64(1), 1.5, "x", nil, true, map[string]any{"k": []any{}}},
			}}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decode([]byte(tc.data))
			if err != nil {
				t.Fatalf("Decode() error = %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Decode() = %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

func TestNumbers(t *testing.T) {
	tests := []struct {
		lit  string
		want any
	}{
		{"22", int64(22)},
		{"-0", int64(0)},
		{"9223372036854775807", int64(math.MaxInt64)},
		{"-9223372036854775808", int64(math.MinInt64)},
		{"22.0", float64(22)},
		{"1e3", float64(1000)},
		{"1E3", float64(1000)},
		{"-1.5e-7", -1.5e-7},
		{"0.1", 0.1},
	}
	for _, tc := range tests {
		t.Run(tc.lit, func(t *testing.T) {
			got, err := Decode(file(`"s": [{"partition": {}, "offset": {"v": ` + tc.lit + `}}]`))
			if err != nil {
				t.Fatal(err)
			}
			v := got["s"][0].Offset["v"]
			if v != tc.want {
				t.Fatalf("decoded %s as %T(%v), want %T(%v)", tc.lit, v, v, tc.want, tc.want)
			}
			// Writing it back keeps the type.
			again := roundTrip(t, got)
			if v := again["s"][0].Offset["v"]; v != tc.want {
				t.Errorf("after a round trip %s is %T(%v), want %T(%v)", tc.lit, v, v, tc.want, tc.want)
			}
		})
	}
}

func TestEncodeValues(t *testing.T) {
	type named int16
	tests := []struct {
		name string
		in   any
		text string // how the file spells it
		want any    // what reads back
	}{
		{"int", 5, "5", int64(5)},
		{"named int", named(-3), "-3", int64(-3)},
		{"uint8", uint8(200), "200", int64(200)},
		{"max uint64 in range", uint64(math.MaxInt64), "9223372036854775807", int64(math.MaxInt64)},
		{"integral float keeps its fraction", 1.0, "1.0", 1.0},
		{"large float", 123456789.0, "123456789.0", 123456789.0},
		{"huge float", 1e21, "1e+21", 1e21},
		{"tiny float", 1e-7, "1e-7", 1e-7},
		{"negative zero", math.Copysign(0, -1), "-0.0", math.Copysign(0, -1)},
		{"float32 shortest form", float32(0.1), "0.1", 0.1},
		{"json number integral", json.Number("7"), "7", int64(7)},
		{"json number float", json.Number("7.0"), "7.0", 7.0},
		{"string with html", "a<b>&c", `"a<b>&c"`, "a<b>&c"},
		{"string with controls", "tab\tquote\"", `"tab\tquote\""`, "tab\tquote\""},
		{"bytes as base64", []byte("hi"), `"aGk="`, "aGk="},
		{"nil", nil, "null", nil},
		{"typed slice", []string{"a", "b"}, `["a", "b"]`, []any{"a", "b"}},
		{"typed map sorted", map[string]int{"b": 2, "a": 1}, `{"a": 1, "b": 2}`, map[string]any{"a": int64(1), "b": int64(2)}},
		{"nil typed map", map[string]int(nil), "null", nil},
		{"pointer", new(int), "0", int64(0)},
		{"struct via json", struct {
			A int `json:"a"`
		}{3}, `{"a": 3}`, map[string]any{"a": int64(3)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := map[string][]Entry{"s": {{Partition: map[string]any{}, Offset: map[string]any{"v": tc.in}}}}
			b, err := Encode(in)
			if err != nil {
				t.Fatal(err)
			}
			if want := `"offset": {"v": ` + tc.text + `}}`; !bytes.Contains(b, []byte(want)) {
				t.Errorf("Encode() =\n%s\nwant it to contain %s", b, want)
			}
			got, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			v := got["s"][0].Offset["v"]
			if !reflect.DeepEqual(v, tc.want) {
				t.Errorf("read back %T(%v), want %T(%v)", v, v, tc.want, tc.want)
			}
			if f, ok := tc.want.(float64); ok && math.Signbit(f) != math.Signbit(v.(float64)) {
				t.Errorf("read back %v, want %v", v, f)
			}
		})
	}
}

func TestEncodeRejects(t *testing.T) {
	self := map[string]any{}
	self["self"] = self
	tests := []struct {
		name string
		in   Entry
		msg  string
	}{
		{"NaN", Entry{Partition: map[string]any{}, Offset: map[string]any{"v": math.NaN()}}, `entries[0].offset["v"]: NaN has no JSON representation`},
		{"infinity", Entry{Partition: map[string]any{"v": math.Inf(1)}, Offset: map[string]any{}}, "entries[0].partition"},
		{"channel", Entry{Partition: map[string]any{}, Offset: map[string]any{"c": make(chan int)}}, "unsupported type chan int"},
		{"uint64 overflow", Entry{Partition: map[string]any{}, Offset: map[string]any{"u": uint64(math.MaxUint64)}}, "does not fit"},
		{"non-string keys", Entry{Partition: map[string]any{}, Offset: map[string]any{"m": map[int]int{1: 1}}}, "keys must be strings"},
		{"cycle", Entry{Partition: map[string]any{}, Offset: self}, "entries[0].offset: nested more than 10000 levels deep"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Encode(map[string][]Entry{"s": {tc.in}})
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("Encode() error = %v, want it to contain %q", err, tc.msg)
			}
		})
	}
}

func TestEncodeGolden(t *testing.T) {
	in := map[string][]Entry{
		"local-file-source": {
			{Partition: map[string]any{"filename": "test.txt"}, Offset: map[string]any{"position": 22}},
			{Partition: map[string]any{"filename": "/var/log/a <b>.log"}, Offset: map[string]any{"position": int64(7)}},
			{Partition: map[string]any{"filename": "gone.txt"}, Offset: map[string]any{"position": 1}},
			{Partition: map[string]any{"filename": "gone.txt"}},
		},
		"jdbc-source": {{
			Partition: map[string]any{"table": "orders", "schema": "public"},
			Offset: map[string]any{
				"ts": 1.5, "id": -3, "done": false, "note": nil,
				"list": []any{1, "x", 2.0}, "nested": map[string]any{"b": 1, "a": 2},
			},
		}},
		"all-tombstones": {{Partition: map[string]any{"f": "x"}}},
	}
	got, err := Encode(in)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Encode() =\n%s\nwant (%s)\n%s", got, golden, want)
	}
	var anyJSON any
	if err := json.Unmarshal(got, &anyJSON); err != nil {
		t.Errorf("encoded file is not valid JSON: %v", err)
	}
}

func TestEncodeEmpty(t *testing.T) {
	for _, in := range []map[string][]Entry{nil, {}, {"s": nil}} {
		b, err := Encode(in)
		if err != nil {
			t.Fatal(err)
		}
		want := "{\n  \"format\": \"connect-standalone-offsets\",\n  \"version\": 1,\n  \"connectors\": {}\n}\n"
		if string(b) != want {
			t.Errorf("Encode(%v) =\n%s\nwant\n%s", in, b, want)
		}
	}
}

// roundTrip encodes and decodes m.
func roundTrip(t *testing.T, m map[string][]Entry) map[string][]Entry {
	t.Helper()
	b, err := Encode(m)
	if err != nil {
		t.Fatalf("Encode() error = %v", err)
	}
	out, err := Decode(b)
	if err != nil {
		t.Fatalf("Decode(Encode()) error = %v\n%s", err, b)
	}
	return out
}
