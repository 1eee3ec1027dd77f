package transforms

import (
	"fmt"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// KeyExtractField is ExtractField's field path.
const KeyExtractField = "field"

const extractFieldPurpose = "field extraction"

var extractFieldDef = &config.Def{Keys: []config.Key{
	{Name: KeyExtractField, Type: config.String, Required: true, Importance: config.Medium,
		Doc: "The field to extract; a path into nested fields with `field.syntax.version=V2`."},
	replaceNullWithDefaultKey(),
	{Name: KeyFieldSyntaxVersion, Type: config.String, Default: "V1", Validate: config.OneOf("V1", "V2"),
		Importance: config.High, Doc: fieldSyntaxVersionDoc},
}}

const extractFieldDoc = "Replaces the record key (`ExtractField$Key`) or value (`ExtractField$Value`) with one of " +
	"its fields: a map entry (null when absent) when it has no schema, or a Struct field, whose schema becomes the " +
	"key's or value's, when it has one; naming a field the schema lacks is an error. A null key or value gives " +
	"null. With `field.syntax.version=V2` the field may be a dotted path into nested fields."

const extractFieldExample = "Keep only a nested field of the value:\n\n" +
	"```properties\n" +
	"transforms=pick\n" +
	"transforms.pick.type=org.apache.kafka.connect.transforms.ExtractField$Value\n" +
	"transforms.pick.field=after.id\n" +
	"transforms.pick.field.syntax.version=V2\n" +
	"```\n\n" +
	"A schemaless value\n\n" +
	"```json\n" + `{"op":"c","after":{"id":42,"name":"ada"}}` + "\n```\n\n" +
	"becomes:\n\n" +
	"```json\n" + `42` + "\n```\n"

func extractFieldPlugins() []connectors.Plugin {
	return keyValuePlugins("ExtractField", extractFieldDoc, extractFieldExample, extractFieldDef, newExtractField)
}

type extractField struct {
	part        part
	path        fieldPath
	original    string
	replaceNull bool
}

func newExtractField(p part, cfg config.Values) (connectors.Transform, error) {
	original := cfg.String(KeyExtractField)
	path, err := parseFieldPath(original, cfg.String(KeyFieldSyntaxVersion))
	if err != nil {
		return nil, configErrorf(KeyExtractField, "%v", err)
	}
	return &extractField{part: p, path: path, original: original, replaceNull: cfg.Bool(KeyReplaceNullWithDefault)}, nil
}

func (t *extractField) Apply(r connectors.Record) (connectors.Record, bool, error) {
	out, err := t.extract(t.part.get(r))
	if err != nil {
		return connectors.Record{}, false, err
	}
	return t.part.set(r, out), true, nil
}

func (t *extractField) extract(sv connectors.SchemaAndValue) (connectors.SchemaAndValue, error) {
	if sv.Schema == nil {
		if sv.Value == nil {
			return connectors.SchemaAndValue{}, nil
		}
		m, err := requireMap(sv.Value, extractFieldPurpose)
		if err != nil {
			return connectors.SchemaAndValue{}, err
		}
		v, err := t.path.mapValue(m)
		return connectors.SchemaAndValue{Value: v}, err
	}
	var s *connectors.StructValue
	if sv.Value != nil {
		var err error
		if s, err = requireStruct(sv.Value, extractFieldPurpose); err != nil {
			return connectors.SchemaAndValue{}, err
		}
	}
	f, ok, err := t.path.field(sv.Schema)
	if err != nil {
		return connectors.SchemaAndValue{}, err
	}
	if !ok {
		// Kafka's IllegalArgumentException, not a DataException.
		return connectors.SchemaAndValue{}, fmt.Errorf("Unknown field: %s", t.original)
	}
	if s == nil {
		return connectors.SchemaAndValue{Schema: f.Schema}, nil
	}
	v, err := t.path.structValue(s, t.replaceNull)
	return connectors.SchemaAndValue{Schema: f.Schema, Value: v}, err
}
