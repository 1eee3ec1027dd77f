package converters

import (
	"context"
	"fmt"
	"unicode/utf8"
	"unsafe"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Class names of the built-in converters.
const (
	ClassStringConverter       = "org.apache.kafka.connect.storage.StringConverter"
	ClassByteArrayConverter    = "org.apache.kafka.connect.converters.ByteArrayConverter"
	ClassJsonConverter         = "org.apache.kafka.connect.json.JsonConverter"
	ClassSimpleHeaderConverter = "org.apache.kafka.connect.storage.SimpleHeaderConverter"
)

// KeyEncoding is StringConverter's "converter.encoding": the Java charset
// name used in both directions.
const KeyEncoding = "converter.encoding"

// converterTypeKey declares connectors.ConverterTypeKey as Kafka's
// ConverterConfig does: required, and one of key, value or header.
var converterTypeKey = config.Key{
	Name:     connectors.ConverterTypeKey,
	Type:     config.String,
	Required: true,
	Validate: func(v any) error {
		switch v {
		case "key", "value", "header":
			return nil
		}
		return fmt.Errorf("String must be one of: key, value, header")
	},
	Importance: config.Low,
	Doc:        "Whether this converter handles keys, values or headers: set by the worker, not by users.",
}

var stringDef = &config.Def{Keys: []config.Key{
	converterTypeKey,
	{
		Name:       KeyEncoding,
		Type:       config.String,
		Default:    "UTF-8",
		Validate:   validCharset,
		Importance: config.High,
		Doc:        "Java name of the character set strings are encoded in and decoded from. Supported: " + supportedCharsets + " and their Java aliases.",
	},
}}

func validCharset(v any) error {
	if s, ok := v.(string); ok && lookupCharset(s) == charsetNotFound {
		return fmt.Errorf("Unsupported encoding %s (supported: %s)", s, supportedCharsets)
	}
	return nil
}

// StringConverter is Kafka's StringConverter: it writes a value's string
// form in the configured charset and reads bytes back as an optional
// string. It is immutable and safe for concurrent use.
type StringConverter struct {
	enc, dec charset
}

// NewStringConverter builds a StringConverter from its config. As Kafka's
// StringSerializer does, "key.serializer.encoding" or
// "value.serializer.encoding" (by converter.type) overrides
// converter.encoding for writing, and the matching ".deserializer." key for
// reading.
func NewStringConverter(cfg map[string]string) (*StringConverter, error) {
	vals, err := stringDef.Parse(cfg)
	if err != nil {
		return nil, fmt.Errorf("configure StringConverter: %w", err)
	}
	name := vals.String(KeyEncoding)
	side := "value."
	if vals.String(connectors.ConverterTypeKey) == "key" {
		side = "key."
	}
	c := &StringConverter{}
	for _, x := range []struct {
		key string
		cs  *charset
	}{{side + "serializer.encoding", &c.enc}, {side + "deserializer.encoding", &c.dec}} {
		n := name
		if o, ok := cfg[x.key]; ok {
			n = o
		}
		if *x.cs = lookupCharset(n); *x.cs == charsetNotFound {
			return nil, fmt.Errorf("configure StringConverter: %w", &config.KeyError{
				Key: x.key, Err: fmt.Errorf("%w %q: Unsupported encoding %s", config.ErrInvalid, n, n)})
		}
	}
	return c, nil
}

// FromConnect returns the value's string form (Java's toString) in the
// configured charset, ignoring the schema; a nil value gives nil bytes. A
// UTF-8 string costs one copy. A []byte value is returned as is, where Java
// would write the array's identity ("[B@1b6d3586").
func (c *StringConverter) FromConnect(_ context.Context, _ string, _ connectors.Headers, v connectors.SchemaAndValue) ([]byte, error) {
	if s, ok := v.Value.(string); ok {
		if c.enc == charsetUTF8 && utf8.ValidString(s) {
			if s == "" {
				return []byte{}, nil // empty, not null
			}
			// The bytes alias the string, sparing a copy per record on the
			// hottest path; Converter's contract makes them read-only.
			return unsafe.Slice(unsafe.StringData(s), len(s)), nil
		}
		return c.enc.encode(s), nil
	}
	if v.Value == nil {
		return nil, nil
	}
	if b, ok := v.Value.([]byte); ok {
		return b, nil
	}
	s, err := connectors.JavaString(v.Value)
	if err != nil {
		return nil, &DataError{Msg: "Failed to serialize to a string: ", Err: err}
	}
	return c.enc.encode(s), nil
}

// ToConnect reads b in the configured charset as an optional string; nil
// bytes give a nil value. Malformed input becomes U+FFFD, as in Java.
//
// Valid UTF-8 read as UTF-8 is not copied: the string shares b's memory,
// sparing a copy per record on the sink path. That is safe because the
// Converter contract lets ToConnect keep b and forbids the caller to modify
// it afterwards; the runtime hands over the bytes of a consumed record,
// which sarama decodes into slices of a fetch response no one writes to
// again. The string keeps that response alive for as long as it is held.
func (c *StringConverter) ToConnect(_ context.Context, _ string, _ connectors.Headers, b []byte) (connectors.SchemaAndValue, error) {
	if b == nil {
		return connectors.SchemaAndValue{Schema: connectors.OptionalStringSchema}, nil
	}
	if c.dec == charsetUTF8 && utf8.Valid(b) {
		return connectors.SchemaAndValue{Schema: connectors.OptionalStringSchema, Value: unsafe.String(unsafe.SliceData(b), len(b))}, nil
	}
	return connectors.SchemaAndValue{Schema: connectors.OptionalStringSchema, Value: c.dec.decode(b)}, nil
}

// FromConnectHeader is FromConnect for one header value.
func (c *StringConverter) FromConnectHeader(ctx context.Context, topic, _ string, v connectors.SchemaAndValue) ([]byte, error) {
	return c.FromConnect(ctx, topic, nil, v)
}

// ToConnectHeader is ToConnect for one header value.
func (c *StringConverter) ToConnectHeader(ctx context.Context, topic, _ string, b []byte) (connectors.SchemaAndValue, error) {
	return c.ToConnect(ctx, topic, nil, b)
}
