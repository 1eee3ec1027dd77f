package converters

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// primitive is one of the converters under test, with what it reads.
type primitive struct {
	class  string
	build  func(map[string]string) (convAndHeader, error)
	schema *connectors.Schema
	size   int
}

var primitives = map[string]primitive{
	"short":   {ClassShortConverter, boxed(NewShortConverter), connectors.OptionalInt16Schema, 2},
	"integer": {ClassIntegerConverter, boxed(NewIntegerConverter), connectors.OptionalInt32Schema, 4},
	"long":    {ClassLongConverter, boxed(NewLongConverter), connectors.OptionalInt64Schema, 8},
	"float":   {ClassFloatConverter, boxed(NewFloatConverter), connectors.OptionalFloat32Schema, 4},
	"double":  {ClassDoubleConverter, boxed(NewDoubleConverter), connectors.OptionalFloat64Schema, 8},
	"boolean": {ClassBooleanConverter, boxed(NewBooleanConverter), connectors.OptionalBooleanSchema, 1},
}

func mustPrimitive(t testing.TB, name string) convAndHeader {
	t.Helper()
	c, err := primitives[name].build(valueCfg())
	if err != nil {
		t.Fatalf("build %s converter: %v", name, err)
	}
	return c
}

// sameValue compares floats by their bits, so NaN payloads and -0 count.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case float32:
		y, ok := b.(float32)
		return ok && math.Float32bits(x) == math.Float32bits(y)
	case float64:
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y)
	}
	return a == b
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPrimitiveGolden checks the bytes written for typical and extreme
// values, and that reading them gives the value back with the converter's
// optional schema, through both the record and the header methods.
func TestPrimitiveGolden(t *testing.T) {
	tests := []struct {
		conv string
		name string
		v    any
		hex  string
	}{
		{"short", "zero", int16(0), "0000"},
		{"short", "typical", int16(0x1234), "1234"},
		{"short", "minus one", int16(-1), "ffff"},
		{"short", "min", int16(math.MinInt16), "8000"},
		{"short", "max", int16(math.MaxInt16), "7fff"},
		{"integer", "zero", int32(0), "00000000"},
		{"integer", "typical", int32(42), "0000002a"},
		{"integer", "minus one", int32(-1), "ffffffff"},
		{"integer", "min", int32(math.MinInt32), "80000000"},
		{"integer", "max", int32(math.MaxInt32), "7fffffff"},
		{"long", "zero", int64(0), "0000000000000000"},
		{"long", "typical", int64(1) << 40, "0000010000000000"},
		{"long", "minus one", int64(-1), "ffffffffffffffff"},
		{"long", "min", int64(math.MinInt64), "8000000000000000"},
		{"long", "max", int64(math.MaxInt64), "7fffffffffffffff"},
		{"float", "zero", float32(0), "00000000"},
		{"float", "negative zero", float32(math.Copysign(0, -1)), "80000000"},
		{"float", "one", float32(1), "3f800000"},
		{"float", "typical", float32(-2.5), "c0200000"},
		{"float", "max", float32(math.MaxFloat32), "7f7fffff"},
		{"float", "smallest denormal", float32(math.SmallestNonzeroFloat32), "00000001"},
		{"float", "+Inf", float32(math.Inf(1)), "7f800000"},
		{"float", "-Inf", float32(math.Inf(-1)), "ff800000"},
		{"float", "NaN as Java's Float.NaN", math.Float32frombits(0x7fc00000), "7fc00000"},
		{"float", "NaN payload kept", math.Float32frombits(0x7f800001), "7f800001"},
		{"double", "zero", float64(0), "0000000000000000"},
		{"double", "negative zero", math.Copysign(0, -1), "8000000000000000"},
		{"double", "one", float64(1), "3ff0000000000000"},
		{"double", "typical", 3.141592653589793, "400921fb54442d18"},
		{"double", "max", math.MaxFloat64, "7fefffffffffffff"},
		{"double", "smallest denormal", math.SmallestNonzeroFloat64, "0000000000000001"},
		{"double", "+Inf", math.Inf(1), "7ff0000000000000"},
		{"double", "-Inf", math.Inf(-1), "fff0000000000000"},
		{"double", "NaN as Java's Double.NaN", math.Float64frombits(0x7ff8000000000000), "7ff8000000000000"},
		{"double", "Go's NaN payload kept", math.NaN(), "7ff8000000000001"},
		{"boolean", "true", true, "01"},
		{"boolean", "false", false, "00"},
	}
	for _, tt := range tests {
		t.Run(tt.conv+"/"+tt.name, func(t *testing.T) {
			c := mustPrimitive(t, tt.conv)
			want := unhex(t, tt.hex)
			got, err := c.FromConnect(ctx, "t", nil, connectors.SchemaAndValue{Value: tt.v})
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("FromConnect(%#v) = %x, %v; want %s", tt.v, got, err, tt.hex)
			}
			got, err = c.FromConnectHeader(ctx, "t", "h", connectors.SchemaAndValue{Value: tt.v})
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("FromConnectHeader(%#v) = %x, %v; want %s", tt.v, got, err, tt.hex)
			}
			schema := primitives[tt.conv].schema
			sv, err := c.ToConnect(ctx, "t", nil, want)
			if err != nil || sv.Schema != schema || !sameValue(sv.Value, tt.v) {
				t.Errorf("ToConnect(%s) = %+v, %v; want %#v", tt.hex, sv, err, tt.v)
			}
			sv, err = c.ToConnectHeader(ctx, "t", "h", want)
			if err != nil || sv.Schema != schema || !sameValue(sv.Value, tt.v) {
				t.Errorf("ToConnectHeader(%s) = %+v, %v; want %#v", tt.hex, sv, err, tt.v)
			}
		})
	}
}

