package transforms

import (
	"errors"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

const insertHeaderClass = Package + ".InsertHeader"

func TestInsertHeader(t *testing.T) {
	str := func(s string) connectors.SchemaAndValue {
		return connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: s}
	}
	tests := []struct {
		name    string
		literal string
		in      connectors.Headers
		want    connectors.SchemaAndValue
	}{
		{"text", "inventory-db", nil, str("inventory-db")},
		{"number", "42", nil, connectors.SchemaAndValue{Schema: connectors.Int8Schema, Value: int8(42)}},
		{"boolean", "true", nil, connectors.SchemaAndValue{Schema: connectors.BooleanSchema, Value: true}},
		{"null", "null", nil, connectors.SchemaAndValue{}},
		{"empty", "", nil, str("")},
		{"appended after a header of the same name", "new", hdrs("h", "old", "x", "y"), str("new")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := mustTransform(t, insertHeaderClass, map[string]string{"header": "h", "value.literal": tt.literal})
			in := connectors.Record{Topic: "t", Headers: tt.in, Value: connectors.SchemaAndValue{Value: "v"}}
			out, keep, err := apply(t, tr, in)
			if err != nil || !keep {
				t.Fatalf("keep=%v err=%v", keep, err)
			}
			want := in
			want.Headers = tt.in.With("h", tt.want)
			if !recordEqual(out, want) {
				t.Errorf("got %+v, want %+v", out, want)
			}
		})
	}
}

func TestInsertHeaderConfigErrors(t *testing.T) {
	for _, raw := range []map[string]string{
		{"value.literal": "1"},
		{"header": "h"},
	} {
		if _, err := newTransform(t, insertHeaderClass, raw); !errors.Is(err, config.ErrMissing) {
			t.Errorf("%v: error %v, want a missing key", raw, err)
		}
	}
}

func TestInsertHeaderExample(t *testing.T) {
	example := pluginExample(t, insertHeaderClass, connectors.KindTransform)
	in := connectors.Record{Topic: "t", Headers: hdrs("trace", "abc")}
	out, _ := runExample(t, exampleChain(t, example), in)
	want := hdrs("trace", "abc", "source", "inventory-db")
	if !strings.Contains(example, "`[trace=abc]` leaves with `[trace=abc, source=inventory-db]`, the new header a STRING") {
		t.Fatal("example lacks the record it shows")
	}
	if !recordEqual(out, connectors.Record{Topic: "t", Headers: want}) {
		t.Errorf("headers %+v, want %+v", out.Headers, want)
	}

	for _, tt := range []struct {
		row, literal string
		want         connectors.SchemaAndValue
	}{
		{"| `42` | INT8 | 42 |", "42", connectors.SchemaAndValue{Schema: connectors.Int8Schema, Value: int8(42)}},
		{"| `true` | BOOLEAN | true |", "true", connectors.SchemaAndValue{Schema: connectors.BooleanSchema, Value: true}},
		{"| `inventory db` | STRING | inventory db |", "inventory db", connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: "inventory db"}},
	} {
		if !strings.Contains(example, tt.row) {
			t.Fatalf("example lacks row %q", tt.row)
		}
		changed := strings.Replace(example, "value.literal=inventory-db", "value.literal="+tt.literal, 1)
		out, _ := runExample(t, exampleChain(t, changed), connectors.Record{})
		if len(out.Headers) != 1 || !svEqual(out.Headers[0].Value, tt.want) {
			t.Errorf("literal %q: headers %+v, want %+v", tt.literal, out.Headers, tt.want)
		}
	}
}
