package partition

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
)

const (
	hourMs = int64(time.Hour / time.Millisecond)
	dayMs  = 24 * hourMs
)

// DailyPathFormat is DailyPartitioner's path.format with delim between
// the levels.
func DailyPathFormat(delim string) string {
	return "'year'=YYYY" + delim + "'month'=MM" + delim + "'day'=dd"
}

// HourlyPathFormat is HourlyPartitioner's path.format with delim between
// the levels.
func HourlyPathFormat(delim string) string {
	return DailyPathFormat(delim) + delim + "'hour'=HH"
}

// TimeConfig configures a TimeBased partitioner; the fields hold the
// values of the keys of the same names.
type TimeConfig struct {
	PathFormat     string // Joda-Time pattern; a trailing Delim is dropped
	DurationMs     int64  // > 0
	Locale         string // required, e.g. "en"
	Timezone       string // required: an IANA ID, "UTC", or a fixed "±hh:mm"
	Extractor      string // Record, RecordField or Wallclock; "" means Wallclock
	TimestampField string // RecordField's dotted path; "" means "timestamp"
	Delim          string // "" means "/"
	Now            func() time.Time
}

// TimeBased partitions by a record's time, floored to the partition
// duration in the configured timezone and printed with path.format.
type TimeBased struct {
	durationMs int64
	format     *jodaFormat
	loc        *time.Location
	extract    func(r connectors.SinkRecord) (int64, error)
	wallclock  bool
}

// NewTimeBased checks c as Confluent's TimeBasedPartitioner.configure
// does and compiles its pattern.
func NewTimeBased(c TimeConfig) (*TimeBased, error) {
	delim := c.Delim
	if delim == "" {
		delim = "/"
	}
	if c.DurationMs <= 0 {
		return nil, fmt.Errorf("%s: partition duration must be positive, got %d", KeyPartitionDurationMs, c.DurationMs)
	}
	pf := c.PathFormat
	if strings.TrimSpace(pf) == "" || pf == delim {
		return nil, fmt.Errorf("%s: path format cannot be empty", KeyPathFormat)
	}
	pf = strings.TrimSuffix(pf, delim)
	if strings.TrimSpace(c.Locale) == "" {
		return nil, fmt.Errorf("%s: locale cannot be empty", KeyLocale)
	}
	if strings.TrimSpace(c.Timezone) == "" {
		return nil, fmt.Errorf("%s: timezone cannot be empty", KeyTimezone)
	}
	loc, err := LoadTimezone(c.Timezone)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", KeyTimezone, err)
	}
	f, err := newJodaFormat(pf, loc, strings.TrimSpace(c.Locale))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", KeyPathFormat, err)
	}
	p := &TimeBased{durationMs: c.DurationMs, format: f, loc: loc}
	switch c.Extractor {
	case "", "Wallclock", extractorPackage + "WallclockTimestampExtractor":
		now := c.Now
		if now == nil {
			now = time.Now
		}
		p.extract = func(connectors.SinkRecord) (int64, error) { return now().UnixMilli(), nil }
		p.wallclock = true
	case "Record", extractorPackage + "RecordTimestampExtractor":
		p.extract = recordTimestamp
	case "RecordField", extractorPackage + "RecordFieldTimestampExtractor":
		field := c.TimestampField
		if field == "" {
			field = "timestamp"
		}
		if err := checkFieldNames([]string{field}); err != nil {
			return nil, fmt.Errorf("%s: %w", KeyTimestampField, err)
		}
		p.extract = func(r connectors.SinkRecord) (int64, error) { return fieldTimestamp(r, field, loc) }
	default:
		return nil, fmt.Errorf("%s: unknown timestamp extractor %q (want Record, RecordField or Wallclock)", KeyTimestampExtractor, c.Extractor)
	}
	return p, nil
}

const extractorPackage = "io.confluent.connect.storage.partitioner.TimeBasedPartitioner$"

// LoadTimezone resolves a timezone setting as Joda-Time's DateTimeZone.forID:
// a region ID, "UTC", or a fixed offset "±hh:mm" (named by itself).
func LoadTimezone(id string) (*time.Location, error) {
	id = strings.TrimSpace(id)
	if m := fixedOffset.FindStringSubmatch(id); m != nil {
		h, _ := strconv.Atoi(m[2])
		mi, _ := strconv.Atoi(m[3])
		off := h*3600 + mi*60
		if m[1] == "-" {
			off = -off
		}
		if off == 0 {
			return time.UTC, nil
		}
		return time.FixedZone(id, off), nil
	}
	// time.LoadLocation reads "" and "Local" as the host's zone, which
	// DateTimeZone.forID does not know.
	if id == "" || id == "Local" {
		return nil, fmt.Errorf("the datetime zone id '%s' is not recognised", id)
	}
	loc, err := time.LoadLocation(id)
	if err != nil {
		return nil, fmt.Errorf("the datetime zone id '%s' is not recognised", id)
	}
	return loc, nil
}

var fixedOffset = regexp.MustCompile(`^([+-])([01][0-9]|2[0-3]):([0-5][0-9])$`)

