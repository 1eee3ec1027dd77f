package converters

import (
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func arrayOf(elem *connectors.Schema) *connectors.Schema {
	return &connectors.Schema{Type: connectors.Array, Value: elem}
}

func mapOf(k, v *connectors.Schema) *connectors.Schema {
	return &connectors.Schema{Type: connectors.Map, Key: k, Value: v}
}

func bigDecimal(t *testing.T, unscaled string, scale int32) connectors.Decimal {
	t.Helper()
	u, ok := new(big.Int).SetString(unscaled, 10)
	if !ok {
		t.Fatalf("bad unscaled value %q", unscaled)
	}
	return connectors.Decimal{Unscaled: u, Scale: scale}
}

// sameHeaderValue compares parsed header values, Decimals by value and
// scale (their big.Int internals may differ).
func sameHeaderValue(a, b connectors.SchemaAndValue) bool {
	if !reflect.DeepEqual(a.Schema, b.Schema) {
		return false
	}
	return connectors.ValueEqual(a.Value, b.Value)
}

func TestSimpleHeaderParseTyped(t *testing.T) {
	str := func(s string) connectors.SchemaAndValue {
		return connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: s}
	}
	utc := func(y int, mo time.Month, d, h, mi, s, ms int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ms*1e6, time.UTC)
	}
	date := func(y int, mo time.Month, d int) connectors.SchemaAndValue {
		return connectors.SchemaAndValue{Schema: connectors.DateSchema(false), Value: utc(y, mo, d, 0, 0, 0, 0)}
	}
	tod := func(h, mi, s, ms int) connectors.SchemaAndValue {
		return connectors.SchemaAndValue{Schema: connectors.TimeSchema(false), Value: utc(1970, 1, 1, h, mi, s, ms)}
	}
	ts := func(v time.Time) connectors.SchemaAndValue {
		return connectors.SchemaAndValue{Schema: connectors.TimestampSchema(false), Value: v}
	}
	dec := func(unscaled string, scale int32) connectors.SchemaAndValue {
		return connectors.SchemaAndValue{Schema: connectors.DecimalSchema(int(scale), false), Value: bigDecimal(t, unscaled, scale)}
	}
	tests := []struct {
		in   string
		want connectors.SchemaAndValue
	}{
		// Lists: the common element schema, numbers widened to it.
		{"[1,2]", connectors.SchemaAndValue{Schema: arrayOf(connectors.Int8Schema), Value: []any{int8(1), int8(2)}}},
		{"[1,128]", connectors.SchemaAndValue{Schema: arrayOf(connectors.Int16Schema), Value: []any{int16(1), int16(128)}}},
		{"[2147483648,1]", connectors.SchemaAndValue{Schema: arrayOf(connectors.Int64Schema), Value: []any{int64(2147483648), int64(1)}}},
		{"[1,1.5]", connectors.SchemaAndValue{Schema: arrayOf(connectors.Float32Schema), Value: []any{float32(1), float32(1.5)}}},
		{"[1.5,1e39]", connectors.SchemaAndValue{Schema: arrayOf(connectors.Float64Schema), Value: []any{1.5, 1e39}}},
		{"[ true , false ]", connectors.SchemaAndValue{Schema: arrayOf(connectors.BooleanSchema), Value: []any{true, false}}},
		{"[null,1,null]", connectors.SchemaAndValue{Schema: arrayOf(connectors.Int8Schema), Value: []any{nil, int8(1), nil}}},
		{`["a","b c",""]`, connectors.SchemaAndValue{Schema: arrayOf(connectors.StringSchema), Value: []any{"a", "b c", ""}}},
		{`["a:b,{c}"]`, connectors.SchemaAndValue{Schema: arrayOf(connectors.StringSchema), Value: []any{"a:b,{c}"}}},
		{`["a\"b"]`, connectors.SchemaAndValue{Schema: arrayOf(connectors.StringSchema), Value: []any{`a\"b`}}}, // escapes are kept, as in Kafka
		{`[1,"a"]`, connectors.SchemaAndValue{Schema: arrayOf(nil), Value: []any{int8(1), "a"}}},
		{"[1,true]", connectors.SchemaAndValue{Schema: arrayOf(nil), Value: []any{int8(1), true}}},
		{"[]", connectors.SchemaAndValue{Schema: arrayOf(nil), Value: []any{}}},
		{" [ ] ", connectors.SchemaAndValue{Schema: arrayOf(nil), Value: []any{}}},
		{"[null]", connectors.SchemaAndValue{Schema: arrayOf(nil), Value: []any{nil}}},
		{"[[1],[2,300]]", connectors.SchemaAndValue{Schema: arrayOf(arrayOf(connectors.Int16Schema)), Value: []any{[]any{int8(1)}, []any{int16(2), int16(300)}}}},
		{"[1,2]x", connectors.SchemaAndValue{Schema: arrayOf(connectors.Int8Schema), Value: []any{int8(1), int8(2)}}}, // what follows is ignored
		{"[1,12345678901234567890]", connectors.SchemaAndValue{Schema: arrayOf(nil), Value: []any{int8(1), bigDecimal(t, "12345678901234567890", 0)}}},
		{"[2024-01-15,10:15:30.000Z]", connectors.SchemaAndValue{Schema: arrayOf(nil), Value: []any{utc(2024, 1, 15, 0, 0, 0, 0), utc(1970, 1, 1, 10, 15, 30, 0)}}},
		{`["2024-01-15",2024-01-16]`, connectors.SchemaAndValue{Schema: arrayOf(connectors.DateSchema(false)), Value: []any{utc(2024, 1, 15, 0, 0, 0, 0), utc(2024, 1, 16, 0, 0, 0, 0)}}},
		{"[10:15:30.000Z]", connectors.SchemaAndValue{Schema: arrayOf(connectors.TimeSchema(false)), Value: []any{utc(1970, 1, 1, 10, 15, 30, 0)}}},
		// Malformed lists: the whole text (or a blank first token) as a STRING.
		{"[1,2", str("[1,2")},
		{"[1,,2]", str("[1,,2]")},
		{"[,1]", str("[,1]")},
		{"[1,]", connectors.SchemaAndValue{Schema: arrayOf(connectors.Int8Schema), Value: []any{int8(1)}}}, // Kafka allows a trailing comma
		{"[1 2]", str("[1 2]")},
		{"[a]", str("[a]")},
		{"[[1]", str("[[1]")},
		{"  [1", str("  ")},
		// Maps: common key and value schemas, or nil.
		{`{"a":1,"b":200}`, connectors.SchemaAndValue{Schema: mapOf(connectors.StringSchema, connectors.Int16Schema), Value: map[any]any{"a": int16(1), "b": int16(200)}}},
		{`{"a":null}`, connectors.SchemaAndValue{Schema: mapOf(connectors.StringSchema, nil), Value: map[any]any{"a": nil}}},
		{`{1:"x",2:3}`, connectors.SchemaAndValue{Schema: mapOf(connectors.Int8Schema, nil), Value: map[any]any{int8(1): "x", int8(2): int8(3)}}},
		{`{1:"x",300:"y"}`, connectors.SchemaAndValue{Schema: mapOf(connectors.Int16Schema, connectors.StringSchema), Value: map[any]any{int16(1): "x", int16(300): "y"}}},
		{`{1:"x","a":"y"}`, connectors.SchemaAndValue{Schema: mapOf(nil, nil), Value: map[any]any{int8(1): "x", "a": "y"}}},
		{"{}", connectors.SchemaAndValue{Schema: mapOf(nil, nil), Value: map[any]any{}}},
		{`{"a":[1],"b":{"c":true}}`, connectors.SchemaAndValue{Schema: mapOf(connectors.StringSchema, nil), Value: map[any]any{"a": []any{int8(1)}, "b": map[any]any{"c": true}}}},
		{`{"a":1 "b":2,}`, connectors.SchemaAndValue{Schema: mapOf(connectors.StringSchema, connectors.Int8Schema), Value: map[any]any{"a": int8(1), "b": int8(2)}}}, // commas are optional in maps
		{`{"a":1`, str(`{"a":1`)},
		{`{"a"}`, str(`{"a"}`)},
		{`{null:1}`, str(`{null:1}`)},
		{`{[1]:1}`, str(`{[1]:1}`)}, // Kafka accepts list keys; a Go map cannot hold them
		{`{,}`, str(`{,}`)},
		// Dates, times and timestamps, read in UTC.
		{"2024-01-15", date(2024, 1, 15)},
		{" 2024-01-15 ", date(2024, 1, 15)},
		{"2024-13-32", date(2025, 2, 1)}, // lenient, as SimpleDateFormat
		{"10:15:30.000Z", tod(10, 15, 30, 0)},
		{"10:15:30.5Z  ", tod(10, 15, 30, 5)},
		{"10\\:15\\:30.250Z", tod(10, 15, 30, 250)},
		{"2024-01-15T10:15:30.123Z", ts(utc(2024, 1, 15, 10, 15, 30, 123))},
		{"2024-01-15T10:15:30.000Zxyz", str("2024-01-15T10:15:30.000Zxyz")},
		{"2024-01-15x", str("2024-01-15x")},
		{"2024/01/15", str("2024/01/15")},
		// Numbers only a Decimal holds.
		{"12345678901234567890", dec("12345678901234567890", 0)},
		{"-12345678901234567890", dec("-12345678901234567890", 0)},
		{"9223372036854775808", dec("9223372036854775808", 0)},
		{"1.5e400", dec("15", -399)},
		{"1e2147483648", dec("1", -2147483648)},
		// The spec's examples stay strings.
		{"true}", str("true}")},
		{"0x1F", str("0x1F")},
		{"hello world", str("hello world")},
	}
	var c SimpleHeaderConverter
	for _, tt := range tests {
		got, err := c.ToConnectHeader(ctx, "t", "h", []byte(tt.in))
		if err != nil {
			t.Errorf("ToConnectHeader(%q): %v", tt.in, err)
			continue
		}
		if !sameHeaderValue(got, tt.want) {
			t.Errorf("ToConnectHeader(%q) = %+v %+v (%T), want %+v %+v (%T)", tt.in, got.Schema, got.Value, got.Value, tt.want.Schema, tt.want.Value, tt.want.Value)
		}
	}
}

