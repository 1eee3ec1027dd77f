// Package partition decides where a storage sink (S3, HDFS) writes each
// record: the encoded partition path of Confluent's partitioners
// (io.confluent.connect.storage.partitioner.*), the names of committed
// files, and the directory layout of committed, temporary and
// write-ahead-log files.
//
// Partitioners are immutable once built and safe for concurrent use.
// Nothing here blocks or does I/O.
package partition

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Partitioner maps a record to its encoded partition, the path below
// <topics.dir>/<topic>/ of the directory its file goes to, such as
// "partition=3" or "year=2024/month=05/day=17". Implementations are pure
// and safe for concurrent use.
type Partitioner interface {
	Partition(r connectors.SinkRecord) (string, error)
}

// ErrPartition is wrapped by the errors Partition returns for a record it
// cannot place, as Confluent's PartitionException and DataException: the
// record is bad, not the sink.
var ErrPartition = errors.New("cannot partition record")

// Class names, as Confluent's storage-common spells them. The HDFS sink's
// own package (io.confluent.connect.hdfs.partitioner) and the simple names
// are accepted as well.
const (
	DefaultClass   = "io.confluent.connect.storage.partitioner.DefaultPartitioner"
	FieldClass     = "io.confluent.connect.storage.partitioner.FieldPartitioner"
	TimeBasedClass = "io.confluent.connect.storage.partitioner.TimeBasedPartitioner"
	DailyClass     = "io.confluent.connect.storage.partitioner.DailyPartitioner"
	HourlyClass    = "io.confluent.connect.storage.partitioner.HourlyPartitioner"
)

const (
	storagePackage = "io.confluent.connect.storage.partitioner."
	hdfsPackage    = "io.confluent.connect.hdfs.partitioner."
)

// kind is a partitioner class without its package.
func kind(class string) (string, bool) {
	name := class
	if rest, ok := strings.CutPrefix(class, storagePackage); ok {
		name = rest
	} else if rest, ok := strings.CutPrefix(class, hdfsPackage); ok {
		name = rest
	}
	switch name {
	case "DefaultPartitioner", "FieldPartitioner", "TimeBasedPartitioner", "DailyPartitioner", "HourlyPartitioner":
		return name, true
	}
	return "", false
}

// New builds the partitioner that v's partitioner.class names, from values
// parsed with Def (or a Def merged with it). now is the clock of the
// Wallclock timestamp extractor; nil means time.Now.
func New(v config.Values, now func() time.Time) (Partitioner, error) {
	class := v.String(KeyPartitionerClass)
	k, ok := kind(class)
	if !ok {
		return nil, fmt.Errorf("%s: unknown partitioner %q", KeyPartitionerClass, class)
	}
	delim := v.String(KeyDirectoryDelim)
	switch k {
	case "DefaultPartitioner":
		return Default{}, nil
	case "FieldPartitioner":
		return NewField(v.List(KeyPartitionFieldName), delim)
	}
	tc := TimeConfig{
		PathFormat:     v.String(KeyPathFormat),
		DurationMs:     v.Long(KeyPartitionDurationMs),
		Locale:         v.String(KeyLocale),
		Timezone:       v.String(KeyTimezone),
		Extractor:      v.String(KeyTimestampExtractor),
		TimestampField: v.String(KeyTimestampField),
		Delim:          delim,
		Now:            now,
	}
	switch k {
	case "DailyPartitioner":
		tc.PathFormat, tc.DurationMs = DailyPathFormat(delim), dayMs
	case "HourlyPartitioner":
		tc.PathFormat, tc.DurationMs = HourlyPathFormat(delim), hourMs
	}
	return NewTimeBased(tc)
}

// Default keeps Kafka's partitioning: "partition=<kafka partition>".
type Default struct{}

// Partition returns "partition=<r.Partition>".
func (Default) Partition(r connectors.SinkRecord) (string, error) {
	return "partition=" + strconv.FormatInt(int64(r.Partition), 10), nil
}

// Field partitions by the values of fields of the record value:
// "<name>=<value>" per field, joined by the directory delimiter.
type Field struct {
	names []string
	delim string
}

