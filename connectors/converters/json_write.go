package converters

import (
	"encoding/base64"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// The JSON written here is what Kafka's JsonSerializer (Jackson) writes:
// compact, UTF-8, '/' and non-ASCII left alone, control characters as \b
// \t \n \f \r or \u00XX, characters outside the BMP as escaped surrogate
// pairs, upper-case hex, NaN and infinities as strings.

var nullJSON = []byte("null")

// plainSchemas holds the JSON of every primitive schema that has no name,
// version, doc, parameters or default, so the common case needs neither the
// cache's lock nor an allocation. Indexed by type, then optional.
var plainSchemas = func() map[connectors.Type][2][]byte {
	m := make(map[connectors.Type][2][]byte)
	for _, t := range []connectors.Type{connectors.Int8, connectors.Int16, connectors.Int32, connectors.Int64,
		connectors.Float32, connectors.Float64, connectors.Boolean, connectors.String, connectors.Bytes} {
		m[t] = [2][]byte{
			[]byte(`{"type":"` + string(t) + `","optional":false}`),
			[]byte(`{"type":"` + string(t) + `","optional":true}`),
		}
	}
	return m
}()

// schemaJSON returns the schema's JSON; callers must not modify it.
func (c *JsonConverter) schemaJSON(s *connectors.Schema) ([]byte, error) {
	if s == nil {
		return nullJSON, nil
	}
	if s.Name == "" && s.Version == nil && s.Doc == "" && s.Parameters == nil && s.Default == nil {
		if p, ok := plainSchemas[s.Type]; ok {
			if s.Optional {
				return p[1], nil
			}
			return p[0], nil
		}
	}
	if b, ok := c.fromCache.get(s); ok {
		return b, nil
	}
	b, err := c.appendSchema(nil, s, nil, 0)
	if err != nil {
		return nil, err
	}
	c.fromCache.put(s, b)
	return b, nil
}

// appendSchema writes a schema with Kafka's key order: type, items | keys,
// values | fields, optional, name, version, doc, parameters, default, and
// for a struct field its name last. Parameters are written in key order
// (Kafka keeps insertion order, which a Go map does not have).
func (c *JsonConverter) appendSchema(b []byte, s *connectors.Schema, fieldName *string, depth int) ([]byte, error) {
	if depth > maxDepth {
		return b, errTooDeep
	}
	if s == nil {
		return append(b, "null"...), nil
	}
	b = append(b, `{"type":`...)
	b = appendJSONString(b, string(s.Type))
	var err error
	switch s.Type {
	case connectors.Int8, connectors.Int16, connectors.Int32, connectors.Int64, connectors.Float32,
		connectors.Float64, connectors.Boolean, connectors.String, connectors.Bytes:
	case connectors.Array:
		b = append(b, `,"items":`...)
		if b, err = c.appendSchema(b, s.Value, nil, depth+1); err != nil {
			return b, err
		}
	case connectors.Map:
		b = append(b, `,"keys":`...)
		if b, err = c.appendSchema(b, s.Key, nil, depth+1); err != nil {
			return b, err
		}
		b = append(b, `,"values":`...)
		if b, err = c.appendSchema(b, s.Value, nil, depth+1); err != nil {
			return b, err
		}
	case connectors.Struct:
		b = append(b, `,"fields":[`...)
		for i := range s.Fields {
			f := &s.Fields[i]
			if f.Schema == nil {
				return b, dataErrorf("Invalid schema: field %q has no schema", f.Name)
			}
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = c.appendSchema(b, f.Schema, &f.Name, depth+1); err != nil {
				return b, err
			}
		}
		b = append(b, ']')
	default:
		return b, dataErrorf("Couldn't translate unsupported schema type %s.", s.Type)
	}
	b = append(b, `,"optional":`...)
	b = strconv.AppendBool(b, s.Optional)
	if s.Name != "" {
		b = append(b, `,"name":`...)
		b = appendJSONString(b, s.Name)
	}
	if s.Version != nil {
		b = append(b, `,"version":`...)
		b = strconv.AppendInt(b, int64(*s.Version), 10)
	}
	if s.Doc != "" {
		b = append(b, `,"doc":`...)
		b = appendJSONString(b, s.Doc)
	}
	if s.Parameters != nil {
		b = append(b, `,"parameters":{`...)
		keys := make([]string, 0, len(s.Parameters))
		for k := range s.Parameters {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSONString(b, s.Parameters[k])
		}
		b = append(b, '}')
	}
	if s.Default != nil {
		b = append(b, `,"default":`...)
		if b, err = c.appendValue(b, s, s.Default, depth+1); err != nil {
			return b, err
		}
	}
	if fieldName != nil {
		b = append(b, `,"field":`...)
		b = appendJSONString(b, *fieldName)
	}
	return append(b, '}'), nil
}

var errRequiredNull = dataErrorf("Conversion error: null value for field that is required and has no default value")

// appendValue writes v as Kafka's convertToJson does: by the schema when
// there is one, else by v's type.
func (c *JsonConverter) appendValue(b []byte, s *connectors.Schema, v any, depth int) ([]byte, error) {
	if depth > maxDepth {
		return b, errTooDeep
	}
	if v == nil {
		switch {
		case s == nil:
			return append(b, "null"...), nil
		case s.Default != nil && c.replaceNull:
			return c.appendValue(b, s, s.Default, depth+1)
		case s.Optional:
			return append(b, "null"...), nil
		}
		return b, errRequiredNull
	}
	if x, ok := v.(*connectors.StructValue); ok && x == nil {
		return c.appendValue(b, s, nil, depth) // a nil *StructValue is Java's null
	}
	var t connectors.Type
	if s != nil {
		if isLogical(s) {
			return c.appendLogical(b, s, v)
		}
		t = s.Type
	} else {
		var ok bool
		if t, ok = inferType(v); !ok {
			return b, noSchemaType(v)
		}
	}
	mismatch := func() error {
		if s == nil {
			return dataErrorf("Invalid type for unknown schema: %s", javaClass(v))
		}
		return dataErrorf("Invalid type for %s: %s", s.Type.EnumName(), javaClass(v))
	}
	switch t {
	case connectors.Int8:
		if x, ok := v.(int8); ok {
			return strconv.AppendInt(b, int64(x), 10), nil
		}
	case connectors.Int16:
		if x, ok := v.(int16); ok {
			return strconv.AppendInt(b, int64(x), 10), nil
		}
	case connectors.Int32:
		if x, ok := v.(int32); ok {
			return strconv.AppendInt(b, int64(x), 10), nil
		}
	case connectors.Int64:
		if x, ok := v.(int64); ok {
			return strconv.AppendInt(b, x, 10), nil
		}
	case connectors.Float32:
		if x, ok := v.(float32); ok {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return appendJSONString(b, string(connectors.AppendJavaFloat(nil, x))), nil
			}
			return connectors.AppendJavaFloat(b, x), nil
		}
	case connectors.Float64:
		if x, ok := v.(float64); ok {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return appendJSONString(b, string(connectors.AppendJavaDouble(nil, x))), nil
			}
			return connectors.AppendJavaDouble(b, x), nil
		}
	case connectors.Boolean:
		if x, ok := v.(bool); ok {
			return strconv.AppendBool(b, x), nil
		}
	case connectors.String:
		if x, ok := v.(string); ok {
			return appendJSONString(b, x), nil
		}
	case connectors.Bytes:
		if x, ok := v.([]byte); ok {
			b = append(b, '"')
			b = base64.StdEncoding.AppendEncode(b, x)
			return append(b, '"'), nil
		}
		return b, dataErrorf("Invalid type for bytes type: %s", javaClass(v))
	case connectors.Array:
		if x, ok := v.([]any); ok {
			var elem *connectors.Schema
			if s != nil {
				elem = s.Value
			}
			b = append(b, '[')
			for i, e := range x {
				if i > 0 {
					b = append(b, ',')
				}
				var err error
				if b, err = c.appendValue(b, elem, e, depth+1); err != nil {
					return b, err
				}
			}
			return append(b, ']'), nil
		}
	case connectors.Map:
		switch x := v.(type) {
		case map[string]any:
			es := make([]connectors.MapEntry, 0, len(x))
			for k, val := range x {
				es = append(es, connectors.MapEntry{Key: k, Value: val})
			}
			return c.appendMap(b, s, es, depth)
		case map[any]any:
			es := make([]connectors.MapEntry, 0, len(x))
			for k, val := range x {
				es = append(es, connectors.MapEntry{Key: k, Value: val})
			}
			return c.appendMap(b, s, es, depth)
		}
	case connectors.Struct:
		if x, ok := v.(*connectors.StructValue); ok {
			return c.appendStruct(b, s, x, depth)
		}
	default:
		return b, dataErrorf("Couldn't convert %v to JSON.", v)
	}
	return b, mismatch()
}

