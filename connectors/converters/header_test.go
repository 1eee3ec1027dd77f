package converters

import (
	"errors"
	"reflect"
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func TestSimpleHeaderParse(t *testing.T) {
	str := func(s string) connectors.SchemaAndValue {
		return connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: s}
	}
	tests := []struct {
		in   string
		want connectors.SchemaAndValue
	}{
		// The spec's observations of Kafka's Values.parseString.
		{"", str("")},
		{"true", connectors.SchemaAndValue{Schema: connectors.BooleanSchema, Value: true}},
		{"false", connectors.SchemaAndValue{Schema: connectors.BooleanSchema, Value: false}},
		{"null", connectors.SchemaAndValue{}},
		{"1", connectors.SchemaAndValue{Schema: connectors.Int8Schema, Value: int8(1)}},
		{"128", connectors.SchemaAndValue{Schema: connectors.Int16Schema, Value: int16(128)}},
		{"32768", connectors.SchemaAndValue{Schema: connectors.Int32Schema, Value: int32(32768)}},
		{"2147483648", connectors.SchemaAndValue{Schema: connectors.Int64Schema, Value: int64(2147483648)}},
		{"1.5", connectors.SchemaAndValue{Schema: connectors.Float32Schema, Value: float32(1.5)}},
		{"3.14159265358979", connectors.SchemaAndValue{Schema: connectors.Float32Schema, Value: float32(3.1415927)}},
		{"true}", str("true}")},
		{"[1,2", str("[1,2")},
		{"0x1F", str("0x1F")},
		{"hello world", str("hello world")},
		{" 42 ", connectors.SchemaAndValue{Schema: connectors.Int8Schema, Value: int8(42)}},
		// Further rules of Kafka's parser (Values.ValueParser).
		{" true\t", connectors.SchemaAndValue{Schema: connectors.BooleanSchema, Value: true}},
		{"TRUE", str("TRUE")},
		{"true,", str("true,")},
		{"-128", connectors.SchemaAndValue{Schema: connectors.Int8Schema, Value: int8(-128)}},
		{"-129", connectors.SchemaAndValue{Schema: connectors.Int16Schema, Value: int16(-129)}},
		{"+5", connectors.SchemaAndValue{Schema: connectors.Int8Schema, Value: int8(5)}},
		{"-0", connectors.SchemaAndValue{Schema: connectors.Int8Schema, Value: int8(0)}},
		{"1.0", connectors.SchemaAndValue{Schema: connectors.Int8Schema, Value: int8(1)}},
		{"1e5", connectors.SchemaAndValue{Schema: connectors.Int32Schema, Value: int32(100000)}},
		{"9223372036854775807", connectors.SchemaAndValue{Schema: connectors.Int64Schema, Value: int64(9223372036854775807)}},
		{"-9223372036854775808", connectors.SchemaAndValue{Schema: connectors.Int64Schema, Value: int64(-9223372036854775808)}},
		{"1e30", connectors.SchemaAndValue{Schema: connectors.Float32Schema, Value: float32(1e30)}},
		{"1e39", connectors.SchemaAndValue{Schema: connectors.Float64Schema, Value: 1e39}},
		{".5", str(".5")}, // the first character must be a digit or a sign
		{"+.5", connectors.SchemaAndValue{Schema: connectors.Float32Schema, Value: float32(0.5)}},
		{"5.", connectors.SchemaAndValue{Schema: connectors.Int8Schema, Value: int8(5)}},
		{"1,2", connectors.SchemaAndValue{Schema: connectors.Int8Schema, Value: int8(1)}}, // only the first token counts
		{"7:x", connectors.SchemaAndValue{Schema: connectors.Int8Schema, Value: int8(7)}},
		{"  ,x", str("  ")}, // a blank first token is returned as is
		{"   ", str("   ")},
		{"a\\,b", str("a\\,b")},
		{"٤٢", connectors.SchemaAndValue{Schema: connectors.Int8Schema, Value: int8(42)}}, // BigDecimal reads Unicode digits
		{"1 2", str("1 2")},
		{"1e2147483649", str("1e2147483649")}, // scale beyond int: not a BigDecimal
		{"\xff", str("\uFFFD")},
		// A malformed list or map is read from its first raw token: a
		// blank one is returned as is, anything else gives the whole text.
		{" {a:1}", str(" ")},
		{"{a:1}", str("{a:1}")}, // unquoted text inside a map is not a value
	}
	var c SimpleHeaderConverter
	for _, tt := range tests {
		got, err := c.ToConnectHeader(ctx, "t", "h", []byte(tt.in))
		if err != nil {
			t.Errorf("ToConnectHeader(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ToConnectHeader(%q) = %+v (%T), want %+v (%T)", tt.in, got, got.Value, tt.want, tt.want.Value)
		}
	}
	if got, err := c.ToConnectHeader(ctx, "t", "h", nil); err != nil || got.Schema != nil || got.Value != nil {
		t.Errorf("ToConnectHeader(nil) = %+v, %v", got, err)
	}
}

