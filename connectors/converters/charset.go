package converters

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// A charset encodes Go strings to bytes and back the way Java's
// String.getBytes(Charset) and new String(byte[], Charset) do: malformed
// input becomes U+FFFD and unmappable characters become '?', never an error.
type charset int

const (
	charsetUTF8 charset = iota
	charsetASCII
	charsetLatin1
	charsetUTF16    // big-endian, writes a byte-order mark, reads either
	charsetUTF16BE  // no byte-order mark
	charsetUTF16LE  // no byte-order mark
	charsetNotFound = -1
)

// charsetNames maps the lower-cased canonical names and aliases Java's
// Charset.forName accepts for the supported charsets.
var charsetNames = map[string]charset{
	"utf-8": charsetUTF8, "utf8": charsetUTF8, "unicode-1-1-utf-8": charsetUTF8,

	"us-ascii": charsetASCII, "ascii": charsetASCII, "ansi_x3.4-1968": charsetASCII,
	"ansi_x3.4-1986": charsetASCII, "cp367": charsetASCII, "csascii": charsetASCII,
	"iso-ir-6": charsetASCII, "iso_646.irv:1983": charsetASCII, "iso_646.irv:1991": charsetASCII,
	"ascii7": charsetASCII, "default": charsetASCII, "iso646-us": charsetASCII,
	"ibm367": charsetASCII, "646": charsetASCII, "us": charsetASCII,

	"iso-8859-1": charsetLatin1, "819": charsetLatin1, "iso8859-1": charsetLatin1,
	"l1": charsetLatin1, "iso_8859-1:1987": charsetLatin1, "iso_8859-1": charsetLatin1,
	"8859_1": charsetLatin1, "iso-ir-100": charsetLatin1, "latin1": charsetLatin1,
	"cp819": charsetLatin1, "iso8859_1": charsetLatin1, "ibm819": charsetLatin1,
	"iso_8859_1": charsetLatin1, "ibm-819": charsetLatin1, "csisolatin1": charsetLatin1,

	"utf-16": charsetUTF16, "utf_16": charsetUTF16, "unicode": charsetUTF16,
	"utf16": charsetUTF16, "unicodebig": charsetUTF16,

	"utf-16be": charsetUTF16BE, "x-utf-16be": charsetUTF16BE, "utf_16be": charsetUTF16BE,
	"iso-10646-ucs-2": charsetUTF16BE, "unicodebigunmarked": charsetUTF16BE,

	"utf-16le": charsetUTF16LE, "unicodelittleunmarked": charsetUTF16LE,
	"utf_16le": charsetUTF16LE, "x-utf-16le": charsetUTF16LE,
}

// lookupCharset resolves a Java charset name, ignoring case as Java does.
func lookupCharset(name string) charset {
	if c, ok := charsetNames[strings.ToLower(name)]; ok {
		return c
	}
	return charsetNotFound
}

// supportedCharsets is listed in errors and docs.
const supportedCharsets = "UTF-8, US-ASCII, ISO-8859-1, UTF-16, UTF-16BE, UTF-16LE"

// encode returns s in charset c. For UTF-8 it makes the one copy Go needs to
// turn a string into bytes the caller may keep.
func (c charset) encode(s string) []byte {
	if c == charsetUTF8 {
		if utf8.ValidString(s) {
			return []byte(s)
		}
		return connectors.AppendJavaUTF8(nil, s)
	}
	s = validUTF8(s)
	switch c {
	case charsetASCII, charsetLatin1:
		limit := rune(0x80)
		if c == charsetLatin1 {
			limit = 0x100
		}
		out := make([]byte, 0, len(s))
		for _, r := range s {
			if r >= limit {
				r = '?' // Java replaces an unmappable character, pair or not, with one '?'
			}
			out = append(out, byte(r))
		}
		return out
	case charsetUTF16, charsetUTF16BE, charsetUTF16LE:
		if s == "" {
			return []byte{} // Java writes no byte-order mark for an empty string
		}
		out := make([]byte, 0, 2*len(s)+2)
		le := c == charsetUTF16LE
		if c == charsetUTF16 {
			out = append(out, 0xFE, 0xFF)
		}
		put := func(u uint16) {
			if le {
				out = append(out, byte(u), byte(u>>8))
			} else {
				out = append(out, byte(u>>8), byte(u))
			}
		}
		for _, r := range s {
			if r >= 0x10000 {
				r1, r2 := utf16.EncodeRune(r)
				put(uint16(r1))
				put(uint16(r2))
			} else {
				put(uint16(r))
			}
		}
		return out
	}
	return []byte(s)
}

// decode returns b read in charset c, replacing malformed input as Java does.
func (c charset) decode(b []byte) string {
	switch c {
	case charsetUTF8:
		return javaDecodeUTF8(b)
	case charsetASCII:
		var sb strings.Builder
		sb.Grow(len(b))
		for _, x := range b {
			if x >= 0x80 {
				sb.WriteRune(utf8.RuneError)
			} else {
				sb.WriteByte(x)
			}
		}
		return sb.String()
	case charsetLatin1:
		var sb strings.Builder
		sb.Grow(len(b))
		for _, x := range b {
			sb.WriteRune(rune(x))
		}
		return sb.String()
	case charsetUTF16:
		if len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE {
			return decodeUTF16(b[2:], true)
		}
		if len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF {
			b = b[2:]
		}
		return decodeUTF16(b, false)
	case charsetUTF16BE:
		return decodeUTF16(b, false)
	case charsetUTF16LE:
		return decodeUTF16(b, true)
	}
	return string(b)
}

// decodeUTF16 follows Java's UTF-16 decoder: a high surrogate followed by a
// unit that is not a low surrogate spoils both units (one U+FFFD), a lone
// low surrogate or an odd trailing byte is one U+FFFD each, and a high
// surrogate with nothing usable after it ends the input with one U+FFFD.
func decodeUTF16(b []byte, le bool) string {
	unit := func(i int) rune {
		if le {
			return rune(b[i]) | rune(b[i+1])<<8
		}
		return rune(b[i])<<8 | rune(b[i+1])
	}
	var sb strings.Builder
	sb.Grow(len(b))
	i := 0
	for i+1 < len(b) {
		u := unit(i)
		switch {
		case u < 0xD800 || u > 0xDFFF:
			sb.WriteRune(u)
			i += 2
		case u < 0xDC00:
			if i+3 >= len(b) {
				sb.WriteRune(utf8.RuneError)
				return sb.String()
			}
			if u2 := unit(i + 2); u2 >= 0xDC00 && u2 <= 0xDFFF {
				sb.WriteRune(utf16.DecodeRune(u, u2))
			} else {
				sb.WriteRune(utf8.RuneError)
			}
			i += 4
		default:
			sb.WriteRune(utf8.RuneError)
			i += 2
		}
	}
	if i < len(b) {
		sb.WriteRune(utf8.RuneError)
	}
	return sb.String()
}

// javaDecodeUTF8 returns what Java's new String(b, UTF_8) holds, as Go
// text. Valid input is copied once; malformed sequences become U+FFFD with
// the lengths Java's decoder uses (see connectors.AppendJavaUTF8).
func javaDecodeUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return string(connectors.AppendJavaUTF8(make([]byte, 0, len(b)+8), b))
}

// validUTF8 returns s with malformed sequences replaced as javaDecodeUTF8
// replaces them: Go strings may hold any bytes, Java strings may not.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string(connectors.AppendJavaUTF8(make([]byte, 0, len(s)+8), s))
}

// isCont reports whether b is a UTF-8 continuation byte.
func isCont(b byte) bool { return b&0xC0 == 0x80 }
