package source

import (
	"database/sql"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
)

// kind is the Connect type a column is read as.
type kind int

const (
	kindSkip kind = iota // no Connect type: the column is left out, as Confluent does
	kindBool
	kindInt8
	kindInt16
	kindInt32
	kindInt64
	kindFloat32
	kindFloat64
	kindDecimal
	kindString
	kindBytes
	kindDate
	kindTime
	kindTimestamp
)

// jdbcType is the java.sql.Types class the JDBC drivers give a column, the
// input of Confluent's GenericDatabaseDialect.addFieldToSchema.
type jdbcType int

const (
	jdbcOther jdbcType = iota
	jdbcBoolean
	jdbcBit // MySQL's TINYINT(1) and BIT: INT8 in Connect
	jdbcTinyint
	jdbcSmallint
	jdbcInteger
	jdbcBigint
	jdbcReal
	jdbcDouble
	jdbcNumeric
	jdbcDecimal
	jdbcString
	jdbcBinary
	jdbcDate
	jdbcTime
	jdbcTimeTZ
	jdbcTimestamp
	jdbcTimestampTZ
	jdbcYear
)

// maxIntegerPrecision is the most decimal digits numeric.mapping narrows to
// an integer type (Confluent's MAX_INTEGER_TYPE_PRECISION).
const maxIntegerPrecision = 18

// precisionParam is the Decimal schema parameter Confluent adds.
const precisionParam = "connect.decimal.precision"

// field is how one result column becomes one struct field.
type field struct {
	name   string
	kind   kind
	scale  int32 // kindDecimal
	zoned  bool  // the value is an instant, not a wall-clock time in db.timezone
	wrap   bool  // BIT: values up to 255 wrap into INT8, as JDBC's getByte
	schema *connectors.Schema
}

// sqlType classifies a column by the name database/sql reports for it.
// precision and scale are those of NUMERIC and DECIMAL, 0 when unknown.
func sqlType(d jdbc.Dialect, ct *sql.ColumnType) (t jdbcType, unsigned bool, precision, scale int) {
	name := strings.ToUpper(strings.TrimSpace(ct.DatabaseTypeName()))
	if d == jdbc.SQLite {
		// SQLite reports the declared type: NUMERIC(10,2), VARCHAR(5).
		if i := strings.IndexByte(name, '('); i >= 0 {
			args := strings.TrimSuffix(strings.TrimSpace(name[i+1:]), ")")
			p, s, _ := strings.Cut(args, ",")
			precision, _ = strconv.Atoi(strings.TrimSpace(p))
			scale, _ = strconv.Atoi(strings.TrimSpace(s))
			name = strings.TrimSpace(name[:i])
		}
	} else if p, s, ok := ct.DecimalSize(); ok && p <= 1000 {
		// PostgreSQL reports an unconstrained NUMERIC with huge sizes;
		// PgJDBC reports 0 and 0, which is what Confluent maps.
		precision, scale = int(p), int(s)
	}
	name, unsigned = strings.CutPrefix(name, "UNSIGNED ")
	switch d {
	case jdbc.Postgres:
		return postgresType(name), false, precision, scale
	case jdbc.MySQL:
		return mysqlType(name), unsigned, precision, scale
	case jdbc.SQLite:
		return sqliteType(name), false, precision, scale
	}
	return jdbcOther, false, 0, 0
}

func postgresType(name string) jdbcType {
	switch name {
	case "BOOL":
		return jdbcBoolean
	case "INT2":
		return jdbcSmallint
	case "INT4":
		return jdbcInteger
	case "INT8", "OID":
		return jdbcBigint
	case "FLOAT4":
		return jdbcReal
	case "FLOAT8":
		return jdbcDouble
	case "NUMERIC":
		return jdbcNumeric
	case "TEXT", "VARCHAR", "BPCHAR", "NAME", "CHAR", "JSON", "JSONB", "UUID", "XML":
		return jdbcString
	case "BYTEA":
		return jdbcBinary
	case "DATE":
		return jdbcDate
	case "TIME":
		return jdbcTime
	case "TIMETZ", "1266":
		return jdbcTimeTZ
	case "TIMESTAMP":
		return jdbcTimestamp
	case "TIMESTAMPTZ":
		return jdbcTimestampTZ
	}
	return jdbcOther
}

