package format

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// Names and properties of Confluent's AvroData (io.confluent.connect.avro).
const (
	avroNamespace     = "io.confluent.connect.avro"
	defaultRecordName = "ConnectDefault"
	mapEntryName      = "MapEntry"

	propConnectDoc      = "connect.doc"
	propConnectVersion  = "connect.version"
	propConnectParams   = "connect.parameters"
	propConnectDefault  = "connect.default"
	propConnectName     = "connect.name"
	propConnectType     = "connect.type"
	propInternalType    = "connect.internal.type"
	propLogicalType     = "logicalType"
	paramPrecision      = "connect.decimal.precision"
	paramRecordDoc      = "io.confluent.connect.avro.record.doc"
	paramFieldDocPrefix = "io.confluent.connect.avro.field.doc."
	paramFieldDefault   = "io.confluent.connect.avro.field.default"

	defaultDecimalPrecision = 64

	// maxDepth bounds the nesting of schemas and default values, so a
	// cyclic schema is reported rather than overflowing the stack.
	maxDepth = 256
)

// avroSchemaJSON returns the Avro schema of values of s as Confluent's
// AvroData.fromConnectSchema builds it (with connect.meta.data on, the
// default) and Avro's Schema.toString prints it: compact JSON, properties
// in the order AvroData adds them.
func avroSchemaJSON(s *connectors.Schema) ([]byte, error) {
	b := &avroSchemaBuilder{records: map[string]*connectors.Schema{}}
	return b.schema(nil, s, 0)
}

// avroSchemaBuilder prints one schema. Avro lets a named type be defined
// once and referenced by name afterwards, as Java prints a record it has
// already written.
type avroSchemaBuilder struct {
	records map[string]*connectors.Schema // full name -> the non-optional schema it was defined for
	space   string                        // enclosing namespace, as Java's Names.space
}

// prop is one schema property, kept in insertion order.
type prop struct {
	key string
	val []byte // JSON
}

func (b *avroSchemaBuilder) schema(out []byte, s *connectors.Schema, depth int) ([]byte, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("avro schema: nesting deeper than %d", maxDepth)
	}
	if s == nil {
		return nil, fmt.Errorf("avro schema: missing schema of a nested value")
	}
	if s.Type == connectors.Struct && s.Optional {
		nonOpt := nonOptional(s)
		out = append(out, `["null",`...)
		out, err := b.schema(out, nonOpt, depth+1)
		return append(out, ']'), err
	}
	var (
		props       []prop
		connectType string
		body        []byte // the type and its members, without the braces
		err         error
	)
	switch s.Type {
	case connectors.Int8, connectors.Int16:
		connectType = string(s.Type)
		body = appendJSONField(body, "type", `"int"`)
	case connectors.Int32:
		body = appendJSONField(body, "type", `"int"`)
	case connectors.Int64:
		body = appendJSONField(body, "type", `"long"`)
	case connectors.Float32:
		body = appendJSONField(body, "type", `"float"`)
	case connectors.Float64:
		body = appendJSONField(body, "type", `"double"`)
	case connectors.Boolean:
		body = appendJSONField(body, "type", `"boolean"`)
	case connectors.String:
		body = appendJSONField(body, "type", `"string"`)
	case connectors.Bytes:
		body = appendJSONField(body, "type", `"bytes"`)
		if isLogical(s, connectors.DecimalName) {
			precision, scale, err := decimalPrecisionScale(s)
			if err != nil {
				return nil, err
			}
			props = append(props,
				prop{"scale", strconv.AppendInt(nil, int64(scale), 10)},
				prop{"precision", strconv.AppendInt(nil, int64(precision), 10)})
		}
	case connectors.Array:
		body = appendJSONField(body, "type", `"array"`)
		body = append(body, `,"items":`...)
		body, err = b.schema(body, s.Value, depth+1)
	case connectors.Map:
		body, err = b.mapBody(body, s, depth)
	case connectors.Struct:
		ns, name := avroNamespace, defaultRecordName
		if s.Name != "" {
			ns, name = splitName(s.Name)
		}
		var defined bool
		if name, defined, err = b.define(ns, name, s, s.Name == ""); err != nil {
			return nil, err
		}
		if defined {
			return append(out, b.qualified(ns, name)...), nil
		}
		body, err = b.recordBody(body, s, ns, name, depth)
	default:
		return nil, fmt.Errorf("avro schema: unknown schema type %q", s.Type)
	}
	if err != nil {
		return nil, err
	}
	props, err = appendMetaProps(props, s, connectType)
	if err != nil {
		return nil, err
	}

	var base []byte
	if len(props) == 0 && s.Type != connectors.Array && s.Type != connectors.Map && s.Type != connectors.Struct {
		base = body[len(`"type":`):] // a primitive without properties prints as its name
	} else {
		base = append(base, '{')
		base = append(base, body...)
		for _, p := range props {
			base = appendJSONField(append(base, ','), p.key, p.val)
		}
		base = append(base, '}')
	}
	switch {
	case !s.Optional:
		return append(out, base...), nil
	case s.Default != nil:
		// Avro wants a field's default to match the union's first branch.
		out = append(append(append(out, '['), base...), `,"null"]`...)
	default:
		out = append(append(append(out, `["null",`...), base...), ']')
	}
	return out, nil
}

