package config

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The .properties reader below follows Java's Properties.load(InputStream)
// (Java 11 and later, which Kafka requires) rather than wrapping
// github.com/magiconair/properties: that library puts a newline into keys
// continued over lines, ends a value at the LF of a CRLF continuation, rejects
// a backslash at the end of the file and empty keys (leaking its lexer
// goroutine on the latter), and turns \uXXXX surrogate pairs into two U+FFFD.
// Fixing all of that around it would mean re-implementing Java's line reader
// anyway. properties_magiconair_test.go pins each difference, and checks
// that both agree wherever the library follows Java.

// utf8BOM is dropped from the start of a .properties file. Java reads it as
// three ISO-8859-1 characters glued to the first key, which silently loses
// that line; editors on Windows add it without asking.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// ParseError reports a malformed configuration file and where.
type ParseError struct {
	File   string // empty when parsing bytes that have no file name
	Line   int    // 1-based; 0 when unknown
	Column int    // 1-based, in characters; 0 when unknown
	Err    error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	if e.File != "" {
		fmt.Fprintf(&b, "parse %s: ", e.File)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ", column %d", e.Column)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// LoadProperties reads a whole Java .properties file and parses it as
// ParseProperties does. A file that cannot be read is an error naming it
// that wraps the os error, so errors.Is(err, fs.ErrNotExist) works; a
// malformed one is a *ParseError naming the file and line.
func LoadProperties(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	props, err := ParseProperties(data)
	if err != nil {
		return nil, withFile(path, err)
	}
	return props, nil
}

// withFile names path in a *ParseError; other errors are wrapped.
func withFile(path string, err error) error {
	if pe, ok := err.(*ParseError); ok {
		c := *pe
		c.File = path
		return &c
	}
	return fmt.Errorf("parse %s: %w", path, err)
}

// ParseProperties decodes a Java .properties document as Java's
// Properties.load(InputStream) does:
//
//   - bytes are ISO-8859-1 characters; other characters need \uXXXX escapes
//     (a surrogate pair of escapes makes one character);
//   - lines end with LF, CR or CRLF; blank lines are skipped, and so are lines
//     whose first non-blank character is # or !;
//   - a line ending in an odd number of backslashes continues on the next
//     line, whose leading blanks are dropped;
//   - the key ends at the first unescaped =, : or blank (space, tab, form
//     feed); blanks around the separator are skipped, and the value keeps
//     its trailing blanks;
//   - \t \n \r \f and \uXXXX are escapes, a backslash before any other
//     character stands for that character;
//   - a later duplicate key wins.
//
// One deliberate difference: a UTF-8 byte order mark at the start is
// dropped rather than read as part of the first key. A malformed \uXXXX
// escape is a *ParseError with the line it is on. ParseProperties does no
// I/O and is safe for concurrent use.
func ParseProperties(data []byte) (map[string]string, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	out := make(map[string]string)
	r := lineReader{data: data, line: 1}
	for {
		line, lineNo, ok := r.next()
		if !ok {
			return out, nil
		}
		k, v := splitKeyValue(line)
		key, err := unescape(k)
		if err != nil {
			return nil, &ParseError{Line: lineNo, Err: err}
		}
		val, err := unescape(v)
		if err != nil {
			return nil, &ParseError{Line: lineNo, Err: err}
		}
		out[key] = val
	}
}

// isBlank matches the characters Java's reader skips around keys and values.
func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\f' }

func isEOL(c byte) bool { return c == '\n' || c == '\r' }

// lineReader splits input into logical lines, as Java's Properties.LineReader:
// comments and blank lines dropped, continuations joined.
type lineReader struct {
	data []byte
	pos  int
	line int // number of the natural line at pos
	buf  []byte
}

// next returns the next logical line, without its terminator, and the
// number of the natural line it starts on. The slice is reused by the next
// call.
func (r *lineReader) next() (logical []byte, startLine int, ok bool) {
	r.buf = r.buf[:0]
	startLine = r.line
	backslash := false // the characters so far end in an odd run of backslashes
	skipBlanks := true // at the start of a natural line
	continued := false // the natural line continues a logical one
	for r.pos < len(r.data) {
		c := r.data[r.pos]
		if skipBlanks {
			if isBlank(c) {
				r.pos++
				continue
			}
			if isEOL(c) && !continued {
				r.eol()
				startLine = r.line
				continue
			}
			skipBlanks, continued = false, false
		}
		if len(r.buf) == 0 && (c == '#' || c == '!') {
			// A comment, also when a continuation left the logical line empty.
			for r.pos < len(r.data) && !isEOL(r.data[r.pos]) {
				r.pos++
			}
			skipBlanks = true
			continue
		}
		if !isEOL(c) {
			r.buf = append(r.buf, c)
			backslash = c == '\\' && !backslash
			r.pos++
			continue
		}
		if len(r.buf) == 0 {
			// An empty continuation line ends an empty logical line.
			r.eol()
			startLine = r.line
			skipBlanks = true
			continue
		}
		// Java looks for the end of input right after the CR or LF: input
		// ending in backslash-LF ends the line there, keeping an empty one,
		// while input ending in backslash-CR-LF continues it onto nothing.
		crlf := c == '\r' && r.pos+1 < len(r.data) && r.data[r.pos+1] == '\n'
		r.eol()
		if !crlf && r.pos >= len(r.data) {
			return r.trim(backslash), startLine, true
		}
		if !backslash {
			return r.buf, startLine, true
		}
		r.buf = r.buf[:len(r.buf)-1]
		backslash = false
		skipBlanks, continued = true, true
	}
	if len(r.buf) == 0 {
		return nil, 0, false
	}
	return r.trim(backslash), startLine, true
}

// trim drops the backslash that ends the input, which has nothing to continue.
func (r *lineReader) trim(backslash bool) []byte {
	if backslash {
		return r.buf[:len(r.buf)-1]
	}
	return r.buf
}

// eol consumes one line terminator: LF, CR or CRLF.
func (r *lineReader) eol() {
	if r.data[r.pos] == '\r' && r.pos+1 < len(r.data) && r.data[r.pos+1] == '\n' {
		r.pos++
	}
	r.pos++
	r.line++
}

// splitKeyValue splits a logical line at the first unescaped separator, as
// Java's Properties.load0; both halves are still escaped.
func splitKeyValue(line []byte) (key, value []byte) {
	keyLen := 0
	valueStart := len(line)
	hasSep := false
	backslash := false
	for keyLen < len(line) {
		c := line[keyLen]
		if !backslash && (c == '=' || c == ':') {
			valueStart = keyLen + 1
			hasSep = true
			break
		}
		if !backslash && isBlank(c) {
			valueStart = keyLen + 1
			break
		}
		backslash = c == '\\' && !backslash
		keyLen++
	}
	for valueStart < len(line) {
		c := line[valueStart]
		if !isBlank(c) {
			if hasSep || (c != '=' && c != ':') {
				break
			}
			hasSep = true
		}
		valueStart++
	}
	return line[:keyLen], line[valueStart:]
}

// unescape decodes one escaped key or value of ISO-8859-1 bytes into UTF-8.
// Java builds UTF-16 strings, so escapes are collected as UTF-16 units and
// decoded at the end: a surrogate pair becomes one character, a lone
// surrogate becomes U+FFFD.
func unescape(in []byte) (string, error) {
	if bytes.IndexByte(in, '\\') < 0 {
		return latin1(in), nil
	}
	units := make([]uint16, 0, len(in))
	for i := 0; i < len(in); i++ {
		c := in[i]
		if c != '\\' {
			units = append(units, uint16(c))
			continue
		}
		i++
		if i >= len(in) {
			// The line reader never leaves an odd backslash at the end.
			break
		}
		switch c = in[i]; c {
		case 't':
			units = append(units, '\t')
		case 'n':
			units = append(units, '\n')
		case 'r':
			units = append(units, '\r')
		case 'f':
			units = append(units, '\f')
		case 'u':
			if i+4 >= len(in) {
				return "", fmt.Errorf("malformed \\uxxxx escape %q", latin1(in[i-1:]))
			}
			var u uint16
			for _, h := range in[i+1 : i+5] {
				d, ok := hexDigit(h)
				if !ok {
					return "", fmt.Errorf("malformed \\uxxxx escape %q", latin1(in[i-1:i+5]))
				}
				u = u<<4 | d
			}
			units = append(units, u)
			i += 4
		default:
			units = append(units, uint16(c))
		}
	}
	return string(utf16.Decode(units)), nil
}

func hexDigit(c byte) (uint16, bool) {
	switch {
	case c >= '0' && c <= '9':
		return uint16(c - '0'), true
	case c >= 'a' && c <= 'f':
		return uint16(c-'a') + 10, true
	case c >= 'A' && c <= 'F':
		return uint16(c-'A') + 10, true
	}
	return 0, false
}

// latin1 decodes ISO-8859-1 bytes, whose values are their code points.
func latin1(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	out := make([]byte, 0, len(b)+len(b)/2)
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return string(out)
}

// WriteProperties writes props as a .properties document that Java's
// Properties.load and ParseProperties read back unchanged: keys sorted, one
// key=value per line, escaped as Java's Properties.store(OutputStream) does
// (every character outside printable ASCII as \uXXXX, spaces in keys and a
// leading space in values escaped). Invalid UTF-8 is written as U+FFFD. It
// buffers its writes, does not close w, and returns the first write error.
func WriteProperties(w io.Writer, props map[string]string) error {
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	bw := bufio.NewWriter(w)
	var line []byte
	for _, k := range keys {
		line = appendEscaped(line[:0], k, true)
		line = append(line, '=')
		line = appendEscaped(line, props[k], false)
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return fmt.Errorf("write properties: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write properties: %w", err)
	}
	return nil
}

const hexUpper = "0123456789ABCDEF"

func appendEscaped(out []byte, s string, isKey bool) []byte {
	first := true
	for _, r := range s {
		switch {
		case r == ' ':
			if isKey || first {
				out = append(out, '\\')
			}
			out = append(out, ' ')
		case r == '\t':
			out = append(out, '\\', 't')
		case r == '\n':
			out = append(out, '\\', 'n')
		case r == '\r':
			out = append(out, '\\', 'r')
		case r == '\f':
			out = append(out, '\\', 'f')
		case r == '\\', r == '=', r == ':', r == '#', r == '!':
			out = append(out, '\\', byte(r))
		case r < 0x20 || r > 0x7e:
			var units [2]uint16
			n := 1
			if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
				units[0], units[1], n = uint16(r1), uint16(r2), 2
			} else {
				units[0] = uint16(r)
			}
			for _, u := range units[:n] {
				out = append(out, '\\', 'u', hexUpper[u>>12], hexUpper[u>>8&0xf], hexUpper[u>>4&0xf], hexUpper[u&0xf])
			}
		default:
			out = append(out, byte(r))
		}
		first = false
	}
	return out
}
