package transforms

import (
	"encoding/base64"
	"errors"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/converters"
)

// errNumberFormat stands for Java's NumberFormatException, which Cast
// reports as a value out of range.
var errNumberFormat = errors.New("number format")

// castValue converts v, whose schema is schema (nil when schemaless), to
// target as Kafka's Cast.castValueToType does.
func castValue(schema *connectors.Schema, v any, target connectors.Type) (any, error) {
	if v == nil {
		return nil, nil
	}
	var in connectors.Type
	if schema != nil {
		in = schema.Type
	} else if in = schemaTypeOf(v); in == "" {
		return nil, connectors.DataErrorf("Cast transformation was passed a value of type class %s which is not supported by Connect's data API", connectors.JavaClassName(v))
	}
	switch in {
	case connectors.Array, connectors.Map, connectors.Struct:
		return nil, connectors.DataErrorf("Cast transformation does not support casting from %s; supported types are %s", in.EnumName(), castInputTypes)
	}
	if schema != nil && schema.Name != "" && target != connectors.String {
		var err error
		if v, err = encodeLogical(schema, v); err != nil {
			return nil, err
		}
	}
	out, err := castTo(v, target)
	if errors.Is(err, errNumberFormat) {
		// Kafka's text, then what its log shows as the NumberFormatException
		// cause, which is the part that says what went wrong.
		s, _ := connectors.AppendJavaString(nil, v)
		return nil, connectors.DataErrorf("Value (%s) was out of range for requested data type: %q is not a valid %s", s, s, target)
	}
	return out, err
}

// schemaTypeOf is Kafka's ConnectSchema.schemaType: the schema type of a
// schemaless value, or "" for values such as dates and decimals that
// need a schema.
func schemaTypeOf(v any) connectors.Type {
	switch v.(type) {
	case int8:
		return connectors.Int8
	case int16:
		return connectors.Int16
	case int32:
		return connectors.Int32
	case int64:
		return connectors.Int64
	case float32:
		return connectors.Float32
	case float64:
		return connectors.Float64
	case bool:
		return connectors.Boolean
	case string:
		return connectors.String
	case []byte:
		return connectors.Bytes
	case []any:
		return connectors.Array
	case map[string]any, map[any]any:
		return connectors.Map
	case *connectors.StructValue:
		return connectors.Struct
	}
	return ""
}

// encodeLogical turns a Date, Time or Timestamp into its days or
// milliseconds; other values pass as they are.
func encodeLogical(schema *connectors.Schema, v any) (any, error) {
	switch schema.Name {
	case connectors.DateName, connectors.TimeName, connectors.TimestampName:
	default:
		return v, nil
	}
	t, ok := v.(time.Time)
	if !ok {
		return nil, connectors.DataErrorf("class %s cannot be cast to class java.util.Date", connectors.JavaClassName(v))
	}
	switch schema.Name {
	case connectors.DateName:
		return connectors.DateToDays(t)
	case connectors.TimeName:
		return connectors.TimeToMillis(t)
	}
	return connectors.TimestampToMillis(t), nil
}

func castTo(v any, target connectors.Type) (any, error) {
	if target == connectors.String {
		return castToString(v), nil
	}
	if s, ok := v.(string); ok {
		return parseJava(s, target)
	}
	if b, ok := v.(bool); ok {
		if target == connectors.Boolean {
			return b, nil
		}
		n := int64(0)
		if b {
			n = 1
		}
		v = n
	}
	if !isNumber(v) {
		return nil, connectors.DataErrorf("Unexpected type in Cast transformation: class %s", connectors.JavaClassName(v))
	}
	switch target {
	case connectors.Int8:
		return int8(javaInt(v)), nil
	case connectors.Int16:
		return int16(javaInt(v)), nil
	case connectors.Int32:
		return javaInt(v), nil
	case connectors.Int64:
		return javaLong(v), nil
	case connectors.Float32:
		return float32(javaDouble(v, 32)), nil
	case connectors.Float64:
		return javaDouble(v, 64), nil
	}
	return javaLong(v) != 0, nil
}

func isNumber(v any) bool {
	switch v.(type) {
	case int8, int16, int32, int64, float32, float64, connectors.Decimal:
		return true
	}
	return false
}

// javaLong is Number.longValue: floats truncate and saturate, decimals
// keep the low 64 bits of their integer part.
func javaLong(v any) int64 {
	switch x := v.(type) {
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		return x
	case float32:
		return saturate[int64](float64(x))
	case float64:
		return saturate[int64](x)
	case connectors.Decimal:
		return decimalLowBits(x)
	}
	return 0
}

// javaInt is Number.intValue: the low 32 bits of an integer or decimal,
// a float truncated and clamped to the int range.
func javaInt(v any) int32 {
	switch x := v.(type) {
	case float32:
		return saturate[int32](float64(x))
	case float64:
		return saturate[int32](x)
	}
	return int32(javaLong(v))
}

// javaDouble is Number.doubleValue (bits 64) or floatValue (bits 32),
// rounded once from the exact value.
func javaDouble(v any, bits int) float64 {
	switch x := v.(type) {
	case float32:
		return float64(x)
	case float64:
		if bits == 32 {
			return float64(float32(x))
		}
		return x
	case connectors.Decimal:
		f, _ := strconv.ParseFloat(x.String(), bits)
		return f
	}
	n := javaLong(v)
	if bits == 32 {
		return float64(float32(n))
	}
	return float64(n)
}