func TestSimpleHeaderWriteTyped(t *testing.T) {
	opt := &connectors.Schema{Type: connectors.String, Optional: true, Default: "dflt"}
	rec := &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{
		{Name: "id", Index: 0, Schema: connectors.Int32Schema},
		{Name: `n"a\me`, Index: 1, Schema: connectors.OptionalStringSchema},
		{Name: "d", Index: 2, Schema: opt},
	}}
	st := connectors.NewStruct(rec)
	if err := st.Put("id", int32(7)); err != nil {
		t.Fatal(err)
	}
	if err := st.Put(`n"a\me`, `x"y`); err != nil {
		t.Fatal(err)
	}
	empty := connectors.NewStruct(rec)
	berlin := time.FixedZone("CET", 3600)
	tests := []struct {
		v    any
		want string
	}{
		{st, `{"id":7,"n\"a\\me":"x\"y","d":"dflt"}`},
		{empty, `{"id":null,"n\"a\\me":null,"d":"dflt"}`},
		{[]any{st, nil}, `[{"id":7,"n\"a\\me":"x\"y","d":"dflt"},null]`},
		{(*connectors.StructValue)(nil), "null"},
		{connectors.NewDecimal(12345, 2), "123.45"},
		{connectors.NewDecimal(-5, -3), "-5E+3"},
		{connectors.Decimal{}, "0"},
		{[]any{connectors.NewDecimal(1, 7)}, "[1E-7]"},
		{time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC), "2024-01-15"},
		{time.Date(2024, 1, 15, 1, 0, 0, 0, berlin), "2024-01-15"}, // UTC midnight
		{time.Date(1970, 1, 1, 10, 15, 30, 500e6, time.UTC), "10:15:30.500Z"},
		{time.Date(2024, 1, 15, 10, 15, 30, 123456789, time.UTC), "2024-01-15T10:15:30.123Z"},
		{time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), "00:00:00.000Z"},   // under a day: a time, as Kafka
		{time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), "00:00:00.000Z"}, // negative: a time, as Kafka
		{[]any{time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC), "s"}, `[2024-01-15,"s"]`},
		{map[any]any{"k": []any{int8(1), "v"}}, `{"k":[1,"v"]}`},
		{[]any{[]any{}, map[any]any{}}, `[[],{}]`},
	}
	var c SimpleHeaderConverter
	for _, tt := range tests {
		got, err := c.FromConnectHeader(ctx, "t", "h", connectors.SchemaAndValue{Value: tt.v})
		if err != nil || string(got) != tt.want {
			t.Errorf("FromConnectHeader(%v) = %s, %v; want %s", tt.v, got, err, tt.want)
		}
	}
	if _, err := c.FromConnectHeader(ctx, "t", "h", connectors.SchemaAndValue{Value: connectors.NewStruct(connectors.Int8Schema)}); err == nil {
		t.Error("a Struct of a non-struct schema was written")
	}
}

