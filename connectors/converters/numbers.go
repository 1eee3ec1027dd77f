package converters

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Class names of Kafka's primitive converters.
const (
	ClassShortConverter   = "org.apache.kafka.connect.converters.ShortConverter"
	ClassIntegerConverter = "org.apache.kafka.connect.converters.IntegerConverter"
	ClassLongConverter    = "org.apache.kafka.connect.converters.LongConverter"
	ClassFloatConverter   = "org.apache.kafka.connect.converters.FloatConverter"
	ClassDoubleConverter  = "org.apache.kafka.connect.converters.DoubleConverter"
	ClassBooleanConverter = "org.apache.kafka.connect.converters.BooleanConverter"
)

// numberDef is Kafka's NumberConverterConfig, shared by the five number
// converters as in Kafka; booleanDef is BooleanConverterConfig. Both only
// carry converter.type.
var (
	numberDef  = &config.Def{Keys: []config.Key{converterTypeKey}}
	booleanDef = &config.Def{Keys: []config.Key{converterTypeKey}}
)

// numeric is the Go type a number converter reads and writes.
type numeric interface {
	int16 | int32 | int64 | float32 | float64
}

// numberFormat describes one of Kafka's number serializer pairs.
type numberFormat[T numeric] struct {
	class     string             // the converter's simple class name
	typeName  string             // "integer", as in "Failed to serialize to integer"
	javaClass string             // the boxed Java class the serializer casts to
	schema    *connectors.Schema // what ToConnect returns
	size      int                // bytes on the wire
	sizeErr   error              // the deserializer's wrong-length message
	put       func([]byte, T)
	get       func([]byte) T
}

// sizeError is the message of the SerializationException Kafka's
// deserializers throw for a wrong length. Kafka's Float and Double
// deserializers name themselves just "Deserializer" in it; that quirk is
// kept so the text matches.
func sizeError(deserializer string, size int) error {
	return fmt.Errorf("Size of data received by %s is not %d", deserializer, size)
}

var (
	shortFormat = &numberFormat[int16]{
		class: "ShortConverter", typeName: "short", javaClass: "class java.lang.Short",
		schema: connectors.OptionalInt16Schema, size: 2, sizeErr: sizeError("ShortDeserializer", 2),
		put: func(b []byte, v int16) { binary.BigEndian.PutUint16(b, uint16(v)) },
		get: func(b []byte) int16 { return int16(binary.BigEndian.Uint16(b)) },
	}
	integerFormat = &numberFormat[int32]{
		class: "IntegerConverter", typeName: "integer", javaClass: "class java.lang.Integer",
		schema: connectors.OptionalInt32Schema, size: 4, sizeErr: sizeError("IntegerDeserializer", 4),
		put: func(b []byte, v int32) { binary.BigEndian.PutUint32(b, uint32(v)) },
		get: func(b []byte) int32 { return int32(binary.BigEndian.Uint32(b)) },
	}
	longFormat = &numberFormat[int64]{
		class: "LongConverter", typeName: "long", javaClass: "class java.lang.Long",
		schema: connectors.OptionalInt64Schema, size: 8, sizeErr: sizeError("LongDeserializer", 8),
		put: func(b []byte, v int64) { binary.BigEndian.PutUint64(b, uint64(v)) },
		get: func(b []byte) int64 { return int64(binary.BigEndian.Uint64(b)) },
	}
	// Floats travel as their raw IEEE-754 bits (Java's floatToRawIntBits),
	// so NaN payloads survive both ways.
	floatFormat = &numberFormat[float32]{
		class: "FloatConverter", typeName: "float", javaClass: "class java.lang.Float",
		schema: connectors.OptionalFloat32Schema, size: 4, sizeErr: sizeError("Deserializer", 4),
		put: func(b []byte, v float32) { binary.BigEndian.PutUint32(b, math.Float32bits(v)) },
		get: func(b []byte) float32 { return math.Float32frombits(binary.BigEndian.Uint32(b)) },
	}
	doubleFormat = &numberFormat[float64]{
		class: "DoubleConverter", typeName: "double", javaClass: "class java.lang.Double",
		schema: connectors.OptionalFloat64Schema, size: 8, sizeErr: sizeError("Deserializer", 8),
		put: func(b []byte, v float64) { binary.BigEndian.PutUint64(b, math.Float64bits(v)) },
		get: func(b []byte) float64 { return math.Float64frombits(binary.BigEndian.Uint64(b)) },
	}
)

