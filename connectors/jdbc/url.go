package jdbc

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

// splitJDBC splits "//host:port/db?params" into its parts.
func splitJDBC(s string) (host, db string, params url.Values, err error) {
	s, query, _ := strings.Cut(s, "?")
	params, err = url.ParseQuery(strings.ReplaceAll(query, ";", "&"))
	if err != nil {
		return "", "", nil, fmt.Errorf("parameters: %w", err)
	}
	if rest, ok := strings.CutPrefix(s, "//"); ok {
		host, db, _ = strings.Cut(rest, "/")
	} else {
		// jdbc:postgresql:database and jdbc:postgresql:/ mean localhost.
		db = strings.TrimPrefix(s, "/")
	}
	if host == "" {
		host = "localhost"
	}
	db, err = url.PathUnescape(db)
	return host, db, params, err
}

// withPort adds port to host when it has none; IPv6 hosts are in brackets.
func withPort(host, port string) string {
	if _, _, err := net.SplitHostPort(host); err == nil {
		return host
	}
	return net.JoinHostPort(strings.Trim(host, "[]"), port)
}

func pick(key, fromURL string) string {
	if key != "" {
		return key
	}
	return fromURL
}

// display is the URL as written with any password parameter removed.
func display(scheme, host, db string, params url.Values) string {
	p := url.Values{}
	for k, v := range params {
		if !strings.EqualFold(k, "password") {
			p[k] = v
		}
	}
	s := "jdbc:" + scheme + "//" + host + "/" + db
	if len(p) > 0 {
		s += "?" + p.Encode()
	}
	return s
}

// postgresParams maps PgJDBC parameters onto libpq's, which pgx reads.
var postgresParams = map[string]string{
	"sslmode":         "sslmode",
	"sslrootcert":     "sslrootcert",
	"sslcert":         "sslcert",
	"sslkey":          "sslkey",
	"ApplicationName": "application_name",
	"currentSchema":   "search_path",
	"options":         "options",
}

func postgresConn(rest, user, password string) (Conn, error) {
	host, db, params, err := splitJDBC(strings.TrimPrefix(rest, "postgresql:"))
	if err != nil {
		return Conn{}, err
	}
	u := &url.URL{Scheme: "postgres", Host: withPort(host, "5432"), Path: "/" + db}
	user, password = pick(user, params.Get("user")), pick(password, params.Get("password"))
	if user != "" {
		u.User = url.UserPassword(user, password)
	}
	q := url.Values{}
	for k, v := range params {
		if to, ok := postgresParams[k]; ok {
			q[to] = v
		}
	}
	switch params.Get("ssl") {
	case "true":
		if q.Get("sslmode") == "" {
			q.Set("sslmode", "require")
		}
	case "false":
		q.Set("sslmode", "disable")
	}
	if t := params.Get("connectTimeout"); t != "" {
		q.Set("connect_timeout", t)
	}
	u.RawQuery = q.Encode()
	return Conn{Dialect: Postgres, Driver: "pgx", DSN: u.String(), Display: display("postgresql:", host, db, params)}, nil
}

func mysqlConn(rest, user, password string) (Conn, error) {
	scheme, after, _ := strings.Cut(rest, ":")
	host, db, params, err := splitJDBC(after)
	if err != nil {
		return Conn{}, err
	}
	cfg := mysql.NewConfig()
	cfg.Net = "tcp"
	cfg.Addr = withPort(host, "3306")
	cfg.DBName = db
	cfg.User = pick(user, params.Get("user"))
	cfg.Passwd = pick(password, params.Get("password"))
	// Values come back as time.Time in UTC, as Connect's logical types
	// are; db.timezone decides how zone-less columns are read.
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	switch {
	case params.Get("useSSL") == "false", strings.EqualFold(params.Get("sslMode"), "DISABLED"), strings.EqualFold(params.Get("sslMode"), "PREFERRED"):
	case params.Get("useSSL") == "true", strings.EqualFold(params.Get("sslMode"), "REQUIRED"):
		cfg.TLSConfig = "skip-verify"
	case strings.EqualFold(params.Get("sslMode"), "VERIFY_CA"), strings.EqualFold(params.Get("sslMode"), "VERIFY_IDENTITY"):
		cfg.TLSConfig = "true"
	}
	if t := params.Get("connectTimeout"); t != "" {
		var ms int
		if _, err := fmt.Sscan(t, &ms); err != nil {
			return Conn{}, fmt.Errorf("connectTimeout %q: %w", t, err)
		}
		cfg.Timeout = time.Duration(ms) * time.Millisecond
	}
	return Conn{Dialect: MySQL, Driver: "mysql", DSN: cfg.FormatDSN(), Display: display(scheme+":", host, db, params)}, nil
}

func sqliteConn(rest string) (Conn, error) {
	path := strings.TrimPrefix(rest, "sqlite:")
	if path == "" {
		return Conn{}, errors.New("jdbc:sqlite: needs a file name or :memory:")
	}
	path, _, _ = strings.Cut(path, "?")
	dsn := "file:" + path
	if path == ":memory:" {
		dsn = "file::memory:"
	}
	// Wait for another writer instead of failing at once, as the JDBC
	// driver's busy_timeout does.
	dsn += "?_pragma=busy_timeout(5000)"
	return Conn{Dialect: SQLite, Driver: "sqlite", DSN: dsn, Display: "jdbc:sqlite:" + path}, nil
}
