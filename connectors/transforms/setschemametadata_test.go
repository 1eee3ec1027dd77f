package transforms

import (
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func TestSetSchemaMetadataConfig(t *testing.T) {
	wantConfigErr(t, Package+".SetSchemaMetadata$Value", map[string]string{}, KeySchemaName, "Neither schema name nor version configured")
	wantConfigErr(t, Package+".SetSchemaMetadata$Value", map[string]string{"schema.version": "x"}, KeySchemaVersion, "not a number")
}

func TestSetSchemaMetadata(t *testing.T) {
	tr := mustTransform(t, Package+".SetSchemaMetadata$Value", map[string]string{"schema.name": "foo", "schema.version": "42"})
	schema := structOf(fld("f1", &connectors.Schema{Type: connectors.String, Optional: true, Default: "default"}), fld("f2", connectors.Int32Schema))
	schema.Name, schema.Doc = "my.orig.SchemaDefn", "doc"
	value := structVal(t, schema, "f2", int32(1))

	out, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Schema: schema, Value: value}})
	wantErr(t, err, "")
	got := out.Value.Schema
	if got.Name != "foo" || *got.Version != 42 || got.Doc != "doc" || len(got.Fields) != 2 {
		t.Fatalf("schema %+v", got)
	}
	s := out.Value.Value.(*connectors.StructValue)
	if s.Schema() != got {
		t.Error("struct keeps the old schema")
	}
	if v, _ := s.GetWithoutDefault("f1"); v != "default" {
		t.Errorf("f1 = %v", v)
	}

	// Only the version: the name is kept; the null is kept without defaults.
	tr = mustTransform(t, Package+".SetSchemaMetadata$Key", map[string]string{"schema.version": "7", "replace.null.with.default": "false"})
	out, _, err = apply(t, tr, connectors.Record{Key: connectors.SchemaAndValue{Schema: schema, Value: value}})
	wantErr(t, err, "")
	if out.Key.Schema.Name != "my.orig.SchemaDefn" || *out.Key.Schema.Version != 7 {
		t.Errorf("key schema %+v", out.Key.Schema)
	}
	if v, _ := out.Key.Value.(*connectors.StructValue).GetWithoutDefault("f1"); v != nil {
		t.Errorf("f1 = %v", v)
	}

	// A null with a schema gets the new schema; without one it passes.
	out, _, err = apply(t, tr, connectors.Record{Key: connectors.SchemaAndValue{Schema: schema}})
	if err != nil || out.Key.Value != nil || *out.Key.Schema.Version != 7 {
		t.Errorf("null with schema: %+v %v", out.Key, err)
	}
	if out, _, err = apply(t, tr, connectors.Record{}); err != nil || out.Key.Schema != nil {
		t.Errorf("tombstone: %+v %v", out.Key, err)
	}
	_, _, err = apply(t, tr, connectors.Record{Key: connectors.SchemaAndValue{Value: int32(42)}})
	wantDataErr(t, err, "Schema required for [updating schema metadata]")
	_, _, err = apply(t, tr, connectors.Record{Key: connectors.SchemaAndValue{Schema: connectors.Int32Schema, Value: int32(42)}})
	wantDataErr(t, err, "Cannot list fields on non-struct type")
}
