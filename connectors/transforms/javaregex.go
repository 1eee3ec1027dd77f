package transforms

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/connect-standalone/connect-standalone/config"
)

// javaRegex is a java.util.regex.Pattern rewritten for Go's RE2 engine.
// Users write Kafka's Java syntax in their configs; where Go reads the same
// text differently (\s, \v, ".", octal escapes, nested classes) the
// pattern is rewritten, and Java constructs RE2 cannot run (lookaround,
// backreferences, possessive quantifiers) are rejected when the config is
// checked rather than silently matching something else.
type javaRegex struct {
	src  string
	find *regexp.Regexp // Matcher.find: leftmost first match
	full *regexp.Regexp // Matcher.matches: the whole input
}

func compileJavaRegex(pattern string) (*javaRegex, error) {
	goPattern, err := translateJavaRegex(pattern)
	if err != nil {
		return nil, err
	}
	find, err := regexp.Compile(goPattern)
	if err != nil {
		return nil, err
	}
	full, err := regexp.Compile(`\A(?:` + goPattern + `)\z`)
	if err != nil {
		return nil, err
	}
	return &javaRegex{src: pattern, find: find, full: full}, nil
}

// matches is Java's Matcher.matches: the pattern must match all of s.
func (r *javaRegex) matches(s string) bool { return r.full.MatchString(s) }

// javaRegexValidator is Kafka's RegexValidator: the value must compile as
// a Java regex that this runtime can run.
func javaRegexValidator() config.Validator {
	return config.Described("valid regex", checkJavaRegex)
}

func checkJavaRegex(v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if _, err := compileJavaRegex(s); err != nil {
		return fmt.Errorf("Invalid regex: %w", err)
	}
	return nil
}

// Java's line terminators, which "." does not match outside DOTALL mode.
const javaLineTerminators = `\n\r\x{85}\x{2028}\x{2029}`

// Members of Java's \h and \v classes, and of \s, which unlike Go's
// includes the vertical tab.
const (
	javaHorizontalSpace = `\t \x{A0}\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}`
	javaVerticalSpace   = `\n\x0B\f\r\x{85}\x{2028}\x{2029}`
	javaSpace           = `\t-\r `
	javaNotSpace        = `\x00-\x08\x0E-\x1F\x21-\x{10FFFF}`
)

// javaPOSIX maps Java's US-ASCII \p{...} classes to Go's POSIX class names.
var javaPOSIX = map[string]string{
	"Lower": "lower", "Upper": "upper", "ASCII": "ascii", "Alpha": "alpha",
	"Digit": "digit", "Alnum": "alnum", "Punct": "punct", "Graph": "graph",
	"Print": "print", "Blank": "blank", "Cntrl": "cntrl", "XDigit": "xdigit",
	"Space": "space",
}

// regexFlags are the inline flags that change how the rewrite reads ".".
type regexFlags struct {
	dotAll    bool // (?s)
	unixLines bool // (?d): only \n ends a line
}

// regexTranslator rewrites one pattern. groups holds the flags in force
// in each open group, innermost last.
type regexTranslator struct {
	src    []rune
	i      int
	out    strings.Builder
	groups []regexFlags
}

// translateJavaRegex rewrites a Java pattern into Go syntax with the same
// meaning, or explains which Java construct Go cannot express.
func translateJavaRegex(pattern string) (string, error) {
	if !utf8.ValidString(pattern) {
		return "", errors.New("pattern is not valid UTF-8")
	}
	t := &regexTranslator{src: []rune(pattern), groups: []regexFlags{{}}}
	for t.i < len(t.src) {
		if err := t.next(); err != nil {
			return "", err
		}
	}
	return t.out.String(), nil
}

func (t *regexTranslator) peek(off int) (rune, bool) {
	if j := t.i + off; j < len(t.src) {
		return t.src[j], true
	}
	return 0, false
}

func (t *regexTranslator) flags() *regexFlags { return &t.groups[len(t.groups)-1] }

func (t *regexTranslator) next() error {
	c := t.src[t.i]
	switch c {
	case '\\':
		return t.escape(false)
	case '[':
		return t.class()
	case '(':
		return t.group()
	case ')':
		if len(t.groups) > 1 {
			t.groups = t.groups[:len(t.groups)-1]
		}
		t.i++
		t.out.WriteByte(')')
		return nil
	case '.':
		t.i++
		switch f := t.flags(); {
		case f.dotAll:
			t.out.WriteString(`(?s:.)`)
		case f.unixLines:
			t.out.WriteString(`[^\n]`)
		default:
			t.out.WriteString(`[^` + javaLineTerminators + `]`)
		}
		return nil
	case '*', '+', '?':
		t.i++
		t.out.WriteRune(c)
		return t.quantifierMode()
	case '{':
		return t.repetition()
	}
	t.i++
	t.out.WriteRune(c)
	return nil
}

