package transforms

import (
	"math"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/transforms/datefmt"
)

// TimestampConverter's keys.
const (
	KeyTimestampField  = "field"
	KeyTargetType      = "target.type"
	KeyTimestampFormat = "format"
	KeyUnixPrecision   = "unix.precision"
)

const tsPurpose = "converting timestamp formats"

// The timestamp representations, as target.type names them.
const (
	tsString    = "string"
	tsUnix      = "unix"
	tsDate      = "Date"
	tsTime      = "Time"
	tsTimestamp = "Timestamp"
)

func timestampConverterDef() *config.Def {
	return &config.Def{Keys: []config.Key{
		{Name: KeyTimestampField, Type: config.String, Default: "", Importance: config.High,
			Doc: "The field holding the timestamp; empty when the whole key or value is the timestamp."},
		{Name: KeyTargetType, Type: config.String, Required: true, Importance: config.High,
			Validate: config.In(tsString, tsUnix, tsDate, tsTime, tsTimestamp),
			Doc:      "What to turn the timestamp into: string, unix (a number since the epoch), Date, Time or Timestamp."},
		{Name: KeyTimestampFormat, Type: config.String, Default: "", Importance: config.Medium,
			Doc: "A java.text.SimpleDateFormat pattern, applied in UTC: how to write the timestamp when target.type " +
				"is string, and how to read timestamps that arrive as strings."},
		{Name: KeyUnixPrecision, Type: config.String, Default: "milliseconds", Importance: config.Low,
			Validate: config.In("nanoseconds", "microseconds", "milliseconds", "seconds"),
			Doc: "The unit of unix timestamps, read and written: seconds, milliseconds, microseconds or nanoseconds. " +
				"Conversions go through milliseconds, so finer digits are lost."},
		replaceNullWithDefaultKey(),
	}}
}

type timestampConverter struct {
	p           part
	field       string
	target      string
	format      *datefmt.Format // nil when no format is set
	precision   string
	replaceNull bool
	cache       schemaCache
}

func newTimestampConverter(p part, cfg config.Values) (connectors.Transform, error) {
	t := &timestampConverter{
		p:           p,
		field:       cfg.String(KeyTimestampField),
		target:      cfg.String(KeyTargetType),
		precision:   cfg.String(KeyUnixPrecision),
		replaceNull: cfg.Bool(KeyReplaceNullWithDefault),
	}
	pattern := cfg.String(KeyTimestampFormat)
	blank := javaTrimSpace(pattern) == ""
	if t.target == tsString && blank {
		return nil, configErrorf(KeyTimestampFormat, "TimestampConverter requires format option to be specified when using string timestamps")
	}
	if !blank {
		f, err := datefmt.Compile(pattern)
		if err != nil {
			return nil, configErrorf(KeyTimestampFormat, "TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: %s", pattern)
		}
		t.format = f
	}
	return t, nil
}

func (t *timestampConverter) Apply(r connectors.Record) (connectors.Record, bool, error) {
	sv := t.p.get(r)
	var out connectors.SchemaAndValue
	var err error
	if sv.Schema == nil {
		out.Value, err = t.schemaless(sv.Value)
	} else {
		out, err = t.withSchema(sv)
	}
	if err != nil {
		return r, false, err
	}
	return t.p.set(r, out), true, nil
}

func (t *timestampConverter) schemaless(v any) (any, error) {
	if v == nil || t.field == "" {
		return t.convert(v, "")
	}
	m, err := requireMap(v, tsPurpose)
	if err != nil {
		return nil, err
	}
	out := copyMap(m, 1)
	// As in Kafka, a missing field is added as null.
	if out[t.field], err = t.convert(m[t.field], ""); err != nil {
		return nil, err
	}
	return out, nil
}

