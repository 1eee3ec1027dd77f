package converters

// converterDoc is the reference text of one converter class, shared by
// its converter and header converter plugins.
type converterDoc struct {
	doc, example string
}

const fence = "```"

// converterDocs holds the Doc and Example of every built-in converter
// class. examples_test.go runs each example, so the bytes shown are the
// bytes written.
var converterDocs = map[string]converterDoc{
	ClassStringConverter: {
		doc: `Writes a key, value or header as text: a string as it is, any other value in Java's ` + "`toString`" + ` form (` + "`42`, `true`" + `), encoded in ` + "`converter.encoding`" + ` (UTF-8 unless set). Bytes are read back as an optional STRING, so the original type is lost. A null value is written as null (no bytes).`,
		example: fence + `properties
value.converter=org.apache.kafka.connect.storage.StringConverter
` + fence + `

| Connect value | bytes (UTF-8) |
|---|---|
| STRING ` + "`héllo`" + ` | ` + "`68 c3 a9 6c 6c 6f`" + ` |
| INT32 ` + "`42`" + ` | ` + "`34 32`" + ` |
| BOOLEAN ` + "`true`" + ` | ` + "`74 72 75 65`" + ` |
| null | null |

Reading ` + "`34 32`" + ` back gives the STRING ` + "`42`" + `.`,
	},
	ClassByteArrayConverter: {
		doc: `Passes bytes through unchanged: the value must be BYTES (or a schemaless byte array) and is written as it is; bytes are read back as an optional BYTES value. Use it when the connector already holds the serialized form. Any other value fails with a DataException.`,
		example: fence + `properties
value.converter=org.apache.kafka.connect.converters.ByteArrayConverter
` + fence + `

| Connect value | bytes |
|---|---|
| BYTES ` + "`01 02 ff`" + ` | ` + "`01 02 ff`" + ` |
| null | null |

A STRING value fails with ` + "`Invalid schema type for ByteArrayConverter: STRING`" + `.`,
	},
	ClassJsonConverter: {
		doc: `Writes values as UTF-8 JSON. With ` + "`schemas.enable=true`" + ` (the default) each message is an envelope ` + "`{\"schema\":...,\"payload\":...}`" + ` carrying the Connect schema, so the reader gets the same types back. With ` + "`false`" + ` only the payload is written, and it is read back without a schema: whole numbers as int64 values, other numbers as float64, arrays as lists and objects as maps. ` + "`decimal.format`" + ` writes Decimals as base64 (` + "`BASE64`" + `, the default) or as JSON numbers (` + "`NUMERIC`" + `). A null value without a schema is written as null (no bytes).`,
		example: fence + `properties
value.converter=org.apache.kafka.connect.json.JsonConverter
value.converter.schemas.enable=true
` + fence + `

| Connect value | bytes (UTF-8) |
|---|---|
| INT32 ` + "`42`" + ` | ` + "`{\"schema\":{\"type\":\"int32\",\"optional\":false},\"payload\":42}`" + ` |
| STRUCT ` + "`{id=1, name=null}`" + ` with fields ` + "`id`" + ` INT64 and ` + "`name`" + ` optional STRING | ` + "`{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"int64\",\"optional\":false,\"field\":\"id\"},{\"type\":\"string\",\"optional\":true,\"field\":\"name\"}],\"optional\":false},\"payload\":{\"id\":1,\"name\":null}}`" + ` |
| null | null |

With ` + "`value.converter.schemas.enable=false`" + ` the same values are written as ` + "`42`" + ` and ` + "`{\"id\":1,\"name\":null}`" + `.`,
	},
	ClassSimpleHeaderConverter: {
		doc: `The default ` + "`header.converter`" + `. Writes each header value as UTF-8 text: strings as they are, numbers and booleans in Java's form, lists and maps in Connect's ` + "`[...]`" + ` and ` + "`{...}`" + ` syntax. Text is read back with the type it looks like, by the rules of Kafka's ` + "`Values.parseString`" + `: the smallest integer type that holds a number, BOOLEAN for ` + "`true`" + ` and ` + "`false`" + `, STRING for anything else.`,
		example: fence + `properties
header.converter=org.apache.kafka.connect.storage.SimpleHeaderConverter
` + fence + `

| header value | bytes (UTF-8) |
|---|---|
| STRING ` + "`eu`" + ` | ` + "`eu`" + ` |
| INT32 ` + "`1000`" + ` | ` + "`1000`" + ` |
| BOOLEAN ` + "`true`" + ` | ` + "`true`" + ` |
| ARRAY of INT32 ` + "`[1, 2]`" + ` | ` + "`[1,2]`" + ` |
| null | null |

| bytes (UTF-8) | header value read |
|---|---|
| ` + "`1000`" + ` | INT16 ` + "`1000`" + ` |
| ` + "`true`" + ` | BOOLEAN ` + "`true`" + ` |
| ` + "`eu`" + ` | STRING ` + "`eu`" + ` |`,
	},
	ClassShortConverter: numberDoc("INT16", "2", "ShortSerializer", "value", "ShortConverter",
		"| INT16 `-2` | `ff fe` |"),
	ClassIntegerConverter: numberDoc("INT32", "4", "IntegerSerializer", "key", "IntegerConverter",
		"| INT32 `42` | `00 00 00 2a` |"),
	ClassLongConverter: numberDoc("INT64", "8", "LongSerializer", "key", "LongConverter",
		"| INT64 `1700000000000` | `00 00 01 8b cf e5 68 00` |"),
	ClassFloatConverter: numberDoc("FLOAT32", "4", "FloatSerializer", "value", "FloatConverter",
		"| FLOAT32 `1.5` | `3f c0 00 00` |"),
	ClassDoubleConverter: numberDoc("FLOAT64", "8", "DoubleSerializer", "value", "DoubleConverter",
		"| FLOAT64 `-0.1` | `bf b9 99 99 99 99 99 9a` |"),
	ClassBooleanConverter: {
		doc: `Writes a BOOLEAN as one byte, ` + "`01`" + ` for true and ` + "`00`" + ` for false, as Kafka's BooleanSerializer; reads one byte back as an optional BOOLEAN. Any other byte or length fails, as does a value of another type. Null is written as null (no bytes).`,
		example: fence + `properties
value.converter=org.apache.kafka.connect.converters.BooleanConverter
` + fence + `

| Connect value | bytes |
|---|---|
| BOOLEAN ` + "`true`" + ` | ` + "`01`" + ` |
| BOOLEAN ` + "`false`" + ` | ` + "`00`" + ` |
| null | null |`,
	},
}

// numberDoc writes the doc of a number converter: its type, width and
// Kafka serializer, and an example configured for role with one row.
func numberDoc(typ, width, serializer, role, class, row string) converterDoc {
	return converterDoc{
		doc: `Writes a ` + typ + ` as ` + width + ` bytes, big-endian (two's complement for integers, IEEE 754 for floating point), as Kafka's ` + serializer + `; reads ` + width + ` bytes back as an optional ` + typ + `. Any other length fails, as does a value of another type. Null is written as null (no bytes). Also usable as a header converter.`,
		example: fence + `properties
` + role + `.converter=org.apache.kafka.connect.converters.` + class + `
` + fence + `

| Connect value | bytes |
|---|---|
` + row + `
| null | null |`,
	}
}
