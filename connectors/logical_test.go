package connectors

import (
	"bytes"
	"errors"
	"math/big"
	"testing"
	"time"
)

func bigInt(t *testing.T, s string) *big.Int {
	t.Helper()
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		t.Fatalf("bad integer %q", s)
	}
	return n
}

func TestDecimalString(t *testing.T) {
	tests := []struct {
		unscaled string
		scale    int32
		want     string
	}{
		{"0", 0, "0"},
		{"0", 2, "0.00"},
		{"0", -3, "0E+3"},
		{"0", 10, "0E-10"},
		{"15600", 4, "1.5600"},
		{"-15600", 4, "-1.5600"},
		{"1", -3, "1E+3"},
		{"-1", -3, "-1E+3"},
		{"123", -2, "1.23E+4"},
		{"1", 6, "0.000001"},
		{"1", 7, "1E-7"},
		{"123", 9, "1.23E-7"},
		{"-5", 1, "-0.5"},
		{"12345678901234567890123", 3, "12345678901234567890.123"},
		{"42", 0, "42"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			d := Decimal{Unscaled: bigInt(t, tt.unscaled), Scale: tt.scale}
			if got := d.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if got, _ := JavaString(d); got != tt.want {
				t.Errorf("JavaString = %q, want %q", got, tt.want)
			}
		})
	}
	if got := (Decimal{}).String(); got != "0" {
		t.Errorf("zero Decimal = %q, want 0", got)
	}
}

func TestDecimalBytes(t *testing.T) {
	// Encodings as Java's BigInteger.toByteArray.
	tests := []struct {
		unscaled string
		want     []byte
	}{
		{"0", []byte{0x00}},
		{"1", []byte{0x01}},
		{"127", []byte{0x7f}},
		{"128", []byte{0x00, 0x80}},
		{"255", []byte{0x00, 0xff}},
		{"256", []byte{0x01, 0x00}},
		{"-1", []byte{0xff}},
		{"-128", []byte{0x80}},
		{"-129", []byte{0xff, 0x7f}},
		{"-256", []byte{0xff, 0x00}},
		{"-257", []byte{0xfe, 0xff}},
		{"-32768", []byte{0x80, 0x00}},
		{"156", []byte{0x00, 0x9c}},
		{"-9223372036854775808", []byte{0x80, 0, 0, 0, 0, 0, 0, 0}},
		{"9223372036854775808", []byte{0x00, 0x80, 0, 0, 0, 0, 0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.unscaled, func(t *testing.T) {
			d := Decimal{Unscaled: bigInt(t, tt.unscaled), Scale: 2}
			got := d.Bytes()
			if !bytes.Equal(got, tt.want) {
				t.Fatalf("Bytes() = % x, want % x", got, tt.want)
			}
			back, err := DecimalFromBytes(got, 2)
			if err != nil || !back.Equal(d) {
				t.Fatalf("DecimalFromBytes(% x) = %v, %v; want %v", got, back, err, d)
			}
		})
	}
	if got := (Decimal{}).Bytes(); !bytes.Equal(got, []byte{0}) {
		t.Errorf("zero Decimal Bytes() = % x", got)
	}
}

func TestDecimalFromBytes(t *testing.T) {
	tests := []struct {
		in   []byte
		want string
	}{
		{[]byte{0xff, 0xff, 0xff}, "-1"}, // redundant sign bytes
		{[]byte{0x00, 0x00, 0x01}, "1"},  // redundant zero bytes
		{[]byte{0x80}, "-128"},
		{[]byte{0x01, 0x00}, "256"},
	}
	for _, tt := range tests {
		d, err := DecimalFromBytes(tt.in, 0)
		if err != nil || d.String() != tt.want {
			t.Errorf("DecimalFromBytes(% x) = %v, %v; want %s", tt.in, d, err, tt.want)
		}
	}
	if _, err := DecimalFromBytes(nil, 0); err == nil || err.Error() != "Zero length BigInteger" {
		t.Errorf("DecimalFromBytes(nil) error = %v", err)
	}
}

func TestDecimalEqual(t *testing.T) {
	a := NewDecimal(10, 1)
	if !a.Equal(Decimal{Unscaled: big.NewInt(10), Scale: 1}) {
		t.Error("equal decimals differ")
	}
	if a.Equal(NewDecimal(100, 2)) {
		t.Error("1.0 equals 1.00; BigDecimal.equals keeps the scale")
	}
	if !(Decimal{}).Equal(NewDecimal(0, 0)) {
		t.Error("nil Unscaled differs from zero")
	}
}

func TestDecimalSchemaAndCodec(t *testing.T) {
	s := DecimalSchema(2, false)
	if s.Type != Bytes || s.Name != DecimalName || s.Version == nil || *s.Version != 1 ||
		s.Parameters["scale"] != "2" || s.Optional {
		t.Fatalf("DecimalSchema(2, false) = %+v", s)
	}
	if !DecimalSchema(0, true).Optional {
		t.Error("optional DecimalSchema is not optional")
	}
	b, err := EncodeDecimal(s, NewDecimal(-15600, 2))
	if err != nil || !bytes.Equal(b, []byte{0xc3, 0x10}) {
		t.Fatalf("EncodeDecimal = % x, %v", b, err)
	}
	d, err := DecodeDecimal(s, b)
	if err != nil || d.String() != "-156.00" {
		t.Fatalf("DecodeDecimal = %v, %v", d, err)
	}

	errTests := []struct {
		name string
		err  error
		want string
	}{
		{"mismatched scale", second(EncodeDecimal(s, NewDecimal(1, 3))),
			"Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has scale 3."},
		{"no scale", second(EncodeDecimal(BytesSchema, NewDecimal(1, 3))),
			"Invalid Decimal schema: scale parameter not found."},
		{"bad scale", second(DecodeDecimal(&Schema{Type: Bytes, Name: DecimalName, Parameters: map[string]string{"scale": "x"}}, []byte{1})),
			"Invalid scale parameter found in Decimal schema: "},
		{"empty bytes", second(DecodeDecimal(s, nil)), "Invalid Decimal value: Zero length BigInteger"},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil || tt.err.Error() != tt.want || !errors.Is(tt.err, ErrInvalidData) {
				t.Errorf("error = %v, want %q matching ErrInvalidData", tt.err, tt.want)
			}
		})
	}
}

