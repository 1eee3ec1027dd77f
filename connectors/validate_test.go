package connectors

import (
	"errors"
	"math"
	"math/big"
	"testing"
	"time"
)

func TestValidateValue(t *testing.T) {
	point := &Schema{Type: Struct, Name: "Point", Fields: []Field{{Name: "x", Schema: Int32Schema}}}
	samePoint := &Schema{Type: Struct, Name: "Point", Fields: []Field{{Name: "x", Schema: Int32Schema}}}
	otherPoint := &Schema{Type: Struct, Name: "Point", Fields: []Field{{Name: "y", Schema: Int32Schema}}}
	good := NewStruct(point)
	if err := good.Put("x", int32(1)); err != nil {
		t.Fatal(err)
	}
	stringMap := &Schema{Type: Map, Key: StringSchema, Value: OptionalInt32Schema}
	day := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)

	tests := []struct {
		name   string
		schema *Schema
		v      any
		err    string // "" accepts
	}{
		{"int8", Int8Schema, int8(1), ""},
		{"int16", Int16Schema, int16(1), ""},
		{"int32", Int32Schema, int32(1), ""},
		{"int64", Int64Schema, int64(1), ""},
		{"float32", Float32Schema, float32(1), ""},
		{"float64", Float64Schema, math.NaN(), ""},
		{"boolean", BooleanSchema, false, ""},
		{"string", StringSchema, "", ""},
		{"bytes", BytesSchema, []byte{}, ""},
		{"array", &Schema{Type: Array, Value: StringSchema}, []any{"a"}, ""},
		{"map of string keys", stringMap, map[string]any{"a": int32(1), "b": nil}, ""},
		{"map of any keys", stringMap, map[any]any{"a": int32(1)}, ""},
		{"struct", point, good, ""},
		{"struct with an equal schema", samePoint, good, ""},
		{"null optional", OptionalStringSchema, nil, ""},
		{"decimal", DecimalSchema(2, false), NewDecimal(1, 2), ""},
		{"date", DateSchema(false), day, ""},
		{"time", TimeSchema(false), day, ""},
		{"timestamp", TimestampSchema(false), day, ""},

		{"null required", StringSchema, nil, `Invalid value: null used for required value, schema type: STRING`},
		{"null required with default", &Schema{Type: String, Default: "d"}, nil,
			`Invalid value: null used for required value, schema type: STRING`},
		{"int is not int32", Int32Schema, 1, `Invalid Go value for schema with type INT32: int for value`},
		{"int64 is not int32", &Schema{Type: Int32, Name: "n"}, int64(1), `Invalid Go value for schema "n" with type INT32: int64 for value`},
		{"float64 is not float32", Float32Schema, 1.0, `Invalid Go value for schema with type FLOAT32: float64 for value`},
		{"string is not bytes", BytesSchema, "x", `Invalid Go value for schema with type BYTES: string for value`},
		{"typed list is not array", &Schema{Type: Array, Value: StringSchema}, []string{"a"},
			`Invalid Go value for schema with type ARRAY: []string for value`},
		{"array element", &Schema{Type: Array, Value: Int64Schema}, []any{int64(1), "2"},
			`Invalid Go value for schema with type INT64: string for element of array value`},
		{"array without element schema", &Schema{Type: Array}, []any{}, `No schema defined for element of array value`},
		{"map key", &Schema{Type: Map, Key: Int8Schema, Value: StringSchema}, map[string]any{"a": "b"},
			`Invalid Go value for schema with type INT8: string for key of map value`},
		{"map value", stringMap, map[string]any{"a": "b"},
			`Invalid Go value for schema with type INT32: string for value of map value`},
		{"map without key schema", &Schema{Type: Map, Value: StringSchema}, map[any]any{}, `No schema defined for key of map value`},
		{"map without value schema", &Schema{Type: Map, Key: StringSchema}, map[any]any{}, `No schema defined for value of map value`},
		{"struct schema differs", otherPoint, good, `Struct schemas do not match.`},
		{"invalid struct", point, NewStruct(point), `Invalid value: null used for required field: "x", schema type: INT32`},
		{"nil struct pointer", point, (*StructValue)(nil), `Invalid Go value for schema "Point" with type STRUCT: *connectors.StructValue for value`},
		{"map is not struct", point, map[string]any{"x": int32(1)},
			`Invalid Go value for schema "Point" with type STRUCT: map[string]interface {} for value`},
		{"decimal as bytes", DecimalSchema(2, false), []byte{1},
			`Invalid Go value for schema "org.apache.kafka.connect.data.Decimal" with type BYTES: []byte for value`},
		{"date as int32", DateSchema(false), int32(1),
			`Invalid Go value for schema "org.apache.kafka.connect.data.Date" with type INT32: int32 for value`},
		{"timestamp as int64", TimestampSchema(false), int64(1),
			`Invalid Go value for schema "org.apache.kafka.connect.data.Timestamp" with type INT64: int64 for value`},
		{"no schema", nil, "x", `No schema defined for value`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateValue(tt.schema, tt.v)
			if tt.err == "" {
				if err != nil {
					t.Fatalf("ValidateValue = %v", err)
				}
				return
			}
			if err == nil || err.Error() != tt.err || !errors.Is(err, ErrInvalidData) {
				t.Fatalf("ValidateValue = %v, want %q", err, tt.err)
			}
		})
	}
}

