package transforms

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/converters"
)

// fieldExample is the worked example of a plugin's Example text: the
// settings, and the key or value before and after as JsonConverter writes
// them.
type fieldExample struct {
	class      string
	alias      string
	props      map[string]string // without the alias prefix
	schemas    bool              // JsonConverter envelopes
	topic      string
	in, out    string // the operated part: the value, or the key for ValueToKey
	keyOut     string // ValueToKey: the key after
	wantHeader *connectors.Header
}

var fieldExamples = []fieldExample{
	{class: Package + ".InsertField$Value", alias: "addSource", topic: "orders",
		props: map[string]string{"topic.field": "topic", "static.field": "origin", "static.value": "warehouse-7"},
		in:    `{"id":42}`, out: `{"origin":"warehouse-7","topic":"orders","id":42}`},
	{class: Package + ".ReplaceField$Value", alias: "tidy",
		props: map[string]string{"exclude": "password", "renames": "uid:user_id"},
		in:    `{"uid":7,"name":"ada","password":"secret"}`, out: `{"user_id":7,"name":"ada"}`},
	{class: Package + ".MaskField$Value", alias: "mask",
		props: map[string]string{"fields": "card,cvv", "replacement": "0000"},
		in:    `{"card":"4111111111111111","cvv":123,"name":"ada"}`, out: `{"cvv":0,"name":"ada","card":"0000"}`},
	{class: Package + ".ValueToKey", alias: "keyById",
		props: map[string]string{"fields": "id"},
		in:    `{"id":42,"name":"ada"}`, out: `{"name":"ada","id":42}`, keyOut: `{"id":42}`},
	{class: Package + ".HoistField$Value", alias: "wrap",
		props: map[string]string{"field": "line"},
		in:    `"hello world"`, out: `{"line":"hello world"}`},
	{class: Package + ".ExtractField$Value", alias: "pick",
		props: map[string]string{"field": "after.id", "field.syntax.version": "V2"},
		in:    `{"op":"c","after":{"id":42,"name":"ada"}}`, out: `42`},
	{class: Package + ".SetSchemaMetadata$Value", alias: "name", schemas: true,
		props: map[string]string{"schema.name": "com.example.Order", "schema.version": "2"},
		in:    `{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false},"payload":{"id":42}}`,
		out:   `{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false,"name":"com.example.Order","version":2},"payload":{"id":42}}`},
	{class: Package + ".HeaderFrom$Value", alias: "trace",
		props: map[string]string{"fields": "trace_id", "headers": "traceparent", "operation": "move"},
		in:    `{"trace_id":"4bf92f35","amount":10}`, out: `{"amount":10}`,
		wantHeader: &connectors.Header{Key: "traceparent", Value: connectors.SchemaAndValue{Value: "4bf92f35"}}},
}

