package transforms

import (
	"errors"
	"slices"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// fieldPlugins returns the transforms that add, drop, rename, mask, move
// and extract fields, and the one that renames schemas.
func fieldPlugins() []connectors.Plugin {
	return slices.Concat(
		insertFieldPlugins(),
		replaceFieldPlugins(),
		maskFieldPlugins(),
		valueToKeyPlugins(),
		hoistFieldPlugins(),
		extractFieldPlugins(),
		setSchemaMetadataPlugins(),
		headerFromPlugins(),
	)
}

// nonEmptyFieldList is Kafka's NonEmptyListValidator for the transforms'
// list keys.
func nonEmptyFieldList() config.Validator {
	return config.Described("non-empty list", func(v any) error {
		if l, ok := v.([]string); ok && len(l) == 0 {
			return errors.New("Empty list")
		}
		return nil
	})
}

// structSchemaBuilder collects the fields of a new Struct schema with the
// checks of Kafka's SchemaBuilder.field, so that a transform configured
// with a clashing or empty field name fails as Kafka's does.
type structSchemaBuilder struct {
	schema *connectors.Schema
	err    error
}

func newStructSchemaBuilder(base *connectors.Schema) *structSchemaBuilder {
	return &structSchemaBuilder{schema: base}
}

func (b *structSchemaBuilder) field(name string, fs *connectors.Schema) {
	if b.err != nil {
		return
	}
	switch {
	case name == "":
		b.err = connectors.DataErrorf("fieldName cannot be null.")
		return
	case fs == nil:
		b.err = connectors.DataErrorf("fieldSchema for field %s cannot be null.", name)
		return
	}
	if _, dup := b.schema.Field(name); dup {
		b.err = connectors.DataErrorf("Cannot create field because of field name duplication %s", name)
		return
	}
	b.schema.Fields = append(b.schema.Fields, connectors.Field{Name: name, Index: len(b.schema.Fields), Schema: fs})
}

func (b *structSchemaBuilder) build() (*connectors.Schema, error) {
	if b.err != nil {
		return nil, b.err
	}
	return b.schema, nil
}

// schemaField is Kafka's Schema.field: ok is false when s has no such
// field, and asking a schema that is not a Struct is an error.
func schemaField(s *connectors.Schema, name string) (connectors.Field, bool, error) {
	if s.Type != connectors.Struct {
		return connectors.Field{}, false, connectors.DataErrorf("Cannot look up fields on non-struct type")
	}
	f, ok := s.Field(name)
	return f, ok, nil
}

// javaClass prints v's Java class as Class.toString does ("class
// java.lang.Integer"), which some of Kafka's messages embed.
func javaClass(v any) string {
	return "class " + connectors.JavaClassName(v)
}
