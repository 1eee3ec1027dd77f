package runner

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// Test transforms over string values "value-N" or plain strings, so these
// tests pin the chain's contract independent of Kafka's SMTs.

// dropEven drops records whose value ends in an even number.
type dropEven struct{}

func (dropEven) Apply(r connectors.Record) (connectors.Record, bool, error) {
	s, _ := r.Value.Value.(string)
	n, err := strconv.Atoi(s[strings.LastIndexByte(s, '-')+1:])
	if err != nil {
		return r, false, fmt.Errorf("not numbered: %q", s)
	}
	return r, n%2 != 0, nil
}

// suffix appends its setting to string values.
type suffix struct{ s string }

func (t suffix) Apply(r connectors.Record) (connectors.Record, bool, error) {
	r.Value = connectors.SchemaAndValue{Schema: r.Value.Schema, Value: r.Value.Value.(string) + t.s}
	return r, true, nil
}

// route sends records to another topic.
type route struct{ topic string }

func (t route) Apply(r connectors.Record) (connectors.Record, bool, error) {
	r.Topic = t.topic
	return r, true, nil
}

// valueIs is true for records whose value equals its setting.
type valueIs struct{ v string }

func (p valueIs) Test(r connectors.Record) (bool, error) { return r.Value.Value == p.v, nil }

// offsetSuffix appends the sink record's Kafka offset.
type offsetSuffix struct{}

func (offsetSuffix) Apply(r connectors.Record) (connectors.Record, bool, error) {
	return r, false, errors.New("only for sink records")
}

func (offsetSuffix) ApplySink(r connectors.SinkRecord) (connectors.SinkRecord, bool, error) {
	r.Value = connectors.SchemaAndValue{Schema: r.Value.Schema, Value: fmt.Sprintf("%s@%d", r.Value.Value, r.Offset)}
	r.Offset = -42 // the runtime keeps the record's real coordinates whatever a transform returns
	return r, true, nil
}

func chainRegistry(t *testing.T, sink *collectingSink) *connectors.Registry {
	t.Helper()
	reg := testRegistry(t, sink)
	str := func(name string) *config.Def {
		return &config.Def{Keys: []config.Key{{Name: name, Type: config.String, Required: true, Validate: config.NonEmptyString()}}}
	}
	for _, p := range []connectors.Plugin{
		{Class: "test.DropEven", Kind: connectors.KindTransform, Def: &config.Def{},
			NewTransform: func(config.Values) (connectors.Transform, error) { return dropEven{}, nil }},
		{Class: "test.Suffix", Kind: connectors.KindTransform, Def: str("suffix"),
			NewTransform: func(v config.Values) (connectors.Transform, error) {
				if v.String("suffix") == "bad" {
					return nil, &config.KeyError{Key: "suffix", Err: fmt.Errorf("%w: bad is refused", config.ErrInvalid)}
				}
				return suffix{v.String("suffix")}, nil
			}},
		{Class: "test.Route", Kind: connectors.KindTransform, Def: str("topic"),
			NewTransform: func(v config.Values) (connectors.Transform, error) { return route{v.String("topic")}, nil }},
		{Class: "test.OffsetSuffix", Kind: connectors.KindTransform, Def: &config.Def{},
			NewTransform: func(config.Values) (connectors.Transform, error) { return offsetSuffix{}, nil }},
		{Class: "test.ValueIs", Kind: connectors.KindPredicate, Def: str("value"),
			NewPredicate: func(v config.Values) (connectors.Predicate, error) { return valueIs{v.String("value")}, nil }},
	} {
		if err := reg.Register(p); err != nil {
			t.Fatal(err)
		}
	}
	return reg
}

func parseChain(t *testing.T, raw map[string]string) (chain, []string, error) {
	t.Helper()
	raw["name"], raw["connector.class"] = "c", "test.CountingSourceConnector"
	vals, err := config.ConnectorDef().Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	ch, err := buildChain(chainRegistry(t, nil), vals, func(w string) { warnings = append(warnings, w) })
	return ch, warnings, err
}

