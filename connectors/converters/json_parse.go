package converters

import (
	"fmt"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// This file is a JSON reader that accepts and rejects what Kafka's
// JsonDeserializer (Jackson 2.16, ObjectMapper.readTree with leading zeros
// allowed and exact decimals) does:
//
//   - empty or blank input is a "missing" node, not an error;
//   - only the first value is read: trailing bytes are ignored, except that
//     a number at the root must be followed by whitespace or the end and a
//     literal (true/false/null) by no identifier character;
//   - numbers may have leading zeros ("0012" is 12), a fraction needs a
//     digit after the point, and numbers longer than 1000 digits, names
//     longer than 50000 and strings longer than 20000000 characters, and
//     nesting deeper than 1000 are rejected, as Jackson's default limits do;
//   - duplicate object keys keep the first position and the last value;
//   - inside strings Jackson decodes UTF-8 without checking for overlong
//     forms or encoded surrogates; the resulting UTF-16 units are mapped to
//     Go text, unpaired surrogates becoming U+FFFD;
//   - UTF-16 and UTF-32 input is detected from a byte-order mark or zero
//     bytes, as Jackson's bootstrapper does, and a UTF-8 BOM is skipped.

type nodeKind uint8

const (
	nodeMissing nodeKind = iota
	nodeNull
	nodeBool
	nodeNumber
	nodeString
	nodeArray
	nodeObject
)

// String is Jackson's JsonNodeType name, as Kafka's messages print it.
func (k nodeKind) String() string {
	return [...]string{"MISSING", "NULL", "BOOLEAN", "NUMBER", "STRING", "ARRAY", "OBJECT"}[k]
}

// node is a parsed JSON value, Jackson's JsonNode.
type node struct {
	kind    nodeKind
	bool    bool
	decimal bool   // number with a fraction or exponent: Jackson's DecimalNode
	text    string // string value, or the number as written
	elems   []node
	fields  []field
}

type field struct {
	name string
	val  node
}

// get returns the value of an object's field, or nil: on other nodes too,
// as JsonNode.get does.
func (n *node) get(name string) *node {
	if n == nil || n.kind != nodeObject {
		return nil
	}
	for i := range n.fields {
		if n.fields[i].name == name {
			return &n.fields[i].val
		}
	}
	return nil
}

// Jackson's StreamReadConstraints defaults.
const (
	maxNumberLen = 1000
	maxNameLen   = 50000
	maxStringLen = 20000000
)

// syntaxError is a JSON document Jackson would refuse.
type syntaxError struct {
	msg string
	off int
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("%s (at byte %d)", e.msg, e.off)
}

type parser struct {
	data    []byte
	pos     int
	depth   int
	buf     []byte // scratch for decoding strings
	scratch node   // target of values parsed only to be validated
}

func (p *parser) fail(format string, args ...any) error {
	return &syntaxError{msg: fmt.Sprintf(format, args...), off: p.pos}
}

// describe names a byte in errors the way Jackson does.
func describe(c byte) string {
	if c < 0x20 {
		return fmt.Sprintf("(CTRL-CHAR, code %d)", c)
	}
	if c >= 0x80 {
		return fmt.Sprintf("(code 0x%x)", c)
	}
	return fmt.Sprintf("'%c' (code %d)", c, c)
}

// prepareInput applies Jackson's encoding detection: it returns the UTF-8
// text to parse.
func prepareInput(b []byte) ([]byte, error) {
	if len(b) >= 4 {
		quad := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
		switch {
		case quad == 0x0000FEFF:
			return decodeUTF32(b[4:], false)
		case quad == 0xFFFE0000:
			return decodeUTF32(b[4:], true)
		case quad == 0x0000FFFE, quad == 0xFEFF0000:
			return nil, &syntaxError{msg: "Unsupported UCS-4 endianness detected"}
		case quad>>16 == 0xFEFF:
			return []byte(decodeUTF16(b[2:], false)), nil
		case quad>>16 == 0xFFFE:
			return []byte(decodeUTF16(b[2:], true)), nil
		case quad>>8 == 0xEFBBBF:
			return b[3:], nil
		case quad>>8 == 0:
			return decodeUTF32(b, false)
		case quad&0x00FFFFFF == 0:
			return decodeUTF32(b, true)
		case quad&^0x00FF0000 == 0, quad&^0x0000FF00 == 0:
			return nil, &syntaxError{msg: "Unsupported UCS-4 endianness detected"}
		}
	}
	if len(b) >= 2 {
		switch i16 := uint16(b[0])<<8 | uint16(b[1]); {
		case i16&0xFF00 == 0:
			return []byte(decodeUTF16(b, false)), nil
		case i16&0x00FF == 0:
			return []byte(decodeUTF16(b, true)), nil
		}
	}
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:], nil
	}
	return b, nil
}

