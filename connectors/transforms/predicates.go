package transforms

import (
	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Keys of the predicates.
const (
	KeyTopicNameMatchesPattern = "pattern"
	KeyHasHeaderKeyName        = "name"
)

// predicatePlugins returns the predicates of Kafka's transforms.predicates package.
func predicatePlugins() []connectors.Plugin {
	return []connectors.Plugin{
		{
			Class:        PredicatePackage + ".TopicNameMatches",
			Kind:         connectors.KindPredicate,
			Version:      connectors.Version,
			Def:          topicNameMatchesDef,
			Doc:          topicNameMatchesDoc,
			Example:      topicNameMatchesExample,
			NewPredicate: newTopicNameMatches,
		},
		{
			Class:        PredicatePackage + ".HasHeaderKey",
			Kind:         connectors.KindPredicate,
			Version:      connectors.Version,
			Def:          hasHeaderKeyDef,
			Doc:          hasHeaderKeyDoc,
			Example:      hasHeaderKeyExample,
			NewPredicate: newHasHeaderKey,
		},
		{
			Class:        PredicatePackage + ".RecordIsTombstone",
			Kind:         connectors.KindPredicate,
			Version:      connectors.Version,
			Def:          &config.Def{},
			Doc:          recordIsTombstoneDoc,
			Example:      recordIsTombstoneExample,
			NewPredicate: func(config.Values) (connectors.Predicate, error) { return recordIsTombstone{}, nil },
		},
	}
}

// nonEmptyRegex is Kafka's CompositeValidator of NonEmptyString and
// RegexValidator: the first failure is reported.
var nonEmptyRegex = func() config.Validator {
	nonEmpty := config.NonEmptyString()
	return config.Described("non-empty string, valid regex", func(v any) error {
		if err := nonEmpty(v); err != nil {
			return err
		}
		return checkJavaRegex(v)
	})
}()

var topicNameMatchesDef = &config.Def{Keys: []config.Key{{
	Name: KeyTopicNameMatchesPattern, Type: config.String, Required: true, Validate: nonEmptyRegex, Importance: config.Medium,
	Doc: "Java regular expression that must match the whole topic name.",
}}}

const topicNameMatchesDoc = `True for a record whose topic name the Java regular expression ` + "`pattern`" + ` matches as a whole; ` + "`orders.*`" + ` matches ` + "`orders-eu`" + ` but not ` + "`old-orders`" + `. A record without a topic never matches.`

const topicNameMatchesExample = "```properties\n" + `transforms=tagEu
transforms.tagEu.type=org.apache.kafka.connect.transforms.InsertHeader
transforms.tagEu.header=region
transforms.tagEu.value.literal=eu
transforms.tagEu.predicate=isEu
predicates=isEu
predicates.isEu.type=org.apache.kafka.connect.transforms.predicates.TopicNameMatches
predicates.isEu.pattern=.*-eu
` + "```\n\n" + `| record topic | headers after |
|---|---|
| ` + "`orders-eu`" + ` | ` + "`[region=eu]`" + ` |
| ` + "`orders-us`" + ` | ` + "`[]`" + ` (transform skipped) |`

var hasHeaderKeyDef = &config.Def{Keys: []config.Key{{
	Name: KeyHasHeaderKeyName, Type: config.String, Required: true, Validate: config.NonEmptyString(), Importance: config.Medium,
	Doc: "Name of the header to look for.",
}}}

const hasHeaderKeyDoc = `True for a record with at least one header named ` + "`name`" + `, whatever its value (null included).`

const hasHeaderKeyExample = "```properties\n" + `transforms=route
transforms.route.type=org.apache.kafka.connect.transforms.RegexRouter
transforms.route.regex=(.*)
transforms.route.replacement=$1-retry
transforms.route.predicate=hasError
transforms.route.negate=false
predicates=hasError
predicates.hasError.type=org.apache.kafka.connect.transforms.predicates.HasHeaderKey
predicates.hasError.name=error
` + "```\n\n" + `| record topic | headers | topic after |
|---|---|---|
| ` + "`orders`" + ` | ` + "`[error=timeout]`" + ` | ` + "`orders-retry`" + ` |
| ` + "`orders`" + ` | ` + "`[]`" + ` | ` + "`orders`" + ` |

With ` + "`transforms.route.negate=true`" + ` it is the other way round: records without an ` + "`error`" + ` header are rerouted.`

const recordIsTombstoneDoc = `True for a tombstone: a record whose value is null, which on a compacted topic deletes its key. The key and the value's schema play no part.`

const recordIsTombstoneExample = "```properties\n" + `transforms=dropDeletes
transforms.dropDeletes.type=org.apache.kafka.connect.transforms.Filter
transforms.dropDeletes.predicate=isTombstone
predicates=isTombstone
predicates.isTombstone.type=org.apache.kafka.connect.transforms.predicates.RecordIsTombstone
` + "```\n\n" + `| record key | record value | result |
|---|---|---|
| ` + "`\"42\"`" + ` | ` + "`{\"qty\":1}`" + ` | kept |
| ` + "`\"42\"`" + ` | null | dropped |`

// topicNameMatches is Kafka's TopicNameMatches.
type topicNameMatches struct {
	pattern *javaRegex
}

func newTopicNameMatches(cfg config.Values) (connectors.Predicate, error) {
	re, err := compileJavaRegex(cfg.String(KeyTopicNameMatchesPattern))
	if err != nil {
		return nil, configErrorf(KeyTopicNameMatchesPattern, "entry must be a Java-compatible regular expression: %v", err)
	}
	return topicNameMatches{pattern: re}, nil
}

// Test treats an empty topic as Kafka's null topic: Kafka names no topic "".
func (p topicNameMatches) Test(r connectors.Record) (bool, error) {
	return r.Topic != "" && p.pattern.matches(r.Topic), nil
}

// hasHeaderKey is Kafka's HasHeaderKey.
type hasHeaderKey struct {
	name string
}

func newHasHeaderKey(cfg config.Values) (connectors.Predicate, error) {
	return hasHeaderKey{name: cfg.String(KeyHasHeaderKeyName)}, nil
}

func (p hasHeaderKey) Test(r connectors.Record) (bool, error) {
	for _, h := range r.Headers {
		if h.Key == p.name {
			return true, nil
		}
	}
	return false, nil
}

// recordIsTombstone is Kafka's RecordIsTombstone.
type recordIsTombstone struct{}

func (recordIsTombstone) Test(r connectors.Record) (bool, error) {
	return r.Value.Value == nil, nil
}
