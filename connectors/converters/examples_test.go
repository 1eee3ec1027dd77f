package converters

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// exampleConverter builds the converter an Example's properties block
// configures (key.converter, value.converter or header.converter), with
// the settings written there.
func exampleConverter(t *testing.T, example string) connectors.HeaderConverter {
	t.Helper()
	_, rest, ok := strings.Cut(example, "```properties\n")
	block, _, closed := strings.Cut(rest, "```")
	if !ok || !closed {
		t.Fatalf("example has no properties block:\n%s", example)
	}
	props, err := config.ParseProperties([]byte(block))
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"key", "value", "header"} {
		class, ok := props[role+".converter"]
		if !ok {
			continue
		}
		cfg := config.Subset(props, role+".converter.")
		cfg[connectors.ConverterTypeKey] = role
		kind := connectors.KindConverter
		if role == "header" {
			kind = connectors.KindHeaderConverter
		}
		for _, p := range Plugins() {
			if p.Class != class || p.Kind != kind {
				continue
			}
			if kind == connectors.KindHeaderConverter {
				hc, err := p.NewHeaderConverter(cfg)
				if err != nil {
					t.Fatal(err)
				}
				return hc
			}
			c, err := p.NewConverter(cfg)
			if err != nil {
				t.Fatal(err)
			}
			return converterAsHeader{c}
		}
		t.Fatalf("no %s plugin %s", kind, class)
	}
	t.Fatalf("example configures no converter:\n%s", example)
	return nil
}

// converterAsHeader lets the test drive key/value and header converters alike.
type converterAsHeader struct{ c connectors.Converter }

func (a converterAsHeader) FromConnectHeader(ctx context.Context, topic, _ string, v connectors.SchemaAndValue) ([]byte, error) {
	return a.c.FromConnect(ctx, topic, nil, v)
}

func (a converterAsHeader) ToConnectHeader(ctx context.Context, topic, _ string, b []byte) (connectors.SchemaAndValue, error) {
	return a.c.ToConnect(ctx, topic, nil, b)
}

// render shows bytes as the examples do: null, text, or spaced hex.
func render(b []byte, text bool) string {
	switch {
	case b == nil:
		return "null"
	case text:
		return "`" + string(b) + "`"
	}
	return "`" + strings.TrimSpace(fmt.Sprintf("% x", b)) + "`"
}

type exampleRow struct {
	shown string // the first column, as the example writes it
	value connectors.SchemaAndValue
}

type exampleRead struct {
	bytes string // UTF-8 text or, for binary examples, the value written
	shown string // the second column
	want  connectors.SchemaAndValue
}

