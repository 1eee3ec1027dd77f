package converters

import (
	"context"
	"encoding/base64"
	"math"
	"time"
	"unicode/utf8"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

var simpleHeaderDef = &config.Def{}

// SimpleHeaderConverter is Kafka's SimpleHeaderConverter, the default
// header.converter: values are written as text (Kafka's
// Values.convertToString) and text is read back with the type it looks
// like (Values.parseString). It has no state and is safe for concurrent use.
//
// Lists ([]any), maps, Structs, Decimals and Date, Time and Timestamp
// values (time.Time) are written and read back as Kafka does; see
// appendValueText and parseString. Dates and times are written and read
// in UTC where Kafka uses the JVM's default time zone (the same when the
// JVM runs in UTC). Maps have no order in Go: they are written in
// java.util.HashMap order, where Kafka keeps the order of a map it read.
// As in Kafka, quoted strings inside lists and maps are read back with
// their escapes kept, so such strings holding '\' or '"' do not round
// trip, and a Date before 1970-01-02 is written as a time of day.
type SimpleHeaderConverter struct{}

// NewSimpleHeaderConverter builds a SimpleHeaderConverter; it takes no
// settings (converter.type and any other key are ignored, as in Kafka).
func NewSimpleHeaderConverter(map[string]string) (*SimpleHeaderConverter, error) {
	return &SimpleHeaderConverter{}, nil
}

// FromConnectHeader writes v as UTF-8 text; a nil value gives nil bytes.
func (*SimpleHeaderConverter) FromConnectHeader(_ context.Context, _, _ string, v connectors.SchemaAndValue) ([]byte, error) {
	if v.Value == nil {
		return nil, nil
	}
	if s, ok := v.Value.(string); ok && utf8.ValidString(s) {
		return []byte(s), nil
	}
	b, err := appendValueText(nil, v.Value, false, 0)
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(b) {
		b = connectors.AppendJavaUTF8(nil, b)
	}
	return b, nil
}

// ToConnectHeader reads header bytes as Kafka's Values.parseString reads
// their UTF-8 text. Nil bytes and the text "null" give a nil schema and
// value.
func (*SimpleHeaderConverter) ToConnectHeader(_ context.Context, _, _ string, b []byte) (connectors.SchemaAndValue, error) {
	if b == nil {
		return connectors.SchemaAndValue{}, nil
	}
	return ParseString(javaDecodeUTF8(b)), nil
}

// appendValueText is Kafka's Values.append: the text of a header value.
// Embedded strings (inside lists, maps and Structs) are quoted with '\'
// and '"' escaped; bytes are base64, quoted when embedded. Maps are written
// in java.util.HashMap order, Structs as maps of their quoted field names
// in field order, Decimals as BigDecimal.toString and time.Time values as
// AppendTimeText formats them; none of them is quoted.
func appendValueText(b []byte, v any, embedded bool, depth int) ([]byte, error) {
	if depth > maxDepth {
		return b, errTooDeep
	}
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		if !embedded {
			return append(b, x...), nil
		}
		b = append(b, '"')
		for i := 0; i < len(x); i++ {
			if x[i] == '\\' || x[i] == '"' {
				b = append(b, '\\')
			}
			b = append(b, x[i])
		}
		return append(b, '"'), nil
	case []byte:
		if embedded {
			b = append(b, '"')
		}
		b = base64.StdEncoding.AppendEncode(b, x)
		if embedded {
			b = append(b, '"')
		}
		return b, nil
	case bool, int8, int16, int32, int64, float32, float64:
		return connectors.AppendJavaString(b, x)
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendValueText(b, e, true, depth+1); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case map[string]any:
		es := make([]connectors.MapEntry, 0, len(x))
		for k, val := range x {
			es = append(es, connectors.MapEntry{Key: k, Value: val, Text: k})
		}
		return appendMapText(b, es, depth)
	case map[any]any:
		es := make([]connectors.MapEntry, 0, len(x))
		for k, val := range x {
			kb, err := appendValueText(nil, k, true, depth+1)
			if err != nil {
				return b, err
			}
			es = append(es, connectors.MapEntry{Key: k, Value: val, Text: string(kb)})
		}
		return appendMapText(b, es, depth)
	case *connectors.StructValue:
		return appendStructText(b, x, depth)
	case connectors.Decimal:
		return append(b, x.String()...), nil
	case time.Time:
		return AppendTimeText(b, x), nil
	}
	return b, dataErrorf("Failed to serialize unexpected value type %s: %v", javaClass(v), v)
}