// quantifierMode follows a quantifier: Java's "?" (reluctant) exists in
// Go, its "+" (possessive) does not.
func (t *regexTranslator) quantifierMode() error {
	switch c, _ := t.peek(0); c {
	case '?':
		t.i++
		t.out.WriteByte('?')
	case '+':
		return errors.New("possessive quantifiers (such as *+ or ++) are not supported")
	}
	return nil
}

// repetition copies a {n}, {n,} or {n,m} quantifier. Java rejects a brace
// that starts none, where Go would read it as a literal.
func (t *regexTranslator) repetition() error {
	j := t.i + 1
	digits := func() int {
		n := 0
		for j < len(t.src) && t.src[j] >= '0' && t.src[j] <= '9' {
			j, n = j+1, n+1
		}
		return n
	}
	ok := digits() > 0
	if ok && j < len(t.src) && t.src[j] == ',' {
		j++
		digits()
	}
	if !ok || j >= len(t.src) || t.src[j] != '}' {
		return fmt.Errorf("illegal repetition near index %d: write \\{ for a literal brace", t.i)
	}
	t.out.WriteString(string(t.src[t.i : j+1]))
	t.i = j + 1
	return t.quantifierMode()
}

// group handles "(" and the Java group kinds that follow "(?".
func (t *regexTranslator) group() error {
	t.i++
	if c, _ := t.peek(0); c != '?' {
		t.out.WriteByte('(')
		t.groups = append(t.groups, *t.flags())
		return nil
	}
	t.i++
	c, _ := t.peek(0)
	switch c {
	case ':':
		t.i++
		t.out.WriteString("(?:")
		t.groups = append(t.groups, *t.flags())
		return nil
	case '=', '!':
		return errors.New("lookahead groups (?= and (?! are not supported")
	case '>':
		return errors.New("atomic groups (?> are not supported")
	case 'P':
		return errors.New("(?P<name> is not Java syntax: write (?<name>...)")
	case '<':
		if d, _ := t.peek(1); d == '=' || d == '!' {
			return errors.New("lookbehind groups (?<= and (?<! are not supported")
		}
		return t.namedGroup()
	}
	return t.inlineFlags()
}

// namedGroup copies (?<name>, checking the name as Java does: an ASCII
// letter, then ASCII letters and digits.
func (t *regexTranslator) namedGroup() error {
	t.i++ // '<'
	start := t.i
	for t.i < len(t.src) && t.src[t.i] != '>' {
		t.i++
	}
	if t.i >= len(t.src) {
		return errors.New("named capturing group is missing trailing '>'")
	}
	name := string(t.src[start:t.i])
	t.i++
	if !isJavaGroupName(name) {
		return fmt.Errorf("capturing group name %q must be an ASCII letter followed by ASCII letters or digits", name)
	}
	t.out.WriteString("(?P<" + name + ">")
	t.groups = append(t.groups, *t.flags())
	return nil
}

