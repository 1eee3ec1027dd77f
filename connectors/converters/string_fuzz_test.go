package converters

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// FuzzStringToConnect reads arbitrary bytes, as a sink does with whatever
// is in a topic, through the StringConverter in each supported charset and
// through the ByteArrayConverter. Invariants: no panic; the string read is
// valid UTF-8; writing it back and reading again changes nothing (the first
// read may replace malformed input, as Java does, and US-ASCII then writes
// the replacement as '?', but once only); UTF-8 that is valid, and any
// bytes through the ByteArrayConverter, come back unchanged.
func FuzzStringToConnect(f *testing.F) {
	for _, s := range []string{
		"", "plain", "nul\x00inside", "bad \xff\xfe utf8 \xc3\x28", "truncated \xe2\x82", "é € 😀",
		"\xed\xa0\x80 surrogate", "\xf4\x90\x80\x80 above U+10FFFF", "\xc0\xaf overlong",
		"\xfe\xff\x00a BOM BE", "\xff\xfea\x00 BOM LE", "\xd8\x3d\xde\x00", "\xd8\x3d",
	} {
		for cs := range 6 {
			f.Add([]byte(s), uint8(cs))
		}
	}
	charsets := []string{"UTF-8", "US-ASCII", "ISO-8859-1", "UTF-16", "UTF-16BE", "UTF-16LE"}
	convs := make([]*StringConverter, len(charsets))
	for i, cs := range charsets {
		c, err := NewStringConverter(map[string]string{connectors.ConverterTypeKey: "value", KeyEncoding: cs})
		if err != nil {
			f.Fatal(err)
		}
		convs[i] = c
	}
	raw, err := NewByteArrayConverter(map[string]string{connectors.ConverterTypeKey: "value"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, cs uint8) {
		c := convs[int(cs)%len(convs)]
		name := charsets[int(cs)%len(convs)]
		sv, err := c.ToConnect(ctx, "t", nil, data)
		if err != nil {
			t.Fatalf("%s: ToConnect(%q) error = %v, want a string always", name, data, err)
		}
		s, ok := sv.Value.(string)
		if !ok || !utf8.ValidString(s) {
			t.Fatalf("%s: ToConnect(%q) = %#v, want a valid UTF-8 string", name, data, sv.Value)
		}
		cycle := func(s string) (string, []byte) {
			t.Helper()
			out, err := c.FromConnect(ctx, "t", nil, connectors.SchemaAndValue{Schema: connectors.OptionalStringSchema, Value: s})
			if err != nil {
				t.Fatalf("%s: FromConnect(%q) error = %v", name, s, err)
			}
			again, err := c.ToConnect(ctx, "t", nil, bytes.Clone(out))
			if err != nil {
				t.Fatalf("%s: ToConnect(%q) error = %v", name, out, err)
			}
			return again.Value.(string), out
		}
		s2, out := cycle(s)
		if s3, _ := cycle(s2); s3 != s2 {
			t.Fatalf("%s: %q read as %q, then %q, then %q: not stable", name, data, s, s2, s3)
		}
		// US-ASCII writes U+FFFD, the mark of malformed input, as '?'.
		if name != "US-ASCII" && s2 != s {
			t.Fatalf("%s: %q read as %q, written as %q, read again as %q", name, data, s, out, s2)
		}
		if name == "UTF-8" && utf8.Valid(data) && !bytes.Equal(out, data) {
			t.Fatalf("valid UTF-8 %q came back as %q", data, out)
		}

		rv, err := raw.ToConnect(ctx, "t", nil, data)
		if err != nil {
			t.Fatalf("ByteArrayConverter.ToConnect(%q) error = %v", data, err)
		}
		back, err := raw.FromConnect(ctx, "t", nil, rv)
		if err != nil || !bytes.Equal(back, data) || (data == nil) != (back == nil) {
			t.Fatalf("ByteArrayConverter round trip of %q = %q, %v", data, back, err)
		}
	})
}
