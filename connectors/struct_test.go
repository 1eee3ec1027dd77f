package connectors

import (
	"errors"
	"math"
	"testing"
	"time"
)

func int32p(v int32) *int32 { return &v }

// personSchema is a struct schema with required, optional and defaulted fields.
func personSchema() *Schema {
	return &Schema{
		Type: Struct,
		Name: "com.example.Person",
		Fields: []Field{
			{Name: "id", Index: 0, Schema: Int64Schema},
			{Name: "name", Index: 1, Schema: OptionalStringSchema},
			{Name: "age", Index: 2, Schema: &Schema{Type: Int32, Default: int32(18)}},
			{Name: "tags", Index: 3, Schema: &Schema{Type: Array, Optional: true, Value: StringSchema}},
		},
	}
}

func TestStructPutGet(t *testing.T) {
	s := NewStruct(personSchema())
	tests := []struct {
		field string
		v     any
		err   string
	}{
		{"id", int64(7), ""},
		{"id", int32(7), `Invalid Go value for schema with type INT64: int32 for field: "id"`},
		{"id", nil, `Invalid value: null used for required field: "id", schema type: INT64`},
		{"name", "Ann", ""},
		{"name", nil, ""},
		{"age", nil, `Invalid value: null used for required field: "age", schema type: INT32`},
		{"age", "x", `Invalid Go value for schema with type INT32: string for field: "age"`},
		{"tags", []any{"a", nil}, `Invalid value: null used for required element of array field: "tags", schema type: STRING`},
		{"tags", []any{"a", []byte("b")}, `Invalid Go value for schema with type STRING: []byte for element of array field: "tags"`},
		{"nope", int64(1), "nope is not a valid field name"},
	}
	for _, tt := range tests {
		t.Run(tt.field+"="+tt.err, func(t *testing.T) {
			err := s.Put(tt.field, tt.v)
			if tt.err == "" {
				if err != nil {
					t.Fatalf("Put(%q, %v) = %v", tt.field, tt.v, err)
				}
				got, err := s.GetWithoutDefault(tt.field)
				if err != nil || !valueEqual(got, tt.v, 0) {
					t.Fatalf("GetWithoutDefault(%q) = %v, %v; want %v", tt.field, got, err, tt.v)
				}
				return
			}
			if err == nil || err.Error() != tt.err || !errors.Is(err, ErrInvalidData) {
				t.Fatalf("Put(%q, %v) = %v, want %q", tt.field, tt.v, err, tt.err)
			}
		})
	}

	// Refused puts left the last good values.
	want := map[string]any{"id": int64(7), "name": nil, "age": int32(18), "tags": nil}
	for f, w := range want {
		got, err := s.Get(f)
		if err != nil || !valueEqual(got, w, 0) {
			t.Errorf("Get(%q) = %v, %v; want %v", f, got, err, w)
		}
	}
	if v, err := s.GetWithoutDefault("age"); v != nil || err != nil {
		t.Errorf("GetWithoutDefault(age) = %v, %v; want nil", v, err)
	}
	if _, err := s.Get("nope"); err == nil || err.Error() != "nope is not a valid field name" {
		t.Errorf("Get(nope) error = %v", err)
	}
	if s.Schema().Name != "com.example.Person" {
		t.Errorf("Schema() = %v", s.Schema())
	}
}

func TestStructValidate(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]any
		err  string
	}{
		{"required missing", map[string]any{"name": "x"}, `Invalid value: null used for required field: "id", schema type: INT64`},
		{"defaulted and optional unset", map[string]any{"id": int64(1)}, ""},
		{"all set", map[string]any{"id": int64(1), "name": "n", "age": int32(3), "tags": []any{}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewStruct(personSchema())
			for f, v := range tt.set {
				if err := s.Put(f, v); err != nil {
					t.Fatal(err)
				}
			}
			err := s.Validate()
			if tt.err == "" {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			if err == nil || err.Error() != tt.err || !errors.Is(err, ErrInvalidData) {
				t.Fatalf("Validate() = %v, want %q", err, tt.err)
			}
		})
	}
}

func TestStructNotStruct(t *testing.T) {
	s := NewStruct(StringSchema)
	if err := s.Put("a", "b"); err == nil || err.Error() != "Cannot look up fields on non-struct type" {
		t.Errorf("Put on non-struct = %v", err)
	}
	if _, err := s.Get("a"); err == nil {
		t.Error("Get on non-struct succeeded")
	}
	if err := s.Validate(); err == nil || err.Error() != "Cannot list fields on non-struct type" {
		t.Errorf("Validate on non-struct = %v", err)
	}
	if got := s.String(); got != "Struct{}" {
		t.Errorf("String() = %q", got)
	}
}

