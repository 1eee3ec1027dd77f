package config

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

var update = flag.Bool("update", false, "rewrite golden files that Go generates")

// TestParsePropertiesJavaGolden compares ParseProperties with the output of
// Java's Properties.load on every testdata/properties/*.properties file. The
// .golden files were written by testdata/properties/JavaLoad.java; rerun it
// after adding a case.
func TestParsePropertiesJavaGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/properties/*.properties")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 30 {
		t.Fatalf("found %d cases, want the whole table", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".properties")
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(f, ".properties") + ".golden")
			if err != nil {
				t.Fatal(err)
			}
			got, err := LoadProperties(f)
			if string(want) == "error\n" {
				if err == nil {
					t.Fatalf("LoadProperties succeeded with %v; Java rejects the file", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if g := javaDump(got); g != string(want) {
				t.Errorf("got\n%s\nwant (Java)\n%s", g, want)
			}
		})
	}
}

// javaDump renders props as JavaLoad.java does.
func javaDump(props map[string]string) string {
	esc := func(s string) string {
		var b strings.Builder
		for _, u := range utf16.Encode([]rune(s)) {
			if u >= 0x20 && u < 0x7f && u != '\\' {
				b.WriteByte(byte(u))
			} else {
				fmt.Fprintf(&b, "\\u%04x", u)
			}
		}
		return b.String()
	}
	var lines []string
	for k, v := range props {
		lines = append(lines, esc(k)+"\t"+esc(v))
	}
	slices.Sort(lines)
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	return b.String()
}

func TestParseProperties(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]string
	}{
		{"utf-8 byte order mark is dropped", "\xef\xbb\xbfa=b\n", map[string]string{"a": "b"}},
		{"byte order mark before a comment", "\xef\xbb\xbf# comment\na=b\n", map[string]string{"a": "b"}},
		{"byte order mark only at the start", "a=\xef\xbb\xbf\n", map[string]string{"a": "\u00ef\u00bb\u00bf"}},
		{"lone high surrogate", `a=\ud83dx`, map[string]string{"a": "\ufffdx"}},
		{"lone low surrogate", `a=\ude00`, map[string]string{"a": "\ufffd"}},
		{"reversed surrogates", `a=\ude00\ud83d`, map[string]string{"a": "\ufffd\ufffd"}},
		{"surrogate pair in a key", `\ud83d\ude00=1`, map[string]string{"😀": "1"}},
		{"config provider reference kept", "password=${file:/etc/secret.properties:db.pw}\n", map[string]string{"password": "${file:/etc/secret.properties:db.pw}"}},
		{"unterminated expression kept", "x=${unterminated\n", map[string]string{"x": "${unterminated"}},
		{"windows path needs doubled backslashes", `file=C:\\tmp\\in.txt`, map[string]string{"file": `C:\tmp\in.txt`}},
		{"windows path with single backslashes", `file=C:\tmp\in.txt`, map[string]string{"file": "C:\tmp" + "in.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseProperties([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !mapsEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestParsePropertiesErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"bad hex digit", "a=1\n\nb=\\u00zz\n", `line 3: malformed \uxxxx escape "\\u00zz"`},
		{"too short at end", "a=\\u12", `line 1: malformed \uxxxx escape "\\u12"`},
		{"in a key", "\\uZZZZ=1", `line 1: malformed \uxxxx escape "\\uZZZZ"`},
		{"line of a continued entry is where it starts", "# c\na=1\\\n  \\u1", `line 2: malformed \uxxxx escape "\\u1"`},
		{"after crlf lines", "a=1\r\nb=2\r\nc=\\u", `line 3: malformed \uxxxx escape "\\u"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseProperties([]byte(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got error %v, want %s", err, tt.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("%T is not a *ParseError", err)
			}
		})
	}
}

func TestLoadPropertiesErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "worker.properties")
	_, err := LoadProperties(missing)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: got %v, want fs.ErrNotExist", err)
	}
	if want := "read " + missing + ": open " + missing + ": no such file or directory"; err == nil || err.Error() != want {
		t.Errorf("missing file: got %v, want %s", err, want)
	}

	bad := filepath.Join(dir, "bad.properties")
	if err := os.WriteFile(bad, []byte("a=1\nb=\\u12x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = LoadProperties(bad)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.File != bad || pe.Line != 2 {
		t.Fatalf("got %#v, want a *ParseError for %s line 2", err, bad)
	}
	if want := "parse " + bad + `: line 2: malformed \uxxxx escape "\\u12x"`; err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestWriteProperties(t *testing.T) {
	props := map[string]string{
		"b":             " leading and inner space ",
		"a key":         "=:#!\\",
		"tabs\tand\nnl": "\r\f",
		"latin1":        "café",
		"cjk":           "中",
		"emoji":         "😀",
		"control":       "\x00\x7f",
		"":              "",
	}
	var buf bytes.Buffer
	if err := WriteProperties(&buf, props); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "write.properties")
	checkGolden(t, golden, buf.Bytes())
	back, err := ParseProperties(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !mapsEqual(back, props) {
		t.Errorf("round trip: got %q, want %q", back, props)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWritePropertiesError(t *testing.T) {
	err := WriteProperties(failWriter{}, map[string]string{"a": "b"})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("got %v, want the write error", err)
	}
}

// FuzzParseProperties checks that parsing never panics, that its output is
// valid UTF-8 and survives a write and a re-parse unchanged.
func FuzzParseProperties(f *testing.F) {
	addSeeds(f, "testdata/properties/*.properties")
	f.Fuzz(func(t *testing.T, data []byte) {
		props, err := ParseProperties(data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 || pe.Line > bytes.Count(data, []byte("\n"))+bytes.Count(data, []byte("\r"))+1 {
				t.Fatalf("error %v has no plausible line", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteProperties(&buf, props); err != nil {
			t.Fatal(err)
		}
		back, err := ParseProperties(buf.Bytes())
		if err != nil {
			t.Fatalf("re-parse of %q: %v", buf.Bytes(), err)
		}
		if !mapsEqual(back, props) {
			t.Fatalf("round trip changed %q into %q", props, back)
		}
	})
}

// addSeeds adds the files matching pattern, golden files aside, to the
// corpus; testdata/fuzz/<FuzzName> holds the targeted seeds.
func addSeeds(f *testing.F, pattern string) {
	f.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, ".golden") {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// checkGolden compares got with the golden file, rewriting it first when the
// test runs with -update.
func checkGolden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale; go test ./config -update rewrites it. Got:\n%s\nwant:\n%s", golden, got, want)
	}
}