// mapBody prints a map with non-optional string keys as an Avro map and
// any other map as an array of key/value records, as AvroData does.
func (b *avroSchemaBuilder) mapBody(body []byte, s *connectors.Schema, depth int) ([]byte, error) {
	if s.Key == nil || s.Value == nil {
		return nil, fmt.Errorf("avro schema: map schema without key or value schema")
	}
	if s.Key.Type == connectors.String && !s.Key.Optional {
		body = appendJSONField(body, "type", `"map"`)
		body = append(body, `,"values":`...)
		return b.schema(body, s.Value, depth+1)
	}
	body = appendJSONField(body, "type", `"array"`)
	body = append(body, `,"items":`...)
	entry := &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{
		{Name: "key", Index: 0, Schema: s.Key},
		{Name: "value", Index: 1, Schema: s.Value},
	}}
	ns, name := avroNamespace, mapEntryName
	if s.Name != "" {
		ns, name = splitName(s.Name)
	}
	name, defined, err := b.define(ns, name, entry, s.Name == "")
	if err != nil || defined {
		return append(body, b.qualified(ns, name)...), err
	}
	body = append(body, '{')
	body = appendJSONField(body, "type", `"record"`)
	body, saved := b.recordName(body, ns, name, "")
	body = append(body, `,"fields":[`...)
	for i, f := range entry.Fields {
		if i > 0 {
			body = append(body, ',')
		}
		if body, err = b.field(body, f.Name, f.Schema, "", depth); err != nil {
			return nil, err
		}
	}
	body = append(body, ']')
	b.space = saved
	// A named map, or a renamed entry, is recognised by this property.
	if s.Name != "" || name != mapEntryName {
		body = appendJSONField(append(body, ','), propInternalType, string(quoteJSON(mapEntryName)))
	}
	return append(body, '}'), nil
}

// recordBody prints a Struct schema as a record named ns.name. The
// record's own properties (connect.name ...) follow its fields, as Java
// prints them.
func (b *avroSchemaBuilder) recordBody(body []byte, s *connectors.Schema, ns, name string, depth int) ([]byte, error) {
	body = appendJSONField(body, "type", `"record"`)
	body, saved := b.recordName(body, ns, name, s.Parameters[paramRecordDoc])
	body = append(body, `,"fields":[`...)
	for i, f := range s.Fields {
		if i > 0 {
			body = append(body, ',')
		}
		var err error
		if body, err = b.field(body, f.Name, f.Schema, s.Parameters[paramFieldDocPrefix+f.Name], depth); err != nil {
			return nil, err
		}
	}
	b.space = saved
	return append(body, ']'), nil
}

