package connectors

// StructValue is a value of a Struct schema, Kafka's
// org.apache.kafka.connect.data.Struct: one value per field of the schema,
// nil when unset. (The name Struct is the schema type.)
//
// A StructValue is mutable while it is being filled in. Once it is part of
// a record, treat it as immutable: a transform that changes fields builds
// a new one (see Copy), as it never modifies a record's maps or slices.
type StructValue struct {
	schema *Schema
	values []any // by position in schema.Fields
}

// NewStruct returns an empty value of schema, which should be a Struct
// schema; for any other schema Put, Get and Validate return Kafka's
// errors for field access on a non-struct type.
func NewStruct(schema *Schema) *StructValue {
	s := &StructValue{schema: schema}
	if schema != nil && schema.Type == Struct {
		s.values = make([]any, len(schema.Fields))
	}
	return s
}

// Schema returns the schema s was created with.
func (s *StructValue) Schema() *Schema { return s.schema }

// lookup is the position of the field named name, with Kafka's errors.
func (s *StructValue) lookup(name string) (int, error) {
	if s.schema == nil || s.schema.Type != Struct {
		return -1, dataErrorf("Cannot look up fields on non-struct type")
	}
	i := s.schema.fieldIndex(name)
	if i < 0 {
		return -1, dataErrorf("%s is not a valid field name", name)
	}
	return i, nil
}

// Put sets the field named name to v after checking v against the field's
// schema with ValidateValue's rules, so nil is refused for a field that
// is not optional, even one with a default. The errors match
// ErrInvalidData: `f is not a valid field name`, `Invalid value: null
// used for required field: "f", schema type: STRING`, ...
func (s *StructValue) Put(name string, v any) error {
	i, err := s.lookup(name)
	if err != nil {
		return err
	}
	if err := validateField(name, s.schema.Fields[i].Schema, v); err != nil {
		return err
	}
	s.values[i] = v
	return nil
}

// Get returns the value of the field named name or, when it is nil, the
// default of the field's schema (nil if it has none), as Kafka's
// Struct.get.
func (s *StructValue) Get(name string) (any, error) {
	i, err := s.lookup(name)
	if err != nil {
		return nil, err
	}
	if v := s.values[i]; v != nil {
		return v, nil
	}
	if fs := s.schema.Fields[i].Schema; fs != nil {
		return fs.Default, nil
	}
	return nil, nil
}

// GetWithoutDefault returns the value of the field named name, nil when
// unset, as Kafka's Struct.getWithoutDefault.
func (s *StructValue) GetWithoutDefault(name string) (any, error) {
	i, err := s.lookup(name)
	if err != nil {
		return nil, err
	}
	return s.values[i], nil
}

// Validate checks every field's value against its schema, as Kafka's
// Struct.validate: a nil value is accepted for an optional field or one
// whose schema has a default, and any other value with ValidateValue.
func (s *StructValue) Validate() error {
	if s.validate(0, false) == nil {
		return nil
	}
	return s.validate(0, true)
}

// validate checks every field; describe builds the location text of
// Kafka's messages, which only a failing value needs.
func (s *StructValue) validate(depth int, describe bool) error {
	if s.schema == nil || s.schema.Type != Struct {
		return dataErrorf("Cannot list fields on non-struct type")
	}
	for i := range s.schema.Fields {
		f := &s.schema.Fields[i]
		v := s.values[i]
		if v == nil && f.Schema != nil && (f.Schema.Optional || f.Schema.Default != nil) {
			continue
		}
		where := ""
		if describe {
			where = `field: "` + f.Name + `"`
		}
		if err := validateValue(f.Schema, v, where, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// Equal reports whether s and o have equal schemas (SchemaEqual) and equal
// field values, compared as Kafka's Struct.equals does with
// Arrays.deepEquals (byte slices by content, nested values element-wise).
func (s *StructValue) Equal(o *StructValue) bool {
	return s.equal(o, 0)
}

func (s *StructValue) equal(o *StructValue, depth int) bool {
	if s == nil || o == nil {
		return s == o
	}
	if s == o {
		return true
	}
	if !SchemaEqual(s.schema, o.schema) || len(s.values) != len(o.values) {
		return false
	}
	for i := range s.values {
		if !valueEqual(s.values[i], o.values[i], depth+1) {
			return false
		}
	}
	return true
}

// Copy returns a shallow copy of s: the same schema and field values, in a
// new StructValue whose fields can be set without changing s.
func (s *StructValue) Copy() *StructValue {
	return &StructValue{schema: s.schema, values: append([]any(nil), s.values...)}
}

// String prints s as Kafka's Struct.toString: "Struct{" and the non-nil
// fields as name=value joined by ",", then "}", with each value printed by
// AppendJavaString. A value nested more than 1000 levels deep is cut short.
func (s *StructValue) String() string {
	b, _ := appendJavaStruct(nil, s, 0)
	return string(b)
}

// appendJavaStruct prints s as Java's Struct.toString.
func appendJavaStruct(b []byte, s *StructValue, depth int) ([]byte, error) {
	b = append(b, "Struct{"...)
	if s.schema != nil {
		first := true
		for i, v := range s.values {
			if v == nil {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = append(b, s.schema.Fields[i].Name...)
			b = append(b, '=')
			var err error
			if b, err = appendJavaValue(b, v, depth+1); err != nil {
				return b, err
			}
		}
	}
	return append(b, '}'), nil
}
