package transforms

import (
	"fmt"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// ReplaceField config keys. The deprecated names are still read when the
// current ones are unset, as in Kafka 3.9.
const (
	KeyReplaceExclude   = "exclude"
	KeyReplaceInclude   = "include"
	KeyReplaceRenames   = "renames"
	KeyReplaceBlacklist = "blacklist"
	KeyReplaceWhitelist = "whitelist"
)

const replaceFieldPurpose = "field replacement"

var replaceFieldDef = &config.Def{Keys: []config.Key{
	{Name: KeyReplaceExclude, Type: config.List, Default: []string{}, Importance: config.Medium,
		Doc: "Fields to drop. A field listed here is dropped even if `include` names it."},
	{Name: KeyReplaceBlacklist, Type: config.List, Importance: config.Low,
		Doc: "Deprecated old name of `exclude`, read only when `exclude` is unset."},
	{Name: KeyReplaceInclude, Type: config.List, Default: []string{}, Importance: config.Medium,
		Doc: "Fields to keep. When not empty, every field not listed is dropped."},
	{Name: KeyReplaceWhitelist, Type: config.List, Importance: config.Low,
		Doc: "Deprecated old name of `include`, read only when `include` is unset."},
	{Name: KeyReplaceRenames, Type: config.List, Default: []string{},
		Validate: config.Described("list of colon-delimited pairs, e.g. `foo:bar,abc:xyz`", func(v any) error {
			l, ok := v.([]string)
			if !ok {
				return nil
			}
			_, err := parseRenames(l)
			return err
		}),
		Importance: config.Medium,
		Doc:        "Fields to rename, as `old:new` pairs."},
	replaceNullWithDefaultKey(),
}}

const replaceFieldDoc = "Drops, keeps and renames fields of the record key (`ReplaceField$Key`) or value " +
	"(`ReplaceField$Value`): a field is kept when `exclude` does not name it and `include` is empty or names it, " +
	"then renamed by `renames`. A schemaless key or value must be a map; one with a schema must be a Struct, " +
	"whose schema is rebuilt to match. A null key or value is passed on unchanged."

const replaceFieldExample = "Drop a field and rename another:\n\n" +
	"```properties\n" +
	"transforms=tidy\n" +
	"transforms.tidy.type=org.apache.kafka.connect.transforms.ReplaceField$Value\n" +
	"transforms.tidy.exclude=password\n" +
	"transforms.tidy.renames=uid:user_id\n" +
	"```\n\n" +
	"A schemaless value\n\n" +
	"```json\n" + `{"uid":7,"name":"ada","password":"secret"}` + "\n```\n\n" +
	"becomes:\n\n" +
	"```json\n" + `{"user_id":7,"name":"ada"}` + "\n```\n"

func replaceFieldPlugins() []connectors.Plugin {
	return keyValuePlugins("ReplaceField", replaceFieldDoc, replaceFieldExample, replaceFieldDef, newReplaceField)
}

// parseRenames reads old:new pairs. Like Java's String.split, trailing
// empty parts are dropped, so "a:b:" is the pair a, b and "a:" is invalid.
func parseRenames(l []string) (map[string]string, error) {
	m := make(map[string]string, len(l))
	for _, mapping := range l {
		parts := strings.Split(mapping, ":")
		for len(parts) > 0 && parts[len(parts)-1] == "" {
			parts = parts[:len(parts)-1]
		}
		if len(parts) != 2 {
			return nil, fmt.Errorf("Invalid rename mapping: %s", mapping)
		}
		m[parts[0]] = parts[1]
	}
	return m, nil
}

type replaceField struct {
	part             part
	exclude, include map[string]bool
	renames, reverse map[string]string
	replaceNull      bool
	cache            schemaCache
}

func newReplaceField(p part, cfg config.Values) (connectors.Transform, error) {
	list := func(key, old string) map[string]bool {
		l := cfg.List(key)
		if !cfg.Has(key) && cfg.Has(old) {
			l = cfg.List(old)
		}
		set := make(map[string]bool, len(l))
		for _, f := range l {
			set[f] = true
		}
		return set
	}
	renames, err := parseRenames(cfg.List(KeyReplaceRenames))
	if err != nil {
		return nil, configErrorf(KeyReplaceRenames, "%v", err)
	}
	reverse := make(map[string]string, len(renames))
	for from, to := range renames {
		reverse[to] = from
	}
	return &replaceField{
		part:        p,
		exclude:     list(KeyReplaceExclude, KeyReplaceBlacklist),
		include:     list(KeyReplaceInclude, KeyReplaceWhitelist),
		renames:     renames,
		reverse:     reverse,
		replaceNull: cfg.Bool(KeyReplaceNullWithDefault),
	}, nil
}

func (t *replaceField) keep(name string) bool {
	return !t.exclude[name] && (len(t.include) == 0 || t.include[name])
}

func (t *replaceField) renamed(name string) string {
	if to, ok := t.renames[name]; ok {
		return to
	}
	return name
}

func (t *replaceField) Apply(r connectors.Record) (connectors.Record, bool, error) {
	sv := t.part.get(r)
	if sv.Value == nil {
		return r, true, nil
	}
	var out connectors.SchemaAndValue
	var err error
	if sv.Schema == nil {
		out, err = t.applySchemaless(sv.Value)
	} else {
		out, err = t.applyWithSchema(sv.Value)
	}
	if err != nil {
		return connectors.Record{}, false, err
	}
	return t.part.set(r, out), true, nil
}

func (t *replaceField) applySchemaless(v any) (connectors.SchemaAndValue, error) {
	m, err := requireMap(v, replaceFieldPurpose)
	if err != nil {
		return connectors.SchemaAndValue{}, err
	}
	out := make(map[string]any, len(m))
	for k, fv := range m {
		if t.keep(k) {
			out[t.renamed(k)] = fv
		}
	}
	return connectors.SchemaAndValue{Value: out}, nil
}

func (t *replaceField) applyWithSchema(v any) (connectors.SchemaAndValue, error) {
	s, err := requireStruct(v, replaceFieldPurpose)
	if err != nil {
		return connectors.SchemaAndValue{}, err
	}
	schema, err := t.cache.getOrBuild(s.Schema(), t.buildSchema)
	if err != nil {
		return connectors.SchemaAndValue{}, err
	}
	out := connectors.NewStruct(schema)
	for _, f := range schema.Fields {
		// Kafka reads each output field back through the reverse of the
		// renames, even for a field that kept its name.
		from := f.Name
		if old, ok := t.reverse[f.Name]; ok {
			from = old
		}
		fv, err := fieldValue(s, from, t.replaceNull)
		if err != nil {
			return connectors.SchemaAndValue{}, err
		}
		if err := out.Put(f.Name, fv); err != nil {
			return connectors.SchemaAndValue{}, err
		}
	}
	return connectors.SchemaAndValue{Schema: schema, Value: out}, nil
}

func (t *replaceField) buildSchema(in *connectors.Schema) (*connectors.Schema, error) {
	b := newStructSchemaBuilder(structBasics(in))
	for _, f := range in.Fields {
		if t.keep(f.Name) {
			b.field(t.renamed(f.Name), f.Schema)
		}
	}
	return b.build()
}
