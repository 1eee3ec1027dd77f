package transforms

import (
	"errors"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

const (
	topicNameMatchesClass  = PredicatePackage + ".TopicNameMatches"
	hasHeaderKeyClass      = PredicatePackage + ".HasHeaderKey"
	recordIsTombstoneClass = PredicatePackage + ".RecordIsTombstone"
)

func mustPredicate(t *testing.T, class string, raw map[string]string) connectors.Predicate {
	t.Helper()
	p, err := newPredicate(t, class, raw)
	if err != nil {
		t.Fatalf("configure %s with %v: %v", class, raw, err)
	}
	return p
}

func TestPredicates(t *testing.T) {
	str := connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: "v"}
	tests := []struct {
		name  string
		class string
		raw   map[string]string
		r     connectors.Record
		want  bool
	}{
		{"topic matches", topicNameMatchesClass, map[string]string{"pattern": "my-prefix-.*"}, connectors.Record{Topic: "my-prefix-"}, true},
		{"topic matches longer", topicNameMatchesClass, map[string]string{"pattern": "my-prefix-.*"}, connectors.Record{Topic: "my-prefix-foo"}, true},
		{"topic match must start at 0", topicNameMatchesClass, map[string]string{"pattern": "my-prefix-.*"}, connectors.Record{Topic: "x-my-prefix-"}, false},
		{"topic differs", topicNameMatchesClass, map[string]string{"pattern": "my-prefix-.*"}, connectors.Record{Topic: "your-prefix-foo"}, false},
		{"topic match must reach the end", topicNameMatchesClass, map[string]string{"pattern": "orders"}, connectors.Record{Topic: "orders-eu"}, false},
		{"no topic", topicNameMatchesClass, map[string]string{"pattern": ".*"}, connectors.Record{}, false},
		{"alternation covers the topic", topicNameMatchesClass, map[string]string{"pattern": "a|ab"}, connectors.Record{Topic: "ab"}, true},
		{"header present", hasHeaderKeyClass, map[string]string{"name": "h"}, connectors.Record{Headers: hdrs("a", "1", "h", "2")}, true},
		{"header repeated", hasHeaderKeyClass, map[string]string{"name": "h"}, connectors.Record{Headers: hdrs("h", "1", "h", "2")}, true},
		{"null header", hasHeaderKeyClass, map[string]string{"name": "h"}, connectors.Record{Headers: connectors.Headers{{Key: "h"}}}, true},
		{"header absent", hasHeaderKeyClass, map[string]string{"name": "h"}, connectors.Record{Headers: hdrs("H", "1")}, false},
		{"no headers", hasHeaderKeyClass, map[string]string{"name": "h"}, connectors.Record{}, false},
		{"tombstone", recordIsTombstoneClass, nil, connectors.Record{Key: str}, true},
		{"tombstone with a schema", recordIsTombstoneClass, nil, connectors.Record{Value: connectors.SchemaAndValue{Schema: connectors.OptionalStringSchema}}, true},
		{"value", recordIsTombstoneClass, nil, connectors.Record{Value: str}, false},
		{"empty value is not null", recordIsTombstoneClass, nil, connectors.Record{Value: connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: ""}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mustPredicate(t, tt.class, tt.raw).Test(tt.r)
			if err != nil || got != tt.want {
				t.Errorf("Test = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestPredicateConfigErrors(t *testing.T) {
	tests := []struct {
		class string
		raw   map[string]string
		msg   string
	}{
		{topicNameMatchesClass, nil, `missing required configuration "pattern"`},
		{topicNameMatchesClass, map[string]string{"pattern": ""}, "String must be non-empty"},
		{topicNameMatchesClass, map[string]string{"pattern": "["}, "Invalid regex"},
		{topicNameMatchesClass, map[string]string{"pattern": "*"}, "Invalid regex"},
		{topicNameMatchesClass, map[string]string{"pattern": "(?<!x)y"}, "Invalid regex: lookbehind"},
		{hasHeaderKeyClass, nil, `missing required configuration "name"`},
		{hasHeaderKeyClass, map[string]string{"name": " "}, "String must be non-empty"},
	}
	for _, tt := range tests {
		_, err := newPredicate(t, tt.class, tt.raw)
		var ke *config.KeyError
		if !errors.As(err, &ke) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s %v: error %v, want %q", tt.class, tt.raw, err, tt.msg)
		}
	}
}

func TestTopicNameMatchesExample(t *testing.T) {
	example := pluginExample(t, topicNameMatchesClass, connectors.KindPredicate)
	chain := exampleChain(t, example)
	for _, tt := range []struct {
		row, topic string
		want       connectors.Headers
	}{
		{"| `orders-eu` | `[region=eu]` |", "orders-eu", hdrs("region", "eu")},
		{"| `orders-us` | `[]` (transform skipped) |", "orders-us", nil},
	} {
		if !strings.Contains(example, tt.row) {
			t.Fatalf("example lacks row %q", tt.row)
		}
		out, _ := runExample(t, chain, connectors.Record{Topic: tt.topic})
		if !recordEqual(out, connectors.Record{Topic: tt.topic, Headers: tt.want}) {
			t.Errorf("%s: headers %+v, want %+v", tt.topic, out.Headers, tt.want)
		}
	}
}

func TestHasHeaderKeyExample(t *testing.T) {
	example := pluginExample(t, hasHeaderKeyClass, connectors.KindPredicate)
	chain, negated := exampleChain(t, example), exampleChain(t, withNegate(example, "route"))
	if !strings.Contains(example, "With `transforms.route.negate=true` it is the other way round") {
		t.Fatal("example no longer describes negate")
	}
	for _, tt := range []struct {
		row           string
		headers       connectors.Headers
		want, negated string
	}{
		{"| `orders` | `[error=timeout]` | `orders-retry` |", hdrs("error", "timeout"), "orders-retry", "orders"},
		{"| `orders` | `[]` | `orders` |", nil, "orders", "orders-retry"},
	} {
		if !strings.Contains(example, tt.row) {
			t.Fatalf("example lacks row %q", tt.row)
		}
		in := connectors.Record{Topic: "orders", Headers: tt.headers}
		if out, _ := runExample(t, chain, in); out.Topic != tt.want {
			t.Errorf("headers %v: topic %q, want %q", tt.headers, out.Topic, tt.want)
		}
		if out, _ := runExample(t, negated, in); out.Topic != tt.negated {
			t.Errorf("negated, headers %v: topic %q, want %q", tt.headers, out.Topic, tt.negated)
		}
	}
}

func TestRecordIsTombstoneExample(t *testing.T) {
	example := pluginExample(t, recordIsTombstoneClass, connectors.KindPredicate)
	chain := exampleChain(t, example)
	key := connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: "42"}
	for _, tt := range []struct {
		row   string
		value connectors.SchemaAndValue
		kept  bool
	}{
		{"| `\"42\"` | `{\"qty\":1}` | kept |", connectors.SchemaAndValue{Value: map[string]any{"qty": int32(1)}}, true},
		{"| `\"42\"` | null | dropped |", connectors.SchemaAndValue{}, false},
	} {
		if !strings.Contains(example, tt.row) {
			t.Fatalf("example lacks row %q", tt.row)
		}
		in := connectors.Record{Topic: "t", Key: key, Value: tt.value}
		out, kept := runExample(t, chain, in)
		if kept != tt.kept || (kept && !recordEqual(out, in)) {
			t.Errorf("value %v: got %+v kept=%v, want kept=%v", tt.value, out, kept, tt.kept)
		}
	}
}
