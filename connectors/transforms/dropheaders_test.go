package transforms

import (
	"errors"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

const dropHeadersClass = Package + ".DropHeaders"

func TestDropHeaders(t *testing.T) {
	tests := []struct {
		name, headers string
		in, want      connectors.Headers
	}{
		{"one", "a", hdrs("a", "1", "b", "2"), hdrs("b", "2")},
		{"every occurrence", "a", hdrs("a", "1", "b", "2", "a", "3"), hdrs("b", "2")},
		{"several, order kept", "a, c", hdrs("c", "0", "b", "1", "a", "2", "d", "3"), hdrs("b", "1", "d", "3")},
		{"absent", "x", hdrs("a", "1"), hdrs("a", "1")},
		{"no headers", "x", nil, connectors.Headers{}},
		{"names are case-sensitive", "A", hdrs("a", "1"), hdrs("a", "1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := mustTransform(t, dropHeadersClass, map[string]string{"headers": tt.headers})
			in := connectors.Record{Topic: "t", Partition: 1, Headers: tt.in, Value: connectors.SchemaAndValue{Value: "v"}}
			out, keep, err := apply(t, tr, in)
			if err != nil || !keep {
				t.Fatalf("keep=%v err=%v", keep, err)
			}
			want := in
			want.Headers = tt.want
			if !recordEqual(out, want) {
				t.Errorf("got %+v, want %+v", out.Headers, tt.want)
			}
		})
	}
}

func TestDropHeadersConfigErrors(t *testing.T) {
	if _, err := newTransform(t, dropHeadersClass, nil); !errors.Is(err, config.ErrMissing) {
		t.Errorf("no headers: error %v, want a missing key", err)
	}
	if _, err := newTransform(t, dropHeadersClass, map[string]string{"headers": " "}); err == nil || !strings.Contains(err.Error(), "Empty list") {
		t.Errorf("empty headers: error %v, want Empty list", err)
	}
}

func TestDropHeadersExample(t *testing.T) {
	example := pluginExample(t, dropHeadersClass, connectors.KindTransform)
	if !strings.Contains(example, "`[trace=abc, source=db, debug=true, trace=def]` leaves with `[source=db]`") {
		t.Fatal("example lacks the record it shows")
	}
	in := connectors.Record{Topic: "t", Headers: hdrs("trace", "abc", "source", "db", "debug", "true", "trace", "def")}
	out, _ := runExample(t, exampleChain(t, example), in)
	if want := hdrs("source", "db"); !recordEqual(out, connectors.Record{Topic: "t", Headers: want}) {
		t.Errorf("headers %+v, want %+v", out.Headers, want)
	}
}