func TestSimpleHeaderRoundTripTyped(t *testing.T) {
	rec := &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{
		{Name: "a", Index: 0, Schema: connectors.Int8Schema},
		{Name: "b", Index: 1, Schema: connectors.StringSchema},
	}}
	st := connectors.NewStruct(rec)
	_ = st.Put("a", int8(1))
	_ = st.Put("b", "x")
	tests := []struct {
		in, want connectors.SchemaAndValue
	}{
		{in: connectors.SchemaAndValue{Schema: arrayOf(connectors.Int32Schema), Value: []any{int32(70000), int32(-70000)}}},
		{in: connectors.SchemaAndValue{Schema: arrayOf(connectors.StringSchema), Value: []any{"a, b", "[x]", "{y:z}"}}},
		{in: connectors.SchemaAndValue{Schema: arrayOf(arrayOf(connectors.BooleanSchema)), Value: []any{[]any{true}, []any{false, true}}}},
		{in: connectors.SchemaAndValue{Schema: mapOf(connectors.StringSchema, connectors.Float64Schema), Value: map[any]any{"a": 1e300, "b": -1e200}}},
		{in: connectors.SchemaAndValue{Schema: mapOf(connectors.Int8Schema, arrayOf(connectors.StringSchema)), Value: map[any]any{int8(1): []any{"x"}, int8(2): []any{"y", "z"}}}},
		{in: connectors.SchemaAndValue{Schema: connectors.DateSchema(false), Value: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)}},
		{in: connectors.SchemaAndValue{Schema: connectors.TimeSchema(false), Value: time.Date(1970, 1, 1, 23, 59, 59, 999e6, time.UTC)}},
		{in: connectors.SchemaAndValue{Schema: connectors.TimestampSchema(false), Value: time.Date(1999, 12, 31, 23, 59, 59, 1e6, time.UTC)}},
		{in: connectors.SchemaAndValue{Schema: arrayOf(connectors.TimestampSchema(false)), Value: []any{time.Date(2001, 9, 9, 1, 46, 40, 0, time.UTC)}}},
		{in: connectors.SchemaAndValue{Schema: connectors.DecimalSchema(0, false), Value: bigDecimal(t, "-123456789012345678901234567890", 0)}},
		{in: connectors.SchemaAndValue{Schema: connectors.DecimalSchema(-399, false), Value: bigDecimal(t, "15", -399)}},
		// A Struct is written as a map of its field names.
		{in: connectors.SchemaAndValue{Schema: rec, Value: st}, want: connectors.SchemaAndValue{Schema: mapOf(connectors.StringSchema, nil), Value: map[any]any{"a": int8(1), "b": "x"}}},
		// Kafka's choice of format by value: a Date of 1970-01-01 reads back as a Time.
		{in: connectors.SchemaAndValue{Schema: connectors.DateSchema(false), Value: time.Unix(0, 0).UTC()}, want: connectors.SchemaAndValue{Schema: connectors.TimeSchema(false), Value: time.Unix(0, 0).UTC()}},
	}
	var c SimpleHeaderConverter
	for _, tt := range tests {
		want := tt.want
		if want.Schema == nil {
			want = tt.in
		}
		b, err := c.FromConnectHeader(ctx, "t", "h", tt.in)
		if err != nil {
			t.Errorf("FromConnectHeader(%+v): %v", tt.in, err)
			continue
		}
		out, err := c.ToConnectHeader(ctx, "t", "h", b)
		if err != nil || !sameHeaderValue(out, want) {
			t.Errorf("round trip of %+v via %q = %+v %+v, %v", tt.in.Value, b, out.Schema, out.Value, err)
		}
	}
}
