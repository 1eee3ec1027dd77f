package transforms

import (
	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// KeyDropHeadersHeaders is DropHeaders' key.
const KeyDropHeadersHeaders = "headers"

var dropHeadersDef = &config.Def{Keys: []config.Key{{
	Name: KeyDropHeadersHeaders, Type: config.List, Required: true, Validate: nonEmptyFieldList(), Importance: config.High,
	Doc: "Names of the headers to remove.",
}}}

const dropHeadersDoc = `Removes every header whose name is listed, however many times it occurs. Other headers keep their order.`

const dropHeadersExample = "```properties\n" + `transforms=clean
transforms.clean.type=org.apache.kafka.connect.transforms.DropHeaders
transforms.clean.headers=trace,debug
` + "```\n\n" + `A record with headers ` + "`[trace=abc, source=db, debug=true, trace=def]`" + ` leaves with ` + "`[source=db]`" + `.`

// dropHeaders is Kafka's DropHeaders.
type dropHeaders struct {
	names map[string]bool
}

func newDropHeaders(cfg config.Values) (connectors.Transform, error) {
	names := make(map[string]bool)
	for _, n := range cfg.List(KeyDropHeadersHeaders) {
		names[n] = true
	}
	return dropHeaders{names: names}, nil
}

func (d dropHeaders) Apply(r connectors.Record) (connectors.Record, bool, error) {
	kept := make(connectors.Headers, 0, len(r.Headers))
	for _, h := range r.Headers {
		if !d.names[h.Key] {
			kept = append(kept, h)
		}
	}
	r.Headers = kept
	return r, true, nil
}