// numberConverter holds the behaviour the five number converters share, as
// Kafka's NumberConverter does.
//
// Writing accepts exactly one Go type, the one Connect's data model maps the
// converter's Java class to (int16 for Short, int32 for Integer, int64 for
// Long, float32 for Float, float64 for Double), because Kafka's serializers
// cast to exactly one boxed class: an IntegerConverter rejects an Integer's
// neighbours (Long, Short) just as it rejects a String. Any other value,
// including Go's int, fails with Kafka's "Failed to serialize to <type>
// (was <class>): " message, the class named as javaClass names it, and a
// cause worded like Java's ClassCastException. The schema is ignored.
type numberConverter[T numeric] struct {
	f *numberFormat[T]
}

// FromConnect writes v's value big-endian in the converter's width; a nil
// value gives nil bytes.
func (c numberConverter[T]) FromConnect(_ context.Context, _ string, _ connectors.Headers, v connectors.SchemaAndValue) ([]byte, error) {
	if v.Value == nil {
		return nil, nil
	}
	x, ok := v.Value.(T)
	if !ok {
		was := javaClass(v.Value)
		return nil, &DataError{
			Msg: fmt.Sprintf("Failed to serialize to %s (was %s): ", c.f.typeName, was),
			Err: fmt.Errorf("%s cannot be cast to %s", was, c.f.javaClass),
		}
	}
	b := make([]byte, c.f.size)
	c.f.put(b, x)
	return b, nil
}

// ToConnect reads b as a big-endian number with the converter's optional
// schema; nil bytes give a nil value. Any other length than the
// converter's width fails with Kafka's "Failed to deserialize <type>: "
// message wrapping the deserializer's size message.
func (c numberConverter[T]) ToConnect(_ context.Context, _ string, _ connectors.Headers, b []byte) (connectors.SchemaAndValue, error) {
	if b == nil {
		return connectors.SchemaAndValue{Schema: c.f.schema}, nil
	}
	if len(b) != c.f.size {
		return connectors.SchemaAndValue{}, &DataError{Msg: "Failed to deserialize " + c.f.typeName + ": ", Err: c.f.sizeErr}
	}
	return connectors.SchemaAndValue{Schema: c.f.schema, Value: c.f.get(b)}, nil
}

// FromConnectHeader is FromConnect for one header value.
func (c numberConverter[T]) FromConnectHeader(ctx context.Context, topic, _ string, v connectors.SchemaAndValue) ([]byte, error) {
	return c.FromConnect(ctx, topic, nil, v)
}

// ToConnectHeader is ToConnect for one header value.
func (c numberConverter[T]) ToConnectHeader(ctx context.Context, topic, _ string, b []byte) (connectors.SchemaAndValue, error) {
	return c.ToConnect(ctx, topic, nil, b)
}

func newNumber[T numeric](f *numberFormat[T], cfg map[string]string) (numberConverter[T], error) {
	if _, err := numberDef.Parse(cfg); err != nil {
		return numberConverter[T]{}, fmt.Errorf("configure %s: %w", f.class, err)
	}
	return numberConverter[T]{f: f}, nil
}

// ShortConverter is Kafka's ShortConverter: an int16 as 2 bytes
// big-endian, read back with an optional INT16 schema. It writes int16
// values only. It is immutable and safe for concurrent use.
type ShortConverter struct{ numberConverter[int16] }

