package offsets

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// javaStream builds what Java's ObjectOutputStream writes for a
// HashMap<byte[], byte[]> holding kv as key, value, key, value..., in that
// order; a nil slice is written as null.
func javaStream(kv ...[]byte) []byte {
	n := len(kv) / 2
	capacity := 16
	for float64(n) > float64(capacity)*0.75 {
		capacity *= 2
	}
	threshold := 0
	if n > 0 {
		threshold = capacity * 3 / 4
	}
	var b bytes.Buffer
	b.Write(javaStreamMagic)
	b.WriteByte(tcObject)
	b.Write(hashMapDesc)
	b.Write([]byte{0x3F, 0x40, 0x00, 0x00}) // 0.75f
	b.Write(binary.BigEndian.AppendUint32(nil, uint32(threshold)))
	b.Write([]byte{tcBlockData, 8})
	b.Write(binary.BigEndian.AppendUint32(nil, uint32(capacity)))
	b.Write(binary.BigEndian.AppendUint32(nil, uint32(n)))
	descHandle := -1
	handles := 2
	for _, a := range kv {
		if a == nil {
			b.WriteByte(tcNull)
			continue
		}
		b.WriteByte(tcArray)
		if descHandle < 0 {
			b.Write(byteArrayDesc)
			descHandle = handles
			handles++
		} else {
			b.WriteByte(tcReference)
			b.Write(binary.BigEndian.AppendUint32(nil, uint32(baseWireHandle+descHandle)))
		}
		handles++
		b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(a))))
		b.Write(a)
	}
	b.WriteByte(tcEndBlock)
	return b.Bytes()
}

