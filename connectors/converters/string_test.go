package converters

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"unsafe"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

var ctx = context.Background()

func valueCfg(kv ...string) map[string]string {
	m := map[string]string{connectors.ConverterTypeKey: "value"}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func mustString(t *testing.T, kv ...string) *StringConverter {
	t.Helper()
	c, err := NewStringConverter(valueCfg(kv...))
	if err != nil {
		t.Fatalf("NewStringConverter: %v", err)
	}
	return c
}

func TestStringFromConnect(t *testing.T) {
	tests := []struct {
		name string
		enc  string
		v    any
		want []byte
	}{
		{"nil", "UTF-8", nil, nil},
		{"string", "UTF-8", "foo", []byte("foo")},
		{"empty", "UTF-8", "", []byte{}},
		{"non-ASCII", "UTF-8", "é😀", []byte("é😀")},
		{"bool", "UTF-8", true, []byte("true")},
		{"int32", "UTF-8", int32(-7), []byte("-7")},
		{"int64", "UTF-8", int64(1) << 40, []byte("1099511627776")},
		{"float64", "UTF-8", 1e20, []byte("1.0E20")},
		{"float32", "UTF-8", float32(0.1), []byte("0.1")},
		{"list", "UTF-8", []any{"a", nil, int8(1)}, []byte("[a, null, 1]")},
		{"map", "UTF-8", map[string]any{"b": int32(2), "a": int32(1)}, []byte("{a=1, b=2}")},
		{"bytes pass through", "UTF-8", []byte{0xff, 0}, []byte{0xff, 0}},
		{"utf16 bom", "UTF-16", "a", []byte{0xFE, 0xFF, 0, 'a'}},
		{"utf16le", "UTF-16LE", "a", []byte{'a', 0}},
		{"ascii", "US-ASCII", "é", []byte("?")},
		{"latin1", "ISO-8859-1", "é", []byte{0xE9}},
		{"invalid UTF-8 becomes U+FFFD", "UTF-8", "a\xffb", []byte("a\uFFFDb")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustString(t, KeyEncoding, tt.enc)
			got, err := c.FromConnect(ctx, "t", nil, connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: tt.v})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
				t.Errorf("FromConnect(%#v) = %q, want %q", tt.v, got, tt.want)
			}
		})
	}
}

func TestStringToConnect(t *testing.T) {
	c := mustString(t)
	got, err := c.ToConnect(ctx, "t", nil, nil)
	if err != nil || got.Schema != connectors.OptionalStringSchema || got.Value != nil {
		t.Errorf("ToConnect(nil) = %+v, %v; want optional string schema and nil value", got, err)
	}
	got, err = c.ToConnect(ctx, "t", nil, []byte("foo\xff"))
	if err != nil || got.Schema != connectors.OptionalStringSchema || got.Value != "foo\uFFFD" {
		t.Errorf("ToConnect = %+v, %v", got, err)
	}
	c = mustString(t, KeyEncoding, "UTF-16")
	got, _ = c.ToConnect(ctx, "t", nil, []byte{0xFF, 0xFE, 'h', 0, 'i', 0})
	if got.Value != "hi" {
		t.Errorf("UTF-16 ToConnect = %q, want hi", got.Value)
	}
	h, err := c.ToConnectHeader(ctx, "t", "k", []byte{0, 'x'})
	if err != nil || h.Value != "x" {
		t.Errorf("ToConnectHeader = %+v, %v", h, err)
	}
}

// TestStringToConnectSharesValidUTF8 pins the sink path's zero-copy rule:
// valid UTF-8 becomes a string over the handed bytes, anything that needs
// decoding (malformed input, another charset) is still copied.
func TestStringToConnectSharesValidUTF8(t *testing.T) {
	c := mustString(t)
	b := []byte("héllo")
	got, err := c.ToConnect(ctx, "t", nil, b)
	s, ok := got.Value.(string)
	if err != nil || !ok || s != "héllo" {
		t.Fatalf("ToConnect = %+v, %v", got, err)
	}
	if unsafe.StringData(s) != &b[0] {
		t.Errorf("valid UTF-8 was copied")
	}
	if got, _ := c.ToConnect(ctx, "t", nil, []byte{}); got.Value != "" {
		t.Errorf("ToConnect(empty) = %#v, want the empty string", got.Value)
	}
	bad := []byte("a\xffb")
	got, _ = c.ToConnect(ctx, "t", nil, bad)
	if s := got.Value.(string); s != "a\uFFFDb" || unsafe.StringData(s) == &bad[0] {
		t.Errorf("malformed input: %q, want a copy reading a\uFFFDb", s)
	}
	latin := mustString(t, KeyEncoding, "ISO-8859-1")
	in := []byte("abc")
	got, _ = latin.ToConnect(ctx, "t", nil, in)
	if s := got.Value.(string); s != "abc" || unsafe.StringData(s) == &in[0] {
		t.Errorf("ISO-8859-1: %q, want a copy reading abc", s)
	}
	if n := testing.AllocsPerRun(100, func() { c.ToConnect(ctx, "t", nil, b) }); n > 1 {
		t.Errorf("ToConnect of valid UTF-8 allocates %v times, want at most 1 (the interface box)", n)
	}
}

