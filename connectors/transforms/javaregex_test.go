package transforms

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestJavaRegexMatches(t *testing.T) {
	tests := []struct {
		pattern string
		match   []string
		noMatch []string
	}{
		{`a.c`, []string{"abc", "a\u00e9c"}, []string{"a\nc", "a\rc", "a\u2028c", "a\u0085c"}},
		{`(?s)a.c`, []string{"a\nc", "a\rc"}, nil},
		{`(?s:a.)c.`, []string{"a\nca"}, []string{"a\nc\n"}},
		{`(?d)a.c`, []string{"a\rc"}, []string{"a\nc"}},
		{`\s`, []string{" ", "\t", "\x0B", "\f"}, []string{"\u00a0", "x"}},
		{`\S`, []string{"x"}, []string{"\x0B", " "}},
		{`[\S]`, []string{"x", "\u00e9"}, []string{"\x0B", " "}},
		{`[\s\S]`, []string{"x", "\x0B", "\n"}, nil},
		{`\v`, []string{"\n", "\x0B", "\u2029"}, []string{"v", "\t"}},
		{`\V`, []string{"v"}, []string{"\n"}},
		{`\h`, []string{" ", "\u00a0", "\u3000"}, []string{"\n", "h"}},
		{`[\h\d]+`, []string{"1 2"}, []string{"a"}},
		{`\0101\0377\07`, []string{"A\u00ff\a"}, nil},
		{`\04000`, []string{" 00"}, nil},
		{`\u0041\uD83D\uDE00`, []string{"A\U0001F600"}, nil},
		{`\cA\e\t`, []string{"\x01\x1b\t"}, nil},
		{`\x41\x{1F600}`, []string{"A\U0001F600"}, nil},
		{`\p{Lower}+`, []string{"abc"}, []string{"\u00e4", "A"}},
		{`\P{Digit}`, []string{"a"}, []string{"1"}},
		{`[\p{Alpha}\d]+`, []string{"ab12"}, []string{"a-b"}},
		{`[\P{Alpha}]`, []string{"1"}, []string{"a"}},
		{`\p{IsLatin}+\p{L}\pL`, []string{"\u00e4bc\u03b1"}, nil},
		{`\p{script=Greek}\p{sc=greek}\p{IsGreek}`, []string{"\u03b1\u03b2\u03b3"}, []string{"abc"}},
		{`\p{gc=Lu}\p{IsLu}\p{Lu}`, []string{"ABC"}, []string{"abc"}},
		{`\p{L&}`, []string{"a"}, []string{"1"}},
		{`\Q.*\E`, []string{".*"}, []string{"ab"}},
		{`\Qa(b`, []string{"a(b"}, nil},
		{`[\Q]-\E]+`, []string{"]-"}, []string{"a"}},
		{`\.\$\{\#\é`, []string{".${#\u00e9"}, nil},
		{`\ `, []string{" "}, nil},
		{`a{2}b{1,}c{1,2}?`, []string{"aabbbc"}, []string{"abc"}},
		{`(?<year>\d{4})-(?<month>\d\d)`, []string{"2024-01"}, nil},
		{`(?i)ABC(?-i:d)`, []string{"abcd"}, []string{"abcD"}},
		{`(?iu)\u00c4`, []string{"\u00e4"}, nil},
		{`(?m)^a$`, []string{"a"}, nil},
		{`a\Z`, []string{"a"}, []string{"a\n"}},
		{`\Aa\b\Bb\z`, nil, []string{"ab"}},
		{`[]a]+`, []string{"]a"}, nil},
		{`[^]a]`, []string{"b"}, []string{"]"}},
		{`[a&b]+`, []string{"a&b"}, nil},
		{`a]`, []string{"a]"}, nil},
		{`(a)|b`, []string{"a", "b"}, nil},
	}
	for _, tt := range tests {
		re, err := compileJavaRegex(tt.pattern)
		if err != nil {
			t.Errorf("%q: %v", tt.pattern, err)
			continue
		}
		for _, s := range tt.match {
			if !re.matches(s) {
				t.Errorf("%q (Go %q) does not match %q", tt.pattern, re.find, s)
			}
		}
		for _, s := range tt.noMatch {
			if re.matches(s) {
				t.Errorf("%q (Go %q) matches %q", tt.pattern, re.find, s)
			}
		}
	}
}

