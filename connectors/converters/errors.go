package converters

import (
	"errors"
	"fmt"
	"strings"

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

// javaClass names the Java class Kafka would hold for v as Kafka's
// converter messages print it ("class java.lang.Long"); a Go type with no
// Java counterpart is named as such.
func javaClass(v any) string {
	name := connectors.JavaClassName(v)
	if strings.HasPrefix(name, "Go type") {
		return name
	}
	return "class " + name
}
