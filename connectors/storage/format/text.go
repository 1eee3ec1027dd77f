package format

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/converters"
)

// lineSeparator is Java's System.lineSeparator() on the platforms Connect
// runs on.
const lineSeparator = "\n"

// JSON writes one JSON value per line, as Confluent's JsonFormat (HDFS and
// S3): each value as Kafka's JsonConverter with schemas.enable=false
// writes it.
type JSON struct {
	conv *converters.JsonConverter
}

// NewJSON returns the JSON format. decimalFormat is JsonConverter's
// decimal.format, "BASE64" (the default when empty) or "NUMERIC".
func NewJSON(decimalFormat string) (*JSON, error) {
	cfg := map[string]string{connectors.ConverterTypeKey: "value", converters.KeySchemasEnable: "false"}
	if decimalFormat != "" {
		cfg[converters.KeyDecimalFormat] = decimalFormat
	}
	conv, err := converters.NewJsonConverter(cfg)
	if err != nil {
		return nil, fmt.Errorf("json format: %w", err)
	}
	return &JSON{conv: conv}, nil
}

// Extension returns ".json".
func (*JSON) Extension() string { return ".json" }

// NewWriter returns a Writer of a JSON file.
func (f *JSON) NewWriter(w io.Writer) (Writer, error) {
	return &lineWriter{out: bufio.NewWriter(w), sep: []byte(lineSeparator), encode: f.encode}, nil
}

// encode writes a null value as the JSON null that Confluent's Jackson
// writer prints for it.
func (f *JSON) encode(r connectors.SinkRecord) ([]byte, error) {
	if r.Value.Value == nil {
		return []byte("null"), nil
	}
	b, err := f.conv.FromConnect(context.Background(), r.Topic, r.Headers, r.Value)
	if err != nil {
		return nil, fmt.Errorf("json format: record at offset %d: %w", r.Offset, err)
	}
	return b, nil
}

// String writes each value, which must be a string, on a line of its own,
// as Confluent's HDFS StringFormat.
type String struct{}

// Extension returns ".txt".
func (String) Extension() string { return ".txt" }

// NewWriter returns a Writer of a text file.
func (String) NewWriter(w io.Writer) (Writer, error) {
	return &lineWriter{out: bufio.NewWriter(w), sep: []byte(lineSeparator), encode: encodeString}, nil
}

func encodeString(r connectors.SinkRecord) ([]byte, error) {
	s, ok := r.Value.Value.(string)
	if !ok {
		// Java's StringRecordWriter casts the value to String.
		return nil, fmt.Errorf("string format: record at offset %d: value of Go type %T is not a string", r.Offset, r.Value.Value)
	}
	return connectors.AppendJavaUTF8(nil, s), nil
}

// ByteArray writes each value's bytes followed by a separator, as
// Confluent's S3 ByteArrayFormat.
type ByteArray struct {
	Ext       string // with its dot; empty means ".bin"
	Separator []byte // written after every record
}

// Extension returns the configured extension, ".bin" by default.
func (f ByteArray) Extension() string {
	if f.Ext == "" {
		return ".bin"
	}
	return f.Ext
}

// NewWriter returns a Writer of a byte-array file.
func (f ByteArray) NewWriter(w io.Writer) (Writer, error) {
	return &lineWriter{out: bufio.NewWriter(w), sep: f.Separator, encode: encodeBytes}, nil
}

var bytesConverter = &converters.ByteArrayConverter{}

func encodeBytes(r connectors.SinkRecord) ([]byte, error) {
	if r.Value.Value == nil {
		return nil, fmt.Errorf("bytearray format: record at offset %d: null value", r.Offset)
	}
	b, err := bytesConverter.FromConnect(context.Background(), r.Topic, r.Headers, r.Value)
	if err != nil {
		return nil, fmt.Errorf("bytearray format: record at offset %d: %w", r.Offset, err)
	}
	return b, nil
}

// lineWriter writes one encoded value and a separator per record.
type lineWriter struct {
	out    *bufio.Writer
	sep    []byte
	guard  schemaGuard
	encode func(connectors.SinkRecord) ([]byte, error)
}

func (w *lineWriter) Write(r connectors.SinkRecord) error {
	if _, err := w.guard.check(r.Value.Schema); err != nil {
		return err
	}
	b, err := w.encode(r)
	if err != nil {
		return err
	}
	if _, err := w.out.Write(b); err != nil {
		return err
	}
	_, err = w.out.Write(w.sep)
	return err
}

func (w *lineWriter) Close() error {
	return w.out.Flush()
}

// unescapeJava resolves the escapes of a Java string literal, as Apache
// Commons Text's StringEscapeUtils.unescapeJava, which Confluent applies
// to format.bytearray.separator: \n, \t, \\, octal \0 to \377, \uXXXX ...
func unescapeJava(s string) (string, error) {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i+1 == len(s) {
			break // Commons Text drops a trailing backslash
		}
		i++
		switch c = s[i]; c {
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case '\\', '\'', '"':
			out = append(out, c)
		case 'u':
			for i+1 < len(s) && s[i+1] == 'u' {
				i++
			}
			if i+5 > len(s) {
				return "", errors.New(`less than 4 hex digits in unicode value: \u` + s[i+1:])
			}
			var r rune
			for _, h := range s[i+1 : i+5] {
				d, ok := hexDigit(h)
				if !ok {
					return "", fmt.Errorf(`unable to parse unicode value: \u%s`, s[i+1:i+5])
				}
				r = r<<4 | d
			}
			out = fmt.Appendf(out, "%c", r)
			i += 4
		case '0', '1', '2', '3', '4', '5', '6', '7':
			// Up to three octal digits, at most \377.
			n := rune(c - '0')
			for k := 0; k < 2 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '7' && (k == 0 || c <= '3'); k++ {
				i++
				n = n<<3 | rune(s[i]-'0')
			}
			out = fmt.Appendf(out, "%c", n)
		default:
			// Commons Text drops the backslash of an unknown escape.
			out = append(out, c)
		}
	}
	return string(out), nil
}

func hexDigit(h rune) (rune, bool) {
	switch {
	case h >= '0' && h <= '9':
		return h - '0', true
	case h >= 'a' && h <= 'f':
		return h - 'a' + 10, true
	case h >= 'A' && h <= 'F':
		return h - 'A' + 10, true
	}
	return 0, false
}