func (t *timestampConverter) withSchema(sv connectors.SchemaAndValue) (connectors.SchemaAndValue, error) {
	if t.field == "" {
		from, err := typeFromSchema(sv.Schema)
		if err != nil {
			return sv, err
		}
		v, err := t.convert(sv.Value, from)
		return connectors.SchemaAndValue{Schema: targetSchema(t.target, sv.Schema.Optional), Value: v}, err
	}
	var s *connectors.StructValue
	if sv.Value != nil {
		var err error
		if s, err = requireStruct(sv.Value, tsPurpose); err != nil {
			return sv, err
		}
	}
	schema, err := t.cache.getOrBuild(sv.Schema, t.buildSchema)
	if err != nil {
		return sv, err
	}
	if s == nil {
		return connectors.SchemaAndValue{Schema: schema}, nil
	}
	out, err := t.convertStruct(s, schema)
	return connectors.SchemaAndValue{Schema: schema, Value: out}, err
}

func (t *timestampConverter) buildSchema(in *connectors.Schema) (*connectors.Schema, error) {
	if in.Type != connectors.Struct {
		return nil, connectors.DataErrorf("Cannot list fields on non-struct type")
	}
	out := structBasics(in)
	for i, f := range in.Fields {
		fs := f.Schema
		if f.Name == t.field {
			fs = targetSchema(t.target, f.Schema.Optional)
		}
		out.Fields = append(out.Fields, connectors.Field{Name: f.Name, Index: i, Schema: fs})
	}
	out.Optional = in.Optional
	if d, ok := in.Default.(*connectors.StructValue); ok && d != nil {
		// The default is converted against the schema as it stands
		// without a default, which keeps the schema from holding itself.
		noDefault := *out
		def, err := t.convertStruct(d, &noDefault)
		if err != nil {
			return nil, err
		}
		out.Default = def
	}
	return out, nil
}

