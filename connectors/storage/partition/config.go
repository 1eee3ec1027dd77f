package partition

import (
	"fmt"
	"math"

	"github.com/connect-standalone/connect-standalone/config"
)

// The keys of Def, spelled as Confluent's storage-common and HDFS sink.
const (
	KeyPartitionerClass    = "partitioner.class"
	KeyPartitionFieldName  = "partition.field.name"
	KeyPartitionDurationMs = "partition.duration.ms"
	KeyPathFormat          = "path.format"
	KeyLocale              = "locale"
	KeyTimezone            = "timezone"
	KeyTimestampExtractor  = "timestamp.extractor"
	KeyTimestampField      = "timestamp.field"
	KeyDirectoryDelim      = "directory.delim"
	KeyZeroPadWidth        = "filename.offset.zero.pad.width"
	KeyTopicsDir           = "topics.dir"
	KeyLogsDir             = "logs.dir"
)

const group = "Partitioner"

// Def declares the partitioner, file-naming and layout keys with
// Confluent's defaults, for the storage sinks to merge into theirs.
var Def = &config.Def{Keys: []config.Key{
	{
		Name: KeyPartitionerClass, Type: config.Class, Default: DefaultClass,
		Validate: config.Described("one of Default, Field, TimeBased, Daily, HourlyPartitioner in io.confluent.connect.storage.partitioner or io.confluent.connect.hdfs.partitioner",
			func(v any) error {
				if s, ok := v.(string); ok {
					if _, known := kind(s); !known {
						return fmt.Errorf("unknown partitioner %q", s)
					}
				}
				return nil
			}),
		Importance: config.High, Group: group,
		Doc: "The partitioner to use when writing data to the store. DefaultPartitioner preserves the Kafka partitions; FieldPartitioner partitions the data to different directories according to the value of the fields named in partition.field.name; TimeBasedPartitioner partitions data by time (see path.format and timestamp.extractor); DailyPartitioner and HourlyPartitioner are TimeBasedPartitioner with a fixed path.format and partition.duration.ms.",
	},
	{
		Name: KeyPartitionFieldName, Type: config.List, Default: []string{},
		Validate: config.Described("field names with non-empty dot-separated segments", func(v any) error {
			if l, ok := v.([]string); ok {
				return checkFieldNames(l)
			}
			return nil
		}),
		Importance: config.Medium, Group: group,
		Doc: "The names of the partitioning fields when FieldPartitioner is used, each a dotted path into nested structs. Each record goes to <field>=<value>/... for the fields' values, which must be integers, strings or booleans.",
	},
	{
		Name: KeyPartitionDurationMs, Type: config.Long, Default: int64(-1),
		Importance: config.Medium, Group: group,
		Doc: "The duration of a partition in milliseconds used by TimeBasedPartitioner. The default value -1 means that TimeBasedPartitioner is not used.",
	},
	{
		Name: KeyPathFormat, Type: config.String, Default: "",
		Importance: config.Medium, Group: group,
		Doc: "The format of the data directories when partitioning with TimeBasedPartitioner: a Joda-Time pattern that turns the start of the partition's period into directory names. For example, 'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH gives directories such as year=2015/month=12/day=07/hour=15.",
	},
	{
		Name: KeyLocale, Type: config.String, Default: "",
		Importance: config.Medium, Group: group,
		Doc: "The locale to use when partitioning with TimeBasedPartitioner, for month and weekday names in path.format. As in Confluent's connector the value is taken as a bare language: en, de, fr and es have names; a value with a region (en-US, fr-FR) prints English names, as Java's Locale(String) constructor falls back to the default locale.",
	},
	{
		Name: KeyTimezone, Type: config.String, Default: "",
		Validate: config.Described("a timezone ID or [+-]hh:mm", func(v any) error {
			if s, ok := v.(string); ok && s != "" {
				_, err := LoadTimezone(s)
				return err
			}
			return nil
		}),
		Importance: config.Medium, Group: group,
		Doc: "The timezone to use when partitioning with TimeBasedPartitioner, used to compute and format dates and times. Use IDs in the long format, such as America/Los_Angeles, America/New_York and Europe/Paris, or UTC; or a fixed offset in the form [+-]hh:mm.",
	},
	{
		Name: KeyTimestampExtractor, Type: config.String, Default: "Wallclock",
		Validate: config.In("Wallclock", "Record", "RecordField",
			extractorPackage+"WallclockTimestampExtractor", extractorPackage+"RecordTimestampExtractor", extractorPackage+"RecordFieldTimestampExtractor"),
		Importance: config.Medium, Group: group,
		Doc: "The extractor that gets the timestamp of records when partitioning with TimeBasedPartitioner: Wallclock (the time the record is written), Record (the Kafka record's timestamp) or RecordField (the field named in timestamp.field).",
	},
	{
		Name: KeyTimestampField, Type: config.String, Default: "timestamp",
		Importance: config.Medium, Group: group,
		Doc: "The record field used as timestamp by the RecordField timestamp extractor, a dotted path into nested structs or maps. It may hold epoch milliseconds, a Timestamp, or a string with epoch milliseconds or an ISO-8601 date-time.",
	},
	{
		Name: KeyDirectoryDelim, Type: config.String, Default: "/",
		Validate:   config.NonEmptyString(),
		Importance: config.Medium, Group: group,
		Doc: "The directory delimiter between the levels of an encoded partition.",
	},
	{
		Name: KeyZeroPadWidth, Type: config.Int, Default: int32(DefaultZeroPadWidth),
		Validate:   config.Between(0, math.MaxInt32),
		Importance: config.Low, Group: group,
		Doc: "Width to zero-pad offsets in file names to. Offsets wider than this are not truncated. The default, 10, fits any offset below 10^10 and makes names sort in offset order.",
	},
	{
		Name: KeyTopicsDir, Type: config.String, Default: "topics",
		Importance: config.High, Group: group,
		Doc: "Top level directory to store the data ingested from Kafka. Files of a topic go to <topics.dir>/<topic>/<encoded partition>/, files being written to <topics.dir>/+tmp/.",
	},
	{
		Name: KeyLogsDir, Type: config.String, Default: "logs",
		Importance: config.High, Group: group,
		Doc: "Top level directory to store the write-ahead logs, one per Kafka partition at <logs.dir>/<topic>/<partition>/log.",
	},
}}