// define reserves the record name ns.name for s. defined reports that an
// equal schema was printed under that name already, so a reference
// suffices. Java fails on a second, different record of the same name
// ("Can't redefine: io.confluent.connect.avro.ConnectDefault"); for the
// names AvroData gives unnamed schemas, a numbered name (ConnectDefault2,
// MapEntry2 ...) keeps the file writable instead.
func (b *avroSchemaBuilder) define(ns, name string, s *connectors.Schema, renamable bool) (string, bool, error) {
	base := name
	for i := 1; ; i++ {
		if i > 1 {
			name = base + strconv.Itoa(i)
		}
		full := fullName(ns, name)
		prev, ok := b.records[full]
		if !ok {
			b.records[full] = s
			return name, false, nil
		}
		if connectors.SchemaEqual(prev, s) {
			return name, true, nil
		}
		if !renamable {
			return "", false, fmt.Errorf("avro schema: two different schemas are named %s", full)
		}
	}
}

// qualified prints a reference to a defined record, as Java's
// Schema.getQualified: the short name inside the record's namespace.
func (b *avroSchemaBuilder) qualified(ns, name string) []byte {
	if ns == b.space {
		return quoteJSON(name)
	}
	return quoteJSON(fullName(ns, name))
}

// recordName prints a record's name, namespace and doc as Java's
// Schema.writeName does, and enters its namespace; the caller restores the
// returned one after the fields.
func (b *avroSchemaBuilder) recordName(out []byte, ns, name, doc string) ([]byte, string) {
	out = appendJSONField(append(out, ','), "name", quoteJSON(name))
	switch {
	case ns != "" && ns != b.space:
		out = appendJSONField(append(out, ','), "namespace", quoteJSON(ns))
	case ns == "" && b.space != "":
		out = appendJSONField(append(out, ','), "namespace", `""`)
	}
	if doc != "" {
		out = appendJSONField(append(out, ','), "doc", quoteJSON(doc))
	}
	saved := b.space
	b.space = ns
	return out, saved
}

// field prints one record field as AvroData.addAvroRecordField builds it:
// the schema's default, or null for an optional field without one.
func (b *avroSchemaBuilder) field(out []byte, name string, s *connectors.Schema, doc string, depth int) ([]byte, error) {
	if s == nil {
		return nil, fmt.Errorf("avro schema: field %s has no schema", name)
	}
	out = appendJSONField(append(out, '{'), "name", quoteJSON(name))
	out = append(out, `,"type":`...)
	out, err := b.schema(out, s, depth+1)
	if err != nil {
		return nil, err
	}
	if doc != "" {
		out = appendJSONField(append(out, ','), "doc", quoteJSON(doc))
	}
	switch {
	case s.Default != nil:
		def, err := defaultJSON(nil, s, s.Default, depth)
		if err != nil {
			return nil, fmt.Errorf("avro schema: default of field %s: %w", name, err)
		}
		out = appendJSONField(append(out, ','), "default", string(def))
	case s.Optional:
		out = appendJSONField(append(out, ','), "default", "null")
	}
	return append(out, '}'), nil
}

// appendMetaProps adds the connect.* properties and the logical type, in
// AvroData's order.
func appendMetaProps(props []prop, s *connectors.Schema, connectType string) ([]prop, error) {
	if s.Doc != "" {
		props = append(props, prop{propConnectDoc, quoteJSON(s.Doc)})
	}
	if s.Version != nil {
		props = append(props, prop{propConnectVersion, strconv.AppendInt(nil, int64(*s.Version), 10)})
	}
	if params := paramsJSON(s.Parameters); params != nil {
		props = append(props, prop{propConnectParams, params})
	}
	if _, flagged := s.Parameters[paramFieldDefault]; s.Default != nil && !flagged {
		def, err := defaultJSON(nil, s, s.Default, 0)
		if err != nil {
			return nil, fmt.Errorf("avro schema: default of %s: %w", describe(s), err)
		}
		props = append(props, prop{propConnectDefault, def})
	}
	if s.Name != "" {
		props = append(props, prop{propConnectName, quoteJSON(s.Name)})
	}
	if connectType != "" {
		props = append(props, prop{propConnectType, quoteJSON(connectType)})
	}
	switch {
	case isLogical(s, connectors.DecimalName):
		props = append(props, prop{propLogicalType, quoteJSON("decimal")})
	case isLogical(s, connectors.TimeName):
		props = append(props, prop{propLogicalType, quoteJSON("time-millis")})
	case isLogical(s, connectors.TimestampName):
		props = append(props, prop{propLogicalType, quoteJSON("timestamp-millis")})
	case isLogical(s, connectors.DateName):
		props = append(props, prop{propLogicalType, quoteJSON("date")})
	}
	return props, nil
}

