package transforms

import (
	"errors"
	"fmt"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Keys of RegexRouter.
const (
	KeyRegexRouterRegex       = "regex"
	KeyRegexRouterReplacement = "replacement"
)

var regexRouterDef = &config.Def{Keys: []config.Key{
	{
		Name: KeyRegexRouterRegex, Type: config.String, Required: true, Validate: javaRegexValidator(), Importance: config.High,
		Doc: "Java regular expression that must match the whole topic name for the record to be rerouted.",
	},
	{
		Name: KeyRegexRouterReplacement, Type: config.String, Required: true, Importance: config.High,
		Doc: "The new topic name, in Java Matcher.replaceFirst syntax: $1 or ${name} insert a captured group, \\$ and \\\\ a literal $ or \\.",
	},
}}

const regexRouterDoc = `Renames the topic of each record whose topic matches ` + "`regex`" + ` as a whole, to ` + "`replacement`" + `, which may refer to groups the regex captured. Other records pass unchanged. Keys, values, headers and timestamps are kept.

The regex is Java syntax. Constructs Go's RE2 engine cannot run (lookaround, backreferences, possessive quantifiers, nested classes) are rejected when the connector is configured.`

const regexRouterExample = "```properties\n" + `transforms=route
transforms.route.type=org.apache.kafka.connect.transforms.RegexRouter
transforms.route.regex=(.*)-raw
transforms.route.replacement=$1-clean
` + "```\n\n" + `| topic before | topic after |
|---|---|
| ` + "`orders-raw`" + ` | ` + "`orders-clean`" + ` |
| ` + "`orders`" + ` | ` + "`orders`" + ` (no match, unchanged) |

In a properties file a backslash is itself escaped: write ` + "`\\\\$`" + ` for a replacement holding a literal ` + "`$`" + `.`

// regexRouter is Kafka's RegexRouter.
type regexRouter struct {
	regex       *javaRegex
	replacement javaReplacement
}

// newRegexRouter also checks the replacement against the regex's groups.
// Kafka finds a bad reference ("$3" with two groups) only when the first
// matching record fails; checking it here reports it before any record
// flows.
func newRegexRouter(cfg config.Values) (connectors.Transform, error) {
	re, err := compileJavaRegex(cfg.String(KeyRegexRouterRegex))
	if err != nil {
		return nil, configErrorf(KeyRegexRouterRegex, "Invalid regex: %v", err)
	}
	repl, err := parseJavaReplacement(cfg.String(KeyRegexRouterReplacement), re)
	if err != nil {
		return nil, configErrorf(KeyRegexRouterReplacement, "%v", err)
	}
	return &regexRouter{regex: re, replacement: repl}, nil
}

func (rr *regexRouter) Apply(r connectors.Record) (connectors.Record, bool, error) {
	if rr.regex.matches(r.Topic) {
		r.Topic = rr.regex.replaceFirst(r.Topic, rr.replacement)
	}
	return r, true, nil
}

// javaReplacement is a parsed Matcher.replaceFirst replacement: literal
// text and group references in order.
type javaReplacement []replacementPart

// replacementPart is literal text, or the text of group when group >= 0.
type replacementPart struct {
	literal string
	group   int
}

// parseJavaReplacement reads Java's replacement syntax for re: "\x" is x,
// "$n" group n (further digits are taken while the number stays a group of
// re), "${name}" a named group. Go's Regexp.Expand differs: "$1x" there
// names group "1x". The errors are Java's.
func parseJavaReplacement(s string, re *javaRegex) (javaReplacement, error) {
	groups := re.find.NumSubexp()
	var out javaReplacement
	var lit strings.Builder
	ref := func(g int) {
		if lit.Len() > 0 {
			out = append(out, replacementPart{literal: lit.String(), group: -1})
			lit.Reset()
		}
		out = append(out, replacementPart{group: g})
	}
	for i := 0; i < len(s); {
		switch c := s[i]; c {
		case '\\':
			if i+1 == len(s) {
				return nil, errors.New("character to be escaped is missing")
			}
			// Copy the whole escaped character, which may span several bytes.
			j := i + 2
			for j < len(s) && s[j]&0xC0 == 0x80 {
				j++
			}
			lit.WriteString(s[i+1 : j])
			i = j
		case '$':
			i++
			if i == len(s) {
				return nil, errors.New("Illegal group reference: group index is missing")
			}
			if s[i] == '{' {
				j := i + 1
				for j < len(s) && isASCIIAlnum(s[j]) {
					j++
				}
				name := s[i+1 : j]
				switch {
				case name == "":
					return nil, errors.New("named capturing group has 0 length name")
				case j == len(s) || s[j] != '}':
					return nil, errors.New("named capturing group is missing trailing '}'")
				case name[0] >= '0' && name[0] <= '9':
					return nil, fmt.Errorf("capturing group name {%s} starts with digit character", name)
				}
				g := re.find.SubexpIndex(name)
				if g < 0 {
					return nil, fmt.Errorf("No group with name {%s}", name)
				}
				ref(g)
				i = j + 1
				continue
			}
			if s[i] < '0' || s[i] > '9' {
				return nil, errors.New("Illegal group reference")
			}
			g := int(s[i] - '0')
			i++
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				next := g*10 + int(s[i]-'0')
				if next > groups {
					break
				}
				g = next
				i++
			}
			if g > groups {
				return nil, fmt.Errorf("No group %d", g)
			}
			ref(g)
		default:
			lit.WriteByte(c)
			i++
		}
	}
	if lit.Len() > 0 {
		out = append(out, replacementPart{literal: lit.String(), group: -1})
	}
	return out, nil
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// replaceFirst is Java's Matcher.replaceFirst: the first match of the
// pattern in s, found as Matcher.find finds it, is replaced by the
// expanded replacement. It can be shorter than s even when the pattern
// matches all of s (for "a|ab" on "ab" it is "a").
func (r *javaRegex) replaceFirst(s string, repl javaReplacement) string {
	m := r.find.FindStringSubmatchIndex(s)
	if m == nil {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:m[0]])
	for _, p := range repl {
		switch {
		case p.group < 0:
			b.WriteString(p.literal)
		case m[2*p.group] >= 0: // a group that took no part adds nothing
			b.WriteString(s[m[2*p.group]:m[2*p.group+1]])
		}
	}
	b.WriteString(s[m[1]:])
	return b.String()
}
