package connectors

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode/utf16"
)

func utf16Hex(s string) string {
	var b strings.Builder
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	return b.String()
}

// TestAppendJavaUTF8AgainstJDK replays byte strings full of malformed
// UTF-8 through AppendJavaUTF8 and compares with what OpenJDK 17's
// new String(bytes, UTF_8) produced (testdata/java17_utf8_decode.txt).
func TestAppendJavaUTF8AgainstJDK(t *testing.T) {
	f, err := os.Open("testdata/java17_utf8_decode.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		p := strings.Fields(sc.Text())
		in, err := hex.DecodeString(p[0])
		if err != nil {
			t.Fatal(err)
		}
		want := ""
		if len(p) > 1 {
			want = p[1]
		}
		if got := utf16Hex(string(AppendJavaUTF8(nil, in))); got != want {
			t.Errorf("%s: got %s, Java %s", p[0], got, want)
		}
		if got := utf16Hex(javaUTF8(string(in))); got != want {
			t.Errorf("%s as a string: got %s, Java %s", p[0], got, want)
		}
		n++
	}
	if n < 2000 {
		t.Fatalf("only %d cases read", n)
	}
}

func TestAppendJavaUTF8(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"héllo 😀", "héllo 😀"},
		{"a\xffb", "a\uFFFDb"},
		{"\xe2\x82", "\uFFFD"},     // truncated at the end: one U+FFFD
		{"\xe2\x82a", "\uFFFDa"},   // bad third byte: the first two are one
		{"\xed\xa0\x80", "\uFFFD"}, // an encoded surrogate
		{"\xf0\x9f\x98", "\uFFFD"}, // truncated four-byte sequence
		{"\xf8\x88\x80", "\uFFFD\uFFFD\uFFFD"},
	}
	for _, tt := range tests {
		if got := string(AppendJavaUTF8([]byte("x"), tt.in)); got != "x"+tt.want {
			t.Errorf("AppendJavaUTF8(%q) = %q, want %q", tt.in, got, "x"+tt.want)
		}
	}
	if got, want := JavaMalformedUTF8Len("\xe2\x82a"), 2; got != want {
		t.Errorf("JavaMalformedUTF8Len = %d, want %d", got, want)
	}
}
