package sink

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
	"github.com/connect-standalone/connect-standalone/internal/dbtest"
)

// columnTypes reads table's columns back from the database: name to
// "type NULL" or "type NOT NULL", lower case.
func columnTypes(t *testing.T, url, table string) map[string]string {
	t.Helper()
	var q string
	switch dialectOf(t, url) {
	case jdbc.Postgres:
		q = fmt.Sprintf("SELECT column_name, data_type, CASE is_nullable WHEN 'YES' THEN 'NULL' ELSE 'NOT NULL' END FROM information_schema.columns WHERE table_name = '%s'", table)
	case jdbc.MySQL:
		q = fmt.Sprintf("SELECT column_name, column_type, CASE is_nullable WHEN 'YES' THEN 'NULL' ELSE 'NOT NULL' END FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = '%s'", table)
	case jdbc.SQLite:
		q = fmt.Sprintf("SELECT name, type, CASE WHEN \"notnull\" = 1 OR pk > 0 THEN 'NOT NULL' ELSE 'NULL' END FROM pragma_table_info('%s')", table)
	}
	out := map[string]string{}
	for _, r := range query(t, url, q) {
		out[r[0]] = strings.ToLower(r[1] + " " + r[2])
	}
	return out
}

// allTypes has a field of every Connect type and logical type.
var allTypes = schema(
	"i8", connectors.Int8Schema,
	"i16", connectors.Int16Schema,
	"i32", connectors.Int32Schema,
	"i64", connectors.Int64Schema,
	"f32", connectors.Float32Schema,
	"f64", connectors.Float64Schema,
	"b", connectors.BooleanSchema,
	"s", connectors.StringSchema,
	"by", connectors.BytesSchema,
	"dec", connectors.DecimalSchema(2, false),
	"big", connectors.DecimalSchema(4, true),
	"dt", connectors.DateSchema(false),
	"tm", connectors.TimeSchema(false),
	"ts", connectors.TimestampSchema(false),
	"opt_s", connectors.OptionalStringSchema,
	"opt_ts", connectors.TimestampSchema(true),
)

func TestAutoCreateColumnTypes(t *testing.T) {
	want := map[jdbc.Dialect]map[string]string{
		jdbc.Postgres: {
			"__connect_topic": "text not null", "__connect_partition": "integer not null", "__connect_offset": "bigint not null",
			"i8": "smallint not null", "i16": "smallint not null", "i32": "integer not null", "i64": "bigint not null",
			"f32": "real not null", "f64": "double precision not null", "b": "boolean not null", "s": "text not null",
			"by": "bytea not null", "dec": "numeric not null", "big": "numeric null", "dt": "date not null",
			"tm": "time without time zone not null", "ts": "timestamp without time zone not null",
			"opt_s": "text null", "opt_ts": "timestamp without time zone null",
		},
		jdbc.MySQL: {
			"__connect_topic": "varchar(255) not null", "__connect_partition": "int(11) not null", "__connect_offset": "bigint(20) not null",
			"i8": "tinyint(4) not null", "i16": "smallint(6) not null", "i32": "int(11) not null", "i64": "bigint(20) not null",
			"f32": "float not null", "f64": "double not null", "b": "tinyint(4) not null", "s": "text not null",
			"by": "varbinary(1024) not null", "dec": "decimal(65,2) not null", "big": "decimal(65,4) null", "dt": "date not null",
			"tm": "time(3) not null", "ts": "datetime(3) not null",
			"opt_s": "text null", "opt_ts": "datetime(3) null",
		},
		jdbc.SQLite: {
			"__connect_topic": "text not null", "__connect_partition": "integer not null", "__connect_offset": "integer not null",
			"i8": "integer not null", "i16": "integer not null", "i32": "integer not null", "i64": "integer not null",
			"f32": "real not null", "f64": "real not null", "b": "integer not null", "s": "text not null",
			"by": "blob not null", "dec": "numeric not null", "big": "numeric null", "dt": "numeric not null",
			"tm": "numeric not null", "ts": "numeric not null",
			"opt_s": "text null", "opt_ts": "numeric null",
		},
	}
	forEachDB(t, func(t *testing.T, url string) {
		tk := startTask(t, url, map[string]string{KeyAutoCreate: "true", KeyPKMode: "kafka"})
		put(t, tk, record("types", 0, connectors.SchemaAndValue{}, allValues(t)))
		got := columnTypes(t, url, "types")
		w := want[dialectOf(t, url)]
		for name, typ := range w {
			if got[name] != typ {
				t.Errorf("column %s: %q, want %q", name, got[name], typ)
			}
		}
		if len(got) != len(w) {
			t.Errorf("columns = %v, want %d", got, len(w))
		}
	})
}

