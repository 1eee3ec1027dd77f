package converters

import (
	"context"
	"fmt"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

var byteArrayDef = &config.Def{Keys: []config.Key{converterTypeKey}}

// ByteArrayConverter is Kafka's ByteArrayConverter: bytes pass through
// unchanged and uncopied in both directions, so callers must not modify a
// slice after handing it over. It is stateless and safe for concurrent use.
type ByteArrayConverter struct{}

// NewByteArrayConverter builds a ByteArrayConverter; the config only
// carries converter.type.
func NewByteArrayConverter(cfg map[string]string) (*ByteArrayConverter, error) {
	if _, err := byteArrayDef.Parse(cfg); err != nil {
		return nil, fmt.Errorf("configure ByteArrayConverter: %w", err)
	}
	return &ByteArrayConverter{}, nil
}

// FromConnect returns the value's bytes. The schema must be nil or BYTES and
// the value nil or []byte.
func (*ByteArrayConverter) FromConnect(_ context.Context, _ string, _ connectors.Headers, v connectors.SchemaAndValue) ([]byte, error) {
	if v.Schema != nil && v.Schema.Type != connectors.Bytes {
		return nil, dataErrorf("Invalid schema type for ByteArrayConverter: %s", v.Schema.Type.EnumName())
	}
	switch b := v.Value.(type) {
	case nil:
		return nil, nil
	case []byte:
		return b, nil
	}
	return nil, dataErrorf("ByteArrayConverter is not compatible with objects of type %s", javaClass(v.Value))
}

// ToConnect returns b as an optional BYTES value; nil bytes give a nil value.
func (*ByteArrayConverter) ToConnect(_ context.Context, _ string, _ connectors.Headers, b []byte) (connectors.SchemaAndValue, error) {
	if b == nil {
		return connectors.SchemaAndValue{Schema: connectors.OptionalBytesSchema}, nil
	}
	return connectors.SchemaAndValue{Schema: connectors.OptionalBytesSchema, Value: b}, nil
}

// FromConnectHeader is FromConnect for one header value.
func (c *ByteArrayConverter) FromConnectHeader(ctx context.Context, topic, _ string, v connectors.SchemaAndValue) ([]byte, error) {
	return c.FromConnect(ctx, topic, nil, v)
}

// ToConnectHeader is ToConnect for one header value.
func (c *ByteArrayConverter) ToConnectHeader(ctx context.Context, topic, _ string, b []byte) (connectors.SchemaAndValue, error) {
	return c.ToConnect(ctx, topic, nil, b)
}