func TestChainConfigProblemsNameTheirKeys(t *testing.T) {
	_, _, err := parseChain(t, map[string]string{
		"transforms":              "a,b,c,d,e,f",
		"transforms.a.type":       "test.Sufix",
		"transforms.b.suffix":     "x",
		"transforms.c.type":       "test.Suffix",
		"transforms.d.type":       "test.Suffix",
		"transforms.d.suffix":     "bad",
		"transforms.e.type":       "test.Route",
		"transforms.e.topic":      "t",
		"transforms.e.predicate":  "missing",
		"transforms.f.type":       "test.Route",
		"transforms.f.topic":      "t",
		"transforms.f.negate":     "true",
		"predicates":              "p",
		"predicates.p.type":       "test.ValueIs",
		"predicates.p.valeu":      "typo",
		"transforms.a.irrelevant": "1",
	})
	if err == nil {
		t.Fatal("invalid transforms accepted")
	}
	keys := map[string]string{}
	for _, p := range config.Problems(err) {
		var ke *config.KeyError
		if !errors.As(p, &ke) {
			t.Errorf("problem %v names no key", p)
			continue
		}
		keys[ke.Key] = ke.Err.Error()
	}
	for key, want := range map[string]string{
		"transforms.a.type":      "did you mean Suffix?",
		"transforms.b.type":      "no default value",
		"transforms.c.suffix":    "no default value",
		"transforms.d.suffix":    "bad is refused",
		"transforms.e.predicate": "list it in predicates=",
		"transforms.f.negate":    "no config 'transforms.f.predicate'",
		"predicates.p.value":     "no default value",
	} {
		if got, ok := keys[key]; !ok || !strings.Contains(got, want) {
			t.Errorf("problem for %s = %q, want one containing %q (all: %v)", key, got, want, keys)
		}
	}
	if len(keys) != 7 {
		t.Errorf("got %d problems, want 7: %v", len(keys), keys)
	}
}

func TestChainWarnsAboutWhatItIgnores(t *testing.T) {
	_, warnings, err := parseChain(t, map[string]string{
		"transforms":              "a",
		"transforms.a.type":       "test.Suffix",
		"transforms.a.suffix":     "x",
		"transforms.a.sufix":      "y",
		"predicates":              "unused",
		"predicates.unused.type":  "test.ValueIs",
		"predicates.unused.value": "v",
	})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(warnings, "\n")
	for _, want := range []string{`"transforms.a.sufix" is not a known configuration key`, `did you mean "transforms.a.suffix"`, `predicate "unused" (test.ValueIs) is not used`} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings do not say %q:\n%s", want, all)
		}
	}
}

func TestChainAppliesStagesInOrderWithPredicates(t *testing.T) {
	ch, _, err := parseChain(t, map[string]string{
		"transforms":                 "notA,onlyA,all",
		"transforms.notA.type":       "test.Suffix",
		"transforms.notA.suffix":     "-3",
		"transforms.notA.predicate":  "isA",
		"transforms.notA.negate":     "true",
		"transforms.onlyA.type":      "test.Suffix",
		"transforms.onlyA.suffix":    "-2",
		"transforms.onlyA.predicate": "isA",
		"transforms.all.type":        "test.Suffix",
		"transforms.all.suffix":      "-1",
		"predicates":                 "isA",
		"predicates.isA.type":        "test.ValueIs",
		"predicates.isA.value":       "a",
	})
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{"a": "a-2-1", "b": "b-3-1"} {
		out, keep, err := ch.apply(connectors.Record{Topic: "t", Value: connectors.SchemaAndValue{Value: in}})
		if err != nil || !keep || out.Value.Value != want {
			t.Errorf("apply(%q) = %v, %v, %v; want %q", in, out.Value.Value, keep, err, want)
		}
	}
}