// decodeUTF32 follows Jackson's UTF32Reader: code points above U+10FFFF
// and a partial last unit are errors; surrogates pass as U+FFFD.
func decodeUTF32(b []byte, le bool) ([]byte, error) {
	out := make([]byte, 0, len(b)/2)
	for i := 0; i < len(b); i += 4 {
		if i+4 > len(b) {
			return nil, &syntaxError{msg: "Unexpected EOF in the middle of a 4-byte UTF-32 char", off: i}
		}
		var c uint32
		if le {
			c = uint32(b[i]) | uint32(b[i+1])<<8 | uint32(b[i+2])<<16 | uint32(b[i+3])<<24
		} else {
			c = uint32(b[i])<<24 | uint32(b[i+1])<<16 | uint32(b[i+2])<<8 | uint32(b[i+3])
		}
		if c > unicode.MaxRune {
			return nil, &syntaxError{msg: fmt.Sprintf("Invalid UTF-32 character 0x%x (above 0x0010ffff)", c), off: i}
		}
		out = utf8.AppendRune(out, rune(c))
	}
	return out, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipSpace skips JSON whitespace; other control characters are errors.
func (p *parser) skipSpace() error {
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if isSpace(c) {
			p.pos++
			continue
		}
		if c < 0x20 {
			return p.fail("Illegal character %s: only regular white space (\\r, \\n, \\t) is allowed between tokens", describe(c))
		}
		return nil
	}
	return nil
}

// parseRoot reads the first value of data, as ObjectMapper.readTree does.
// With build false it only validates and n stays empty.
func (p *parser) parseRoot(n *node, build bool) error {
	if err := p.skipSpace(); err != nil {
		return err
	}
	if p.pos == len(p.data) {
		n.kind = nodeMissing
		return nil
	}
	return p.value(n, build, true)
}

// value parses one value at p.pos into n (when build).
func (p *parser) value(n *node, build, root bool) error {
	c := p.data[p.pos]
	switch {
	case c == '{':
		return p.object(n, build)
	case c == '[':
		return p.array(n, build)
	case c == '"':
		p.pos++
		s, err := p.str(build, maxStringLen, "String value")
		if build {
			n.kind, n.text = nodeString, s
		}
		return err
	case c == 't':
		n.kind, n.bool = nodeBool, true
		return p.literal("true")
	case c == 'f':
		n.kind = nodeBool
		return p.literal("false")
	case c == 'n':
		n.kind = nodeNull
		return p.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number(n, build, root)
	case c == ']' || c == '}':
		return p.fail("Unexpected close marker '%c': expected a value", c)
	}
	return p.fail("Unexpected character %s: expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", describe(c))
}