func (t *timestampConverter) convertStruct(s *connectors.StructValue, schema *connectors.Schema) (*connectors.StructValue, error) {
	out := connectors.NewStruct(schema)
	for _, f := range s.Schema().Fields {
		v, err := fieldValue(s, f.Name, t.replaceNull)
		if err != nil {
			return nil, err
		}
		if f.Name == t.field {
			from, err := typeFromSchema(f.Schema)
			if err != nil {
				return nil, err
			}
			if v, err = t.convert(v, from); err != nil {
				return nil, err
			}
		}
		if err := out.Put(f.Name, v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// targetSchema is the schema of a converted timestamp.
func targetSchema(target string, optional bool) *connectors.Schema {
	switch target {
	case tsString:
		if optional {
			return connectors.OptionalStringSchema
		}
		return connectors.StringSchema
	case tsUnix:
		if optional {
			return connectors.OptionalInt64Schema
		}
		return connectors.Int64Schema
	case tsDate:
		return connectors.DateSchema(optional)
	case tsTime:
		return connectors.TimeSchema(optional)
	}
	return connectors.TimestampSchema(optional)
}

// typeFromSchema is the representation a schema implies.
func typeFromSchema(s *connectors.Schema) (string, error) {
	switch {
	case s.Name == connectors.TimestampName:
		return tsTimestamp, nil
	case s.Name == connectors.DateName:
		return tsDate, nil
	case s.Name == connectors.TimeName:
		return tsTime, nil
	case s.Type == connectors.String:
		return tsString, nil
	case s.Type == connectors.Int64:
		return tsUnix, nil
	}
	return "", connectors.DataErrorf("Schema %s does not correspond to a known timestamp type format", schemaString(s))
}

// schemaString is ConnectSchema.toString.
func schemaString(s *connectors.Schema) string {
	if s.Name != "" {
		return "Schema{" + s.Name + ":" + s.Type.EnumName() + "}"
	}
	return "Schema{" + s.Type.EnumName() + "}"
}

// inferType is the representation of a schemaless value.
func inferType(v any) (string, error) {
	switch v.(type) {
	case time.Time:
		return tsTimestamp, nil
	case int64:
		return tsUnix, nil
	case string:
		return tsString, nil
	}
	return "", connectors.DataErrorf("TimestampConverter does not support class %s objects as timestamps", connectors.JavaClassName(v))
}

// convert turns v from representation from ("" to infer it) into the
// target representation, through milliseconds since the epoch.
func (t *timestampConverter) convert(v any, from string) (any, error) {
	if v == nil {
		return nil, nil
	}
	if from == "" {
		var err error
		if from, err = inferType(v); err != nil {
			return nil, err
		}
	}
	ms, err := t.toMillis(v, from)
	if err != nil {
		return nil, err
	}
	return t.fromMillis(ms), nil
}

const msPerDay = 24 * 60 * 60 * 1000

// toMillis reads a timestamp held in representation from, as Kafka's
// TimestampTranslator.toRaw does.
func (t *timestampConverter) toMillis(v any, from string) (int64, error) {
	switch from {
	case tsString:
		s, ok := v.(string)
		if !ok {
			return 0, connectors.DataErrorf("Expected string timestamp to be a String, but found class %s", connectors.JavaClassName(v))
		}
		if t.format == nil {
			// Kafka fails here with a NullPointerException.
			return 0, connectors.DataErrorf("Could not parse timestamp: value (%s): no format is configured", s)
		}
		parsed, err := t.format.Parse(s)
		if err != nil {
			return 0, connectors.DataErrorf("Could not parse timestamp: value (%s) does not match pattern (%s)", s, t.format.Pattern())
		}
		return parsed.UnixMilli(), nil
	case tsUnix:
		n, ok := v.(int64)
		if !ok {
			return 0, connectors.DataErrorf("Expected Unix timestamp to be a Long, but found class %s", connectors.JavaClassName(v))
		}
		switch t.precision {
		case "seconds":
			return scaleSaturated(n, 1000), nil
		case "microseconds":
			return n / 1000, nil
		case "nanoseconds":
			return n / 1_000_000, nil
		}
		return n, nil
	}
	d, ok := v.(time.Time)
	if !ok {
		return 0, connectors.DataErrorf("Expected %s to be a java.util.Date, but found class %s", from, connectors.JavaClassName(v))
	}
	return d.UnixMilli(), nil
}

// fromMillis writes a timestamp in the target representation, as
// TimestampTranslator.toType does.
func (t *timestampConverter) fromMillis(ms int64) any {
	switch t.target {
	case tsString:
		return t.format.Format(time.UnixMilli(ms))
	case tsUnix:
		switch t.precision {
		case "seconds":
			return ms / 1000
		case "microseconds":
			return scaleSaturated(ms, 1000)
		case "nanoseconds":
			return scaleSaturated(ms, 1_000_000)
		}
		return ms
	case tsDate:
		return time.UnixMilli(ms - floorModInt64(ms, msPerDay)).UTC()
	case tsTime:
		return time.UnixMilli(floorModInt64(ms, msPerDay)).UTC()
	}
	return time.UnixMilli(ms).UTC()
}

// scaleSaturated is n*factor clamped to the long range, as TimeUnit's
// conversions to finer units are.
func scaleSaturated(n, factor int64) int64 {
	switch {
	case n > math.MaxInt64/factor:
		return math.MaxInt64
	case n < math.MinInt64/factor:
		return math.MinInt64
	}
	return n * factor
}

func floorModInt64(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

func timestampConverterPlugins() []connectors.Plugin {
	return keyValuePlugins("TimestampConverter", timestampConverterDoc, timestampConverterExample, timestampConverterDef(), newTimestampConverter)
}

const timestampConverterDoc = "Converts a timestamp between representations: a string in a " +
	"java.text.SimpleDateFormat pattern, a Unix number (milliseconds by default), and Connect's Date, Time " +
	"and Timestamp types. It converts one field of a Map or Struct, or the whole key or value. The input's " +
	"representation comes from its schema, or, without one, from the value: a date is a Timestamp, a 64-bit " +
	"integer a Unix time, a string is parsed with `format`. Date keeps the day (UTC midnight), Time the time " +
	"of day (on 1970-01-01). Patterns are applied in UTC. A null passes as null."

const timestampConverterExample = "```properties\n" +
	"transforms=ts\n" +
	"transforms.ts.type=org.apache.kafka.connect.transforms.TimestampConverter$Value\n" +
	"transforms.ts.field=created\n" +
	"transforms.ts.target.type=string\n" +
	"transforms.ts.format=yyyy-MM-dd'T'HH:mm:ss.SSSXXX\n" +
	"```\n\n" +
	"Schemaless value before: `{\"id\":7,\"created\":1483425001864}`\n\n" +
	"After: `{\"id\":7,\"created\":\"2017-01-03T06:30:01.864Z\"}`\n"
