package source

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
)

// tableID names a table as the JDBC drivers report it: PostgreSQL gives a
// schema, MySQL a catalog (the database), SQLite neither.
type tableID struct {
	catalog, schema, name string
}

func (t tableID) parts() []string {
	var out []string
	for _, p := range []string{t.catalog, t.schema} {
		if p != "" {
			out = append(out, p)
		}
	}
	return append(out, t.name)
}

// unquoted is the qualified name with no quotes, as in Confluent's source
// partitions ("public.orders") and as the regular expressions match it.
func (t tableID) unquoted() string { return strings.Join(t.parts(), ".") }

// quoted is the qualified name with every part quoted the dialect's way.
func (t tableID) quoted(d jdbc.Dialect) string {
	ps := t.parts()
	for i, p := range ps {
		ps[i] = d.QuoteIdent(p)
	}
	return strings.Join(ps, ".")
}

// sql is the qualified name as statements write it, per quote.sql.identifiers.
func (t tableID) sql(c *jdbc.Connection) string {
	ps := t.parts()
	for i, p := range ps {
		ps[i] = c.Ident(p)
	}
	return strings.Join(ps, ".")
}

func compareTables(a, b tableID) int {
	return strings.Compare(a.unquoted(), b.unquoted())
}

// split splits s at sep outside quotes (" or `). With unquote, quotes are
// removed and doubled quote characters inside them undone; without, the
// parts are returned as written.
func split(s string, sep byte, unquote bool) ([]string, error) {
	var out []string
	var cur strings.Builder
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			if i+1 < len(s) && s[i+1] == quote {
				if !unquote {
					cur.WriteByte(c)
				}
				cur.WriteByte(c)
				i++
				continue
			}
			quote = 0
			if !unquote {
				cur.WriteByte(c)
			}
		case quote != 0:
			cur.WriteByte(c)
		case c == '"' || c == '`':
			quote = c
			if !unquote {
				cur.WriteByte(c)
			}
		case c == sep:
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated quote in %q", s)
	}
	return append(out, strings.TrimSpace(cur.String())), nil
}

// parseTableID reads a qualified name as Confluent's parseTableIdentifier:
// one part is a table, two are schema (PostgreSQL) or catalog (MySQL) and
// table, three are catalog, schema and table.
func parseTableID(s string, d jdbc.Dialect) (tableID, error) {
	ps, err := split(strings.TrimSpace(s), '.', true)
	if err != nil {
		return tableID{}, err
	}
	if slices.Contains(ps, "") {
		return tableID{}, fmt.Errorf("invalid table name %q", s)
	}
	switch len(ps) {
	case 1:
		return tableID{name: ps[0]}, nil
	case 2:
		if d == jdbc.MySQL {
			return tableID{catalog: ps[0], name: ps[1]}, nil
		}
		return tableID{schema: ps[0], name: ps[1]}, nil
	case 3:
		if d == jdbc.Postgres {
			// PostgreSQL reports no catalog: a database cannot read another's tables.
			return tableID{schema: ps[1], name: ps[2]}, nil
		}
		return tableID{catalog: ps[0], schema: ps[1], name: ps[2]}, nil
	}
	return tableID{}, fmt.Errorf("invalid table name %q: too many parts", s)
}

// formatTables writes the task config's table list; parseTables reads it.
func formatTables(ts []tableID, d jdbc.Dialect) string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.quoted(d)
	}
	return strings.Join(out, ",")
}

func parseTables(s string, d jdbc.Dialect) ([]tableID, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	names, err := split(s, ',', false)
	if err != nil {
		return nil, err
	}
	out := make([]tableID, 0, len(names))
	for _, n := range names {
		t, err := parseTableID(n, d)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// tableTypeNames maps table.types onto information_schema's table_type and
// sqlite_master's type.
func tableTypeNames(types []string, d jdbc.Dialect) []string {
	var out []string
	for _, t := range types {
		switch strings.ToUpper(t) {
		case "TABLE":
			if d == jdbc.SQLite {
				out = append(out, "table")
			} else {
				out = append(out, "BASE TABLE")
			}
		case "VIEW":
			if d == jdbc.SQLite {
				out = append(out, "view")
			} else {
				out = append(out, "VIEW")
			}
		}
	}
	return out
}

func placeholders(d jdbc.Dialect, from, n int) string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = d.Placeholder(from + i)
	}
	return strings.Join(ps, ",")
}