func (p *parser) literal(word string) error {
	start := p.pos
	for i := 0; i < len(word); i++ {
		if p.pos >= len(p.data) || p.data[p.pos] != word[i] {
			p.pos = start
			return p.fail("Unrecognized token '%s': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", word[:max(i, 1)])
		}
		p.pos++
	}
	if p.pos < len(p.data) {
		if c := p.data[p.pos]; c >= '0' && c != ']' && c != '}' {
			r, err := p.charForError()
			if err != nil {
				return err
			}
			if javaIdentifierPart(rune(uint16(r))) {
				return p.fail("Unrecognized token '%s': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", word)
			}
		}
	}
	return nil
}

// charForError decodes the character at p.pos as Jackson does before
// judging it, failing on malformed UTF-8 as Jackson does.
func (p *parser) charForError() (rune, error) {
	c := p.data[p.pos]
	if c < 0x80 {
		return rune(c), nil
	}
	var need int
	r := rune(c)
	switch {
	case c&0xE0 == 0xC0:
		r, need = r&0x1F, 1
	case c&0xF0 == 0xE0:
		r, need = r&0x0F, 2
	case c&0xF8 == 0xF0:
		r, need = r&0x07, 3
	default:
		return 0, p.fail("Invalid UTF-8 start byte 0x%x", c)
	}
	for i := 1; i <= need; i++ {
		if p.pos+i >= len(p.data) {
			return 0, p.fail("Unexpected end-of-input")
		}
		d := p.data[p.pos+i]
		if !isCont(d) {
			return 0, p.fail("Invalid UTF-8 middle byte 0x%x", d)
		}
		r = r<<6 | rune(d&0x3F)
	}
	return r, nil
}

// javaIdentifierPart is Java's Character.isJavaIdentifierPart.
func javaIdentifierPart(r rune) bool {
	switch {
	case r == '$' || r == '_':
		return true
	case r <= 0x08, r >= 0x0E && r <= 0x1B, r >= 0x7F && r <= 0x9F:
		return true // identifier-ignorable controls
	}
	return unicode.In(r, unicode.L, unicode.Nd, unicode.Nl, unicode.Sc, unicode.Pc, unicode.Mn, unicode.Mc, unicode.Cf)
}

func (p *parser) number(n *node, build, root bool) error {
	start := p.pos
	if p.data[p.pos] == '-' {
		p.pos++
	}
	if p.pos >= len(p.data) || !isDigit(p.data[p.pos]) {
		if p.pos >= len(p.data) {
			return p.fail("Unexpected end-of-input: expected digit (0-9) to follow minus sign, for valid numeric value")
		}
		return p.fail("Unexpected character %s: expected digit (0-9) to follow minus sign, for valid numeric value", describe(p.data[p.pos]))
	}
	// Leading zeros are allowed and do not count towards the length limit.
	for p.pos+1 < len(p.data) && p.data[p.pos] == '0' && isDigit(p.data[p.pos+1]) {
		p.pos++
	}
	intStart := p.pos
	for p.pos < len(p.data) && isDigit(p.data[p.pos]) {
		p.pos++
	}
	intLen := p.pos - intStart
	fracLen, expLen := 0, 0
	isFloat := false
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		isFloat = true
		p.pos++
		s := p.pos
		for p.pos < len(p.data) && isDigit(p.data[p.pos]) {
			p.pos++
		}
		if fracLen = p.pos - s; fracLen == 0 {
			return p.fail("Unexpected character: Decimal point not followed by a digit")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		isFloat = true
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		s := p.pos
		for p.pos < len(p.data) && isDigit(p.data[p.pos]) {
			p.pos++
		}
		if expLen = p.pos - s; expLen == 0 {
			return p.fail("Unexpected character: Exponent indicator not followed by a digit")
		}
	}
	if !isFloat && intLen > maxNumberLen {
		return p.fail("Number value length (%d) exceeds the maximum allowed (%d)", intLen, maxNumberLen)
	}
	if isFloat && intLen+fracLen+expLen > maxNumberLen {
		return p.fail("Number value length (%d) exceeds the maximum allowed (%d)", intLen+fracLen+expLen, maxNumberLen)
	}
	text := p.data[start:p.pos]
	if isFloat {
		if _, ok := parseDecimal(text); !ok {
			return p.fail("Malformed numeric value (%s)", text)
		}
	}
	if root && p.pos < len(p.data) && !isSpace(p.data[p.pos]) {
		return p.fail("Unexpected character %s: Expected space separating root-level values", describe(p.data[p.pos]))
	}
	if build {
		n.kind, n.decimal, n.text = nodeNumber, isFloat, string(text)
	}
	return nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p *parser) enter() error {
	if p.depth++; p.depth > maxDepth {
		return p.fail("Document nesting depth (%d) exceeds the maximum allowed (%d)", p.depth, maxDepth)
	}
	return nil
}

