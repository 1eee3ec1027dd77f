// Package jdbc holds what Confluent's JDBC source and sink connectors
// (io.confluent.connect.jdbc) share: the connection keys, JDBC URLs mapped
// onto Go's database drivers, and the database dialects. The connectors
// themselves are in the source and sink subpackages.
//
// Supported URLs, as the JDBC drivers spell them:
//
//	jdbc:postgresql://host[:port]/database[?user=...&password=...&sslmode=...&currentSchema=...]
//	jdbc:mysql://host[:port]/database[?user=...&password=...&useSSL=...]
//	jdbc:mariadb://host[:port]/database[?...]
//	jdbc:sqlite:path/to/file.db   (or jdbc:sqlite::memory:)
//
// PostgreSQL goes through pgx, MySQL and MariaDB through
// go-sql-driver/mysql, SQLite through modernc.org/sqlite, a pure-Go build
// of SQLite.
package jdbc

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	// The database/sql drivers the URLs map onto.
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// Dialect is a database's flavour of SQL, Confluent's DatabaseDialect.
type Dialect int

const (
	Postgres Dialect = iota + 1
	MySQL            // MySQL and MariaDB
	SQLite
)

// Name is Confluent's dialect class name, as dialect.name takes it.
func (d Dialect) Name() string {
	switch d {
	case Postgres:
		return "PostgreSqlDatabaseDialect"
	case MySQL:
		return "MySqlDatabaseDialect"
	case SQLite:
		return "SqliteDatabaseDialect"
	}
	return "unknown"
}

// DialectNames are the dialect.name values accepted.
var DialectNames = []string{"PostgreSqlDatabaseDialect", "MySqlDatabaseDialect", "SqliteDatabaseDialect"}

func dialectNamed(name string) (Dialect, bool) {
	for _, d := range []Dialect{Postgres, MySQL, SQLite} {
		if d.Name() == name {
			return d, true
		}
	}
	return 0, false
}

// QuoteIdent quotes one identifier: "name" in PostgreSQL and SQLite,
// `name` in MySQL, doubling quote characters inside it.
func (d Dialect) QuoteIdent(id string) string {
	q := `"`
	if d == MySQL {
		q = "`"
	}
	return q + strings.ReplaceAll(id, q, q+q) + q
}

// Placeholder is the i-th (from 1) bind parameter of a statement.
func (d Dialect) Placeholder(i int) string {
	if d == Postgres {
		return fmt.Sprintf("$%d", i)
	}
	return "?"
}

// Conn is a parsed connection.url: which driver to open with which data
// source name.
type Conn struct {
	Dialect Dialect
	Driver  string // the database/sql driver name
	DSN     string
	// Display is the URL without its password, for messages and logs.
	Display string
}

// ErrURL is wrapped by ParseURL's errors.
var ErrURL = errors.New("unsupported connection.url")

// ParseURL maps a JDBC URL and the connection.user and connection.password
// keys onto a Go driver. The keys win over user and password parameters in
// the URL. dialectName, when not "", must match the URL's database.
func ParseURL(jdbcURL, user, password, dialectName string) (Conn, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(jdbcURL), "jdbc:")
	if !ok {
		return Conn{}, fmt.Errorf("%w: %q does not start with jdbc:", ErrURL, jdbcURL)
	}
	var c Conn
	var err error
	switch {
	case strings.HasPrefix(rest, "postgresql:"):
		c, err = postgresConn(rest, user, password)
	case strings.HasPrefix(rest, "mysql:"), strings.HasPrefix(rest, "mariadb:"):
		c, err = mysqlConn(rest, user, password)
	case strings.HasPrefix(rest, "sqlite:"):
		c, err = sqliteConn(rest)
	default:
		sub, _, _ := strings.Cut(rest, ":")
		return Conn{}, fmt.Errorf("%w: %s databases are not supported (postgresql, mysql, mariadb and sqlite are)", ErrURL, sub)
	}
	if err != nil {
		return Conn{}, fmt.Errorf("%w: %w", ErrURL, err)
	}
	if dialectName != "" {
		d, ok := dialectNamed(dialectName)
		if !ok {
			return Conn{}, fmt.Errorf("dialect.name %q is not supported (one of %s)", dialectName, strings.Join(DialectNames, ", "))
		}
		if d != c.Dialect {
			return Conn{}, fmt.Errorf("dialect.name %s does not match connection.url %s", dialectName, c.Display)
		}
	}
	return c, nil
}

// Open connects, trying connection.attempts times with connection.backoff.ms
// between the tries, as Confluent's CachedConnectionProvider does.
func Open(ctx context.Context, c Conn, attempts int, backoff time.Duration, log *slog.Logger) (*sql.DB, error) {
	db, err := sql.Open(c.Driver, c.DSN)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", c.Display, err)
	}
	if c.Dialect == SQLite {
		// SQLite allows one writer at a time; one connection avoids
		// "database is locked" between the pool's own connections, and
		// keeps an in-memory database a single database.
		db.SetMaxOpenConns(1)
	}
	attempts = max(attempts, 1)
	for i := 1; ; i++ {
		err = db.PingContext(ctx)
		if err == nil {
			return db, nil
		}
		if i >= attempts || ctx.Err() != nil {
			db.Close()
			return nil, fmt.Errorf("connect to %s (%d attempts): %w", c.Display, i, err)
		}
		log.Warn("could not connect to the database; retrying", "url", c.Display, "attempt", i, "of", attempts, "backoff", backoff, "error", err)
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
		}
	}
}