func mustStruct(t *testing.T, schema *Schema, kv ...any) *StructValue {
	t.Helper()
	s := NewStruct(schema)
	for i := 0; i < len(kv); i += 2 {
		if err := s.Put(kv[i].(string), kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestStructString(t *testing.T) {
	inner := &Schema{Type: Struct, Optional: true, Fields: []Field{{Name: "x", Schema: Float64Schema}}}
	schema := &Schema{Type: Struct, Fields: []Field{
		{Name: "f1", Index: 0, Schema: StringSchema},
		{Name: "f2", Index: 1, Schema: OptionalInt32Schema},
		{Name: "f3", Index: 2, Schema: OptionalBooleanSchema},
		{Name: "list", Index: 3, Schema: &Schema{Type: Array, Optional: true, Value: Int64Schema}},
		{Name: "map", Index: 4, Schema: &Schema{Type: Map, Optional: true, Key: StringSchema, Value: StringSchema}},
		{Name: "in", Index: 5, Schema: inner},
		{Name: "dec", Index: 6, Schema: DecimalSchema(2, true)},
		{Name: "f", Index: 7, Schema: OptionalFloat32Schema},
	}}
	tests := []struct {
		name string
		kv   []any
		want string
	}{
		{"empty", nil, "Struct{}"},
		{"spec example", []any{"f1", "v1", "f2", int32(2)}, "Struct{f1=v1,f2=2}"},
		{"nulls skipped", []any{"f1", "v1", "f3", true}, "Struct{f1=v1,f3=true}"},
		{"only later field", []any{"f2", int32(-5)}, "Struct{f2=-5}"},
		{"list and map", []any{"list", []any{int64(1), int64(2)}, "map", map[string]any{"a": "b"}}, "Struct{list=[1, 2],map={a=b}}"},
		{"nested", []any{"f1", "", "in", mustStruct(t, inner, "x", 1.5)}, "Struct{f1=,in=Struct{x=1.5}}"},
		{"decimal", []any{"dec", NewDecimal(-1560, 2)}, "Struct{dec=-15.60}"},
		{"float", []any{"f", float32(1e10)}, "Struct{f=1.0E10}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustStruct(t, schema, tt.kv...)
			if got := s.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if got, err := JavaString(s); err != nil || got != tt.want {
				t.Errorf("JavaString = %q, %v; want %q", got, err, tt.want)
			}
			if got, err := JavaString([]any{s, nil}); err != nil || got != "["+tt.want+", null]" {
				t.Errorf("JavaString in a list = %q, %v", got, err)
			}
		})
	}
	if got, _ := JavaString((*StructValue)(nil)); got != "null" {
		t.Errorf("nil *StructValue = %q", got)
	}
}

func TestStructEqual(t *testing.T) {
	schema := &Schema{Type: Struct, Fields: []Field{
		{Name: "b", Index: 0, Schema: OptionalBytesSchema},
		{Name: "d", Index: 1, Schema: OptionalFloat64Schema},
		{Name: "t", Index: 2, Schema: TimestampSchema(true)},
	}}
	other := &Schema{Type: Struct, Name: "other", Fields: schema.Fields}
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	base := []any{"b", []byte("x"), "d", math.NaN(), "t", at}
	tests := []struct {
		name string
		a, b *StructValue
		want bool
	}{
		{"same content", mustStruct(t, schema, base...), mustStruct(t, schema, base...), true},
		{"instant in another zone", mustStruct(t, schema, "t", at), mustStruct(t, schema, "t", at.In(time.FixedZone("X", 3600))), true},
		{"bytes differ", mustStruct(t, schema, "b", []byte("x")), mustStruct(t, schema, "b", []byte("y")), false},
		{"zero signs differ", mustStruct(t, schema, "d", 0.0), mustStruct(t, schema, "d", math.Copysign(0, -1)), false},
		{"unset vs set", mustStruct(t, schema), mustStruct(t, schema, "d", 1.0), false},
		{"schemas differ", mustStruct(t, schema), mustStruct(t, other), false},
		{"nil", mustStruct(t, schema), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Equal(tt.b); got != tt.want {
				t.Errorf("Equal = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestStructCopy(t *testing.T) {
	s := mustStruct(t, personSchema(), "id", int64(1))
	c := s.Copy()
	if !c.Equal(s) {
		t.Fatal("copy differs")
	}
	if err := c.Put("id", int64(2)); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Get("id"); v != int64(1) {
		t.Errorf("Put on copy changed the original: id = %v", v)
	}
}