func allValues(t *testing.T) connectors.SchemaAndValue {
	big, _ := new(big.Int).SetString("1234567890123456789012345", 10)
	return structOf(t, allTypes,
		"i8", int8(-8), "i16", int16(-1600), "i32", int32(2147483647), "i64", int64(-9007199254740993),
		"f32", float32(1.5), "f64", float64(2.25), "b", true,
		"s", `it's "ü" \n`, "by", []byte{0, 1, 0xfe, 0xff},
		"dec", connectors.NewDecimal(-1234, 2), "big", connectors.Decimal{Unscaled: big, Scale: 4},
		"dt", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		"tm", time.Date(1970, 1, 1, 13, 14, 15, 678e6, time.UTC),
		"ts", time.Date(2024, 2, 29, 13, 14, 15, 678e6, time.UTC),
		"opt_s", nil, "opt_ts", nil,
	)
}

// Every type is written and read back as the same value.
func TestTypeRoundTrip(t *testing.T) {
	forEachDB(t, func(t *testing.T, url string) {
		tk := startTask(t, url, map[string]string{KeyAutoCreate: "true", KeyPKMode: "kafka"})
		put(t, tk, record("roundtrip", 0, connectors.SchemaAndValue{}, allValues(t)))
		d := dialectOf(t, url)
		text := func(col string) string {
			c := ident(t, url, col)
			switch {
			case col == "by" && d == jdbc.Postgres:
				return "encode(" + c + ", 'hex')"
			case col == "by":
				return "lower(hex(" + c + "))"
			case d == jdbc.MySQL:
				return "CAST(" + c + " AS CHAR)"
			}
			return "CAST(" + c + " AS TEXT)"
		}
		want := map[string]string{
			"i8": "-8", "i16": "-1600", "i32": "2147483647", "i64": "-9007199254740993",
			"f32": "1.5", "f64": "2.25", "b": "1", "s": `it's "ü" \n`, "by": "0001feff",
			"dec": "-12.34", "big": "123456789012345678901.2345",
			"dt": "2024-02-29", "tm": "13:14:15.678", "ts": "2024-02-29 13:14:15.678",
			"opt_s": "NULL", "opt_ts": "NULL",
		}
		switch d {
		case jdbc.Postgres:
			want["b"] = "true"
		case jdbc.SQLite:
			// NUMERIC affinity keeps a decimal as a REAL, as with
			// Confluent's sink: exact only to 15 digits.
			want["big"] = "1.2345678901234568e+20"
		}
		for col, w := range want {
			got := query(t, url, "SELECT "+text(col)+" FROM "+ident(t, url, "roundtrip"))[0][0]
			if got != w {
				t.Errorf("%s = %q, want %q", col, got, w)
			}
		}
	})
}

// db.timezone is the zone of the wall-clock values written to zone-less
// columns; date.timezone=UTC keeps Dates on their day.
func TestDBTimezone(t *testing.T) {
	value := schema("id", connectors.Int32Schema, "dt", connectors.DateSchema(false), "tm", connectors.TimeSchema(false), "ts", connectors.TimestampSchema(false))
	rec := func(off int64) connectors.SinkRecord {
		return record("tz", off, connectors.SchemaAndValue{}, structOf(t, value, "id", int32(off),
			"dt", time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC),
			"tm", time.Date(1970, 1, 1, 13, 0, 0, 0, time.UTC),
			"ts", time.Date(2024, 1, 2, 3, 4, 5, 6e6, time.UTC)))
	}
	forEachDB(t, func(t *testing.T, url string) {
		cast := "TEXT"
		if dialectOf(t, url) == jdbc.MySQL {
			cast = "CHAR"
		}
		for _, tt := range []struct {
			dateTZ string
			want   []string
		}{
			{"DB_TIMEZONE", []string{"2024-01-01", "08:00:00.000", "2024-01-01 22:04:05.006"}},
			{"UTC", []string{"2024-01-02", "08:00:00.000", "2024-01-01 22:04:05.006"}},
		} {
			t.Run(tt.dateTZ, func(t *testing.T) {
				table := "tz_" + strings.ToLower(tt.dateTZ)
				tk := startTask(t, url, map[string]string{KeyAutoCreate: "true", KeyTableNameFormat: table, jdbc.KeyDBTimezone: "America/New_York", KeyDateTimezone: tt.dateTZ})
				put(t, tk, rec(1))
				q := fmt.Sprintf("SELECT CAST(%s AS %s), CAST(%s AS %s), CAST(%s AS %s) FROM %s", ident(t, url, "dt"), cast, ident(t, url, "tm"), cast, ident(t, url, "ts"), cast, ident(t, url, table))
				got := query(t, url, q)[0]
				for i := range got {
					// PostgreSQL's TIME and TIMESTAMP drop trailing zeros.
					if !strings.HasPrefix(tt.want[i], got[i]) || len(got[i]) < 8 {
						t.Errorf("column %d = %q, want %q", i, got[i], tt.want[i])
					}
				}
			})
		}
	})
	t.Run("postgres timestamptz", func(t *testing.T) {
		url := dbtest.Postgres(t)
		dbtest.Exec(t, url, `CREATE TABLE tz (id INT, dt DATE, tm TIME, ts TIMESTAMPTZ)`)
		tk := startTask(t, url, map[string]string{jdbc.KeyDBTimezone: "Asia/Kolkata"})
		put(t, tk, rec(1))
		if got := query(t, url, "SELECT (extract(epoch FROM ts) * 1000)::bigint FROM tz")[0][0]; got != "1704164645006" {
			t.Errorf("instant = %s ms, want 1704164645006", got)
		}
	})
}