// TestPrimitiveNull checks null in both directions: nil value to nil bytes,
// nil bytes to a nil value with the optional schema.
func TestPrimitiveNull(t *testing.T) {
	for name, p := range primitives {
		t.Run(name, func(t *testing.T) {
			c := mustPrimitive(t, name)
			b, err := c.FromConnect(ctx, "t", nil, connectors.SchemaAndValue{Schema: p.schema})
			if b != nil || err != nil {
				t.Errorf("FromConnect(nil) = %x, %v; want nil bytes", b, err)
			}
			sv, err := c.ToConnect(ctx, "t", nil, nil)
			if err != nil || sv.Schema != p.schema || sv.Value != nil {
				t.Errorf("ToConnect(nil) = %+v, %v; want %+v and nil value", sv, err, p.schema)
			}
		})
	}
}

// TestPrimitiveRoundTrip writes and reads back a spread of values.
func TestPrimitiveRoundTrip(t *testing.T) {
	values := map[string][]any{
		"short":   {int16(7), int16(-300), int16(256)},
		"integer": {int32(7), int32(-70000), int32(1 << 24)},
		"long":    {int64(7), int64(-1) << 50, int64(1234567890123)},
		"float":   {float32(0.1), float32(-1e-30), float32(3.4e38), math.Float32frombits(0xffc00001)},
		"double":  {0.1, -1e-300, 1.7e308, math.Float64frombits(0xfff0000000000001)},
		"boolean": {true, false},
	}
	for name, vs := range values {
		c := mustPrimitive(t, name)
		for _, v := range vs {
			b, err := c.FromConnect(ctx, "t", nil, connectors.SchemaAndValue{Value: v})
			if err != nil {
				t.Fatalf("%s FromConnect(%#v): %v", name, v, err)
			}
			if len(b) != primitives[name].size {
				t.Errorf("%s FromConnect(%#v) wrote %d bytes, want %d", name, v, len(b), primitives[name].size)
			}
			sv, err := c.ToConnect(ctx, "t", nil, b)
			if err != nil || !sameValue(sv.Value, v) {
				t.Errorf("%s round trip of %#v gave %#v, %v", name, v, sv.Value, err)
			}
		}
	}
}

// TestNumberIgnoresSchema checks the number converters write whatever the
// schema says, as Kafka's do.
func TestNumberIgnoresSchema(t *testing.T) {
	c := mustPrimitive(t, "integer")
	b, err := c.FromConnect(ctx, "t", nil, connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: int32(1)})
	if err != nil || !bytes.Equal(b, []byte{0, 0, 0, 1}) {
		t.Errorf("FromConnect with a STRING schema = %x, %v; want 00000001", b, err)
	}
}