func isJavaGroupName(name string) bool {
	for i, c := range name {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return name != ""
}

// inlineFlags handles (?flags) and (?flags:...). Java's i, m and s exist
// in Go; u is dropped because Go's case folding is always Unicode-aware;
// d only changes ".", which the rewrite spells out itself.
func (t *regexTranslator) inlineFlags() error {
	f := *t.flags()
	var goFlags strings.Builder
	on := true
	for {
		c, ok := t.peek(0)
		if !ok {
			return errors.New("unclosed inline flag group")
		}
		t.i++
		switch c {
		case '-':
			on = false
			goFlags.WriteByte('-')
		case 'i', 'm':
			goFlags.WriteRune(c)
		case 's':
			f.dotAll = on
		case 'd':
			f.unixLines = on
		case 'u':
		case 'x':
			return errors.New("comments mode (?x) is not supported")
		case 'U':
			return errors.New("(?U) (UNICODE_CHARACTER_CLASS) is not supported")
		case 'c':
			return errors.New("(?c) (CANON_EQ) is not supported")
		case ')', ':':
			fs := strings.TrimSuffix(goFlags.String(), "-")
			if c == ')' {
				*t.flags() = f
				if fs != "" {
					t.out.WriteString("(?" + fs + ")")
				}
				return nil
			}
			t.out.WriteString("(?" + fs + ":")
			t.groups = append(t.groups, f)
			return nil
		default:
			return fmt.Errorf("unknown inline modifier %q near index %d", c, t.i-1)
		}
	}
}

// class copies a [...] class. Java's nested classes and && intersections
// have no Go spelling; Go would read them as literal characters.
func (t *regexTranslator) class() error {
	t.i++
	t.out.WriteByte('[')
	if c, _ := t.peek(0); c == '^' {
		t.i++
		t.out.WriteByte('^')
	}
	for first := true; ; first = false {
		c, ok := t.peek(0)
		if !ok {
			return errors.New("unclosed character class")
		}
		switch {
		case c == ']' && !first:
			t.i++
			t.out.WriteByte(']')
			return nil
		case c == '[':
			return errors.New("nested character classes (a [ inside [...]) are not supported; escape it as \\[")
		case c == '&':
			if d, _ := t.peek(1); d == '&' {
				return errors.New("character class intersection && is not supported")
			}
			t.i++
			t.out.WriteByte('&')
		case c == '\\':
			if err := t.escape(true); err != nil {
				return err
			}
		default:
			t.i++
			t.out.WriteRune(c)
		}
	}
}

// escape rewrites the escape sequence at t.i, inside a class or not.
func (t *regexTranslator) escape(inClass bool) error {
	t.i++
	c, ok := t.peek(0)
	if !ok {
		return errors.New("unexpected backslash at the end of the pattern")
	}
	t.i++
	// set writes a class: bare members inside [...], bracketed outside.
	set := func(members string, negated bool) error {
		switch {
		case !inClass && negated:
			t.out.WriteString("[^" + members + "]")
		case !inClass:
			t.out.WriteString("[" + members + "]")
		case negated:
			return fmt.Errorf("\\%c inside a character class is not supported", c)
		default:
			t.out.WriteString(members)
		}
		return nil
	}
	switch c {
	case 'd', 'D', 'w', 'W', 't', 'n', 'r', 'f', 'a':
		t.out.WriteRune('\\')
		t.out.WriteRune(c)
	case 'b', 'B', 'A', 'z':
		if inClass {
			return fmt.Errorf("\\%c is not allowed inside a character class", c)
		}
		if d, _ := t.peek(0); c == 'b' && d == '{' {
			return errors.New("\\b{g} (grapheme boundaries) is not supported")
		}
		t.out.WriteRune('\\')
		t.out.WriteRune(c)
	case 'Z':
		if inClass {
			return errors.New("\\Z is not allowed inside a character class")
		}
		t.out.WriteString(`(?-m:$)`)
	case 's':
		return set(javaSpace, false)
	case 'S':
		if inClass {
			t.out.WriteString(javaNotSpace)
			return nil
		}
		return set(javaSpace, true)
	case 'h', 'H':
		return set(javaHorizontalSpace, c == 'H')
	case 'v', 'V':
		return set(javaVerticalSpace, c == 'V')
	case 'e':
		t.out.WriteString(`\x1B`)
	case 'x':
		return t.hexEscape()
	case '0':
		return t.octal()
	case 'u':
		return t.unicodeEscape()
	case 'c':
		x, ok := t.peek(0)
		if !ok {
			return errors.New("illegal control escape sequence")
		}
		t.i++
		t.literal(x ^ 64)
	case 'p', 'P':
		return t.property(c == 'P', inClass)
	case 'Q':
		end := len(t.src)
		for j := t.i; j+1 < len(t.src); j++ {
			if t.src[j] == '\\' && t.src[j+1] == 'E' {
				end = j
				break
			}
		}
		for _, r := range t.src[t.i:end] {
			t.literal(r)
		}
		t.i = min(end+2, len(t.src))
	case 'R', 'X', 'G', 'k', 'N':
		return fmt.Errorf("\\%c is not supported", c)
	default:
		switch {
		case c >= '1' && c <= '9':
			return errors.New("backreferences (\\1, \\k<name>) are not supported")
		case c < utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c)):
			return fmt.Errorf("illegal/unsupported escape sequence \\%c", c)
		}
		// Java reads any other escaped character as itself.
		t.literal(c)
	}
	return nil
}

// literal writes r so that Go matches exactly r, inside a class or not.
func (t *regexTranslator) literal(r rune) {
	switch {
	case r < utf8.RuneSelf && !unicode.IsLetter(r) && !unicode.IsDigit(r) && r > ' ' && r != 0x7F:
		t.out.WriteRune('\\')
		t.out.WriteRune(r)
	case !unicode.IsPrint(r) || r == ' ':
		fmt.Fprintf(&t.out, `\x{%X}`, r)
	default:
		t.out.WriteRune(r)
	}
}

// octal reads Java's \0n, \0nn or \0mnn (m at most 3).
func (t *regexTranslator) octal() error {
	n, digits := 0, 0
	for digits < 3 {
		c, ok := t.peek(0)
		if !ok || c < '0' || c > '7' || (digits == 2 && n > 037) {
			break
		}
		n = n*8 + int(c-'0')
		digits++
		t.i++
	}
	if digits == 0 {
		return errors.New("illegal octal escape sequence")
	}
	fmt.Fprintf(&t.out, `\x{%X}`, n)
	return nil
}

