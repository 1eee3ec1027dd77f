package offsets

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzReadJavaOffsets checks that no input makes the Java reader panic or
// report a position outside the input, and that whatever it accepts, written
// back the way the JDK writes it, reads back to the same entries. Seeds are
// the files in testdata/java, written by the JDK, and testdata/fuzz.
func FuzzReadJavaOffsets(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "java", "*.bin"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seed files in testdata/java (%v)", err)
	}
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, warnings, err := ReadJavaOffsets(data)
		if err != nil {
			var je *JavaError
			if !errors.As(err, &je) {
				t.Fatalf("error %v is not a *JavaError", err)
			}
			if je.Pos < 0 || je.Pos > len(data) {
				t.Fatalf("error at byte %d of %d", je.Pos, len(data))
			}
			return
		}
		if 2*(len(entries)+len(warnings)) > len(data) {
			t.Fatalf("%d entries and %d warnings from %d bytes", len(entries), len(warnings), len(data))
		}
		kv := make([][]byte, 0, 2*len(entries))
		for _, e := range entries {
			if e.Pos < 0 || e.Pos >= len(data) || e.Partition == nil {
				t.Fatalf("entry %+v: bad position or nil partition", e)
			}
			w := newValueWriter()
			if err := w.value([]any{e.Connector, e.Partition}); err != nil {
				t.Fatalf("encode key of %+v: %v", e, err)
			}
			kv = append(kv, w.buf.Bytes())
			if e.Offset == nil {
				kv = append(kv, nil)
				continue
			}
			w = newValueWriter()
			if err := w.value(e.Offset); err != nil {
				t.Fatalf("encode offset of %+v: %v", e, err)
			}
			kv = append(kv, w.buf.Bytes())
		}
		again, warnings, err := ReadJavaOffsets(javaStream(kv...))
		if err != nil || len(warnings) > 0 {
			t.Fatalf("rewritten stream: %v, warnings %q", err, warnings)
		}
		if len(again) != len(entries) {
			t.Fatalf("rewritten stream holds %d entries, want %d", len(again), len(entries))
		}
		for i := range entries {
			a, b := entries[i], again[i]
			if a.Connector != b.Connector || !reflect.DeepEqual(a.Partition, b.Partition) || !reflect.DeepEqual(a.Offset, b.Offset) {
				t.Fatalf("entry %d changed on a round trip:\n%#v\n%#v", i, a, b)
			}
		}
	})
}
