package transforms

import (
	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// KeyFlattenDelimiter is Flatten's key.
const KeyFlattenDelimiter = "delimiter"

const flattenPurpose = "flattening"

func flattenDef() *config.Def {
	return &config.Def{Keys: []config.Key{
		{Name: KeyFlattenDelimiter, Type: config.String, Default: ".", Importance: config.Medium,
			Doc: "What to put between the names of a nested field and its parents in the flattened field's name."},
	}}
}

type flatten struct {
	p     part
	delim string
	cache schemaCache
}

func newFlatten(p part, cfg config.Values) (connectors.Transform, error) {
	return &flatten{p: p, delim: cfg.String(KeyFlattenDelimiter)}, nil
}

func (f *flatten) Apply(r connectors.Record) (connectors.Record, bool, error) {
	sv := f.p.get(r)
	if sv.Value == nil {
		return r, true, nil
	}
	if sv.Schema == nil {
		m, err := requireMap(sv.Value, flattenPurpose)
		if err != nil {
			return r, false, err
		}
		out := make(map[string]any, len(m))
		if err := f.flattenMap(m, "", out); err != nil {
			return r, false, err
		}
		return f.p.set(r, connectors.SchemaAndValue{Value: out}), true, nil
	}
	s, err := requireStruct(sv.Value, flattenPurpose)
	if err != nil {
		return r, false, err
	}
	schema, err := f.cache.getOrBuild(sv.Schema, f.buildSchema)
	if err != nil {
		return r, false, err
	}
	out := connectors.NewStruct(schema)
	if err := f.flattenStruct(s, "", out); err != nil {
		return r, false, err
	}
	return f.p.set(r, connectors.SchemaAndValue{Schema: schema, Value: out}), true, nil
}

func (f *flatten) name(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + f.delim + field
}

func (f *flatten) flattenMap(m map[string]any, prefix string, out map[string]any) error {
	for k, v := range m {
		name := f.name(prefix, k)
		if v == nil {
			out[name] = nil
			continue
		}
		switch t := schemaTypeOf(v); t {
		case "":
			return connectors.DataErrorf("Flatten transformation was passed a value of type class %s which is not supported by Connect's data API", connectors.JavaClassName(v))
		case connectors.Map:
			nested, err := requireMap(v, flattenPurpose)
			if err != nil {
				return err
			}
			if err := f.flattenMap(nested, name, out); err != nil {
				return err
			}
		case connectors.Struct:
			return connectors.DataErrorf("Flatten transformation does not support class %s for record without schemas (for field %s).", connectors.JavaClassName(v), name)
		default:
			out[name] = v
		}
	}
	return nil
}

// buildSchema flattens a Struct schema. As in Kafka, the flattened schema
// is required and has no default whatever the input's; a nested field
// becomes optional when any of its parents is, and takes its default
// from its own schema or else from its parent's default.
func (f *flatten) buildSchema(in *connectors.Schema) (*connectors.Schema, error) {
	out := structBasics(in)
	def, _ := in.Default.(*connectors.StructValue)
	if err := f.addFields(in, "", out, in.Optional, def); err != nil {
		return nil, err
	}
	return out, nil
}

func (f *flatten) addFields(s *connectors.Schema, prefix string, out *connectors.Schema, optional bool, parentDefault *connectors.StructValue) error {
	if s.Type != connectors.Struct {
		return connectors.DataErrorf("Cannot list fields on non-struct type")
	}
	for _, fld := range s.Fields {
		name := f.name(prefix, fld.Name)
		fieldOptional := optional || fld.Schema.Optional
		def := fld.Schema.Default
		if def == nil && parentDefault != nil {
			def, _ = parentDefault.Get(fld.Name)
		}
		switch fld.Schema.Type {
		case connectors.Struct:
			nested, _ := def.(*connectors.StructValue)
			if err := f.addFields(fld.Schema, name, out, fieldOptional, nested); err != nil {
				return err
			}
			continue
		case connectors.Map:
			return connectors.DataErrorf("Flatten transformation does not support MAP for record with schemas (for field %s).", name)
		}
		if _, dup := out.Field(name); dup {
			return connectors.DataErrorf("Cannot create field because of field name duplication %s", name)
		}
		fs := &connectors.Schema{
			Type: fld.Schema.Type, Optional: fieldOptional, Name: fld.Schema.Name, Version: fld.Schema.Version,
			Doc: fld.Schema.Doc, Parameters: fld.Schema.Parameters, Value: fld.Schema.Value,
		}
		if def != nil {
			if err := connectors.ValidateValue(fs, def); err != nil {
				return connectors.DataErrorf("Invalid default value: %w", err)
			}
			fs.Default = def
		}
		out.Fields = append(out.Fields, connectors.Field{Name: name, Index: len(out.Fields), Schema: fs})
	}
	return nil
}

func (f *flatten) flattenStruct(s *connectors.StructValue, prefix string, out *connectors.StructValue) error {
	if s == nil {
		return nil
	}
	for _, fld := range s.Schema().Fields {
		name := f.name(prefix, fld.Name)
		v, err := s.Get(fld.Name)
		if err != nil {
			return err
		}
		switch fld.Schema.Type {
		case connectors.Struct:
			nested, _ := v.(*connectors.StructValue)
			if err := f.flattenStruct(nested, name, out); err != nil {
				return err
			}
			continue
		case connectors.Map:
			return connectors.DataErrorf("Flatten transformation does not support MAP for record with schemas (for field %s).", name)
		}
		if err := out.Put(name, v); err != nil {
			return err
		}
	}
	return nil
}

func flattenPlugins() []connectors.Plugin {
	return keyValuePlugins("Flatten", flattenDoc, flattenExample, flattenDef(), newFlatten)
}

const flattenDoc = "Flattens nested Structs (with a schema) or Maps (without one) into one level: a nested " +
	"field becomes a top-level field named after its parents and itself, joined by `delimiter`. Arrays and " +
	"their contents are left as they are. Map fields are not supported when there is a schema. A null key " +
	"or value passes unchanged."

const flattenExample = "```properties\n" +
	"transforms=flat\n" +
	"transforms.flat.type=org.apache.kafka.connect.transforms.Flatten$Value\n" +
	"transforms.flat.delimiter=_\n" +
	"```\n\n" +
	"Schemaless value before: `{\"id\":1,\"address\":{\"city\":\"Oslo\",\"geo\":{\"lat\":59.9}}}`\n\n" +
	"After: `{\"id\":1,\"address_city\":\"Oslo\",\"address_geo_lat\":59.9}`\n"
