package connectors

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"time"
)

// ErrInvalidData is matched (with errors.Is) by every error of the data
// model: a value that does not fit its schema, an unknown field, a bad
// logical value. Those errors print Kafka's DataException message alone.
var ErrInvalidData = errors.New("invalid data")

// dataError is a failed data-model check; its text is Kafka's message.
type dataError struct {
	msg string
	err error // the cause, if any
}

func (e *dataError) Error() string        { return e.msg }
func (e *dataError) Unwrap() error        { return e.err }
func (e *dataError) Is(target error) bool { return target == ErrInvalidData }

func dataErrorf(format string, args ...any) error {
	return &dataError{msg: fmt.Sprintf(format, args...)}
}

// EnumName is the Java enum name of a schema type ("INT32", "FLOAT64"), as
// Kafka's messages print it.
func (t Type) EnumName() string {
	switch t {
	case Float32:
		return "FLOAT32"
	case Float64:
		return "FLOAT64"
	}
	b := []byte(t)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// Field returns the field of a Struct schema named name, as Kafka's
// Schema.field; ok is false when there is none or s is not a Struct schema.
func (s *Schema) Field(name string) (f Field, ok bool) {
	if i := s.fieldIndex(name); i >= 0 {
		return s.Fields[i], true
	}
	return Field{}, false
}

// fieldIndex is the position of the field named name in s.Fields, or -1.
func (s *Schema) fieldIndex(name string) int {
	if s == nil || s.Type != Struct {
		return -1
	}
	for i := range s.Fields {
		if s.Fields[i].Name == name {
			return i
		}
	}
	return -1
}

// SchemaEqual reports whether a and b are equal as Kafka's
// ConnectSchema.equals compares them: type, optional, default value, name,
// version, doc, parameters, fields (name, index and schema, in order) and
// key and value schemas. Two nil schemas are equal. A nil and an empty
// Parameters map or Fields slice are equal.
func SchemaEqual(a, b *Schema) bool {
	return schemaEqual(a, b, 0)
}

func schemaEqual(a, b *Schema, depth int) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || depth > maxNesting {
		return false
	}
	if a.Type != b.Type || a.Optional != b.Optional || a.Name != b.Name || a.Doc != b.Doc {
		return false
	}
	if (a.Version == nil) != (b.Version == nil) || a.Version != nil && *a.Version != *b.Version {
		return false
	}
	if len(a.Parameters) != len(b.Parameters) {
		return false
	}
	for k, v := range a.Parameters {
		if w, ok := b.Parameters[k]; !ok || w != v {
			return false
		}
	}
	if len(a.Fields) != len(b.Fields) {
		return false
	}
	for i := range a.Fields {
		fa, fb := &a.Fields[i], &b.Fields[i]
		if fa.Name != fb.Name || fa.Index != fb.Index || !schemaEqual(fa.Schema, fb.Schema, depth+1) {
			return false
		}
	}
	return schemaEqual(a.Key, b.Key, depth+1) && schemaEqual(a.Value, b.Value, depth+1) &&
		valueEqual(a.Default, b.Default, depth+1)
}

// ValidateValue checks v against schema as Kafka's
// ConnectSchema.validateValue does:
//
//   - nil is accepted only for an optional schema (a default does not
//     make null valid here; Struct.Validate accepts it for a defaulted
//     field);
//   - otherwise v must have the Go type of the schema's type (see Schema),
//     or of its logical type when the schema is named after one: Decimal
//     for DecimalName, time.Time for DateName, TimeName and TimestampName;
//   - a *StructValue must carry a schema equal to schema and be valid
//     itself; the elements of an array and the keys and values of a map are
//     checked against the value and key schemas.
//
// The errors match ErrInvalidData and carry Kafka's messages with Go type
// names in place of Java classes, e.g.
// `Invalid Go value for schema "n" with type INT32: int64 for value`.
func ValidateValue(schema *Schema, v any) error {
	if validateValue(schema, v, "", 0) == nil {
		return nil
	}
	return validateValue(schema, v, "value", 0)
}

// validateField checks the value of the Struct field named name.
func validateField(name string, schema *Schema, v any) error {
	if validateValue(schema, v, "", 0) == nil {
		return nil
	}
	return validateValue(schema, v, `field: "`+name+`"`, 0)
}

// Validation runs twice only when it fails: first with an empty where, which
// builds no location text (valid values, the common case, cost no string
// building), then again with it, for Kafka's message.

func validateValue(s *Schema, v any, where string, depth int) error {
	if depth > maxNesting {
		return &dataError{msg: ErrTooDeep.Error(), err: ErrTooDeep}
	}
	if s == nil {
		return dataErrorf("No schema defined for %s", where)
	}
	if v == nil {
		if !s.Optional {
			return dataErrorf("Invalid value: null used for required %s, schema type: %s", where, s.Type.EnumName())
		}
		return nil
	}
	if !hasGoType(s, v) {
		msg := "Invalid Go value for schema"
		if s.Name != "" {
			msg += ` "` + s.Name + `"`
		}
		return dataErrorf("%s with type %s: %s for %s", msg, s.Type.EnumName(), goTypeName(v), where)
	}
	switch x := v.(type) {
	case *StructValue:
		if !SchemaEqual(x.schema, s) {
			return dataErrorf("Struct schemas do not match.")
		}
		return x.validate(depth+1, where != "")
	case []any:
		at := where
		if where != "" {
			at = "element of array " + where
		}
		if s.Value == nil {
			return dataErrorf("No schema defined for %s", at)
		}
		for _, e := range x {
			if err := validateValue(s.Value, e, at, depth+1); err != nil {
				return err
			}
		}
	case map[string]any:
		if err := validateMap(s, x, where, depth); err != nil {
			return err
		}
	case map[any]any:
		if err := validateMap(s, x, where, depth); err != nil {
			return err
		}
	}
	return nil
}