// hexEscape reads \xhh or \x{h...h}.
func (t *regexTranslator) hexEscape() error {
	digits := t.src[t.i:min(t.i+2, len(t.src))]
	next := t.i + 2
	if c, _ := t.peek(0); c == '{' {
		end := t.i + 1
		for end < len(t.src) && t.src[end] != '}' {
			end++
		}
		digits, next = t.src[t.i+1:min(end, len(t.src))], end+1
	}
	n, err := strconv.ParseUint(string(digits), 16, 32)
	if err != nil || len(digits) == 0 || next > len(t.src) || n > unicode.MaxRune {
		return errors.New("illegal hexadecimal escape sequence")
	}
	if n >= 0xD800 && n < 0xE000 {
		return errors.New("surrogate escapes cannot match UTF-8 text")
	}
	t.i = next
	fmt.Fprintf(&t.out, `\x{%X}`, n)
	return nil
}

// unicodeEscape reads \uhhhh, joining a surrogate pair written as two
// escapes into one code point, as Java does.
func (t *regexTranslator) unicodeEscape() error {
	hex4 := func(at int) (rune, bool) {
		if at+4 > len(t.src) {
			return 0, false
		}
		n, err := strconv.ParseUint(string(t.src[at:at+4]), 16, 16)
		return rune(n), err == nil
	}
	r, ok := hex4(t.i)
	if !ok {
		return errors.New("illegal Unicode escape sequence")
	}
	t.i += 4
	if r >= 0xD800 && r < 0xDC00 && t.i+1 < len(t.src) && t.src[t.i] == '\\' && t.src[t.i+1] == 'u' {
		if lo, ok := hex4(t.i + 2); ok && lo >= 0xDC00 && lo < 0xE000 {
			r = (r-0xD800)<<10 + (lo - 0xDC00) + 0x10000
			t.i += 6
		}
	}
	if r >= 0xD800 && r < 0xE000 {
		return errors.New("unpaired surrogate escapes cannot match UTF-8 text")
	}
	fmt.Fprintf(&t.out, `\x{%X}`, r)
	return nil
}

// property rewrites \p{...} and \pX. Go knows Unicode categories and
// scripts; Java's US-ASCII POSIX names become Go's [:name:] classes and
// Java's "Is" prefix is dropped. Blocks (In...), java* methods and binary
// properties have no Go counterpart.
func (t *regexTranslator) property(negated, inClass bool) error {
	c, ok := t.peek(0)
	if !ok {
		return errors.New("illegal character property escape")
	}
	var name string
	if c == '{' {
		end := t.i + 1
		for end < len(t.src) && t.src[end] != '}' {
			end++
		}
		if end >= len(t.src) {
			return errors.New("unclosed character family")
		}
		name = string(t.src[t.i+1 : end])
		t.i = end + 1
	} else {
		name = string(c)
		t.i++
	}
	if posix, ok := javaPOSIX[name]; ok {
		neg := ""
		if negated {
			neg = "^"
		}
		if inClass {
			t.out.WriteString("[:" + neg + posix + ":]")
		} else {
			t.out.WriteString("[[:" + neg + posix + ":]]")
		}
		return nil
	}
	goName, ok := unicodePropertyName(name)
	if !ok {
		return fmt.Errorf("unsupported character property \\p{%s}", name)
	}
	if negated {
		t.out.WriteString(`\P{` + goName + `}`)
	} else {
		t.out.WriteString(`\p{` + goName + `}`)
	}
	return nil
}

// unicodePropertyName maps a Java property name to the Go name of the same
// category or script: L and IsL are categories, IsLatin and script=Latin
// scripts (case-insensitive in Java).
func unicodePropertyName(name string) (string, bool) {
	if name == "L&" || name == "IsL&" {
		return "LC", unicode.Categories["LC"] != nil
	}
	bare := strings.TrimPrefix(name, "Is")
	for _, n := range []string{name, bare} {
		if _, ok := unicode.Categories[n]; ok {
			return n, true
		}
	}
	script := bare
	if bare == name {
		k, v, ok := strings.Cut(name, "=")
		switch {
		case ok && (k == "general_category" || k == "gc") && unicode.Categories[v] != nil:
			return v, true
		case !ok || (k != "script" && k != "sc"):
			return "", false
		}
		script = v
	}
	for s := range unicode.Scripts {
		if strings.EqualFold(s, script) || strings.EqualFold(strings.ReplaceAll(s, "_", ""), script) {
			return s, true
		}
	}
	return "", false
}