func (p *parser) array(n *node, build bool) error {
	if err := p.enter(); err != nil {
		return err
	}
	p.pos++
	if build {
		n.kind = nodeArray
		n.elems = []node{}
	}
	if err := p.skipSpace(); err != nil {
		return err
	}
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return nil
	}
	for {
		if p.pos >= len(p.data) {
			return p.fail("Unexpected end-of-input: expected close marker for Array")
		}
		e := &p.scratch
		if build {
			n.elems = append(n.elems, node{})
			e = &n.elems[len(n.elems)-1]
		}
		if err := p.value(e, build, false); err != nil {
			return err
		}
		if err := p.skipSpace(); err != nil {
			return err
		}
		if p.pos >= len(p.data) {
			return p.fail("Unexpected end-of-input: expected close marker for Array")
		}
		switch c := p.data[p.pos]; c {
		case ',':
			p.pos++
			if err := p.skipSpace(); err != nil {
				return err
			}
		case ']':
			p.pos++
			p.depth--
			return nil
		default:
			return p.fail("Unexpected character %s: was expecting comma to separate Array entries", describe(c))
		}
	}
}

func (p *parser) object(n *node, build bool) error {
	empty, err := p.openObject()
	if err != nil {
		return err
	}
	if build {
		n.kind = nodeObject
		n.fields = []field{}
	}
	var index map[string]int // by name, once the object is large
	for !empty {
		name, err := p.fieldName()
		if err != nil {
			return err
		}
		v := &p.scratch
		if build {
			v, index = n.fieldFor(string(name), index)
		}
		if err := p.value(v, build, false); err != nil {
			return err
		}
		if empty, err = p.endField(); err != nil {
			return err
		}
	}
	return nil
}

// openObject consumes '{' and reports whether the object is empty, in which
// case its '}' is consumed too.
func (p *parser) openObject() (empty bool, err error) {
	if err := p.enter(); err != nil {
		return false, err
	}
	p.pos++
	if err := p.skipSpace(); err != nil {
		return false, err
	}
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return true, nil
	}
	return false, nil
}

// fieldName reads a field name and its colon, leaving p at the value. The
// name is only valid until the next string is read.
func (p *parser) fieldName() ([]byte, error) {
	if p.pos >= len(p.data) {
		return nil, p.fail("Unexpected end-of-input: expected close marker for Object")
	}
	if c := p.data[p.pos]; c != '"' {
		return nil, p.fail("Unexpected character %s: was expecting double-quote to start field name", describe(c))
	}
	p.pos++
	name, err := p.strBytes(maxNameLen, "Name")
	if err != nil {
		return nil, err
	}
	if err := p.skipSpace(); err != nil {
		return nil, err
	}
	if p.pos >= len(p.data) || p.data[p.pos] != ':' {
		if p.pos >= len(p.data) {
			return nil, p.fail("Unexpected end-of-input: was expecting a colon to separate field name and value")
		}
		return nil, p.fail("Unexpected character %s: was expecting a colon to separate field name and value", describe(p.data[p.pos]))
	}
	p.pos++
	if err := p.skipSpace(); err != nil {
		return nil, err
	}
	if p.pos >= len(p.data) {
		return nil, p.fail("Unexpected end-of-input: expected a value")
	}
	return name, nil
}

