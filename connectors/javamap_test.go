package connectors

import (
	"math"
	"strconv"
	"testing"
)

// TestJavaHashMapOrder compares with what OpenJDK 17 printed for HashMaps
// holding the same keys.
func TestJavaHashMapOrder(t *testing.T) {
	keys := map[string]any{}
	for i := 20; i >= 0; i-- {
		keys["k"+strconv.Itoa(i)] = int32(i)
	}
	tests := []struct {
		in   any
		want string
	}{
		{map[string]any{"b": int32(2), "a": int32(1), "c": int32(3), "aa": int32(0)}, "{aa=0, a=1, b=2, c=3}"},
		{keys, "{k0=0, k1=1, k2=2, k20=20, k3=3, k4=4, k11=11, k5=5, k10=10, k6=6, k13=13, k7=7, k12=12, k8=8, k15=15, k9=9, k14=14, k17=17, k16=16, k19=19, k18=18}"},
		{map[any]any{int64(-1): "x", int64(3): "y", true: int32(1), 1.5: int32(2), nil: int32(0)}, "{-1=x, null=0, 3=y, 1.5=2, true=1}"},
	}
	for _, tt := range tests {
		got, err := AppendJavaString(nil, tt.in)
		if err != nil || string(got) != tt.want {
			t.Errorf("toString = %s, %v\nwant %s", got, err, tt.want)
		}
	}
}

func TestSortHashMapOrder(t *testing.T) {
	order := func(es []MapEntry) string {
		SortHashMapOrder(es)
		s := ""
		for _, e := range es {
			s += e.Text + " "
		}
		return s
	}
	// "Aa" and "BB" share a hash code, so Java's order depends on insertion
	// history; they are ordered by Text. "b" is in a later bucket.
	es := []MapEntry{{Key: "b", Text: "b"}, {Key: "BB", Text: "BB"}, {Key: "Aa", Text: "Aa"}}
	if got := order(es); got != "Aa BB b " {
		t.Errorf("colliding keys: %s", got)
	}
	// Text is the caller's rendering, here of JSON keys; buckets still come
	// from the keys.
	es = []MapEntry{{Key: "key10", Text: `"key10"`}, {Key: "key2", Text: `"key2"`}}
	if got := order(es); got != `"key2" "key10" ` {
		t.Errorf("quoted text: %s", got)
	}
	// A key Java hashes by identity orders the whole map by Text.
	es = []MapEntry{{Key: "c", Text: "c"}, {Key: []byte("b"), Text: "b"}, {Key: "a", Text: "a"}}
	if got := order(es); got != "a b c " {
		t.Errorf("identity-hashed key: %s", got)
	}
}

func TestJavaHashCode(t *testing.T) {
	// Values Java computes for the boxed keys.
	tests := []struct {
		in   any
		want int32
	}{
		{nil, 0},
		{"", 0},
		{"a", 97},
		{"hello", 99162322},
		{"polygenelubricants", math.MinInt32},
		{"é", 233},
		{"😀", 1772899},
		// new String({0xE2, 0x82}, UTF_8) is one U+FFFD; Go's decoder
		// would see two.
		{"\xe2\x82", 0xFFFD},
		{true, 1231},
		{false, 1237},
		{int8(-1), -1},
		{int16(300), 300},
		{int32(-70000), -70000},
		{int64(1) << 32, 1},
		{int64(-1), 0},
		{1.0, 1072693248},
		{math.NaN(), 2146959360},
		{float32(1.0), 1065353216},
	}
	for _, tt := range tests {
		if got, ok := javaHashCode(tt.in); !ok || got != tt.want {
			t.Errorf("javaHashCode(%#v) = %d, %v; want %d", tt.in, got, ok, tt.want)
		}
	}
	for _, k := range []any{[]byte("a"), []any{}, struct{}{}} {
		if _, ok := javaHashCode(k); ok {
			t.Errorf("javaHashCode(%#v) claims a value hash", k)
		}
	}
}