func second[T any](_ T, err error) error { return err }

func TestLogicalSchemas(t *testing.T) {
	tests := []struct {
		s    *Schema
		typ  Type
		name string
	}{
		{DateSchema(false), Int32, DateName},
		{TimeSchema(false), Int32, TimeName},
		{TimestampSchema(false), Int64, TimestampName},
	}
	for _, tt := range tests {
		if tt.s.Type != tt.typ || tt.s.Name != tt.name || tt.s.Version == nil || *tt.s.Version != 1 || tt.s.Optional {
			t.Errorf("schema %+v, want %s %s version 1", tt.s, tt.typ, tt.name)
		}
	}
	if !DateSchema(true).Optional || !TimeSchema(true).Optional || !TimestampSchema(true).Optional {
		t.Error("optional logical schema is not optional")
	}
	if !SchemaEqual(DateSchema(false), DateSchema(false)) || SchemaEqual(DateSchema(false), TimeSchema(false)) {
		t.Error("logical schema equality")
	}
}

const dateErr = "Kafka Connect Date type should not have any time fields set to non-zero values."
const timeErr = "Kafka Connect Time type should not have any date fields set to non-zero values."

func TestDate(t *testing.T) {
	est := time.FixedZone("EST", -5*3600)
	tests := []struct {
		name string
		in   time.Time
		want int32
		err  string
	}{
		{"epoch", time.Unix(0, 0), 0, ""},
		{"day after", time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC), 1, ""},
		{"before epoch", time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), -1, ""},
		{"long before", time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), -25567, ""},
		{"2024", time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), 19787, ""},
		{"same instant elsewhere", time.Date(2024, 3, 4, 19, 0, 0, 0, est), 19787, ""},
		{"midnight elsewhere", time.Date(2024, 3, 5, 0, 0, 0, 0, est), 0, dateErr},
		{"one ms", time.Date(2024, 3, 5, 0, 0, 0, 1e6, time.UTC), 0, dateErr},
		{"one ns", time.Date(2024, 3, 5, 0, 0, 0, 1, time.UTC), 0, dateErr},
		{"before epoch with time", time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC), 0, dateErr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DateToDays(tt.in)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err || !errors.Is(err, ErrInvalidData) {
					t.Fatalf("DateToDays(%v) = %d, %v; want error %q", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("DateToDays(%v) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
			back := DateFromDays(got)
			if !back.Equal(tt.in) || back.Location() != time.UTC {
				t.Errorf("DateFromDays(%d) = %v, want %v in UTC", got, back, tt.in)
			}
		})
	}
}

