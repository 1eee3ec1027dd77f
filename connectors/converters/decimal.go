package converters

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// decimal is an exact number as Java's BigDecimal holds it: the value is
// digits × 10^-scale. Both JSON numbers (Jackson keeps them exact) and
// header strings (parsed with new BigDecimal(text)) are read into it, and
// Kafka's conversions (intValue, floatValue, ...) are computed from it.
type decimal struct {
	neg    bool
	digits string // significant digits without leading zeros; "" is zero
	scale  int64  // BigDecimal.scale(): digits after the point minus the exponent
}

// parseDecimal accepts the syntax of Java's new BigDecimal(String) with
// ASCII digits: an optional sign, digits with an optional point (".5" and
// "5." included), an optional exponent of at most ten significant digits,
// and a scale that fits in an int.
func parseDecimal[T string | []byte](s T) (d decimal, ok bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var sb strings.Builder
	nd, frac := 0, int64(0)
	seenPoint := false
	for ; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			if seenPoint {
				return
			}
			seenPoint = true
			continue
		}
		if c < '0' || c > '9' {
			break
		}
		nd++
		if seenPoint {
			frac++
		}
		if c != '0' || sb.Len() > 0 {
			sb.WriteByte(c)
		}
	}
	if nd == 0 {
		return
	}
	var exp int64
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return
		}
		i++
		expNeg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			expNeg = s[i] == '-'
			i++
		}
		for i < len(s) && s[i] == '0' && len(s)-i > 1 {
			i++
		}
		if i == len(s) || len(s)-i > 10 {
			return
		}
		for ; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return
			}
			exp = exp*10 + int64(s[i]-'0')
		}
		if expNeg {
			exp = -exp
		}
	}
	scale := frac - exp
	if scale > math.MaxInt32 || scale < math.MinInt32 {
		return
	}
	d = decimal{neg: neg, digits: sb.String(), scale: scale}
	if d.digits == "" {
		d.neg = false // BigDecimal has no negative zero
	}
	return d, true
}

func (d decimal) isZero() bool { return d.digits == "" }

// connectDecimal returns the value as a Connect Decimal with the same
// unscaled value and scale, as new BigDecimal(text) keeps them.
func (d decimal) connectDecimal() connectors.Decimal {
	u := new(big.Int)
	if !d.isZero() {
		u.SetString(d.digits, 10)
		if d.neg {
			u.Neg(u)
		}
	}
	return connectors.Decimal{Unscaled: u, Scale: int32(d.scale)}
}

// integral reports whether the value has no fractional part.
func (d decimal) integral() bool {
	if d.scale <= 0 || d.isZero() {
		return true
	}
	tz := len(d.digits) - len(strings.TrimRight(d.digits, "0"))
	return int64(tz) >= d.scale
}

// low64 returns the low 64 bits of the value truncated towards zero, which
// is what Java's intValue/longValue and the (byte)/(short) casts on them
// keep.
func (d decimal) low64() uint64 {
	if d.isZero() {
		return 0
	}
	digits := d.digits
	var mul int64
	if d.scale <= 0 {
		if mul = -d.scale; mul >= 64 {
			return 0 // a multiple of 10^64, hence of 2^64
		}
	} else {
		if d.scale >= int64(len(digits)) {
			return 0
		}
		digits = digits[:int64(len(digits))-d.scale]
	}
	var m uint64
	for i := 0; i < len(digits); i++ {
		m = m*10 + uint64(digits[i]-'0')
	}
	for ; mul > 0; mul-- {
		m *= 10
	}
	if d.neg {
		m = -m
	}
	return m
}

// int64Exact returns the value when it is an integer that fits in int64.
func (d decimal) int64Exact() (int64, bool) {
	if !d.integral() {
		return 0, false
	}
	if d.isZero() {
		return 0, true
	}
	intDigits := int64(len(d.digits)) - d.scale
	if intDigits > 19 {
		return 0, false
	}
	var m uint64
	for i := int64(0); i < intDigits; i++ {
		c := uint64('0')
		if i < int64(len(d.digits)) {
			c = uint64(d.digits[i])
		}
		m = m*10 + c - '0'
	}
	switch {
	case !d.neg && m <= math.MaxInt64:
		return int64(m), true
	case d.neg && m <= 1<<63:
		return int64(-m), true
	}
	return 0, false
}

// float returns the nearest float64 (bitSize 64) or float32 (bitSize 32),
// as BigDecimal.doubleValue and floatValue do; zero is always +0.
func (d decimal) float(bitSize int) float64 {
	if d.isZero() {
		return 0
	}
	var b []byte
	if d.neg {
		b = append(b, '-')
	}
	b = append(b, d.digits...)
	b = append(b, 'e')
	b = strconv.AppendInt(b, -d.scale, 10)
	f, _ := strconv.ParseFloat(string(b), bitSize) // out of range gives ±Inf or ±0, as Java
	return f
}

// asciiDigits maps the Unicode decimal digits Java's BigDecimal accepts in
// the Basic Multilingual Plane to ASCII, so "٤٢" reads as 42 as in Java.
// It returns s unchanged when there is nothing to map.
func asciiDigits(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var sb strings.Builder
	for _, r := range s {
		if r > '9' && r <= 0xFFFF && unicode.IsDigit(r) {
			z := r
			for z > 0 && unicode.IsDigit(z-1) && r-z < 9 {
				z--
			}
			r = '0' + (r-z)%10
		}
		sb.WriteRune(r)
	}
	return sb.String()
}
