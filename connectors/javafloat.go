package connectors

import (
	"math"
	"strconv"
)

// AppendJavaDouble appends Java's Double.toString(f) as JDK 19 and later
// print it: "1.0", "0.001", "1.0E7", "4.9E-324", "NaN", "-Infinity".
func AppendJavaDouble(b []byte, f float64) []byte { return appendJavaNumber(b, f, 64) }

// AppendJavaFloat appends Java's Float.toString(f) as JDK 19 and later
// print it: "0.1", "1.0E10", "3.4028235E38".
func AppendJavaFloat(b []byte, f float32) []byte { return appendJavaNumber(b, float64(f), 32) }

// appendJavaNumber formats f as Java's Double.toString (bitSize 64) or
// Float.toString (bitSize 32) specify it since JDK 19: the shortest decimal
// that reads back as f (when that is one digit, the closest of one or two
// digits, hence "4.9E-324"), written plain when 10^-3 <= |f| < 10^7 and in
// computerized scientific notation otherwise, always with a fraction digit.
//
// JDK 17 and older print a few values with more digits than needed; this
// follows the specified shortest form.
func appendJavaNumber(b []byte, f float64, bitSize int) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, 1):
		return append(b, "Infinity"...)
	case math.IsInf(f, -1):
		return append(b, "-Infinity"...)
	case f == 0:
		if math.Signbit(f) {
			return append(b, "-0.0"...)
		}
		return append(b, "0.0"...)
	}
	var buf [32]byte
	digits, exp := decimalDigits(buf[:0], f, -1, bitSize)
	if len(digits) == 1 {
		// Java also weighs two-digit decimals and keeps the closest to f.
		var buf2 [32]byte
		d2, e2 := decimalDigits(buf2[:0], f, 1, bitSize)
		if d2[1] != '0' && roundTrips(d2, e2, f, bitSize) {
			digits, exp = append(buf[:0], d2...), e2
		}
	}
	if f < 0 {
		b = append(b, '-')
	}
	if exp >= -3 && exp < 7 {
		if exp < 0 {
			b = append(b, "0."...)
			for i := -1; i > exp; i-- {
				b = append(b, '0')
			}
			return append(b, digits...)
		}
		n := exp + 1
		if len(digits) <= n {
			b = append(b, digits...)
			for i := len(digits); i < n; i++ {
				b = append(b, '0')
			}
			return append(b, ".0"...)
		}
		b = append(b, digits[:n]...)
		b = append(b, '.')
		return append(b, digits[n:]...)
	}
	b = append(b, digits[0], '.')
	if len(digits) > 1 {
		b = append(b, digits[1:]...)
	} else {
		b = append(b, '0')
	}
	b = append(b, 'E')
	return strconv.AppendInt(b, int64(exp), 10)
}

// decimalDigits returns the significant digits of |f| (shortest when prec
// is -1, else prec+1 digits) and the decimal exponent of the first digit.
func decimalDigits(dst []byte, f float64, prec, bitSize int) ([]byte, int) {
	s := strconv.AppendFloat(dst, math.Abs(f), 'e', prec, bitSize) // "d.ddde+XX"
	e := 0
	for i := 0; i < len(s); i++ {
		if s[i] == 'e' {
			e = i
			break
		}
	}
	exp, _ := strconv.Atoi(string(s[e+1:]))
	// Drop the '.' in place: digits are s[0] followed by s[2:e].
	if e > 1 {
		copy(s[1:], s[2:e])
		return s[:e-1], exp
	}
	return s[:1], exp
}

func roundTrips(digits []byte, exp int, f float64, bitSize int) bool {
	var buf [40]byte
	s := append(buf[:0], digits...)
	s = append(s, 'e')
	s = strconv.AppendInt(s, int64(exp-len(digits)+1), 10)
	g, err := strconv.ParseFloat(string(s), bitSize)
	return err == nil && g == math.Abs(f)
}
