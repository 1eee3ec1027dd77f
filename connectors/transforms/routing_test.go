package transforms

import (
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// exampleStage is one transform of a chain declared in a plugin's Example.
type exampleStage struct {
	transform connectors.Transform
	predicate connectors.Predicate
	negate    bool
}

// exampleChain builds the chain an Example's properties block declares,
// with the keys exactly as written there, so an example cannot drift from
// what its test runs.
func exampleChain(t *testing.T, example string) []exampleStage {
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
	preds := map[string]connectors.Predicate{}
	for _, alias := range config.SplitList(props["predicates"]) {
		settings := config.Subset(props, "predicates."+alias+".")
		class := settings["type"]
		delete(settings, "type")
		p, err := newPredicate(t, class, settings)
		if err != nil {
			t.Fatalf("predicate %s: %v", alias, err)
		}
		preds[alias] = p
	}
	var out []exampleStage
	for _, alias := range config.SplitList(props["transforms"]) {
		settings := config.Subset(props, "transforms."+alias+".")
		st := exampleStage{negate: settings["negate"] == "true"}
		if name, ok := settings["predicate"]; ok {
			if st.predicate = preds[name]; st.predicate == nil {
				t.Fatalf("transform %s names undeclared predicate %s", alias, name)
			}
		}
		class := settings["type"]
		for _, k := range []string{"type", "predicate", "negate"} {
			delete(settings, k)
		}
		st.transform = mustTransform(t, class, settings)
		out = append(out, st)
	}
	return out
}

// runExample applies a chain as the runtime does: a stage runs when
// negate XOR predicate, and a dropped record ends the chain.
func runExample(t *testing.T, chain []exampleStage, r connectors.Record) (connectors.Record, bool) {
	t.Helper()
	for _, st := range chain {
		if st.predicate != nil {
			ok, err := st.predicate.Test(r)
			if err != nil {
				t.Fatal(err)
			}
			if ok == st.negate {
				continue
			}
		}
		out, keep, err := apply(t, st.transform, r)
		if err != nil {
			t.Fatal(err)
		}
		if !keep {
			return connectors.Record{}, false
		}
		r = out
	}
	return r, true
}

// withNegate returns example with every "negate=false" line of the
// properties block turned to true, or negate=true added for alias.
func withNegate(example, alias string) string {
	line := "transforms." + alias + ".negate="
	if strings.Contains(example, line+"false") {
		return strings.Replace(example, line+"false", line+"true", 1)
	}
	return strings.Replace(example, "transforms="+alias+"\n", "transforms="+alias+"\n"+line+"true\n", 1)
}

// pluginExample returns the Example of the plugin registered as class,
// failing when its Doc or Example is missing.
func pluginExample(t *testing.T, class string, kind connectors.Kind) string {
	t.Helper()
	p := lookup(t, class, kind)
	if strings.TrimSpace(p.Doc) == "" || strings.TrimSpace(p.Example) == "" {
		t.Fatalf("%s has no Doc or Example", class)
	}
	return p.Example
}

func hdrs(kv ...string) connectors.Headers {
	var h connectors.Headers
	for i := 0; i+1 < len(kv); i += 2 {
		h = h.With(kv[i], connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: kv[i+1]})
	}
	return h
}

func TestFilterExample(t *testing.T) {
	example := pluginExample(t, Package+".Filter", connectors.KindTransform)
	tests := []struct {
		row   string
		topic string
		kept  bool
	}{
		{"| `test-orders` | dropped |", "test-orders", false},
		{"| `orders` | kept unchanged |", "orders", true},
	}
	chain, negated := exampleChain(t, example), exampleChain(t, withNegate(example, "dropTest"))
	for _, tt := range tests {
		t.Run(tt.topic, func(t *testing.T) {
			if !strings.Contains(example, tt.row) {
				t.Fatalf("example lacks row %q", tt.row)
			}
			in := connectors.Record{Topic: tt.topic, Partition: -1, Value: connectors.SchemaAndValue{Schema: connectors.StringSchema, Value: "v"}}
			out, kept := runExample(t, chain, in)
			if kept != tt.kept || (kept && !recordEqual(out, in)) {
				t.Errorf("got %+v kept=%v, want kept=%v unchanged", out, kept, tt.kept)
			}
			if _, kept := runExample(t, negated, in); kept == tt.kept {
				t.Errorf("negated: kept=%v, want %v", kept, !tt.kept)
			}
		})
	}
	if !strings.Contains(example, "transforms.dropTest.negate=true") {
		t.Error("example no longer describes negate")
	}
}

func TestFilterDropsEverything(t *testing.T) {
	tr := mustTransform(t, Package+".Filter", nil)
	for _, r := range []connectors.Record{
		{},
		{Topic: "t", Value: connectors.SchemaAndValue{Value: map[string]any{"a": 1}}, Headers: hdrs("h", "v")},
	} {
		if _, keep, err := apply(t, tr, r); keep || err != nil {
			t.Errorf("Filter on %+v: keep=%v err=%v", r, keep, err)
		}
	}
}
