package connectors

import (
	"fmt"
	"reflect"
	"strconv"
	"time"
)

// maxNesting bounds how deep AppendJavaString descends into lists and
// maps, so that a value that contains itself fails instead of exhausting
// the stack.
const maxNesting = 1000

// ErrTooDeep is the error of AppendJavaString and JavaString for a value
// that nests lists and maps more than 1000 levels deep, as one that
// contains itself below its top level does.
var ErrTooDeep = fmt.Errorf("value nested deeper than %d levels", maxNesting)

// JavaString returns what Java's String.valueOf prints for the value Kafka
// Connect holds in place of v; see AppendJavaString.
func JavaString(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	b, err := AppendJavaString(nil, v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// AppendJavaString appends what Java's String.valueOf prints for the value
// Kafka Connect holds in place of v, which is what Kafka's StringConverter
// and FileStreamSinkTask write. For the Go types of the data model (see
// Schema):
//
//   - nil: "null"
//   - string: its bytes, unchanged
//   - bool: "true" or "false"
//   - int8, int16, int32, int64: the decimal number, as Long.toString
//   - float32, float64: Float.toString and Double.toString, as
//     AppendJavaFloat and AppendJavaDouble
//   - []byte: its bytes, unchanged, where Java prints the array's identity
//     ("[B@1b6d3586")
//   - []any: AbstractCollection.toString, "[a, b]", with the list itself
//     as an element printed "(this Collection)"
//   - map[any]any, map[string]any: AbstractMap.toString, "{k=v, k2=v2}",
//     in java.util.HashMap iteration order (see SortHashMapOrder), with the
//     map itself as a value printed "(this Map)"
//   - *StructValue: Struct.toString, "Struct{f1=v1,f2=v2}" (see
//     StructValue.String)
//   - Decimal: BigDecimal.toString (see Decimal.String)
//
// A time.Time prints as java.util.Date.toString in the local time zone
// ("Tue Mar 05 07:08:09 UTC 2024"), other Go integers in decimal, and any
// other value with its String method or else fmt's %v. The only error is
// ErrTooDeep, and then b is returned unchanged.
func AppendJavaString(b []byte, v any) ([]byte, error) {
	out, err := appendJavaValue(b, v, 0)
	if err != nil {
		return b, err
	}
	return out, nil
}

func appendJavaValue(b []byte, v any, depth int) ([]byte, error) {
	if depth > maxNesting {
		return b, ErrTooDeep
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
	case int8:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int16:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int32:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case float32:
		return AppendJavaFloat(b, x), nil
	case float64:
		return AppendJavaDouble(b, x), nil
	case []any:
		return appendJavaList(b, x, depth)
	case map[string]any:
		es := make([]MapEntry, 0, len(x))
		for k, val := range x {
			es = append(es, MapEntry{Key: k, Value: val, Text: k})
		}
		return appendJavaMap(b, es, x, depth)
	case map[any]any:
		es := make([]MapEntry, 0, len(x))
		for k, val := range x {
			kb, err := appendJavaValue(nil, k, depth+1)
			if err != nil {
				return b, err
			}
			es = append(es, MapEntry{Key: k, Value: val, Text: string(kb)})
		}
		return appendJavaMap(b, es, x, depth)
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
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
	case *StructValue:
		if x == nil {
			return append(b, "null"...), nil
		}
		return appendJavaStruct(b, x, depth)
	case Decimal:
		return x.appendString(b), nil
	case time.Time:
		// java.util.Date.toString, in the local time zone as the JVM's default.
		return x.Local().AppendFormat(b, "Mon Jan 02 15:04:05 MST 2006"), nil
	case fmt.Stringer:
		return append(b, x.String()...), nil
	}
	return fmt.Append(b, v), nil
}

// appendJavaList prints as Java's AbstractCollection.toString: "[a, b]".
func appendJavaList(b []byte, l []any, depth int) ([]byte, error) {
	b = append(b, '[')
	for i, e := range l {
		if i > 0 {
			b = append(b, ", "...)
		}
		if inner, ok := e.([]any); ok && len(inner) == len(l) && &inner[0] == &l[0] {
			b = append(b, "(this Collection)"...)
			continue
		}
		var err error
		if b, err = appendJavaValue(b, e, depth+1); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

// appendJavaMap prints as Java's AbstractMap.toString: "{k=v, k2=v2}".
func appendJavaMap(b []byte, es []MapEntry, self any, depth int) ([]byte, error) {
	SortHashMapOrder(es)
	b = append(b, '{')
	for i, e := range es {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, e.Text...)
		b = append(b, '=')
		if sameMap(e.Value, self) {
			b = append(b, "(this Map)"...)
			continue
		}
		var err error
		if b, err = appendJavaValue(b, e.Value, depth+1); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// sameMap reports whether v is the map m itself, Java's value == this.
func sameMap(v, m any) bool {
	switch v.(type) {
	case map[string]any, map[any]any:
		rv, rm := reflect.ValueOf(v), reflect.ValueOf(m)
		return rv.Type() == rm.Type() && rv.UnsafePointer() == rm.UnsafePointer()
	}
	return false
}