// TestFieldExamples runs every Example and checks that its text shows
// exactly these settings, input and output.
func TestFieldExamples(t *testing.T) {
	ctx := context.Background()
	for _, ex := range fieldExamples {
		t.Run(ex.class, func(t *testing.T) {
			p := lookup(t, ex.class, connectors.KindTransform)
			want := []string{
				"transforms=" + ex.alias + "\n",
				"transforms." + ex.alias + ".type=" + ex.class + "\n",
				"```json\n" + ex.in + "\n```",
				"```json\n" + ex.out + "\n```",
			}
			if ex.keyOut != "" {
				want[3] = "```json\n" + ex.keyOut + "\n```"
			}
			for k, v := range ex.props {
				want = append(want, "transforms."+ex.alias+"."+k+"="+v+"\n")
			}
			for _, w := range want {
				if !strings.Contains(p.Example, w) {
					t.Errorf("Example lacks %q:\n%s", w, p.Example)
				}
			}
			if n := strings.Count(p.Example, "transforms."+ex.alias+"."); n != len(ex.props)+1 {
				t.Errorf("Example has %d settings, the test %d", n, len(ex.props)+1)
			}

			conv, err := converters.NewJsonConverter(map[string]string{"schemas.enable": boolString(ex.schemas), connectors.ConverterTypeKey: "value"})
			if err != nil {
				t.Fatal(err)
			}
			in, err := conv.ToConnect(ctx, ex.topic, nil, []byte(ex.in))
			if err != nil {
				t.Fatal(err)
			}
			tr := mustTransform(t, ex.class, ex.props)
			r := connectors.Record{Topic: ex.topic, Partition: -1, Value: in}
			out, keep, err := apply(t, tr, r)
			if err != nil || !keep {
				t.Fatalf("apply: keep %v, %v", keep, err)
			}
			check := func(what, wantJSON string, sv connectors.SchemaAndValue) {
				b, err := conv.FromConnect(ctx, ex.topic, nil, sv)
				if err != nil {
					t.Fatal(err)
				}
				if string(b) != wantJSON {
					t.Errorf("%s = %s, want %s", what, b, wantJSON)
				}
			}
			check("value", ex.out, out.Value)
			if ex.keyOut != "" {
				check("key", ex.keyOut, out.Key)
			}
			if ex.wantHeader != nil {
				if len(out.Headers) != 1 || out.Headers[0].Key != ex.wantHeader.Key || !svEqual(out.Headers[0].Value, ex.wantHeader.Value) {
					t.Errorf("headers = %+v, want %+v", out.Headers, *ex.wantHeader)
				}
			}
		})
	}
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// wantErr checks err against a wanted message: "" means no error. Data
// errors must match ErrInvalidData, config errors name their key.
func wantErr(t *testing.T, err error, msg string) {
	t.Helper()
	switch {
	case msg == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case msg == "":
	case err == nil:
		t.Fatalf("no error, want %q", msg)
	case !strings.Contains(err.Error(), msg):
		t.Fatalf("error %q, want %q", err, msg)
	}
}

// wantConfigErr builds class from raw and checks the construction fails
// on key with msg.
func wantConfigErr(t *testing.T, class string, raw map[string]string, key, msg string) {
	t.Helper()
	_, err := newTransform(t, class, raw)
	var ke *config.KeyError
	if !errors.As(err, &ke) || ke.Key != key {
		t.Fatalf("error %v, want a config error on %s", err, key)
	}
	wantErr(t, err, msg)
}

// wantDataErr checks err is a data error with exactly msg.
func wantDataErr(t *testing.T, err error, msg string) {
	t.Helper()
	if !errors.Is(err, connectors.ErrInvalidData) || err.Error() != msg {
		t.Fatalf("error %v, want data error %q", err, msg)
	}
}

func TestFieldPluginsRegistered(t *testing.T) {
	var classes []string
	for _, p := range fieldPlugins() {
		classes = append(classes, strings.TrimPrefix(p.Class, Package+"."))
		if p.Kind != connectors.KindTransform || p.Version != connectors.Version || p.Def == nil || p.Doc == "" || p.Example == "" || p.NewTransform == nil {
			t.Errorf("%s is incomplete", p.Class)
		}
	}
	want := "InsertField$Key InsertField$Value ReplaceField$Key ReplaceField$Value MaskField$Key MaskField$Value " +
		"ValueToKey HoistField$Key HoistField$Value ExtractField$Key ExtractField$Value " +
		"SetSchemaMetadata$Key SetSchemaMetadata$Value HeaderFrom$Key HeaderFrom$Value"
	if got := strings.Join(classes, " "); got != want {
		t.Errorf("classes = %s\nwant %s", got, want)
	}
}

// structOf builds a Struct schema with the given fields, in order.
func structOf(fields ...connectors.Field) *connectors.Schema {
	s := &connectors.Schema{Type: connectors.Struct}
	for i, f := range fields {
		f.Index = i
		s.Fields = append(s.Fields, f)
	}
	return s
}

func fld(name string, s *connectors.Schema) connectors.Field {
	return connectors.Field{Name: name, Schema: s}
}

// structVal fills a Struct of schema from name, value pairs.
func structVal(t testing.TB, schema *connectors.Schema, kv ...any) *connectors.StructValue {
	t.Helper()
	s := connectors.NewStruct(schema)
	for i := 0; i < len(kv); i += 2 {
		if err := s.Put(kv[i].(string), kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return s
}