// Byte positions in spec.bin, the one-entry example of Kafka's spec.
const (
	specLoadFactor = 63  // float loadFactor
	specBlockLen   = 72  // length byte of the TC_BLOCKDATA
	specSize       = 77  // int size
	specKeyArray   = 81  // TC_ARRAY of the first key
	specKeyDesc    = 82  // its TC_CLASSDESC "[B"
	specKeyLen     = 100 // its int length
	specValueDesc  = 150 // TC_REFERENCE of the value
	specValueLen   = 155 // its int length
	specEnd        = 174 // TC_ENDBLOCKDATA
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "java", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// patch returns a copy of data with b written at pos.
func patch(data []byte, pos int, b ...byte) []byte {
	out := bytes.Clone(data)
	copy(out[pos:], b)
	return out
}

func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// sortEntries orders entries by connector and partition: Java writes them
// in hash order.
func sortEntries(t *testing.T, es []JavaEntry) []JavaEntry {
	t.Helper()
	key := func(e JavaEntry) string {
		p, err := FormatMap(e.Partition)
		if err != nil {
			t.Fatal(err)
		}
		return e.Connector + "\x00" + p
	}
	out := slices.Clone(es)
	slices.SortFunc(out, func(a, b JavaEntry) int { return strings.Compare(key(a), key(b)) })
	for i := range out {
		out[i].Pos = 0 // positions are checked separately
	}
	return out
}

func TestJavaStreamMatchesTheJDK(t *testing.T) {
	if got, want := javaStream(), readFixture(t, "empty.bin"); !bytes.Equal(got, want) {
		t.Errorf("empty map:\n got %x\nwant %x", got, want)
	}
	got := javaStream([]byte(`["local-file-source",{"filename":"test.txt"}]`), []byte(`{"position":22}`))
	if want := readFixture(t, "spec.bin"); !bytes.Equal(got, want) {
		t.Errorf("one entry:\n got %x\nwant %x", got, want)
	}
}

func TestReadJavaOffsetsFixtures(t *testing.T) {
	tests := []struct {
		file         string
		want         []JavaEntry
		wantWarnings []string // substrings, in order
	}{
		{file: "empty.bin"},
		{
			file: "spec.bin",
			want: []JavaEntry{{Connector: "local-file-source", Partition: map[string]any{"filename": "test.txt"}, Offset: map[string]any{"position": int64(22)}}},
		},
		{
			file: "several.bin",
			want: []JavaEntry{
				{Connector: "fichier-été", Partition: map[string]any{"filename": "données-東京-😀.txt"}, Offset: map[string]any{"position": int64(7), "line": "café"}},
				{Connector: "jdbc-source", Partition: map[string]any{"schema": "public", "table": "customers"}},
				{Connector: "jdbc-source", Partition: map[string]any{"schema": "public", "table": "orders"},
					Offset: map[string]any{"incrementing": int64(9007199254740993), "timestamp_nanos": int64(0), "ratio": 0.5}},
				{Connector: "local-file-source", Partition: map[string]any{"filename": "/var/log/app.log"}, Offset: map[string]any{"position": int64(1048576)}},
				{Connector: "local-file-source", Partition: map[string]any{"filename": "test.txt"}, Offset: map[string]any{"position": int64(22)}},
			},
		},
		{
			file: "skipped.bin",
			want: []JavaEntry{{Connector: "ok", Partition: map[string]any{"p": int64(1)}, Offset: map[string]any{"o": int64(2)}}},
			wantWarnings: []string{
				"byte 81: ignoring an entry with a null key",
				`byte 112: ignoring a key that is not a [connector, partition] list: "{\"not\":\"a list\"}"`,
				`byte 155: ignoring a key whose partition is not a JSON object: "[\"no-partition\",null]"`,
				`byte 203: ignoring a key that is not a [connector, partition] list: "[\"only-a-name\"]"`,
				`byte 286: ignoring a key that is not JSON (invalid character 'o' in literal null (expecting 'u')): "not json"`,
				`byte 321: ignoring the offset of "[\"bad-offset\",{\"p\":1}]", which is not a JSON object: "[1,2]"`,
				`byte 368: ignoring a key whose connector name is not a string: "[42,{\"p\":1}]"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := readFixture(t, tt.file)
			got, warnings, err := ReadJavaOffsets(data)
			if err != nil {
				t.Fatalf("ReadJavaOffsets() error = %v", err)
			}
			for _, e := range got {
				if e.Pos < specKeyArray || e.Pos >= len(data) || data[e.Pos] != tcArray {
					t.Errorf("entry %q %v: Pos %d does not point at its key", e.Connector, e.Partition, e.Pos)
				}
			}
			if s := sortEntries(t, got); !reflect.DeepEqual(s, sortEntries(t, tt.want)) {
				t.Errorf("entries:\n got %#v\nwant %#v", s, tt.want)
			}
			if len(warnings) != len(tt.wantWarnings) {
				t.Fatalf("warnings = %q, want %d", warnings, len(tt.wantWarnings))
			}
			for i, w := range tt.wantWarnings {
				if !strings.Contains(warnings[i], w) {
					t.Errorf("warning %d = %q, want it to contain %q", i, warnings[i], w)
				}
			}
		})
	}
}

func TestReadJavaOffsetsValues(t *testing.T) {
	const key = `["c",{"p":1}]`
	tests := []struct {
		name        string
		data        []byte
		wantOffset  map[string]any
		wantEntries int
		wantWarning string
	}{
		{name: "JSON null value is a tombstone", data: javaStream([]byte(key), []byte("null")), wantEntries: 1},
		{name: "null value is a tombstone", data: javaStream([]byte(key), nil), wantEntries: 1},
		{name: "floats stay floats", data: javaStream([]byte(key), []byte(`{"x":1.0,"y":2E3}`)), wantEntries: 1,
			wantOffset: map[string]any{"x": 1.0, "y": 2000.0}},
		{name: "nested values are kept", data: javaStream([]byte(key), []byte(`{"files":["a",2],"at":{"line":3}}`)), wantEntries: 1,
			wantOffset: map[string]any{"files": []any{"a", int64(2)}, "at": map[string]any{"line": int64(3)}}},
		{name: "integer beyond int64", data: javaStream([]byte(key), []byte(`{"x":9223372036854775808}`)),
			wantWarning: "does not fit in a signed 64-bit integer"},
		{name: "JSON followed by more text", data: javaStream([]byte(key+` x`), []byte(`{"x":1}`)),
			wantWarning: "not JSON (invalid character 'x' after top-level value)"},
		{name: "empty key", data: javaStream([]byte{}, []byte(`{"x":1}`)), wantWarning: "not JSON"},
		{name: "three-element key", data: javaStream([]byte(`["c",{},{}]`), []byte(`{"x":1}`)), wantWarning: "not a [connector, partition] list"},
		{name: "bytes after the map", data: append(javaStream([]byte(key), []byte(`{"x":1}`)), 0x70, 0x70),
			wantEntries: 1, wantOffset: map[string]any{"x": int64(1)}, wantWarning: "byte 135: ignoring 2 bytes after the HashMap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warnings, err := ReadJavaOffsets(tt.data)
			if err != nil {
				t.Fatalf("ReadJavaOffsets() error = %v", err)
			}
			if len(got) != tt.wantEntries {
				t.Fatalf("entries = %#v, want %d", got, tt.wantEntries)
			}
			if tt.wantEntries > 0 && !reflect.DeepEqual(got[0].Offset, tt.wantOffset) {
				t.Errorf("offset = %#v, want %#v", got[0].Offset, tt.wantOffset)
			}
			if tt.wantWarning == "" {
				if len(warnings) > 0 {
					t.Errorf("warnings = %q, want none", warnings)
				}
			} else if len(warnings) != 1 || !strings.Contains(warnings[0], tt.wantWarning) {
				t.Errorf("warnings = %q, want one containing %q", warnings, tt.wantWarning)
			}
		})
	}
}

func TestReadJavaOffsetsErrors(t *testing.T) {
	spec, err := os.ReadFile(filepath.Join("testdata", "java", "spec.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if spec[specLoadFactor] != 0x3F || spec[specKeyArray] != tcArray || spec[specValueDesc] != tcReference || spec[specEnd] != tcEndBlock {
		t.Fatal("the spec* positions do not match spec.bin")
	}
	// A map whose one entry is null → byte[]: the value's class
	// descriptor is a back-reference to a descriptor never declared.
	refFirst := javaStream(nil, nil)
	refFirst = append(refFirst[:len(refFirst)-2], tcArray, tcReference)
	refFirst = append(append(append(refFirst, u32(baseWireHandle+2)...), u32(0)...), tcEndBlock)
	// Two arrays that both declare "[B": Java would refer back instead.
	twice := javaStream([]byte("a"), nil)
	twice = append(twice[:len(twice)-2], tcArray)
	twice = append(append(append(twice, byteArrayDesc...), u32(0)...), tcEndBlock)

	tests := []struct {
		name    string
		data    []byte
		wantPos int
		wantMsg string
	}{
		{"empty", nil, 0, "not a Java serialization stream"},
		{"our own format", []byte(`{"format": "connect-standalone-offsets"}`), 0, "not a Java serialization stream"},
		{"magic only", spec[:4], 4, "truncated: want a serialized object"},
		{"a string, not an object", patch(spec, 4, 0x74), 4, "want a serialized object (TC_OBJECT), found byte 0x74"},
		{"another class", patch(spec, 18, 'T', 'r', 'e', 'e'), 18, "want the class descriptor of java.util.HashMap"},
		{"another serialVersionUID", patch(spec, 25, 0x06), 25, "class descriptor of java.util.HashMap"},
		{"zero load factor", patch(spec, specLoadFactor, 0, 0, 0, 0), specLoadFactor, "illegal HashMap load factor 0"},
		{"NaN load factor", patch(spec, specLoadFactor, 0x7F, 0xC0, 0, 0), specLoadFactor, "illegal HashMap load factor NaN"},
		{"block data of another length", patch(spec, specBlockLen, 9), specBlockLen, "capacity and size"},
		{"negative size", patch(spec, specSize, u32(0xFFFFFFFF)...), specSize, "negative HashMap size -1"},
		{"size beyond the input", patch(spec, specSize, u32(0x7FFFFFFF)...), specSize, "HashMap size 2147483647 exceeds what the remaining 94 bytes can hold"},
		{"more entries than written", patch(spec, specSize, u32(2)...), specEnd, "want a byte array (TC_ARRAY) or null (TC_NULL), found byte 0x78"},
		{"fewer entries than written", patch(spec, specSize, u32(0)...), specKeyArray, "want the end of the HashMap"},
		{"a string key", patch(spec, specKeyArray, 0x74), specKeyArray, "want a byte array (TC_ARRAY) or null (TC_NULL), found byte 0x74"},
		{"an int[] key", patch(spec, specKeyDesc+4, 'I'), specKeyDesc + 4, "class descriptor of byte[]"},
		{"array class by an unknown byte", patch(spec, specKeyDesc, 0x7A), specKeyDesc, "want the class of a byte array, found byte 0x7A"},
		{"array length beyond the input", patch(spec, specKeyLen, u32(0x7FFFFFFF)...), specKeyLen, "truncated: array of 2147483647 bytes, 71 left"},
		{"negative array length", patch(spec, specKeyLen, u32(0x80000000)...), specKeyLen, "negative array length -2147483648"},
		{"reference to the map", patch(spec, specValueDesc+1, u32(baseWireHandle+1)...), specValueDesc, "reference to handle 0x7E0001, want the byte[] class descriptor"},
		{"reference before any descriptor", refFirst, 83, "reference to handle 0x7E0002"},
		{"descriptor declared twice", twice, 106, "the byte[] class descriptor is declared a second time"},
		{"truncated value", spec[:specValueLen+3], specValueLen, "truncated: a 4-byte integer needs 4 bytes, 3 left"},
		{"truncated end", spec[:specEnd], specEnd, "truncated: want the end of the HashMap"},
		{"something else at the end", patch(spec, specEnd, 0x70), specEnd, "want the end of the HashMap (TC_ENDBLOCKDATA), found byte 0x70"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, warnings, err := ReadJavaOffsets(tt.data)
			var je *JavaError
			if !errors.As(err, &je) {
				t.Fatalf("ReadJavaOffsets() = %v, %q, %v; want a *JavaError", entries, warnings, err)
			}
			if je.Pos != tt.wantPos || !strings.Contains(je.Msg, tt.wantMsg) {
				t.Errorf("error at byte %d: %q; want byte %d: %q", je.Pos, je.Msg, tt.wantPos, tt.wantMsg)
			}
			if entries != nil || warnings != nil {
				t.Errorf("entries %v, warnings %q returned with an error", entries, warnings)
			}
		})
	}
}

// TestReadJavaOffsetsTruncated cuts real files at every byte: Kafka's
// worker silently starts empty on a truncated file, an import must not.
func TestReadJavaOffsetsTruncated(t *testing.T) {
	for _, name := range []string{"spec.bin", "several.bin", "skipped.bin", "empty.bin"} {
		data := readFixture(t, name)
		for n := range len(data) {
			_, _, err := ReadJavaOffsets(data[:n])
			var je *JavaError
			if !errors.As(err, &je) {
				t.Fatalf("%s cut to %d bytes: error = %v, want a *JavaError", name, n, err)
			}
			if je.Pos < 0 || je.Pos > n {
				t.Fatalf("%s cut to %d bytes: error at byte %d, outside the input", name, n, je.Pos)
			}
			if !strings.HasPrefix(err.Error(), "Java-serialized offsets, byte ") {
				t.Fatalf("%s cut to %d bytes: error %q does not name the byte", name, n, err)
			}
		}
	}
}