// paramsJSON prints the parameters as an object, nil when there are none.
// Kafka keeps parameters in insertion order, which a Go map has lost: keys
// are sorted instead.
func paramsJSON(params map[string]string) []byte {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != paramFieldDefault {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys)
	out := []byte{'{'}
	for i, k := range keys {
		if i > 0 {
			out = append(out, ',')
		}
		out = appendJSONField(out, k, string(quoteJSON(params[k])))
	}
	return append(out, '}')
}

// defaultJSON prints a default value as AvroData.defaultValueFromConnect:
// logical values as their base type, bytes as an ISO-8859-1 string, maps
// with string keys as objects and other maps as arrays of [key, value].
func defaultJSON(out []byte, s *connectors.Schema, v any, depth int) ([]byte, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("nesting deeper than %d", maxDepth)
	}
	if v == nil {
		return append(out, "null"...), nil
	}
	v, err := fromLogical(s, v)
	if err != nil {
		return nil, err
	}
	switch s.Type {
	case connectors.Int8, connectors.Int16, connectors.Int32, connectors.Int64:
		n, ok := integer(v)
		if !ok {
			return nil, typeError(s, v)
		}
		return strconv.AppendInt(out, n, 10), nil
	case connectors.Float32:
		f, ok := v.(float32)
		if !ok {
			return nil, typeError(s, v)
		}
		return appendJSONNumber(out, float64(f), func(b []byte) []byte { return connectors.AppendJavaFloat(b, f) }), nil
	case connectors.Float64:
		f, ok := v.(float64)
		if !ok {
			return nil, typeError(s, v)
		}
		return appendJSONNumber(out, f, func(b []byte) []byte { return connectors.AppendJavaDouble(b, f) }), nil
	case connectors.Boolean:
		t, ok := v.(bool)
		if !ok {
			return nil, typeError(s, v)
		}
		return strconv.AppendBool(out, t), nil
	case connectors.String:
		str, ok := v.(string)
		if !ok {
			return nil, typeError(s, v)
		}
		return append(out, quoteJSON(str)...), nil
	case connectors.Bytes:
		raw, ok := v.([]byte)
		if !ok {
			return nil, typeError(s, v)
		}
		latin := make([]rune, len(raw))
		for i, c := range raw {
			latin[i] = rune(c)
		}
		return append(out, quoteJSON(string(latin))...), nil
	case connectors.Array:
		elems, ok := v.([]any)
		if !ok {
			return nil, typeError(s, v)
		}
		out = append(out, '[')
		for i, e := range elems {
			if i > 0 {
				out = append(out, ',')
			}
			if out, err = defaultJSON(out, s.Value, e, depth+1); err != nil {
				return nil, err
			}
		}
		return append(out, ']'), nil
	case connectors.Map:
		entries, err := mapEntries(s, v)
		if err != nil {
			return nil, err
		}
		stringKeys := s.Key.Type == connectors.String && !s.Key.Optional
		if stringKeys {
			out = append(out, '{')
		} else {
			out = append(out, '[')
		}
		for i, e := range entries {
			if i > 0 {
				out = append(out, ',')
			}
			if stringKeys {
				out = append(append(out, quoteJSON(e.Key.(string))...), ':')
			} else {
				out = append(out, '[')
				if out, err = defaultJSON(out, s.Key, e.Key, depth+1); err != nil {
					return nil, err
				}
				out = append(out, ',')
			}
			if out, err = defaultJSON(out, s.Value, e.Value, depth+1); err != nil {
				return nil, err
			}
			if !stringKeys {
				out = append(out, ']')
			}
		}
		if stringKeys {
			return append(out, '}'), nil
		}
		return append(out, ']'), nil
	case connectors.Struct:
		st, ok := v.(*connectors.StructValue)
		if !ok {
			return nil, typeError(s, v)
		}
		out = append(out, '{')
		for i, f := range s.Fields {
			if i > 0 {
				out = append(out, ',')
			}
			fv, err := st.Get(f.Name)
			if err != nil {
				return nil, err
			}
			out = append(append(out, quoteJSON(f.Name)...), ':')
			if out, err = defaultJSON(out, f.Schema, fv, depth+1); err != nil {
				return nil, err
			}
		}
		return append(out, '}'), nil
	}
	return nil, fmt.Errorf("unknown schema type %q", s.Type)
}

