package datefmt

import (
	"math"
	"math/big"
	"unicode"
)

// parseNumber reads an integer at pos as SimpleDateFormat's DecimalFormat
// does (integers only, no grouping): an optional '-', digits (any Unicode
// decimal digits) and an optional exponent "E" with an optional '-', or
// "NaN" or "∞". It returns Number.intValue of the result: the low 32 bits
// of a value that fits in a long, else the double value truncated and
// clamped to the int range.
func parseNumber(text []rune, pos int) (int32, int, bool) {
	if hasPrefix(text[pos:], "NaN") {
		return 0, pos + 3, true
	}
	neg := false
	if pos < len(text) && text[pos] == '-' {
		neg = true
		pos++
	}
	if pos < len(text) && text[pos] == '∞' {
		if neg {
			return math.MinInt32, pos + 1, true
		}
		return math.MaxInt32, pos + 1, true
	}
	digits, end := readDigits(text, pos)
	if end == pos {
		return 0, 0, false
	}
	pos = end
	exp := int64(0)
	if pos < len(text) && text[pos] == 'E' {
		p, expNeg := pos+1, false
		if p < len(text) && text[p] == '-' {
			expNeg = true
			p++
		}
		if ed, e := readDigits(text, p); e > p {
			pos = e
			exp = clampedInt(ed)
			if expNeg {
				exp = -exp
			}
		}
	}
	return intValue(digits, exp, neg), pos, true
}

func hasPrefix(text []rune, s string) bool {
	return len(text) >= len(s) && string(text[:len(s)]) == s
}

// readDigits returns the decimal digits at pos, as values 0-9.
func readDigits(text []rune, pos int) ([]byte, int) {
	var out []byte
	for ; pos < len(text); pos++ {
		d, ok := digitValue(text[pos])
		if !ok {
			break
		}
		out = append(out, d)
	}
	return out, pos
}

// digitValue is Character.digit(r, 10). Unicode encodes decimal digits
// in runs of ten from zero, so a digit's value is its distance from the
// start of its run.
func digitValue(r rune) (byte, bool) {
	if r >= '0' && r <= '9' {
		return byte(r - '0'), true
	}
	if !unicode.IsDigit(r) {
		return 0, false
	}
	n := 0
	for unicode.IsDigit(r - rune(n) - 1) {
		n++
	}
	return byte(n % 10), true
}

// clampedInt is the value of digits, at most a little over any exponent
// that matters.
func clampedInt(digits []byte) int64 {
	v := int64(0)
	for _, d := range digits {
		v = v*10 + int64(d)
		if v > 1_000_000 {
			return 1_000_000
		}
	}
	return v
}

// intValue is Number.intValue of ±digits×10^exp as DecimalFormat returns
// it: a Long when the value is a whole number in the long range, else a
// Double.
func intValue(digits []byte, exp int64, neg bool) int32 {
	n := new(big.Int)
	for _, d := range digits {
		n.Mul(n, big.NewInt(10))
		n.Add(n, big.NewInt(int64(d)))
	}
	if n.Sign() == 0 {
		return 0
	}
	if neg {
		n.Neg(n)
	}
	if exp > 400 {
		return clampInt32(math.Inf(n.Sign()))
	}
	if exp >= 0 {
		n.Mul(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(exp), nil))
		if n.IsInt64() {
			return int32(n.Int64())
		}
		f, _ := new(big.Float).SetInt(n).Float64()
		return clampInt32(f)
	}
	if exp < -400 {
		return 0
	}
	den := new(big.Int).Exp(big.NewInt(10), big.NewInt(-exp), nil)
	q, r := new(big.Int).QuoRem(n, den, new(big.Int))
	if r.Sign() == 0 && q.IsInt64() {
		return int32(q.Int64())
	}
	f, _ := new(big.Rat).SetFrac(n, den).Float64()
	return clampInt32(f)
}

// clampInt32 is Java's double to int conversion.
func clampInt32(f float64) int32 {
	switch {
	case f != f:
		return 0
	case f >= math.MaxInt32:
		return math.MaxInt32
	case f <= math.MinInt32:
		return math.MinInt32
	}
	return int32(f)
}