func mysqlType(name string) jdbcType {
	switch name {
	case "BIT":
		return jdbcBit
	case "TINYINT":
		return jdbcTinyint
	case "SMALLINT":
		return jdbcSmallint
	case "MEDIUMINT", "INT":
		return jdbcInteger
	case "BIGINT":
		return jdbcBigint
	case "FLOAT":
		return jdbcReal
	case "DOUBLE":
		return jdbcDouble
	case "DECIMAL":
		return jdbcDecimal
	case "CHAR", "VARCHAR", "TEXT", "TINYTEXT", "MEDIUMTEXT", "LONGTEXT", "ENUM", "SET", "JSON":
		return jdbcString
	case "BINARY", "VARBINARY", "BLOB", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB", "GEOMETRY":
		return jdbcBinary
	case "DATE":
		return jdbcDate
	case "YEAR":
		return jdbcYear
	case "TIME":
		return jdbcTime
	case "DATETIME", "TIMESTAMP":
		return jdbcTimestamp
	}
	return jdbcOther
}

// sqliteType follows the SQLite JDBC driver, which types a column by the
// name it was declared with.
func sqliteType(name string) jdbcType {
	switch name {
	case "BOOLEAN", "BOOL":
		return jdbcBoolean
	case "TINYINT":
		return jdbcTinyint
	case "SMALLINT", "INT2":
		return jdbcSmallint
	case "INT", "INTEGER", "MEDIUMINT":
		return jdbcInteger
	case "BIGINT", "INT8", "UNSIGNED BIG INT":
		return jdbcBigint
	case "REAL":
		return jdbcReal
	case "FLOAT", "DOUBLE", "DOUBLE PRECISION":
		return jdbcDouble
	case "NUMERIC":
		return jdbcNumeric
	case "DECIMAL":
		return jdbcDecimal
	case "CHAR", "CHARACTER", "VARCHAR", "VARYING CHARACTER", "NCHAR", "NATIVE CHARACTER", "NVARCHAR", "TEXT", "CLOB":
		return jdbcString
	case "BLOB", "BINARY", "VARBINARY":
		return jdbcBinary
	case "DATE":
		return jdbcDate
	case "TIME":
		return jdbcTime
	case "DATETIME", "TIMESTAMP":
		return jdbcTimestamp
	}
	return jdbcOther
}

// newField maps a column as Confluent's addFieldToSchema maps its JDBC type.
// The bool is false for a column Confluent leaves out.
func newField(d jdbc.Dialect, ct *sql.ColumnType, optional bool, numericMapping string) (field, bool) {
	t, unsigned, precision, scale := sqlType(d, ct)
	f := field{name: ct.Name()}
	pick := func(k kind, base *connectors.Schema) (field, bool) {
		f.kind = k
		f.schema = &connectors.Schema{Type: base.Type, Optional: optional}
		return f, true
	}
	switch t {
	case jdbcBoolean:
		return pick(kindBool, connectors.BooleanSchema)
	case jdbcBit:
		f.wrap = true
		return pick(kindInt8, connectors.Int8Schema)
	case jdbcTinyint:
		if unsigned {
			return pick(kindInt16, connectors.Int16Schema)
		}
		return pick(kindInt8, connectors.Int8Schema)
	case jdbcSmallint:
		if unsigned {
			return pick(kindInt32, connectors.Int32Schema)
		}
		return pick(kindInt16, connectors.Int16Schema)
	case jdbcInteger:
		if unsigned {
			return pick(kindInt64, connectors.Int64Schema)
		}
		return pick(kindInt32, connectors.Int32Schema)
	case jdbcBigint:
		return pick(kindInt64, connectors.Int64Schema)
	case jdbcReal:
		return pick(kindFloat32, connectors.Float32Schema)
	case jdbcDouble:
		return pick(kindFloat64, connectors.Float64Schema)
	case jdbcNumeric:
		// An unconstrained NUMERIC (precision 0) has no known size: it is
		// never narrowed, where Confluent would pick INT8 for it.
		if k, ok := narrowNumeric(numericMapping, precision, scale); ok && precision > 0 {
			return pick(k, kindSchema(k))
		}
		fallthrough
	case jdbcDecimal:
		f.kind, f.scale = kindDecimal, int32(scale)
		f.schema = connectors.DecimalSchema(scale, optional)
		f.schema.Parameters[precisionParam] = strconv.Itoa(precision)
		return f, true
	case jdbcString:
		return pick(kindString, connectors.StringSchema)
	case jdbcBinary:
		return pick(kindBytes, connectors.BytesSchema)
	case jdbcDate, jdbcYear:
		f.kind, f.schema = kindDate, connectors.DateSchema(optional)
		return f, true
	case jdbcTime, jdbcTimeTZ:
		f.kind, f.schema, f.zoned = kindTime, connectors.TimeSchema(optional), t == jdbcTimeTZ
		return f, true
	case jdbcTimestamp, jdbcTimestampTZ:
		f.kind, f.schema, f.zoned = kindTimestamp, connectors.TimestampSchema(optional), t == jdbcTimestampTZ
		return f, true
	}
	return f, false
}

