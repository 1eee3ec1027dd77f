package offsets

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// maxDepth bounds nesting so a self-referencing map handed to Set is an
// error instead of a stack overflow. encoding/json uses the same limit.
const maxDepth = 10000

// errTooDeep carries no path: for a cycle it would be maxDepth segments long.
var errTooDeep = fmt.Errorf("nested more than %d levels deep", maxDepth)

// The normalized form of a value holds only Kafka's schemaless JSON types:
// nil, bool, string, int64, float64, map[string]any and []any. Stored
// partitions and offsets are always normalized, never shared with a caller,
// and never mutated once stored, so snapshots can share them.

// normalizeMap deep-copies m into normalized form. A nil map becomes an
// empty one: Go code rarely distinguishes the two and the file cannot.
func normalizeMap(m map[string]any) (map[string]any, error) {
	out, err := normalize(reflect.ValueOf(m), 0)
	if err != nil {
		return nil, err
	}
	if out == nil {
		return map[string]any{}, nil
	}
	return out.(map[string]any), nil
}

var (
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// normalize converts v the way encoding/json would encode it, except that
// floating-point values stay floating-point even when integral: Kafka reads
// 1.0 back as a Double, not a Long.
func normalize(v reflect.Value, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errTooDeep
	}
	if !v.IsValid() {
		return nil, nil
	}
	// Fast paths for what connectors and Decode produce.
	if v.CanInterface() {
		switch x := v.Interface().(type) {
		case nil:
			return nil, nil
		case string:
			return x, nil
		case bool:
			return x, nil
		case int64:
			return x, nil
		case float64:
			return checkFloat(x)
		case json.Number:
			return parseNumber(string(x))
		}
	}
	t := v.Type()
	if t.Kind() != reflect.Interface && t.Kind() != reflect.Pointer &&
		(t.Implements(jsonMarshalerType) || t.Implements(textMarshalerType)) {
		return viaJSON(v)
	}
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return nil, nil
		}
		if v.Kind() == reflect.Pointer && (t.Implements(jsonMarshalerType) || t.Implements(textMarshalerType)) {
			return viaJSON(v)
		}
		return normalize(v.Elem(), depth+1)
	case reflect.Bool:
		return v.Bool(), nil
	case reflect.String:
		return v.String(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := v.Uint()
		if u > math.MaxInt64 {
			return nil, fmt.Errorf("integer %d does not fit in a signed 64-bit integer", u)
		}
		return int64(u), nil
	case reflect.Float32:
		// Via the shortest float32 text, so float32(0.1) is stored as 0.1
		// and not as 0.10000000149011612.
		f, _ := strconv.ParseFloat(strconv.FormatFloat(v.Float(), 'g', -1, 32), 64)
		return checkFloat(f)
	case reflect.Float64:
		return checkFloat(v.Float())
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("unsupported map key type %s: keys must be strings", t.Key())
		}
		if v.IsNil() {
			return nil, nil
		}
		out := make(map[string]any, v.Len())
		it := v.MapRange()
		for it.Next() {
			k := it.Key().String()
			nv, err := normalize(it.Value(), depth+1)
			if err == errTooDeep {
				return nil, err
			}
			if err != nil {
				return nil, atPath(keyPath(k), err)
			}
			out[k] = nv
		}
		return out, nil
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil, nil
		}
		if t.Elem().Kind() == reflect.Uint8 && v.Kind() == reflect.Slice {
			// encoding/json, and Kafka's JsonConverter, write bytes as base64.
			return base64.StdEncoding.EncodeToString(v.Bytes()), nil
		}
		out := make([]any, v.Len())
		for i := range out {
			nv, err := normalize(v.Index(i), depth+1)
			if err == errTooDeep {
				return nil, err
			}
			if err != nil {
				return nil, atPath("["+strconv.Itoa(i)+"]", err)
			}
			out[i] = nv
		}
		return out, nil
	case reflect.Struct:
		return viaJSON(v)
	}
	return nil, fmt.Errorf("unsupported type %s", t)
}

// viaJSON normalizes a value that knows its own JSON form (a struct, a
// json.Marshaler) by encoding and decoding it.
func viaJSON(v reflect.Value) (any, error) {
	if !v.CanInterface() {
		return nil, fmt.Errorf("unsupported unexported value of type %s", v.Type())
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return nil, fmt.Errorf("encode %s as JSON: %w", v.Type(), err)
	}
	return decodeValue(b)
}

func checkFloat(f float64) (any, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("%v has no JSON representation", f)
	}
	return f, nil
}

