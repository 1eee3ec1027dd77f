package config

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestParsePropertiesErrorLine checks the line a malformed escape is
// reported on, whatever ends the lines before it: the number is the one an
// editor shows for the logical line's first natural line.
func TestParsePropertiesErrorLine(t *testing.T) {
	tests := []struct {
		name string
		data string
		line int
	}{
		{"LF", "a=1\nb=2\nc=\\u12zz\n", 3},
		{"CRLF", "a=1\r\nb=2\r\n\r\nc=\\u12zz\r\n", 4},
		{"lone CR", "a=1\rb=2\rc=\\u12zz", 3},
		{"after a continuation", "a=1\\\n  2\\\r\n  3\nc=\\u12zz\n", 4},
		{"inside a continuation", "a=1\nc=x\\\n  \\u12zz\n", 2},
		{"after comments and blank lines", "# c\n! c\n\n   \n\tc=\\uzz\n", 5},
		{"after a BOM and NUL bytes", "\xef\xbb\xbfa=\x00\nk\x00=\\u00\n", 2},
		{"after a long line", "a=" + strings.Repeat("x", 1<<20) + "\nc=\\u\n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseProperties([]byte(tt.data))
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line != tt.line {
				t.Fatalf("error = %v, want a *ParseError on line %d", err, tt.line)
			}
			named := withFile(filepath.Join("dir", "worker.properties"), err)
			if want := "parse " + filepath.Join("dir", "worker.properties") + ": line "; !strings.HasPrefix(named.Error(), want) {
				t.Errorf("error = %q, want it to start with %q", named, want)
			}
		})
	}
}

// TestParsePropertiesStrayBytes pins what bytes that have no business in a
// .properties file become: ISO-8859-1 characters, as Java reads them, NUL
// and other control bytes included; only a leading UTF-8 byte order mark is
// dropped.
func TestParsePropertiesStrayBytes(t *testing.T) {
	long := strings.Repeat("v", 1<<20)
	got, err := ParseProperties([]byte("\xef\xbb\xbfk\x00ey=va\x00l\r\nhigh=\xe9\xff\x80\r\n\xef\xbb\xbfsecond.bom=x\nlong=" + long + "\r"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"k\x00ey":       "va\x00l",
		"high":          "é\u00ff\u0080",
		"ï»¿second.bom": "x",
		"long":          long,
	}
	if !mapsEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
