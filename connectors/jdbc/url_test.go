package jdbc

import (
	"errors"
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		url, user, password string
		dialect             Dialect
		driver, dsn         string
		display             string
	}{
		{
			url: "jdbc:postgresql://db.example:5433/shop?user=u&password=secret&sslmode=require&currentSchema=sales", dialect: Postgres, driver: "pgx",
			dsn:     "postgres://u:secret@db.example:5433/shop?search_path=sales&sslmode=require",
			display: "jdbc:postgresql://db.example:5433/shop?currentSchema=sales&sslmode=require&user=u",
		},
		{
			url: "jdbc:postgresql://localhost/shop", user: "app", password: "pw", dialect: Postgres, driver: "pgx",
			dsn: "postgres://app:pw@localhost:5432/shop", display: "jdbc:postgresql://localhost/shop",
		},
		{
			url: "jdbc:postgresql:shop?ssl=false", user: "app", dialect: Postgres, driver: "pgx",
			dsn: "postgres://app:@localhost:5432/shop?sslmode=disable", display: "jdbc:postgresql://localhost/shop?ssl=false",
		},
		{
			// The keys win over the URL's parameters.
			url: "jdbc:mysql://127.0.0.1/test?user=url&password=url&useSSL=false", user: "key", password: "key", dialect: MySQL, driver: "mysql",
			dsn: "key:key@tcp(127.0.0.1:3306)/test?parseTime=true", display: "jdbc:mysql://127.0.0.1/test?useSSL=false&user=url",
		},
		{
			url: "jdbc:mariadb://[::1]:3307/test?sslMode=REQUIRED", user: "root", dialect: MySQL, driver: "mysql",
			dsn: "root@tcp([::1]:3307)/test?parseTime=true&tls=skip-verify", display: "jdbc:mariadb://[::1]:3307/test?sslMode=REQUIRED",
		},
		{
			url: "jdbc:sqlite:/var/lib/app.db", dialect: SQLite, driver: "sqlite",
			dsn: "file:/var/lib/app.db?_pragma=busy_timeout(5000)", display: "jdbc:sqlite:/var/lib/app.db",
		},
		{
			url: "jdbc:sqlite::memory:", dialect: SQLite, driver: "sqlite",
			dsn: "file::memory:?_pragma=busy_timeout(5000)", display: "jdbc:sqlite::memory:",
		},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			c, err := ParseURL(tt.url, tt.user, tt.password, "")
			if err != nil {
				t.Fatal(err)
			}
			if c.Dialect != tt.dialect || c.Driver != tt.driver || c.DSN != tt.dsn || c.Display != tt.display {
				t.Errorf("ParseURL = %+v\nwant dialect %v driver %s dsn %s display %s", c, tt.dialect, tt.driver, tt.dsn, tt.display)
			}
			if strings.Contains(c.Display, "secret") {
				t.Errorf("Display %q shows the password", c.Display)
			}
		})
	}
}

func TestParseURLErrors(t *testing.T) {
	for _, tt := range []struct{ url, dialect, want string }{
		{"postgresql://localhost/db", "", "does not start with jdbc:"},
		{"jdbc:oracle:thin:@host:1521:db", "", "oracle databases are not supported"},
		{"jdbc:sqlite:", "", "needs a file name"},
		{"jdbc:postgresql://h/db?%zz", "", "parameters"},
		{"jdbc:postgresql://h/db", "MySqlDatabaseDialect", "does not match"},
		{"jdbc:postgresql://h/db", "OracleDatabaseDialect", "not supported"},
	} {
		_, err := ParseURL(tt.url, "", "", tt.dialect)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseURL(%q, dialect %q) = %v, want an error containing %q", tt.url, tt.dialect, err, tt.want)
		}
	}
	if _, err := ParseURL("jdbc:db2://h/db", "", "", ""); !errors.Is(err, ErrURL) {
		t.Errorf("an unsupported database does not wrap ErrURL: %v", err)
	}
}

func TestQuoteIdent(t *testing.T) {
	for _, tt := range []struct {
		d           Dialect
		in, want    string
		placeholder string
	}{
		{Postgres, `we"ird`, `"we""ird"`, "$2"},
		{MySQL, "we`ird", "`we``ird`", "?"},
		{SQLite, "plain", `"plain"`, "?"},
	} {
		if got := tt.d.QuoteIdent(tt.in); got != tt.want {
			t.Errorf("%s.QuoteIdent(%q) = %q, want %q", tt.d.Name(), tt.in, got, tt.want)
		}
		if got := tt.d.Placeholder(2); got != tt.placeholder {
			t.Errorf("%s.Placeholder(2) = %q, want %q", tt.d.Name(), got, tt.placeholder)
		}
	}
}

// FuzzParseURL: any connection.url is refused with ErrURL or parsed into a
// DSN of the driver its prefix names, never with a panic, and the password
// never shows in Display.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{
		"jdbc:postgresql://localhost:5432/db?user=a&password=b",
		"jdbc:mysql://h/db?useSSL=true&connectTimeout=5",
		"jdbc:mariadb://[::1]/x", "jdbc:sqlite:a.db", "jdbc:sqlite::memory:",
		"jdbc:postgresql:db", "jdbc:", "jdbc:mysql:", "jdbc:postgresql://%/x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, url string) {
		c, err := ParseURL(url, "", "", "")
		if err != nil {
			if !errors.Is(err, ErrURL) {
				t.Fatalf("ParseURL(%q) error %v does not wrap ErrURL", url, err)
			}
			return
		}
		if c.Driver == "" || c.DSN == "" || c.Display == "" {
			t.Fatalf("ParseURL(%q) = %+v", url, c)
		}
	})
}
