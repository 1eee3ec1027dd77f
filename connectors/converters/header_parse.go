package converters

import (
	"errors"
	"math/big"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// errHeaderSyntax marks text inside a list or map that Kafka's
// Values.parseString cannot read; the list or map is then not a list or
// map and the text is read as a scalar or kept as a STRING.
var errHeaderSyntax = errors.New("unparsable embedded header value")

// valueParser walks header text with the tokens of Kafka's Values.Parser:
// a single delimiter (: , { } [ ] ") or the text up to the next unescaped
// delimiter. Escapes are kept in the token text, as in Kafka.
type valueParser struct {
	s      string
	pos    int    // byte offset after the last token read from s
	peek   string // the token looked at but not consumed, when peeked
	peeked bool
	depth  int
}

// mark is the offset of the next token to be consumed.
func (p *valueParser) mark() int {
	if p.peeked {
		return p.pos - len(p.peek)
	}
	return p.pos
}

func (p *valueParser) rewind(i int) { p.pos, p.peeked = i, false }

func (p *valueParser) hasNext() bool { return p.peeked || p.pos < len(p.s) }

// next consumes and returns the next token, blank or not.
func (p *valueParser) next() string {
	if p.peeked {
		p.peeked = false
		return p.peek
	}
	var t string
	t, p.pos = nextToken(p.s, p.pos)
	return t
}

// canConsume consumes the next token when, trimmed, it is want. Blank
// tokens in front of it are skipped for good, as Kafka's Parser does.
func (p *valueParser) canConsume(want string) bool {
	if !p.peeked {
		if !p.hasNext() {
			return false
		}
		p.peek, p.pos = nextToken(p.s, p.pos)
		p.peeked = true
	}
	for isBlank(p.peek) && p.pos < len(p.s) {
		p.peek, p.pos = nextToken(p.s, p.pos)
	}
	if trimJava(p.peek) == want {
		p.peeked = false
		return true
	}
	return false
}

// parseEmbedded reads one value inside a list or map. A nil result is
// Java's null.
func (p *valueParser) parseEmbedded() (*connectors.SchemaAndValue, error) {
	if !p.hasNext() {
		return nil, nil
	}
	if p.canConsume(`"`) {
		sv := p.parseQuoted()
		return &sv, nil
	}
	for _, lit := range []string{"null", "true", "false"} {
		start := p.mark()
		if p.canConsume(lit) {
			switch lit {
			case "true":
				return &connectors.SchemaAndValue{Schema: connectors.BooleanSchema, Value: true}, nil
			case "false":
				return &connectors.SchemaAndValue{Schema: connectors.BooleanSchema, Value: false}, nil
			}
			return nil, nil
		}
		p.rewind(start)
	}
	if sv, ok := p.parseCollection(); ok {
		return &sv, nil
	}
	tok := p.next()
	if isBlank(tok) {
		return &connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: tok}, nil
	}
	tok = trimJava(tok)
	if sv, ok := p.parseScalar(tok); ok {
		return &sv, nil
	}
	return nil, errHeaderSyntax
}

// parseCollection reads a list or map that starts at the next token. When
// there is none, or it is malformed, the parser is left where it was
// (with any blank tokens in front skipped) and ok is false.
func (p *valueParser) parseCollection() (connectors.SchemaAndValue, bool) {
	start := p.mark()
	var sv connectors.SchemaAndValue
	var err error
	switch {
	case p.canConsume("["):
		sv, err = p.parseArray()
	case p.canConsume("{"):
		sv, err = p.parseMap()
	default:
		return sv, false
	}
	if err != nil {
		p.rewind(start)
		return connectors.SchemaAndValue{}, false
	}
	return sv, true
}

// parseScalar reads a trimmed, non-blank token (and for dates and times
// the tokens after it) as a temporal value or a number.
func (p *valueParser) parseScalar(tok string) (connectors.SchemaAndValue, bool) {
	r, _ := utf8.DecodeRuneInString(tok)
	digit := r <= 0xFFFF && unicode.IsDigit(r)
	if digit {
		if sv, ok := p.parseTemporalTokens(tok); ok {
			return sv, true
		}
	}
	if digit || r == '+' || r == '-' {
		return parseNumber(tok)
	}
	return connectors.SchemaAndValue{}, false
}

// parseTemporalTokens reads tok joined with the four raw tokens after it
// (a time split at its colons), or else tok alone, as a date, time or
// timestamp. On success the parser is after the tokens used.
func (p *valueParser) parseTemporalTokens(tok string) (connectors.SchemaAndValue, bool) {
	start := p.mark()
	n := 0
	for ; n < 4 && p.hasNext(); n++ {
		p.next()
	}
	if n == 4 {
		if sv, ok := parseTemporal(tok + p.s[start:p.pos]); ok {
			return sv, true
		}
	}
	p.rewind(start)
	return parseTemporal(tok)
}