func TestTime(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want int32
		err  string
	}{
		{"midnight", time.UnixMilli(0), 0, ""},
		{"noon", time.Date(1970, 1, 1, 12, 0, 0, 0, time.UTC), 43200000, ""},
		{"last ms", time.Date(1970, 1, 1, 23, 59, 59, 999e6, time.UTC), 86399999, ""},
		{"sub-ms dropped", time.Date(1970, 1, 1, 0, 0, 1, 999999, time.UTC), 1000, ""},
		{"next day", time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC), 0, timeErr},
		{"before epoch", time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC), 0, timeErr},
		{"2024", time.Date(2024, 3, 5, 1, 0, 0, 0, time.UTC), 0, timeErr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := TimeToMillis(tt.in)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err || !errors.Is(err, ErrInvalidData) {
					t.Fatalf("TimeToMillis(%v) = %d, %v; want error %q", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("TimeToMillis(%v) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
		})
	}

	const rangeErr = "Time values must use number of milliseconds greater than 0 and less than 86400000"
	fromTests := []struct {
		ms   int32
		want time.Time
		err  bool
	}{
		{0, time.Unix(0, 0), false},
		{43200000, time.Date(1970, 1, 1, 12, 0, 0, 0, time.UTC), false},
		{86400000, time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC), false},
		{86400001, time.Time{}, true},
		{-1, time.Time{}, true},
	}
	for _, tt := range fromTests {
		got, err := TimeFromMillis(tt.ms)
		if tt.err {
			if err == nil || err.Error() != rangeErr {
				t.Errorf("TimeFromMillis(%d) = %v, %v; want error %q", tt.ms, got, err, rangeErr)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("TimeFromMillis(%d) = %v, %v; want %v in UTC", tt.ms, got, err, tt.want)
		}
	}
}

func TestTimestamp(t *testing.T) {
	tests := []struct {
		in   time.Time
		want int64
	}{
		{time.Unix(0, 0), 0},
		{time.Date(2024, 3, 5, 7, 8, 9, 123e6, time.UTC), 1709622489123},
		{time.Date(1969, 12, 31, 23, 59, 59, 999e6, time.UTC), -1},
		{time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC), -1}, // rounds down
		{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), -2208988800000},
	}
	for _, tt := range tests {
		if got := TimestampToMillis(tt.in); got != tt.want {
			t.Errorf("TimestampToMillis(%v) = %d, want %d", tt.in, got, tt.want)
		}
		back := TimestampFromMillis(tt.want)
		if back.Location() != time.UTC || back.UnixMilli() != tt.want {
			t.Errorf("TimestampFromMillis(%d) = %v", tt.want, back)
		}
	}
}

func FuzzDecimalBytes(f *testing.F) {
	for _, s := range [][]byte{{0}, {0x7f}, {0x80}, {0xff}, {0x00, 0x80}, {0xff, 0x7f}, {0xff, 0xff, 0x01}, {0x00, 0x00}} {
		f.Add(s, int32(2))
	}
	f.Fuzz(func(t *testing.T, b []byte, scale int32) {
		d, err := DecimalFromBytes(b, scale)
		if len(b) == 0 {
			if err == nil {
				t.Fatal("empty input accepted")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		enc := d.Bytes()
		if len(enc) == 0 || len(enc) > len(b) {
			t.Fatalf("Bytes() of % x = % x: not 1..%d bytes", b, enc, len(b))
		}
		// The minimal form is b without redundant leading sign bytes.
		if !bytes.Equal(enc, b[len(b)-len(enc):]) {
			t.Fatalf("Bytes() of % x = % x, not a suffix", b, enc)
		}
		back, err := DecimalFromBytes(enc, scale)
		if err != nil || !back.Equal(d) {
			t.Fatalf("round trip of % x: %v, %v; want %v", b, back, err, d)
		}
		if d.String() == "" {
			t.Fatal("empty String()")
		}
	})
}