// saturate is Java's double-to-int and double-to-long conversion: NaN
// becomes 0 and a value beyond the type's range its nearest bound.
func saturate[T int32 | int64](f float64) T {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if _, ok := any(T(0)).(int32); ok {
		lo, hi = math.MinInt32, math.MaxInt32
	}
	switch {
	case f != f:
		return 0
	case f >= float64(hi):
		return T(hi)
	case f <= float64(lo):
		return T(lo)
	}
	return T(f)
}

// decimalLowBits is BigDecimal.longValue: the integer part, truncated
// toward zero, modulo 2^64.
func decimalLowBits(d connectors.Decimal) int64 {
	u := d.Unscaled
	if u == nil || u.Sign() == 0 {
		return 0
	}
	n := new(big.Int)
	switch {
	case d.Scale <= -64:
		// 10^64 is a multiple of 2^64: nothing is left in the low bits.
		return 0
	case d.Scale < 0:
		n.Mul(u, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-d.Scale)), nil))
	case int(d.Scale) > len(u.Text(10)):
		return 0
	default:
		n.Quo(u, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.Scale)), nil))
	}
	return int64(new(big.Int).And(n, new(big.Int).SetUint64(math.MaxUint64)).Uint64())
}

// castToString is Cast's toString: dates as Kafka's Values.dateFormatFor
// writes them, bytes in base64, everything else as Java prints it.
func castToString(v any) string {
	switch x := v.(type) {
	case time.Time:
		return string(converters.AppendTimeText(nil, x))
	case []byte:
		return base64.StdEncoding.EncodeToString(x)
	}
	s, _ := connectors.AppendJavaString(nil, v)
	return string(s)
}

// parseJava parses s as Java's Byte.parseByte ... Double.parseDouble and
// Boolean.parseBoolean do.
func parseJava(s string, target connectors.Type) (any, error) {
	switch target {
	case connectors.Boolean:
		return strings.EqualFold(s, "true"), nil
	case connectors.Float32, connectors.Float64:
		bits := 64
		if target == connectors.Float32 {
			bits = 32
		}
		f, err := parseJavaFloat(s, bits)
		if target == connectors.Float32 {
			return float32(f), err
		}
		return f, err
	}
	bits := map[connectors.Type]int{connectors.Int8: 8, connectors.Int16: 16, connectors.Int32: 32, connectors.Int64: 64}[target]
	n, err := parseJavaInt(s, bits)
	switch target {
	case connectors.Int8:
		return int8(n), err
	case connectors.Int16:
		return int16(n), err
	case connectors.Int32:
		return int32(n), err
	}
	return n, err
}

// parseJavaInt is Long.parseLong narrowed to bits: an optional sign and
// decimal digits, any Unicode decimal digits included.
func parseJavaInt(s string, bits int) (int64, error) {
	r := []rune(s)
	neg := false
	if len(r) > 0 && (r[0] == '-' || r[0] == '+') {
		neg = r[0] == '-'
		r = r[1:]
	}
	if len(r) == 0 {
		return 0, errNumberFormat
	}
	n := new(big.Int)
	for _, c := range r {
		d, ok := unicodeDigit(c)
		if !ok {
			return 0, errNumberFormat
		}
		n.Mul(n, big.NewInt(10))
		n.Add(n, big.NewInt(int64(d)))
		if n.BitLen() > 64 {
			return 0, errNumberFormat
		}
	}
	if neg {
		n.Neg(n)
	}
	limit := new(big.Int).Lsh(big.NewInt(1), uint(bits-1))
	if n.Cmp(limit) >= 0 || n.Cmp(new(big.Int).Neg(limit)) < 0 {
		return 0, errNumberFormat
	}
	return n.Int64(), nil
}

// unicodeDigit is Character.digit(r, 10): Unicode encodes decimal digits
// in runs of ten from zero.
func unicodeDigit(r rune) (int, bool) {
	if r >= '0' && r <= '9' {
		return int(r - '0'), true
	}
	if !unicode.IsDigit(r) {
		return 0, false
	}
	n := 0
	for unicode.IsDigit(r - rune(n) - 1) {
		n++
	}
	return n % 10, true
}

// javaFloatSyntax is the grammar of Java's Double.valueOf after trimming.
var javaFloatSyntax = regexp.MustCompile(`^[+-]?(NaN|Infinity|(([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|0[xX]([0-9a-fA-F]+\.?|[0-9a-fA-F]*\.[0-9a-fA-F]+)[pP][+-]?[0-9]+)[fFdD]?)$`)

// parseJavaFloat is Float.parseFloat (bits 32) or Double.parseDouble.
func parseJavaFloat(s string, bits int) (float64, error) {
	s = javaTrimSpace(s)
	if !javaFloatSyntax.MatchString(s) {
		return 0, errNumberFormat
	}
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimLeft(s, "+-")
	switch body {
	case "NaN":
		return math.NaN(), nil
	case "Infinity":
		if neg {
			return math.Inf(-1), nil
		}
		return math.Inf(1), nil
	}
	// A hex float ends in its decimal exponent, so a final f or d is a
	// type suffix in either form.
	if strings.IndexByte("fFdD", s[len(s)-1]) >= 0 {
		s = s[:len(s)-1]
	}
	f, err := strconv.ParseFloat(s, bits)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, errNumberFormat
	}
	return f, nil
}