// appendJSONNumber prints a finite number with Java's digits, and NaN and
// the infinities as the strings Jackson quotes them as.
func appendJSONNumber(out []byte, f float64, java func([]byte) []byte) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(out, quoteJSON(string(java(nil)))...)
	}
	return java(out)
}

// fromLogical converts a logical value to its base type's value, as
// Kafka's Decimal/Date/Time/Timestamp.fromLogical.
func fromLogical(s *connectors.Schema, v any) (any, error) {
	switch {
	case isLogical(s, connectors.DecimalName):
		if d, ok := v.(connectors.Decimal); ok {
			return connectors.EncodeDecimal(s, d)
		}
	case isLogical(s, connectors.DateName):
		if t, ok := v.(time.Time); ok {
			return connectors.DateToDays(t)
		}
	case isLogical(s, connectors.TimeName):
		if t, ok := v.(time.Time); ok {
			return connectors.TimeToMillis(t)
		}
	case isLogical(s, connectors.TimestampName):
		if t, ok := v.(time.Time); ok {
			return connectors.TimestampToMillis(t), nil
		}
	}
	return v, nil
}

// isLogical reports whether s is the logical type name on its base type.
// AvroData compares names ignoring case.
func isLogical(s *connectors.Schema, name string) bool {
	if !strings.EqualFold(s.Name, name) {
		return false
	}
	switch name {
	case connectors.DecimalName:
		return s.Type == connectors.Bytes
	case connectors.TimestampName:
		return s.Type == connectors.Int64
	}
	return s.Type == connectors.Int32
}

// decimalPrecisionScale returns a Decimal schema's precision
// (connect.decimal.precision, default 64) and scale.
func decimalPrecisionScale(s *connectors.Schema) (precision, scale int32, err error) {
	precision = defaultDecimalPrecision
	if p, ok := s.Parameters[paramPrecision]; ok {
		n, err := strconv.ParseInt(p, 10, 32)
		if err != nil {
			return 0, 0, fmt.Errorf("avro schema: invalid %s %q", paramPrecision, p)
		}
		precision = int32(n)
	}
	scale, err = connectors.DecimalScale(s)
	return precision, scale, err
}

// nonOptional is s without its optional flag, as AvroData.nonOptional.
func nonOptional(s *connectors.Schema) *connectors.Schema {
	c := *s
	c.Optional = false
	return &c
}

// splitName splits a full name at its last dot, as AvroData.splitName.
func splitName(full string) (namespace, name string) {
	i := strings.LastIndexByte(full, '.')
	if i < 0 {
		return "", full
	}
	return full[:i], full[i+1:]
}

func fullName(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "." + name
}

func appendJSONField[T string | []byte](out []byte, key string, rawValue T) []byte {
	out = append(out, quoteJSON(key)...)
	out = append(out, ':')
	return append(out, rawValue...)
}

// quoteJSON quotes s as Jackson does: only '"', '\\' and control
// characters are escaped.
func quoteJSON(s string) []byte {
	const hex = "0123456789ABCDEF"
	out := make([]byte, 0, len(s)+2)
	out = append(out, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			out = append(out, '\\', c)
		case c == '\n':
			out = append(out, '\\', 'n')
		case c == '\r':
			out = append(out, '\\', 'r')
		case c == '\t':
			out = append(out, '\\', 't')
		case c == '\b':
			out = append(out, '\\', 'b')
		case c == '\f':
			out = append(out, '\\', 'f')
		case c < 0x20:
			out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		default:
			out = append(out, c)
		}
	}
	return append(out, '"')
}
