package sink

import (
	"fmt"
	"slices"
	"strings"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// source says where a column's value comes from in a record.
type source int

const (
	fromTopic       source = iota + 1 // pk.mode=kafka
	fromPartition                     // pk.mode=kafka
	fromOffset                        // pk.mode=kafka
	fromKey                           // a primitive key
	fromKeyField                      // a field of a struct key
	fromValueField                    // a field of a struct value
	fromStringValue                   // a String value, into string.output.value.column.name
)

// column is one column the sink writes, Confluent's SinkRecordField.
type column struct {
	name   string
	schema *connectors.Schema
	key    bool // part of the primary key
	from   source
}

// nullable reports whether the column may hold NULL; key columns never do.
func (c column) nullable() bool { return !c.key && c.schema.Optional }

// layout is Confluent's FieldsMetadata: the columns records of one key and
// value schema write.
type layout struct {
	keys    []column
	nonKeys []column
	// all is every column in the order CREATE TABLE lists them: the
	// Kafka coordinates, then the value's fields in schema order, then
	// the rest by name.
	all []column
}

// newLayout derives the columns of table from a batch's key and value
// schemas; value is nil for a batch of tombstones.
func newLayout(s *settings, table string, key, value *connectors.Schema) (*layout, error) {
	if value != nil && value.Type != connectors.Struct && value.Type != connectors.String {
		return nil, fmt.Errorf("table %s: the value schema must be a Struct or a String, not %s", table, typeName(value))
	}
	stringValue := value != nil && value.Type == connectors.String
	l := &layout{}
	byName := map[string]column{}
	addKey := func(c column) {
		c.key = true
		l.keys = append(l.keys, c)
		byName[c.name] = c
	}
	switch s.pkMode {
	case pkKafka:
		names := s.pkFields
		if len(names) == 0 {
			names = defaultKafkaPK
		}
		addKey(column{name: names[0], schema: connectors.StringSchema, from: fromTopic})
		addKey(column{name: names[1], schema: connectors.Int32Schema, from: fromPartition})
		addKey(column{name: names[2], schema: connectors.Int64Schema, from: fromOffset})
	case pkRecordKey:
		if key == nil {
			return nil, fmt.Errorf("table %s: pk.mode is record_key, but the record key has no schema", table)
		}
		switch {
		case key.Type == connectors.Struct:
			names := s.pkFields
			if len(names) == 0 {
				for _, f := range key.Fields {
					names = append(names, f.Name)
				}
			}
			for _, n := range names {
				f := fieldNamed(key, n)
				if f == nil {
					return nil, fmt.Errorf("table %s: pk.mode is record_key with pk.fields %s, but the record key has no field %s", table, strings.Join(s.pkFields, ","), n)
				}
				addKey(column{name: n, schema: f.Schema, from: fromKeyField})
			}
		case isPrimitive(key.Type):
			if len(s.pkFields) != 1 {
				return nil, fmt.Errorf("table %s: the record key is a primitive %s, so pk.fields must name exactly one column for it, not %q", table, typeName(key), strings.Join(s.pkFields, ","))
			}
			addKey(column{name: s.pkFields[0], schema: key, from: fromKey})
		default:
			return nil, fmt.Errorf("table %s: pk.mode is record_key, but the key schema is %s: it must be a primitive or a Struct", table, typeName(key))
		}
	case pkRecordValue:
		if value == nil || stringValue {
			return nil, fmt.Errorf("table %s: pk.mode is record_value, which needs a Struct value schema, not %s", table, typeName(value))
		}
		names := s.pkFields
		if len(names) == 0 {
			for _, f := range value.Fields {
				names = append(names, f.Name)
			}
		}
		for _, n := range names {
			f := fieldNamed(value, n)
			if f == nil {
				return nil, fmt.Errorf("table %s: pk.mode is record_value with pk.fields %s, but the record value has no field %s", table, strings.Join(s.pkFields, ","), n)
			}
			addKey(column{name: n, schema: f.Schema, from: fromValueField})
		}
	}
	switch {
	case stringValue:
		if _, clash := byName[s.stringColumn]; clash {
			return nil, fmt.Errorf("table %s: %s %s is also a primary key column", table, KeyStringValueColumn, s.stringColumn)
		}
		c := column{name: s.stringColumn, schema: connectors.OptionalStringSchema, from: fromStringValue}
		l.nonKeys = append(l.nonKeys, c)
		byName[c.name] = c
	case value != nil:
		for _, f := range value.Fields {
			if _, isKey := byName[f.Name]; isKey || len(s.whitelist) > 0 && !s.whitelist[f.Name] {
				continue
			}
			c := column{name: f.Name, schema: f.Schema, from: fromValueField}
			l.nonKeys = append(l.nonKeys, c)
			byName[c.name] = c
		}
	}
	if len(byName) == 0 {
		return nil, fmt.Errorf("table %s: the key and value schemas give no columns to write", table)
	}
	for _, n := range defaultKafkaPK {
		if c, ok := byName[n]; ok {
			l.all = append(l.all, c)
			delete(byName, n)
		}
	}
	for _, c := range l.nonKeys {
		if _, ok := byName[c.name]; ok {
			l.all = append(l.all, c)
			delete(byName, c.name)
		}
	}
	if value != nil && !stringValue {
		for _, f := range value.Fields {
			if c, ok := byName[f.Name]; ok {
				l.all = append(l.all, c)
				delete(byName, f.Name)
			}
		}
	}
	rest := make([]string, 0, len(byName))
	for n := range byName {
		rest = append(rest, n)
	}
	slices.Sort(rest)
	for _, n := range rest {
		l.all = append(l.all, byName[n])
	}
	return l, nil
}

func fieldNamed(s *connectors.Schema, name string) *connectors.Field {
	for i := range s.Fields {
		if s.Fields[i].Name == name {
			return &s.Fields[i]
		}
	}
	return nil
}

func isPrimitive(t connectors.Type) bool {
	return t != connectors.Struct && t != connectors.Map && t != connectors.Array
}

// value returns the Connect value of c in r.
func (c column) value(r *connectors.SinkRecord, replaceNulls bool) (any, error) {
	switch c.from {
	case fromTopic:
		return r.Topic, nil
	case fromPartition:
		return r.Partition, nil
	case fromOffset:
		return r.Offset, nil
	case fromKey:
		return r.Key.Value, nil
	case fromStringValue:
		return r.Value.Value, nil
	case fromKeyField:
		return structField(r.Key.Value, c.name, true)
	default:
		return structField(r.Value.Value, c.name, replaceNulls || c.key)
	}
}

func structField(v any, name string, withDefault bool) (any, error) {
	s, ok := v.(*connectors.StructValue)
	if !ok {
		return nil, fmt.Errorf("field %s: the value is a %s, not a Struct", name, valueTypeName(v))
	}
	if withDefault {
		return s.Get(name)
	}
	return s.GetWithoutDefault(name)
}

// checkRecord makes sure r has what the configuration needs, as
// Confluent's RecordValidator, with messages that say how to fix it.
func (s *settings) checkRecord(r *connectors.SinkRecord) error {
	if s.pkMode == pkRecordKey || s.deleteEnabled {
		ks := r.Key.Schema
		if r.Key.Value == nil || ks == nil || ks.Type != connectors.Struct && !isPrimitive(ks.Type) {
			return &recordError{r: r, err: fmt.Errorf("%s requires records with a non-null key and non-null Struct or primitive key schema, but found record at %s with a %s key and %s key schema. %s",
				s.preamble(), where(r), valueTypeName(r.Key.Value), typeName(ks), keyHint(r))}
		}
	}
	// A tombstone is a delete when deletes are enabled; any other value
	// must be one the sink can map to columns.
	if r.Value.Value != nil || !s.deleteEnabled {
		vs := r.Value.Schema
		_, isStruct := r.Value.Value.(*connectors.StructValue)
		_, isString := r.Value.Value.(string)
		if r.Value.Value == nil || vs == nil || !(vs.Type == connectors.Struct && isStruct || vs.Type == connectors.String && isString) {
			return &recordError{r: r, err: fmt.Errorf("%s requires records with a non-null Struct or String value and non-null Struct or String schema, but found record at %s with a %s value and %s value schema. %s",
				s.preamble(), where(r), valueTypeName(r.Value.Value), typeName(vs), valueHint(r))}
		}
		if vs.Type == connectors.String && len(s.whitelist) > 0 {
			return &recordError{r: r, err: fmt.Errorf("%s sets %s, which applies to the fields of Struct values, but found record at %s with a String value: remove %s, or produce Struct values", s.preamble(), KeyFieldsWhitelist, where(r), KeyFieldsWhitelist)}
		}
	}
	return nil
}

// preamble opens Confluent's record validation messages, which users
// search for.
func (s *settings) preamble() string {
	return fmt.Sprintf("Sink connector '%s' is configured with '%s=%t' and '%s=%s' and therefore", s.connector, KeyDeleteEnabled, s.deleteEnabled, KeyPKMode, s.pkMode)
}

func valueHint(r *connectors.SinkRecord) string {
	v, vs := r.Value.Value, r.Value.Schema
	switch {
	case v == nil:
		return "The record is a tombstone (a null value): set delete.enabled=true with pk.mode=record_key to delete the row of its key, or drop tombstones before the sink with the Filter transform and the RecordIsTombstone predicate."
	case vs == nil:
		what := "The value has no schema"
		if _, isMap := v.(map[string]any); isMap {
			what = "The value is a map without a schema"
		}
		return what + ", which is what JsonConverter gives with value.converter.schemas.enable=false or for JSON without a {\"schema\": ..., \"payload\": ...} envelope. " +
			"The sink needs a schema to know the columns and their types: set value.converter.schemas.enable=true and produce values in that envelope, or use a converter that carries schemas (Avro, Protobuf or JSON Schema with a schema registry)."
	default:
		return fmt.Sprintf("A %s value has no fields to map to columns: produce Struct values, or wrap the value into a Struct with the HoistField$Value transform.", typeName(vs))
	}
}

func keyHint(r *connectors.SinkRecord) string {
	switch {
	case r.Key.Value == nil:
		return "Records need a key to find the row they write or delete: produce keyed records, or copy value fields into the key with the ValueToKey transform."
	case r.Key.Schema == nil:
		return "The key has no schema, which is what JsonConverter gives with key.converter.schemas.enable=false: set key.converter.schemas.enable=true and produce keys in the {\"schema\": ..., \"payload\": ...} envelope, or use StringConverter for string keys or a converter that carries schemas."
	default:
		return "Extract a primitive from the key with the ExtractField$Key transform, or produce Struct keys."
	}
}

// where names a record as Confluent's messages do.
func where(r *connectors.SinkRecord) string {
	ts := int64(-1)
	if !r.Timestamp.IsZero() {
		ts = r.Timestamp.UnixMilli()
	}
	return fmt.Sprintf("(topic='%s',partition=%d,offset=%d,timestamp=%d)", r.Topic, r.Partition, r.Offset, ts)
}

// typeName names a schema's type as Java's Schema.Type does, "null" for none.
func typeName(s *connectors.Schema) string {
	switch {
	case s == nil:
		return "null"
	case s.Type == connectors.Float32:
		return "FLOAT32"
	case s.Type == connectors.Float64:
		return "FLOAT64"
	}
	return strings.ToUpper(string(s.Type))
}

// valueTypeName names a value's type as Java's class would be named, so
// that messages read as Confluent's.
func valueTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case *connectors.StructValue:
		return "Struct"
	case map[string]any, map[any]any:
		return "HashMap"
	case []any:
		return "ArrayList"
	case string:
		return "String"
	case []byte:
		return "byte[]"
	case bool:
		return "Boolean"
	case int8:
		return "Byte"
	case int16:
		return "Short"
	case int32:
		return "Integer"
	case int64:
		return "Long"
	case float32:
		return "Float"
	case float64:
		return "Double"
	}
	return fmt.Sprintf("%T", v)
}

// recordError is a failure of one record, named by its Kafka coordinates.
type recordError struct {
	r   *connectors.SinkRecord
	err error
}

func (e *recordError) Error() string {
	if strings.Contains(e.err.Error(), where(e.r)) {
		return e.err.Error()
	}
	return fmt.Sprintf("record %s-%d at offset %d: %v", e.r.Topic, e.r.Partition, e.r.Offset, e.err)
}

func (e *recordError) Unwrap() error { return e.err }