// NewShortConverter builds a ShortConverter; the config only carries
// converter.type.
func NewShortConverter(cfg map[string]string) (*ShortConverter, error) {
	n, err := newNumber(shortFormat, cfg)
	if err != nil {
		return nil, err
	}
	return &ShortConverter{n}, nil
}

// IntegerConverter is Kafka's IntegerConverter: an int32 as 4 bytes
// big-endian, read back with an optional INT32 schema. It writes int32
// values only. It is immutable and safe for concurrent use.
type IntegerConverter struct{ numberConverter[int32] }

// NewIntegerConverter builds an IntegerConverter; the config only carries
// converter.type.
func NewIntegerConverter(cfg map[string]string) (*IntegerConverter, error) {
	n, err := newNumber(integerFormat, cfg)
	if err != nil {
		return nil, err
	}
	return &IntegerConverter{n}, nil
}

// LongConverter is Kafka's LongConverter: an int64 as 8 bytes big-endian,
// read back with an optional INT64 schema. It writes int64 values only. It
// is immutable and safe for concurrent use.
type LongConverter struct{ numberConverter[int64] }

// NewLongConverter builds a LongConverter; the config only carries
// converter.type.
func NewLongConverter(cfg map[string]string) (*LongConverter, error) {
	n, err := newNumber(longFormat, cfg)
	if err != nil {
		return nil, err
	}
	return &LongConverter{n}, nil
}

// FloatConverter is Kafka's FloatConverter: a float32's raw IEEE-754 bits
// as 4 bytes big-endian, read back with an optional FLOAT32 schema. It
// writes float32 values only. It is immutable and safe for concurrent use.
type FloatConverter struct{ numberConverter[float32] }

// NewFloatConverter builds a FloatConverter; the config only carries
// converter.type.
func NewFloatConverter(cfg map[string]string) (*FloatConverter, error) {
	n, err := newNumber(floatFormat, cfg)
	if err != nil {
		return nil, err
	}
	return &FloatConverter{n}, nil
}

// DoubleConverter is Kafka's DoubleConverter: a float64's raw IEEE-754
// bits as 8 bytes big-endian, read back with an optional FLOAT64 schema. It
// writes float64 values only. It is immutable and safe for concurrent use.
type DoubleConverter struct{ numberConverter[float64] }

// NewDoubleConverter builds a DoubleConverter; the config only carries
// converter.type.
func NewDoubleConverter(cfg map[string]string) (*DoubleConverter, error) {
	n, err := newNumber(doubleFormat, cfg)
	if err != nil {
		return nil, err
	}
	return &DoubleConverter{n}, nil
}

// errBooleanSize is Kafka's BooleanDeserializer message for a wrong length.
var errBooleanSize = errors.New("Size of data received by BooleanDeserializer is not 1")

// BooleanConverter is Kafka's BooleanConverter: a bool as one byte, 0x01
// for true and 0x00 for false, read back with an optional BOOLEAN schema.
// It is stateless and safe for concurrent use.
type BooleanConverter struct{}

// NewBooleanConverter builds a BooleanConverter; the config only carries
// converter.type.
func NewBooleanConverter(cfg map[string]string) (*BooleanConverter, error) {
	if _, err := booleanDef.Parse(cfg); err != nil {
		return nil, fmt.Errorf("configure BooleanConverter: %w", err)
	}
	return &BooleanConverter{}, nil
}

// FromConnect writes a bool as one byte; a nil value gives nil bytes. Unlike
// the number converters it checks the schema: it must be nil or BOOLEAN.
// The value must be nil or a Go bool, the only type Kafka's
// BooleanSerializer takes.
func (*BooleanConverter) FromConnect(_ context.Context, _ string, _ connectors.Headers, v connectors.SchemaAndValue) ([]byte, error) {
	if v.Schema != nil && v.Schema.Type != connectors.Boolean {
		return nil, dataErrorf("Invalid schema type for BooleanConverter: %s", v.Schema.Type.EnumName())
	}
	switch x := v.Value.(type) {
	case nil:
		return nil, nil
	case bool:
		if x {
			return []byte{1}, nil
		}
		return []byte{0}, nil
	}
	return nil, dataErrorf("BooleanConverter is not compatible with objects of type %s", javaClass(v.Value))
}

