package jdbc

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
)

// The connection keys both connectors read, spelled as Confluent's.
const (
	KeyURL          = "connection.url"
	KeyUser         = "connection.user"
	KeyPassword     = "connection.password"
	KeyAttempts     = "connection.attempts"
	KeyBackoff      = "connection.backoff.ms"
	KeyDialect      = "dialect.name"
	KeyQuote        = "quote.sql.identifiers"
	KeyDBTimezone   = "db.timezone"
	groupConnection = "Database"
)

// ConnectionDef declares the keys of the database connection.
var ConnectionDef = &config.Def{Keys: []config.Key{
	{
		Name: KeyURL, Type: config.String, Required: true,
		Validate:   config.NonEmptyString(),
		Importance: config.High, Group: groupConnection,
		Doc: "JDBC connection URL: jdbc:postgresql://host:port/database, jdbc:mysql://host:port/database, jdbc:mariadb://host:port/database or jdbc:sqlite:file. PostgreSQL's sslmode, ssl, currentSchema, ApplicationName and connectTimeout parameters and MySQL's useSSL, sslMode and connectTimeout are honoured.",
	},
	{
		Name: KeyUser, Type: config.String, Default: "",
		Importance: config.High, Group: groupConnection,
		Doc: "JDBC connection user. It takes the place of a user parameter in the URL.",
	},
	{
		Name: KeyPassword, Type: config.Password,
		Importance: config.High, Group: groupConnection,
		Doc: "JDBC connection password. It takes the place of a password parameter in the URL. Keep it out of the file with a config provider, e.g. ${file:/etc/connect/db.properties:password}.",
	},
	{
		Name: KeyAttempts, Type: config.Int, Default: int32(3),
		Validate:   config.AtLeast(1),
		Importance: config.Low, Group: groupConnection,
		Doc: "Maximum number of attempts to connect to the database.",
	},
	{
		Name: KeyBackoff, Type: config.Long, Default: int64(10000),
		Validate:   config.AtLeast(0),
		Importance: config.Low, Group: groupConnection,
		Doc: "Backoff time in milliseconds between connection attempts.",
	},
	{
		Name: KeyDialect, Type: config.String, Default: "",
		Validate:   config.In(append([]string{""}, DialectNames...)...),
		Importance: config.Low, Group: groupConnection,
		Doc: "The name of the database dialect; empty means the dialect the URL names. It must agree with the URL.",
	},
	{
		Name: KeyQuote, Type: config.String, Default: "always",
		Validate:   config.OneOf("always", "never"),
		Importance: config.Medium, Group: groupConnection,
		Doc: "When to quote table names, column names and other identifiers in SQL statements: always, or never (names are then written as given, and the database folds their case).",
	},
	{
		Name: KeyDBTimezone, Type: config.String, Default: "UTC",
		Validate: config.Described("a timezone ID such as UTC or Europe/Paris", func(v any) error {
			if s, ok := v.(string); ok {
				if _, err := time.LoadLocation(s); err != nil || s == "" || s == "Local" {
					return fmt.Errorf("unknown timezone %q", s)
				}
			}
			return nil
		}),
		Importance: config.Medium, Group: groupConnection,
		Doc: "The timezone of date and time values in columns without a zone (TIMESTAMP, DATETIME, DATE, TIME): how they are read into and written from Connect's UTC-based logical types.",
	},
}}

// Connection is an open database with its settings.
type Connection struct {
	DB       *sql.DB
	Conn     Conn
	Quote    bool // quote.sql.identifiers=always
	Location *time.Location
}

// Connect opens the database v's keys (from ConnectionDef) name.
func Connect(ctx context.Context, v config.Values, log *slog.Logger) (*Connection, error) {
	c, err := ParseURL(v.String(KeyURL), v.String(KeyUser), v.Password(KeyPassword).Value(), v.String(KeyDialect))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", KeyURL, err)
	}
	loc, err := time.LoadLocation(v.String(KeyDBTimezone))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", KeyDBTimezone, err)
	}
	db, err := Open(ctx, c, v.Int(KeyAttempts), time.Duration(v.Long(KeyBackoff))*time.Millisecond, log)
	if err != nil {
		return nil, err
	}
	return &Connection{DB: db, Conn: c, Quote: v.String(KeyQuote) == "always", Location: loc}, nil
}

// Ident writes an identifier as quote.sql.identifiers says.
func (c *Connection) Ident(id string) string {
	if !c.Quote {
		return id
	}
	return c.Conn.Dialect.QuoteIdent(id)
}
