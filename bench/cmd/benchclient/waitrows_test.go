package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
	"github.com/connect-standalone/connect-standalone/internal/dbtest"
)

func TestNextLook(t *testing.T) {
	const min = 100 * time.Millisecond
	for _, tt := range []struct {
		name           string
		n, first, have int64
		elapsed, want  time.Duration
	}{
		{"nothing yet", 1000, 0, 0, time.Second, min},
		{"no progress", 1000, 200, 200, time.Second, min},
		{"no time", 1000, 0, 10, 0, min},
		// 100 rows/s, 800 left: 8 s, half of it capped at 10 × min.
		{"far", 1000, 0, 100, time.Second, time.Second},
		// 1000 rows/s from 100 on, 400 left: 0.4 s, half is 0.2 s.
		{"half of the rest", 1000, 100, 600, 500 * time.Millisecond, 200 * time.Millisecond},
		// 10 left at 1000 rows/s: 5 ms, raised to min.
		{"close", 1000, 0, 990, 990 * time.Millisecond, min},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := nextLook(tt.n, tt.first, tt.have, tt.elapsed, min); got != tt.want {
				t.Errorf("nextLook(%d, %d, %d, %s) = %s, want %s", tt.n, tt.first, tt.have, tt.elapsed, got, tt.want)
			}
		})
	}
}

// postgres creates a new PostgreSQL database, or skips the test as dbtest
// does, and returns its JDBC URL and the pgx connection string of the same
// database.
func postgres(t *testing.T) (url, dsn string) {
	t.Helper()
	url = dbtest.Postgres(t)
	c, err := jdbc.ParseURL(url, "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	return url, c.DSN
}

func TestWaitRows(t *testing.T) {
	url, dsn := postgres(t)
	checkWaiter(t, []string{"wait-rows", "-dsn", dsn, "-query", "SELECT count(*) FROM t", "-n", "3", "-interval", "5ms", "-timeout", "30s"},
		// Table t does not exist at first: that counts as 0 rows.
		func() { dbtest.Exec(t, url, "CREATE TABLE t (id int)", "INSERT INTO t VALUES (1), (2)") },
		func() { dbtest.Exec(t, url, "INSERT INTO t VALUES (3)") })
}

func TestWaitRowsTimeout(t *testing.T) {
	url, dsn := postgres(t)
	dbtest.Exec(t, url, "CREATE TABLE t (id int)")
	var stdout, stderr bytes.Buffer
	args := []string{"wait-rows", "-dsn", dsn, "-query", "SELECT count(*) FROM t", "-n", "2", "-timeout", "300ms"}
	if code := run(args, &stdout, &stderr); code != 1 {
		t.Fatalf("exit code %d, want 1; stderr: %s", code, &stderr)
	}
	if !strings.Contains(stderr.String(), "returned 0 of 2") {
		t.Errorf("stderr %q does not say how many rows the query returned", &stderr)
	}
}

func TestWaitRowsAlreadyThere(t *testing.T) {
	url, dsn := postgres(t)
	dbtest.Exec(t, url, "CREATE TABLE t (id int)", "INSERT INTO t VALUES (1), (2)")
	var stdout, stderr bytes.Buffer
	args := []string{"wait-rows", "-dsn", dsn, "-query", "SELECT count(*) FROM t", "-n", "2", "-timeout", "30s"}
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d; stderr: %s", code, &stderr)
	}
	if lines := strings.Split(strings.TrimSpace(stdout.String()), "\n"); len(lines) != 2 || lines[0] != "ready" {
		t.Errorf("stdout %q, want ready and a time", &stdout)
	}
	if got := stderr.String(); got != "queries: 1\n" {
		t.Errorf("stderr %q, want queries: 1", got)
	}
}
