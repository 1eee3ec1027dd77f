package transforms

import (
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func TestValueToKey(t *testing.T) {
	tr := mustTransform(t, Package+".ValueToKey", map[string]string{"fields": "a,b"})

	out, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Value: map[string]any{"a": int32(1), "c": int32(3)}}})
	wantErr(t, err, "")
	if want := map[string]any{"a": int32(1), "b": nil}; !connectors.ValueEqual(out.Key.Value, want) || out.Key.Schema != nil {
		t.Errorf("schemaless key %v", out.Key)
	}

	schema := structOf(fld("a", connectors.Int32Schema), fld("b", &connectors.Schema{Type: connectors.Int32, Optional: true, Default: int32(9)}), fld("c", connectors.Int32Schema))
	value := structVal(t, schema, "a", int32(1), "c", int32(3))
	out, _, err = apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Schema: schema, Value: value}})
	wantErr(t, err, "")
	keySchema := structOf(fld("a", connectors.Int32Schema), fld("b", schema.Fields[1].Schema))
	if !connectors.SchemaEqual(out.Key.Schema, keySchema) || !connectors.ValueEqual(out.Key.Value, structVal(t, keySchema, "a", int32(1), "b", int32(9))) {
		t.Errorf("key %v", out.Key)
	}

	_, _, err = apply(t, mustTransform(t, Package+".ValueToKey", map[string]string{"fields": "not_exist"}),
		connectors.Record{Value: connectors.SchemaAndValue{Schema: schema, Value: value}})
	wantDataErr(t, err, "Field does not exist: not_exist")
	_, _, err = apply(t, tr, connectors.Record{})
	wantDataErr(t, err, "Only Map objects supported in absence of schema for [copying fields from value to key], found: null")
	_, _, err = apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Schema: schema}})
	wantDataErr(t, err, "Only Struct objects supported for [copying fields from value to key], found: null")
}

func TestValueToKeyWithoutDefault(t *testing.T) {
	tr := mustTransform(t, Package+".ValueToKey", map[string]string{"fields": "b", "replace.null.with.default": "false"})
	schema := structOf(fld("b", &connectors.Schema{Type: connectors.Int32, Optional: true, Default: int32(9)}))
	out, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Schema: schema, Value: structVal(t, schema)}})
	wantErr(t, err, "")
	if got, _ := out.Key.Value.(*connectors.StructValue).GetWithoutDefault("b"); got != nil {
		t.Errorf("got %v", got)
	}
}