// parseQuoted reads a quoted string after its opening quote: the tokens up
// to the closing quote, kept as they are (escapes included, as Kafka keeps
// them). A string that reads as a date, time or timestamp is one.
func (p *valueParser) parseQuoted() connectors.SchemaAndValue {
	var sb strings.Builder
	for p.hasNext() {
		if p.canConsume(`"`) {
			break
		}
		sb.WriteString(p.next())
	}
	content := sb.String()
	if sv, ok := parseTemporal(content); ok {
		return sv
	}
	return connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: content}
}

func (p *valueParser) enter() error {
	if p.depth++; p.depth > maxDepth {
		return errTooDeep
	}
	return nil
}

// parseArray reads a list after its '['. The element schema is the common
// schema of the elements (see schemaMerger), or nil.
func (p *valueParser) parseArray() (connectors.SchemaAndValue, error) {
	if err := p.enter(); err != nil {
		return connectors.SchemaAndValue{}, err
	}
	defer func() { p.depth-- }()
	result := []any{}
	var m schemaMerger
	for p.hasNext() {
		if p.canConsume("]") {
			schema := &connectors.Schema{Type: connectors.Array, Value: m.common}
			if m.common != nil {
				for i, v := range result {
					result[i] = alignValue(m.common, v)
				}
			}
			return connectors.SchemaAndValue{Schema: schema, Value: result}, nil
		}
		if p.canConsume(",") {
			return connectors.SchemaAndValue{}, errHeaderSyntax
		}
		el, err := p.parseEmbedded()
		if err != nil {
			return connectors.SchemaAndValue{}, err
		}
		m.merge(el)
		if el != nil {
			result = append(result, el.Value)
		} else {
			result = append(result, nil)
		}
		cur := p.mark()
		if p.canConsume("]") {
			p.rewind(cur)
		} else if !p.canConsume(",") {
			return connectors.SchemaAndValue{}, errHeaderSyntax
		}
	}
	return connectors.SchemaAndValue{}, errHeaderSyntax
}

// parseMap reads a map after its '{'. Key and value schemas are the
// common schemas of the keys and of the values, or nil.
func (p *valueParser) parseMap() (connectors.SchemaAndValue, error) {
	if err := p.enter(); err != nil {
		return connectors.SchemaAndValue{}, err
	}
	defer func() { p.depth-- }()
	result := map[any]any{}
	var km, vm schemaMerger
	for p.hasNext() {
		if p.canConsume("}") {
			schema := &connectors.Schema{Type: connectors.Map}
			if km.common != nil {
				schema.Key = km.common
				if vm.common != nil {
					schema.Value = vm.common
				}
				aligned := make(map[any]any, len(result))
				for k, v := range result {
					if vm.common != nil {
						v = alignValue(vm.common, v)
					}
					aligned[alignValue(km.common, k)] = v
				}
				result = aligned
			}
			return connectors.SchemaAndValue{Schema: schema, Value: result}, nil
		}
		if p.canConsume(",") {
			return connectors.SchemaAndValue{}, errHeaderSyntax
		}
		key, err := p.parseEmbedded()
		if err != nil {
			return connectors.SchemaAndValue{}, err
		}
		if key == nil || key.Value == nil || !hashableKey(key.Value) || !p.canConsume(":") {
			return connectors.SchemaAndValue{}, errHeaderSyntax
		}
		val, err := p.parseEmbedded()
		if err != nil {
			return connectors.SchemaAndValue{}, err
		}
		if val != nil {
			result[key.Value] = val.Value
		} else {
			result[key.Value] = nil
		}
		p.canConsume(",")
		km.merge(key)
		vm.merge(val)
	}
	return connectors.SchemaAndValue{}, errHeaderSyntax
}

// hashableKey reports whether a Go map can hold k as a key. Kafka accepts
// lists and maps as keys too; a map with such keys is not read as a map
// here.
func hashableKey(k any) bool {
	switch k.(type) {
	case []any, map[any]any, map[string]any, []byte:
		return false
	}
	return true
}

// schemaMerger finds the common schema of the values of a list, or of the
// keys or values of a map, as Kafka's Values does: nulls are ignored;
// integer and floating point types widen to the widest one seen; equal
// types otherwise share a schema; anything else has none.
//
// Kafka merges schemas of the same type even when only one is a logical
// type (a Date and an INT32, Decimals of different scales) and then
// converts the values; such lists and maps get no common schema here.
type schemaMerger struct {
	common       *connectors.Schema
	incompatible bool
}

func (m *schemaMerger) merge(sv *connectors.SchemaAndValue) {
	if sv == nil || sv.Schema == nil || m.incompatible {
		return
	}
	if m.common == nil {
		m.common = sv.Schema
		return
	}
	m.common = mergeSchemas(m.common, sv.Schema)
	m.incompatible = m.common == nil
}

