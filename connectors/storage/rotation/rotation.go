// Package rotation decides when a storage sink (HDFS, S3) ends the files of
// a Kafka partition and starts new ones: after flush.size records, when
// rotate.interval.ms of record time or the rotate.schedule.interval.ms
// wall-clock schedule has passed, and when the value schema changes in a
// way schema.compatibility does not absorb. The keys, defaults and rules
// are those of Confluent's storage-common.
package rotation

import (
	"errors"
	"fmt"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/storage/partition"
)

// The keys of Def.
const (
	KeyFlushSize           = "flush.size"
	KeyRotateInterval      = "rotate.interval.ms"
	KeyRotateSchedule      = "rotate.schedule.interval.ms"
	KeySchemaCompatibility = "schema.compatibility"
)

const group = "Rotation"

// Def declares the rotation keys, for the storage sinks to merge into theirs.
var Def = &config.Def{Keys: []config.Key{
	{
		Name: KeyFlushSize, Type: config.Int, Required: true,
		Validate:   config.AtLeast(1),
		Importance: config.High, Group: group,
		Doc: "Number of records written to a file before it is committed. A file is also committed earlier by the rotation intervals and by schema changes.",
	},
	{
		Name: KeyRotateInterval, Type: config.Long, Default: int64(-1),
		Importance: config.High, Group: group,
		Doc: "The time interval in milliseconds after which the files of a Kafka partition are committed, measured in the time of the partitioner's timestamp extractor (the wall clock unless a TimeBasedPartitioner reads record times) from the first record of the files. It is checked when a record arrives and at each offset commit (offset.flush.interval.ms). -1 disables it.",
	},
	{
		Name: KeyRotateSchedule, Type: config.Long, Default: int64(-1),
		Importance: config.Medium, Group: group,
		Doc: "The time interval in milliseconds of a wall-clock schedule, counted from midnight in timezone, at which open files are committed whatever they hold. It needs timezone. Files then depend on when records were written, so a replay may cut them differently: this breaks exactly-once file contents. -1 disables it.",
	},
	{
		Name: KeySchemaCompatibility, Type: config.String, Default: string(None),
		Validate:   config.OneOf(string(None), string(Backward), string(Forward), string(Full)),
		Importance: config.High, Group: group,
		Doc: "How a change of value schema between records is handled. NONE starts a new file on any change. BACKWARD and FULL write records of older schema versions in the newest version seen and start a new file when a newer version arrives; FORWARD writes records of newer versions in the file's version and starts a new file when an older one arrives. All but NONE need versioned schemas.",
	},
}}

// Compatibility is a schema.compatibility value.
type Compatibility string

const (
	None     Compatibility = "NONE"
	Backward Compatibility = "BACKWARD"
	Forward  Compatibility = "FORWARD"
	Full     Compatibility = "FULL"
)

// ErrSchema is wrapped by the errors of ShouldChange and Project for a
// record whose schema the file's cannot take in: schemaless data next to
// schema-based data, a schema without a version, a projection that fails.
var ErrSchema = errors.New("incompatible value schema")

// ShouldChange reports whether a record of value schema s needs a file
// whose schema is not current, as StorageSchemaCompatibility.
// shouldChangeSchema. current nil means schemaless data (or no file yet).
func (c Compatibility) ShouldChange(s, current *connectors.Schema) (bool, error) {
	if s == current {
		return false, nil
	}
	if s == nil || current == nil {
		return false, fmt.Errorf("%w: switch between schema-based and schema-less data is not supported", ErrSchema)
	}
	if c == None {
		return !connectors.SchemaEqual(s, current), nil
	}
	if s.Version == nil || current.Version == nil {
		return false, fmt.Errorf("%w: schema version required for %s compatibility", ErrSchema, c)
	}
	if incompatible(s, current, 0) {
		return true, nil
	}
	if c == Forward {
		return *s.Version < *current.Version, nil
	}
	return *s.Version > *current.Version, nil
}