// inferType maps a schemaless value's Go type to a schema type, as Kafka's
// ConnectSchema.schemaType maps Java classes.
func inferType(v any) (connectors.Type, bool) {
	switch v.(type) {
	case int8:
		return connectors.Int8, true
	case int16:
		return connectors.Int16, true
	case int32:
		return connectors.Int32, true
	case int64:
		return connectors.Int64, true
	case float32:
		return connectors.Float32, true
	case float64:
		return connectors.Float64, true
	case bool:
		return connectors.Boolean, true
	case string:
		return connectors.String, true
	case []byte:
		return connectors.Bytes, true
	case []any:
		return connectors.Array, true
	case map[string]any, map[any]any:
		return connectors.Map, true
	case *connectors.StructValue:
		return connectors.Struct, true
	}
	return "", false
}

// noSchemaType is Kafka's error for a schemaless value whose class maps to
// no schema type, a Decimal or a time.Time among them.
func noSchemaType(v any) *DataError {
	cls := javaClass(v)
	if strings.HasPrefix(cls, "class ") {
		cls = "Java class " + cls
	}
	return dataErrorf("%s does not have corresponding schema type.", cls)
}

// appendStruct writes a struct as a JSON object with one member per field
// of the schema, in schema order. Each field is written from its value
// without the default, so that the null rule of appendValue decides
// between null and the default. The struct must carry a schema equal to s.
func (c *JsonConverter) appendStruct(b []byte, s *connectors.Schema, x *connectors.StructValue, depth int) ([]byte, error) {
	if s == nil || !connectors.SchemaEqual(x.Schema(), s) {
		return b, errMismatchingSchema
	}
	b = append(b, '{')
	for i := range s.Fields {
		f := &s.Fields[i]
		v, err := x.GetWithoutDefault(f.Name)
		if err != nil {
			return b, modelError(err)
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, f.Name)
		b = append(b, ':')
		if b, err = c.appendValue(b, f.Schema, v, depth+1); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

var errMismatchingSchema = dataErrorf("Mismatching schema.")

// isLogical reports whether s is named after one of Kafka's logical types,
// whose values are written and read by appendLogical and logicalToConnect
// whatever the schema's type.
func isLogical(s *connectors.Schema) bool {
	switch s.Name {
	case connectors.DecimalName, connectors.DateName, connectors.TimeName, connectors.TimestampName:
		return true
	}
	return false
}

// appendLogical writes a non-nil value of a logical type: a Decimal as
// the base64 of its unscaled two's-complement bytes, or with
// decimal.format=NUMERIC as a JSON number printed as BigDecimal.toString;
// a Date as days, a Time as milliseconds since midnight and a Timestamp as
// milliseconds since the epoch, all JSON integers.
func (c *JsonConverter) appendLogical(b []byte, s *connectors.Schema, v any) ([]byte, error) {
	switch s.Name {
	case connectors.DecimalName:
		d, ok := v.(connectors.Decimal)
		if !ok {
			return b, dataErrorf("Invalid type for Decimal, expected BigDecimal but was %s", javaClass(v))
		}
		if c.decimalNumeric {
			return append(b, d.String()...), nil
		}
		raw, err := connectors.EncodeDecimal(s, d)
		if err != nil {
			return b, modelError(err)
		}
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, raw)
		return append(b, '"'), nil
	case connectors.DateName:
		t, ok := v.(time.Time)
		if !ok {
			return b, dataErrorf("Invalid type for Date, expected Date but was %s", javaClass(v))
		}
		days, err := connectors.DateToDays(t)
		if err != nil {
			return b, modelError(err)
		}
		return strconv.AppendInt(b, int64(days), 10), nil
	case connectors.TimeName:
		t, ok := v.(time.Time)
		if !ok {
			return b, dataErrorf("Invalid type for Time, expected Date but was %s", javaClass(v))
		}
		ms, err := connectors.TimeToMillis(t)
		if err != nil {
			return b, modelError(err)
		}
		return strconv.AppendInt(b, int64(ms), 10), nil
	case connectors.TimestampName:
		t, ok := v.(time.Time)
		if !ok {
			return b, dataErrorf("Invalid type for Timestamp, expected Date but was %s", javaClass(v))
		}
		return strconv.AppendInt(b, connectors.TimestampToMillis(t), 10), nil
	}
	return b, dataErrorf("Unknown logical type %s", s.Name)
}

// appendMap writes a map as a JSON object when its keys are strings (by
// the key schema, or all of them when schemaless) and as an array of
// [key, value] pairs otherwise, in java.util.HashMap order.
func (c *JsonConverter) appendMap(b []byte, s *connectors.Schema, es []connectors.MapEntry, depth int) ([]byte, error) {
	var keySchema, valSchema *connectors.Schema
	objectMode := true
	if s != nil && s.Key != nil {
		keySchema, valSchema = s.Key, s.Value
		objectMode = s.Key.Type == connectors.String
	} else {
		if s != nil {
			valSchema = s.Value
		}
		for _, e := range es {
			if _, ok := e.Key.(string); !ok {
				objectMode = false
				break
			}
		}
	}
	for i := range es {
		if objectMode {
			text, err := c.keyText(keySchema, es[i].Key, depth)
			if err != nil {
				return b, err
			}
			es[i].Text = text
		} else {
			kb, err := c.appendValue(nil, keySchema, es[i].Key, depth+1)
			if err != nil {
				return b, err
			}
			es[i].Text = string(kb)
		}
	}
	connectors.SortHashMapOrder(es)
	if objectMode && len(es) > 1 {
		// Keys that write the same text make one JSON key, as in Jackson's
		// ObjectNode: the first position with the last value.
		seen := make(map[string]int, len(es))
		kept := es[:0]
		for _, e := range es {
			if j, ok := seen[e.Text]; ok {
				kept[j].Value = e.Value
				continue
			}
			seen[e.Text] = len(kept)
			kept = append(kept, e)
		}
		es = kept
	}
	open, close := byte('{'), byte('}')
	if !objectMode {
		open, close = '[', ']'
	}
	b = append(b, open)
	for i, e := range es {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if objectMode {
			b = appendJSONString(b, e.Text)
			b = append(b, ':')
		} else {
			b = append(b, '[')
			b = append(b, e.Text...)
			b = append(b, ',')
		}
		if b, err = c.appendValue(b, valSchema, e.Value, depth+1); err != nil {
			return b, err
		}
		if !objectMode {
			b = append(b, ']')
		}
	}
	return append(b, close), nil
}

// keyText is the object key Kafka writes for a map key under a STRING key
// schema: the JSON text of the converted key (Jackson's asText).
func (c *JsonConverter) keyText(s *connectors.Schema, k any, depth int) (string, error) {
	if k == nil && s != nil {
		switch {
		case s.Default != nil && c.replaceNull:
			return c.keyText(s, s.Default, depth+1)
		case s.Optional:
			return "null", nil
		}
		return "", errRequiredNull
	}
	if s != nil && isLogical(s) {
		// Jackson's asText of the converted key: a base64 string's text,
		// a number's digits.
		kb, err := c.appendLogical(nil, s, k)
		if err != nil {
			return "", err
		}
		if len(kb) >= 2 && kb[0] == '"' {
			kb = kb[1 : len(kb)-1] // base64 needs no unescaping
		}
		return string(kb), nil
	}
	if x, ok := k.(string); ok {
		return x, nil
	}
	return "", dataErrorf("Invalid type for STRING: %s", javaClass(k))
}

const hexDigits = "0123456789ABCDEF"

// SWAR constants: one in every byte's low bit, one in every byte's high bit.
const lsb, msb = 0x0101010101010101, 0x8080808080808080

// appendJSONString writes s as a JSON string the way Jackson does. Bytes
// that are not valid UTF-8 are written as U+FFFD, as the Java string Kafka
// would hold in their place.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		// Skip eight plain bytes at a time: the common case is ASCII text.
		// Skipped bytes are neither control characters, '"', '\\' nor
		// non-ASCII; a false alarm only sends a chunk down the slow path.
		for i+8 <= len(s) {
			_ = s[i+7]
			x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
			quote, slash := x^lsb*'"', x^lsb*'\\'
			if ((x-lsb*0x20)&^x|(quote-lsb)&^quote|(slash-lsb)&^slash|x)&msb != 0 {
				break
			}
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\t':
				b = append(b, '\\', 't')
			case '\n':
				b = append(b, '\\', 'n')
			case '\f':
				b = append(b, '\\', 'f')
			case '\r':
				b = append(b, '\\', 'r')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, "\uFFFD"...)
			i += connectors.JavaMalformedUTF8Len(s[i:])
			start = i
		case r >= 0x10000:
			b = append(b, s[start:i]...)
			r1, r2 := utf16.EncodeRune(r)
			b = appendUnicodeEscape(b, r1)
			b = appendUnicodeEscape(b, r2)
			i += size
			start = i
		default:
			i += size
		}
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func appendUnicodeEscape(b []byte, u rune) []byte {
	return append(b, '\\', 'u', hexDigits[u>>12&0xF], hexDigits[u>>8&0xF], hexDigits[u>>4&0xF], hexDigits[u&0xF])
}