func TestAutoEvolve(t *testing.T) {
	v1 := schema("id", connectors.Int32Schema, "name", connectors.OptionalStringSchema)
	v2 := schema("id", connectors.Int32Schema, "name", connectors.OptionalStringSchema, "age", connectors.OptionalInt32Schema)
	withDefault := &connectors.Schema{Type: connectors.String, Default: "n/a"}
	v3 := schema("id", connectors.Int32Schema, "name", connectors.OptionalStringSchema, "age", connectors.OptionalInt32Schema, "note", withDefault)
	required := schema("id", connectors.Int32Schema, "name", connectors.OptionalStringSchema, "code", connectors.StringSchema)
	rec := func(s *connectors.Schema, off int64, kv ...any) connectors.SinkRecord {
		return record("evolve", off, connectors.SchemaAndValue{}, structOf(t, s, kv...))
	}
	forEachDB(t, func(t *testing.T, url string) {
		props := map[string]string{KeyAutoCreate: "true", KeyAutoEvolve: "true", KeyPKMode: "record_value", KeyPKFields: "id"}
		tk := startTask(t, url, props)
		// The schema changes within one Put.
		put(t, tk, rec(v1, 0, "id", int32(1), "name", "a"), rec(v2, 1, "id", int32(2), "name", "b", "age", int32(30)))
		if got := columnTypes(t, url, "evolve")["age"]; !strings.HasSuffix(got, " null") || strings.HasSuffix(got, "not null") {
			t.Errorf("age column = %q, want a nullable column", got)
		}
		put(t, tk, rec(v3, 2, "id", int32(3), "name", "c", "age", int32(40)))
		q := fmt.Sprintf("SELECT %s, %s, %s FROM %s ORDER BY 1", ident(t, url, "id"), ident(t, url, "age"), ident(t, url, "note"), ident(t, url, "evolve"))
		wantRows(t, query(t, url, q), []string{"1", "NULL", "n/a"}, []string{"2", "30", "n/a"}, []string{"3", "40", "n/a"})

		err := tk.Put(context.Background(), []connectors.SinkRecord{rec(required, 3, "id", int32(4), "code", "x")})
		if err == nil || !strings.Contains(err.Error(), "cannot add column code to table evolve: the field is not optional and has no default value") {
			t.Errorf("a required field without default: err = %v", err)
		}

		props[KeyAutoEvolve] = "false"
		v4 := schema("id", connectors.Int32Schema, "extra", connectors.OptionalStringSchema)
		err = startTask(t, url, props).Put(context.Background(), []connectors.SinkRecord{rec(v4, 4, "id", int32(5), "extra", "x")})
		if err == nil || !strings.Contains(err.Error(), "table evolve has no columns extra and auto.evolve is false") {
			t.Errorf("auto.evolve=false: err = %v", err)
		}
	})
}

// Connect values of the wrong Go type fail with the record and column.
func TestBadValueNamesRecordAndColumn(t *testing.T) {
	url := dbtest.SQLite(t)
	tk := startTask(t, url, map[string]string{KeyAutoCreate: "true"})
	s := schema("n", connectors.Int32Schema)
	v := connectors.NewStruct(s)
	v.Put("n", int32(1))
	bad := *s
	bad.Fields = []connectors.Field{{Name: "n", Schema: connectors.StringSchema}}
	err := tk.Put(context.Background(), []connectors.SinkRecord{record("bad", 3, connectors.SchemaAndValue{}, connectors.SchemaAndValue{Schema: &bad, Value: v})})
	if err == nil || !strings.Contains(err.Error(), "record bad-0 at offset 3: column n") {
		t.Errorf("err = %v", err)
	}
}

func TestPlainDecimal(t *testing.T) {
	for _, tt := range []struct {
		unscaled int64
		scale    int32
		want     string
	}{{1, -3, "1000"}, {123, 9, "0.000000123"}, {-1234, 2, "-12.34"}, {5, 0, "5"}, {-5, 1, "-0.5"}, {0, 2, "0.00"}} {
		if got := plainDecimal(connectors.NewDecimal(tt.unscaled, tt.scale)); got != tt.want {
			t.Errorf("plainDecimal(%d, %d) = %q, want %q", tt.unscaled, tt.scale, got, tt.want)
		}
	}
}
