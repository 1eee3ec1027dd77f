package connectors

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

type stringer struct{}

func (stringer) String() string { return "stringer" }

func TestAppendJavaString(t *testing.T) {
	utc := time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC)
	tests := []struct {
		in   any
		want string
	}{
		{nil, "null"},
		{"héllo", "héllo"},
		{"", ""},
		{"a\xffb", "a\xffb"},
		{true, "true"},
		{false, "false"},
		{int8(-8), "-8"},
		{int16(300), "300"},
		{int32(-70000), "-70000"},
		{int64(math.MinInt64), "-9223372036854775808"},
		{42, "42"},
		{uint8(200), "200"},
		{uint64(math.MaxUint64), "18446744073709551615"},
		{[]byte("\x00\xffraw"), "\x00\xffraw"},
		{1.0, "1.0"},
		{-1.5, "-1.5"},
		{0.0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{100.0, "100.0"},
		{0.001, "0.001"},
		{0.0001, "1.0E-4"},
		{1234567.0, "1234567.0"},
		{1e7, "1.0E7"},
		{12345678.9, "1.23456789E7"},
		{1e23, "1.0E23"},
		{sum(0.1, 0.2), "0.30000000000000004"},
		{0.002, "0.002"},
		{123.456, "123.456"},
		{9999999.0, "9999999.0"},
		{-0.00123, "-0.00123"},
		{1.5e-7, "1.5E-7"},
		{-2e10, "-2.0E10"},
		{math.MaxFloat64, "1.7976931348623157E308"},
		{math.SmallestNonzeroFloat64, "4.9E-324"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "Infinity"},
		{math.Inf(-1), "-Infinity"},
		{float32(0.1), "0.1"},
		{float32(1e10), "1.0E10"},
		{float32(3.4028235e38), "3.4028235E38"},
		{[]any{}, "[]"},
		{[]any{"a", nil, int64(1), []any{true}}, "[a, null, 1, [true]]"},
		{[]any{[]byte("b"), 2.5, float32(-0.5)}, "[b, 2.5, -0.5]"},
		{map[string]any{}, "{}"},
		{map[any]any{}, "{}"},
		// Java's HashMap order: "b" hashes to bucket 2, "a" to 1, "c" to 3.
		{map[string]any{"c": int32(3), "a": int32(1), "b": int32(2)}, "{a=1, b=2, c=3}"},
		// "key2" and "key10" land in HashMap buckets 1 and 13 of 16: not
		// the order of the key text.
		{map[string]any{"key10": "y", "key2": "x"}, "{key2=x, key10=y}"},
		{map[any]any{int32(20): "x", int32(3): "y"}, "{3=y, 20=x}"},
		{map[any]any{int64(17): "x", int64(1): "y"}, "{1=y, 17=x}"},
		{map[any]any{int8(1): []any{int16(2)}}, "{1=[2]}"},
		{map[string]any{"nested": []any{map[string]any{"x": nil}}}, "{nested=[{x=null}]}"},
		{utc, utc.Local().Format("Mon Jan 02 15:04:05 MST 2006")},
		{stringer{}, "stringer"},
		{struct{ A int }{7}, "{7}"},
	}
	for _, tt := range tests {
		got, err := AppendJavaString([]byte("prefix:"), tt.in)
		if err != nil || string(got) != "prefix:"+tt.want {
			t.Errorf("AppendJavaString(%#v) = %q, %v; want %q", tt.in, got, err, "prefix:"+tt.want)
		}
		s, err := JavaString(tt.in)
		if err != nil || s != tt.want {
			t.Errorf("JavaString(%#v) = %q, %v; want %q", tt.in, s, err, tt.want)
		}
	}
}

func sum(a, b float64) float64 { return a + b }