func TestChainDropStopsAndErrorsNameTheStage(t *testing.T) {
	ch, _, err := parseChain(t, map[string]string{
		"transforms":             "drop,tail",
		"transforms.drop.type":   "test.DropEven",
		"transforms.tail.type":   "test.Suffix",
		"transforms.tail.suffix": "-kept",
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, keep, err := ch.apply(connectors.Record{Value: connectors.SchemaAndValue{Value: "v-2"}}); keep || err != nil {
		t.Errorf("an even record: keep=%v err=%v, want dropped", keep, err)
	}
	if out, keep, err := ch.apply(connectors.Record{Value: connectors.SchemaAndValue{Value: "v-3"}}); !keep || err != nil || out.Value.Value != "v-3-kept" {
		t.Errorf("an odd record: %v %v %v", out.Value.Value, keep, err)
	}
	_, _, err = ch.apply(connectors.Record{Value: connectors.SchemaAndValue{Value: "v-x"}})
	if err == nil || !strings.Contains(err.Error(), "transform drop (test.DropEven): not numbered") {
		t.Errorf("error %v does not name the stage", err)
	}
}

func TestChainSinkTransformsSeeTheOffset(t *testing.T) {
	ch, _, err := parseChain(t, map[string]string{"transforms": "o", "transforms.o.type": "test.OffsetSuffix"})
	if err != nil {
		t.Fatal(err)
	}
	in := connectors.SinkRecord{Record: connectors.Record{Topic: "t", Value: connectors.SchemaAndValue{Value: "v"}}, Offset: 7, OriginalTopic: "t"}
	out, keep, err := ch.applySink(in)
	if err != nil || !keep || out.Value.Value != "v@7" || out.Offset != 7 || out.OriginalTopic != "t" {
		t.Errorf("applySink = %+v, %v, %v", out, keep, err)
	}
	if _, _, err := ch.apply(in.Record); err == nil {
		t.Error("a sink-only transform accepted a source record")
	}
}

func TestSourceDroppedRecordsAdvanceTheOffset(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	offsetsFile := t.TempDir() + "/connect.offsets"
	opts := Options{WorkerFile: "worker.properties", WorkerProps: workerProps(addr, offsetsFile),
		Connectors: []config.ConnectorFile{{Path: "numbers.properties", Name: "numbers", Config: map[string]string{
			"name": "numbers", "connector.class": "CountingSource", "topic": "numbers", "count": "201",
			"transforms": "odd,tag", "transforms.odd.type": "test.DropEven",
			"transforms.tag.type": "test.Suffix", "transforms.tag.suffix": "!",
		}}},
		Registry: chainRegistry(t, nil), Logger: testLogger(t)}
	_, stop := runWorker(t, opts)
	got := consumeAll(t, addr, "numbers", 100)
	for i, v := range got {
		if want := fmt.Sprintf("value-%d!", 2*i+1); v != want {
			t.Fatalf("record %d = %q, want %q", i, v, want)
		}
	}
	// The last record (value-200) was dropped; its offset is stored all the same.
	eventually(t, "the dropped last record's offset stored", func() bool {
		if _, err := os.Stat(offsetsFile); err != nil {
			return false
		}
		off := readOffset(t, offsetsFile, "numbers")
		return off != nil && off["n"] == int64(200)
	})
	stop()
}

func TestSinkDroppedAndRoutedRecordsCommitTheirOriginalOffsets(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	kafkatest.Produce(t, addr, "lines", "value-1", "value-2", "value-3", "value-4")
	sink := &collectingSink{}
	opts := sinkOptions(t, addr, sink, "lines", map[string]string{
		"transforms": "odd,route", "transforms.odd.type": "test.DropEven",
		"transforms.route.type": "test.Route", "transforms.route.topic": "elsewhere",
	})
	opts.Registry = chainRegistry(t, sink)
	_, stop := runWorker(t, opts)
	eventually(t, "records flushed", func() bool { _, f := sink.snapshot(); return len(f) == 2 })
	eventually(t, "offsets committed past the dropped last record", func() bool {
		return kafkatest.CommittedOffset(t, addr, "connect-collect", "lines") == 4
	})
	stop()
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if got := strings.Join(sink.put, ","); got != "value-1,value-3" {
		t.Errorf("sink got %s", got)
	}
	if got := strings.Join(sink.topics, ","); got != "elsewhere,elsewhere" {
		t.Errorf("sink records' topics %s, want the routed topic", got)
	}
	if off, ok := sink.committed[connectors.TopicPartition{Topic: "lines", Partition: 0}]; !ok || off != 4 {
		t.Errorf("Flush offsets %v, want lines-0 at 4 (keyed by where the records were read)", sink.committed)
	}
}

func TestSinkTransformErrorFailsTheTaskNamingTheRecord(t *testing.T) {
	_, addr := kafkatest.Cluster(t)
	kafkatest.Produce(t, addr, "lines", "value-1", "oops")
	sink := &collectingSink{}
	opts := sinkOptions(t, addr, sink, "lines", map[string]string{"transforms": "odd", "transforms.odd.type": "test.DropEven"})
	opts.Registry = chainRegistry(t, sink)
	w, stop := runWorker(t, opts)
	var trace string
	eventually(t, "the task to fail", func() bool {
		for _, s := range w.status.snapshot() {
			if s.State == StateFailed {
				trace = s.Err.Error()
				return true
			}
		}
		return false
	})
	stop()
	for _, want := range []string{"lines-0 offset 1", "transform odd (test.DropEven)", `not numbered: "oops"`} {
		if !strings.Contains(trace, want) {
			t.Errorf("failure %q does not name %q", trace, want)
		}
	}
	if off := kafkatest.CommittedOffset(t, addr, "connect-collect", "lines"); off > 1 {
		t.Errorf("committed offset %d is past the failed record", off)
	}
}
