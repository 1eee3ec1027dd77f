package converters

import (
	"errors"
	"math"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
)

const (
	jsonDecimal2SchemaJSON  = `{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}}`
	jsonDateSchemaJSON      = `{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1}`
	jsonTimeSchemaJSON      = `{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Time","version":1}`
	jsonTimestampSchemaJSON = `{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1}`
)

// jsonRecSchema is the struct schema of the spec's example.
func jsonRecSchema() *connectors.Schema {
	return &connectors.Schema{Type: connectors.Struct, Name: "com.example.Rec", Version: i32(2), Doc: "d", Fields: []connectors.Field{
		{Name: "id", Index: 0, Schema: connectors.Int64Schema},
		{Name: "opt", Index: 1, Schema: connectors.OptionalStringSchema},
	}}
}

const jsonRecSchemaJSON = `{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},{"type":"string","optional":true,"field":"opt"}],"optional":false,"name":"com.example.Rec","version":2,"doc":"d"}`

func jsonTestStruct(t testing.TB, s *connectors.Schema, kv ...any) *connectors.StructValue {
	t.Helper()
	sv := connectors.NewStruct(s)
	for i := 0; i < len(kv); i += 2 {
		if err := sv.Put(kv[i].(string), kv[i+1]); err != nil {
			t.Fatalf("Put(%v): %v", kv[i], err)
		}
	}
	return sv
}

func jsonTestDecimal(t testing.TB, unscaled string, scale int32) connectors.Decimal {
	t.Helper()
	u, ok := new(big.Int).SetString(unscaled, 10)
	if !ok {
		t.Fatalf("bad unscaled value %q", unscaled)
	}
	return connectors.Decimal{Unscaled: u, Scale: scale}
}

