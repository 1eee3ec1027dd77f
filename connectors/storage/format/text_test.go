package format

import (
	"bytes"
	"errors"
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func writeAll(t *testing.T, f Format, rs ...connectors.SinkRecord) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := f.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, w, rs...)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestJSON(t *testing.T) {
	s := structSchema("com.example.P",
		field(0, "name", connectors.StringSchema),
		field(1, "n", connectors.OptionalInt32Schema),
		field(2, "d", connectors.DecimalSchema(2, false)))
	p := func(name string, n any) *connectors.StructValue {
		return structOf(t, s, "name", name, "n", n, "d", connectors.NewDecimal(150, 2))
	}
	tests := []struct {
		name    string
		decimal string
		records []connectors.SinkRecord
		want    string
	}{
		{"structs", "", []connectors.SinkRecord{record(s, p("a", int32(1)), 0), record(s, p("b\n\"", nil), 1)},
			"{\"name\":\"a\",\"n\":1,\"d\":\"AJY=\"}\n{\"name\":\"b\\n\\\"\",\"n\":null,\"d\":\"AJY=\"}\n"},
		{"numeric decimals", "NUMERIC", []connectors.SinkRecord{record(s, p("a", int32(1)), 0)},
			"{\"name\":\"a\",\"n\":1,\"d\":1.50}\n"},
		{"schemaless", "", []connectors.SinkRecord{
			record(nil, map[string]any{"k": []any{int64(1), true}}, 0),
			record(nil, "text", 1),
			record(nil, nil, 2),
		}, "{\"k\":[1,true]}\n\"text\"\nnull\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := NewJSON(tt.decimal)
			if err != nil {
				t.Fatal(err)
			}
			if got := writeAll(t, f, tt.records...); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestString(t *testing.T) {
	got := writeAll(t, String{},
		record(connectors.StringSchema, "first", 0),
		record(connectors.StringSchema, "", 1),
		record(connectors.StringSchema, "bad \xff utf-8", 2))
	if want := "first\n\nbad \uFFFD utf-8\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	w, _ := String{}.NewWriter(&bytes.Buffer{})
	if err := w.Write(record(connectors.Int32Schema, int32(1), 0)); err == nil {
		t.Error("int32 value: no error")
	}
}

func TestByteArray(t *testing.T) {
	tests := []struct {
		name string
		f    ByteArray
		want string
	}{
		{"newline", ByteArray{Separator: []byte("\n")}, "ab\n\x00\xff\n"},
		{"none", ByteArray{}, "ab\x00\xff"},
		{"custom", ByteArray{Separator: []byte("SEP")}, "abSEP\x00\xffSEP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := writeAll(t, tt.f, record(connectors.BytesSchema, []byte("ab"), 0), record(connectors.BytesSchema, []byte{0, 255}, 1))
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	w, _ := ByteArray{}.NewWriter(&bytes.Buffer{})
	if err := w.Write(record(connectors.StringSchema, "s", 0)); err == nil {
		t.Error("string value: no error")
	}
	if err := w.Write(record(nil, nil, 0)); err == nil {
		t.Error("null value: no error")
	}
}

func TestTextSchemaChange(t *testing.T) {
	tests := []struct {
		f      Format
		s1, s2 *connectors.Schema
		v      any
	}{
		{String{}, connectors.StringSchema, connectors.OptionalStringSchema, "a"},
		{mustJSON(t), connectors.StringSchema, nil, "a"},
		{ByteArray{}, connectors.BytesSchema, nil, []byte("a")},
	}
	for _, tt := range tests {
		f := tt.f
		w, _ := f.NewWriter(&bytes.Buffer{})
		mustWrite(t, w, record(tt.s1, tt.v, 0))
		err := w.Write(record(tt.s2, tt.v, 1))
		if !errors.Is(err, ErrSchemaChanged) {
			t.Errorf("%T: Write = %v, want ErrSchemaChanged", f, err)
		}
	}
}

func mustJSON(t *testing.T) *JSON {
	t.Helper()
	f, err := NewJSON("")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestUnescapeJava(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"\n", "\n"},
		{`\n`, "\n"},
		{`a\tb\r\n`, "a\tb\r\n"},
		{`\\n`, `\n`},
		{`\"\'`, `"'`},
		{`\u0041\uu00e9`, "Aé"},
		{`\0\12\101\477`, "\x00\nA\x277"},
		{`\q`, "q"},
		{`end\`, "end"},
	}
	for _, tt := range tests {
		got, err := unescapeJava(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("unescapeJava(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{`\u12`, `\uXYZW`} {
		if _, err := unescapeJava(bad); err == nil {
			t.Errorf("unescapeJava(%q): no error", bad)
		}
	}
}