func TestStringSerializerEncodingOverride(t *testing.T) {
	c, err := NewStringConverter(map[string]string{connectors.ConverterTypeKey: "key", "key.serializer.encoding": "UTF-16LE", "value.serializer.encoding": "UTF-16"})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := c.FromConnect(ctx, "t", nil, connectors.SchemaAndValue{Value: "a"})
	if !bytes.Equal(got, []byte{'a', 0}) {
		t.Errorf("key converter wrote %X, want 6100", got)
	}
	back, _ := c.ToConnect(ctx, "t", nil, []byte("a"))
	if back.Value != "a" {
		t.Errorf("deserializer took the serializer override: %q", back.Value)
	}
}

func TestStringConverterConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  map[string]string
		key  string
	}{
		{"unknown charset", valueCfg(KeyEncoding, "EBCDIC-XYZ"), KeyEncoding},
		{"missing converter.type", map[string]string{}, connectors.ConverterTypeKey},
		{"bad converter.type", map[string]string{connectors.ConverterTypeKey: "Value"}, connectors.ConverterTypeKey},
		{"bad serializer override", valueCfg("value.serializer.encoding", "nope"), "value.serializer.encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewStringConverter(tt.cfg)
			var ke *config.KeyError
			if !errors.As(err, &ke) || ke.Key != tt.key {
				t.Fatalf("error = %v, want a *config.KeyError for %s", err, tt.key)
			}
			if !errors.Is(err, config.ErrInvalid) && !errors.Is(err, config.ErrMissing) {
				t.Errorf("error %v wraps neither ErrInvalid nor ErrMissing", err)
			}
		})
	}
}

func TestByteArrayConverter(t *testing.T) {
	c, err := NewByteArrayConverter(valueCfg())
	if err != nil {
		t.Fatal(err)
	}
	in := []byte("raw")
	got, err := c.FromConnect(ctx, "t", nil, connectors.SchemaAndValue{Schema: connectors.OptionalBytesSchema, Value: in})
	if err != nil || &got[0] != &in[0] {
		t.Errorf("FromConnect did not pass the slice through: %q, %v", got, err)
	}
	if got, err := c.FromConnect(ctx, "t", nil, connectors.SchemaAndValue{}); got != nil || err != nil {
		t.Errorf("FromConnect(nil) = %v, %v", got, err)
	}
	errTests := []struct {
		v    connectors.SchemaAndValue
		want string
	}{
		{connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: "x"}, "Invalid schema type for ByteArrayConverter: STRING"},
		{connectors.SchemaAndValue{Value: "x"}, "ByteArrayConverter is not compatible with objects of type class java.lang.String"},
		{connectors.SchemaAndValue{Schema: connectors.BytesSchema, Value: int32(1)}, "ByteArrayConverter is not compatible with objects of type class java.lang.Integer"},
	}
	for _, tt := range errTests {
		_, err := c.FromConnect(ctx, "t", nil, tt.v)
		var de *DataError
		if !errors.As(err, &de) || err.Error() != tt.want {
			t.Errorf("FromConnect(%+v) error = %v, want DataError %q", tt.v, err, tt.want)
		}
	}
	sv, err := c.ToConnect(ctx, "t", nil, in)
	if err != nil || sv.Schema != connectors.OptionalBytesSchema || &sv.Value.([]byte)[0] != &in[0] {
		t.Errorf("ToConnect = %+v, %v", sv, err)
	}
	if sv, _ := c.ToConnect(ctx, "t", nil, nil); sv.Value != nil || sv.Schema != connectors.OptionalBytesSchema {
		t.Errorf("ToConnect(nil) = %+v", sv)
	}
	if _, err := NewByteArrayConverter(map[string]string{}); err == nil {
		t.Error("NewByteArrayConverter without converter.type succeeded")
	}
}
