package source

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
	"github.com/connect-standalone/connect-standalone/internal/dbtest"
)

// want is one expected field: its schema type, logical name, optionality,
// decimal scale and value.
type want struct {
	col      string
	typ      connectors.Type
	logical  string
	optional bool
	scale    string
	value    any
}

var (
	day  = time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	tod  = time.UnixMilli((3*3600+4*60+5)*1000 + 123).UTC()
	inst = time.Date(2024, 1, 2, 3, 4, 5, 123456000, time.UTC)
)

var typeCases = map[string]struct {
	create, insert string
	want           []want
}{
	"postgres": {
		create: `CREATE TABLE types (id SERIAL PRIMARY KEY, i2 int2 NOT NULL, i4 int4, i8 int8, f4 float4, f8 float8, b bool, n numeric(10,2), n0 numeric(5,0), nu numeric,
			s text, v varchar(5), bb bytea, d date, tm time(3), ts timestamp(6), tz timestamptz, j json, u uuid, nul text)`,
		insert: `INSERT INTO types (i2,i4,i8,f4,f8,b,n,n0,nu,s,v,bb,d,tm,ts,tz,j,u) VALUES (1,2,3,1.5,2.5,true,12.345,99999,6.5,'x','y','\x0102',
			'2024-01-02','03:04:05.123','2024-01-02 03:04:05.123456','2024-01-02 04:04:05.123456+01','{"a":1}','a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')`,
		want: []want{
			{"i2", connectors.Int16, "", false, "", int16(1)},
			{"i4", connectors.Int32, "", true, "", int32(2)},
			{"i8", connectors.Int64, "", true, "", int64(3)},
			{"f4", connectors.Float32, "", true, "", float32(1.5)},
			{"f8", connectors.Float64, "", true, "", 2.5},
			{"b", connectors.Boolean, "", true, "", true},
			{"n", connectors.Bytes, connectors.DecimalName, true, "2", connectors.NewDecimal(1235, 2)},
			{"n0", connectors.Bytes, connectors.DecimalName, true, "0", connectors.NewDecimal(99999, 0)},
			{"nu", connectors.Bytes, connectors.DecimalName, true, "0", connectors.NewDecimal(7, 0)},
			{"s", connectors.String, "", true, "", "x"},
			{"v", connectors.String, "", true, "", "y"},
			{"bb", connectors.Bytes, "", true, "", []byte{1, 2}},
			{"d", connectors.Int32, connectors.DateName, true, "", day},
			{"tm", connectors.Int32, connectors.TimeName, true, "", tod},
			{"ts", connectors.Int64, connectors.TimestampName, true, "", inst},
			{"tz", connectors.Int64, connectors.TimestampName, true, "", inst},
			{"j", connectors.String, "", true, "", `{"a":1}`},
			{"u", connectors.String, "", true, "", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
			{"nul", connectors.String, "", true, "", nil},
		},
	},
	"mariadb": {
		create: `CREATE TABLE types (id INT AUTO_INCREMENT PRIMARY KEY, i2 smallint NOT NULL, i4 int, i8 bigint, f4 float, f8 double, b bool, n decimal(10,2), n0 decimal(5,0), ui int unsigned,
			s text, v varchar(5), bb blob, d date, tm time(3), ts datetime(6), tz timestamp(6) NULL, j json, y year, nul text)`,
		insert: `INSERT INTO types (i2,i4,i8,f4,f8,b,n,n0,ui,s,v,bb,d,tm,ts,tz,j,y) VALUES (1,2,3,1.5,2.5,true,12.345,99999,4000000000,'x','y',X'0102',
			'2024-01-02','03:04:05.123','2024-01-02 03:04:05.123456','2024-01-02 03:04:05.123456','{"a":1}',2024)`,
		want: []want{
			{"i2", connectors.Int16, "", false, "", int16(1)},
			{"i4", connectors.Int32, "", true, "", int32(2)},
			{"i8", connectors.Int64, "", true, "", int64(3)},
			{"f4", connectors.Float32, "", true, "", float32(1.5)},
			{"f8", connectors.Float64, "", true, "", 2.5},
			{"b", connectors.Int8, "", true, "", int8(1)},
			{"n", connectors.Bytes, connectors.DecimalName, true, "2", connectors.NewDecimal(1235, 2)},
			{"n0", connectors.Bytes, connectors.DecimalName, true, "0", connectors.NewDecimal(99999, 0)},
			{"ui", connectors.Int64, "", true, "", int64(4000000000)},
			{"s", connectors.String, "", true, "", "x"},
			{"v", connectors.String, "", true, "", "y"},
			{"bb", connectors.Bytes, "", true, "", []byte{1, 2}},
			{"d", connectors.Int32, connectors.DateName, true, "", day},
			{"tm", connectors.Int32, connectors.TimeName, true, "", tod},
			{"ts", connectors.Int64, connectors.TimestampName, true, "", inst},
			{"j", connectors.String, "", true, "", `{"a":1}`},
			{"y", connectors.Int32, connectors.DateName, true, "", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
			{"nul", connectors.String, "", true, "", nil},
		},
	},
	"sqlite": {
		create: `CREATE TABLE types (id INTEGER PRIMARY KEY, i2 SMALLINT NOT NULL, i4 INT, i8 BIGINT, f4 REAL, f8 DOUBLE, b BOOLEAN, n NUMERIC(10,2), n0 NUMERIC(5,0), dc DECIMAL(5,1),
			s TEXT, v VARCHAR(5), bb BLOB, d DATE, tm TIME, ts TIMESTAMP, nul TEXT)`,
		insert: `INSERT INTO types (i2,i4,i8,f4,f8,b,n,n0,dc,s,v,bb,d,tm,ts) VALUES (1,2,3,1.5,2.5,1,12.345,99999,1.25,'x','y',X'0102',
			'2024-01-02','03:04:05.123','2024-01-02 03:04:05.123456')`,
		want: []want{
			{"id", connectors.Int32, "", false, "", int32(1)},
			{"i2", connectors.Int16, "", false, "", int16(1)},
			{"i4", connectors.Int32, "", true, "", int32(2)},
			{"i8", connectors.Int64, "", true, "", int64(3)},
			{"f4", connectors.Float32, "", true, "", float32(1.5)},
			{"f8", connectors.Float64, "", true, "", 2.5},
			{"b", connectors.Boolean, "", true, "", true},
			{"n", connectors.Bytes, connectors.DecimalName, true, "2", connectors.NewDecimal(1235, 2)},
			{"n0", connectors.Bytes, connectors.DecimalName, true, "0", connectors.NewDecimal(99999, 0)},
			{"dc", connectors.Bytes, connectors.DecimalName, true, "1", connectors.NewDecimal(13, 1)},
			{"s", connectors.String, "", true, "", "x"},
			{"bb", connectors.Bytes, "", true, "", []byte{1, 2}},
			{"d", connectors.Int32, connectors.DateName, true, "", day},
			{"tm", connectors.Int32, connectors.TimeName, true, "", tod},
			{"ts", connectors.Int64, connectors.TimestampName, true, "", inst},
			{"nul", connectors.String, "", true, "", nil},
		},
	},
}

func equalValue(a, b any) bool {
	switch x := a.(type) {
	case connectors.Decimal:
		y, ok := b.(connectors.Decimal)
		return ok && x.Equal(y)
	case []byte:
		y, ok := b.([]byte)
		return ok && string(x) == string(y)
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	}
	return a == b
}

func TestTypeMapping(t *testing.T) {
	for name, open := range dbtest.All {
		t.Run(name, func(t *testing.T) {
			tc := typeCases[name]
			url := open(t)
			dbtest.Exec(t, url, tc.create, tc.insert)
			recs := poll(t, startTask(t, props(url, KeyMode, ModeBulk), &offsets{}), &offsets{})
			if len(recs) != 1 {
				t.Fatalf("%d records", len(recs))
			}
			r := recs[0]
			if err := r.Value.Value.(*connectors.StructValue).Validate(); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				var f *connectors.Field
				for i := range r.Value.Schema.Fields {
					if r.Value.Schema.Fields[i].Name == w.col {
						f = &r.Value.Schema.Fields[i]
					}
				}
				if f == nil {
					t.Errorf("%s: no field", w.col)
					continue
				}
				s := f.Schema
				if s.Type != w.typ || s.Name != w.logical || s.Optional != w.optional || s.Parameters[connectors.DecimalScaleParam] != w.scale {
					t.Errorf("%s: schema %s %q optional=%v scale=%q, want %s %q %v %q", w.col, s.Type, s.Name, s.Optional, s.Parameters[connectors.DecimalScaleParam], w.typ, w.logical, w.optional, w.scale)
				}
				if got := get(t, r, w.col); !equalValue(got, w.value) {
					t.Errorf("%s: value %#v (%T), want %#v", w.col, got, got, w.value)
				}
			}
		})
	}
}

func TestNumericMapping(t *testing.T) {
	cases := []struct {
		mapping        string
		n52, n100, n12 connectors.Type // NUMERIC(5,2), NUMERIC(10,0), NUMERIC(20,2)
	}{
		{"none", connectors.Bytes, connectors.Bytes, connectors.Bytes},
		{"precision_only", connectors.Bytes, connectors.Int64, connectors.Bytes},
		{"best_fit", connectors.Float64, connectors.Int64, connectors.Bytes},
		{"best_fit_eager_double", connectors.Float64, connectors.Int64, connectors.Float64},
	}
	for _, name := range []string{"postgres", "sqlite"} {
		t.Run(name, func(t *testing.T) {
			url := dbtest.All[name](t)
			dbtest.Exec(t, url, "CREATE TABLE nums (a NUMERIC(5,2), b NUMERIC(10,0), c NUMERIC(20,2), d NUMERIC(3,0))",
				"INSERT INTO nums VALUES (1.25, 1234567890, 3.5, 12)")
			for _, c := range cases {
				recs := poll(t, startTask(t, props(url, KeyMode, ModeBulk, KeyNumericMapping, c.mapping), &offsets{}), &offsets{})
				fs := recs[0].Value.Schema.Fields
				if fs[0].Schema.Type != c.n52 || fs[1].Schema.Type != c.n100 || fs[2].Schema.Type != c.n12 {
					t.Errorf("%s: types %s %s %s", c.mapping, fs[0].Schema.Type, fs[1].Schema.Type, fs[2].Schema.Type)
				}
				if c.mapping == "best_fit" {
					if a, b, d := get(t, recs[0], "a"), get(t, recs[0], "b"), get(t, recs[0], "d"); a != 1.25 || b != int64(1234567890) || d != int16(12) {
						t.Errorf("best_fit values %v %v %v", a, b, d)
					}
				}
			}
			recs := poll(t, startTask(t, props(url, KeyMode, ModeBulk, KeyNumericPrecisionMap, "true"), &offsets{}), &offsets{})
			if got := recs[0].Value.Schema.Fields[1].Schema.Type; got != connectors.Int64 {
				t.Errorf("numeric.precision.mapping=true: %s, want precision_only's int64", got)
			}
		})
	}
	t.Run("mariadb decimal is never narrowed", func(t *testing.T) {
		url := dbtest.MySQL(t)
		dbtest.Exec(t, url, "CREATE TABLE nums (b NUMERIC(10,0))", "INSERT INTO nums VALUES (5)")
		recs := poll(t, startTask(t, props(url, KeyMode, ModeBulk, KeyNumericMapping, "best_fit"), &offsets{}), &offsets{})
		if s := recs[0].Value.Schema.Fields[0].Schema; s.Name != connectors.DecimalName {
			t.Errorf("schema %+v", s)
		}
	})
}

func TestDBTimezone(t *testing.T) {
	for name, open := range dbtest.All {
		t.Run(name, func(t *testing.T) {
			url := open(t)
			createOrders(t, url, name)
			insertOrders(t, url, "a@2020-01-01 10:00:00", "b@2020-01-01 11:00:00")
			cfg := props(url, KeyMode, ModeTimestamp, KeyTimestampColumns, "updated_at", "db.timezone", "Europe/Paris",
				KeyTimestampInitial, fmt.Sprint(time.Date(2020, 1, 1, 9, 30, 0, 0, time.UTC).UnixMilli()))
			recs := drain(t, startTask(t, cfg, &offsets{}), &offsets{})
			// 10:00 Paris is 09:00 UTC, before timestamp.initial; 11:00 Paris is 10:00 UTC.
			if got := items(t, recs); len(got) != 1 || got[0] != "b" {
				t.Fatalf("items %v", got)
			}
			if ts := get(t, recs[0], "updated_at").(time.Time); !ts.Equal(time.Date(2020, 1, 1, 10, 0, 0, 0, time.UTC)) {
				t.Fatalf("updated_at %v", ts)
			}
		})
	}
}

func TestValidateNonNull(t *testing.T) {
	for name, open := range dbtest.All {
		t.Run(name, func(t *testing.T) {
			url := open(t)
			dbtest.Exec(t, url, "CREATE TABLE loose (seq INTEGER, ts TIMESTAMP NULL)", "INSERT INTO loose VALUES (1, NULL)")
			for _, mode := range []string{ModeIncrementing, ModeTimestamp} {
				cfg := props(url, KeyMode, mode, KeyIncrementingColumn, "seq", KeyTimestampColumns, "ts")
				c, _, tcs := startConnector(t, cfg, 1)
				err := c.NewTask().Start(context.Background(), taskContext{testLogger(t), &offsets{}}, tcs[0])
				if err == nil || !strings.Contains(err.Error(), "nullable") || !strings.Contains(err.Error(), "loose") {
					t.Errorf("%s: error %v, want one about the nullable column of loose", mode, err)
				}
				cfg[KeyValidateNonNull] = "false"
				tk := startTask(t, cfg, &offsets{})
				if mode == ModeIncrementing {
					if got := drain(t, tk, &offsets{}); len(got) != 1 {
						t.Errorf("validate.non.null=false: %d records", len(got))
					}
				}
			}
			cfg := props(url, KeyMode, ModeIncrementing, KeyIncrementingColumn, "nope")
			c, _, tcs := startConnector(t, cfg, 1)
			if err := c.NewTask().Start(context.Background(), taskContext{testLogger(t), &offsets{}}, tcs[0]); err == nil || !strings.Contains(err.Error(), "nope") {
				t.Errorf("missing column: error %v", err)
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	base := []string{jdbc.KeyURL, "jdbc:sqlite::memory:"}
	tests := []struct {
		kv      []string
		key     string
		message string
	}{
		{[]string{}, KeyMode, "missing"},
		{[]string{KeyMode, "sometimes"}, KeyMode, "bulk"},
		{[]string{KeyMode, ModeBulk, KeyQuery, "SELECT 1", KeyTableWhitelist, "a"}, KeyQuery, "cannot be combined"},
		{[]string{KeyMode, ModeBulk, KeyQuery, "DELETE FROM a", KeyTopicPrefix, "t"}, KeyQuery, "SELECT"},
		{[]string{KeyMode, ModeBulk, KeyQuery, "SELECT 1"}, KeyTopicPrefix, "topic name"},
		{[]string{KeyMode, ModeIncrementing, KeyQuery, "SELECT 1", KeyTopicPrefix, "t"}, KeyIncrementingColumn, "query"},
		{[]string{KeyMode, ModeBulk, KeyTableWhitelist, "a", KeyTableBlacklist, "b"}, KeyTableBlacklist, "both"},
		{[]string{KeyMode, ModeBulk, KeyTableExcludeList, "a.*"}, KeyTableExcludeList, "table.include.list"},
		{[]string{KeyMode, ModeTimestamp}, KeyTimestampColumns, "at least one"},
		{[]string{KeyMode, ModeIncrementing, KeyTableIncludeList, ".*", KeyIncrementingColumn, "id"}, KeyTableIncludeList, "mixed"},
		{[]string{KeyMode, ModeIncrementing, KeyTableIncludeList, ".*"}, KeyIncrementingMapping, "must be set"},
		{[]string{KeyMode, ModeBulk, KeyTableIncludeList, "("}, KeyTableIncludeList, "regular"},
		{[]string{KeyMode, ModeBulk, KeyTopicPrefix, "a/b"}, KeyTopicPrefix, "ASCII"},
		{[]string{KeyMode, ModeBulk, KeyNumericMapping, "all"}, KeyNumericMapping, "best_fit"},
		{[]string{KeyMode, ModeTimestamp, KeyTimestampMapping, ".*:ts", KeyTableIncludeList, ".*"}, KeyTimestampMapping, "square brackets"},
		{[]string{KeyMode, ModeBulk, KeyTableTypes, "SYNONYM"}, KeyTableTypes, "SYNONYM"},
	}
	for _, tc := range tests {
		raw := map[string]string{}
		for i := 0; i+1 < len(base); i += 2 {
			raw[base[i]] = base[i+1]
		}
		for i := 0; i+1 < len(tc.kv); i += 2 {
			raw[tc.kv[i]] = tc.kv[i+1]
		}
		v, err := Def().Parse(raw)
		if err == nil {
			_, err = newSettings(v)
		}
		var ke *config.KeyError
		if !errors.As(err, &ke) || ke.Key != tc.key || !strings.Contains(err.Error(), tc.message) {
			t.Errorf("%v: error %v, want one for %s mentioning %q", tc.kv, err, tc.key, tc.message)
		}
	}
}
