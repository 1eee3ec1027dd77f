package transforms

import (
	"errors"
	"slices"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// HeaderFrom config keys.
const (
	KeyHeaderFromFields    = "fields"
	KeyHeaderFromHeaders   = "headers"
	KeyHeaderFromOperation = "operation"
)

var headerFromDef = &config.Def{Keys: []config.Key{
	{Name: KeyHeaderFromFields, Type: config.List, Required: true, Validate: nonEmptyFieldList(), Importance: config.High,
		Doc: "The fields whose values become headers."},
	{Name: KeyHeaderFromHeaders, Type: config.List, Required: true, Validate: nonEmptyFieldList(), Importance: config.High,
		Doc: "The header names, one for each entry of `fields`, in the same order."},
	{Name: KeyHeaderFromOperation, Type: config.String, Required: true, Validate: config.In("move", "copy"), Importance: config.High,
		Doc: "`move` removes the fields from the key or value; `copy` keeps them."},
	replaceNullWithDefaultKey(),
}}

const headerFromDoc = "Adds a header for each listed field of the record key (`HeaderFrom$Key`) or value " +
	"(`HeaderFrom$Value`), holding the field's value with the field's schema (no schema for schemaless data), and " +
	"with `operation=move` removes the fields. A schemaless key or value must be a map; one with a schema must be " +
	"a Struct. A null key or value is an error."

const headerFromExample = "Move a tracing id into a header:\n\n" +
	"```properties\n" +
	"transforms=trace\n" +
	"transforms.trace.type=org.apache.kafka.connect.transforms.HeaderFrom$Value\n" +
	"transforms.trace.fields=trace_id\n" +
	"transforms.trace.headers=traceparent\n" +
	"transforms.trace.operation=move\n" +
	"```\n\n" +
	"A schemaless value\n\n" +
	"```json\n" + `{"trace_id":"4bf92f35","amount":10}` + "\n```\n\n" +
	"becomes the value\n\n" +
	"```json\n" + `{"amount":10}` + "\n```\n\n" +
	"and the record gains the header `traceparent` with the value `4bf92f35`.\n"

func headerFromPlugins() []connectors.Plugin {
	return keyValuePlugins("HeaderFrom", headerFromDoc, headerFromExample, headerFromDef, newHeaderFrom)
}

type headerFrom struct {
	part        part
	fields      []string
	headers     []string
	move        bool
	replaceNull bool
	cache       schemaCache
}

func newHeaderFrom(p part, cfg config.Values) (connectors.Transform, error) {
	t := &headerFrom{
		part:        p,
		fields:      cfg.List(KeyHeaderFromFields),
		headers:     cfg.List(KeyHeaderFromHeaders),
		move:        cfg.String(KeyHeaderFromOperation) == "move",
		replaceNull: cfg.Bool(KeyReplaceNullWithDefault),
	}
	if len(t.fields) != len(t.headers) {
		return nil, configErrorf(KeyHeaderFromHeaders, "'%s' config must have the same number of elements as '%s' config.", KeyHeaderFromFields, KeyHeaderFromHeaders)
	}
	return t, nil
}

// purpose names the operation in Kafka's messages.
func (t *headerFrom) purpose() string {
	if t.move {
		return "header move"
	}
	return "header copy"
}

func (t *headerFrom) Apply(r connectors.Record) (connectors.Record, bool, error) {
	sv := t.part.get(r)
	headers := make(connectors.Headers, len(r.Headers), len(r.Headers)+len(t.fields))
	copy(headers, r.Headers)
	var err error
	if sv.Schema == nil {
		sv, headers, err = t.applySchemaless(sv.Value, headers)
	} else {
		sv, headers, err = t.applyWithSchema(sv, headers)
	}
	if err != nil {
		return connectors.Record{}, false, err
	}
	r = t.part.set(r, sv)
	r.Headers = headers
	return r, true, nil
}

func (t *headerFrom) applySchemaless(v any, headers connectors.Headers) (connectors.SchemaAndValue, connectors.Headers, error) {
	m, err := requireMap(v, t.purpose())
	if err != nil {
		return connectors.SchemaAndValue{}, nil, err
	}
	out := copyMap(m, 0)
	for i, f := range t.fields {
		if t.move {
			delete(out, f)
		}
		headers = append(headers, connectors.Header{Key: t.headers[i], Value: connectors.SchemaAndValue{Value: m[f]}})
	}
	return connectors.SchemaAndValue{Value: out}, headers, nil
}

// errHeaderFromMissingField is the NullPointerException Kafka (on Java 17)
// fails with when a listed field is not in the schema.
var errHeaderFromMissingField = errors.New(`Cannot invoke "org.apache.kafka.connect.data.Field.schema()" because the return value of "org.apache.kafka.connect.data.Schema.field(String)" is null`)

func (t *headerFrom) applyWithSchema(sv connectors.SchemaAndValue, headers connectors.Headers) (connectors.SchemaAndValue, connectors.Headers, error) {
	s, err := requireStruct(sv.Value, t.purpose())
	if err != nil {
		return connectors.SchemaAndValue{}, nil, err
	}
	out := sv
	if t.move {
		if out, err = t.moveFields(sv.Schema, s); err != nil {
			return connectors.SchemaAndValue{}, nil, err
		}
	}
	for i, name := range t.fields {
		var fv any
		if _, ok := s.Schema().Field(name); ok {
			if fv, err = fieldValue(s, name, t.replaceNull); err != nil {
				return connectors.SchemaAndValue{}, nil, err
			}
		}
		f, ok, err := schemaField(sv.Schema, name)
		if err != nil {
			return connectors.SchemaAndValue{}, nil, err
		}
		if !ok {
			return connectors.SchemaAndValue{}, nil, errHeaderFromMissingField
		}
		// Kafka's ConnectHeaders.add refuses a null for a required schema.
		if fv == nil && !f.Schema.Optional {
			return connectors.SchemaAndValue{}, nil, connectors.DataErrorf("A null value requires an optional schema but was %s", javaSchemaString(f.Schema))
		}
		headers = append(headers, connectors.Header{Key: t.headers[i], Value: connectors.SchemaAndValue{Schema: f.Schema, Value: fv}})
	}
	return out, headers, nil
}

// moveFields returns the Struct without the moved fields.
func (t *headerFrom) moveFields(schema *connectors.Schema, s *connectors.StructValue) (connectors.SchemaAndValue, error) {
	if schema.Type != connectors.Struct {
		return connectors.SchemaAndValue{}, connectors.DataErrorf("Cannot list fields on non-struct type")
	}
	moved, err := t.cache.getOrBuild(schema, func(in *connectors.Schema) (*connectors.Schema, error) {
		b := newStructSchemaBuilder(structBasics(in))
		for _, f := range in.Fields {
			if !slices.Contains(t.fields, f.Name) {
				b.field(f.Name, f.Schema)
			}
		}
		return b.build()
	})
	if err != nil {
		return connectors.SchemaAndValue{}, err
	}
	out := connectors.NewStruct(moved)
	for _, f := range moved.Fields {
		fv, err := fieldValue(s, f.Name, t.replaceNull)
		if err != nil {
			return connectors.SchemaAndValue{}, err
		}
		if err := out.Put(f.Name, fv); err != nil {
			return connectors.SchemaAndValue{}, err
		}
	}
	return connectors.SchemaAndValue{Schema: moved, Value: out}, nil
}

// javaSchemaString prints a schema as Kafka's ConnectSchema.toString.
func javaSchemaString(s *connectors.Schema) string {
	if s.Name != "" {
		return "Schema{" + s.Name + ":" + s.Type.EnumName() + "}"
	}
	return "Schema{" + s.Type.EnumName() + "}"
}