// numericRank orders the primitive number types from narrowest to widest;
// 0 is not a number type.
func numericRank(s *connectors.Schema) int {
	if s.Name != "" {
		return 0
	}
	switch s.Type {
	case connectors.Int8:
		return 1
	case connectors.Int16:
		return 2
	case connectors.Int32:
		return 3
	case connectors.Int64:
		return 4
	case connectors.Float32:
		return 5
	case connectors.Float64:
		return 6
	}
	return 0
}

func mergeSchemas(prev, next *connectors.Schema) *connectors.Schema {
	if prev.Type != next.Type {
		rp, rn := numericRank(prev), numericRank(next)
		switch {
		case rp == 0 || rn == 0:
			return nil
		case rp > rn:
			return prev
		}
		return next
	}
	if prev.Name != next.Name || prev.Parameters[connectors.DecimalScaleParam] != next.Parameters[connectors.DecimalScaleParam] {
		return nil
	}
	return next
}

// alignValue converts a parsed number to the common number type of its
// list or map, as Kafka's Values.convertTo does; other values are returned
// unchanged.
func alignValue(s *connectors.Schema, v any) any {
	if v == nil || s.Name != "" {
		return v
	}
	var n int64
	var f float64
	isInt := true
	switch x := v.(type) {
	case int8:
		n = int64(x)
	case int16:
		n = int64(x)
	case int32:
		n = int64(x)
	case int64:
		n = x
	case float32:
		if s.Type == connectors.Float64 {
			return float64(x)
		}
		return v
	case float64:
		f, isInt = x, false
	default:
		return v
	}
	switch s.Type {
	case connectors.Int8:
		return int8(n)
	case connectors.Int16:
		return int16(n)
	case connectors.Int32:
		return int32(n)
	case connectors.Int64:
		return n
	case connectors.Float32:
		if isInt {
			return float32(n)
		}
		return float32(f)
	case connectors.Float64:
		if isInt {
			return float64(n)
		}
		return f
	}
	return v
}

// decimalValue is the connectors.Decimal of a parsed number.
func decimalValue(d decimal) connectors.Decimal {
	u := new(big.Int)
	if d.digits != "" {
		u.SetString(d.digits, 10)
	}
	if d.neg {
		u.Neg(u)
	}
	return connectors.Decimal{Unscaled: u, Scale: int32(d.scale)}
}

// parseTemporal reads text of 10, 13 or 24 UTF-16 units (after "\:" is
// read as ":") as Kafka does with a lenient SimpleDateFormat: a prefix
// shaped yyyy-MM-dd is a Date, HH:mm:ss.SSS'Z' a Time and
// yyyy-MM-dd'T'HH:mm:ss.SSS'Z' a Timestamp; fields may have any number of
// digits and out-of-range fields roll over (month 13 is January of the
// next year).
//
// Kafka reads the fields in the JVM's default time zone with the Julian
// calendar before 1582-10-15; they are read in UTC with the proleptic
// Gregorian calendar here, which is the same for a JVM running in UTC and
// dates after 1582.
func parseTemporal(t string) (connectors.SchemaAndValue, bool) {
	t = strings.ReplaceAll(t, `\:`, ":")
	var pattern string
	var schema *connectors.Schema
	switch utf16Len([]byte(t)) {
	case 10:
		pattern, schema = "d-d-d", connectors.DateSchema(false)
	case 13:
		pattern, schema = "d:d:d.dZ", connectors.TimeSchema(false)
	case 24:
		pattern, schema = "d-d-dTd:d:d.dZ", connectors.TimestampSchema(false)
	default:
		return connectors.SchemaAndValue{}, false
	}
	f, ok := shapeFields(t, pattern)
	if !ok {
		return connectors.SchemaAndValue{}, false
	}
	var v time.Time
	switch len(f) {
	case 3:
		v = time.Date(f[0], time.Month(f[1]), f[2], 0, 0, 0, 0, time.UTC)
	case 4:
		v = time.Date(1970, 1, 1, f[0], f[1], f[2], 0, time.UTC).Add(time.Duration(f[3]) * time.Millisecond)
	default:
		v = time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], 0, time.UTC).Add(time.Duration(f[6]) * time.Millisecond)
	}
	if y := v.Year(); y < -292_000_000 || y > 292_000_000 {
		return connectors.SchemaAndValue{}, false // beyond java.util.Date's milliseconds
	}
	return connectors.SchemaAndValue{Schema: schema, Value: v}, true
}

// shapeFields matches a prefix of t against a pattern in which 'd' stands
// for one to nine ASCII digits and every other byte for itself, and
// returns the numbers.
func shapeFields(t, pattern string) ([]int, bool) {
	var out []int
	i := 0
	for j := 0; j < len(pattern); j++ {
		if pattern[j] != 'd' {
			if i >= len(t) || t[i] != pattern[j] {
				return nil, false
			}
			i++
			continue
		}
		k, n := i, 0
		for k < len(t) && t[k] >= '0' && t[k] <= '9' {
			n = n*10 + int(t[k]-'0')
			k++
		}
		if k == i || k-i > 9 {
			return nil, false
		}
		out = append(out, n)
		i = k
	}
	return out, true
}
