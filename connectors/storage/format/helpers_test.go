package format

import (
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func field(i int, name string, s *connectors.Schema) connectors.Field {
	return connectors.Field{Name: name, Index: i, Schema: s}
}

func structSchema(name string, fields ...connectors.Field) *connectors.Schema {
	return &connectors.Schema{Type: connectors.Struct, Name: name, Fields: fields}
}

// structOf fills a value of s with name/value pairs.
func structOf(t *testing.T, s *connectors.Schema, kv ...any) *connectors.StructValue {
	t.Helper()
	v := connectors.NewStruct(s)
	for i := 0; i < len(kv); i += 2 {
		if err := v.Put(kv[i].(string), kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return v
}

func record(s *connectors.Schema, v any, offset int64) connectors.SinkRecord {
	return connectors.SinkRecord{
		Record: connectors.Record{Topic: "t", Value: connectors.SchemaAndValue{Schema: s, Value: v}},
		Offset: offset,
	}
}

func mustWrite(t *testing.T, w Writer, rs ...connectors.SinkRecord) {
	t.Helper()
	for _, r := range rs {
		if err := w.Write(r); err != nil {
			t.Fatalf("Write(offset %d): %v", r.Offset, err)
		}
	}
}
