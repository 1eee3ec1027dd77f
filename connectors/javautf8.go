package connectors

import "unicode/utf8"

// A Go string may hold any bytes, a Java String only characters. A String
// value that is not valid UTF-8 stands for the Java string that
// new String(bytes, UTF_8) decodes from its bytes: each malformed sequence
// becomes one U+FFFD, with the sequence lengths Java's decoder uses (which
// are not always Go's).

// AppendJavaUTF8 appends src to dst, replacing each malformed UTF-8
// sequence with U+FFFD exactly where Java's new String(bytes, UTF_8) does.
// Valid input is appended unchanged.
func AppendJavaUTF8[T string | []byte](dst []byte, src T) []byte {
	n := len(src)
	for i := 0; i < n; {
		b1 := src[i]
		if b1 < utf8.RuneSelf {
			dst = append(dst, b1)
			i++
			continue
		}
		var r rune
		var size int
		switch s := any(src).(type) {
		case string:
			r, size = utf8.DecodeRuneInString(s[i:])
		case []byte:
			r, size = utf8.DecodeRune(s[i:])
		}
		if r != utf8.RuneError || size > 1 {
			dst = append(dst, src[i:i+size]...)
			i += size
			continue
		}
		dst = append(dst, "\uFFFD"...)
		i += JavaMalformedUTF8Len(src[i:])
	}
	return dst
}

// javaUTF8 returns s as AppendJavaUTF8 writes it, without copying valid
// input.
func javaUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string(AppendJavaUTF8(make([]byte, 0, len(s)+8), s))
}

// JavaMalformedUTF8Len returns how many bytes Java's UTF-8 decoder consumes
// for the malformed sequence at the start of s, replacing them with one
// U+FFFD. s must start with a byte that utf8.DecodeRune rejects (returns
// utf8.RuneError with size 1 for); the result is between 1 and len(s).
func JavaMalformedUTF8Len[T string | []byte](s T) int {
	b1 := s[0]
	n := len(s)
	switch {
	case b1 >= 0xC2 && b1 <= 0xDF: // two-byte lead whose continuation is missing or bad
		return 1
	case b1 >= 0xE0 && b1 <= 0xEF:
		bad2 := func(b2 byte) bool { return (b1 == 0xE0 && b2&0xE0 == 0x80) || !isCont(b2) }
		if n >= 3 {
			if bad2(s[1]) {
				return 1
			}
			if !isCont(s[2]) {
				return 2
			}
			return 3 // an encoded surrogate: all three bytes make one U+FFFD
		}
		if n == 2 && bad2(s[1]) {
			return 1
		}
		return n // truncated at the end of input: the rest is one U+FFFD
	case b1 >= 0xF0 && b1 <= 0xF7:
		bad2 := func(b2 byte) bool {
			return b1 > 0xF4 || (b1 == 0xF0 && (b2 < 0x90 || b2 > 0xBF)) ||
				(b1 == 0xF4 && b2&0xF0 != 0x80) || !isCont(b2)
		}
		if n >= 4 {
			if bad2(s[1]) {
				return 1
			}
			if !isCont(s[2]) {
				return 2
			}
			return 3
		}
		if b1 > 0xF4 || (n >= 2 && bad2(s[1])) {
			return 1
		}
		if n >= 3 && !isCont(s[2]) {
			return 2
		}
		return n
	}
	return 1
}

func isCont(b byte) bool { return b&0xC0 == 0x80 }
