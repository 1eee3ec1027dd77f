package format

import (
	"fmt"
	"slices"

	"github.com/connect-standalone/connect-standalone/config"
)

// The format.class values of Confluent's HDFS and S3 sinks.
const (
	HDFSAvro    = "io.confluent.connect.hdfs.avro.AvroFormat"
	HDFSParquet = "io.confluent.connect.hdfs.parquet.ParquetFormat"
	HDFSJSON    = "io.confluent.connect.hdfs.json.JsonFormat"
	HDFSString  = "io.confluent.connect.hdfs.string.StringFormat"
	S3Avro      = "io.confluent.connect.s3.format.avro.AvroFormat"
	S3JSON      = "io.confluent.connect.s3.format.json.JsonFormat"
	S3Parquet   = "io.confluent.connect.s3.format.parquet.ParquetFormat"
	S3ByteArray = "io.confluent.connect.s3.format.bytearray.ByteArrayFormat"
)

// groupFormat is the docs group of the format keys.
const groupFormat = "Format"

// Connector config keys of the formats, spelled as Confluent's.
const (
	KeyAvroCodec          = "avro.codec"
	KeyParquetCodec       = "parquet.codec"
	KeyJSONDecimalFormat  = "json.decimal.format"
	KeyByteArrayExtension = "format.bytearray.extension"
	KeyByteArraySeparator = "format.bytearray.separator"
)

// Plugin is one format class: the keys it reads from the connector config
// and its constructor. A connector merges Def into its own and passes the
// parsed values to New.
type Plugin struct {
	Class string
	Def   *config.Def
	New   func(config.Values) (Format, error)
}

var avroDef = &config.Def{Keys: []config.Key{{
	Name: KeyAvroCodec, Type: config.String, Default: "null",
	Validate:   config.OneOf("null", "deflate", "snappy", "zstandard"),
	Importance: config.Low, Group: groupFormat,
	Doc: "The compression codec of Avro file blocks: null (none), deflate, snappy or zstandard. Confluent's bzip2 and xz are not supported.",
}}}

var s3ParquetDef = &config.Def{Keys: []config.Key{{
	Name: KeyParquetCodec, Type: config.String, Default: "snappy",
	Validate:   config.OneOf("none", "snappy", "gzip", "zstd", "lz4", "brotli"),
	Importance: config.Low, Group: groupFormat,
	Doc: "The compression codec of Parquet files: none, snappy, gzip, zstd, lz4 or brotli. The file extension names it (.snappy.parquet).",
}}}

var s3JSONDef = &config.Def{Keys: []config.Key{{
	Name: KeyJSONDecimalFormat, Type: config.String, Default: "BASE64",
	Validate:   config.OneOf("BASE64", "NUMERIC"),
	Importance: config.Low, Group: groupFormat,
	Doc: "How Decimal values are written in JSON files: BASE64 as a base64 string of the unscaled value's bytes, NUMERIC as a number.",
}}}

var byteArrayDef = &config.Def{Keys: []config.Key{
	{
		Name: KeyByteArrayExtension, Type: config.String, Default: ".bin",
		Importance: config.Low, Group: groupFormat,
		Doc: "The file extension of ByteArrayFormat files.",
	},
	{
		Name: KeyByteArraySeparator, Type: config.String, Default: lineSeparator,
		Importance: config.Low, Group: groupFormat,
		Doc: "The bytes written after every record by ByteArrayFormat, as UTF-8. Defaults to the line separator and may contain Java escape sequences such as \\n. A record that contains the separator looks like several records in the file.",
	},
}}

// Plugins returns the formats, one per class name. The HDFS formats other
// than Avro read no keys.
func Plugins() []Plugin {
	return []Plugin{
		{Class: HDFSAvro, Def: avroDef, New: newAvro},
		{Class: S3Avro, Def: avroDef, New: newAvro},
		{Class: HDFSParquet, Def: &config.Def{}, New: func(config.Values) (Format, error) {
			// The HDFS sink always writes snappy Parquet.
			return Parquet{Codec: "snappy"}, nil
		}},
		{Class: S3Parquet, Def: s3ParquetDef, New: func(v config.Values) (Format, error) {
			return Parquet{Codec: v.String(KeyParquetCodec), CodecInExtension: true}, nil
		}},
		{Class: HDFSJSON, Def: &config.Def{}, New: func(config.Values) (Format, error) {
			return NewJSON("")
		}},
		{Class: S3JSON, Def: s3JSONDef, New: func(v config.Values) (Format, error) {
			return NewJSON(v.String(KeyJSONDecimalFormat))
		}},
		{Class: HDFSString, Def: &config.Def{}, New: func(config.Values) (Format, error) {
			return String{}, nil
		}},
		{Class: S3ByteArray, Def: byteArrayDef, New: newByteArray},
	}
}

// Lookup returns the format of a format.class value.
func Lookup(class string) (Plugin, bool) {
	ps := Plugins()
	i := slices.IndexFunc(ps, func(p Plugin) bool { return p.Class == class })
	if i < 0 {
		return Plugin{}, false
	}
	return ps[i], true
}

func newAvro(v config.Values) (Format, error) {
	return Avro{Codec: v.String(KeyAvroCodec)}, nil
}

func newByteArray(v config.Values) (Format, error) {
	sep, err := unescapeJava(v.String(KeyByteArraySeparator))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", KeyByteArraySeparator, err)
	}
	return ByteArray{Ext: v.String(KeyByteArrayExtension), Separator: []byte(sep)}, nil
}
