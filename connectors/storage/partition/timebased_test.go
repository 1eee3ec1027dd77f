package partition

import (
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestTimeBasedRecord(t *testing.T) {
	const hourly = "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH"
	tests := []struct {
		name, tz, format, locale string
		durMs                    int64
		ts                       string
		want                     string
	}{
		{"utc hourly", "UTC", hourly, "en", hourMs, "2024-05-17T13:59:59.999Z", "year=2024/month=05/day=17/hour=13"},
		{"tokyo day boundary", "Asia/Tokyo", hourly, "en", hourMs, "2024-05-17T15:00:00Z", "year=2024/month=05/day=18/hour=00"},
		{"la daily", "America/Los_Angeles", "'d'=YYYYMMdd", "en", dayMs, "2024-01-01T07:59:00Z", "d=20231231"},
		{"kolkata 15 min", "Asia/Kolkata", "HHmm", "en", 15 * 60 * 1000, "2024-01-01T00:10:00Z", "0530"},
		{"fixed offset", "-03:30", "HH:mm Z ZZ", "en", 15 * 60 * 1000, "2024-01-01T00:10:00Z", "20:30 -0330 -03:30"},
		{"ny spring forward before", "America/New_York", hourly, "en", hourMs, "2024-03-10T06:30:00Z", "year=2024/month=03/day=10/hour=01"},
		{"ny spring forward after", "America/New_York", hourly, "en", hourMs, "2024-03-10T07:30:00Z", "year=2024/month=03/day=10/hour=03"},
		{"ny fall back first", "America/New_York", "HH z", "en", hourMs, "2024-11-03T05:30:00Z", "01 EDT"},
		{"ny fall back second", "America/New_York", "HH z", "en", hourMs, "2024-11-03T06:30:00Z", "01 EDT"},
		{"ny daily on dst day", "America/New_York", "dd HH", "en", dayMs, "2024-03-10T23:00:00Z", "10 00"},
		{"berlin 2h bucket in gap", "Europe/Berlin", "HH z", "en", 2 * hourMs, "2024-03-31T01:30:00Z", "03 CEST"},
		{"pre-epoch floors down", "UTC", "YYYY-MM-dd HH", "en", hourMs, "1969-12-31T23:59:59Z", "1969-12-31 23"},
		{"english months", "UTC", "MMM MMMM EEE EEEE a", "en", dayMs, "2024-03-05T00:00:00Z", "Mar March Tue Tuesday AM"},
		{"german months", "UTC", "MMM/MMMM/EEEE", "de", dayMs, "2024-03-05T00:00:00Z", "März/März/Dienstag"},
		{"french months", "UTC", "MMM MMMM", "FR", dayMs, "2024-02-05T00:00:00Z", "févr. février"},
		{"region falls back to english", "UTC", "MMMM", "fr-FR", dayMs, "2024-02-05T00:00:00Z", "February"},
		{"iso weeks", "UTC", "xxxx-'W'ww-e D", "en", dayMs, "2021-01-03T12:00:00Z", "2020-W53-7 3"},
		{"two digit years and clocks", "UTC", "yy YY C G hh KK kk SSS ZZZ", "en", 1, "2024-05-17T00:00:00.123Z", "24 24 20 AD 12 00 24 123 UTC"},
		{"quotes", "UTC", "'it''s' ''HH", "en", hourMs, "2024-05-17T09:00:00Z", "it's '09"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewTimeBased(TimeConfig{PathFormat: tc.format, DurationMs: tc.durMs, Locale: tc.locale, Timezone: tc.tz, Extractor: "Record"})
			if err != nil {
				t.Fatal(err)
			}
			r := rec(connectors.SchemaAndValue{})
			r.Timestamp = at(tc.ts)
			got, err := p.Partition(r)
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestTimeBasedExtractors(t *testing.T) {
	tsSchema := connectors.TimestampSchema(false)
	s := &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{
		{Name: "ts", Index: 0, Schema: tsSchema},
		{Name: "ms", Index: 1, Schema: connectors.Int64Schema},
		{Name: "iso", Index: 2, Schema: connectors.StringSchema},
	}}
	st := connectors.NewStruct(s)
	_ = st.Put("ts", at("2024-05-17T10:00:00Z"))
	_ = st.Put("ms", at("2024-05-17T11:00:00Z").UnixMilli())
	_ = st.Put("iso", "2024-05-17T12:30:00+02:00")
	sv := connectors.SchemaAndValue{Schema: s, Value: st}
	m := func(v any) connectors.SchemaAndValue {
		return connectors.SchemaAndValue{Value: map[string]any{"e": map[string]any{"t": v}}}
	}
	now := func() time.Time { return at("2024-05-17T23:10:00Z") }
	tests := []struct {
		name, extractor, field string
		v                      connectors.SchemaAndValue
		want, wantErr          string
	}{
		{"wallclock", "Wallclock", "", sv, "17-23", ""},
		{"record no timestamp", "Record", "", sv, "", "no timestamp"},
		{"struct timestamp", "RecordField", "ts", sv, "17-10", ""},
		{"struct long", "RecordField", "ms", sv, "17-11", ""},
		{"struct iso string", "RecordField", "iso", sv, "17-10", ""},
		{"map nested millis", "RecordField", "e.t", m(at("2024-05-16T01:00:00Z").UnixMilli()), "16-01", ""},
		{"map json double", "RecordField", "e.t", m(float64(at("2024-05-16T02:00:00Z").UnixMilli())), "16-02", ""},
		{"map numeric string", "RecordField", "e.t", m("1715821200000"), "16-01", ""},
		{"map iso date only", "RecordField", "e.t", m("2024-05-16"), "16-00", ""},
		{"map iso no offset in zone", "RecordField", "e.t", m("2024-05-16T05:07"), "16-05", ""},
		{"map iso ordinal", "RecordField", "e.t", m("2024-137T03Z"), "16-03", ""},
		{"map iso week", "RecordField", "e.t", m("2024-W20-4T04:00:00.5Z"), "16-04", ""},
		{"map bad string", "RecordField", "e.t", m("yesterday"), "", "invalid ISO-8601"},
		{"map bool", "RecordField", "e.t", m(true), "", "unsupported type bool"},
		{"map missing", "RecordField", "e.nope", m(1), "", "not present"},
		{"map null", "RecordField", "e.t", m(nil), "", "is null"},
		{"default field", "RecordField", "", connectors.SchemaAndValue{Value: map[string]any{"timestamp": int64(0)}}, "01-00", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewTimeBased(TimeConfig{PathFormat: "dd-HH", DurationMs: hourMs, Locale: "en", Timezone: "UTC", Extractor: tc.extractor, TimestampField: tc.field, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Partition(rec(tc.v))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "offset 42") {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestNewTimeBasedRejects(t *testing.T) {
	ok := TimeConfig{PathFormat: "YYYY", DurationMs: hourMs, Locale: "en", Timezone: "UTC"}
	tests := []struct {
		name   string
		change func(*TimeConfig)
	}{
		{"zero duration", func(c *TimeConfig) { c.DurationMs = 0 }},
		{"negative duration", func(c *TimeConfig) { c.DurationMs = -1 }},
		{"empty format", func(c *TimeConfig) { c.PathFormat = " " }},
		{"only delim", func(c *TimeConfig) { c.PathFormat = "/" }},
		{"empty locale", func(c *TimeConfig) { c.Locale = "" }},
		{"empty timezone", func(c *TimeConfig) { c.Timezone = "" }},
		{"local timezone", func(c *TimeConfig) { c.Timezone = "Local" }},
		{"bad timezone", func(c *TimeConfig) { c.Timezone = "+25:00" }},
		{"illegal letter", func(c *TimeConfig) { c.PathFormat = "YYYY/WW" }},
		{"full zone name", func(c *TimeConfig) { c.PathFormat = "zzzz" }},
		{"text in unknown language", func(c *TimeConfig) { c.PathFormat = "MMM"; c.Locale = "ja" }},
		{"custom extractor", func(c *TimeConfig) { c.Extractor = "com.example.Mine" }},
	}
	for _, tc := range tests {
		c := ok
		tc.change(&c)
		if _, err := NewTimeBased(c); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
	c := ok
	c.Locale, c.PathFormat = "ja", "YYYY/MM"
	if _, err := NewTimeBased(c); err != nil {
		t.Errorf("numeric pattern with any locale: %v", err)
	}
}
