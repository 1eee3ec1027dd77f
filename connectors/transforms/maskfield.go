package transforms

import (
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// MaskField config keys.
const (
	KeyMaskFields      = "fields"
	KeyMaskReplacement = "replacement"
)

const maskFieldPurpose = "mask fields"

var maskFieldDef = &config.Def{Keys: []config.Key{
	{Name: KeyMaskFields, Type: config.List, Required: true, Validate: nonEmptyFieldList(), Importance: config.High,
		Doc: "The fields to mask."},
	{Name: KeyMaskReplacement, Type: config.String, Validate: config.NonEmptyString(), Importance: config.Low,
		Doc: "A replacement for every masked value, converted to the field's type; only numeric and string fields " +
			"accept one. Unset, values are replaced with the empty value of their type."},
	replaceNullWithDefaultKey(),
}}

const maskFieldDoc = "Replaces the values of the listed fields of the record key (`MaskField$Key`) or value " +
	"(`MaskField$Value`) with the empty value of their type (`false`, `0`, `\"\"`, the epoch for dates and times, " +
	"an empty list or map), or with `replacement` converted to the field's type. Null field values stay null. " +
	"A schemaless key or value must be a map (listed fields it lacks are added as null); one with a schema must " +
	"be a Struct. A null key or value is an error."

const maskFieldExample = "Hide card numbers:\n\n" +
	"```properties\n" +
	"transforms=mask\n" +
	"transforms.mask.type=org.apache.kafka.connect.transforms.MaskField$Value\n" +
	"transforms.mask.fields=card,cvv\n" +
	"transforms.mask.replacement=0000\n" +
	"```\n\n" +
	"A schemaless value\n\n" +
	"```json\n" + `{"card":"4111111111111111","cvv":123,"name":"ada"}` + "\n```\n\n" +
	"becomes:\n\n" +
	"```json\n" + `{"cvv":0,"name":"ada","card":"0000"}` + "\n```\n"

func maskFieldPlugins() []connectors.Plugin {
	return keyValuePlugins("MaskField", maskFieldDoc, maskFieldExample, maskFieldDef, newMaskField)
}

type maskField struct {
	part        part
	fields      []string // without repeats, in the order given
	masked      map[string]bool
	replacement *string
	replaceNull bool
}

func newMaskField(p part, cfg config.Values) (connectors.Transform, error) {
	t := &maskField{part: p, masked: make(map[string]bool), replaceNull: cfg.Bool(KeyReplaceNullWithDefault)}
	for _, f := range cfg.List(KeyMaskFields) {
		if !t.masked[f] {
			t.masked[f] = true
			t.fields = append(t.fields, f)
		}
	}
	if cfg.Get(KeyMaskReplacement) != nil {
		r := cfg.String(KeyMaskReplacement)
		t.replacement = &r
	}
	return t, nil
}

func (t *maskField) Apply(r connectors.Record) (connectors.Record, bool, error) {
	sv := t.part.get(r)
	var err error
	if sv.Schema == nil {
		sv.Value, err = t.maskSchemaless(sv.Value)
	} else {
		sv.Value, err = t.maskStruct(sv.Value)
	}
	if err != nil {
		return connectors.Record{}, false, err
	}
	return t.part.set(r, sv), true, nil
}

func (t *maskField) maskSchemaless(v any) (any, error) {
	m, err := requireMap(v, maskFieldPurpose)
	if err != nil {
		return nil, err
	}
	out := copyMap(m, len(t.fields))
	for _, f := range t.fields {
		mv, err := t.mask(m[f])
		if err != nil {
			return nil, err
		}
		out[f] = mv
	}
	return out, nil
}

func (t *maskField) maskStruct(v any) (any, error) {
	s, err := requireStruct(v, maskFieldPurpose)
	if err != nil {
		return nil, err
	}
	out := connectors.NewStruct(s.Schema())
	for _, f := range s.Schema().Fields {
		fv, err := fieldValue(s, f.Name, t.replaceNull)
		if err != nil {
			return nil, err
		}
		if t.masked[f.Name] {
			if fv, err = t.mask(fv); err != nil {
				return nil, err
			}
		}
		if err := out.Put(f.Name, fv); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *maskField) mask(v any) (any, error) {
	switch {
	case v == nil:
		return nil, nil
	case t.replacement == nil:
		return emptyValueOf(v)
	}
	return replacementFor(v, *t.replacement)
}

// emptyValueOf is the value Kafka masks v with: the zero of its Java type.
func emptyValueOf(v any) (any, error) {
	switch x := v.(type) {
	case bool:
		return false, nil
	case int8:
		return int8(0), nil
	case int16:
		return int16(0), nil
	case int32:
		return int32(0), nil
	case int64:
		return int64(0), nil
	case float32:
		return float32(0), nil
	case float64:
		return float64(0), nil
	case string:
		return "", nil
	case connectors.Decimal:
		return connectors.NewDecimal(0, 0), nil
	case time.Time:
		return time.UnixMilli(0).UTC(), nil
	case []any:
		return []any{}, nil
	case map[string]any:
		return map[string]any{}, nil
	case map[any]any:
		return map[any]any{}, nil
	default:
		return nil, connectors.DataErrorf("Cannot mask value of type: %s", javaClass(x))
	}
}

// replacementFor converts the configured replacement to v's type, as
// Kafka's Values.convertTo* (numbers) and new BigDecimal (decimals) do.
func replacementFor(v any, repl string) (any, error) {
	switch v.(type) {
	case string:
		return repl, nil
	case connectors.Decimal:
		d, ok := parseJavaBigDecimal(repl)
		if !ok {
			return nil, connectors.DataErrorf("Unable to convert %s (class java.lang.String) to number", repl)
		}
		return d, nil
	case int8, int16, int32, int64, float32, float64:
	default:
		return nil, connectors.DataErrorf("Cannot mask value of type %s with custom replacement.", javaClass(v))
	}
	// Kafka's two messages differ by an "a": one comes from MaskField, the
	// other from Values.convertTo*.
	d, ok := parseJavaBigDecimal(repl)
	if !ok {
		return nil, connectors.DataErrorf("Unable to convert %s (class java.lang.String) to a number", repl)
	}
	switch v.(type) {
	case int8:
		return int8(javaLongValue(d)), nil
	case int16:
		return int16(javaLongValue(d)), nil
	case int32:
		return int32(javaLongValue(d)), nil
	case int64:
		return javaLongValue(d), nil
	}
	// The grammar is checked: ParseFloat rounds the same digits as
	// BigDecimal.doubleValue, and a value out of range is an infinity in both.
	f, _ := strconv.ParseFloat(repl, 64)
	if _, ok := v.(float32); ok {
		return float32(f), nil
	}
	return f, nil
}

// parseJavaBigDecimal parses s as new BigDecimal(s): an optional sign,
// digits with at most one point, and an optional exponent. ok is false
// where Java throws NumberFormatException.
func parseJavaBigDecimal(s string) (d connectors.Decimal, ok bool) {
	rest := s
	neg := false
	if rest != "" && (rest[0] == '+' || rest[0] == '-') {
		neg = rest[0] == '-'
		rest = rest[1:]
	}
	mant, exp, hasExp := strings.Cut(strings.ReplaceAll(rest, "E", "e"), "e")
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := intPart + frac
	if digits == "" || !allDigits(digits) || strings.Contains(frac, ".") {
		return connectors.Decimal{}, false
	}
	scale := int64(len(frac))
	if hasExp {
		e := exp
		if e != "" && (e[0] == '+' || e[0] == '-') {
			e = e[1:]
		}
		if e == "" || !allDigits(e) {
			return connectors.Decimal{}, false
		}
		n, err := strconv.ParseInt(exp, 10, 32)
		if err != nil {
			return connectors.Decimal{}, false
		}
		scale -= n
	}
	if scale < -1<<31 || scale > 1<<31-1 {
		return connectors.Decimal{}, false
	}
	u, _ := new(big.Int).SetString(digits, 10)
	if neg {
		u.Neg(u)
	}
	return connectors.Decimal{Unscaled: u, Scale: int32(scale)}, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// javaLongValue is BigDecimal.longValue: the integer part, truncated
// toward zero, reduced to its low 64 bits.
func javaLongValue(d connectors.Decimal) int64 {
	u := d.Unscaled
	switch {
	case d.Scale <= -64:
		// A multiple of 10^64, hence of 2^64: the low 64 bits are zero.
		return 0
	case d.Scale < 0:
		u = new(big.Int).Mul(u, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-d.Scale)), nil))
	case d.Scale > 0:
		if int64(d.Scale) > int64(len(u.String())) {
			return 0
		}
		u = new(big.Int).Quo(u, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.Scale)), nil))
	}
	low := new(big.Int).And(u, new(big.Int).SetUint64(^uint64(0)))
	return int64(low.Uint64())
}
