package transforms

import (
	"errors"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

const flattenClass = Package + ".Flatten$Value"

func TestFlattenExample(t *testing.T) {
	tr := mustTransform(t, flattenClass, map[string]string{"delimiter": "_"})
	in := map[string]any{"id": int64(1), "address": map[string]any{"city": "Oslo", "geo": map[string]any{"lat": 59.9}}}
	out, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Value: in}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"id": int64(1), "address_city": "Oslo", "address_geo_lat": 59.9}
	if !connectors.ValueEqual(out.Value.Value, want) {
		t.Fatalf("got %v", out.Value.Value)
	}
}

func TestFlattenSchemaless(t *testing.T) {
	tr := mustTransform(t, flattenClass, nil)
	in := map[string]any{"a": nil, "b": []any{map[string]any{"x": 1}}, "c": map[any]any{"d": []byte("x"), "e": map[string]any{}}}
	out, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Value: in}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"a": nil, "b": []any{map[string]any{"x": 1}}, "c.d": []byte("x")}
	if !connectors.ValueEqual(out.Value.Value, want) {
		t.Fatalf("got %v", out.Value.Value)
	}
	_, _, err = apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Value: map[string]any{"s": connectors.NewStruct(&connectors.Schema{Type: connectors.Struct})}}})
	if !errors.Is(err, connectors.ErrInvalidData) || err.Error() != "Flatten transformation does not support class org.apache.kafka.connect.data.Struct for record without schemas (for field s)." {
		t.Fatalf("struct: %v", err)
	}
}

func TestFlattenWithSchema(t *testing.T) {
	inner := &connectors.Schema{Type: connectors.Struct, Optional: true, Fields: []connectors.Field{
		{Name: "x", Index: 0, Schema: connectors.Int32Schema},
		{Name: "y", Index: 1, Schema: &connectors.Schema{Type: connectors.String, Default: "dflt"}},
	}}
	schema := &connectors.Schema{Type: connectors.Struct, Name: "rec", Optional: true, Fields: []connectors.Field{
		{Name: "id", Index: 0, Schema: connectors.Int64Schema},
		{Name: "in", Index: 1, Schema: inner},
		{Name: "list", Index: 2, Schema: &connectors.Schema{Type: connectors.Array, Value: connectors.StringSchema}},
	}}
	n := connectors.NewStruct(inner)
	_ = n.Put("x", int32(3))
	v := connectors.NewStruct(schema)
	_ = v.Put("id", int64(1))
	_ = v.Put("in", n)
	_ = v.Put("list", []any{"a"})
	tr := mustTransform(t, flattenClass, nil)
	out, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Schema: schema, Value: v}})
	if err != nil {
		t.Fatal(err)
	}
	wantSchema := &connectors.Schema{Type: connectors.Struct, Name: "rec", Fields: []connectors.Field{
		{Name: "id", Index: 0, Schema: connectors.OptionalInt64Schema}, // the record schema is optional
		{Name: "in.x", Index: 1, Schema: connectors.OptionalInt32Schema},
		{Name: "in.y", Index: 2, Schema: &connectors.Schema{Type: connectors.String, Optional: true, Default: "dflt"}},
		{Name: "list", Index: 3, Schema: &connectors.Schema{Type: connectors.Array, Optional: true, Value: connectors.StringSchema}},
	}}
	if !connectors.SchemaEqual(out.Value.Schema, wantSchema) {
		t.Fatalf("schema %+v", out.Value.Schema)
	}
	got := out.Value.Value.(*connectors.StructValue)
	for name, want := range map[string]any{"id": int64(1), "in.x": int32(3), "in.y": "dflt", "list": []any{"a"}} {
		if v, _ := got.GetWithoutDefault(name); !connectors.ValueEqual(v, want) {
			t.Errorf("%s = %v, want %v", name, v, want)
		}
	}

	withMap := &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{
		{Name: "m", Index: 0, Schema: &connectors.Schema{Type: connectors.Map, Key: connectors.StringSchema, Value: connectors.StringSchema}},
	}}
	_, _, err = apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Schema: withMap, Value: connectors.NewStruct(withMap)}})
	if err == nil || !strings.Contains(err.Error(), "Flatten transformation does not support MAP for record with schemas (for field m).") {
		t.Fatalf("map: %v", err)
	}
}

func TestFlattenNullUnchanged(t *testing.T) {
	tr := mustTransform(t, Package+".Flatten$Key", nil)
	in := connectors.Record{Key: connectors.SchemaAndValue{Schema: &connectors.Schema{Type: connectors.Struct, Optional: true}}}
	out, keep, err := apply(t, tr, in)
	if err != nil || !keep || !recordEqual(out, in) {
		t.Fatalf("got %+v %v", out, err)
	}
}