func TestSimpleHeaderWrite(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{"plain \"text\"", `plain "text"`},
		{true, "true"},
		{int8(-1), "-1"},
		{int64(1) << 40, "1099511627776"},
		{float32(3.1415927), "3.1415927"},
		{1e20, "1.0E20"},
		{[]byte{1, 2}, "AQI="},
		{[]any{"a\\\"", int32(1), nil, []byte{1}, []any{}}, `["a\\\"",1,null,"AQ==",[]]`},
		{map[string]any{"k": "v", "aa": nil}, `{"aa":null,"k":"v"}`},
		{map[any]any{int32(1): false}, `{1:false}`},
	}
	var c SimpleHeaderConverter
	for _, tt := range tests {
		got, err := c.FromConnectHeader(ctx, "t", "h", connectors.SchemaAndValue{Value: tt.v})
		if err != nil || string(got) != tt.want {
			t.Errorf("FromConnectHeader(%#v) = %s, %v; want %s", tt.v, got, err, tt.want)
		}
	}
	if got, err := c.FromConnectHeader(ctx, "t", "h", connectors.SchemaAndValue{Schema: connectors.OptionalStringSchema}); got != nil || err != nil {
		t.Errorf("FromConnectHeader(nil) = %q, %v", got, err)
	}
	_, err := c.FromConnectHeader(ctx, "t", "h", connectors.SchemaAndValue{Value: struct{}{}})
	var de *DataError
	if !errors.As(err, &de) || err.Error() != "Failed to serialize unexpected value type Go type struct {}: {}" {
		t.Errorf("FromConnectHeader(struct{}) error = %v", err)
	}
}

func TestSimpleHeaderRoundTrip(t *testing.T) {
	var c SimpleHeaderConverter
	for _, in := range []connectors.SchemaAndValue{
		{Schema: connectors.StringSchema, Value: "hello, world"},
		{Schema: connectors.BooleanSchema, Value: false},
		{Schema: connectors.Int8Schema, Value: int8(-7)},
		{Schema: connectors.Int16Schema, Value: int16(1000)},
		{Schema: connectors.Int32Schema, Value: int32(-100000)},
		{Schema: connectors.Int64Schema, Value: int64(-1) << 50},
		{Schema: connectors.Float32Schema, Value: float32(0.25)},
		{Schema: connectors.Float64Schema, Value: 1e300},
	} {
		b, err := c.FromConnectHeader(ctx, "t", "h", in)
		if err != nil {
			t.Fatal(err)
		}
		out, err := c.ToConnectHeader(ctx, "t", "h", b)
		if err != nil || !reflect.DeepEqual(out, in) {
			t.Errorf("round trip of %+v via %q = %+v, %v", in, b, out, err)
		}
	}
}
