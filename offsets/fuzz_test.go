package offsets

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzDecode checks the decoder never panics on any input and that
// whatever it accepts survives encode → decode unchanged, with the
// encoding itself stable. Seeds live in testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data)
		if err != nil {
			return
		}
		b, err := Encode(m)
		if err != nil {
			t.Fatalf("Encode(Decode(%q)) error = %v", data, err)
		}
		m2, err := Decode(b)
		if err != nil {
			t.Fatalf("Decode(Encode(Decode(%q))) error = %v\n%s", data, err, b)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip changed the offsets:\n%#v\n%#v", m, m2)
		}
		b2, err := Encode(m2)
		if err != nil || !bytes.Equal(b, b2) {
			t.Fatalf("encoding is not stable (%v):\n%s\n%s", err, b, b2)
		}
	})
}