// endField consumes the ',' or '}' after a field's value; done reports '}'.
func (p *parser) endField() (done bool, err error) {
	if err := p.skipSpace(); err != nil {
		return false, err
	}
	if p.pos >= len(p.data) {
		return false, p.fail("Unexpected end-of-input: expected close marker for Object")
	}
	switch c := p.data[p.pos]; c {
	case ',':
		p.pos++
		return false, p.skipSpace()
	case '}':
		p.pos++
		p.depth--
		return true, nil
	default:
		return false, p.fail("Unexpected character %s: was expecting comma to separate Object entries", describe(c))
	}
}

// fieldFor returns where to parse the value of field name: a new field,
// or the earlier one of the same name, whose value the new one replaces in
// place, as in Jackson's ObjectNode.
func (n *node) fieldFor(name string, index map[string]int) (*node, map[string]int) {
	if index != nil {
		if i, ok := index[name]; ok {
			n.fields[i].val = node{}
			return &n.fields[i].val, index
		}
		index[name] = len(n.fields)
	} else {
		for i := range n.fields {
			if n.fields[i].name == name {
				n.fields[i].val = node{}
				return &n.fields[i].val, nil
			}
		}
	}
	n.fields = append(n.fields, field{name: name})
	if index == nil && len(n.fields) == 32 {
		index = make(map[string]int, 64)
		for i, f := range n.fields {
			index[f.name] = i
		}
	}
	return &n.fields[len(n.fields)-1].val, index
}

// str reads a string whose opening quote was consumed; with build false
// it only validates.
func (p *parser) str(build bool, limit int, what string) (string, error) {
	b, err := p.strBytes(limit, what)
	if err != nil || !build {
		return "", err
	}
	return string(b), nil
}

// strBytes reads a string whose opening quote was consumed. The result
// aliases the input or p's scratch buffer: it is valid until the next call.
func (p *parser) strBytes(limit int, what string) ([]byte, error) {
	start := p.pos
	// Fast path: plain ASCII without escapes, eight bytes at a time first.
	for d := p.data; p.pos+8 <= len(d); p.pos += 8 {
		_ = d[p.pos+7]
		x := uint64(d[p.pos]) | uint64(d[p.pos+1])<<8 | uint64(d[p.pos+2])<<16 | uint64(d[p.pos+3])<<24 |
			uint64(d[p.pos+4])<<32 | uint64(d[p.pos+5])<<40 | uint64(d[p.pos+6])<<48 | uint64(d[p.pos+7])<<56
		quote, slash := x^lsb*'"', x^lsb*'\\'
		if ((x-lsb*0x20)&^x|(quote-lsb)&^quote|(slash-lsb)&^slash|x)&msb != 0 {
			break
		}
	}
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := p.data[start:p.pos]
			p.pos++
			if len(s) > limit {
				return nil, p.fail("%s length (%d) exceeds the maximum allowed (%d)", what, len(s), limit)
			}
			return s, nil
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			break
		}
		p.pos++
	}
	d := stringDecoder{out: p.buf[:0], high: -1}
	d.out = append(d.out, p.data[start:p.pos]...)
	for {
		if p.pos >= len(p.data) {
			return nil, p.fail("Unexpected end-of-input: was expecting closing quote for a string value")
		}
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			d.flush()
			p.buf = d.out[:0]
			if len(d.out) > limit {
				if units := utf16Len(d.out); units > limit {
					return nil, p.fail("%s length (%d) exceeds the maximum allowed (%d)", what, units, limit)
				}
			}
			return d.out, nil
		case c == '\\':
			p.pos++
			u, err := p.escape()
			if err != nil {
				return nil, err
			}
			d.unit(u)
		case c < 0x20:
			return nil, p.fail("Illegal unquoted character (%s): has to be escaped using backslash to be included in string value", describe(c))
		case c < 0x80:
			d.rune(rune(c))
			p.pos++
		default:
			if err := p.utf8Char(&d); err != nil {
				return nil, err
			}
		}
	}
}

