package converters

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// DataError is a failed conversion, Kafka's DataException. Msg is the text
// Kafka's converter uses, so operators can search for it; Err is the cause,
// if any. With an empty Msg, Err is an error of the connectors data model
// whose text already is Kafka's message, and Error prints it alone. The
// runtime adds the topic and partition when it reports one.
type DataError struct {
	Msg string
	Err error
}

func (e *DataError) Error() string {
	if e.Msg == "" && e.Err != nil {
		return e.Err.Error() // a data-model error carrying Kafka's message
	}
	if e.Err == nil {
		return e.Msg
	}
	// Kafka ends some messages with ": " and prints the cause after them.
	if strings.HasSuffix(e.Msg, ": ") {
		return e.Msg + e.Err.Error()
	}
	return e.Msg + ": " + e.Err.Error()
}

func (e *DataError) Unwrap() error { return e.Err }

// ErrUnsupported is wrapped by a *DataError when a value needs part of the
// Connect data model this package does not implement yet: a JSON map whose
// keys read back as values a Go map cannot hold (arrays, maps, bytes).
var ErrUnsupported = errors.New("not supported yet")

func dataErrorf(format string, args ...any) *DataError {
	return &DataError{Msg: fmt.Sprintf(format, args...)}
}

func unsupported(what string) *DataError {
	return &DataError{Msg: what, Err: ErrUnsupported}
}

// modelError turns an error of the connectors data model (a bad Decimal
// scale, a Date with a time of day, ...) into a *DataError printing the
// same Kafka message; errors.Is still matches connectors.ErrInvalidData.
func modelError(err error) *DataError {
	if de, ok := err.(*DataError); ok {
		return de
	}
	return &DataError{Err: err}
}

// maxDepth bounds recursion into nested values and schemas so that a value
// that contains itself fails instead of exhausting the stack. It matches
// Jackson's default nesting limit.
const maxDepth = 1000

var errTooDeep = dataErrorf("value nested deeper than %d levels", maxDepth)

// javaClass names the Java class Kafka would hold for v, as Kafka's error
// messages print it ("class java.lang.Long"). Go types with no Java
// counterpart are named as Go types.
func javaClass(v any) string {
	switch v.(type) {
	case int8:
		return "class java.lang.Byte"
	case int16:
		return "class java.lang.Short"
	case int32:
		return "class java.lang.Integer"
	case int64:
		return "class java.lang.Long"
	case float32:
		return "class java.lang.Float"
	case float64:
		return "class java.lang.Double"
	case bool:
		return "class java.lang.Boolean"
	case string:
		return "class java.lang.String"
	case []byte:
		return "class [B"
	case []any:
		return "class java.util.ArrayList"
	case map[any]any, map[string]any:
		return "class java.util.HashMap"
	case *connectors.StructValue:
		return "class org.apache.kafka.connect.data.Struct"
	case connectors.Decimal:
		return "class java.math.BigDecimal"
	case time.Time:
		return "class java.util.Date"
	}
	return fmt.Sprintf("Go type %T", v)
}

// typeName is the Java enum name of a schema type ("INT32", "FLOAT64"), as
// Kafka's messages print it.
func typeName(t connectors.Type) string {
	switch t {
	case connectors.Int8:
		return "INT8"
	case connectors.Int16:
		return "INT16"
	case connectors.Int32:
		return "INT32"
	case connectors.Int64:
		return "INT64"
	case connectors.Float32:
		return "FLOAT32"
	case connectors.Float64:
		return "FLOAT64"
	case connectors.Boolean:
		return "BOOLEAN"
	case connectors.String:
		return "STRING"
	case connectors.Bytes:
		return "BYTES"
	case connectors.Array:
		return "ARRAY"
	case connectors.Map:
		return "MAP"
	case connectors.Struct:
		return "STRUCT"
	}
	return strings.ToUpper(string(t))
}