func TestJavaRegexRejects(t *testing.T) {
	tests := []struct{ pattern, msg string }{
		{`(?=a)a`, "lookahead"},
		{`(?!a)b`, "lookahead"},
		{`(?<=a)b`, "lookbehind"},
		{`(?<!a)b`, "lookbehind"},
		{`(?>a)`, "atomic"},
		{`a*+`, "possessive"},
		{`a++`, "possessive"},
		{`a?+`, "possessive"},
		{`a{2}+`, "possessive"},
		{`(a)\1`, "backreferences"},
		{`(?<n>a)\k<n>`, `\k is not supported`},
		{`[a[b]]`, "nested character classes"},
		{`[a-z&&[^b]]`, "intersection"},
		{`(?x)a # comment`, "comments mode"},
		{`(?U)\w`, "UNICODE_CHARACTER_CLASS"},
		{`(?c)a`, "CANON_EQ"},
		{`(?q)a`, "unknown inline modifier"},
		{`(?i`, "unclosed inline flag group"},
		{`a{`, "illegal repetition"},
		{`a{x}`, "illegal repetition"},
		{`{1}`, ""},
		{`\R`, `\R is not supported`},
		{`\G`, `\G is not supported`},
		{`\X`, `\X is not supported`},
		{`\b{g}`, "grapheme"},
		{`\p{InGreek}`, "unsupported character property"},
		{`\p{javaLowerCase}`, "unsupported character property"},
		{`\p{Latin}`, "unsupported character property"},
		{`\p{Lower`, "unclosed character family"},
		{`\p`, "illegal character property escape"},
		{`(?P<n>a)`, "not Java syntax"},
		{`(?<_n>a)`, "capturing group name"},
		{`(?<1n>a)`, "capturing group name"},
		{`(?<n`, "missing trailing '>'"},
		{`[`, "unclosed character class"},
		{`[]`, "unclosed character class"},
		{`(`, ""},
		{`a)`, ""},
		{`\`, "backslash at the end"},
		{`\0`, "illegal octal"},
		{`\08`, "illegal octal"},
		{`\uZZZZ`, "illegal Unicode escape"},
		{`\u12`, "illegal Unicode escape"},
		{`\uD800`, "unpaired surrogate"},
		{`\c`, "illegal control escape"},
		{`\x4`, "illegal hexadecimal"},
		{`\xZZ`, "illegal hexadecimal"},
		{`\x{}`, "illegal hexadecimal"},
		{`\x{41`, "illegal hexadecimal"},
		{`\x{110000}`, "illegal hexadecimal"},
		{`\x{D800}`, "surrogate"},
		{`\y`, "illegal/unsupported escape sequence"},
		{`\C`, "illegal/unsupported escape sequence"},
		{`[\b]`, "inside a character class"},
		{`[\Z]`, "inside a character class"},
		{`[\H]`, "inside a character class"},
		{`*a`, ""},
		{"a\xffb", "UTF-8"},
	}
	for _, tt := range tests {
		if _, err := compileJavaRegex(tt.pattern); err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%q: error %v, want one containing %q", tt.pattern, err, tt.msg)
		}
	}
}

// A Java named group becomes a Go named group that the replacement can
// find by name.
func TestJavaRegexGroupNames(t *testing.T) {
	re, err := compileJavaRegex(`(?<a>x)(y)(?<b1>z)`)
	if err != nil {
		t.Fatal(err)
	}
	if got := re.find.SubexpNames(); strings.Join(got, ",") != ",a,,b1" {
		t.Errorf("group names %q", got)
	}
}

// quoteJavaReplacement escapes s for Matcher.replaceFirst, as Java's
// Matcher.quoteReplacement does.
func quoteJavaReplacement(s string) string {
	return strings.NewReplacer(`\`, `\\`, `$`, `\$`).Replace(s)
}

func FuzzJavaRegex(f *testing.F) {
	for _, s := range []string{`(.*)-raw`, `[a-z&&[^b]]`, `\Q.*\E`, `(?<n>a)\k<n>`, `\p{IsLatin}`, `\uD83D\uDE00`, `a{2,3}+`, `(?s-i:.)`, `[\S\h]`, `\0377`} {
		f.Add(s, "orders-raw")
	}
	f.Fuzz(func(t *testing.T, pattern, topic string) {
		re, err := compileJavaRegex(pattern)
		if err != nil {
			return
		}
		// Every rewrite must be valid Go syntax of its own.
		goPattern, err := translateJavaRegex(pattern)
		if err != nil {
			t.Fatalf("compiled but does not translate: %v", err)
		}
		if _, err := regexp.Compile(goPattern); err != nil {
			t.Fatal(err)
		}
		if re.matches(topic) && !re.find.MatchString(topic) {
			t.Fatalf("%q matches %q as a whole but finds nothing in it", pattern, topic)
		}
	})
}

func FuzzJavaReplacement(f *testing.F) {
	for _, s := range [][3]string{
		{`(.*)`, `$1x`, "orders"},
		{`(?<env>\w+)\.(.*)`, `${env}-$2\$\\`, "prod.orders"},
		{`(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)`, `$11$10$1`, "abcdefghijk"},
		{`x`, `${`, "x"},
		{`x`, `\`, "x"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, pattern, replacement, topic string) {
		re, err := compileJavaRegex(pattern)
		if err != nil {
			return
		}
		if repl, err := parseJavaReplacement(replacement, re); err == nil {
			_ = re.replaceFirst(topic, repl)
		}
		// A quoted replacement is always valid and stands for itself.
		if !utf8.ValidString(replacement) {
			return
		}
		repl, err := parseJavaReplacement(quoteJavaReplacement(replacement), re)
		if err != nil {
			t.Fatalf("quoted %q: %v", replacement, err)
		}
		m := re.find.FindStringIndex(topic)
		if m == nil {
			return
		}
		if got, want := re.replaceFirst(topic, repl), topic[:m[0]]+replacement+topic[m[1]:]; got != want {
			t.Fatalf("replaceFirst(%q, %q) = %q, want %q", topic, replacement, got, want)
		}
	})
}
