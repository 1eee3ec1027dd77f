package connectors

import (
	"errors"
	"math/big"
	"strconv"
	"time"
)

// The names of Kafka's logical types. A schema with one of these names
// holds the logical type's Go value (Decimal or time.Time) in place of its
// base type's; converters encode it as the base type.
const (
	DecimalName   = "org.apache.kafka.connect.data.Decimal"   // Bytes: two's-complement unscaled value
	DateName      = "org.apache.kafka.connect.data.Date"      // Int32: days since the epoch
	TimeName      = "org.apache.kafka.connect.data.Time"      // Int32: milliseconds since midnight
	TimestampName = "org.apache.kafka.connect.data.Timestamp" // Int64: milliseconds since the epoch

	// DecimalScaleParam is the schema parameter holding a Decimal's scale.
	DecimalScaleParam = "scale"
)

const millisPerDay = 24 * 60 * 60 * 1000

func logicalSchema(t Type, name string, optional bool, params map[string]string) *Schema {
	v := int32(1)
	return &Schema{Type: t, Name: name, Version: &v, Optional: optional, Parameters: params}
}

// DecimalSchema returns the schema of Decimal values with the given scale,
// as Kafka's Decimal.builder(scale): Bytes, named DecimalName, version 1,
// parameter "scale".
func DecimalSchema(scale int, optional bool) *Schema {
	return logicalSchema(Bytes, DecimalName, optional, map[string]string{DecimalScaleParam: strconv.Itoa(scale)})
}

// DateSchema returns the schema of Date values, as Kafka's Date.SCHEMA:
// Int32, named DateName, version 1.
func DateSchema(optional bool) *Schema { return logicalSchema(Int32, DateName, optional, nil) }

// TimeSchema returns the schema of Time values, as Kafka's Time.SCHEMA:
// Int32, named TimeName, version 1.
func TimeSchema(optional bool) *Schema { return logicalSchema(Int32, TimeName, optional, nil) }

// TimestampSchema returns the schema of Timestamp values, as Kafka's
// Timestamp.SCHEMA: Int64, named TimestampName, version 1.
func TimestampSchema(optional bool) *Schema {
	return logicalSchema(Int64, TimestampName, optional, nil)
}

// Decimal is an exact decimal number, Java's BigDecimal: Unscaled × 10^-Scale.
// A nil Unscaled is zero. Treat Unscaled as immutable once the value is
// shared.
type Decimal struct {
	Unscaled *big.Int
	Scale    int32
}

// NewDecimal returns the Decimal unscaled × 10^-scale.
func NewDecimal(unscaled int64, scale int32) Decimal {
	return Decimal{Unscaled: big.NewInt(unscaled), Scale: scale}
}

func (d Decimal) unscaled() *big.Int {
	if d.Unscaled == nil {
		return new(big.Int)
	}
	return d.Unscaled
}

// Equal reports whether d and o have the same unscaled value and scale, as
// BigDecimal.equals (so 1.0 and 1.00 differ).
func (d Decimal) Equal(o Decimal) bool {
	return d.Scale == o.Scale && d.unscaled().Cmp(o.unscaled()) == 0
}

// String prints d as Java's BigDecimal.toString: plain digits when the
// scale is not negative and the exponent not below -6 ("1.5600",
// "0.000001"), scientific notation otherwise ("1E+3", "1.23E-7").
func (d Decimal) String() string {
	return string(d.appendString(nil))
}

func (d Decimal) appendString(b []byte) []byte {
	u := d.unscaled()
	if u.Sign() < 0 {
		b = append(b, '-')
	}
	digits := new(big.Int).Abs(u).Append(nil, 10)
	scale := int64(d.Scale)
	adjusted := int64(len(digits)-1) - scale
	switch {
	case scale == 0:
		return append(b, digits...)
	case scale > 0 && adjusted >= -6:
		if n := int64(len(digits)); n > scale {
			b = append(b, digits[:n-scale]...)
			b = append(b, '.')
			return append(b, digits[n-scale:]...)
		}
		b = append(b, "0."...)
		for i := int64(len(digits)); i < scale; i++ {
			b = append(b, '0')
		}
		return append(b, digits...)
	}
	b = append(b, digits[0])
	if len(digits) > 1 {
		b = append(b, '.')
		b = append(b, digits[1:]...)
	}
	b = append(b, 'E')
	if adjusted >= 0 {
		b = append(b, '+')
	}
	return strconv.AppendInt(b, adjusted, 10)
}

// Bytes returns the unscaled value in two's-complement big-endian form
// with the fewest bytes, at least one, as Java's BigInteger.toByteArray:
// Kafka's encoding of a Decimal.
func (d Decimal) Bytes() []byte {
	u := d.unscaled()
	if u.Sign() >= 0 {
		b := u.Bytes()
		if len(b) == 0 || b[0]&0x80 != 0 {
			b = append([]byte{0}, b...)
		}
		return b
	}
	// -u - 1 has the same bits as u, inverted.
	m := new(big.Int).Not(u).Bytes() // |u| - 1, non-negative
	n := len(m)
	if n == 0 || m[0]&0x80 != 0 {
		n++
	}
	b := make([]byte, n)
	copy(b[n-len(m):], m)
	for i := range b {
		b[i] = ^b[i]
	}
	return b
}

