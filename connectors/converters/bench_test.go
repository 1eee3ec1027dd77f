package converters

import (
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/sample"
)

// The throughput benchmark converts one 100-byte line per record.
var line100 = strings.Repeat("lorem ipsum dolor sit amet ", 4)[:100]

func BenchmarkFromConnect(b *testing.B) {
	str, err := NewStringConverter(valueCfg())
	if err != nil {
		b.Fatal(err)
	}
	bench := []struct {
		name string
		c    connectors.Converter
	}{
		{"String/100B", str},
		{"Json/100B", mustJSON(b)},
		{"JsonNoSchemas/100B", mustJSON(b, KeySchemasEnable, "false")},
	}
	v := connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: line100}
	for _, bb := range bench {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(line100)))
			for b.Loop() {
				if _, err := bb.c.FromConnect(ctx, "t", nil, v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkToConnect reads one consumed 100-byte value, as the sink path
// does per record.
func BenchmarkToConnect(b *testing.B) {
	str, err := NewStringConverter(valueCfg())
	if err != nil {
		b.Fatal(err)
	}
	js := mustJSON(b)
	enveloped, err := js.FromConnect(ctx, "t", nil, connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: line100})
	if err != nil {
		b.Fatal(err)
	}
	bench := []struct {
		name string
		c    connectors.Converter
		in   []byte
	}{
		{"String/100B", str, []byte(line100)},
		{"ByteArray/100B", &ByteArrayConverter{}, []byte(line100)},
		{"Json/100B", js, enveloped},
	}
	for _, bb := range bench {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(line100)))
			for b.Loop() {
				if _, err := bb.c.ToConnect(ctx, "t", nil, bb.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkJsonOrder converts a ~1 KB order Struct (nested Structs, an
// array, a map, Decimals and a Timestamp) in both directions, with and
// without the schema envelope. Bytes are those of the JSON.
func BenchmarkJsonOrder(b *testing.B) {
	order := sample.Order(42)
	for _, schemas := range []string{"true", "false"} {
		js := mustJSON(b, KeySchemasEnable, schemas)
		enc, err := js.FromConnect(ctx, "orders", nil, order)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("FromConnect/schemas.enable="+schemas, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(enc)))
			for b.Loop() {
				if _, err := js.FromConnect(ctx, "orders", nil, order); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("ToConnect/schemas.enable="+schemas, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(enc)))
			for b.Loop() {
				if _, err := js.ToConnect(ctx, "orders", nil, enc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