func TestJsonFromConnectStructAndLogical(t *testing.T) {
	rec := jsonRecSchema()
	withDefault := &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{
		{Name: "n", Index: 0, Schema: &connectors.Schema{Type: connectors.Int32, Default: int32(7)}},
		{Name: "o", Index: 1, Schema: &connectors.Schema{Type: connectors.String, Optional: true, Default: "x"}},
	}}
	inner := &connectors.Schema{Type: connectors.Struct, Optional: true, Fields: []connectors.Field{
		{Name: "d", Index: 0, Schema: connectors.DateSchema(false)},
	}}
	outer := &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{
		{Name: "in", Index: 0, Schema: inner},
		{Name: "list", Index: 1, Schema: &connectors.Schema{Type: connectors.Array, Value: connectors.DecimalSchema(1, true)}},
	}}
	dateDefault := connectors.DateSchema(true)
	dateDefault.Default = connectors.DateFromDays(3)
	decDefault := connectors.DecimalSchema(2, false)
	decDefault.Default = connectors.NewDecimal(-1, 2)
	structDefault := &connectors.Schema{Type: connectors.Struct, Optional: true, Fields: []connectors.Field{
		{Name: "a", Index: 0, Schema: connectors.Int8Schema},
	}}
	structDefault.Default = jsonTestStruct(t, structDefault, "a", int8(1))
	decKeys := &connectors.Schema{Type: connectors.Map, Key: connectors.DecimalSchema(0, false), Value: connectors.BooleanSchema}
	day := time.Date(1997, 5, 19, 0, 0, 0, 0, time.UTC) // 10000 days
	tests := []struct {
		name   string // "decimal numeric..." runs with decimal.format=NUMERIC
		schema *connectors.Schema
		value  any
		want   string
	}{
		{"spec struct example", rec, jsonTestStruct(t, rec, "id", int64(1), "opt", "x"),
			`{"schema":` + jsonRecSchemaJSON + `,"payload":{"id":1,"opt":"x"}}`},
		{"unset optional field", rec, jsonTestStruct(t, rec, "id", int64(-5)),
			`{"schema":` + jsonRecSchemaJSON + `,"payload":{"id":-5,"opt":null}}`},
		{"equal schema, other pointer", rec, jsonTestStruct(t, jsonRecSchema(), "id", int64(2)),
			`{"schema":` + jsonRecSchemaJSON + `,"payload":{"id":2,"opt":null}}`},
		{"defaults fill unset fields", withDefault, connectors.NewStruct(withDefault),
			`{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"default":7,"field":"n"},{"type":"string","optional":true,"default":"x","field":"o"}],"optional":false},"payload":{"n":7,"o":"x"}}`},
		{"nested struct, logical fields", outer, jsonTestStruct(t, outer,
			"in", jsonTestStruct(t, inner, "d", day),
			"list", []any{connectors.NewDecimal(15, 1), nil}),
			`{"schema":{"type":"struct","fields":[{"type":"struct","fields":[` + strings.TrimSuffix(jsonDateSchemaJSON, "}") + `,"field":"d"}],"optional":true,"field":"in"},` +
				`{"type":"array","items":{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"1"}},"optional":false,"field":"list"}],"optional":false},` +
				`"payload":{"in":{"d":10000},"list":["Dw==",null]}}`},
		{"null nested struct", outer, jsonTestStruct(t, outer, "list", []any{}),
			`{"schema":{"type":"struct","fields":[{"type":"struct","fields":[` + strings.TrimSuffix(jsonDateSchemaJSON, "}") + `,"field":"d"}],"optional":true,"field":"in"},` +
				`{"type":"array","items":{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"1"}},"optional":false,"field":"list"}],"optional":false},` +
				`"payload":{"in":null,"list":[]}}`},
		{"decimal base64", connectors.DecimalSchema(2, false), connectors.NewDecimal(156, 2),
			`{"schema":` + jsonDecimal2SchemaJSON + `,"payload":"AJw="}`},
		{"decimal negative", connectors.DecimalSchema(2, false), connectors.NewDecimal(-1, 2),
			`{"schema":` + jsonDecimal2SchemaJSON + `,"payload":"/w=="}`},
		{"decimal zero", connectors.DecimalSchema(2, false), connectors.Decimal{Scale: 2},
			`{"schema":` + jsonDecimal2SchemaJSON + `,"payload":"AA=="}`},
		{"decimal -128", connectors.DecimalSchema(2, false), connectors.NewDecimal(-128, 2),
			`{"schema":` + jsonDecimal2SchemaJSON + `,"payload":"gA=="}`},
		{"decimal big", connectors.DecimalSchema(2, false), jsonTestDecimal(t, "-18446744073709551616", 2),
			`{"schema":` + jsonDecimal2SchemaJSON + `,"payload":"/wAAAAAAAAAA"}`},
		{"decimal numeric", connectors.DecimalSchema(4, false), connectors.NewDecimal(15600, 4),
			`{"schema":` + strings.Replace(jsonDecimal2SchemaJSON, `"2"`, `"4"`, 1) + `,"payload":1.5600}`},
		{"decimal numeric small", connectors.DecimalSchema(8, false), connectors.NewDecimal(-1, 8),
			`{"schema":` + strings.Replace(jsonDecimal2SchemaJSON, `"2"`, `"8"`, 1) + `,"payload":-1E-8}`},
		{"decimal numeric negative scale", connectors.DecimalSchema(-3, false), connectors.NewDecimal(1, -3),
			`{"schema":` + strings.Replace(jsonDecimal2SchemaJSON, `"2"`, `"-3"`, 1) + `,"payload":1E+3}`},
		{"decimal numeric, scale not checked", connectors.DecimalSchema(2, false), connectors.NewDecimal(15, 1),
			`{"schema":` + jsonDecimal2SchemaJSON + `,"payload":1.5}`},
		{"date", connectors.DateSchema(false), day, `{"schema":` + jsonDateSchemaJSON + `,"payload":10000}`},
		{"date before epoch", connectors.DateSchema(false), connectors.DateFromDays(-1), `{"schema":` + jsonDateSchemaJSON + `,"payload":-1}`},
		{"date in another zone", connectors.DateSchema(false), day.In(time.FixedZone("X", 3600)), `{"schema":` + jsonDateSchemaJSON + `,"payload":10000}`},
		{"time", connectors.TimeSchema(false), time.UnixMilli(14400000).UTC(), `{"schema":` + jsonTimeSchemaJSON + `,"payload":14400000}`},
		{"timestamp", connectors.TimestampSchema(false), time.UnixMilli(2000000000).UTC(), `{"schema":` + jsonTimestampSchemaJSON + `,"payload":2000000000}`},
		{"timestamp before epoch", connectors.TimestampSchema(false), time.UnixMilli(-1).UTC(), `{"schema":` + jsonTimestampSchemaJSON + `,"payload":-1}`},
		{"timestamp drops sub-millisecond digits", connectors.TimestampSchema(false), time.Unix(1, 999999).UTC(), `{"schema":` + jsonTimestampSchemaJSON + `,"payload":1000}`},
		{"optional logical null", connectors.TimestampSchema(true), nil,
			`{"schema":{"type":"int64","optional":true,"name":"org.apache.kafka.connect.data.Timestamp","version":1},"payload":null}`},
		{"logical default", dateDefault, nil,
			`{"schema":{"type":"int32","optional":true,"name":"org.apache.kafka.connect.data.Date","version":1,"default":3},"payload":3}`},
		{"decimal default", decDefault, connectors.NewDecimal(1, 2),
			`{"schema":` + strings.TrimSuffix(jsonDecimal2SchemaJSON, "}") + `,"default":"/w=="},"payload":"AQ=="}`},
		{"struct default", structDefault, nil,
			`{"schema":{"type":"struct","fields":[{"type":"int8","optional":false,"field":"a"}],"optional":true,"default":{"a":1}},"payload":{"a":1}}`},
		{"decimal map keys", decKeys, map[any]any{connectors.NewDecimal(1, 0): true},
			`{"schema":{"type":"map","keys":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"0"}},"values":{"type":"boolean","optional":false},"optional":false},"payload":[["AQ==",true]]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			format := "BASE64"
			if strings.HasPrefix(tt.name, "decimal numeric") {
				format = "NUMERIC"
			}
			enabled, disabled := mustJSON(t, KeyDecimalFormat, format), mustJSON(t, KeyDecimalFormat, format, KeySchemasEnable, "false")
			in := connectors.SchemaAndValue{Schema: tt.schema, Value: tt.value}
			got, err := enabled.FromConnect(ctx, "t", nil, in)
			if err != nil {
				t.Fatalf("FromConnect: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("FromConnect =\n %s\nwant\n %s", got, tt.want)
			}
			_, plain, _ := strings.Cut(strings.TrimSuffix(tt.want, "}"), `,"payload":`)
			got, err = disabled.FromConnect(ctx, "t", nil, in)
			if err != nil || string(got) != plain {
				t.Errorf("schemas.enable=false: FromConnect = %s, %v; want %s", got, err, plain)
			}
		})
	}
}

func TestJsonStructReplaceNullWithDefaultOff(t *testing.T) {
	s := &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{
		{Name: "o", Index: 0, Schema: &connectors.Schema{Type: connectors.String, Optional: true, Default: "x"}},
		{Name: "d", Index: 1, Schema: func() *connectors.Schema {
			d := connectors.DateSchema(true)
			d.Default = connectors.DateFromDays(1)
			return d
		}()},
	}}
	c := mustJSON(t, KeyReplaceNullWithDefault, "false", KeySchemasEnable, "false")
	got, err := c.FromConnect(ctx, "t", nil, connectors.SchemaAndValue{Schema: s, Value: connectors.NewStruct(s)})
	if err != nil || string(got) != `{"o":null,"d":null}` {
		t.Errorf("FromConnect = %s, %v", got, err)
	}
	// Reading: missing and null fields stay null without replacement, and
	// take the defaults with it.
	in := []byte(`{"schema":{"type":"struct","fields":[{"type":"string","optional":true,"default":"x","field":"o"},` +
		`{"type":"int32","optional":true,"name":"org.apache.kafka.connect.data.Date","version":1,"default":1,"field":"d"}]},"payload":{"o":null}}`)
	for _, replace := range []bool{false, true} {
		c := mustJSON(t, KeyReplaceNullWithDefault, map[bool]string{false: "false", true: "true"}[replace])
		sv, err := c.ToConnect(ctx, "t", nil, in)
		if err != nil {
			t.Fatalf("ToConnect: %v", err)
		}
		st := sv.Value.(*connectors.StructValue)
		o, _ := st.GetWithoutDefault("o")
		d, _ := st.GetWithoutDefault("d")
		if replace {
			if o != "x" || !d.(time.Time).Equal(connectors.DateFromDays(1)) {
				t.Errorf("with replacement: o=%v d=%v", o, d)
			}
		} else if o != nil || d != nil {
			t.Errorf("without replacement: o=%v d=%v, want nils", o, d)
		}
	}
}

func TestJsonFromConnectStructAndLogicalErrors(t *testing.T) {
	rec := jsonRecSchema()
	other := jsonRecSchema()
	other.Version = i32(3)
	noScale := &connectors.Schema{Type: connectors.Bytes, Name: connectors.DecimalName}
	required := &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{{Name: "s", Index: 0, Schema: connectors.StringSchema}}}
	tests := []struct {
		name   string
		schema *connectors.Schema
		value  any
		want   string
		model  bool // a data-model error: matches connectors.ErrInvalidData
	}{
		{"mismatching schema", rec, jsonTestStruct(t, other, "id", int64(1)), "Mismatching schema.", false},
		{"schemaless struct", nil, jsonTestStruct(t, rec, "id", int64(1)), "Mismatching schema.", false},
		{"struct with other value", rec, "x", "Invalid type for STRUCT: class java.lang.String", false},
		{"struct value for other type", connectors.StringSchema, jsonTestStruct(t, rec), "Invalid type for STRING: class org.apache.kafka.connect.data.Struct", false},
		{"required field unset", required, connectors.NewStruct(required), "Conversion error: null value for field that is required and has no default value", false},
		{"schemaless decimal", nil, connectors.NewDecimal(1, 0), "Java class class java.math.BigDecimal does not have corresponding schema type.", false},
		{"schemaless time", nil, time.Unix(0, 0), "Java class class java.util.Date does not have corresponding schema type.", false},
		{"schemaless decimal in a list", nil, []any{connectors.NewDecimal(1, 0)}, "Java class class java.math.BigDecimal does not have corresponding schema type.", false},
		{"decimal as bytes", connectors.BytesSchema, connectors.NewDecimal(1, 0), "Invalid type for bytes type: class java.math.BigDecimal", false},
		{"decimal wrong type", connectors.DecimalSchema(2, false), "1.5", "Invalid type for Decimal, expected BigDecimal but was class java.lang.String", false},
		{"decimal raw bytes", connectors.DecimalSchema(2, false), []byte{1}, "Invalid type for Decimal, expected BigDecimal but was class [B", false},
		{"decimal scale", connectors.DecimalSchema(2, false), connectors.NewDecimal(15, 1),
			"Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has scale 1.", true},
		{"decimal without scale", noScale, connectors.NewDecimal(15, 1), "Invalid Decimal schema: scale parameter not found.", true},
		{"date wrong type", connectors.DateSchema(false), int32(1), "Invalid type for Date, expected Date but was class java.lang.Integer", false},
		{"date with time", connectors.DateSchema(false), time.UnixMilli(1).UTC(), "Kafka Connect Date type should not have any time fields set to non-zero values.", true},
		{"time wrong type", connectors.TimeSchema(false), int32(1), "Invalid type for Time, expected Date but was class java.lang.Integer", false},
		{"time with date", connectors.TimeSchema(false), connectors.DateFromDays(1), "Kafka Connect Time type should not have any date fields set to non-zero values.", true},
		{"timestamp wrong type", connectors.TimestampSchema(false), int64(1), "Invalid type for Timestamp, expected Date but was class java.lang.Long", false},
		{"required logical null", connectors.TimestampSchema(false), nil, "Conversion error: null value for field that is required and has no default value", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mustJSON(t).FromConnect(ctx, "t", nil, connectors.SchemaAndValue{Schema: tt.schema, Value: tt.value})
			var de *DataError
			if !errors.As(err, &de) || err.Error() != tt.want {
				t.Fatalf("error = %v, want DataError %q", err, tt.want)
			}
			if errors.Is(err, ErrUnsupported) {
				t.Error("error wraps ErrUnsupported")
			}
			if errors.Is(err, connectors.ErrInvalidData) != tt.model {
				t.Errorf("errors.Is(err, connectors.ErrInvalidData) = %v", !tt.model)
			}
		})
	}
}

func TestJsonToConnectStructAndLogical(t *testing.T) {
	rec := jsonRecSchema()
	dec2 := connectors.DecimalSchema(2, false)
	tests := []struct {
		name   string
		in     string
		schema *connectors.Schema
		value  any
	}{
		{"spec struct example", `{"schema":` + jsonRecSchemaJSON + `,"payload":{"id":1,"opt":"x"}}`, rec,
			jsonTestStruct(t, rec, "id", int64(1), "opt", "x")},
		{"missing field is null, extra ignored", `{"schema":` + jsonRecSchemaJSON + `,"payload":{"extra":[1],"id":2}}`, rec,
			jsonTestStruct(t, rec, "id", int64(2))},
		{"duplicate member: last wins", `{"schema":` + jsonRecSchemaJSON + `,"payload":{"id":2,"id":3}}`, rec,
			jsonTestStruct(t, rec, "id", int64(3))},
		{"decimal base64", `{"schema":` + jsonDecimal2SchemaJSON + `,"payload":"AJw="}`, dec2, connectors.NewDecimal(156, 2)},
		{"decimal base64 negative", `{"schema":` + jsonDecimal2SchemaJSON + `,"payload":"/wAAAAAAAAAA"}`, dec2, jsonTestDecimal(t, "-18446744073709551616", 2)},
		{"decimal number keeps its scale", `{"schema":` + jsonDecimal2SchemaJSON + `,"payload":1.5600}`, dec2, connectors.NewDecimal(15600, 4)},
		{"decimal integer", `{"schema":` + jsonDecimal2SchemaJSON + `,"payload":-0012}`, dec2, connectors.NewDecimal(-12, 0)},
		{"decimal exponent", `{"schema":` + jsonDecimal2SchemaJSON + `,"payload":1.5e3}`, dec2, connectors.NewDecimal(15, -2)},
		{"decimal zero with scale", `{"schema":` + jsonDecimal2SchemaJSON + `,"payload":-0.00}`, dec2, connectors.Decimal{Unscaled: new(big.Int), Scale: 2}},
		{"decimal huge", `{"schema":` + jsonDecimal2SchemaJSON + `,"payload":123456789012345678901234567890.5}`, dec2, jsonTestDecimal(t, "1234567890123456789012345678905", 1)},
		{"date", `{"schema":` + jsonDateSchemaJSON + `,"payload":10000}`, connectors.DateSchema(false), time.Date(1997, 5, 19, 0, 0, 0, 0, time.UTC)},
		{"date negative, leading zeros", `{"schema":` + jsonDateSchemaJSON + `,"payload":-01}`, connectors.DateSchema(false), connectors.DateFromDays(-1)},
		{"time", `{"schema":` + jsonTimeSchemaJSON + `,"payload":14400000}`, connectors.TimeSchema(false), time.UnixMilli(14400000).UTC()},
		{"time end of day", `{"schema":` + jsonTimeSchemaJSON + `,"payload":86400000}`, connectors.TimeSchema(false), time.UnixMilli(86400000).UTC()},
		{"timestamp", `{"schema":` + jsonTimestampSchemaJSON + `,"payload":2000000000}`, connectors.TimestampSchema(false), time.UnixMilli(2000000000).UTC()},
		{"timestamp low 64 bits", `{"schema":` + jsonTimestampSchemaJSON + `,"payload":18446744073709551617}`, connectors.TimestampSchema(false), time.UnixMilli(1).UTC()},
		{"logical default", `{"schema":{"type":"int32","optional":true,"name":"org.apache.kafka.connect.data.Date","version":1,"default":3},"payload":null}`,
			func() *connectors.Schema {
				s := connectors.DateSchema(true)
				s.Default = connectors.DateFromDays(3)
				return s
			}(), connectors.DateFromDays(3)},
		{"decimal default", `{"schema":` + strings.TrimSuffix(jsonDecimal2SchemaJSON, "}") + `,"default":"/w=="},"payload":null}`,
			func() *connectors.Schema {
				s := connectors.DecimalSchema(2, false)
				s.Default = connectors.NewDecimal(-1, 2)
				return s
			}(), connectors.NewDecimal(-1, 2)},
	}
	c := mustJSON(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.ToConnect(ctx, "t", nil, []byte(tt.in))
			if err != nil {
				t.Fatalf("ToConnect: %v", err)
			}
			if !reflect.DeepEqual(got.Schema, tt.schema) {
				t.Errorf("schema = %+v, want %+v", got.Schema, tt.schema)
			}
			if !connectors.ValueEqual(got.Value, tt.value) {
				t.Errorf("value = %#v, want %#v", got.Value, tt.value)
			}
		})
	}
}

func TestJsonToConnectStructDefault(t *testing.T) {
	// A struct schema whose default is a struct of that schema.
	in := `{"schema":{"type":"struct","fields":[{"type":"int8","optional":false,"field":"a"}],"optional":true,"default":{"a":1}},"payload":null}`
	c := mustJSON(t)
	sv, err := c.ToConnect(ctx, "t", nil, []byte(in))
	if err != nil {
		t.Fatalf("ToConnect: %v", err)
	}
	st, ok := sv.Value.(*connectors.StructValue)
	if !ok {
		t.Fatalf("value = %#v, want a struct", sv.Value)
	}
	if a, _ := st.Get("a"); a != int8(1) || st.Schema() != sv.Schema {
		t.Errorf("value = %v with schema %p, want a=1 with schema %p", st, st.Schema(), sv.Schema)
	}
	out, err := c.FromConnect(ctx, "t", nil, sv)
	if err != nil || string(out) != `{"schema":{"type":"struct","fields":[{"type":"int8","optional":false,"field":"a"}],"optional":true,"default":{"a":1}},"payload":{"a":1}}` {
		t.Errorf("FromConnect = %s, %v", out, err)
	}
}

func TestJsonToConnectStructAndLogicalErrors(t *testing.T) {
	req := `{"schema":{"type":"struct","fields":[{"type":"int64","field":"id"},{"type":"string","field":"s"}]},"payload":`
	dec := `{"schema":` + jsonDecimal2SchemaJSON + `,"payload":`
	tests := []struct {
		in   string
		want string
	}{
		{req + `{"s":"x"}}`, "Invalid null value for required INT64 field"},
		{req + `{"id":1,"s":null}}`, "Invalid null value for required STRING field"},
		{req + `{"id":1,"s":5}}`, `Invalid value: null used for required field: "s", schema type: STRING`},
		{req + `[1,"x"]}`, "Structs should be encoded as JSON objects, but found ARRAY"},
		{dec + `true}`, "Invalid type for Decimal, underlying representation should be numeric or bytes but was BOOLEAN"},
		{dec + `{}}`, "Invalid type for Decimal, underlying representation should be numeric or bytes but was OBJECT"},
		{dec + `"AJw"}`, "Invalid bytes for Decimal field: "},
		{dec + `""}`, "Invalid bytes for Decimal field: Zero length BigInteger"},
		{`{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal"},"payload":"AA=="}`,
			"Invalid bytes for Decimal field: Invalid Decimal schema: scale parameter not found."},
		{`{"schema":` + jsonDateSchemaJSON + `,"payload":1.0}`, "Invalid type for Date, underlying representation should be integer but was NUMBER"},
		{`{"schema":` + jsonDateSchemaJSON + `,"payload":2147483648}`, "Invalid type for Date, underlying representation should be integer but was NUMBER"},
		{`{"schema":` + jsonDateSchemaJSON + `,"payload":"1"}`, "Invalid type for Date, underlying representation should be integer but was STRING"},
		{`{"schema":` + jsonTimeSchemaJSON + `,"payload":1e3}`, "Invalid type for Time, underlying representation should be integer but was NUMBER"},
		{`{"schema":` + jsonTimeSchemaJSON + `,"payload":86400001}`, "Time values must use number of milliseconds greater than 0 and less than 86400000"},
		{`{"schema":` + jsonTimeSchemaJSON + `,"payload":-1}`, "Time values must use number of milliseconds greater than 0 and less than 86400000"},
		{`{"schema":` + jsonTimestampSchemaJSON + `,"payload":1.0}`, "Invalid type for Timestamp, underlying representation should be integral but was NUMBER"},
		{`{"schema":` + jsonTimestampSchemaJSON + `,"payload":false}`, "Invalid type for Timestamp, underlying representation should be integral but was BOOLEAN"},
		{`{"schema":` + jsonTimestampSchemaJSON + `,"payload":null}`, "Invalid null value for required INT64 field"},
		{`{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Date","default":1.5},"payload":1}`,
			"Invalid type for Date, underlying representation should be integer but was NUMBER"},
	}
	c := mustJSON(t)
	for _, tt := range tests {
		_, err := c.ToConnect(ctx, "t", nil, []byte(tt.in))
		var de *DataError
		if !errors.As(err, &de) || !strings.HasPrefix(err.Error(), tt.want) || (!strings.HasSuffix(tt.want, " ") && err.Error() != tt.want) {
			t.Errorf("ToConnect(%s) error = %v\nwant DataError %q", tt.in, err, tt.want)
		}
		if errors.Is(err, ErrUnsupported) {
			t.Errorf("ToConnect(%s): error wraps ErrUnsupported", tt.in)
		}
	}
}

