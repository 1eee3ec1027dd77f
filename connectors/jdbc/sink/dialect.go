package sink

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
)

// tableID names a table, with the schema (PostgreSQL, SQLite) or database
// (MySQL) it is in when the name says.
type tableID struct {
	schema string
	name   string
}

// parseTableID splits a table.name.format result at its dots, as
// Confluent's parseTableIdentifier: the last part is the table, the one
// before it the schema; a PostgreSQL catalog before that is ignored.
func parseTableID(s string) tableID {
	parts := strings.Split(s, ".")
	id := tableID{name: parts[len(parts)-1]}
	if len(parts) > 1 {
		id.schema = parts[len(parts)-2]
	}
	return id
}

func (t tableID) String() string {
	if t.schema == "" {
		return t.name
	}
	return t.schema + "." + t.name
}

// sqlWriter writes the SQL of one database: DDL from Connect schemas, the
// statements of each insert mode, and Connect values as driver arguments.
type sqlWriter struct {
	conn    *jdbc.Connection
	d       jdbc.Dialect
	loc     *time.Location // db.timezone
	dateLoc *time.Location // date.timezone
}

func (w *sqlWriter) table(t tableID) string {
	if t.schema == "" {
		return w.conn.Ident(t.name)
	}
	return w.conn.Ident(t.schema) + "." + w.conn.Ident(t.name)
}

// sqlType is the column type of c, as Confluent's getSqlType of each
// dialect, except for MySQL key columns (see below).
func (w *sqlWriter) sqlType(c column) (string, error) {
	s := c.schema
	switch w.d {
	case jdbc.Postgres:
		switch s.Name {
		case connectors.DecimalName:
			return "DECIMAL", nil
		case connectors.DateName:
			return "DATE", nil
		case connectors.TimeName:
			return "TIME", nil
		case connectors.TimestampName:
			return "TIMESTAMP", nil
		}
		switch s.Type {
		case connectors.Int8, connectors.Int16:
			return "SMALLINT", nil
		case connectors.Int32:
			return "INT", nil
		case connectors.Int64:
			return "BIGINT", nil
		case connectors.Float32:
			return "REAL", nil
		case connectors.Float64:
			return "DOUBLE PRECISION", nil
		case connectors.Boolean:
			return "BOOLEAN", nil
		case connectors.String:
			return "TEXT", nil
		case connectors.Bytes:
			return "BYTEA", nil
		}
	case jdbc.MySQL:
		switch s.Name {
		case connectors.DecimalName:
			scale, err := connectors.DecimalScale(s)
			if err != nil {
				return "", fmt.Errorf("column %s: %w", c.name, err)
			}
			// 65 is MySQL's largest precision.
			return fmt.Sprintf("DECIMAL(65,%d)", scale), nil
		case connectors.DateName:
			return "DATE", nil
		case connectors.TimeName:
			return "TIME(3)", nil
		case connectors.TimestampName:
			return "DATETIME(3)", nil
		}
		switch s.Type {
		case connectors.Int8, connectors.Boolean:
			return "TINYINT", nil
		case connectors.Int16:
			return "SMALLINT", nil
		case connectors.Int32:
			return "INT", nil
		case connectors.Int64:
			return "BIGINT", nil
		case connectors.Float32:
			return "FLOAT", nil
		case connectors.Float64:
			return "DOUBLE", nil
		case connectors.String:
			// MySQL cannot index a TEXT column without a prefix length,
			// so Confluent's TEXT fails as a primary key; 255 characters
			// of utf8mb4 fit InnoDB's 3072-byte key limit.
			if c.key {
				return "VARCHAR(255)", nil
			}
			return "TEXT", nil
		case connectors.Bytes:
			return "VARBINARY(1024)", nil
		}
	case jdbc.SQLite:
		switch s.Name {
		case connectors.DecimalName, connectors.DateName, connectors.TimeName, connectors.TimestampName:
			return "NUMERIC", nil
		}
		switch s.Type {
		case connectors.Boolean, connectors.Int8, connectors.Int16, connectors.Int32, connectors.Int64:
			return "INTEGER", nil
		case connectors.Float32, connectors.Float64:
			return "REAL", nil
		case connectors.String:
			return "TEXT", nil
		case connectors.Bytes:
			return "BLOB", nil
		}
	}
	return "", fmt.Errorf("column %s: %s (%s) has no column type in %s", c.name, typeName(s), s.Name, w.d.Name())
}

// columnSpec is a column of CREATE TABLE or ALTER TABLE ADD: a column
// with a default takes it and stays nullable, as Confluent writes it.
func (w *sqlWriter) columnSpec(c column) (string, error) {
	typ, err := w.sqlType(c)
	if err != nil {
		return "", err
	}
	spec := w.conn.Ident(c.name) + " " + typ
	switch {
	case c.schema.Default != nil:
		lit, err := w.literal(c.schema, c.schema.Default)
		if err != nil {
			return "", fmt.Errorf("default of column %s: %w", c.name, err)
		}
		return spec + " DEFAULT " + lit, nil
	case c.nullable():
		return spec + " NULL", nil
	}
	return spec + " NOT NULL", nil
}

