package connectors

import (
	"errors"
	"testing"
)

func TestProject(t *testing.T) {
	v1 := &Schema{Type: Struct, Name: "r", Fields: []Field{
		{Name: "id", Index: 0, Schema: Int32Schema},
		{Name: "old", Index: 1, Schema: StringSchema},
	}}
	v2 := &Schema{Type: Struct, Name: "r", Fields: []Field{
		{Name: "id", Index: 0, Schema: Int64Schema},
		{Name: "note", Index: 1, Schema: OptionalStringSchema},
		{Name: "n", Index: 2, Schema: &Schema{Type: Int32, Default: int32(7)}},
	}}
	rec := NewStruct(v1)
	if err := rec.Put("id", int32(5)); err != nil {
		t.Fatal(err)
	}
	if err := rec.Put("old", "x"); err != nil {
		t.Fatal(err)
	}
	got, err := Project(v1, rec, v2)
	if err != nil {
		t.Fatal(err)
	}
	want := NewStruct(v2)
	want.values = []any{int64(5), nil, int32(7)}
	if !ValueEqual(got, want) {
		t.Fatalf("Project = %v, want %v", got, want)
	}

	tests := []struct {
		name           string
		source, target *Schema
		in, want       any
		err            bool
	}{
		{name: "int8 to double", source: Int8Schema, target: Float64Schema, in: int8(-3), want: float64(-3)},
		{name: "int32 to float", source: Int32Schema, target: Float32Schema, in: int32(16), want: float32(16)},
		{name: "same type", source: StringSchema, target: OptionalStringSchema, in: "a", want: "a"},
		{name: "optional null to default", source: OptionalInt32Schema, target: &Schema{Type: Int32, Default: int32(1)}, in: nil, want: int32(1)},
		{name: "optional to required without default", source: OptionalInt32Schema, target: Int32Schema, in: int32(1), err: true},
		{name: "narrowing", source: Int64Schema, target: Int32Schema, in: int64(1), err: true},
		{name: "type mismatch", source: StringSchema, target: BytesSchema, in: "a", err: true},
		{name: "name mismatch", source: &Schema{Type: Int32, Name: "a"}, target: &Schema{Type: Int32, Name: "b"}, in: int32(1), err: true},
		{name: "parameters differ", source: DecimalSchema(2, false), target: DecimalSchema(3, false), in: []byte{1}, err: true},
		{name: "array elements widen", source: &Schema{Type: Array, Value: Int16Schema}, target: &Schema{Type: Array, Value: Int64Schema},
			in: []any{int16(1), int16(2)}, want: []any{int64(1), int64(2)}},
		{name: "map values widen", source: &Schema{Type: Map, Key: StringSchema, Value: Int32Schema}, target: &Schema{Type: Map, Key: StringSchema, Value: Float64Schema},
			in: map[any]any{"a": int32(2)}, want: map[any]any{"a": float64(2)}},
		{name: "schemaless to schema", source: nil, target: StringSchema, in: "a", err: true},
		{name: "required field missing", source: v2, target: v1, in: NewStruct(v2), err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Project(tt.source, tt.in, tt.target)
			if tt.err {
				if !errors.Is(err, ErrProjection) {
					t.Fatalf("Project = %v, %v; want an ErrProjection", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !ValueEqual(got, tt.want) {
				t.Fatalf("Project = %#v, want %#v", got, tt.want)
			}
		})
	}
}