// TestJsonRoundTripStructAndLogical converts Connect data to JSON and back
// for every type and logical type, in both decimal formats.
func TestJsonRoundTripStructAndLogical(t *testing.T) {
	all := &connectors.Schema{Type: connectors.Struct, Name: "all", Version: i32(1), Fields: nil}
	add := func(name string, s *connectors.Schema) {
		all.Fields = append(all.Fields, connectors.Field{Name: name, Index: len(all.Fields), Schema: s})
	}
	inner := &connectors.Schema{Type: connectors.Struct, Optional: true, Fields: []connectors.Field{
		{Name: "x", Index: 0, Schema: connectors.OptionalInt32Schema},
	}}
	add("i8", connectors.Int8Schema)
	add("i16", connectors.Int16Schema)
	add("i32", connectors.Int32Schema)
	add("i64", connectors.Int64Schema)
	add("f32", connectors.Float32Schema)
	add("f64", connectors.Float64Schema)
	add("bool", connectors.BooleanSchema)
	add("str", connectors.StringSchema)
	add("bytes", connectors.BytesSchema)
	add("arr", &connectors.Schema{Type: connectors.Array, Value: connectors.OptionalStringSchema})
	add("map", &connectors.Schema{Type: connectors.Map, Key: connectors.StringSchema, Value: connectors.Int64Schema})
	add("pairs", &connectors.Schema{Type: connectors.Map, Key: connectors.TimestampSchema(false), Value: connectors.DecimalSchema(3, true)})
	add("struct", inner)
	add("nullStruct", inner)
	add("dec", connectors.DecimalSchema(2, false))
	add("decNeg", connectors.DecimalSchema(-2, false))
	add("date", connectors.DateSchema(false))
	add("time", connectors.TimeSchema(false))
	add("ts", connectors.TimestampSchema(false))
	add("optDate", connectors.DateSchema(true))
	add("structs", &connectors.Schema{Type: connectors.Array, Value: inner})

	v := jsonTestStruct(t, all,
		"i8", int8(-8), "i16", int16(16), "i32", int32(-32), "i64", int64(math.MaxInt64),
		"f32", float32(1.5), "f64", -2.25e-300, "bool", true, "str", "é\n😀", "bytes", []byte{0, 0xff},
		"arr", []any{"a", nil}, "map", map[any]any{"k": int64(1)},
		"pairs", map[any]any{time.UnixMilli(-5).UTC(): connectors.NewDecimal(1234, 3)},
		"struct", jsonTestStruct(t, inner, "x", int32(3)),
		"dec", jsonTestDecimal(t, "-123456789012345678901234567890", 2),
		"decNeg", connectors.NewDecimal(7, -2),
		"date", connectors.DateFromDays(-719162), "time", time.UnixMilli(86399999).UTC(), "ts", time.UnixMilli(math.MinInt64/2).UTC(),
		"structs", []any{jsonTestStruct(t, inner), nil, jsonTestStruct(t, inner, "x", int32(-1))})
	tests := []connectors.SchemaAndValue{
		{Schema: all, Value: v},
		{Schema: connectors.DecimalSchema(0, false), Value: connectors.NewDecimal(0, 0)},
		{Schema: connectors.DecimalSchema(30, true), Value: jsonTestDecimal(t, "1", 30)},
		{Schema: connectors.DateSchema(false), Value: connectors.DateFromDays(math.MaxInt32)},
		{Schema: connectors.TimeSchema(false), Value: time.UnixMilli(0).UTC()},
		{Schema: connectors.TimestampSchema(false), Value: time.UnixMilli(math.MaxInt64).UTC()},
	}
	for _, format := range []string{"BASE64", "NUMERIC"} {
		c := mustJSON(t, KeyDecimalFormat, format)
		for _, in := range tests {
			b, err := c.FromConnect(ctx, "t", nil, in)
			if err != nil {
				t.Errorf("%s: FromConnect(%v): %v", format, in.Value, err)
				continue
			}
			out, err := c.ToConnect(ctx, "t", nil, b)
			if err != nil {
				t.Errorf("%s: ToConnect(%s): %v", format, b, err)
				continue
			}
			if !reflect.DeepEqual(out.Schema, in.Schema) || !connectors.ValueEqual(out.Value, in.Value) {
				t.Errorf("%s: round trip via %s:\n got %v\nwant %v", format, b, out.Value, in.Value)
			}
			again, err := c.FromConnect(ctx, "t", nil, out)
			if err != nil || string(again) != string(b) {
				t.Errorf("%s: second write = %s, %v\nwant %s", format, again, err, b)
			}
		}
	}
}