func kindSchema(k kind) *connectors.Schema {
	switch k {
	case kindInt8:
		return connectors.Int8Schema
	case kindInt16:
		return connectors.Int16Schema
	case kindInt32:
		return connectors.Int32Schema
	case kindInt64:
		return connectors.Int64Schema
	}
	return connectors.Float64Schema
}

// narrowNumeric applies numeric.mapping to a NUMERIC(precision, scale).
func narrowNumeric(mapping string, precision, scale int) (kind, bool) {
	integer := func() kind {
		switch {
		case precision > 9:
			return kindInt64
		case precision > 4:
			return kindInt32
		case precision > 2:
			return kindInt16
		}
		return kindInt8
	}
	switch mapping {
	case numericPrecisionOnly:
		if scale == 0 && precision <= maxIntegerPrecision {
			return integer(), true
		}
	case numericBestFit:
		if precision <= maxIntegerPrecision {
			if scale < 1 && scale >= -84 {
				return integer(), true
			}
			if scale > 0 {
				return kindFloat64, true
			}
		}
	case numericBestFitEager:
		if scale < 1 && scale >= -84 {
			if precision <= maxIntegerPrecision {
				return integer(), true
			}
		} else if scale > 0 {
			return kindFloat64, true
		}
	}
	return kindSkip, false
}

// convert turns a value database/sql scanned into the field's Connect
// value. loc is db.timezone, the zone of wall-clock date and time values.
func (f *field) convert(v any, loc *time.Location) (any, error) {
	if v == nil {
		return nil, nil
	}
	if b, ok := v.([]byte); ok && f.kind != kindBytes {
		v = string(b)
	}
	switch f.kind {
	case kindBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		case string:
			return strconv.ParseBool(strings.TrimSpace(x))
		}
	case kindInt8, kindInt16, kindInt32, kindInt64:
		n, err := toInt64(v)
		if err != nil {
			return nil, err
		}
		return f.narrowInt(n)
	case kindFloat32, kindFloat64:
		var x float64
		switch y := v.(type) {
		case float64:
			x = y
		case float32:
			x = float64(y)
		case int64:
			x = float64(y)
		case string:
			var err error
			if x, err = strconv.ParseFloat(strings.TrimSpace(y), 64); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("unexpected %T", v)
		}
		if f.kind == kindFloat32 {
			return float32(x), nil
		}
		return x, nil
	case kindDecimal:
		return toDecimal(v, f.scale)
	case kindString:
		switch x := v.(type) {
		case string:
			return x, nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64), nil
		case bool:
			return strconv.FormatBool(x), nil
		case time.Time:
			return x.Format("2006-01-02 15:04:05.999999999"), nil
		}
	case kindBytes:
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	case kindDate:
		switch x := v.(type) {
		case time.Time:
			return time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC), nil
		case int64: // MySQL's YEAR
			return time.Date(int(x), 1, 1, 0, 0, 0, 0, time.UTC), nil
		case string:
			t, _, err := parseWall(x)
			if err != nil {
				return nil, err
			}
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
		}
	case kindTime:
		return f.timeOfDay(v)
	case kindTimestamp:
		return f.timestamp(v, loc)
	}
	return nil, fmt.Errorf("unexpected %T for a %s column", v, f.schema.Type)
}

func toInt64(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > 1<<63 {
			return 0, fmt.Errorf("%v is not an integer", x)
		}
		return int64(x), nil
	case string:
		s := strings.TrimSpace(x)
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, nil
		}
		// A NUMERIC(p,0) read as text, possibly with a ".0" (best_fit).
		d, err := toDecimal(s, 0)
		if err != nil {
			return 0, err
		}
		u := d.(connectors.Decimal).Unscaled
		if !u.IsInt64() {
			return 0, fmt.Errorf("%s does not fit in 64 bits", s)
		}
		return u.Int64(), nil
	case []byte: // MySQL's BIT
		var n int64
		for _, b := range x {
			n = n<<8 | int64(b)
		}
		return n, nil
	}
	return 0, fmt.Errorf("unexpected %T for an integer column", v)
}

func (f *field) narrowInt(n int64) (any, error) {
	switch f.kind {
	case kindInt8:
		if n < math.MinInt8 || n > math.MaxInt8 {
			if f.wrap && n >= 0 && n <= math.MaxUint8 {
				return int8(n), nil
			}
			return nil, fmt.Errorf("%d does not fit in INT8", n)
		}
		return int8(n), nil
	case kindInt16:
		if n < math.MinInt16 || n > math.MaxInt16 {
			return nil, fmt.Errorf("%d does not fit in INT16", n)
		}
		return int16(n), nil
	case kindInt32:
		if n < math.MinInt32 || n > math.MaxInt32 {
			return nil, fmt.Errorf("%d does not fit in INT32", n)
		}
		return int32(n), nil
	}
	return n, nil
}

