package converters

import (
	"bytes"
	"encoding/hex"
	"fmt"
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

func TestCharsetDecode(t *testing.T) {
	// Expected UTF-16 units were printed by OpenJDK 17.
	tests := []struct {
		cs   string
		in   string // hex
		want string // UTF-16 hex
	}{
		{"UTF-16", "D8000041", "FFFD"},
		{"UTF-16", "DC000041", "FFFD0041"},
		{"UTF-16", "D83D", "FFFD"},
		{"UTF-16", "D83DD83DDE00", "FFFDFFFD"},
		{"UTF-16", "FFFE", ""},
		{"UTF-16", "FEFF", ""},
		{"UTF-16", "FFFE4100", "0041"},
		{"UTF-16", "FFFE41", "FFFD"},
		{"UTF-16", "004100", "0041FFFD"},
		{"UTF-16", "0041D800DC", "0041FFFD"},
		{"UTF-16", "D800D800DC00", "FFFDFFFD"},
		{"UTF-16", "FEFFFEFF0041", "FEFF0041"},
		{"UTF-16", "D83DDE00", "D83DDE00"},
		{"UTF-16BE", "D8000041", "FFFD"},
		{"UTF-16BE", "FEFF0041", "FEFF0041"},
		{"UTF-16BE", "DC00DC00", "FFFDFFFD"},
		{"UTF-16LE", "00D84100", "FFFD"},
		{"UTF-16LE", "FFFE4100", "FEFF0041"},
		{"US-ASCII", "8041", "FFFD0041"},
		{"ISO-8859-1", "E9FF41", "00E900FF0041"},
		{"UTF-8", "C3A9F09F9880", "00E9D83DDE00"},
		{"UTF-8", "61E28241ED", "0061FFFD0041FFFD"},
	}
	for _, tt := range tests {
		in, _ := hex.DecodeString(tt.in)
		if got := utf16Hex(lookupCharset(tt.cs).decode(in)); got != tt.want {
			t.Errorf("%s decode %s = %s, want %s", tt.cs, tt.in, got, tt.want)
		}
	}
}

func TestCharsetEncode(t *testing.T) {
	// Expected bytes were printed by OpenJDK 17's String.getBytes.
	tests := []struct {
		cs   string
		in   string
		want string // hex
	}{
		{"UTF-16", "a\U0001F600é", "FEFF0061D83DDE0000E9"},
		{"UTF-16", "", ""},
		{"UTF-16BE", "a", "0061"},
		{"UTF-16LE", "ab", "61006200"},
		{"US-ASCII", "a\U0001F600é", "613F3F"},
		{"ISO-8859-1", "aé€", "61E93F"},
		{"UTF-8", "é", "C3A9"},
		{"UTF-8", "a\xffb", "61EFBFBD62"},
		{"UTF-16LE", "a\xffb", "6100FDFF6200"},
	}
	for _, tt := range tests {
		got := lookupCharset(tt.cs).encode(tt.in)
		if want, _ := hex.DecodeString(tt.want); !bytes.Equal(got, want) {
			t.Errorf("%s encode %q = %X, want %s", tt.cs, tt.in, got, tt.want)
		}
	}
}

func TestLookupCharset(t *testing.T) {
	for _, name := range []string{"UTF-8", "utf8", "Utf-8", "US-ASCII", "ascii", "ISO-8859-1", "latin1", "UTF-16", "UnicodeBig", "UTF-16BE", "UTF-16LE", "x-UTF-16LE"} {
		if lookupCharset(name) == charsetNotFound {
			t.Errorf("lookupCharset(%q) not found", name)
		}
	}
	// Java rejects these too (UTF_8 is not an alias; names are not trimmed).
	for _, name := range []string{"UTF_8", " UTF-8", "", "bogus"} {
		if lookupCharset(name) != charsetNotFound {
			t.Errorf("lookupCharset(%q) found", name)
		}
	}
}