// Timestamp is r's time in epoch milliseconds as the timestamp extractor
// sees it; the storage sinks' rotate.interval.ms measures it.
func (p *TimeBased) Timestamp(r connectors.SinkRecord) (int64, error) {
	ms, err := p.extract(r)
	if err != nil {
		return 0, recordError(r, err)
	}
	return ms, nil
}

// Wallclock reports whether the timestamp extractor reads the clock
// rather than the record.
func (p *TimeBased) Wallclock() bool { return p.wallclock }

// Partition prints the start of the partition period holding r's time.
func (p *TimeBased) Partition(r connectors.SinkRecord) (string, error) {
	ms, err := p.extract(r)
	if err != nil {
		return "", recordError(r, err)
	}
	start, err := bucketStart(ms, p.durationMs, p.loc)
	if err != nil {
		return "", recordError(r, err)
	}
	return p.format.format(time.UnixMilli(start)), nil
}

// maxInstant bounds the instants bucketStart accepts, far beyond any
// record's time, so that adding a zone offset cannot overflow.
const maxInstant = math.MaxInt64 / 4

// bucketStart is Confluent's TimeBasedPartitioner.getPartition: the instant
// is moved to local time, floored to a multiple of durationMs there, and
// moved back with Joda's convertLocalToUTC(local, false), whose choice of
// offset in DST gaps and overlaps decides which directory a record lands in.
// Unlike Java's integer division, flooring rounds pre-1970 local times
// down, keeping them out of the period after theirs.
func bucketStart(ms, durationMs int64, loc *time.Location) (int64, error) {
	if ms > maxInstant || ms < -maxInstant {
		return 0, fmt.Errorf("timestamp %d is out of range", ms)
	}
	local := ms + offsetAt(ms, loc)
	floored := local / durationMs * durationMs
	if floored > local {
		floored -= durationMs
	}
	return localToUTC(floored, loc), nil
}

// offsetAt is the zone's offset in milliseconds at the UTC instant ms.
func offsetAt(ms int64, loc *time.Location) int64 {
	_, off := time.UnixMilli(ms).In(loc).Zone()
	return int64(off) * 1000
}

// nextTransition is Joda's DateTimeZone.nextTransition: the first offset
// change after ms, or ms itself when there is none.
func nextTransition(ms int64, loc *time.Location) int64 {
	_, end := time.UnixMilli(ms).In(loc).ZoneBounds()
	if end.IsZero() {
		return ms
	}
	return end.UnixMilli()
}

// localToUTC is Joda's DateTimeZone.convertLocalToUTC(local, false). In an
// overlap it picks the offset at local read as UTC, which after the
// adjustment is the earlier, summer-time instant east of Greenwich and
// the later one west of it; in a gap west of Greenwich it keeps the first
// estimate.
func localToUTC(local int64, loc *time.Location) int64 {
	offsetLocal := offsetAt(local, loc)
	offset := offsetAt(local-offsetLocal, loc)
	if offsetLocal != offset && offsetLocal < 0 {
		nextLocal := nextTransition(local-offsetLocal, loc)
		if nextLocal == local-offsetLocal {
			nextLocal = math.MaxInt64
		}
		nextAdjusted := nextTransition(local-offset, loc)
		if nextAdjusted == local-offset {
			nextAdjusted = math.MaxInt64
		}
		if nextLocal != nextAdjusted {
			offset = offsetLocal
		}
	}
	return local - offset
}

var errNoTimestamp = errors.New("unable to determine timestamp")

func recordTimestamp(r connectors.SinkRecord) (int64, error) {
	if r.Timestamp.IsZero() {
		return 0, fmt.Errorf("%w: the record has no timestamp (timestamp.extractor=Record)", errNoTimestamp)
	}
	return r.Timestamp.UnixMilli(), nil
}

// fieldTimestamp is Confluent's RecordFieldTimestampExtractor: integers
// are epoch milliseconds, Timestamp values their instant, strings epoch
// milliseconds when all digits, else ISO-8601 read in loc when they carry
// no offset.
func fieldTimestamp(r connectors.SinkRecord, field string, loc *time.Location) (int64, error) {
	v, err := lookupPath(r.Value.Value, field)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", errNoTimestamp, err)
	}
	switch x := v.(type) {
	case time.Time:
		return x.UnixMilli(), nil
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case int64:
		return x, nil
	case int:
		return int64(x), nil
	case float32:
		return floatMillis(float64(x))
	case float64:
		// Schemaless JSON numbers; Java's Number.longValue truncates.
		return floatMillis(x)
	case string:
		if numericTimestamp.MatchString(x) {
			if n, err := strconv.ParseInt(x, 10, 64); err == nil {
				return n, nil
			}
		}
		t, err := parseISO(x, loc)
		if err != nil {
			return 0, fmt.Errorf("%w: field %q: %w", errNoTimestamp, field, err)
		}
		return t.UnixMilli(), nil
	case nil:
		return 0, fmt.Errorf("%w: field %q is null", errNoTimestamp, field)
	}
	return 0, fmt.Errorf("%w: unsupported type %T for timestamp field %q", errNoTimestamp, v, field)
}

var numericTimestamp = regexp.MustCompile(`^-?[0-9]{1,19}$`)

func floatMillis(f float64) (int64, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > maxInstant {
		return 0, fmt.Errorf("%w: timestamp %v is out of range", errNoTimestamp, f)
	}
	return int64(f), nil
}