func (w *sqlWriter) createTable(t tableID, cols []column) (string, error) {
	var b strings.Builder
	b.WriteString("CREATE TABLE " + w.table(t) + " (")
	var keys []string
	for i, c := range cols {
		spec, err := w.columnSpec(c)
		if err != nil {
			return "", fmt.Errorf("create table %s: %w", t, err)
		}
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n" + spec)
		if c.key {
			keys = append(keys, w.conn.Ident(c.name))
		}
	}
	if len(keys) > 0 {
		b.WriteString(",\nPRIMARY KEY(" + strings.Join(keys, ",") + ")")
	}
	b.WriteString(")")
	return b.String(), nil
}

// alterTable adds cols: in one statement, or one per column in SQLite,
// whose ALTER TABLE adds only one.
func (w *sqlWriter) alterTable(t tableID, cols []column) ([]string, error) {
	specs := make([]string, len(cols))
	for i, c := range cols {
		spec, err := w.columnSpec(c)
		if err != nil {
			return nil, fmt.Errorf("alter table %s: %w", t, err)
		}
		specs[i] = "ADD " + spec
	}
	if w.d == jdbc.SQLite {
		out := make([]string, len(specs))
		for i, s := range specs {
			out[i] = "ALTER TABLE " + w.table(t) + " " + s
		}
		return out, nil
	}
	return []string{"ALTER TABLE " + w.table(t) + " " + strings.Join(specs, ", ")}, nil
}

// placeholders numbers the bind parameters of a statement as it is built.
type placeholders struct {
	d jdbc.Dialect
	n int
}

func (p *placeholders) next() string {
	p.n++
	return p.d.Placeholder(p.n)
}

// castFor is the PostgreSQL cast a parameter needs to go into a column of
// the given type: text arguments are not implicitly converted to these.
func castFor(d jdbc.Dialect, columnType string) string {
	if d != jdbc.Postgres {
		return ""
	}
	switch strings.ToLower(columnType) {
	case "json", "jsonb", "uuid":
		return "::" + strings.ToLower(columnType)
	}
	return ""
}

// insert is INSERT INTO t (cols) VALUES (...), rows times, followed for
// upsert mode by the dialect's conflict clause.
func (w *sqlWriter) insert(t tableID, def *tableDef, keys, nonKeys []column, rows int, upsert bool) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + w.table(t) + " (")
	all := append(append([]column(nil), keys...), nonKeys...)
	for i, c := range all {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(w.conn.Ident(c.name))
	}
	b.WriteString(") VALUES ")
	p := placeholders{d: w.d}
	for r := range rows {
		if r > 0 {
			b.WriteString(",")
		}
		b.WriteString("(")
		for i, c := range all {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(p.next() + castFor(w.d, def.typeOf(c.name)))
		}
		b.WriteString(")")
	}
	if !upsert {
		return b.String()
	}
	set := func(format string, cols []column) {
		for i, c := range cols {
			if i > 0 {
				b.WriteString(",")
			}
			id := w.conn.Ident(c.name)
			fmt.Fprintf(&b, format, id, id)
		}
	}
	switch w.d {
	case jdbc.MySQL:
		b.WriteString(" ON DUPLICATE KEY UPDATE ")
		if len(nonKeys) == 0 {
			set("%s=VALUES(%s)", keys)
		} else {
			set("%s=VALUES(%s)", nonKeys)
		}
	default:
		b.WriteString(" ON CONFLICT (")
		for i, c := range keys {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(w.conn.Ident(c.name))
		}
		if len(nonKeys) == 0 {
			b.WriteString(") DO NOTHING")
		} else {
			b.WriteString(") DO UPDATE SET ")
			set("%s=EXCLUDED.%s", nonKeys)
		}
	}
	return b.String()
}

// update is UPDATE t SET nonKeys WHERE keys, binding the non-key columns
// first, as Confluent's.
func (w *sqlWriter) update(t tableID, def *tableDef, keys, nonKeys []column) string {
	p := placeholders{d: w.d}
	sets := make([]string, len(nonKeys))
	for i, c := range nonKeys {
		sets[i] = w.conn.Ident(c.name) + " = " + p.next() + castFor(w.d, def.typeOf(c.name))
	}
	return "UPDATE " + w.table(t) + " SET " + strings.Join(sets, ", ") + " WHERE " + w.where(&p, def, keys)
}

func (w *sqlWriter) delete(t tableID, def *tableDef, keys []column) string {
	p := placeholders{d: w.d}
	return "DELETE FROM " + w.table(t) + " WHERE " + w.where(&p, def, keys)
}

func (w *sqlWriter) where(p *placeholders, def *tableDef, keys []column) string {
	conds := make([]string, len(keys))
	for i, c := range keys {
		conds[i] = w.conn.Ident(c.name) + " = " + p.next() + castFor(w.d, def.typeOf(c.name))
	}
	return strings.Join(conds, " AND ")
}