// ToConnect reads one byte, 0x01 or 0x00, as an optional BOOLEAN; nil bytes
// give a nil value. Other lengths and bytes fail with Kafka's messages; a
// byte is printed signed, as Java prints it (0xFF is -1).
func (*BooleanConverter) ToConnect(_ context.Context, _ string, _ connectors.Headers, b []byte) (connectors.SchemaAndValue, error) {
	if b == nil {
		return connectors.SchemaAndValue{Schema: connectors.OptionalBooleanSchema}, nil
	}
	const msg = "Failed to deserialize boolean: "
	if len(b) != 1 {
		return connectors.SchemaAndValue{}, &DataError{Msg: msg, Err: errBooleanSize}
	}
	switch b[0] {
	case 1:
		return connectors.SchemaAndValue{Schema: connectors.OptionalBooleanSchema, Value: true}, nil
	case 0:
		return connectors.SchemaAndValue{Schema: connectors.OptionalBooleanSchema, Value: false}, nil
	}
	return connectors.SchemaAndValue{}, &DataError{Msg: msg, Err: fmt.Errorf("Unexpected byte received by BooleanDeserializer: %d", int8(b[0]))}
}

// FromConnectHeader is FromConnect for one header value.
func (c *BooleanConverter) FromConnectHeader(ctx context.Context, topic, _ string, v connectors.SchemaAndValue) ([]byte, error) {
	return c.FromConnect(ctx, topic, nil, v)
}

// ToConnectHeader is ToConnect for one header value.
func (c *BooleanConverter) ToConnectHeader(ctx context.Context, topic, _ string, b []byte) (connectors.SchemaAndValue, error) {
	return c.ToConnect(ctx, topic, nil, b)
}

// primitivePlugins registers each number converter and BooleanConverter
// both as a converter and as a header converter, as Kafka's classes
// implement both interfaces.
func primitivePlugins() []connectors.Plugin {
	var out []connectors.Plugin
	add := func(class string, def *config.Def, build func(map[string]string) (convAndHeader, error)) {
		out = append(out,
			connectors.Plugin{
				Class: class, Kind: connectors.KindConverter, Version: connectors.Version, Def: def,
				NewConverter: func(cfg map[string]string) (connectors.Converter, error) { return asConverter(build(cfg)) },
			},
			connectors.Plugin{
				Class: class, Kind: connectors.KindHeaderConverter, Version: connectors.Version, Def: def,
				NewHeaderConverter: func(cfg map[string]string) (connectors.HeaderConverter, error) {
					return asHeaderConverter(build(cfg))
				},
			})
	}
	add(ClassShortConverter, numberDef, boxed(NewShortConverter))
	add(ClassIntegerConverter, numberDef, boxed(NewIntegerConverter))
	add(ClassLongConverter, numberDef, boxed(NewLongConverter))
	add(ClassFloatConverter, numberDef, boxed(NewFloatConverter))
	add(ClassDoubleConverter, numberDef, boxed(NewDoubleConverter))
	add(ClassBooleanConverter, booleanDef, boxed(NewBooleanConverter))
	return out
}

// convAndHeader is a converter that is also a header converter.
type convAndHeader interface {
	connectors.Converter
	connectors.HeaderConverter
}

// boxed turns a typed constructor into one returning convAndHeader,
// keeping a failed constructor's nil pointer from becoming a non-nil
// interface.
func boxed[C convAndHeader](build func(map[string]string) (C, error)) func(map[string]string) (convAndHeader, error) {
	return func(cfg map[string]string) (convAndHeader, error) {
		c, err := build(cfg)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
}
