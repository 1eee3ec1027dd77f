package source

import (
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func TestToDecimal(t *testing.T) {
	tests := []struct {
		in    any
		scale int32
		want  string
	}{
		{"12.5", 2, "12.50"},
		{"-0.01", 2, "-0.01"},
		{"+7", 3, "7.000"},
		{"1234567890123456.78", 2, "1234567890123456.78"},
		{"12345678901234567.89", 2, "12345678901234567.89"}, // 19 digits: the big path
		{"1.005", 2, "1.01"},                                // more fraction digits than the scale: rounded
		{"-1.005", 2, "-1.01"},
		{"1e3", 0, "1000"},
		{" 3.14 ", 2, "3.14"},
		{int64(42), 1, "42.0"},
		{float64(2.5), 0, "3"},
	}
	for _, tt := range tests {
		got, err := toDecimal(tt.in, tt.scale)
		if err != nil {
			t.Errorf("toDecimal(%v, %d): %v", tt.in, tt.scale, err)
			continue
		}
		if s := got.(connectors.Decimal).String(); s != tt.want {
			t.Errorf("toDecimal(%v, %d) = %s, want %s", tt.in, tt.scale, s, tt.want)
		}
	}
	for _, bad := range []string{"", "-", ".", "1.2.3", "abc"} {
		if _, err := toDecimal(bad, 2); err == nil {
			t.Errorf("toDecimal(%q) succeeded", bad)
		}
	}
}

// The fast path agrees with big.Rat on every input it accepts.
func FuzzPlainDecimal(f *testing.F) {
	for _, s := range []string{"0", "-12.34", "999999999999999999", "0.000000000000000001", "+.5", "5."} {
		f.Add(s, int32(2))
	}
	f.Fuzz(func(t *testing.T, s string, scale int32) {
		fast, ok := plainDecimal(s, scale)
		if !ok {
			return
		}
		slow, err := ratDecimal(s, scale)
		if err != nil {
			t.Fatalf("plainDecimal(%q, %d) = %s, but big.Rat refuses it: %v", s, scale, fast, err)
		}
		if !fast.Equal(slow) {
			t.Fatalf("plainDecimal(%q, %d) = %s, big.Rat gives %s", s, scale, fast, slow)
		}
	})
}