// appendStructText writes a Struct as Kafka does: "{" and, for every field
// of its schema in order, the quoted field name, ":" and the value (the
// field's default when unset), then "}".
func appendStructText(b []byte, s *connectors.StructValue, depth int) ([]byte, error) {
	if s == nil {
		return append(b, "null"...), nil
	}
	schema := s.Schema()
	if schema == nil || schema.Type != connectors.Struct {
		return b, dataErrorf("Cannot list fields on non-struct type")
	}
	b = append(b, '{')
	for i, f := range schema.Fields {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendValueText(b, f.Name, true, depth+1); err != nil {
			return b, err
		}
		b = append(b, ':')
		v, err := s.Get(f.Name)
		if err != nil {
			return b, err
		}
		if b, err = appendValueText(b, v, true, depth+1); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// AppendTimeText writes a Date, Time or Timestamp value as Kafka's
// Values.dateFormatFor chooses by the value, whatever the schema: before
// 1970-01-02 (negative instants included) as a time of day
// HH:mm:ss.SSS'Z', at a whole number of days since the epoch as a date
// yyyy-MM-dd, otherwise as a timestamp yyyy-MM-dd'T'HH:mm:ss.SSS'Z'.
//
// Kafka formats in the JVM's default time zone, whatever the 'Z' says;
// values are formatted in UTC here, which matches a JVM running in UTC.
// Sub-millisecond digits are dropped, as java.util.Date holds none.
func AppendTimeText(b []byte, t time.Time) []byte {
	const day = 24 * 60 * 60 * 1000
	ms := t.UnixMilli()
	t = time.UnixMilli(ms).UTC()
	switch {
	case ms < day:
		return t.AppendFormat(b, "15:04:05.000Z")
	case ms%day == 0:
		return t.AppendFormat(b, "2006-01-02")
	}
	return t.AppendFormat(b, "2006-01-02T15:04:05.000Z")
}

func appendMapText(b []byte, es []connectors.MapEntry, depth int) ([]byte, error) {
	connectors.SortHashMapOrder(es)
	b = append(b, '{')
	for i, e := range es {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendValueText(b, e.Key, true, depth+1); err != nil {
			return b, err
		}
		b = append(b, ':')
		if b, err = appendValueText(b, e.Value, true, depth+1); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// ParseString is Kafka's Values.parseString for top-level text. Kafka
// splits the text into tokens at unescaped : , { } [ ] and " and reads one
// value from the start, ignoring what follows it:
//
//   - "true", "false" and "null" when they are the only token;
//   - a list "[..]" or map "{..}" when it is well formed (see
//     valueParser.parseArray and parseMap);
//   - a date, time or timestamp (see parseTemporal) or a number when the
//     first token starts with a digit or sign (see parseNumber);
//   - else the whole text as a STRING.
//
// So " 42 " is INT8 42, "1,2" is INT8 1, "[1,2]x" is a list and "true}" and
// "[1,2" are STRINGs.
func ParseString(s string) connectors.SchemaAndValue {
	str := func(v string) connectors.SchemaAndValue {
		return connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: v}
	}
	if s == "" {
		return str(s)
	}
	// The first token that is not blank decides literals, lists and maps.
	tok, end := nextToken(s, 0)
	for isBlank(tok) && end < len(s) {
		tok, end = nextToken(s, end)
	}
	switch t := trimJava(tok); {
	case end == len(s) && t == "null":
		return connectors.SchemaAndValue{}
	case end == len(s) && t == "true":
		return connectors.SchemaAndValue{Schema: connectors.BooleanSchema, Value: true}
	case end == len(s) && t == "false":
		return connectors.SchemaAndValue{Schema: connectors.BooleanSchema, Value: false}
	case t == "[" || t == "{":
		p := &valueParser{s: s}
		if sv, ok := p.parseCollection(); ok {
			return sv
		}
	}
	first, end := nextToken(s, 0)
	if isBlank(first) {
		return str(first)
	}
	tok = trimJava(first)
	p := &valueParser{s: s, pos: end}
	if sv, ok := p.parseScalar(tok); ok {
		return sv
	}
	return str(s)
}

// parseNumber reads a token as new BigDecimal(token) and picks the type
// Kafka picks: the smallest integer type that holds an integral value in
// the range of int64; else, for a value with a non-zero scale, FLOAT32
// when finite as a float and FLOAT64 when finite as a double; else a
// Decimal of the value's own scale (so integers beyond int64 are Decimals
// of scale 0).
func parseNumber(tok string) (connectors.SchemaAndValue, bool) {
	d, ok := parseDecimal(asciiDigits(tok))
	if !ok {
		return connectors.SchemaAndValue{}, false
	}
	if n, ok := d.int64Exact(); ok {
		switch {
		case n == int64(int8(n)):
			return connectors.SchemaAndValue{Schema: connectors.Int8Schema, Value: int8(n)}, true
		case n == int64(int16(n)):
			return connectors.SchemaAndValue{Schema: connectors.Int16Schema, Value: int16(n)}, true
		case n == int64(int32(n)):
			return connectors.SchemaAndValue{Schema: connectors.Int32Schema, Value: int32(n)}, true
		}
		return connectors.SchemaAndValue{Schema: connectors.Int64Schema, Value: n}, true
	}
	if d.scale != 0 {
		if f := d.float(32); !math.IsInf(f, 0) {
			return connectors.SchemaAndValue{Schema: connectors.Float32Schema, Value: float32(f)}, true
		}
		if f := d.float(64); !math.IsInf(f, 0) {
			return connectors.SchemaAndValue{Schema: connectors.Float64Schema, Value: f}, true
		}
	}
	return connectors.SchemaAndValue{Schema: connectors.DecimalSchema(int(d.scale), false), Value: decimalValue(d)}, true
}

// nextToken returns the token of Kafka's Values.Parser starting at i: a
// single delimiter, or the text up to the next unescaped delimiter.
func nextToken(s string, i int) (string, int) {
	start := i
	escaped := false
	for ; i < len(s); i++ {
		switch s[i] {
		case '\\':
			escaped = !escaped
			continue
		case ':', ',', '{', '}', '[', ']', '"':
			if !escaped {
				if start < i {
					return s[start:i], i
				}
				return s[i : i+1], i + 1
			}
		}
		escaped = false
	}
	return s[start:], len(s)
}

// isBlank is Kafka's Utils.isBlank: empty after Java's trim.
func isBlank(s string) bool { return trimJava(s) == "" }