func TestValidateValueTooDeep(t *testing.T) {
	s := &Schema{Type: Array, Optional: true}
	s.Value = s
	var v any
	for range maxNesting + 2 {
		v = []any{v}
	}
	if err := ValidateValue(s, v); !errors.Is(err, ErrTooDeep) || !errors.Is(err, ErrInvalidData) {
		t.Fatalf("ValidateValue of a too deep value = %v, want ErrTooDeep", err)
	}
}

func TestSchemaField(t *testing.T) {
	s := personSchema()
	f, ok := s.Field("age")
	if !ok || f.Name != "age" || f.Index != 2 || f.Schema.Default != int32(18) {
		t.Errorf("Field(age) = %+v, %v", f, ok)
	}
	if _, ok := s.Field("nope"); ok {
		t.Error("Field(nope) found")
	}
	if _, ok := Int32Schema.Field("x"); ok {
		t.Error("Field on a non-struct schema found")
	}
	if _, ok := (*Schema)(nil).Field("x"); ok {
		t.Error("Field on a nil schema found")
	}
}

func TestSchemaEqual(t *testing.T) {
	base := func() *Schema {
		return &Schema{
			Type: Struct, Name: "n", Version: int32p(2), Doc: "d",
			Parameters: map[string]string{"a": "b"},
			Fields: []Field{
				{Name: "f", Index: 0, Schema: &Schema{Type: Bytes, Optional: true, Default: []byte("x")}},
				{Name: "m", Index: 1, Schema: &Schema{Type: Map, Key: StringSchema, Value: &Schema{Type: Array, Value: Float64Schema}}},
			},
		}
	}
	tests := []struct {
		name   string
		change func(s *Schema)
		want   bool
	}{
		{"identical", func(*Schema) {}, true},
		{"type", func(s *Schema) { s.Type = Map }, false},
		{"optional", func(s *Schema) { s.Optional = true }, false},
		{"name", func(s *Schema) { s.Name = "m" }, false},
		{"version", func(s *Schema) { s.Version = int32p(3) }, false},
		{"no version", func(s *Schema) { s.Version = nil }, false},
		{"doc", func(s *Schema) { s.Doc = "" }, false},
		{"parameter value", func(s *Schema) { s.Parameters["a"] = "c" }, false},
		{"extra parameter", func(s *Schema) { s.Parameters["z"] = "" }, false},
		{"field name", func(s *Schema) { s.Fields[0].Name = "g" }, false},
		{"field index", func(s *Schema) { s.Fields[0].Index = 1 }, false},
		{"field count", func(s *Schema) { s.Fields = s.Fields[:1] }, false},
		{"bytes default content", func(s *Schema) { s.Fields[0].Schema.Default = []byte("y") }, false},
		{"equal bytes default", func(s *Schema) { s.Fields[0].Schema.Default = []byte("x") }, true},
		{"nested value schema", func(s *Schema) { s.Fields[1].Schema.Value.Value = Float32Schema }, false},
		{"key schema", func(s *Schema) { s.Fields[1].Schema.Key = OptionalStringSchema }, false},
		{"nested shared predefined", func(s *Schema) { s.Fields[1].Schema.Key = &Schema{Type: String} }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := base(), base()
			tt.change(b)
			if got := SchemaEqual(a, b); got != tt.want {
				t.Errorf("SchemaEqual = %v, want %v", got, tt.want)
			}
			if got := SchemaEqual(b, a); got != tt.want {
				t.Errorf("SchemaEqual reversed = %v, want %v", got, tt.want)
			}
		})
	}
	if !SchemaEqual(nil, nil) || SchemaEqual(nil, Int8Schema) || SchemaEqual(Int8Schema, OptionalInt8Schema) {
		t.Error("nil and predefined schema equality")
	}
	if !SchemaEqual(&Schema{Type: String, Parameters: map[string]string{}}, StringSchema) {
		t.Error("empty and nil parameters differ")
	}
	if !SchemaEqual(&Schema{Type: Int32, Default: int32(1)}, &Schema{Type: Int32, Default: int32(1)}) ||
		SchemaEqual(&Schema{Type: Int32, Default: int32(1)}, &Schema{Type: Int32, Default: int64(1)}) {
		t.Error("default equality")
	}
}

func TestValueEqual(t *testing.T) {
	dec := func(n int64, scale int32) Decimal { return Decimal{Unscaled: big.NewInt(n), Scale: scale} }
	tests := []struct {
		name string
		a, b any
		want bool
	}{
		{"bytes by content", []byte("ab"), []byte("ab"), true},
		{"NaN equals NaN", math.NaN(), math.NaN(), true},
		{"zero signs differ", 0.0, math.Copysign(0, -1), false},
		{"decimal scale matters", dec(15, 1), dec(150, 2), false},
		{"decimal keys by value", map[any]any{dec(1, 0): "x"}, map[any]any{dec(1, 0): "x"}, true},
		{"different values", map[any]any{dec(1, 0): "x"}, map[any]any{dec(1, 0): "y"}, false},
		{"lists element-wise", []any{int32(1), "a"}, []any{int32(1), "a"}, true},
		{"types differ", int32(1), int64(1), false},
	}
	for _, tt := range tests {
		if got := ValueEqual(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: ValueEqual = %v, want %v", tt.name, got, tt.want)
		}
	}
}
