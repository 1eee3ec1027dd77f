package converters

import (
	"fmt"
	"strconv"
)

// appendToString appends the text of Java's value.toString() for the Java
// object Kafka would hold in place of v: numbers as Java prints them, lists
// as "[a, b]", maps as "{k=v, k2=v2}" in HashMap order, null as "null".
// Byte slices are appended raw, where Java would print an identity such as
// "[B@1b6d3586". Other Go types print with their String method or fmt.
func appendToString(b []byte, v any, depth int) ([]byte, error) {
	if depth > maxDepth {
		return b, errTooDeep
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
		return appendFloat(b, x), nil
	case float64:
		return appendDouble(b, x), nil
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ", "...)
			}
			var err error
			if b, err = appendToString(b, e, depth+1); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case map[string]any:
		es := make([]mapEntry, 0, len(x))
		for k, val := range x {
			es = append(es, mapEntry{key: k, val: val, text: k})
		}
		return appendMapToString(b, es, depth)
	case map[any]any:
		es := make([]mapEntry, 0, len(x))
		for k, val := range x {
			kb, err := appendToString(nil, k, depth+1)
			if err != nil {
				return b, err
			}
			es = append(es, mapEntry{key: k, val: val, text: string(kb)})
		}
		return appendMapToString(b, es, depth)
	case fmt.Stringer:
		return append(b, x.String()...), nil
	}
	return fmt.Append(b, v), nil
}

func appendMapToString(b []byte, es []mapEntry, depth int) ([]byte, error) {
	sortJavaHashOrder(es)
	b = append(b, '{')
	for i, e := range es {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, e.text...)
		b = append(b, '=')
		var err error
		if b, err = appendToString(b, e.val, depth+1); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}