// parseNumber reads a JSON number literal the way Kafka's schemaless
// JsonConverter does: integral literals are int64, the rest float64.
// Integers beyond int64 are rejected rather than silently rounded.
func parseNumber(lit string) (any, error) {
	if strings.ContainsAny(lit, ".eE") {
		f, err := strconv.ParseFloat(lit, 64)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				return nil, fmt.Errorf("number %s is out of the float64 range", lit)
			}
			return nil, fmt.Errorf("invalid number %q", lit)
		}
		return checkFloat(f)
	}
	n, err := strconv.ParseInt(lit, 10, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return nil, fmt.Errorf("integer %s does not fit in a signed 64-bit integer", lit)
		}
		return nil, fmt.Errorf("invalid number %q", lit)
	}
	return n, nil
}

// decodeValue parses one JSON value into normalized form.
func decodeValue(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return fromJSON(v)
}

// fromJSON converts what encoding/json decoded with UseNumber into
// normalized form, in place.
func fromJSON(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		return parseNumber(string(x))
	case map[string]any:
		for k, e := range x {
			n, err := fromJSON(e)
			if err != nil {
				return nil, atPath(keyPath(k), err)
			}
			x[k] = n
		}
	case []any:
		for i, e := range x {
			n, err := fromJSON(e)
			if err != nil {
				return nil, atPath("["+strconv.Itoa(i)+"]", err)
			}
			x[i] = n
		}
	}
	return v, nil
}

// pathError locates a problem inside a nested value, such as
// offset["files"][2]: NaN has no JSON representation.
type pathError struct {
	path string
	err  error
}

func (e *pathError) Error() string { return e.path + ": " + e.err.Error() }
func (e *pathError) Unwrap() error { return e.err }

// atPath prefixes err's location with seg.
func atPath(seg string, err error) error {
	if pe, ok := err.(*pathError); ok {
		return &pathError{path: seg + pe.path, err: pe.err}
	}
	return &pathError{path: seg, err: err}
}

// keyPath renders a map key for an error message.
func keyPath(k string) string {
	return "[" + strconv.Quote(k) + "]"
}

// copyValue deep-copies a normalized value so callers may mutate what Get
// and All return.
func copyValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return copyMap(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = copyValue(e)
		}
		return out
	}
	return v
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, e := range m {
		out[k] = copyValue(e)
	}
	return out
}

// valueWriter writes normalized values as single-line JSON with a space
// after every colon and comma, the form both the file and the partition
// keys use. Object keys are sorted, so equal values give equal bytes.
type valueWriter struct {
	buf bytes.Buffer
	str *json.Encoder // for strings only: HTML escaping off keeps "<" readable
}

func newValueWriter() *valueWriter {
	w := &valueWriter{}
	w.str = json.NewEncoder(&w.buf)
	w.str.SetEscapeHTML(false)
	return w
}

func (w *valueWriter) string(s string) {
	_ = w.str.Encode(s) // cannot fail for a string written to a bytes.Buffer
	w.buf.Truncate(w.buf.Len() - 1)
}

func (w *valueWriter) value(v any) error {
	switch x := v.(type) {
	case nil:
		w.buf.WriteString("null")
	case bool:
		w.buf.WriteString(strconv.FormatBool(x))
	case string:
		w.string(x)
	case int64:
		w.buf.Write(strconv.AppendInt(w.buf.AvailableBuffer(), x, 10))
	case float64:
		w.buf.Write(appendFloat(w.buf.AvailableBuffer(), x))
	case map[string]any:
		w.buf.WriteByte('{')
		for i, k := range slices.Sorted(maps.Keys(x)) {
			if i > 0 {
				w.buf.WriteString(", ")
			}
			w.string(k)
			w.buf.WriteString(": ")
			if err := w.value(x[k]); err != nil {
				return err
			}
		}
		w.buf.WriteByte('}')
	case []any:
		w.buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				w.buf.WriteString(", ")
			}
			if err := w.value(e); err != nil {
				return err
			}
		}
		w.buf.WriteByte(']')
	default:
		// Unreachable for normalized values; an error beats a corrupt file.
		return fmt.Errorf("cannot encode value of type %T", v)
	}
	return nil
}

// appendFloat writes f as encoding/json would, plus a ".0" when that text
// would otherwise read back as an integer.
func appendFloat(b []byte, f float64) []byte {
	start := len(b)
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// 1e-07 → 1e-7, as encoding/json does.
		n := len(b)
		if n-start >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	if !bytes.ContainsAny(b[start:], ".eE") {
		b = append(b, ".0"...)
	}
	return b
}
