package transforms

import (
	"fmt"
	"sync"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Package is the Java package of Kafka's transforms; predicates live in
// its predicates subpackage.
const (
	Package          = "org.apache.kafka.connect.transforms"
	PredicatePackage = Package + ".predicates"
)

// part is the part of a record a $Key or $Value variant works on.
type part int

const (
	keyPart part = iota
	valuePart
)

// suffix is the nested class name of the variant.
func (p part) suffix() string {
	if p == keyPart {
		return "$Key"
	}
	return "$Value"
}

func (p part) get(r connectors.Record) connectors.SchemaAndValue {
	if p == keyPart {
		return r.Key
	}
	return r.Value
}

// set returns r with the part replaced; r itself is a copy, so the caller's
// record is unchanged.
func (p part) set(r connectors.Record, sv connectors.SchemaAndValue) connectors.Record {
	if p == keyPart {
		r.Key = sv
	} else {
		r.Value = sv
	}
	return r
}

// requireMap is Kafka's Requirements.requireMap: v must be a schemaless
// Map. A map[string]any is returned as is and must not be modified; a
// map[any]any is copied when its keys are all strings.
func requireMap(v any, purpose string) (map[string]any, error) {
	switch m := v.(type) {
	case map[string]any:
		return m, nil
	case map[any]any:
		out := make(map[string]any, len(m))
		for k, x := range m {
			s, ok := k.(string)
			if !ok {
				return nil, connectors.DataErrorf("Only Map objects with String keys supported in absence of schema for [%s], found a key of %s", purpose, connectors.JavaClassName(k))
			}
			out[s] = x
		}
		return out, nil
	}
	return nil, connectors.DataErrorf("Only Map objects supported in absence of schema for [%s], found: %s", purpose, connectors.JavaClassName(v))
}

// requireStruct is Kafka's Requirements.requireStruct.
func requireStruct(v any, purpose string) (*connectors.StructValue, error) {
	if s, ok := v.(*connectors.StructValue); ok && s != nil {
		return s, nil
	}
	return nil, connectors.DataErrorf("Only Struct objects supported for [%s], found: %s", purpose, connectors.JavaClassName(v))
}

// requireSchema is Kafka's Requirements.requireSchema.
func requireSchema(s *connectors.Schema, purpose string) error {
	if s == nil {
		return connectors.DataErrorf("Schema required for [%s]", purpose)
	}
	return nil
}

// copyMap returns a copy of m with room for extra more entries.
func copyMap(m map[string]any, extra int) map[string]any {
	out := make(map[string]any, len(m)+extra)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// structBasics is Kafka's SchemaUtil.copySchemaBasics for a Struct: a new
// required Struct schema with src's name, version, doc and parameters and
// no fields. As in Kafka, optional and default are not carried over.
func structBasics(src *connectors.Schema) *connectors.Schema {
	return &connectors.Schema{Type: connectors.Struct, Name: src.Name, Version: src.Version, Doc: src.Doc, Parameters: src.Parameters}
}

// fieldValue reads a field as Kafka's transforms do with
// replace.null.with.default: Struct.get (a nil value reads as the field's
// default) when replaceNull is true, Struct.getWithoutDefault otherwise.
func fieldValue(s *connectors.StructValue, name string, replaceNull bool) (any, error) {
	if replaceNull {
		return s.Get(name)
	}
	return s.GetWithoutDefault(name)
}

// schemaCache remembers the schema derived from each input schema, as
// Kafka's transforms keep a SynchronizedCache of an LRUCache(16). Inputs
// are compared by pointer: converters and connectors hand out one schema
// value per distinct schema, and a miss only costs a rebuild.
type schemaCache struct {
	mu sync.Mutex
	m  map[*connectors.Schema]*connectors.Schema
}

// schemaCacheSize bounds the cache; when full it starts over, which keeps
// it small for a stream whose schemas change without end.
const schemaCacheSize = 64

func (c *schemaCache) get(in *connectors.Schema) (*connectors.Schema, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out, ok := c.m[in]
	return out, ok
}

func (c *schemaCache) put(in, out *connectors.Schema) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= schemaCacheSize {
		c.m = make(map[*connectors.Schema]*connectors.Schema)
	}
	c.m[in] = out
}

// getOrBuild returns the cached schema for in, building and caching it on a miss.
func (c *schemaCache) getOrBuild(in *connectors.Schema, build func(*connectors.Schema) (*connectors.Schema, error)) (*connectors.Schema, error) {
	if out, ok := c.get(in); ok {
		return out, nil
	}
	out, err := build(in)
	if err != nil {
		return nil, err
	}
	c.put(in, out)
	return out, nil
}

// KeyReplaceNullWithDefault is the key most transforms accept since Kafka
// 3.9 (KIP-1040).
const KeyReplaceNullWithDefault = "replace.null.with.default"

func replaceNullWithDefaultKey() config.Key {
	return config.Key{
		Name:       KeyReplaceNullWithDefault,
		Type:       config.Bool,
		Default:    true,
		Importance: config.Medium,
		Doc:        "Whether a null field value is read as the field's default when the transform copies fields of a Struct: true reads the default, false keeps null.",
	}
}

// keyValuePlugins returns the $Key and $Value variants of a transform
// named base (a simple class name such as "InsertField"), sharing one Def,
// doc and example.
func keyValuePlugins(base, doc, example string, def *config.Def, build func(p part, cfg config.Values) (connectors.Transform, error)) []connectors.Plugin {
	var out []connectors.Plugin
	for _, p := range []part{keyPart, valuePart} {
		out = append(out, connectors.Plugin{
			Class:   Package + "." + base + p.suffix(),
			Kind:    connectors.KindTransform,
			Version: connectors.Version,
			Def:     def,
			Doc:     doc,
			Example: example,
			NewTransform: func(cfg config.Values) (connectors.Transform, error) {
				return build(p, cfg)
			},
		})
	}
	return out
}

// configErrorf reports a problem with a transform's settings that no
// single key's validator can see, such as two keys that contradict each
// other, as Kafka's ConfigException does.
func configErrorf(key, format string, args ...any) error {
	return &config.KeyError{Key: key, Err: fmt.Errorf("%w: %s", config.ErrInvalid, fmt.Sprintf(format, args...))}
}
