package transforms

import (
	"fmt"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Cast's keys.
const (
	KeyCastSpec = "spec"
)

const castPurpose = "cast types"

// castTypeNames are the names of Kafka's Schema.Type, which a cast spec
// names in any case.
var castTypeNames = map[string]connectors.Type{
	"INT8": connectors.Int8, "INT16": connectors.Int16, "INT32": connectors.Int32, "INT64": connectors.Int64,
	"FLOAT32": connectors.Float32, "FLOAT64": connectors.Float64, "BOOLEAN": connectors.Boolean,
	"STRING": connectors.String, "BYTES": connectors.Bytes, "ARRAY": connectors.Array,
	"MAP": connectors.Map, "STRUCT": connectors.Struct,
}

const (
	castOutputTypes = "[INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]"
	castInputTypes  = "[INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES]"
)

func castDef() *config.Def {
	return &config.Def{Keys: []config.Key{
		{
			Name:     KeyCastSpec,
			Type:     config.List,
			Required: true,
			Validate: config.Described("list of colon-delimited pairs, e.g. foo:bar,abc:xyz", func(v any) error {
				l, ok := v.([]string)
				if !ok {
					return nil
				}
				_, _, err := parseCastSpec(l)
				return err
			}),
			Importance: config.High,
			Doc: "What to cast: field:type pairs (field1:type,field2:type) for fields of a Map or Struct, or a " +
				"single type for the whole key or value. Types are int8, int16, int32, int64, float32, float64, " +
				"boolean and string; bytes can only become a string.",
		},
		replaceNullWithDefaultKey(),
	}}
}

// parseCastSpec reads a cast spec into per-field target types, or the
// type of a whole-value cast, with Kafka's ConfigException texts.
func parseCastSpec(spec []string) (fields map[string]connectors.Type, whole connectors.Type, err error) {
	if len(spec) == 0 {
		return nil, "", fmt.Errorf("Must specify at least one field to cast.")
	}
	fields = make(map[string]connectors.Type)
	for _, mapping := range spec {
		parts := javaSplit(mapping, ':')
		switch len(parts) {
		case 0:
			return nil, "", fmt.Errorf("Index 1 out of bounds for length 0")
		case 1:
			if whole, err = castTarget(parts[0]); err != nil {
				return nil, "", err
			}
		case 2:
			t, err := castTarget(parts[1])
			if err != nil {
				return nil, "", err
			}
			fields[javaTrimSpace(parts[0])] = t
		default:
			return nil, "", fmt.Errorf("Invalid value [%s] for configuration renames: Invalid rename mapping: %s", strings.Join(spec, ", "), mapping)
		}
	}
	if whole != "" && len(spec) > 1 {
		return nil, "", fmt.Errorf("Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec")
	}
	return fields, whole, nil
}

func castTarget(name string) (connectors.Type, error) {
	name = javaTrimSpace(name)
	t, ok := castTypeNames[strings.ToUpper(name)]
	if !ok {
		return "", fmt.Errorf("Invalid type found in casting spec: %s", name)
	}
	switch t {
	case connectors.Bytes, connectors.Array, connectors.Map, connectors.Struct:
		return "", fmt.Errorf("Cast transformation does not support casting to %s; supported types are %s", t.EnumName(), castOutputTypes)
	}
	return t, nil
}

// javaSplit is Java's String.split on a single literal character:
// trailing empty strings are dropped, so "a:" is ["a"] and "::" is empty.
func javaSplit(s string, sep byte) []string {
	parts := strings.Split(s, string(sep))
	if s == "" {
		return parts
	}
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// javaTrimSpace is Java's String.trim.
func javaTrimSpace(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}

type castTransform struct {
	p           part
	fields      map[string]connectors.Type
	whole       connectors.Type
	replaceNull bool
	cache       schemaCache
}

func newCast(p part, cfg config.Values) (connectors.Transform, error) {
	fields, whole, err := parseCastSpec(cfg.List(KeyCastSpec))
	if err != nil {
		return nil, configErrorf(KeyCastSpec, "%v", err)
	}
	return &castTransform{p: p, fields: fields, whole: whole, replaceNull: cfg.Bool(KeyReplaceNullWithDefault)}, nil
}

func (c *castTransform) Apply(r connectors.Record) (connectors.Record, bool, error) {
	sv := c.p.get(r)
	if sv.Value == nil {
		return r, true, nil
	}
	if sv.Schema == nil {
		out, err := c.schemaless(sv.Value)
		if err != nil {
			return r, false, err
		}
		return c.p.set(r, connectors.SchemaAndValue{Value: out}), true, nil
	}
	out, err := c.withSchema(sv)
	if err != nil {
		return r, false, err
	}
	return c.p.set(r, out), true, nil
}

func (c *castTransform) schemaless(v any) (any, error) {
	if c.whole != "" {
		return castValue(nil, v, c.whole)
	}
	m, err := requireMap(v, castPurpose)
	if err != nil {
		return nil, err
	}
	out := copyMap(m, len(c.fields))
	for name, t := range c.fields {
		// As in Kafka, a field the map lacks is added as null.
		if out[name], err = castValue(nil, m[name], t); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (c *castTransform) withSchema(sv connectors.SchemaAndValue) (connectors.SchemaAndValue, error) {
	schema, err := c.cache.getOrBuild(sv.Schema, c.buildSchema)
	if err != nil {
		return sv, err
	}
	if c.whole != "" {
		v, err := castValue(sv.Schema, sv.Value, c.whole)
		return connectors.SchemaAndValue{Schema: schema, Value: v}, err
	}
	s, err := requireStruct(sv.Value, castPurpose)
	if err != nil {
		return sv, err
	}
	out := connectors.NewStruct(schema)
	for _, f := range s.Schema().Fields {
		v, err := fieldValue(s, f.Name, c.replaceNull)
		if err != nil {
			return sv, err
		}
		if t, ok := c.fields[f.Name]; ok {
			if v, err = castValue(f.Schema, v, t); err != nil {
				return sv, err
			}
		}
		if err := out.Put(f.Name, v); err != nil {
			return sv, err
		}
	}
	return connectors.SchemaAndValue{Schema: schema, Value: out}, nil
}

// buildSchema derives the output schema. A whole-value cast keeps the
// input's name, version, doc and parameters, as Kafka's copySchemaBasics
// does, even when they name a logical type the new type cannot hold.
func (c *castTransform) buildSchema(in *connectors.Schema) (*connectors.Schema, error) {
	var out *connectors.Schema
	if c.whole != "" {
		out = &connectors.Schema{Type: c.whole, Name: in.Name, Version: in.Version, Doc: in.Doc, Parameters: in.Parameters}
	} else {
		if in.Type != connectors.Struct {
			return nil, connectors.DataErrorf("Cannot list fields on non-struct type")
		}
		out = structBasics(in)
		for i, f := range in.Fields {
			fs := f.Schema
			if t, ok := c.fields[f.Name]; ok {
				fs = &connectors.Schema{Type: t, Optional: f.Schema.Optional}
				if f.Schema.Default != nil {
					d, err := castValue(f.Schema, f.Schema.Default, t)
					if err != nil {
						return nil, err
					}
					fs.Default = d
				}
			}
			out.Fields = append(out.Fields, connectors.Field{Name: f.Name, Index: i, Schema: fs})
		}
	}
	out.Optional = in.Optional
	if in.Default != nil {
		d, err := castValue(in, in.Default, out.Type)
		if err != nil {
			return nil, err
		}
		out.Default = d
	}
	return out, nil
}

// castPlugins returns Cast$Key and Cast$Value.
func castPlugins() []connectors.Plugin {
	return keyValuePlugins("Cast", castDoc, castExample, castDef(), newCast)
}

const castDoc = "Casts fields, or the whole key or value, to another primitive type: for example an int64 to a " +
	"narrower int32, a number to a string, or a string to a number. Integers, floats, booleans and strings can " +
	"become any of int8, int16, int32, int64, float32, float64, boolean and string; bytes can only become a " +
	"string (base64). Numbers narrow as Java's casts do, strings are parsed as Java parses them, and a number " +
	"becomes a boolean when it is not zero. Date, Time and Timestamp values are cast as their days or " +
	"milliseconds, except to string. A null key or value passes unchanged."

const castExample = "```properties\n" +
	"transforms=castAge\n" +
	"transforms.castAge.type=org.apache.kafka.connect.transforms.Cast$Value\n" +
	"transforms.castAge.spec=age:int32,score:string\n" +
	"```\n\n" +
	"Schemaless value before: `{\"name\":\"ann\",\"age\":\"42\",\"score\":9.5}`\n\n" +
	"After: `{\"name\":\"ann\",\"age\":42,\"score\":\"9.5\"}`\n"
