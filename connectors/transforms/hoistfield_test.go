package transforms

import (
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func TestHoistField(t *testing.T) {
	key := mustTransform(t, Package+".HoistField$Key", map[string]string{"field": "magic"})
	out, _, err := apply(t, key, connectors.Record{Key: connectors.SchemaAndValue{Value: int32(42)}, Value: connectors.SchemaAndValue{Value: "v"}})
	wantErr(t, err, "")
	if !connectors.ValueEqual(out.Key.Value, map[string]any{"magic": int32(42)}) || out.Value.Value != "v" {
		t.Errorf("schemaless %+v", out)
	}
	// A null is wrapped too.
	out, _, _ = apply(t, key, connectors.Record{})
	if !connectors.ValueEqual(out.Key.Value, map[string]any{"magic": nil}) {
		t.Errorf("null %+v", out.Key)
	}

	out, _, err = apply(t, key, connectors.Record{Key: connectors.SchemaAndValue{Schema: connectors.Int32Schema, Value: int32(42)}})
	wantErr(t, err, "")
	want := structOf(fld("magic", connectors.Int32Schema))
	if !connectors.SchemaEqual(out.Key.Schema, want) || !connectors.ValueEqual(out.Key.Value, structVal(t, want, "magic", int32(42))) {
		t.Errorf("with schema %+v", out.Key)
	}

	_, _, err = apply(t, key, connectors.Record{Key: connectors.SchemaAndValue{Schema: connectors.StringSchema}})
	wantDataErr(t, err, `Invalid value: null used for required field: "magic", schema type: STRING`)
	empty := mustTransform(t, Package+".HoistField$Value", map[string]string{"field": ""})
	_, _, err = apply(t, empty, connectors.Record{Value: connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: "x"}})
	wantDataErr(t, err, "fieldName cannot be null.")
}