// maxParams is how many bind parameters one statement may have.
func (w *sqlWriter) maxParams() int {
	if w.d == jdbc.SQLite {
		return 32766 // SQLITE_MAX_VARIABLE_NUMBER since 3.32
	}
	return 65535 // both wire protocols count parameters in 16 bits
}

// arg converts a Connect value of schema s to what the driver binds.
// Dates and times go as text in db.timezone (DATE in date.timezone),
// which every database parses into its zone-less column types; for
// PostgreSQL a timestamp carries its offset too, which TIMESTAMP columns
// ignore and TIMESTAMPTZ columns use. Decimals go as exact text.
func (w *sqlWriter) arg(s *connectors.Schema, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch s.Name {
	case connectors.DecimalName:
		d, ok := v.(connectors.Decimal)
		if !ok {
			return nil, fmt.Errorf("a Decimal must be a connectors.Decimal, not %T", v)
		}
		return plainDecimal(d), nil
	case connectors.DateName, connectors.TimeName, connectors.TimestampName:
		t, ok := v.(time.Time)
		if !ok {
			return nil, fmt.Errorf("a %s must be a time.Time, not %T", s.Name, v)
		}
		return w.formatTime(s.Name, t, w.d == jdbc.Postgres), nil
	}
	switch s.Type {
	case connectors.Int8, connectors.Int16, connectors.Int32, connectors.Int64:
		switch n := v.(type) {
		case int8:
			return int64(n), nil
		case int16:
			return int64(n), nil
		case int32:
			return int64(n), nil
		case int64:
			return n, nil
		}
	case connectors.Float32:
		if f, ok := v.(float32); ok {
			return float64(f), nil
		}
	case connectors.Float64:
		if f, ok := v.(float64); ok {
			return f, nil
		}
	case connectors.Boolean:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case connectors.String:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case connectors.Bytes:
		if b, ok := v.([]byte); ok {
			return b, nil
		}
	default:
		return nil, fmt.Errorf("%s values have no column type", typeName(s))
	}
	return nil, fmt.Errorf("a %s value must not be a %T", typeName(s), v)
}

// formatTime writes a Date, Time or Timestamp as the database reads it.
func (w *sqlWriter) formatTime(logical string, t time.Time, offset bool) string {
	switch logical {
	case connectors.DateName:
		return t.In(w.dateLoc).Format(time.DateOnly)
	case connectors.TimeName:
		return t.In(w.loc).Format("15:04:05.000")
	}
	if offset {
		return t.In(w.loc).Format("2006-01-02 15:04:05.000-07:00")
	}
	return t.In(w.loc).Format("2006-01-02 15:04:05.000")
}

// plainDecimal writes d without an exponent, which every database's
// DECIMAL input accepts: 1E+3 becomes 1000 and 1.23E-7 0.000000123.
func plainDecimal(d connectors.Decimal) string {
	u := d.Unscaled
	if u == nil {
		u = new(big.Int)
	}
	neg := u.Sign() < 0
	digits := new(big.Int).Abs(u).String()
	scale := int(d.Scale)
	switch {
	case scale <= 0:
		digits += strings.Repeat("0", -scale)
	case len(digits) > scale:
		digits = digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
	default:
		digits = "0." + strings.Repeat("0", scale-len(digits)) + digits
	}
	if neg {
		return "-" + digits
	}
	return digits
}

// literal writes v as a SQL literal of a column of schema s, for DEFAULT.
func (w *sqlWriter) literal(s *connectors.Schema, v any) (string, error) {
	a, err := w.arg(s, v)
	if err != nil {
		return "", err
	}
	switch a := a.(type) {
	case int64:
		return strconv.FormatInt(a, 10), nil
	case float64:
		return strconv.FormatFloat(a, 'g', -1, 64), nil
	case bool:
		if w.d == jdbc.Postgres {
			return strings.ToUpper(strconv.FormatBool(a)), nil
		}
		if a {
			return "1", nil
		}
		return "0", nil
	case []byte:
		if w.d == jdbc.Postgres {
			return `'\x` + hex.EncodeToString(a) + `'::bytea`, nil
		}
		return "X'" + hex.EncodeToString(a) + "'", nil
	case string:
		if s.Name == connectors.DecimalName {
			return a, nil
		}
		if s.Name == connectors.TimestampName {
			a = w.formatTime(s.Name, v.(time.Time), false)
		}
		return w.quoteString(a), nil
	}
	return "", fmt.Errorf("no literal for %T", a)
}

func (w *sqlWriter) quoteString(s string) string {
	s = strings.ReplaceAll(s, "'", "''")
	if w.d == jdbc.MySQL {
		// MySQL reads backslash escapes in string literals by default.
		s = strings.ReplaceAll(s, `\`, `\\`)
	}
	return "'" + s + "'"
}
