package transforms

import (
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// InsertField config keys.
const (
	KeyInsertTopicField     = "topic.field"
	KeyInsertPartitionField = "partition.field"
	KeyInsertOffsetField    = "offset.field"
	KeyInsertTimestampField = "timestamp.field"
	KeyInsertStaticField    = "static.field"
	KeyInsertStaticValue    = "static.value"
)

const insertFieldPurpose = "field insertion"

const insertOptionalityDoc = " End the name with `!` to make the field required, or with `?` (or nothing) to keep it optional."

var insertFieldDef = &config.Def{Keys: []config.Key{
	{Name: KeyInsertTopicField, Type: config.String, Importance: config.Medium,
		Doc: "Name of the field that receives the record's topic." + insertOptionalityDoc},
	{Name: KeyInsertPartitionField, Type: config.String, Importance: config.Medium,
		Doc: "Name of the field that receives the record's Kafka partition." + insertOptionalityDoc},
	{Name: KeyInsertOffsetField, Type: config.String, Importance: config.Medium,
		Doc: "Name of the field that receives the record's Kafka offset; sink connectors only." + insertOptionalityDoc},
	{Name: KeyInsertTimestampField, Type: config.String, Importance: config.Medium,
		Doc: "Name of the field that receives the record's timestamp." + insertOptionalityDoc},
	{Name: KeyInsertStaticField, Type: config.String, Importance: config.Medium,
		Doc: "Name of the field that receives `static.value`." + insertOptionalityDoc},
	{Name: KeyInsertStaticValue, Type: config.String, Importance: config.Medium,
		Doc: "The constant string written to `static.field`."},
	replaceNullWithDefaultKey(),
}}

const insertFieldDoc = "Adds fields to the record key (`InsertField$Key`) or value (`InsertField$Value`) holding the " +
	"record's topic, partition, offset (sink connectors only) or timestamp, or a constant string. " +
	"A schemaless key or value must be a map; one with a schema must be a Struct, whose schema gains the new " +
	"fields (string, int32, int64, Timestamp, string). A null key or value is passed on unchanged."

const insertFieldExample = "Record where each value came from:\n\n" +
	"```properties\n" +
	"transforms=addSource\n" +
	"transforms.addSource.type=org.apache.kafka.connect.transforms.InsertField$Value\n" +
	"transforms.addSource.topic.field=topic\n" +
	"transforms.addSource.static.field=origin\n" +
	"transforms.addSource.static.value=warehouse-7\n" +
	"```\n\n" +
	"A schemaless value read from topic `orders`:\n\n" +
	"```json\n" + `{"id":42}` + "\n```\n\n" +
	"becomes:\n\n" +
	"```json\n" + `{"origin":"warehouse-7","topic":"orders","id":42}` + "\n```\n"

func insertFieldPlugins() []connectors.Plugin {
	return keyValuePlugins("InsertField", insertFieldDoc, insertFieldExample, insertFieldDef, newInsertField)
}

// insertSpec is one field to insert: its name and whether its schema is optional.
type insertSpec struct {
	name     string
	optional bool
}

// parseInsertSpec reads a field name with its optionality suffix; nil
// when the key is unset.
func parseInsertSpec(cfg config.Values, key string) *insertSpec {
	if cfg.Get(key) == nil {
		return nil
	}
	s := cfg.String(key)
	if name, ok := strings.CutSuffix(s, "?"); ok {
		return &insertSpec{name: name, optional: true}
	}
	if name, ok := strings.CutSuffix(s, "!"); ok {
		return &insertSpec{name: name}
	}
	return &insertSpec{name: s, optional: true}
}

type insertField struct {
	part                                        part
	topic, partition, offset, timestamp, static *insertSpec
	staticValue                                 string
	replaceNull                                 bool
	cache                                       schemaCache
}

func newInsertField(p part, cfg config.Values) (connectors.Transform, error) {
	t := &insertField{
		part:        p,
		topic:       parseInsertSpec(cfg, KeyInsertTopicField),
		partition:   parseInsertSpec(cfg, KeyInsertPartitionField),
		offset:      parseInsertSpec(cfg, KeyInsertOffsetField),
		timestamp:   parseInsertSpec(cfg, KeyInsertTimestampField),
		static:      parseInsertSpec(cfg, KeyInsertStaticField),
		staticValue: cfg.String(KeyInsertStaticValue),
		replaceNull: cfg.Bool(KeyReplaceNullWithDefault),
	}
	if t.topic == nil && t.partition == nil && t.offset == nil && t.timestamp == nil && t.static == nil {
		return nil, configErrorf(KeyInsertTopicField, "No field insertion configured")
	}
	if t.static != nil && cfg.Get(KeyInsertStaticValue) == nil {
		// Kafka prints its internal spec object here; the field name says more.
		return nil, configErrorf(KeyInsertStaticValue, "No value specified for static field: %s", t.static.name)
	}
	return t, nil
}

// Apply is the source path, where a record has no Kafka offset.
func (t *insertField) Apply(r connectors.Record) (connectors.Record, bool, error) {
	out, err := t.insert(r, nil)
	if err != nil {
		return connectors.Record{}, false, err
	}
	return out, true, nil
}

// ApplySink can also insert the record's offset.
func (t *insertField) ApplySink(r connectors.SinkRecord) (connectors.SinkRecord, bool, error) {
	out, err := t.insert(r.Record, &r.Offset)
	if err != nil {
		return connectors.SinkRecord{}, false, err
	}
	r.Record = out
	return r, true, nil
}

// needOffset is Kafka's requireSinkRecord: an offset can only be inserted
// into a record read from Kafka.
func (t *insertField) needOffset(offset *int64) error {
	if offset == nil {
		return connectors.DataErrorf("Only SinkRecord supported for [%s], found: org.apache.kafka.connect.source.SourceRecord", insertFieldPurpose)
	}
	return nil
}

func (t *insertField) insert(r connectors.Record, offset *int64) (connectors.Record, error) {
	sv := t.part.get(r)
	if sv.Value == nil {
		return r, nil
	}
	if sv.Schema == nil {
		return t.insertSchemaless(r, sv.Value, offset)
	}
	return t.insertWithSchema(r, sv.Value, offset)
}

func (t *insertField) insertSchemaless(r connectors.Record, v any, offset *int64) (connectors.Record, error) {
	m, err := requireMap(v, insertFieldPurpose)
	if err != nil {
		return r, err
	}
	out := copyMap(m, 5)
	if t.topic != nil {
		out[t.topic.name] = r.Topic
	}
	if t.partition != nil && r.Partition >= 0 {
		out[t.partition.name] = r.Partition
	}
	if t.offset != nil {
		if err := t.needOffset(offset); err != nil {
			return r, err
		}
		out[t.offset.name] = *offset
	}
	if t.timestamp != nil && !r.Timestamp.IsZero() {
		out[t.timestamp.name] = connectors.TimestampToMillis(r.Timestamp)
	}
	if t.static != nil {
		out[t.static.name] = t.staticValue
	}
	return t.part.set(r, connectors.SchemaAndValue{Value: out}), nil
}

func (t *insertField) insertWithSchema(r connectors.Record, v any, offset *int64) (connectors.Record, error) {
	s, err := requireStruct(v, insertFieldPurpose)
	if err != nil {
		return r, err
	}
	schema, err := t.cache.getOrBuild(s.Schema(), t.buildSchema)
	if err != nil {
		return r, err
	}
	out := connectors.NewStruct(schema)
	for _, f := range s.Schema().Fields {
		fv, err := fieldValue(s, f.Name, t.replaceNull)
		if err != nil {
			return r, err
		}
		if err := out.Put(f.Name, fv); err != nil {
			return r, err
		}
	}
	put := func(spec *insertSpec, fv any) error {
		if spec == nil {
			return nil
		}
		return out.Put(spec.name, fv)
	}
	if err := put(t.topic, r.Topic); err != nil {
		return r, err
	}
	if r.Partition >= 0 {
		if err := put(t.partition, r.Partition); err != nil {
			return r, err
		}
	}
	if t.offset != nil {
		if err := t.needOffset(offset); err != nil {
			return r, err
		}
		if err := put(t.offset, *offset); err != nil {
			return r, err
		}
	}
	if !r.Timestamp.IsZero() {
		ts := connectors.TimestampFromMillis(connectors.TimestampToMillis(r.Timestamp))
		if err := put(t.timestamp, ts); err != nil {
			return r, err
		}
	}
	if err := put(t.static, t.staticValue); err != nil {
		return r, err
	}
	return t.part.set(r, connectors.SchemaAndValue{Schema: schema, Value: out}), nil
}

// buildSchema is the input's fields followed by the inserted ones.
func (t *insertField) buildSchema(in *connectors.Schema) (*connectors.Schema, error) {
	b := newStructSchemaBuilder(structBasics(in))
	for _, f := range in.Fields {
		b.field(f.Name, f.Schema)
	}
	add := func(spec *insertSpec, optional, required *connectors.Schema) {
		if spec == nil {
			return
		}
		if spec.optional {
			b.field(spec.name, optional)
		} else {
			b.field(spec.name, required)
		}
	}
	add(t.topic, connectors.OptionalStringSchema, connectors.StringSchema)
	add(t.partition, connectors.OptionalInt32Schema, connectors.Int32Schema)
	add(t.offset, connectors.OptionalInt64Schema, connectors.Int64Schema)
	add(t.timestamp, connectors.TimestampSchema(true), connectors.TimestampSchema(false))
	add(t.static, connectors.OptionalStringSchema, connectors.StringSchema)
	return b.build()
}