func TestPrimitiveToConnectErrors(t *testing.T) {
	tests := []struct {
		conv string
		hex  string
		want string
	}{
		{"short", "", "Failed to deserialize short: Size of data received by ShortDeserializer is not 2"},
		{"short", "01", "Failed to deserialize short: Size of data received by ShortDeserializer is not 2"},
		{"integer", "000000", "Failed to deserialize integer: Size of data received by IntegerDeserializer is not 4"},
		{"integer", "0000000000", "Failed to deserialize integer: Size of data received by IntegerDeserializer is not 4"},
		{"long", "00000000", "Failed to deserialize long: Size of data received by LongDeserializer is not 8"},
		{"long", "000000000000000000", "Failed to deserialize long: Size of data received by LongDeserializer is not 8"},
		// Kafka's Float and Double deserializers call themselves "Deserializer".
		{"float", "0000000000000000", "Failed to deserialize float: Size of data received by Deserializer is not 4"},
		{"double", "00000000", "Failed to deserialize double: Size of data received by Deserializer is not 8"},
		{"boolean", "", "Failed to deserialize boolean: Size of data received by BooleanDeserializer is not 1"},
		{"boolean", "0101", "Failed to deserialize boolean: Size of data received by BooleanDeserializer is not 1"},
		{"boolean", "02", "Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: 2"},
		// Java bytes are signed.
		{"boolean", "ff", "Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: -1"},
		{"boolean", "80", "Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: -128"},
	}
	for _, tt := range tests {
		t.Run(tt.conv+"/"+tt.hex, func(t *testing.T) {
			c := mustPrimitive(t, tt.conv)
			in := unhex(t, tt.hex)
			for _, read := range []func() (connectors.SchemaAndValue, error){
				func() (connectors.SchemaAndValue, error) { return c.ToConnect(ctx, "t", nil, in) },
				func() (connectors.SchemaAndValue, error) { return c.ToConnectHeader(ctx, "t", "h", in) },
			} {
				_, err := read()
				var de *DataError
				if !errors.As(err, &de) || err.Error() != tt.want {
					t.Errorf("error = %v, want DataError %q", err, tt.want)
				}
				if de != nil && de.Err == nil {
					t.Errorf("DataError %q has no cause", err)
				}
			}
		})
	}
}

func TestPrimitiveFromConnectErrors(t *testing.T) {
	tests := []struct {
		conv string
		v    connectors.SchemaAndValue
		want string
	}{
		{"short", connectors.SchemaAndValue{Value: int8(1)}, "Failed to serialize to short (was class java.lang.Byte): class java.lang.Byte cannot be cast to class java.lang.Short"},
		{"short", connectors.SchemaAndValue{Value: int32(1)}, "Failed to serialize to short (was class java.lang.Integer): class java.lang.Integer cannot be cast to class java.lang.Short"},
		{"integer", connectors.SchemaAndValue{Value: "1"}, "Failed to serialize to integer (was class java.lang.String): class java.lang.String cannot be cast to class java.lang.Integer"},
		{"integer", connectors.SchemaAndValue{Schema: connectors.Int32Schema, Value: int64(1)}, "Failed to serialize to integer (was class java.lang.Long): class java.lang.Long cannot be cast to class java.lang.Integer"},
		{"integer", connectors.SchemaAndValue{Value: 1}, "Failed to serialize to integer (was Go type int): Go type int cannot be cast to class java.lang.Integer"},
		{"long", connectors.SchemaAndValue{Value: int32(1)}, "Failed to serialize to long (was class java.lang.Integer): class java.lang.Integer cannot be cast to class java.lang.Long"},
		{"long", connectors.SchemaAndValue{Value: uint64(1)}, "Failed to serialize to long (was Go type uint64): Go type uint64 cannot be cast to class java.lang.Long"},
		{"float", connectors.SchemaAndValue{Value: 1.5}, "Failed to serialize to float (was class java.lang.Double): class java.lang.Double cannot be cast to class java.lang.Float"},
		{"double", connectors.SchemaAndValue{Value: float32(1.5)}, "Failed to serialize to double (was class java.lang.Float): class java.lang.Float cannot be cast to class java.lang.Double"},
		{"double", connectors.SchemaAndValue{Value: true}, "Failed to serialize to double (was class java.lang.Boolean): class java.lang.Boolean cannot be cast to class java.lang.Double"},
		{"boolean", connectors.SchemaAndValue{Schema: connectors.Int32Schema, Value: true}, "Invalid schema type for BooleanConverter: INT32"},
		{"boolean", connectors.SchemaAndValue{Schema: connectors.OptionalStringSchema}, "Invalid schema type for BooleanConverter: STRING"},
		{"boolean", connectors.SchemaAndValue{Value: "true"}, "BooleanConverter is not compatible with objects of type class java.lang.String"},
		{"boolean", connectors.SchemaAndValue{Schema: connectors.BooleanSchema, Value: int32(1)}, "BooleanConverter is not compatible with objects of type class java.lang.Integer"},
	}
	for _, tt := range tests {
		t.Run(tt.conv+"/"+tt.want, func(t *testing.T) {
			c := mustPrimitive(t, tt.conv)
			for _, write := range []func() ([]byte, error){
				func() ([]byte, error) { return c.FromConnect(ctx, "t", nil, tt.v) },
				func() ([]byte, error) { return c.FromConnectHeader(ctx, "t", "h", tt.v) },
			} {
				b, err := write()
				var de *DataError
				if b != nil || !errors.As(err, &de) || err.Error() != tt.want {
					t.Errorf("FromConnect(%+v) = %x, %v; want DataError %q", tt.v, b, err, tt.want)
				}
			}
		})
	}
}

