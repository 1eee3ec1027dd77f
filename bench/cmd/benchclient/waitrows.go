package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// undefinedTable is PostgreSQL's SQLSTATE for a missing table.
const undefinedTable = "42P01"

// waitRows connects to PostgreSQL at dsn (a URL or key=value connection
// string), prints "ready", then runs query, which must return one integer,
// until it returns n or more, and prints the Unix time in microseconds at
// which that last query started: the rows were visible to its snapshot.
// A query on a table that does not exist yet returns 0. On success it also
// prints "queries: N" to stderr, how many times query ran.
//
// A count(*) over a large table costs the server a scan each time, so the
// looks are spaced out: each waits about half the time left at the rate
// seen so far, between interval and 10 × interval. The session never uses
// parallel workers, so a look takes one core at most, and is named
// benchclient (application_name) so that it can be told apart from the
// process being measured.
func waitRows(dsn, query string, n int64, interval, timeout time.Duration, stdout, stderr io.Writer) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return err
	}
	cfg.RuntimeParams["application_name"] = "benchclient"
	cfg.RuntimeParams["max_parallel_workers_per_gather"] = "0"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := fmt.Fprintln(stdout, "ready"); err != nil {
		return err
	}

	var first, have int64
	var since time.Time
	for looks := 0; ; looks++ {
		at := time.Now()
		err := conn.QueryRow(ctx, query).Scan(&have)
		if pgErr := (*pgconn.PgError)(nil); errors.As(err, &pgErr) && pgErr.Code == undefinedTable {
			have, err = 0, nil
		}
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("%q returned %d of %d after %s", query, have, n, timeout)
			}
			return fmt.Errorf("%s: %w", query, err)
		}
		if have >= n {
			if _, err := fmt.Fprintln(stdout, at.UnixMicro()); err != nil {
				return err
			}
			_, err := fmt.Fprintf(stderr, "queries: %d\n", looks+1)
			return err
		}
		if looks == 0 {
			first, since = have, at
		}
		wait := nextLook(n, first, have, at.Sub(since), interval)
		select {
		case <-ctx.Done():
			return fmt.Errorf("%q returned %d of %d after %s", query, have, n, timeout)
		case <-time.After(wait):
		}
	}
}

// nextLook is how long to wait before the next look when have of n rows
// are there, first were there at the first look, elapsed ago: half the
// time the rest would take at the rate since then, within [min, 10 × min].
// With no progress yet it waits min: the writer may be about to start.
func nextLook(n, first, have int64, elapsed, min time.Duration) time.Duration {
	max := 10 * min
	if have <= first || elapsed <= 0 {
		return min
	}
	perRow := float64(elapsed) / float64(have-first)
	wait := time.Duration(perRow * float64(n-have) / 2)
	return minmax(wait, min, max)
}

func minmax(d, lo, hi time.Duration) time.Duration {
	return max(lo, min(d, hi))
}
