package converters

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// FuzzJsonToConnect feeds arbitrary bytes to JsonConverter.ToConnect with
// schemas enabled and disabled. Invariants: no panic; every failure is a
// *DataError; whatever is read and can be written back reads again, and
// after one more cycle the bytes no longer change (the first cycle may
// legitimately change values, as Kafka does: Infinity is written as a
// string that reads back as 0.0).
func FuzzJsonToConnect(f *testing.F) {
	for _, s := range []string{
		`{"schema":{"type":"string","optional":false},"payload":"foo"}`,
		`{"schema":{"type":"map","keys":{"type":"int32"},"values":{"type":"array","items":{"type":"double"}}},"payload":[[1,[1.5,1e400]]]}`,
		`{"schema":{"type":"struct","fields":[{"type":"int8","field":"a"}]},"payload":null}`,
		`{"a":[1,"\uD83D\uDE00",true,null,{"b":0012}]}`,
	} {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	enabled, disabled := mustJSON(f), mustJSON(f, KeySchemasEnable, "false")
	f.Fuzz(func(t *testing.T, data []byte, schemas bool) {
		c := disabled
		if schemas {
			c = enabled
		}
		sv, err := c.ToConnect(ctx, "t", nil, data)
		if err != nil {
			var de *DataError
			if !errors.As(err, &de) {
				t.Fatalf("ToConnect error %v (%T) is not a *DataError", err, err)
			}
			return
		}
		out1, err := c.FromConnect(ctx, "t", nil, sv)
		if err != nil {
			var de *DataError
			if !errors.As(err, &de) {
				t.Fatalf("FromConnect error %v (%T) is not a *DataError", err, err)
			}
			return
		}
		var prev []byte = out1
		for i := 0; i < 2; i++ {
			again, err := c.ToConnect(ctx, "t", nil, prev)
			if err != nil {
				t.Fatalf("reading our own output %q: %v", prev, err)
			}
			out, err := c.FromConnect(ctx, "t", nil, again)
			if err != nil {
				t.Fatalf("writing %#v read from %q: %v", again.Value, prev, err)
			}
			if i == 1 && !bytes.Equal(out, prev) {
				t.Fatalf("not stable: %q became %q", prev, out)
			}
			prev = out
		}
	})
}

// FuzzSimpleHeaderParse feeds arbitrary header bytes to
// SimpleHeaderConverter. Invariants: no panic and no error; the value read
// writes back; and reading that text again gives the same value (floats
// compare by number: "1.2345678E7" is read back as an INT32).
func FuzzSimpleHeaderParse(f *testing.F) {
	for _, s := range []string{"", "true", "null", " 42 ", "3.14159265358979", "1,2", "  ,x", "[1,2", "2024-01-15", "10:15:30.000Z", "12345678901234567890", "٤٢", "\xff"} {
		f.Add([]byte(s))
	}
	var c SimpleHeaderConverter
	f.Fuzz(func(t *testing.T, data []byte) {
		sv, err := c.ToConnectHeader(ctx, "t", "h", data)
		if err != nil {
			t.Fatalf("ToConnectHeader(%q): %v", data, err)
		}
		out, err := c.FromConnectHeader(ctx, "t", "h", sv)
		if err != nil {
			t.Fatalf("FromConnectHeader(%#v) read from %q: %v", sv.Value, data, err)
		}
		if sv.Value == nil {
			if out != nil {
				t.Fatalf("null written as %q", out)
			}
			return
		}
		again, err := c.ToConnectHeader(ctx, "t", "h", out)
		if err != nil {
			t.Fatal(err)
		}
		if f1, ok := number(sv.Value); ok && (sv.Schema == connectors.Float32Schema || sv.Schema == connectors.Float64Schema) {
			if f2, ok2 := number(again.Value); !ok2 || f1 != f2 {
				t.Fatalf("%q read as %#v, written as %q, read back as %#v", data, sv.Value, out, again.Value)
			}
			return
		}
		if !reflect.DeepEqual(sv, again) {
			t.Fatalf("%q read as %+v, written as %q, read back as %+v", data, sv, out, again)
		}
	})
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int8:
		return float64(x), true
	case int16:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case float32:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}
