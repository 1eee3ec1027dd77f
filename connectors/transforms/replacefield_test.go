package transforms

import (
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func TestReplaceFieldConfig(t *testing.T) {
	for _, bad := range []string{"a", "a:", "a:b:c", "::"} {
		wantConfigErr(t, Package+".ReplaceField$Value", map[string]string{"renames": bad}, KeyReplaceRenames, "Invalid rename mapping: "+bad)
	}
	// As Java's String.split, trailing empty parts do not count.
	mustTransform(t, Package+".ReplaceField$Value", map[string]string{"renames": "a:b:"})
}

func TestReplaceFieldSchemaless(t *testing.T) {
	in := map[string]any{"dont": "whatever", "abc": int32(42), "foo": true, "etc": "etc"}
	for _, tt := range []struct {
		name  string
		props map[string]string
		want  map[string]any
	}{
		{"exclude and rename", map[string]string{"exclude": "dont", "renames": "abc:xyz,foo:bar"},
			map[string]any{"xyz": int32(42), "bar": true, "etc": "etc"}},
		{"include", map[string]string{"include": "abc,foo"}, map[string]any{"abc": int32(42), "foo": true}},
		{"exclude beats include", map[string]string{"include": "abc,foo", "exclude": "foo"}, map[string]any{"abc": int32(42)}},
		{"deprecated names", map[string]string{"whitelist": "abc,foo", "blacklist": "foo"}, map[string]any{"abc": int32(42)}},
		{"current names win", map[string]string{"include": "abc", "whitelist": "foo"}, map[string]any{"abc": int32(42)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tr := mustTransform(t, Package+".ReplaceField$Value", tt.props)
			out, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Value: in}})
			wantErr(t, err, "")
			if !connectors.ValueEqual(out.Value.Value, tt.want) {
				t.Errorf("got %v, want %v", out.Value.Value, tt.want)
			}
		})
	}
}

func TestReplaceFieldWithSchemaKey(t *testing.T) {
	tr := mustTransform(t, Package+".ReplaceField$Key", map[string]string{"exclude": "dont", "renames": "abc:xyz,foo:bar"})
	v := int32(1)
	schema := &connectors.Schema{Type: connectors.Struct, Name: "n", Version: &v, Fields: structOf(
		fld("dont", connectors.StringSchema), fld("abc", connectors.Int32Schema),
		fld("foo", connectors.BooleanSchema), fld("etc", connectors.StringSchema)).Fields}
	key := structVal(t, schema, "dont", "whatever", "abc", int32(42), "foo", true, "etc", "etc")
	in := connectors.Record{Key: connectors.SchemaAndValue{Schema: schema, Value: key}, Value: connectors.SchemaAndValue{Value: "v"}}
	out, _, err := apply(t, tr, in)
	wantErr(t, err, "")
	wantSchema := structOf(fld("xyz", connectors.Int32Schema), fld("bar", connectors.BooleanSchema), fld("etc", connectors.StringSchema))
	wantSchema.Name, wantSchema.Version = "n", &v
	if !connectors.SchemaEqual(out.Key.Schema, wantSchema) {
		t.Fatalf("schema %+v", out.Key.Schema)
	}
	if want := structVal(t, wantSchema, "xyz", int32(42), "bar", true, "etc", "etc"); !connectors.ValueEqual(out.Key.Value, want) || out.Value.Value != "v" {
		t.Errorf("got %+v", out)
	}

	// Null keys pass; other types fail.
	if out, _, err := apply(t, tr, connectors.Record{Key: connectors.SchemaAndValue{Schema: schema}}); err != nil || out.Key.Value != nil {
		t.Errorf("null: %v %v", out, err)
	}
	_, _, err = apply(t, tr, connectors.Record{Key: connectors.SchemaAndValue{Schema: schema, Value: "x"}})
	wantDataErr(t, err, "Only Struct objects supported for [field replacement], found: java.lang.String")
	_, _, err = apply(t, tr, connectors.Record{Key: connectors.SchemaAndValue{Value: []any{}}})
	wantDataErr(t, err, "Only Map objects supported in absence of schema for [field replacement], found: java.util.ArrayList")
}

func TestReplaceFieldReplaceNullWithDefault(t *testing.T) {
	schema := structOf(fld("opt", &connectors.Schema{Type: connectors.String, Optional: true, Default: "d"}))
	for replace, want := range map[string]any{"true": "d", "false": nil} {
		tr := mustTransform(t, Package+".ReplaceField$Value", map[string]string{"renames": "opt:renamed", "replace.null.with.default": replace})
		out, _, err := apply(t, tr, connectors.Record{Value: connectors.SchemaAndValue{Schema: schema, Value: structVal(t, schema)}})
		wantErr(t, err, "")
		if got, _ := out.Value.Value.(*connectors.StructValue).GetWithoutDefault("renamed"); got != want {
			t.Errorf("replace %s: got %v", replace, got)
		}
	}
}