// Project rewrites r's value in schema current, when ShouldChange said
// the record fits the file.
func (c Compatibility) Project(r connectors.SinkRecord, current *connectors.Schema) (connectors.SinkRecord, error) {
	if c == None || r.Value.Schema == current || connectors.SchemaEqual(r.Value.Schema, current) {
		return r, nil
	}
	v, err := connectors.Project(r.Value.Schema, r.Value.Value, current)
	if err != nil {
		return r, fmt.Errorf("%w: record %s-%d at offset %d: %w", ErrSchema, r.Topic, r.Partition, r.Offset, err)
	}
	r.Value = connectors.SchemaAndValue{Schema: current, Value: v}
	return r, nil
}

// incompatible is storage-common's checkSchemaCompatibility: whether a
// value of schema s cannot be projected to current.
func incompatible(s, current *connectors.Schema, depth int) bool {
	if depth > 64 {
		return true
	}
	switch {
	case s.Type != current.Type && !connectors.Promotable(s.Type, current.Type),
		s.Name != current.Name,
		!paramsCompatible(s, current),
		s.Optional && !current.Optional && current.Default == nil:
		return true
	}
	switch s.Type {
	case connectors.Struct:
		for _, f := range s.Fields {
			cf := fieldNamed(current, f.Name)
			if cf != nil && incompatible(f.Schema, cf.Schema, depth+1) {
				return true
			}
		}
		for _, f := range current.Fields {
			if fieldNamed(s, f.Name) == nil && !f.Schema.Optional && f.Schema.Default == nil {
				return true
			}
		}
	case connectors.Array:
		return incompatible(s.Value, current.Value, depth+1)
	case connectors.Map:
		return incompatible(s.Key, current.Key, depth+1) || incompatible(s.Value, current.Value, depth+1)
	}
	return false
}

// paramsCompatible compares schema parameters, ignoring the "connect.*"
// metadata Avro data carries; an enum's symbols may grow.
func paramsCompatible(s, current *connectors.Schema) bool {
	a, b := filterMetadata(s.Parameters), filterMetadata(current.Parameters)
	if isEnum(s) && isEnum(current) {
		for k, v := range a {
			if cv, ok := b[k]; !ok || cv != v {
				return false
			}
		}
		return true
	}
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if cv, ok := b[k]; !ok || cv != v {
			return false
		}
	}
	return true
}

const enumParam = "io.confluent.connect.avro.Enum"

func isEnum(s *connectors.Schema) bool {
	_, ok := s.Parameters[enumParam]
	return ok
}

func filterMetadata(p map[string]string) map[string]string {
	out := make(map[string]string, len(p))
	for k, v := range p {
		if len(k) >= 8 && k[:8] == "connect." {
			continue
		}
		out[k] = v
	}
	return out
}

func fieldNamed(s *connectors.Schema, name string) *connectors.Field {
	for i := range s.Fields {
		if s.Fields[i].Name == name {
			return &s.Fields[i]
		}
	}
	return nil
}

// Policy is the rotation configuration of a sink.
type Policy struct {
	FlushSize          int
	IntervalMs         int64 // <= 0: off
	ScheduleIntervalMs int64 // <= 0: off
	// Location is the timezone of the schedule's days.
	Location *time.Location
	// Timestamp is the time rotate.interval.ms measures a record by; nil
	// means the wall clock.
	Timestamp func(connectors.SinkRecord) (int64, error)
	Now       func() time.Time
}

// timestamper is the capability of the time-based partitioners whose
// timestamp extractor rotate.interval.ms uses.
type timestamper interface {
	Timestamp(r connectors.SinkRecord) (int64, error)
	Wallclock() bool
}

