package file

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// maxNesting bounds how deep appendJavaString descends into lists and maps,
// so a value that contains itself fails instead of exhausting the stack.
const maxNesting = 1000

var errTooDeep = fmt.Errorf("value nested deeper than %d levels", maxNesting)

// appendJavaString appends the text Java's String.valueOf prints for the
// value Kafka Connect would hold in place of v, which is what Kafka's
// FileStreamSinkTask writes. One difference: []byte is appended raw,
// where Java prints the array's identity ("[B@1b6d3586").
//
// Go values as converters produce them: nil is null, lists are []any, maps
// are map[string]any or map[any]any. Maps print in the order Java's HashMap
// iterates them for the usual key types (strings, integers, booleans,
// floats); entries that share a HashMap bucket, whose Java order depends on
// insertion history, and maps with other key types are ordered by key text.
func appendJavaString(b []byte, v any) ([]byte, error) {
	return appendValue(b, v, 0)
}

func appendValue(b []byte, v any, depth int) ([]byte, error) {
	if depth > maxNesting {
		return b, errTooDeep
	}
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return append(b, x...), nil
	case []byte:
		return append(b, x...), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int8:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int16:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int32:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case uint:
		return strconv.AppendUint(b, uint64(x), 10), nil
	case uint8:
		return strconv.AppendUint(b, uint64(x), 10), nil
	case uint16:
		return strconv.AppendUint(b, uint64(x), 10), nil
	case uint32:
		return strconv.AppendUint(b, uint64(x), 10), nil
	case uint64:
		return strconv.AppendUint(b, x, 10), nil
	case float64:
		return appendJavaFloat(b, x, 64), nil
	case float32:
		return appendJavaFloat(b, float64(x), 32), nil
	case []any:
		return appendList(b, x, depth)
	case map[string]any:
		keys := make([]any, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		return appendMap(b, keys, func(k any) any { return x[k.(string)] }, depth)
	case map[any]any:
		keys := make([]any, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		return appendMap(b, keys, func(k any) any { return x[k] }, depth)
	case time.Time:
		// java.util.Date.toString, in the local time zone as the JVM's default.
		return x.Local().AppendFormat(b, "Mon Jan 02 15:04:05 MST 2006"), nil
	case fmt.Stringer:
		return append(b, x.String()...), nil
	}
	return fmt.Appendf(b, "%v", v), nil
}

// appendList prints as Java's AbstractCollection.toString: "[a, b]".
func appendList(b []byte, l []any, depth int) ([]byte, error) {
	b = append(b, '[')
	for i, e := range l {
		if i > 0 {
			b = append(b, ", "...)
		}
		if inner, ok := e.([]any); ok && len(inner) == len(l) && len(l) > 0 && &inner[0] == &l[0] {
			b = append(b, "(this Collection)"...)
			continue
		}
		var err error
		if b, err = appendValue(b, e, depth+1); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

// appendMap prints as Java's AbstractMap.toString: "{k=v, k2=v2}".
func appendMap(b []byte, keys []any, get func(any) any, depth int) ([]byte, error) {
	type entry struct {
		bucket int
		text   string
		key    any
	}
	entries := make([]entry, len(keys))
	capacity := hashMapCapacity(len(keys))
	hashed := true
	for i, k := range keys {
		kb, err := appendValue(nil, k, depth+1)
		if err != nil {
			return b, err
		}
		h, ok := javaHashCode(k)
		hashed = hashed && ok
		entries[i] = entry{bucket: int(spread(h) & uint32(capacity-1)), text: string(kb), key: k}
	}
	slices.SortFunc(entries, func(x, y entry) int {
		if hashed && x.bucket != y.bucket {
			return x.bucket - y.bucket
		}
		return strings.Compare(x.text, y.text)
	})
	b = append(b, '{')
	for i, e := range entries {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, e.text...)
		b = append(b, '=')
		var err error
		if b, err = appendValue(b, get(e.key), depth+1); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// hashMapCapacity returns the table size of a java.util.HashMap built with
// the default constructor after n insertions: 16, doubled whenever the
// size exceeds three quarters of it.
func hashMapCapacity(n int) int {
	c := 16
	for n > c*3/4 {
		c *= 2
	}
	return c
}

// spread mixes the high bits of a hash into the low ones, as HashMap.hash does.
func spread(h int32) uint32 {
	u := uint32(h)
	return u ^ (u >> 16)
}

// javaHashCode returns the hashCode Java computes for the boxed form of k.
func javaHashCode(k any) (int32, bool) {
	switch x := k.(type) {
	case nil:
		return 0, true
	case string:
		var h int32
		for _, r := range x {
			if r1, r2 := utf16.EncodeRune(r); r1 != '\uFFFD' || r2 != '\uFFFD' {
				h = 31*h + r1
				h = 31*h + r2
			} else {
				h = 31*h + r
			}
		}
		return h, true
	case bool:
		if x {
			return 1231, true
		}
		return 1237, true
	case int8:
		return int32(x), true
	case int16:
		return int32(x), true
	case int32:
		return x, true
	case int64:
		return int32(x ^ int64(uint64(x)>>32)), true
	case int:
		return javaHashCode(int64(x))
	case float64:
		bits := math.Float64bits(x)
		if math.IsNaN(x) {
			bits = 0x7ff8000000000000
		}
		return int32(bits ^ bits>>32), true
	case float32:
		bits := math.Float32bits(x)
		if x != x {
			bits = 0x7fc00000
		}
		return int32(bits), true
	}
	return 0, false
}

// appendJavaFloat formats f as Java's Double.toString (bitSize 64) or
// Float.toString (bitSize 32) do since JDK 19: the shortest decimal that
// reads back as f (or, when that has one digit, the closest one with two
// digits that does), plain between 10^-3 and 10^7 and in computerized
// scientific notation ("1.0E7", "4.9E-324") outside.
func appendJavaFloat(b []byte, f float64, bitSize int) []byte {
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
	var tmp [32]byte
	s := strconv.AppendFloat(tmp[:0], f, 'e', -1, bitSize) // like "-1.5e-04" or "5e-324"
	if !slices.Contains(s, '.') {
		two := strconv.AppendFloat(nil, f, 'e', 1, bitSize)
		if back, err := strconv.ParseFloat(string(two), bitSize); err == nil && back == f {
			s = two
		}
	}
	if s[0] == '-' {
		b = append(b, '-')
		s = s[1:]
	}
	i := slices.Index(s, 'e')
	exp, _ := strconv.Atoi(string(s[i+1:]))
	// digits holds the significant digits: f = 0.d1d2... × 10^(exp+1).
	digits := slices.DeleteFunc(slices.Clone(s[:i]), func(c byte) bool { return c == '.' })
	for len(digits) > 1 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	if a := math.Abs(f); a < 1e-3 || a >= 1e7 {
		b = append(b, digits[0], '.')
		if len(digits) > 1 {
			b = append(b, digits[1:]...)
		} else {
			b = append(b, '0')
		}
		b = append(b, 'E')
		return strconv.AppendInt(b, int64(exp), 10)
	}
	if exp < 0 {
		b = append(b, "0."...)
		for range -exp - 1 {
			b = append(b, '0')
		}
		return append(b, digits...)
	}
	for i := 0; i <= exp; i++ {
		if i < len(digits) {
			b = append(b, digits[i])
		} else {
			b = append(b, '0')
		}
	}
	b = append(b, '.')
	if len(digits) > exp+1 {
		return append(b, digits[exp+1:]...)
	}
	return append(b, '0')
}