func hexValue(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return rune(c-'A') + 10
	}
	return -1
}

func utf16Len(b []byte) int {
	n := 0
	for _, r := range string(b) {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

func (p *parser) escape() (rune, error) {
	if p.pos >= len(p.data) {
		return 0, p.fail("Unexpected end-of-input in character escape sequence")
	}
	c := p.data[p.pos]
	p.pos++
	switch c {
	case '"', '\\', '/':
		return rune(c), nil
	case 'b':
		return '\b', nil
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
		var u rune
		for i := 0; i < 4; i++ {
			if p.pos >= len(p.data) {
				return 0, p.fail("Unexpected end-of-input in character escape sequence")
			}
			h := p.data[p.pos]
			v := hexValue(h)
			if v < 0 {
				return 0, p.fail("Unexpected character %s: expected a hex-digit for character escape sequence", describe(h))
			}
			u = u<<4 | v
			p.pos++
		}
		return u, nil
	}
	p.pos--
	return 0, p.fail("Unrecognized character escape %s", describe(c))
}

// utf8Char decodes one multi-byte character inside a string as Jackson
// does: lead and continuation bytes are checked, nothing else.
func (p *parser) utf8Char(d *stringDecoder) error {
	c := p.data[p.pos]
	var need int
	switch {
	case c&0xE0 == 0xC0:
		need = 1
	case c&0xF0 == 0xE0:
		need = 2
	case c&0xF8 == 0xF0:
		need = 3
	default:
		return p.fail("Invalid UTF-8 start byte 0x%x", c)
	}
	if p.pos+need >= len(p.data) {
		for i := 1; p.pos+i < len(p.data); i++ {
			if !isCont(p.data[p.pos+i]) {
				return p.fail("Invalid UTF-8 middle byte 0x%x", p.data[p.pos+i])
			}
		}
		return p.fail("Unexpected end-of-input in VALUE_STRING")
	}
	if r, size := utf8.DecodeRune(p.data[p.pos:]); size == need+1 && (r != utf8.RuneError || size > 1) {
		d.rune(r)
		p.pos += size
		return nil
	}
	v := rune(c) & (0x7F >> (need + 1))
	for i := 1; i <= need; i++ {
		b := p.data[p.pos+i]
		if !isCont(b) {
			p.pos += i
			return p.fail("Invalid UTF-8 middle byte 0x%x", b)
		}
		v = v<<6 | rune(b&0x3F)
	}
	p.pos += need + 1
	if need < 3 {
		d.unit(v) // overlong forms and encoded surrogates included
		return nil
	}
	v -= 0x10000 // Jackson splits into surrogates without a range check
	d.unit((0xD800 | v>>10) & 0xFFFF)
	d.unit(0xDC00 | v&0x3FF)
	return nil
}

// stringDecoder assembles Go text from runes and UTF-16 units, pairing
// surrogates as a Java string would and turning unpaired ones into U+FFFD.
type stringDecoder struct {
	out  []byte
	high rune // pending high surrogate, or -1
}

func (d *stringDecoder) flush() {
	if d.high >= 0 {
		d.out = utf8.AppendRune(d.out, utf8.RuneError)
		d.high = -1
	}
}

func (d *stringDecoder) rune(r rune) {
	d.flush()
	d.out = utf8.AppendRune(d.out, r)
}

func (d *stringDecoder) unit(u rune) {
	switch {
	case u >= 0xD800 && u < 0xDC00:
		d.flush()
		d.high = u
	case u >= 0xDC00 && u <= 0xDFFF:
		if d.high >= 0 {
			d.out = utf8.AppendRune(d.out, utf16.DecodeRune(d.high, u))
			d.high = -1
			return
		}
		d.out = utf8.AppendRune(d.out, utf8.RuneError)
	default:
		d.rune(u)
	}
}