// NewField returns a Field partitioner over names, dotted paths into
// nested structs or maps. delim joins the parts; "" means "/".
func NewField(names []string, delim string) (*Field, error) {
	if err := checkFieldNames(names); err != nil {
		return nil, fmt.Errorf("%s: %w", KeyPartitionFieldName, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: partition field name cannot be null or empty when using FieldPartitioner", KeyPartitionFieldName)
	}
	if delim == "" {
		delim = "/"
	}
	return &Field{names: append([]string(nil), names...), delim: delim}, nil
}

// checkFieldNames applies Confluent's PartitionFieldNameValidator.
func checkFieldNames(names []string) error {
	for _, n := range names {
		if strings.TrimSpace(n) == "" {
			return fmt.Errorf("field name %q cannot be null or empty", n)
		}
		for seg := range strings.SplitSeq(n, ".") {
			if strings.TrimSpace(seg) == "" {
				return fmt.Errorf("field name %q cannot contain an empty or whitespace-only path segment", n)
			}
		}
	}
	return nil
}

// Partition encodes the fields of r's value, a Struct or, for schemaless
// data, a map. A null value at the end of a path encodes as
// "<name>=null", as in Confluent; a field missing from the schema or map, a
// null struct on the way, or a value that is not an integer, string or
// boolean is an error wrapping ErrPartition.
func (p *Field) Partition(r connectors.SinkRecord) (string, error) {
	var b strings.Builder
	for i, name := range p.names {
		if i > 0 {
			b.WriteString(p.delim)
		}
		v, err := lookupPath(r.Value.Value, name)
		if err != nil {
			return "", recordError(r, err)
		}
		s, err := encodeFieldValue(v)
		if err != nil {
			return "", recordError(r, fmt.Errorf("partition field %q: %w", name, err))
		}
		// A delimiter inside a value would add directory levels, letting a
		// record choose a path outside its topic's directory.
		if strings.Contains(s, p.delim) || strings.Contains(s, "/") || strings.ContainsRune(s, 0) {
			return "", recordError(r, fmt.Errorf("partition field %q: value %q contains a path delimiter or NUL", name, s))
		}
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(s)
	}
	return b.String(), nil
}

// recordError names the record, so a bad record can be found in Kafka.
func recordError(r connectors.SinkRecord, err error) error {
	return fmt.Errorf("%w: topic %s partition %d offset %d: %w", ErrPartition, r.Topic, r.Partition, r.Offset, err)
}

// encodeFieldValue prints the types Confluent's FieldPartitioner accepts:
// integers, strings and booleans.
func encodeFieldValue(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "null", nil
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int8:
		return strconv.FormatInt(int64(x), 10), nil
	case int16:
		return strconv.FormatInt(int64(x), 10), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case int:
		return strconv.FormatInt(int64(x), 10), nil
	}
	return "", fmt.Errorf("type %T is not supported as a partition key (only integers, strings and booleans)", v)
}

// lookupPath follows a dotted path through structs and maps, as
// Confluent's DataUtils.getNestedField and getNestedFieldValue. With a
// Struct every segment must be a field of the schema; a nil leaf is
// returned as nil.
func lookupPath(root any, path string) (any, error) {
	cur := root
	segs := strings.Split(path, ".")
	for i, seg := range segs {
		if cur == nil {
			if i == 0 {
				return nil, errors.New("record value is null")
			}
			return nil, fmt.Errorf("field %q: %q is null", path, strings.Join(segs[:i], "."))
		}
		switch x := cur.(type) {
		case *connectors.StructValue:
			s := x.Schema()
			if s == nil || s.Type != connectors.Struct || !hasField(s, seg) {
				return nil, fmt.Errorf("field %q is not present in the schema", path)
			}
			v, err := x.Get(seg)
			if err != nil {
				return nil, fmt.Errorf("field %q: %w", path, err)
			}
			cur = v
		case map[string]any:
			v, ok := x[seg]
			if !ok {
				return nil, fmt.Errorf("field %q is not present in the value", path)
			}
			cur = v
		case map[any]any:
			v, ok := x[seg]
			if !ok {
				return nil, fmt.Errorf("field %q is not present in the value", path)
			}
			cur = v
		default:
			if i == 0 {
				return nil, fmt.Errorf("record value is %T, not a struct or map", cur)
			}
			return nil, fmt.Errorf("field %q: %q is %T, not a struct or map", path, strings.Join(segs[:i], "."), cur)
		}
	}
	return cur, nil
}

func hasField(s *connectors.Schema, name string) bool {
	for _, f := range s.Fields {
		if f.Name == name {
			return true
		}
	}
	return false
}
