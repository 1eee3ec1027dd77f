package transforms

import (
	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

var filterDef = &config.Def{}

const filterDoc = `Drops every record it is applied to; later transforms and the converters never see it. It is meant to run under a predicate, so that only the records the predicate selects (or, with ` + "`negate=true`" + `, those it does not select) are dropped.`

const filterExample = "```properties\n" + `transforms=dropTest
transforms.dropTest.type=org.apache.kafka.connect.transforms.Filter
transforms.dropTest.predicate=isTest
predicates=isTest
predicates.isTest.type=org.apache.kafka.connect.transforms.predicates.TopicNameMatches
predicates.isTest.pattern=test-.*
` + "```\n\n" + `| record topic | result |
|---|---|
| ` + "`test-orders`" + ` | dropped |
| ` + "`orders`" + ` | kept unchanged |

With ` + "`transforms.dropTest.negate=true`" + ` the chain keeps only the ` + "`test-`" + ` topics instead.`

// filter is Kafka's Filter.
type filter struct{}

func newFilter(config.Values) (connectors.Transform, error) { return filter{}, nil }

func (filter) Apply(r connectors.Record) (connectors.Record, bool, error) {
	return connectors.Record{}, false, nil
}
