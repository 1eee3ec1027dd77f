package sink

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
)

// tableDef is what the sink knows of an existing table.
type tableDef struct {
	id      tableID // as the database spells it
	kind    string  // TABLE, VIEW, ...
	columns map[string]string
	folded  map[string]bool // lower-cased column names
}

// typeOf is the database type of the column named name, "" if unknown.
func (d *tableDef) typeOf(name string) string {
	if d == nil {
		return ""
	}
	return d.columns[name]
}

// has reports whether the table has the column, ignoring case as
// Confluent does: unquoted names are folded by the database.
func (d *tableDef) has(name string) bool {
	_, ok := d.columns[name]
	return ok || d.folded[strings.ToLower(name)]
}

// describe reads the definition of t, or returns nil when there is no
// table of that name (ignoring case, preferring an exact match) among the
// kinds table.types allows.
func describe(ctx context.Context, db *sql.DB, d jdbc.Dialect, t tableID, kinds map[string]bool) (*tableDef, error) {
	var q string
	var args []any
	schema := any(nil)
	if t.schema != "" {
		schema = t.schema
	}
	switch d {
	case jdbc.Postgres:
		q = `SELECT table_schema, table_name, table_type FROM information_schema.tables
			WHERE table_schema = COALESCE($1::text, current_schema()) AND lower(table_name) = lower($2)`
		args = []any{schema, t.name}
	case jdbc.MySQL:
		q = `SELECT table_schema, table_name, table_type FROM information_schema.tables
			WHERE table_schema = COALESCE(?, DATABASE()) AND lower(table_name) = lower(?)`
		args = []any{schema, t.name}
	case jdbc.SQLite:
		master := "sqlite_master"
		if t.schema != "" {
			master = jdbc.SQLite.QuoteIdent(t.schema) + ".sqlite_master"
		}
		q = `SELECT ?, name, type FROM ` + master + ` WHERE type IN ('table', 'view') AND lower(name) = lower(?)`
		args = []any{t.schema, t.name}
	}
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, &dbError{fmt.Errorf("look up table %s: %w", t, err)}
	}
	var found *tableDef
	for rows.Next() {
		var id tableID
		var kind string
		if err := rows.Scan(&id.schema, &id.name, &kind); err != nil {
			rows.Close()
			return nil, &dbError{fmt.Errorf("look up table %s: %w", t, err)}
		}
		kind = tableKind(kind)
		if !kinds[kind] || found != nil && found.id.name == t.name {
			continue
		}
		found = &tableDef{id: id, kind: kind}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, &dbError{fmt.Errorf("look up table %s: %w", t, err)}
	}
	if found == nil {
		return nil, nil
	}
	if err := readColumns(ctx, db, d, found); err != nil {
		return nil, &dbError{fmt.Errorf("read the columns of table %s: %w", t, err)}
	}
	return found, nil
}

// tableKind maps a database's table type onto table.types' names.
func tableKind(s string) string {
	switch strings.ToUpper(s) {
	case "BASE TABLE", "TABLE":
		return "TABLE"
	case "VIEW", "SYSTEM VIEW":
		return "VIEW"
	}
	return strings.ToUpper(s)
}

func readColumns(ctx context.Context, db *sql.DB, d jdbc.Dialect, t *tableDef) error {
	var rows *sql.Rows
	var err error
	switch d {
	case jdbc.Postgres:
		rows, err = db.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
			WHERE table_schema = $1 AND table_name = $2`, t.id.schema, t.id.name)
	case jdbc.MySQL:
		rows, err = db.QueryContext(ctx, `SELECT column_name, column_type FROM information_schema.columns
			WHERE table_schema = ? AND table_name = ?`, t.id.schema, t.id.name)
	case jdbc.SQLite:
		if t.id.schema == "" {
			rows, err = db.QueryContext(ctx, "SELECT name, type FROM pragma_table_info(?)", t.id.name)
		} else {
			rows, err = db.QueryContext(ctx, "SELECT name, type FROM pragma_table_info(?, ?)", t.id.name, t.id.schema)
		}
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	t.columns, t.folded = map[string]string{}, map[string]bool{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return err
		}
		t.columns[name] = typ
		t.folded[strings.ToLower(name)] = true
	}
	return rows.Err()
}
