package converters

import (
	"reflect"
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// FuzzSimpleHeaderText feeds arbitrary header bytes to
// SimpleHeaderConverter, lists, maps and dates included. Invariants: no
// panic and no error; every value read writes back; and once written, the
// text reads back with the same schema at every further round. (Values may
// change in the first rounds, as in Kafka: a float written as "1.0E7" is
// read as an integer, a Date before 1970-01-02 is written as a time of day,
// and escapes inside quoted strings are kept when read, so they double
// each time they are written.)
func FuzzSimpleHeaderText(f *testing.F) {
	for _, s := range []string{
		"[1,2]", "[1,1.5,null]", `{"a":[1,"x"],"b":{}}`, `["a\"b",2024-01-15]`, "[10:15:30.000Z]",
		"1969-12-31", "[12345678.9]", "{1:2,300:x}", "[[[]]]", "12345678901234567890", "1.5e400",
		"2024-13-45T25:61:61.999Z", `{"k":"2024-01-15"}`, "[1,]", " [ ",
		"", "true", "null", " 42 ", "3.14159265358979", "1,2", "  ,x", "[1,2", "2024-01-15", "10:15:30.000Z", "٤٢", "\xff",
	} {
		f.Add([]byte(s))
	}
	var c SimpleHeaderConverter
	f.Fuzz(func(t *testing.T, data []byte) {
		sv, err := c.ToConnectHeader(ctx, "t", "h", data)
		if err != nil {
			t.Fatalf("ToConnectHeader(%q): %v", data, err)
		}
		var schemas []*connectors.Schema
		text := data
		for round := 0; round < 4; round++ {
			out, err := c.FromConnectHeader(ctx, "t", "h", sv)
			if err != nil {
				t.Fatalf("FromConnectHeader(%#v) read from %q: %v", sv.Value, text, err)
			}
			if sv.Value == nil {
				if out != nil {
					t.Fatalf("null written as %q", out)
				}
				return
			}
			if sv, err = c.ToConnectHeader(ctx, "t", "h", out); err != nil {
				t.Fatalf("reading our own output %q: %v", out, err)
			}
			schemas = append(schemas, sv.Schema)
			text = out
		}
		for i := 2; i < len(schemas); i++ {
			if !reflect.DeepEqual(schemas[i], schemas[1]) {
				t.Fatalf("%q: schema changed from %+v to %+v at round %d (text %q)", data, schemas[1], schemas[i], i, text)
			}
		}
	})
}