// discover lists the tables of the database that table.types, the
// patterns and the table filters select, sorted by qualified name.
func discover(ctx context.Context, c *jdbc.Connection, s *settings) ([]tableID, error) {
	d := c.Conn.Dialect
	types := tableTypeNames(s.tableTypes, d)
	args := make([]any, 0, len(types)+1)
	for _, t := range types {
		args = append(args, t)
	}
	var q string
	switch d {
	case jdbc.Postgres:
		q = `SELECT table_schema, table_name FROM information_schema.tables WHERE table_type IN (` + placeholders(d, 1, len(types)) +
			`) AND table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\_%'`
		if s.schemaPattern != nil {
			args = append(args, *s.schemaPattern)
			q += ` AND table_schema LIKE ` + d.Placeholder(len(args))
		}
	case jdbc.MySQL:
		q = `SELECT table_schema, table_name FROM information_schema.tables WHERE table_type IN (` + placeholders(d, 1, len(types)) + `)`
		if s.catalogPattern != nil {
			args = append(args, *s.catalogPattern)
			q += ` AND table_schema LIKE ?`
		} else {
			q += ` AND table_schema = DATABASE()`
		}
	case jdbc.SQLite:
		q = `SELECT '', name FROM sqlite_master WHERE type IN (` + placeholders(d, 1, len(types)) + `) AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`
	default:
		return nil, fmt.Errorf("list tables: unsupported dialect %s", d.Name())
	}
	rows, err := c.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	var out []tableID
	for rows.Next() {
		var ns, name string
		if err := rows.Scan(&ns, &name); err != nil {
			return nil, fmt.Errorf("list tables: %w", err)
		}
		t := tableID{name: name}
		switch d {
		case jdbc.Postgres:
			t.schema = ns
		case jdbc.MySQL:
			t.catalog = ns
		}
		if s.selects(t, d) {
			out = append(out, t)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	slices.SortFunc(out, compareTables)
	return out, nil
}

// selects applies the table filters as Confluent's TableMonitorThread:
// list entries match the unquoted or quoted qualified name or the bare
// table name; regular expressions match the unquoted qualified name.
func (s *settings) selects(t tableID, d jdbc.Dialect) bool {
	if len(s.include) > 0 || len(s.exclude) > 0 {
		name := t.unquoted()
		in := false
		for _, r := range s.include {
			if r.MatchString(name) {
				in = true
				break
			}
		}
		for _, r := range s.exclude {
			if r.MatchString(name) {
				return false
			}
		}
		return in
	}
	listed := func(l []string) bool {
		for _, e := range l {
			if e == t.unquoted() || e == t.quoted(d) || e == t.name {
				return true
			}
		}
		return false
	}
	if len(s.whitelist) > 0 {
		return listed(s.whitelist)
	}
	if len(s.blacklist) > 0 {
		return !listed(s.blacklist)
	}
	return true
}

// checkDuplicates refuses two tables of one name in different schemas or
// databases: their rows would go to the same topic, as Confluent refuses.
func checkDuplicates(ts []tableID) error {
	byName := map[string][]string{}
	for _, t := range ts {
		byName[t.name] = append(byName[t.name], t.unquoted())
	}
	var errs []error
	for _, t := range ts {
		if l := byName[t.name]; len(l) > 1 {
			errs = append(errs, fmt.Errorf("tables %s share the name %s and so the topic; narrow the table filters to one of them", strings.Join(l, ", "), t.name))
			delete(byName, t.name)
		}
	}
	return errors.Join(errs...)
}

// groupTables splits tables into n contiguous groups whose sizes differ by
// at most one, the first ones larger, as Kafka's ConnectorUtils.groupPartitions.
func groupTables(ts []tableID, n int) [][]tableID {
	out := make([][]tableID, 0, n)
	per, extra := len(ts)/n, len(ts)%n
	i := 0
	for g := range n {
		size := per
		if g < extra {
			size++
		}
		out = append(out, ts[i:i+size])
		i += size
	}
	return out
}

// column is what the catalog says of one column.
type column struct {
	name          string
	nullable      bool
	autoIncrement bool
}

// describe reads the columns of a table from the catalog, in table order.
func describe(ctx context.Context, c *jdbc.Connection, t tableID) ([]column, error) {
	var q string
	var args []any
	switch c.Conn.Dialect {
	case jdbc.Postgres:
		q = `SELECT column_name, is_nullable = 'YES', COALESCE(column_default LIKE 'nextval(%', false) OR is_identity = 'YES'
			FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`
		args = []any{t.schema, t.name}
	case jdbc.MySQL:
		q = `SELECT column_name, is_nullable = 'YES', extra LIKE '%auto_increment%'
			FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position`
		args = []any{t.catalog, t.name}
	case jdbc.SQLite:
		// An INTEGER PRIMARY KEY is the rowid: never null, and assigned
		// increasing values when none is given.
		q = `SELECT name, "notnull" = 0 AND NOT (pk = 1 AND upper(type) = 'INTEGER'),
			pk = 1 AND upper(type) = 'INTEGER' AND (SELECT count(*) FROM pragma_table_info(?1) WHERE pk > 0) = 1
			FROM pragma_table_info(?1) ORDER BY cid`
		args = []any{t.name}
	default:
		return nil, fmt.Errorf("describe %s: unsupported dialect %s", t.unquoted(), c.Conn.Dialect.Name())
	}
	rows, err := c.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("describe table %s: %w", t.unquoted(), err)
	}
	defer rows.Close()
	var out []column
	for rows.Next() {
		var col column
		var nullable, auto sql.NullBool
		if err := rows.Scan(&col.name, &nullable, &auto); err != nil {
			return nil, fmt.Errorf("describe table %s: %w", t.unquoted(), err)
		}
		col.nullable, col.autoIncrement = nullable.Bool, auto.Bool
		out = append(out, col)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("describe table %s: %w", t.unquoted(), err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("describe table %s: the table does not exist or has no columns", t.unquoted())
	}
	return out, nil
}

// findColumn finds name among cols exactly, or else case-insensitively
// when that is unambiguous, as Confluent falls back for timestamp columns.
func findColumn(cols []column, name string) (column, bool) {
	var folded []column
	for _, c := range cols {
		if c.name == name {
			return c, true
		}
		if strings.EqualFold(c.name, name) {
			folded = append(folded, c)
		}
	}
	if len(folded) == 1 {
		return folded[0], true
	}
	return column{}, false
}
