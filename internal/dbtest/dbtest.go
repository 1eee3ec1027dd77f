// Package dbtest gives tests a fresh database on the real servers the JDBC
// connectors are tested against: PostgreSQL and MariaDB (or MySQL) when
// they are reachable, and SQLite always. Each call creates a database of
// its own, dropped when the test ends, and returns its JDBC URL.
//
// The servers are found at JDBC_TEST_POSTGRES (default
// jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres) and
// JDBC_TEST_MYSQL (default jdbc:mariadb://127.0.0.1:3306/mysql?user=root).
// A test skips when its server is unreachable, saying so, except with
// CI=true, where it fails: CI must run them.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
)

const (
	defaultPostgres = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"
	defaultMySQL    = "jdbc:mariadb://127.0.0.1:3306/mysql?user=root"
)

// Postgres returns the JDBC URL of a new, empty PostgreSQL database.
func Postgres(t testing.TB) string {
	t.Helper()
	return fresh(t, "JDBC_TEST_POSTGRES", defaultPostgres)
}

// MySQL returns the JDBC URL of a new, empty MariaDB or MySQL database.
func MySQL(t testing.TB) string {
	t.Helper()
	return fresh(t, "JDBC_TEST_MYSQL", defaultMySQL)
}

// SQLite returns the JDBC URL of a new SQLite database file.
func SQLite(t testing.TB) string {
	t.Helper()
	return "jdbc:sqlite:" + filepath.Join(t.TempDir(), "test.db")
}

// All are the databases by name, for table-driven tests that run against
// each: the servers and SQLite.
var All = map[string]func(testing.TB) string{
	"postgres": Postgres,
	"mariadb":  MySQL,
	"sqlite":   SQLite,
}

// Open connects to a URL this package returned, closed when the test ends.
func Open(t testing.TB, url string) (*sql.DB, jdbc.Dialect) {
	t.Helper()
	c, err := jdbc.ParseURL(url, "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	db, err := jdbc.Open(context.Background(), c, 1, 0, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, c.Dialect
}

// Exec runs statements on url's database, failing the test on an error.
func Exec(t testing.TB, url string, stmts ...string) {
	t.Helper()
	db, _ := Open(t, url)
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func fresh(t testing.TB, env, def string) string {
	t.Helper()
	admin := os.Getenv(env)
	if admin == "" {
		admin = def
	}
	c, err := jdbc.ParseURL(admin, "", "", "")
	if err != nil {
		t.Fatalf("%s: %v", env, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db, err := jdbc.Open(ctx, c, 1, 0, slog.New(slog.DiscardHandler))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("database server for %s unreachable (CI=true: server tests must run): %v", env, err)
		}
		t.Skipf("database server unreachable, skipping (set %s to use another): %v", env, err)
	}
	defer db.Close()
	name := "cs_test_" + strings.ToLower(rand.Text()[:12])
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		db, err := jdbc.Open(context.Background(), c, 1, 0, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Logf("drop database %s: %v", name, err)
			return
		}
		defer db.Close()
		drop := "DROP DATABASE " + name
		if c.Dialect == jdbc.Postgres {
			drop += " WITH (FORCE)"
		}
		if _, err := db.Exec(drop); err != nil {
			t.Logf("%s: %v", drop, err)
		}
	})
	return swapDatabase(admin, name)
}

// swapDatabase replaces the database part of a jdbc:<sub>://host/db?params URL.
func swapDatabase(url, name string) string {
	prefix, rest, _ := strings.Cut(url, "://")
	host, after, _ := strings.Cut(rest, "/")
	_, query, hasQuery := strings.Cut(after, "?")
	out := fmt.Sprintf("%s://%s/%s", prefix, host, name)
	if hasQuery {
		out += "?" + query
	}
	return out
}