// toDecimal reads a decimal value and gives it scale, rounding half up as
// JDBC's getBigDecimal(column, scale) does.
func toDecimal(v any, scale int32) (any, error) {
	var s string
	switch x := v.(type) {
	case string:
		s = strings.TrimSpace(x)
	case int64:
		return connectors.Decimal{Unscaled: new(big.Int).Mul(big.NewInt(x), pow10(int(scale))), Scale: scale}, nil
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return nil, fmt.Errorf("unexpected %T for a decimal column", v)
	}
	if d, ok := plainDecimal(s, scale); ok {
		return d, nil
	}
	return ratDecimal(s, scale)
}

// ratDecimal reads any decimal number, rounding half away from zero to
// scale digits.
func ratDecimal(s string, scale int32) (connectors.Decimal, error) {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return connectors.Decimal{}, fmt.Errorf("%q is not a decimal number", s)
	}
	r.Mul(r, new(big.Rat).SetInt(pow10(int(scale))))
	q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	// Round half away from zero: compare twice the remainder with the divisor.
	if m.Sign() != 0 && new(big.Int).Abs(new(big.Int).Lsh(m, 1)).Cmp(r.Denom()) >= 0 {
		q.Add(q, big.NewInt(int64(r.Sign())))
	}
	return connectors.Decimal{Unscaled: q, Scale: scale}, nil
}

// plainDecimal reads the common case without big.Rat, whose reduction by
// the GCD dominates the cost of reading a NUMERIC row: an optional sign,
// digits and at most scale fraction digits, 18 digits in all, which fit an
// int64 exactly once scaled.
func plainDecimal(s string, scale int32) (connectors.Decimal, bool) {
	if scale < 0 || scale > 18 {
		return connectors.Decimal{}, false
	}
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	var n int64
	digits, frac, dot := 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.' && !dot:
			dot = true
		case c >= '0' && c <= '9':
			digits++
			if dot {
				frac++
			}
			n = n*10 + int64(c-'0')
		default:
			return connectors.Decimal{}, false
		}
	}
	if digits == 0 || frac > int(scale) || digits+int(scale)-frac > 18 {
		return connectors.Decimal{}, false
	}
	for range int(scale) - frac {
		n *= 10
	}
	if neg {
		n = -n
	}
	return connectors.Decimal{Unscaled: big.NewInt(n), Scale: scale}, true
}

func pow10(n int) *big.Int {
	if n <= 0 {
		return big.NewInt(1)
	}
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

var wallLayouts = []string{
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseWall reads a date and time as SQLite stores them: zoned is false
// for a wall-clock reading, which t then holds as if in UTC.
func parseWall(s string) (t time.Time, zoned bool, err error) {
	s = strings.TrimSpace(s)
	for _, l := range wallLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, false, nil
		}
	}
	for _, l := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00"} {
		if t, err := time.Parse(l, s); err == nil {
			return t, true, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("%q is not a date and time", s)
}

// wallIn gives the wall-clock reading of t (read as if in UTC) the zone loc.
func wallIn(t time.Time, loc *time.Location) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
}

func (f *field) timestamp(v any, loc *time.Location) (any, error) {
	switch x := v.(type) {
	case time.Time:
		if f.zoned {
			return x.UTC(), nil
		}
		return wallIn(x, loc).UTC(), nil
	case string:
		t, zoned, err := parseWall(x)
		if err != nil {
			return nil, err
		}
		if zoned {
			return t.UTC(), nil
		}
		return wallIn(t, loc).UTC(), nil
	case int64: // SQLite's JDBC driver reads integers as epoch milliseconds
		return time.UnixMilli(x).UTC(), nil
	}
	return nil, fmt.Errorf("unexpected %T for a timestamp column", v)
}

func (f *field) timeOfDay(v any) (any, error) {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case string:
		s := strings.TrimSpace(x)
		var err error
		if t, err = time.Parse("15:04:05.999999999Z07", s); err != nil {
			if t, err = time.Parse("15:04:05.999999999", s); err != nil {
				return nil, fmt.Errorf("%q is not a time of day", s)
			}
		}
	default:
		return nil, fmt.Errorf("unexpected %T for a time column", v)
	}
	if f.zoned {
		t = t.UTC()
	}
	ms := (t.Hour()*3600+t.Minute()*60+t.Second())*1000 + t.Nanosecond()/1e6
	return time.UnixMilli(int64(ms)).UTC(), nil
}
