package transforms

import (
	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// SetSchemaMetadata config keys.
const (
	KeySchemaName    = "schema.name"
	KeySchemaVersion = "schema.version"
)

var setSchemaMetadataDef = &config.Def{Keys: []config.Key{
	{Name: KeySchemaName, Type: config.String, Importance: config.High,
		Doc: "The name the schema gets. Unset, the name is kept."},
	{Name: KeySchemaVersion, Type: config.Int, Importance: config.High,
		Doc: "The version the schema gets. Unset, the version is kept."},
	replaceNullWithDefaultKey(),
}}

const setSchemaMetadataDoc = "Sets the name, the version or both of the record key's (`SetSchemaMetadata$Key`) or " +
	"value's (`SetSchemaMetadata$Value`) schema, keeping everything else; a Struct is re-created with the renamed " +
	"schema. As in Kafka 3.9, the schema must be a Struct schema. A key or value without a schema is an error " +
	"unless it is null."

const setSchemaMetadataExample = "Name the schema of values written by a JSON source, as `JsonConverter` shows " +
	"them with `schemas.enable=true`:\n\n" +
	"```properties\n" +
	"transforms=name\n" +
	"transforms.name.type=org.apache.kafka.connect.transforms.SetSchemaMetadata$Value\n" +
	"transforms.name.schema.name=com.example.Order\n" +
	"transforms.name.schema.version=2\n" +
	"```\n\n" +
	"The value\n\n" +
	"```json\n" + `{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false},"payload":{"id":42}}` + "\n```\n\n" +
	"becomes:\n\n" +
	"```json\n" + `{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false,"name":"com.example.Order","version":2},"payload":{"id":42}}` + "\n```\n"

func setSchemaMetadataPlugins() []connectors.Plugin {
	return keyValuePlugins("SetSchemaMetadata", setSchemaMetadataDoc, setSchemaMetadataExample, setSchemaMetadataDef,
		func(p part, cfg config.Values) (connectors.Transform, error) {
			t := &setSchemaMetadata{part: p, name: cfg.Get(KeySchemaName) != nil, replaceNull: cfg.Bool(KeyReplaceNullWithDefault)}
			t.newName = cfg.String(KeySchemaName)
			if cfg.Get(KeySchemaVersion) != nil {
				v := int32(cfg.Int(KeySchemaVersion))
				t.newVersion = &v
			}
			if !t.name && t.newVersion == nil {
				return nil, configErrorf(KeySchemaName, "Neither schema name nor version configured")
			}
			return t, nil
		})
}

type setSchemaMetadata struct {
	part        part
	name        bool // whether newName is set
	newName     string
	newVersion  *int32
	replaceNull bool
}

func (t *setSchemaMetadata) Apply(r connectors.Record) (connectors.Record, bool, error) {
	sv := t.part.get(r)
	if sv.Value == nil && sv.Schema == nil {
		return r, true, nil
	}
	if err := requireSchema(sv.Schema, "updating schema metadata"); err != nil {
		return connectors.Record{}, false, err
	}
	// Kafka 3.9 lists the schema's fields to rebuild it, which fails for
	// any schema but a Struct.
	if sv.Schema.Type != connectors.Struct {
		return connectors.Record{}, false, connectors.DataErrorf("Cannot list fields on non-struct type")
	}
	schema := &connectors.Schema{
		Type:       sv.Schema.Type,
		Optional:   sv.Schema.Optional,
		Default:    sv.Schema.Default,
		Name:       sv.Schema.Name,
		Version:    sv.Schema.Version,
		Doc:        sv.Schema.Doc,
		Parameters: sv.Schema.Parameters,
		Fields:     sv.Schema.Fields,
	}
	if t.name {
		schema.Name = t.newName
	}
	if t.newVersion != nil {
		schema.Version = t.newVersion
	}
	value := sv.Value
	if s, ok := value.(*connectors.StructValue); ok && s != nil {
		out := connectors.NewStruct(schema)
		for _, f := range schema.Fields {
			fv, err := fieldValue(s, f.Name, t.replaceNull)
			if err != nil {
				return connectors.Record{}, false, err
			}
			if err := out.Put(f.Name, fv); err != nil {
				return connectors.Record{}, false, err
			}
		}
		value = out
	}
	return t.part.set(r, connectors.SchemaAndValue{Schema: schema, Value: value}), true, nil
}