// NewPolicy reads the keys of Def (and partition.Def's timezone) from v.
// The interval is measured with p's timestamp extractor when p is a
// time-based partitioner that reads records, and by now otherwise.
func NewPolicy(v config.Values, p partition.Partitioner, now func() time.Time) (Policy, error) {
	if now == nil {
		now = time.Now
	}
	pol := Policy{
		FlushSize:          int(v.Int(KeyFlushSize)),
		IntervalMs:         v.Long(KeyRotateInterval),
		ScheduleIntervalMs: v.Long(KeyRotateSchedule),
		Location:           time.UTC,
		Now:                now,
	}
	if pol.ScheduleIntervalMs > 0 {
		tz := v.String(partition.KeyTimezone)
		if tz == "" {
			return Policy{}, fmt.Errorf("%s: timezone cannot be empty when using scheduled file rotation (%s)", partition.KeyTimezone, KeyRotateSchedule)
		}
		loc, err := partition.LoadTimezone(tz)
		if err != nil {
			return Policy{}, fmt.Errorf("%s: %w", partition.KeyTimezone, err)
		}
		pol.Location = loc
	}
	if ts, ok := p.(timestamper); ok && !ts.Wallclock() {
		pol.Timestamp = ts.Timestamp
	}
	return pol, nil
}

// Timer tracks one Kafka partition's files against a Policy.
type Timer struct {
	p             Policy
	last          int64 // time of the first record of the open files
	haveLast      bool
	nextScheduled int64
}

// NewTimer starts the timers as of now.
func (p Policy) NewTimer() *Timer {
	t := &Timer{p: p}
	t.Reset(nil)
	return t
}

func (t *Timer) now() int64 {
	if t.p.Now == nil {
		return time.Now().UnixMilli()
	}
	return t.p.Now().UnixMilli()
}

// Reset restarts the timers after a rotation; r is the record that caused
// it, or nil when none did (a time-based rotation while idle, a start).
func (t *Timer) Reset(r *connectors.SinkRecord) error {
	now := t.now()
	switch {
	case t.p.Timestamp == nil:
		t.last, t.haveLast = now, true
	case r != nil:
		ts, err := t.p.Timestamp(*r)
		if err != nil {
			return err
		}
		t.last, t.haveLast = ts, true
	default:
		t.haveLast = false
	}
	if t.p.ScheduleIntervalMs > 0 {
		t.nextScheduled = nextScheduled(now, t.p.ScheduleIntervalMs, t.p.Location)
	}
	return nil
}

// Due reports whether the open files, holding count records, must be
// committed before r is written; r is nil when no record is waiting.
func (t *Timer) Due(r *connectors.SinkRecord, count int) (bool, error) {
	if count >= t.p.FlushSize {
		return true, nil
	}
	now := t.now()
	if t.p.ScheduleIntervalMs > 0 && count > 0 && now >= t.nextScheduled {
		return true, nil
	}
	if t.p.IntervalMs <= 0 {
		return false, nil
	}
	var current int64
	switch {
	case t.p.Timestamp == nil:
		current = now
	case r != nil:
		ts, err := t.p.Timestamp(*r)
		if err != nil {
			return false, err
		}
		current = ts
		if !t.haveLast {
			t.last, t.haveLast = ts, true
		}
	default:
		return false, nil
	}
	return t.haveLast && current-t.last >= t.p.IntervalMs, nil
}

// nextScheduled is storage-common's getNextTimeAdjustedByDay: the next
// multiple of period after nowMs counted from the start of its day in loc,
// and at the latest the start of the next day.
func nextScheduled(nowMs, period int64, loc *time.Location) int64 {
	t := time.UnixMilli(nowMs).In(loc)
	y, m, d := t.Date()
	start := startOfDay(y, m, d, loc)
	next := startOfDay(y, m, d+1, loc)
	dayMs := next.Sub(start).Milliseconds()
	offset := ((nowMs-start.UnixMilli())/period + 1) * period
	return start.UnixMilli() + min(offset, dayMs)
}

// startOfDay is Joda's withTimeAtStartOfDay: midnight, or the first
// instant of the day when a DST gap skips midnight.
func startOfDay(y int, m time.Month, d int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	if t.Day() != time.Date(y, m, d, 12, 0, 0, 0, loc).Day() {
		// time.Date normalised a skipped midnight backwards into the
		// previous day: the day starts at the end of the gap.
		t = t.Add(time.Hour)
	}
	return t
}