// validateMap checks every key and value of a map value, whichever Go map
// type holds it.
func validateMap[K comparable](s *Schema, m map[K]any, where string, depth int) error {
	kat, vat := where, where
	if where != "" {
		kat, vat = "key of map "+where, "value of map "+where
	}
	if err := mapSchemas(s, kat, vat); err != nil {
		return err
	}
	for k, e := range m {
		if err := validateValue(s.Key, k, kat, depth+1); err != nil {
			return err
		}
		if err := validateValue(s.Value, e, vat, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func mapSchemas(s *Schema, kat, vat string) error {
	if s.Key == nil {
		return dataErrorf("No schema defined for %s", kat)
	}
	if s.Value == nil {
		return dataErrorf("No schema defined for %s", vat)
	}
	return nil
}

// hasGoType reports whether v has the Go type that schema s holds.
func hasGoType(s *Schema, v any) bool {
	switch s.Name {
	case DecimalName:
		_, ok := v.(Decimal)
		return ok
	case DateName, TimeName, TimestampName:
		_, ok := v.(time.Time)
		return ok
	}
	var ok bool
	switch s.Type {
	case Int8:
		_, ok = v.(int8)
	case Int16:
		_, ok = v.(int16)
	case Int32:
		_, ok = v.(int32)
	case Int64:
		_, ok = v.(int64)
	case Float32:
		_, ok = v.(float32)
	case Float64:
		_, ok = v.(float64)
	case Boolean:
		_, ok = v.(bool)
	case String:
		_, ok = v.(string)
	case Bytes:
		_, ok = v.([]byte)
	case Array:
		_, ok = v.([]any)
	case Map:
		switch v.(type) {
		case map[string]any, map[any]any:
			ok = true
		}
	case Struct:
		sv, isStruct := v.(*StructValue)
		ok = isStruct && sv != nil
	}
	return ok
}

// JavaClassName names the Java class Kafka would hold for v, as
// Class.getName prints it ("java.lang.Long"), and "null" for nil. Go types
// with no Java counterpart are named as Go types.
func JavaClassName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case int8:
		return "java.lang.Byte"
	case int16:
		return "java.lang.Short"
	case int32:
		return "java.lang.Integer"
	case int64:
		return "java.lang.Long"
	case float32:
		return "java.lang.Float"
	case float64:
		return "java.lang.Double"
	case bool:
		return "java.lang.Boolean"
	case string:
		return "java.lang.String"
	case []byte:
		return "[B"
	case []any:
		return "java.util.ArrayList"
	case map[any]any, map[string]any:
		return "java.util.HashMap"
	case *StructValue:
		return "org.apache.kafka.connect.data.Struct"
	case Decimal:
		return "java.math.BigDecimal"
	case time.Time:
		return "java.util.Date"
	}
	return fmt.Sprintf("Go type %T", v)
}

// DataErrorf returns an error matching ErrInvalidData whose text is the
// formatted message alone, as Kafka's DataException prints. A %w verb
// wraps a cause.
func DataErrorf(format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &dataError{msg: err.Error(), err: errors.Unwrap(err)}
}

// goTypeName names v's Go type in messages.
func goTypeName(v any) string {
	if _, ok := v.([]byte); ok {
		return "[]byte"
	}
	return fmt.Sprintf("%T", v)
}

// ValueEqual reports whether two data-model values are equal as Kafka's
// equals would find them: byte slices by content, lists and maps
// element-wise, floats by bits, Decimals by value and scale, times by
// instant, structs with Equal.
func ValueEqual(a, b any) bool { return valueEqual(a, b, 0) }

func lookupEqualKey(m map[any]any, key any, depth int) (any, bool) {
	for k, v := range m {
		if valueEqual(k, key, depth) {
			return v, true
		}
	}
	return nil, false
}

// valueEqual compares two data-model values as Java's Objects.deepEquals
// compares the values Kafka holds: byte slices by content, lists and maps
// element-wise, floats by bits (NaN equals NaN, 0.0 differs from -0.0),
// Decimals by value and scale, times by instant, structs with Equal.
func valueEqual(a, b any, depth int) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if depth > maxNesting {
		return false
	}
	switch x := a.(type) {
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	case float32:
		y, ok := b.(float32)
		return ok && (math.Float32bits(x) == math.Float32bits(y) || x != x && y != y)
	case float64:
		y, ok := b.(float64)
		return ok && (math.Float64bits(x) == math.Float64bits(y) || x != x && y != y)
	case Decimal:
		y, ok := b.(Decimal)
		return ok && x.Equal(y)
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case *StructValue:
		y, ok := b.(*StructValue)
		return ok && x.equal(y, depth+1)
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !valueEqual(x[i], y[i], depth+1) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, e := range x {
			f, ok := y[k]
			if !ok || !valueEqual(e, f, depth+1) {
				return false
			}
		}
		return true
	case map[any]any:
		y, ok := b.(map[any]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, e := range x {
			f, ok := y[k]
			if !ok {
				// Keys such as Decimals hold pointers: equal values can be
				// different map keys, so look for one by value.
				f, ok = lookupEqualKey(y, k, depth+1)
			}
			if !ok || !valueEqual(e, f, depth+1) {
				return false
			}
		}
		return true
	}
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	if ta != tb {
		return false
	}
	if reflect.ValueOf(a).Comparable() {
		return a == b
	}
	return reflect.DeepEqual(a, b)
}