func TestPrimitiveConfigErrors(t *testing.T) {
	for name, p := range primitives {
		t.Run(name, func(t *testing.T) {
			for _, cfg := range []map[string]string{{}, {connectors.ConverterTypeKey: "Value"}} {
				c, err := p.build(cfg)
				var ke *config.KeyError
				if !errors.As(err, &ke) || ke.Key != connectors.ConverterTypeKey {
					t.Errorf("build(%v) error = %v, want a *config.KeyError for %s", cfg, err, connectors.ConverterTypeKey)
				}
				if c != nil {
					t.Errorf("build(%v) returned a non-nil converter with its error", cfg)
				}
			}
			for _, typ := range []string{"key", "value", "header"} {
				if _, err := p.build(map[string]string{connectors.ConverterTypeKey: typ}); err != nil {
					t.Errorf("build with converter.type=%s: %v", typ, err)
				}
			}
		})
	}
}

// TestPrimitivePlugins checks each class is registered as a converter and
// as a header converter, and that both build a working converter.
func TestPrimitivePlugins(t *testing.T) {
	type key struct {
		class string
		kind  connectors.Kind
	}
	got := map[key]connectors.Plugin{}
	for _, p := range Plugins() {
		got[key{p.Class, p.Kind}] = p
	}
	for name, prim := range primitives {
		p, ok := got[key{prim.class, connectors.KindConverter}]
		if !ok {
			t.Errorf("%s is not registered as a converter", prim.class)
		} else if c, err := p.NewConverter(valueCfg()); err != nil {
			t.Errorf("%s: NewConverter: %v", prim.class, err)
		} else if sv, err := c.ToConnect(ctx, "t", nil, nil); err != nil || sv.Schema != prim.schema {
			t.Errorf("%s converter read null as %+v, %v", name, sv, err)
		}
		p, ok = got[key{prim.class, connectors.KindHeaderConverter}]
		if !ok {
			t.Errorf("%s is not registered as a header converter", prim.class)
		} else if c, err := p.NewHeaderConverter(map[string]string{connectors.ConverterTypeKey: "header"}); err != nil {
			t.Errorf("%s: NewHeaderConverter: %v", prim.class, err)
		} else if sv, err := c.ToConnectHeader(ctx, "t", "h", nil); err != nil || sv.Schema != prim.schema {
			t.Errorf("%s header converter read null as %+v, %v", name, sv, err)
		}
		if _, err := p.NewHeaderConverter(map[string]string{}); err == nil {
			t.Errorf("%s: NewHeaderConverter without converter.type succeeded", prim.class)
		}
	}
}

// FuzzNumberToConnect feeds arbitrary bytes to every number converter and
// to BooleanConverter. Invariants: no panic; bytes of the right length (and,
// for booleans, 0x00 or 0x01) read as a value of the converter's Go type
// that writes back to the very same bytes, NaN payloads included; anything
// else fails with a *DataError that says which type could not be read.
func FuzzNumberToConnect(f *testing.F) {
	for _, s := range []string{"", "00", "01", "ff", "8000", "7fff", "0000002a", "7fc00000", "7f800001",
		"000000000000", "7ff8000000000001", "fff0000000000000", "000000000000000000"} {
		b, err := hex.DecodeString(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	convs := map[string]convAndHeader{}
	for name := range primitives {
		convs[name] = mustPrimitive(f, name)
	}
	goTypes := map[string]reflect.Type{
		"short": reflect.TypeFor[int16](), "integer": reflect.TypeFor[int32](), "long": reflect.TypeFor[int64](),
		"float": reflect.TypeFor[float32](), "double": reflect.TypeFor[float64](), "boolean": reflect.TypeFor[bool](),
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for name, c := range convs {
			p := primitives[name]
			sv, err := c.ToConnect(ctx, "t", nil, data)
			valid := len(data) == p.size && (name != "boolean" || data[0] <= 1)
			if err != nil {
				var de *DataError
				if !errors.As(err, &de) {
					t.Fatalf("%s: ToConnect(%x) error %v (%T) is not a *DataError", name, data, err, err)
				}
				if valid {
					t.Fatalf("%s: ToConnect(%x) rejected valid input: %v", name, data, err)
				}
				if want := "Failed to deserialize " + name + ": "; de.Msg != want || de.Err == nil {
					t.Fatalf("%s: ToConnect(%x) error %q, want %q and a cause", name, data, err, want)
				}
				continue
			}
			if !valid {
				t.Fatalf("%s: ToConnect(%x) accepted invalid input as %#v", name, data, sv.Value)
			}
			if sv.Schema != p.schema || reflect.TypeOf(sv.Value) != goTypes[name] {
				t.Fatalf("%s: ToConnect(%x) = %+v (%T)", name, data, sv, sv.Value)
			}
			out, err := c.FromConnect(ctx, "t", nil, sv)
			if err != nil || !bytes.Equal(out, data) {
				t.Fatalf("%s: %x read as %#v, written back as %x, %v", name, data, sv.Value, out, err)
			}
		}
	})
}
