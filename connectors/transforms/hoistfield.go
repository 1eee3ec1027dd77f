package transforms

import (
	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// KeyHoistField is HoistField's field name.
const KeyHoistField = "field"

var hoistFieldDef = &config.Def{Keys: []config.Key{
	{Name: KeyHoistField, Type: config.String, Required: true, Importance: config.Medium,
		Doc: "Name of the single field of the Struct or map that wraps the original key or value."},
}}

const hoistFieldDoc = "Wraps the record key (`HoistField$Key`) or value (`HoistField$Value`) in a map with one " +
	"entry named `field` when it has no schema, or in a Struct with one field of the original schema when it has " +
	"one. A null key or value is wrapped too."

const hoistFieldExample = "Wrap a plain text line:\n\n" +
	"```properties\n" +
	"transforms=wrap\n" +
	"transforms.wrap.type=org.apache.kafka.connect.transforms.HoistField$Value\n" +
	"transforms.wrap.field=line\n" +
	"```\n\n" +
	"A schemaless value\n\n" +
	"```json\n" + `"hello world"` + "\n```\n\n" +
	"becomes:\n\n" +
	"```json\n" + `{"line":"hello world"}` + "\n```\n"

func hoistFieldPlugins() []connectors.Plugin {
	return keyValuePlugins("HoistField", hoistFieldDoc, hoistFieldExample, hoistFieldDef,
		func(p part, cfg config.Values) (connectors.Transform, error) {
			return &hoistField{part: p, field: cfg.String(KeyHoistField)}, nil
		})
}

type hoistField struct {
	part  part
	field string
	cache schemaCache
}

func (t *hoistField) Apply(r connectors.Record) (connectors.Record, bool, error) {
	sv := t.part.get(r)
	if sv.Schema == nil {
		return t.part.set(r, connectors.SchemaAndValue{Value: map[string]any{t.field: sv.Value}}), true, nil
	}
	schema, err := t.cache.getOrBuild(sv.Schema, func(in *connectors.Schema) (*connectors.Schema, error) {
		b := newStructSchemaBuilder(&connectors.Schema{Type: connectors.Struct})
		b.field(t.field, in)
		return b.build()
	})
	if err != nil {
		return connectors.Record{}, false, err
	}
	out := connectors.NewStruct(schema)
	if err := out.Put(t.field, sv.Value); err != nil {
		return connectors.Record{}, false, err
	}
	return t.part.set(r, connectors.SchemaAndValue{Schema: schema, Value: out}), true, nil
}
