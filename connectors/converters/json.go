package converters

import (
	"context"
	"fmt"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// JsonConverter config keys, spelled as Kafka's JsonConverterConfig.
const (
	KeySchemasEnable          = "schemas.enable"
	KeySchemasCacheSize       = "schemas.cache.size"
	KeyDecimalFormat          = "decimal.format"
	KeyReplaceNullWithDefault = "replace.null.with.default"
)

var jsonDef = &config.Def{Keys: []config.Key{
	converterTypeKey,
	{
		Name: KeySchemasEnable, Type: config.Bool, Default: true,
		Importance: config.High, Group: "Schemas",
		Doc: "Wrap each value in an envelope {\"schema\":...,\"payload\":...} that carries its Connect schema, and expect that envelope when reading.",
	},
	{
		Name: KeySchemasCacheSize, Type: config.Int, Default: int32(1000),
		Importance: config.High, Group: "Schemas",
		Doc: "How many distinct schemas this converter remembers, in each direction, instead of translating them again for every record.",
	},
	{
		Name: KeyDecimalFormat, Type: config.String, Default: "BASE64",
		Validate:   config.OneOf("BASE64", "NUMERIC"),
		Importance: config.Low, Group: "Serialization",
		Doc: "How Decimal values are written: BASE64 writes the unscaled value's two's-complement bytes as a base64 string, NUMERIC writes a JSON number. Case is ignored.",
	},
	{
		Name: KeyReplaceNullWithDefault, Type: config.Bool, Default: true,
		Importance: config.Low, Group: "Serialization",
		Doc: "When a Struct field or value is null and its schema has a default, write the default (true) or null (false).",
	},
}}

// JsonConverter is Kafka's JsonConverter. With schemas.enable (the
// default) it writes {"schema":...,"payload":...} envelopes, otherwise
// plain JSON, byte for byte as Kafka does, and reads both back. It is
// immutable apart from its internal schema caches and safe for concurrent
// use.
type JsonConverter struct {
	schemasEnabled bool
	decimalNumeric bool
	replaceNull    bool
	fromCache      *lru[*connectors.Schema, []byte] // schema -> its JSON
	toCache        *lru[string, *connectors.Schema] // schema JSON as received -> schema
}

// NewJsonConverter builds a JsonConverter from its config.
func NewJsonConverter(cfg map[string]string) (*JsonConverter, error) {
	vals, err := jsonDef.Parse(cfg)
	if err != nil {
		return nil, fmt.Errorf("configure JsonConverter: %w", err)
	}
	size := vals.Int(KeySchemasCacheSize)
	return &JsonConverter{
		schemasEnabled: vals.Bool(KeySchemasEnable),
		decimalNumeric: strings.EqualFold(vals.String(KeyDecimalFormat), "NUMERIC"),
		replaceNull:    vals.Bool(KeyReplaceNullWithDefault),
		fromCache:      newLRU[*connectors.Schema, []byte](size),
		toCache:        newLRU[string, *connectors.Schema](size),
	}, nil
}

const (
	envelopeSchema  = `{"schema":`
	envelopePayload = `,"payload":`
)

// FromConnect returns v as JSON, in an envelope when schemas are enabled. A
// nil schema with a nil value is a tombstone: nil bytes. Schemas are
// treated as immutable: their JSON is cached by pointer.
func (c *JsonConverter) FromConnect(_ context.Context, _ string, _ connectors.Headers, v connectors.SchemaAndValue) ([]byte, error) {
	if v.Schema == nil && v.Value == nil {
		return nil, nil
	}
	size := 64
	if s, ok := v.Value.(string); ok {
		size = 8 + len(s) + len(s)/16 // quotes and a few escapes
	}
	if !c.schemasEnabled {
		return c.appendValue(make([]byte, 0, size), v.Schema, v.Value, 0)
	}
	schema, err := c.schemaJSON(v.Schema)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, size+len(schema)+len(envelopeSchema)+len(envelopePayload))
	b = append(b, envelopeSchema...)
	b = append(b, schema...)
	b = append(b, envelopePayload...)
	if b, err = c.appendValue(b, v.Schema, v.Value, 0); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// ToConnect reads JSON written by Kafka's JsonConverter (or any JSON, with
// schemas.enable=false). Nil bytes give a nil schema and value.
func (c *JsonConverter) ToConnect(_ context.Context, _ string, _ connectors.Headers, b []byte) (connectors.SchemaAndValue, error) {
	if b == nil {
		return connectors.SchemaAndValue{}, nil
	}
	data, err := prepareInput(b)
	if err != nil {
		return connectors.SchemaAndValue{}, serializationError(err)
	}
	p := &parser{data: data}
	if !c.schemasEnabled {
		var n node
		if err := p.parseRoot(&n, true); err != nil {
			return connectors.SchemaAndValue{}, serializationError(err)
		}
		v, err := c.toConnect(nil, &n, 0)
		return connectors.SchemaAndValue{Value: v}, err
	}
	schema, payload, err := c.readEnvelope(p)
	if err != nil {
		return connectors.SchemaAndValue{}, err
	}
	v, err := c.toConnect(schema, payload, 0)
	if err != nil {
		return connectors.SchemaAndValue{}, err
	}
	return connectors.SchemaAndValue{Schema: schema, Value: v}, nil
}

// FromConnectHeader is FromConnect for one header value.
func (c *JsonConverter) FromConnectHeader(ctx context.Context, topic, _ string, v connectors.SchemaAndValue) ([]byte, error) {
	return c.FromConnect(ctx, topic, nil, v)
}

// ToConnectHeader is ToConnect for one header value.
func (c *JsonConverter) ToConnectHeader(ctx context.Context, topic, _ string, b []byte) (connectors.SchemaAndValue, error) {
	return c.ToConnect(ctx, topic, nil, b)
}

func serializationError(err error) error {
	return &DataError{Msg: "Converting byte[] to Kafka Connect data failed due to serialization error: ", Err: err}
}

var errEnvelope = dataErrorf(`JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.`)

// readEnvelope parses {"schema":...,"payload":...}. The schema is looked up
// in the cache by its JSON text before it is parsed into nodes, so a stream
// of records sharing a schema parses it once.
func (c *JsonConverter) readEnvelope(p *parser) (*connectors.Schema, *node, error) {
	if err := p.skipSpace(); err != nil {
		return nil, nil, serializationError(err)
	}
	if p.pos == len(p.data) || p.data[p.pos] != '{' {
		if p.pos < len(p.data) {
			var scratch node
			if err := p.value(&scratch, false, true); err != nil {
				return nil, nil, serializationError(err)
			}
		}
		return nil, nil, errEnvelope
	}
	var (
		payload, scratch node
		schemaStart      int
		schemaEnd        int
		schemaNull       bool
		hasSchema, hasPl bool
		other            bool
	)
	empty, err := p.openObject()
	for err == nil && !empty {
		var name []byte
		if name, err = p.fieldName(); err != nil {
			break
		}
		switch string(name) {
		case "schema":
			hasSchema = true
			schemaStart = p.pos
			schemaNull = p.data[p.pos] == 'n'
			err = p.value(&scratch, false, false)
			schemaEnd = p.pos
		case "payload":
			hasPl = true
			payload = node{}
			err = p.value(&payload, true, false)
		default:
			other = true
			err = p.value(&scratch, false, false)
		}
		if err == nil {
			empty, err = p.endField()
		}
	}
	if err != nil {
		return nil, nil, serializationError(err)
	}
	if other || !hasSchema || !hasPl {
		return nil, nil, errEnvelope
	}
	if schemaNull {
		return nil, &payload, nil
	}
	raw := p.data[schemaStart:schemaEnd]
	if s, ok := getBytes(c.toCache, raw); ok {
		return s, &payload, nil
	}
	var sn node
	sp := &parser{data: raw, depth: 1}
	if err := sp.value(&sn, true, false); err != nil {
		return nil, nil, serializationError(err)
	}
	s, err := c.asConnectSchema(&sn, 0)
	if err != nil {
		return nil, nil, err
	}
	c.toCache.put(string(raw), s)
	return s, &payload, nil
}
