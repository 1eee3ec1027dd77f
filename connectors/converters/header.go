package converters

import (
	"context"
	"encoding/base64"
	"math"
	"strings"
	"unicode"
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
// Not yet implemented, pending the rest of the data model: reading list,
// map and date/time literals ("[1,2]", "{a:1}", "2024-01-15",
// "10:15:30.000Z") and integers beyond int64 (a Decimal in Kafka); such
// text is returned as a STRING of the whole original text rather than
// guessed at. Writing Struct, Decimal and date/time values fails.
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
	return parseString(javaDecodeUTF8(b)), nil
}

// appendValueText is Kafka's Values.append: the text of a header value.
// Embedded strings (inside lists and maps) are quoted with '\' and '"'
// escaped. Maps are written in java.util.HashMap order.
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
	}
	return b, dataErrorf("Failed to serialize unexpected value type %s: %v", javaClass(v), v)
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

// parseString is Kafka's Values.parseString for top-level text. Kafka
// splits the text into tokens at unescaped : , { } [ ] and " and looks at
// the first token only, trimmed: "true", "false" and "null" when they are
// the only token; otherwise a number when it starts with a digit or sign,
// or else the whole text as a STRING. So " 42 " is INT8 42, "1,2" is INT8
// 1 and "true}" is the STRING "true}".
func parseString(s string) connectors.SchemaAndValue {
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
		return str(s) // lists and maps: not parsed yet
	}
	first, end := nextToken(s, 0)
	if isBlank(first) {
		return str(first)
	}
	tok = trimJava(first)
	r, _ := utf8.DecodeRuneInString(tok)
	digit := r <= 0xFFFF && unicode.IsDigit(r)
	if digit && looksTemporal(s, tok, end) {
		return str(s) // dates and times: not parsed yet
	}
	if digit || r == '+' || r == '-' {
		if sv, ok := parseNumber(tok); ok {
			return sv
		}
	}
	return str(s)
}

// parseNumber reads a token as new BigDecimal(token) and picks the type
// Kafka picks: the smallest integer type that holds an integral value, else
// FLOAT32 when finite, else FLOAT64. Values only a Decimal can hold are
// not supported yet and reported as not numbers.
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
	return connectors.SchemaAndValue{}, false
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

// looksTemporal reports whether Kafka would read the text as a date, time
// or timestamp: the first token (tok, ending at end), alone or joined with
// the four raw tokens after it, is 10, 13 or 24 UTF-16 units long and
// starts like yyyy-MM-dd, HH:mm:ss.SSS'Z' or yyyy-MM-dd'T'HH:mm:ss.SSS'Z'.
// Kafka parses those with a lenient SimpleDateFormat; numbers of any
// length are accepted per field here likewise.
func looksTemporal(s, tok string, end int) bool {
	i := end
	for n := 0; n < 4 && i < len(s); n++ {
		_, i = nextToken(s, i)
	}
	joined := tok + s[end:i]
	return (i > end && temporalShape(joined)) || temporalShape(tok)
}

func temporalShape(t string) bool {
	t = strings.ReplaceAll(t, `\:`, ":")
	switch utf16Len([]byte(t)) {
	case 10:
		return hasShape(t, "d-d-d")
	case 13:
		return hasShape(t, "d:d:d.dZ")
	case 24:
		return hasShape(t, "d-d-dTd:d:d.dZ")
	}
	return false
}

// hasShape matches a prefix of t against a pattern in which 'd' stands for
// one or more ASCII digits and every other byte for itself.
func hasShape(t, pattern string) bool {
	i := 0
	for j := 0; j < len(pattern); j++ {
		if pattern[j] != 'd' {
			if i >= len(t) || t[i] != pattern[j] {
				return false
			}
			i++
			continue
		}
		k := i
		for k < len(t) && t[k] >= '0' && t[k] <= '9' {
			k++
		}
		if k == i {
			return false
		}
		i = k
	}
	return true
}