// errZeroLength is new BigInteger(byte[0])'s NumberFormatException.
var errZeroLength = errors.New("Zero length BigInteger")

// DecimalFromBytes decodes a two's-complement big-endian unscaled value,
// as new BigInteger(b), with the given scale. Empty input is an error, as
// in Java.
func DecimalFromBytes(b []byte, scale int32) (Decimal, error) {
	if len(b) == 0 {
		return Decimal{}, errZeroLength
	}
	u := new(big.Int).SetBytes(b)
	if b[0]&0x80 != 0 {
		u.Sub(u, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return Decimal{Unscaled: u, Scale: scale}, nil
}

// DecimalScale returns the scale of a Decimal schema, its "scale"
// parameter, as Kafka's Decimal logical type reads it.
func DecimalScale(s *Schema) (int32, error) {
	p, ok := "", false
	if s != nil {
		p, ok = s.Parameters[DecimalScaleParam]
	}
	if !ok {
		return 0, dataErrorf("Invalid Decimal schema: scale parameter not found.")
	}
	n, err := strconv.ParseInt(p, 10, 32)
	if err != nil {
		return 0, dataErrorf("Invalid scale parameter found in Decimal schema: ")
	}
	return int32(n), nil
}

// EncodeDecimal returns the bytes Kafka stores for d in a field of Decimal
// schema s, as Decimal.fromLogical: d's scale must be the schema's.
func EncodeDecimal(s *Schema, d Decimal) ([]byte, error) {
	scale, err := DecimalScale(s)
	if err != nil {
		return nil, err
	}
	if d.Scale != scale {
		return nil, dataErrorf("Decimal value has mismatching scale for given Decimal schema. Schema has scale %d, value has scale %d.", scale, d.Scale)
	}
	return d.Bytes(), nil
}

// DecodeDecimal returns the Decimal that b holds in a field of Decimal
// schema s, as Decimal.toLogical.
func DecodeDecimal(s *Schema, b []byte) (Decimal, error) {
	scale, err := DecimalScale(s)
	if err != nil {
		return Decimal{}, err
	}
	d, err := DecimalFromBytes(b, scale)
	if err != nil {
		return Decimal{}, &dataError{msg: "Invalid Decimal value: " + err.Error(), err: err}
	}
	return d, nil
}

// DateToDays returns the days since the epoch of a Date value, as Kafka's
// Date.fromLogical. t must be midnight UTC (any time zone is accepted for
// the same instant); otherwise the error is Kafka's
// `Kafka Connect Date type should not have any time fields set to non-zero values.`
func DateToDays(t time.Time) (int32, error) {
	ms := t.UnixMilli()
	if ms%millisPerDay != 0 || t.Nanosecond()%1e6 != 0 {
		return 0, dataErrorf("Kafka Connect Date type should not have any time fields set to non-zero values.")
	}
	return int32(ms / millisPerDay), nil
}

// DateFromDays returns the Date value for days since the epoch: midnight
// UTC of that day, as Kafka's Date.toLogical.
func DateFromDays(days int32) time.Time {
	return time.UnixMilli(int64(days) * millisPerDay).UTC()
}

// TimeToMillis returns the milliseconds since midnight of a Time value, as
// Kafka's Time.fromLogical. t must fall on 1970-01-01 UTC; otherwise the
// error is Kafka's
// `Kafka Connect Time type should not have any date fields set to non-zero values.`
// Sub-millisecond digits are dropped.
func TimeToMillis(t time.Time) (int32, error) {
	ms := t.UnixMilli()
	if ms < 0 || ms >= millisPerDay {
		return 0, dataErrorf("Kafka Connect Time type should not have any date fields set to non-zero values.")
	}
	return int32(ms), nil
}

// TimeFromMillis returns the Time value for milliseconds since midnight:
// that instant of 1970-01-01 UTC, as Kafka's Time.toLogical, which accepts
// 0 through 86400000.
func TimeFromMillis(ms int32) (time.Time, error) {
	if ms < 0 || ms > millisPerDay {
		return time.Time{}, dataErrorf("Time values must use number of milliseconds greater than 0 and less than 86400000")
	}
	return time.UnixMilli(int64(ms)).UTC(), nil
}

// TimestampToMillis returns the milliseconds since the epoch of a
// Timestamp value, as Kafka's Timestamp.fromLogical (java.util.Date holds
// milliseconds: sub-millisecond digits are dropped, rounding down).
func TimestampToMillis(t time.Time) int64 { return t.UnixMilli() }

// TimestampFromMillis returns the Timestamp value for milliseconds since
// the epoch, in UTC.
func TimestampFromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
