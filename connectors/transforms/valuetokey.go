package transforms

import (
	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// KeyValueToKeyFields is ValueToKey's list of value fields.
const KeyValueToKeyFields = "fields"

const valueToKeyPurpose = "copying fields from value to key"

var valueToKeyDef = &config.Def{Keys: []config.Key{
	{Name: KeyValueToKeyFields, Type: config.List, Required: true, Validate: nonEmptyFieldList(), Importance: config.High,
		Doc: "The fields of the record value that make up the new key, in this order."},
	replaceNullWithDefaultKey(),
}}

const valueToKeyDoc = "Replaces the record key with a new one made of the listed fields of the record value: a map " +
	"for a schemaless value, which must be a map, or a Struct whose schema holds those fields' schemas in the " +
	"listed order for a Struct value. The value is kept. A null value is an error."

const valueToKeyExample = "Key customer records by their id:\n\n" +
	"```properties\n" +
	"transforms=keyById\n" +
	"transforms.keyById.type=org.apache.kafka.connect.transforms.ValueToKey\n" +
	"transforms.keyById.fields=id\n" +
	"```\n\n" +
	"A record with a null key and the schemaless value\n\n" +
	"```json\n" + `{"id":42,"name":"ada"}` + "\n```\n\n" +
	"keeps its value and gets the key:\n\n" +
	"```json\n" + `{"id":42}` + "\n```\n"

func valueToKeyPlugins() []connectors.Plugin {
	return []connectors.Plugin{{
		Class:   Package + ".ValueToKey",
		Kind:    connectors.KindTransform,
		Version: connectors.Version,
		Def:     valueToKeyDef,
		Doc:     valueToKeyDoc,
		Example: valueToKeyExample,
		NewTransform: func(cfg config.Values) (connectors.Transform, error) {
			return &valueToKey{fields: cfg.List(KeyValueToKeyFields), replaceNull: cfg.Bool(KeyReplaceNullWithDefault)}, nil
		},
	}}
}

type valueToKey struct {
	fields      []string
	replaceNull bool
	cache       schemaCache
}

func (t *valueToKey) Apply(r connectors.Record) (connectors.Record, bool, error) {
	var err error
	if r.Value.Schema == nil {
		err = t.applySchemaless(&r)
	} else {
		err = t.applyWithSchema(&r)
	}
	if err != nil {
		return connectors.Record{}, false, err
	}
	return r, true, nil
}

// applySchemaless and applyWithSchema set the key of r, a copy of the
// caller's record.
func (t *valueToKey) applySchemaless(r *connectors.Record) error {
	m, err := requireMap(r.Value.Value, valueToKeyPurpose)
	if err != nil {
		return err
	}
	key := make(map[string]any, len(t.fields))
	for _, f := range t.fields {
		key[f] = m[f]
	}
	r.Key = connectors.SchemaAndValue{Value: key}
	return nil
}

func (t *valueToKey) applyWithSchema(r *connectors.Record) error {
	s, err := requireStruct(r.Value.Value, valueToKeyPurpose)
	if err != nil {
		return err
	}
	schema, err := t.cache.getOrBuild(s.Schema(), t.buildSchema)
	if err != nil {
		return err
	}
	key := connectors.NewStruct(schema)
	for _, f := range t.fields {
		fv, err := fieldValue(s, f, t.replaceNull)
		if err != nil {
			return err
		}
		if err := key.Put(f, fv); err != nil {
			return err
		}
	}
	r.Key = connectors.SchemaAndValue{Schema: schema, Value: key}
	// As Kafka, the value's schema becomes the Struct's own.
	r.Value = connectors.SchemaAndValue{Schema: s.Schema(), Value: s}
	return nil
}

func (t *valueToKey) buildSchema(in *connectors.Schema) (*connectors.Schema, error) {
	b := newStructSchemaBuilder(&connectors.Schema{Type: connectors.Struct})
	for _, name := range t.fields {
		f, ok := in.Field(name)
		if !ok {
			return nil, connectors.DataErrorf("Field does not exist: %s", name)
		}
		b.field(name, f.Schema)
	}
	return b.build()
}
