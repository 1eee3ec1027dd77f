package connectors

// Type is a Connect schema type. The string values are the names Kafka's
// JsonConverter writes in a schema's "type" field.
type Type string

const (
	Int8    Type = "int8"
	Int16   Type = "int16"
	Int32   Type = "int32"
	Int64   Type = "int64"
	Float32 Type = "float"
	Float64 Type = "double"
	Boolean Type = "boolean"
	String  Type = "string"
	Bytes   Type = "bytes"
	Array   Type = "array"
	Map     Type = "map"
	Struct  Type = "struct"
)

// Schema describes a Connect value, as Kafka's org.apache.kafka.connect.data.Schema.
//
// Go values by type: Int8 int8, Int16 int16, Int32 int32, Int64 int64,
// Float32 float32, Float64 float64, Boolean bool, String string, Bytes []byte,
// Array []any, Map map[any]any (map[string]any for schemaless JSON objects).
// A nil value is Java's null. Schemas are immutable once built: share them,
// never modify one that another record may hold.
type Schema struct {
	Type       Type
	Optional   bool
	Default    any
	Name       string
	Version    *int32
	Doc        string
	Parameters map[string]string
	Fields     []Field // Struct
	Key        *Schema // Map
	Value      *Schema // Array and Map
}

// Field is one field of a Struct schema.
type Field struct {
	Name   string
	Index  int
	Schema *Schema
}

// The predefined primitive schemas, as Kafka's Schema.X_SCHEMA and
// Schema.OPTIONAL_X_SCHEMA. They are shared: never modify them.
var (
	Int8Schema    = &Schema{Type: Int8}
	Int16Schema   = &Schema{Type: Int16}
	Int32Schema   = &Schema{Type: Int32}
	Int64Schema   = &Schema{Type: Int64}
	Float32Schema = &Schema{Type: Float32}
	Float64Schema = &Schema{Type: Float64}
	BooleanSchema = &Schema{Type: Boolean}
	StringSchema  = &Schema{Type: String}
	BytesSchema   = &Schema{Type: Bytes}

	OptionalInt8Schema    = &Schema{Type: Int8, Optional: true}
	OptionalInt16Schema   = &Schema{Type: Int16, Optional: true}
	OptionalInt32Schema   = &Schema{Type: Int32, Optional: true}
	OptionalInt64Schema   = &Schema{Type: Int64, Optional: true}
	OptionalFloat32Schema = &Schema{Type: Float32, Optional: true}
	OptionalFloat64Schema = &Schema{Type: Float64, Optional: true}
	OptionalBooleanSchema = &Schema{Type: Boolean, Optional: true}
	OptionalStringSchema  = &Schema{Type: String, Optional: true}
	OptionalBytesSchema   = &Schema{Type: Bytes, Optional: true}
)

// SchemaAndValue pairs a value with its schema; Schema is nil for schemaless data.
type SchemaAndValue struct {
	Schema *Schema
	Value  any
}
