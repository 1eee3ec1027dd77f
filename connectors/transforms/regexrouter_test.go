package transforms

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

const regexRouterClass = Package + ".RegexRouter"

func TestRegexRouter(t *testing.T) {
	tests := []struct {
		name, regex, replacement, topic, want string
	}{
		{"static replacement", "foo", "bar", "foo", "bar"},
		{"no match", "foo", "bar", "orig", "orig"},
		{"partial match is no match", "foo", "bar", "foobar", "foobar"},
		{"identity", "(.*)", "$1", "orig", "orig"},
		{"prefix", "(.*)", "prefix-$1", "orig", "prefix-orig"},
		{"suffix", "(.*)", "$1-suffix", "orig", "orig-suffix"},
		{"slice", `(.*)-(\d\d\d\d\d\d\d\d)`, "$1", "index-20160117", "index"},
		{"digit after group ref is literal", "(.*)", "$1x", "a", "ax"},
		{"second digit beyond group count is literal", "(.*)", "$12", "a", "a2"},
		{"two-digit group", "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)(l)", "$12$1", "abcdefghijkl", "la"},
		{"group zero", "o(.)", "[$0]", "ox", "[ox]"},
		{"escaped dollar", "(.*)", `\$1-$1`, "a", "$1-a"},
		{"escaped backslash", "(.*)", `$1\\`, "a", `a\`},
		{"escaped letter", "(.*)", `\x$1`, "a", "xa"},
		{"named group", `(?<env>[a-z]+)\.(?<name>.*)`, "${name}-${env}", "prod.orders", "orders-prod"},
		{"group that took no part", "(a)?(b)", "<$1|$2>", "b", "<|b>"},
		// Matcher.replaceFirst finds the first match anew; it need not span the topic.
		{"first match replaced, rest kept", "a|ab", "X", "ab", "Xb"},
		{"non-ASCII topic", "(.)-(.*)", "$2.$1", "é-ü", "ü.é"},
		{"Java whitespace class", `a\sb`, "ok", "a\x0Bb", "ok"},
		{"empty replacement", "x(.*)", "$1", "x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := mustTransform(t, regexRouterClass, map[string]string{"regex": tt.regex, "replacement": tt.replacement})
			ts := time.UnixMilli(1700000000000)
			in := connectors.Record{
				Topic: tt.topic, Partition: 3, Timestamp: ts, Headers: hdrs("h", "v"),
				Key:   connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: "k"},
				Value: connectors.SchemaAndValue{Value: map[string]any{"a": int32(1)}},
			}
			out, keep, err := apply(t, tr, in)
			if err != nil || !keep {
				t.Fatalf("keep=%v err=%v", keep, err)
			}
			if out.Topic != tt.want {
				t.Errorf("topic %q, want %q", out.Topic, tt.want)
			}
			want := in
			want.Topic = tt.want
			if !recordEqual(out, want) {
				t.Errorf("record changed beyond its topic: %+v", out)
			}
		})
	}
}

func TestRegexRouterConfigErrors(t *testing.T) {
	tests := []struct {
		name, regex, replacement string
		key, msg                 string
		missing                  bool
	}{
		{name: "missing regex", replacement: "x", key: "regex", missing: true},
		{name: "missing replacement", regex: "x", key: "replacement", missing: true},
		{name: "syntax error", regex: "[", replacement: "x", key: "regex", msg: "Invalid regex: "},
		{name: "lookahead", regex: "(?=a)a", replacement: "x", key: "regex", msg: "Invalid regex: lookahead"},
		{name: "backreference", regex: `(a)\1`, replacement: "x", key: "regex", msg: "Invalid regex: backreferences"},
		{name: "unknown group", regex: "(a)", replacement: "$2", key: "replacement", msg: "No group 2"},
		{name: "unknown name", regex: "(?<a>a)", replacement: "${b}", key: "replacement", msg: "No group with name {b}"},
		{name: "dollar at end", regex: "a", replacement: "x$", key: "replacement", msg: "Illegal group reference: group index is missing"},
		{name: "dollar letter", regex: "a", replacement: "$a", key: "replacement", msg: "Illegal group reference"},
		{name: "backslash at end", regex: "a", replacement: `x\`, key: "replacement", msg: "character to be escaped is missing"},
		{name: "empty name", regex: "a", replacement: "${}", key: "replacement", msg: "named capturing group has 0 length name"},
		{name: "unclosed name", regex: "(?<ab>a)", replacement: "${ab", key: "replacement", msg: "named capturing group is missing trailing '}'"},
		{name: "name with digit first", regex: "a", replacement: "${1a}", key: "replacement", msg: "capturing group name {1a} starts with digit character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := map[string]string{}
			if tt.regex != "" {
				raw["regex"] = tt.regex
			}
			if tt.replacement != "" {
				raw["replacement"] = tt.replacement
			}
			_, err := newTransform(t, regexRouterClass, raw)
			var ke *config.KeyError
			if !errors.As(err, &ke) || ke.Key != tt.key {
				t.Fatalf("error %v, want one for key %s", err, tt.key)
			}
			if tt.missing != errors.Is(err, config.ErrMissing) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q, want missing=%v and %q", err, tt.missing, tt.msg)
			}
		})
	}
}

func TestRegexRouterExample(t *testing.T) {
	example := pluginExample(t, regexRouterClass, connectors.KindTransform)
	chain := exampleChain(t, example)
	for _, tt := range []struct{ row, in, want string }{
		{"| `orders-raw` | `orders-clean` |", "orders-raw", "orders-clean"},
		{"| `orders` | `orders` (no match, unchanged) |", "orders", "orders"},
	} {
		if !strings.Contains(example, tt.row) {
			t.Fatalf("example lacks row %q", tt.row)
		}
		out, kept := runExample(t, chain, connectors.Record{Topic: tt.in})
		if !kept || out.Topic != tt.want {
			t.Errorf("%s: got %q kept=%v, want %q", tt.in, out.Topic, kept, tt.want)
		}
	}

	// The note on escaping: a properties file holding \\$ passes \$ to
	// the transform, which writes a literal $.
	if !strings.Contains(example, "write `\\\\$`") {
		t.Fatal("example lacks the escaping note")
	}
	escaped := strings.Replace(example, "replacement=$1-clean", `replacement=$1\\$`, 1)
	out, _ := runExample(t, exampleChain(t, escaped), connectors.Record{Topic: "orders-raw"})
	if out.Topic != "orders$" {
		t.Errorf("escaped replacement gave %q, want %q", out.Topic, "orders$")
	}
}