func TestAppendJavaStringSelfReference(t *testing.T) {
	list := make([]any, 2)
	list[0], list[1] = "x", list
	if got, err := JavaString(list); err != nil || got != "[x, (this Collection)]" {
		t.Errorf("self-containing list = %q, %v", got, err)
	}
	m := map[string]any{"a": int32(1)}
	m["self"] = m
	if got, err := JavaString(m); err != nil || got != "{a=1, self=(this Map)}" {
		t.Errorf("self-containing map = %q, %v", got, err)
	}
	am := map[any]any{int32(1): "x"}
	am[int32(2)] = am
	if got, err := JavaString(am); err != nil || got != "{1=x, 2=(this Map)}" {
		t.Errorf("self-containing map[any]any = %q, %v", got, err)
	}
	// An equal but distinct map prints normally.
	if got, _ := JavaString(map[string]any{"m": map[string]any{}}); got != "{m={}}" {
		t.Errorf("nested empty map = %q", got)
	}
}

func TestAppendJavaStringTooDeep(t *testing.T) {
	loop := make([]any, 1)
	loop[0] = []any{loop} // contains itself one level down
	b := []byte("keep")
	got, err := AppendJavaString(b, loop)
	if !errors.Is(err, ErrTooDeep) || string(got) != "keep" {
		t.Errorf("AppendJavaString(loop) = %q, %v; want %q, %v", got, err, "keep", ErrTooDeep)
	}
	m := map[any]any{}
	m["k"] = []any{m}
	if _, err := JavaString(m); !errors.Is(err, ErrTooDeep) {
		t.Errorf("JavaString(loop through map) error = %v, want %v", err, ErrTooDeep)
	}

	var deep any = "x"
	for range maxNesting {
		deep = []any{deep}
	}
	s, err := JavaString(deep)
	if err != nil || s != strings.Repeat("[", maxNesting)+"x"+strings.Repeat("]", maxNesting) {
		t.Errorf("%d levels: %v", maxNesting, err)
	}
	if _, err := JavaString([]any{deep}); !errors.Is(err, ErrTooDeep) {
		t.Errorf("%d levels: error = %v, want %v", maxNesting+1, err, ErrTooDeep)
	}
}

// FuzzAppendJavaDouble checks that every double, and every float from the
// low 32 bits, prints in Java's layout and reads back as itself.
func FuzzAppendJavaDouble(f *testing.F) {
	for _, x := range []float64{0, 1, 0.1, 1e7, 9999999.999999998, 1e-3, 9.999999999999998e-4, 5e-324, 1e23, math.MaxFloat64} {
		f.Add(math.Float64bits(x))
	}
	for _, x := range []float32{1.4e-45, 0.001, 1e7, 16777216, math.MaxFloat32} {
		f.Add(uint64(math.Float32bits(x)))
	}
	f.Fuzz(func(t *testing.T, bits uint64) {
		d, fl := math.Float64frombits(bits), math.Float32frombits(uint32(bits))
		checkJavaNumber(t, d, string(AppendJavaDouble(nil, d)), 64)
		checkJavaNumber(t, float64(fl), string(AppendJavaFloat(nil, fl)), 32)
	})
}

func checkJavaNumber(t *testing.T, x float64, s string, bitSize int) {
	t.Helper()
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return
	}
	g, err := strconv.ParseFloat(s, bitSize)
	if err != nil || g != x || math.Signbit(g) != math.Signbit(x) {
		t.Fatalf("%v (%d bits) printed as %s, reads back as %v, %v", x, bitSize, s, g, err)
	}
	mant, exp, sci := strings.Cut(strings.TrimPrefix(s, "-"), "E")
	whole, frac, ok := strings.Cut(mant, ".")
	if !ok || whole == "" || frac == "" {
		t.Fatalf("%v printed as %s: no fraction digit", x, s)
	}
	if a := math.Abs(x); x != 0 && sci != (a < 1e-3 || a >= 1e7) {
		t.Fatalf("%v printed as %s: wrong layout", x, s)
	}
	if sci && (len(whole) != 1 || whole == "0" || exp == "") {
		t.Fatalf("%v printed as %s: bad scientific notation", x, s)
	}
	if len(frac) > 1 && strings.HasSuffix(frac, "0") {
		t.Fatalf("%v printed as %s: trailing zero", x, s)
	}
}
