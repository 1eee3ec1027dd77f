package transforms

import (
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func TestHeaderFromConfig(t *testing.T) {
	class := Package + ".HeaderFrom$Value"
	wantConfigErr(t, class, map[string]string{"fields": "a,b", "headers": "h", "operation": "copy"}, KeyHeaderFromHeaders,
		"'fields' config must have the same number of elements as 'headers' config.")
	wantConfigErr(t, class, map[string]string{"fields": "a", "headers": "h", "operation": "Copy"}, KeyHeaderFromOperation, "String must be one of: move, copy")
	wantConfigErr(t, class, map[string]string{"fields": "", "headers": "h", "operation": "copy"}, KeyHeaderFromFields, "Empty list")
}

func TestHeaderFromSchemaless(t *testing.T) {
	old := connectors.Headers{{Key: "h0", Value: connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: "x"}}}
	value := map[string]any{"a": int64(1), "b": "two", "c": true}
	for _, tt := range []struct {
		op   string
		want map[string]any
	}{
		{"move", map[string]any{"c": true}},
		{"copy", value},
	} {
		tr := mustTransform(t, Package+".HeaderFrom$Value", map[string]string{"fields": "a,b,missing", "headers": "h1,h2,h3", "operation": tt.op})
		out, _, err := apply(t, tr, connectors.Record{Headers: old, Value: connectors.SchemaAndValue{Value: value}})
		wantErr(t, err, "")
		if !connectors.ValueEqual(out.Value.Value, tt.want) {
			t.Errorf("%s: value %v", tt.op, out.Value.Value)
		}
		want := connectors.Record{Headers: old.With("h1", connectors.SchemaAndValue{Value: int64(1)}).
			With("h2", connectors.SchemaAndValue{Value: "two"}).With("h3", connectors.SchemaAndValue{})}
		if !recordEqual(connectors.Record{Headers: out.Headers}, want) {
			t.Errorf("%s: headers %+v", tt.op, out.Headers)
		}
	}
	tr := mustTransform(t, Package+".HeaderFrom$Key", map[string]string{"fields": "a", "headers": "h", "operation": "copy"})
	_, _, err := apply(t, tr, connectors.Record{})
	wantDataErr(t, err, "Only Map objects supported in absence of schema for [header copy], found: null")
}

func TestHeaderFromWithSchemaKey(t *testing.T) {
	v := int32(2)
	optDefault := &connectors.Schema{Type: connectors.String, Optional: true, Default: "d"}
	schema := structOf(fld("a", connectors.Int32Schema), fld("b", optDefault), fld("c", connectors.BooleanSchema))
	schema.Name, schema.Version = "rec", &v
	key := structVal(t, schema, "a", int32(1), "c", true)

	for _, tt := range []struct {
		op, replace string
		wantB       any
		wantSchema  *connectors.Schema
	}{
		{"move", "true", "d", structOf(fld("c", connectors.BooleanSchema))},
		{"move", "false", nil, structOf(fld("c", connectors.BooleanSchema))},
		{"copy", "true", "d", schema},
	} {
		tr := mustTransform(t, Package+".HeaderFrom$Key", map[string]string{"fields": "a,b", "headers": "ha,hb", "operation": tt.op, "replace.null.with.default": tt.replace})
		out, _, err := apply(t, tr, connectors.Record{Key: connectors.SchemaAndValue{Schema: schema, Value: key}})
		wantErr(t, err, "")
		if tt.op == "move" {
			tt.wantSchema.Name, tt.wantSchema.Version = "rec", &v
		}
		if !connectors.SchemaEqual(out.Key.Schema, tt.wantSchema) {
			t.Errorf("%s: schema %+v", tt.op, out.Key.Schema)
		}
		if tt.op == "copy" && out.Key.Value != key {
			t.Error("copy rebuilt the key")
		}
		if c, _ := out.Key.Value.(*connectors.StructValue).Get("c"); c != true {
			t.Errorf("c = %v", c)
		}
		want := connectors.Headers{{Key: "ha", Value: connectors.SchemaAndValue{Schema: connectors.Int32Schema, Value: int32(1)}},
			{Key: "hb", Value: connectors.SchemaAndValue{Schema: optDefault, Value: tt.wantB}}}
		if !recordEqual(connectors.Record{Headers: out.Headers}, connectors.Record{Headers: want}) {
			t.Errorf("%s %s: headers %+v", tt.op, tt.replace, out.Headers)
		}
	}

	tr := mustTransform(t, Package+".HeaderFrom$Key", map[string]string{"fields": "missing", "headers": "h", "operation": "copy"})
	_, _, err := apply(t, tr, connectors.Record{Key: connectors.SchemaAndValue{Schema: schema, Value: key}})
	wantErr(t, err, `because the return value of "org.apache.kafka.connect.data.Schema.field(String)" is null`)
	_, _, err = apply(t, tr, connectors.Record{Key: connectors.SchemaAndValue{Schema: schema}})
	wantDataErr(t, err, "Only Struct objects supported for [header copy], found: null")

	// A required field left unset cannot become a header.
	unset := connectors.NewStruct(schema)
	tr = mustTransform(t, Package+".HeaderFrom$Key", map[string]string{"fields": "a", "headers": "h", "operation": "copy"})
	_, _, err = apply(t, tr, connectors.Record{Key: connectors.SchemaAndValue{Schema: schema, Value: unset}})
	wantDataErr(t, err, "A null value requires an optional schema but was Schema{INT32}")
}
