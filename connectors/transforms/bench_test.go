package transforms

import (
	"context"
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/converters"
	"github.com/connect-standalone/connect-standalone/internal/sample"
)

// BenchmarkChainOrder runs a typical three-transform chain (rename and
// drop fields, add the topic and a constant, copy the id into the key) over
// a ~1 KB order Struct. Bytes are those of the order as schemaless JSON, so
// the figure compares with the converter benchmarks.
func BenchmarkChainOrder(b *testing.B) {
	chain := []connectors.Transform{
		mustTransform(b, Package+".ReplaceField$Value", map[string]string{"exclude": "note", "renames": "status:state,weight:weight_kg"}),
		mustTransform(b, Package+".InsertField$Value", map[string]string{"topic.field": "topic", "static.field": "source", "static.value": "shop"}),
		mustTransform(b, Package+".ValueToKey", map[string]string{"fields": "id"}),
	}
	js, err := converters.NewJsonConverter(map[string]string{connectors.ConverterTypeKey: "value", converters.KeySchemasEnable: "false"})
	if err != nil {
		b.Fatal(err)
	}
	order := sample.Order(42)
	size, err := js.FromConnect(context.Background(), "orders", nil, order)
	if err != nil {
		b.Fatal(err)
	}
	in := connectors.Record{Topic: "orders", Partition: -1, Value: order}
	b.ReportAllocs()
	b.SetBytes(int64(len(size)))
	for b.Loop() {
		r := in
		for _, t := range chain {
			var keep bool
			if r, keep, err = t.Apply(r); err != nil || !keep {
				b.Fatalf("keep=%v err=%v", keep, err)
			}
		}
	}
}