func TestConverterExamples(t *testing.T) {
	sv := func(s *connectors.Schema, v any) connectors.SchemaAndValue {
		return connectors.SchemaAndValue{Schema: s, Value: v}
	}
	null := exampleRow{"null", connectors.SchemaAndValue{}}
	rec := &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{
		{Name: "id", Index: 0, Schema: connectors.Int64Schema},
		{Name: "name", Index: 1, Schema: connectors.OptionalStringSchema},
	}}
	recValue := connectors.NewStruct(rec)
	if err := recValue.Put("id", int64(1)); err != nil {
		t.Fatal(err)
	}
	structRow := exampleRow{"STRUCT `{id=1, name=null}` with fields `id` INT64 and `name` optional STRING", sv(rec, recValue)}
	int32Array := &connectors.Schema{Type: connectors.Array, Value: connectors.Int32Schema}

	tests := []struct {
		class string
		text  bool // bytes are shown as UTF-8 text rather than hex
		rows  []exampleRow
		reads []exampleRead
	}{
		{class: ClassStringConverter, rows: []exampleRow{
			{"STRING `héllo`", sv(connectors.StringSchema, "héllo")},
			{"INT32 `42`", sv(connectors.Int32Schema, int32(42))},
			{"BOOLEAN `true`", sv(connectors.BooleanSchema, true)},
			null,
		}, reads: []exampleRead{{"42", "Reading `34 32` back gives the STRING `42`.", sv(connectors.OptionalStringSchema, "42")}}},
		{class: ClassByteArrayConverter, rows: []exampleRow{
			{"BYTES `01 02 ff`", sv(connectors.BytesSchema, []byte{1, 2, 0xff})},
			null,
		}},
		{class: ClassJsonConverter, text: true, rows: []exampleRow{
			{"INT32 `42`", sv(connectors.Int32Schema, int32(42))},
			structRow,
			null,
		}},
		{class: ClassSimpleHeaderConverter, text: true, rows: []exampleRow{
			{"STRING `eu`", sv(connectors.StringSchema, "eu")},
			{"INT32 `1000`", sv(connectors.Int32Schema, int32(1000))},
			{"BOOLEAN `true`", sv(connectors.BooleanSchema, true)},
			{"ARRAY of INT32 `[1, 2]`", sv(int32Array, []any{int32(1), int32(2)})},
			null,
		}, reads: []exampleRead{
			{"1000", "| `1000` | INT16 `1000` |", sv(connectors.Int16Schema, int16(1000))},
			{"true", "| `true` | BOOLEAN `true` |", sv(connectors.BooleanSchema, true)},
			{"eu", "| `eu` | STRING `eu` |", sv(connectors.StringSchema, "eu")},
		}},
		{class: ClassShortConverter, rows: []exampleRow{{"INT16 `-2`", sv(connectors.Int16Schema, int16(-2))}, null}},
		{class: ClassIntegerConverter, rows: []exampleRow{{"INT32 `42`", sv(connectors.Int32Schema, int32(42))}, null}},
		{class: ClassLongConverter, rows: []exampleRow{{"INT64 `1700000000000`", sv(connectors.Int64Schema, int64(1700000000000))}, null}},
		{class: ClassFloatConverter, rows: []exampleRow{{"FLOAT32 `1.5`", sv(connectors.Float32Schema, float32(1.5))}, null}},
		{class: ClassDoubleConverter, rows: []exampleRow{{"FLOAT64 `-0.1`", sv(connectors.Float64Schema, -0.1)}, null}},
		{class: ClassBooleanConverter, rows: []exampleRow{
			{"BOOLEAN `true`", sv(connectors.BooleanSchema, true)},
			{"BOOLEAN `false`", sv(connectors.BooleanSchema, false)},
			null,
		}},
	}
	ctx := context.Background()
	documented := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.class[strings.LastIndex(tt.class, ".")+1:], func(t *testing.T) {
			documented[tt.class] = true
			example := converterDocs[tt.class].example
			c := exampleConverter(t, example)
			for _, row := range tt.rows {
				b, err := c.FromConnectHeader(ctx, "t", "h", row.value)
				if err != nil {
					t.Fatalf("%s: %v", row.shown, err)
				}
				want := "| " + row.shown + " | " + render(b, tt.text) + " |"
				if !strings.Contains(example, want) {
					t.Errorf("example lacks the row %s", want)
				}
				got, err := c.ToConnectHeader(ctx, "t", "h", b)
				if err != nil {
					t.Errorf("%s: reading back: %v", row.shown, err)
				}
				if (got.Value == nil) != (row.value.Value == nil) {
					t.Errorf("%s: read back as %+v", row.shown, got)
				}
			}
			for _, r := range tt.reads {
				got, err := c.ToConnectHeader(ctx, "t", "h", []byte(r.bytes))
				if err != nil || !connectors.SchemaEqual(got.Schema, r.want.Schema) || !connectors.ValueEqual(got.Value, r.want.Value) {
					t.Errorf("reading %q: %+v, %v; want %+v", r.bytes, got, err, r.want)
				}
				if !strings.Contains(example, r.shown) {
					t.Errorf("example lacks %s", r.shown)
				}
			}
		})
	}
	for _, p := range Plugins() {
		if !documented[p.Class] {
			t.Errorf("%s has no tested example", p.Class)
		}
		if p.Doc == "" || p.Example == "" {
			t.Errorf("%s %s has no Doc or Example", p.Kind, p.Class)
		}
	}
}

// The prose under some examples states more bytes; they are checked here.
func TestConverterExampleNotes(t *testing.T) {
	ctx := context.Background()

	example := converterDocs[ClassByteArrayConverter].example
	_, err := exampleConverter(t, example).FromConnectHeader(ctx, "t", "h", connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: "x"})
	if err == nil || !strings.Contains(example, "`"+err.Error()+"`") {
		t.Errorf("example does not show the error %v", err)
	}

	example = converterDocs[ClassJsonConverter].example
	plain := strings.Replace(example, "schemas.enable=true", "schemas.enable=false", 1)
	c := exampleConverter(t, plain)
	rec := &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{
		{Name: "id", Index: 0, Schema: connectors.Int64Schema},
		{Name: "name", Index: 1, Schema: connectors.OptionalStringSchema},
	}}
	s := connectors.NewStruct(rec)
	if err := s.Put("id", int64(1)); err != nil {
		t.Fatal(err)
	}
	var shown []string
	for _, v := range []connectors.SchemaAndValue{{Schema: connectors.Int32Schema, Value: int32(42)}, {Schema: rec, Value: s}} {
		b, err := c.FromConnectHeader(ctx, "t", "h", v)
		if err != nil {
			t.Fatal(err)
		}
		shown = append(shown, render(b, true))
	}
	if want := "With `value.converter.schemas.enable=false` the same values are written as " + strings.Join(shown, " and "); !strings.Contains(example, want) {
		t.Errorf("example lacks %q", want)
	}
}
