package transforms

import (
	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/converters"
)

// Keys of InsertHeader.
const (
	KeyInsertHeaderName  = "header"
	KeyInsertHeaderValue = "value.literal"
)

// nonNullString is Kafka's NonNullValidator. A required key without a
// default is never null once parsed, so it only describes the key.
var nonNullString = config.Described("non-null string", nil)

var insertHeaderDef = &config.Def{Keys: []config.Key{
	{
		Name: KeyInsertHeaderName, Type: config.String, Required: true, Validate: nonNullString, Importance: config.High,
		Doc: "Name of the header to add.",
	},
	{
		Name: KeyInsertHeaderValue, Type: config.String, Required: true, Validate: nonNullString, Importance: config.High,
		Doc: "Value of the header, the same for every record. It is typed as Kafka's Values.parseString types text: 42 is an INT8, true a BOOLEAN, [1,2] an ARRAY, anything else a STRING.",
	},
}}

const insertHeaderDoc = `Adds a header with a fixed value to every record. Headers already present, including ones with the same name, are kept: the new header comes last.

The literal is typed once, when the connector starts, by the rules of Kafka's ` + "`Values.parseString`" + `, so the header converter writes a number or a boolean rather than text when the literal looks like one.`

const insertHeaderExample = "```properties\n" + `transforms=addSource
transforms.addSource.type=org.apache.kafka.connect.transforms.InsertHeader
transforms.addSource.header=source
transforms.addSource.value.literal=inventory-db
` + "```\n\n" + `A record with headers ` + "`[trace=abc]`" + ` leaves with ` + "`[trace=abc, source=inventory-db]`" + `, the new header a STRING.

Other literals and the header value they give:

| value.literal | header schema | header value |
|---|---|---|
| ` + "`42`" + ` | INT8 | 42 |
| ` + "`true`" + ` | BOOLEAN | true |
| ` + "`inventory db`" + ` | STRING | inventory db |`

// insertHeader is Kafka's InsertHeader.
type insertHeader struct {
	name  string
	value connectors.SchemaAndValue
}

func newInsertHeader(cfg config.Values) (connectors.Transform, error) {
	return insertHeader{name: cfg.String(KeyInsertHeaderName), value: converters.ParseString(cfg.String(KeyInsertHeaderValue))}, nil
}

func (h insertHeader) Apply(r connectors.Record) (connectors.Record, bool, error) {
	r.Headers = r.Headers.With(h.name, h.value)
	return r, true, nil
}
