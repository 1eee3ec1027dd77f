package config

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/magiconair/properties"
)

// ParseProperties is written from Java's rules instead of wrapping
// github.com/magiconair/properties. These tests pin why: each case below is
// read by Java (see the golden files) differently from the library, with
// the loader set up the way the house style prescribes. If an upgrade of the
// library fixes them, this file says so and the wrapper can be reconsidered.

func magiconairLoad(data []byte) (map[string]string, error) {
	l := properties.Loader{Encoding: properties.ISO_8859_1, DisableExpansion: true}
	p, err := l.LoadBytes(data)
	if err != nil {
		return nil, err
	}
	return p.Map(), nil
}

// magiconairDiffers lists the golden cases the library reads differently
// from Java, with what it does.
var magiconairDiffers = map[string]struct {
	got     map[string]string // the library's map, or nil when it fails
	errPart string            // part of the library's error
}{
	// A continued key keeps the newline.
	"continuation-key": {got: map[string]string{"ke\n": "y=v", "long\n": "key valuecontinued"}},
	"continuation-comment": {got: map[string]string{
		"k": "a#b", "k2": "v", "\n#c": "", "\n!d": "",
	}},
	// The LF of a CRLF continuation ends the value.
	"continuation-crlf": {got: map[string]string{"k": "a", "b\r": "", "c": "", "k2": "x", "k3": "y", "k4": "z"}},
	// A backslash at the end of the input is an error.
	"eof-backslash":      {errPart: "premature EOF"},
	"eof-lone-backslash": {errPart: "premature EOF"},
	// A lone backslash line becomes a key made of the line terminator.
	"eof-lone-backslash-lf":   {got: map[string]string{"a": "b", "\n": ""}},
	"eof-lone-backslash-crlf": {got: map[string]string{"a": "b", "\r": ""}},
	// An empty key is an error.
	"empty-key": {errPart: `Line 1: "v"`},
	// Escapes are decoded before continuations are joined.
	"unicode-across-lines": {errPart: "invalid unicode literal"},
	// Each half of a surrogate pair becomes U+FFFD.
	"unicode": {got: map[string]string{"k": "é中\ufffd\ufffd\uffff\x00"}},
	// Both reject these; only the message differs.
	"malformed-unicode": {errPart: "invalid unicode literal"},
	"short-unicode":     {errPart: "invalid unicode literal"},
	"short-unicode-key": {errPart: "invalid unicode literal"},
}

func TestMagiconairAgainstJava(t *testing.T) {
	files, err := filepath.Glob("testdata/properties/*.properties")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".properties")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			lib, libErr := magiconairLoad(data)
			diff, known := magiconairDiffers[name]
			if !known {
				// Where the library follows Java, both parsers agree.
				ours, err := ParseProperties(data)
				if err != nil || libErr != nil || !mapsEqual(ours, lib) {
					t.Fatalf("library %q (%v), ParseProperties %q (%v): want the same", lib, libErr, ours, err)
				}
				return
			}
			if diff.errPart != "" {
				if libErr == nil || !strings.Contains(libErr.Error(), diff.errPart) {
					t.Fatalf("library: got %q, %v; want an error containing %q", lib, libErr, diff.errPart)
				}
				return
			}
			if libErr != nil || !mapsEqual(lib, diff.got) {
				t.Fatalf("library: got %q, %v; want %q", lib, libErr, diff.got)
			}
		})
	}
}

// TestMagiconairLeaksOnEmptyKey shows the library's lexer goroutine stays
// blocked forever after the parse error an empty key causes, one per call;
// a fuzzer or a process reloading files would pile them up.
func TestMagiconairLeaksOnEmptyKey(t *testing.T) {
	before := lexers()
	const calls = 5
	for range calls {
		if _, err := magiconairLoad([]byte("=v\na=b\nc=d\n")); err == nil {
			t.Fatal("library accepted an empty key")
		}
	}
	deadline := time.Now().Add(time.Second)
	for lexers() < before+calls && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := lexers(); n < before+calls {
		t.Fatalf("blocked lexer goroutines went from %d to %d; the library no longer leaks, see the comment at the top of properties.go", before, n)
	}
}

// lexers counts the library's lexer goroutines, by their stacks: the
// count of all goroutines also moves with whatever else the process runs.
func lexers() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Count(string(buf[:n]), "magiconair/properties.(*lexer).run")
		}
		buf = make([]byte, 2*len(buf))
	}
}
