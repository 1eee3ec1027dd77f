package datefmt

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// goldenNow is the clock the golden cases were made with: Java's
// two-digit years start 80 years earlier, at 1945-08-03T12:00:00Z.
var goldenNow = time.Date(2025, 8, 3, 12, 0, 0, 0, time.UTC)

func unescape(s string) string {
	return strings.NewReplacer(`\\`, `\`, `\t`, "\t", `\n`, "\n").Replace(s)
}

// TestJavaGolden checks Format and Parse against the output of Java 17's
// SimpleDateFormat (UTC, Locale en) in testdata/java17.tsv: lines
// "F pattern millis text" and "P pattern text millis-or-ERR message".
func TestJavaGolden(t *testing.T) {
	file, err := os.Open("testdata/java17.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	n := 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 4 {
			t.Fatalf("bad golden line %q", sc.Text())
		}
		kind, pattern := cols[0], unescape(cols[1])
		f, err := CompileAt(pattern, goldenNow)
		if err != nil {
			t.Errorf("Compile(%q): %v", pattern, err)
			continue
		}
		n++
		switch kind {
		case "F":
			ms, _ := strconv.ParseInt(cols[2], 10, 64)
			if got, want := f.Format(time.UnixMilli(ms)), unescape(cols[3]); got != want {
				t.Errorf("Format(%q, %d) = %q, want %q", pattern, ms, got, want)
			}
		case "P":
			in, want := unescape(cols[2]), unescape(cols[3])
			got, err := f.Parse(in)
			if strings.HasPrefix(want, "ERR ") {
				if err == nil {
					t.Errorf("Parse(%q, %q) = %d, want error", pattern, in, got.UnixMilli())
				} else if err.Error() != want[4:] {
					t.Errorf("Parse(%q, %q) error %q, want %q", pattern, in, err, want[4:])
				}
				continue
			}
			ms, _ := strconv.ParseInt(want, 10, 64)
			if err != nil {
				t.Errorf("Parse(%q, %q): %v, want %d", pattern, in, err, ms)
			} else if got.UnixMilli() != ms {
				t.Errorf("Parse(%q, %q) = %d (%v), want %d (%v)", pattern, in, got.UnixMilli(), got, ms, time.UnixMilli(ms).UTC())
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 1000 {
		t.Fatalf("only %d golden cases", n)
	}
}

func TestCompileErrors(t *testing.T) {
	for pattern, want := range map[string]string{
		"bad-format":   "Illegal pattern character 'b'",
		"yyyy-MM-ddTx": "Illegal pattern character 'T'",
		"'abc":         "Unterminated quote",
		"XXXX":         "invalid ISO 8601 format: length=4",
		"XXXX-b":       "invalid ISO 8601 format: length=4",
		"XXXXb":        "Illegal pattern character 'b'",
	} {
		_, err := Compile(pattern)
		if err == nil || err.Error() != want {
			t.Errorf("Compile(%q) = %v, want %q", pattern, err, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, seed := range []struct{ pattern, text string }{
		{"yyyyMMdd", "20170103"},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2017-01-03T06:30:01.864+01:00"},
		{"EEE, d MMM yyyy HH:mm:ss z", "Tue, 3 Jan 2017 06:30:01 GMT+1:00"},
		{"YYYY-'W'ww-u", "2017-W01-7"},
		{"y", "99999999999999999999E-3"},
		{"h:mm a", "12:00 pm"},
	} {
		f.Add(seed.pattern, seed.text)
	}
	f.Fuzz(func(t *testing.T, pattern, text string) {
		fm, err := CompileAt(pattern, goldenNow)
		if err != nil {
			return
		}
		if _, err := fm.Parse(text); err != nil && !strings.HasPrefix(err.Error(), "Unparseable date: ") {
			t.Fatalf("Parse(%q, %q): unexpected error %v", pattern, text, err)
		}
		_ = fm.Format(time.UnixMilli(int64(len(text)) * 1e11))
	})
}
