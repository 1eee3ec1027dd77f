package transforms

import (
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// newTransform builds the transform registered as class from raw settings,
// as the runner does.
func newTransform(t testing.TB, class string, raw map[string]string) (connectors.Transform, error) {
	t.Helper()
	p := lookup(t, class, connectors.KindTransform)
	vals, err := p.Def.Parse(raw)
	if err != nil {
		return nil, err
	}
	return p.NewTransform(vals)
}

// mustTransform is newTransform for settings that must be valid.
func mustTransform(t testing.TB, class string, raw map[string]string) connectors.Transform {
	t.Helper()
	tr, err := newTransform(t, class, raw)
	if err != nil {
		t.Fatalf("configure %s with %v: %v", class, raw, err)
	}
	return tr
}

// newPredicate builds the predicate registered as class from raw settings.
func newPredicate(t testing.TB, class string, raw map[string]string) (connectors.Predicate, error) {
	t.Helper()
	p := lookup(t, class, connectors.KindPredicate)
	vals, err := p.Def.Parse(raw)
	if err != nil {
		return nil, err
	}
	return p.NewPredicate(vals)
}

func lookup(t testing.TB, class string, kind connectors.Kind) connectors.Plugin {
	t.Helper()
	for _, p := range Plugins() {
		if p.Class == class && p.Kind == kind {
			return p
		}
	}
	t.Fatalf("no %s plugin %s", kind, class)
	return connectors.Plugin{}
}

// apply runs tr on r and fails the test if tr changed r in any way: its
// maps, slices, StructValues and headers must come out as they went in.
func apply(t testing.TB, tr connectors.Transform, r connectors.Record) (connectors.Record, bool, error) {
	t.Helper()
	before := cloneRecord(r)
	out, keep, err := tr.Apply(r)
	if !recordEqual(r, before) {
		t.Fatalf("%T changed its input record:\nbefore %+v\nafter  %+v", tr, before, r)
	}
	return out, keep, err
}

// applySink is apply for the sink path.
func applySink(t testing.TB, tr connectors.Transform, r connectors.SinkRecord) (connectors.SinkRecord, bool, error) {
	t.Helper()
	st, ok := tr.(connectors.SinkRecordTransform)
	if !ok {
		out, keep, err := apply(t, tr, r.Record)
		r.Record = out
		return r, keep, err
	}
	before := cloneRecord(r.Record)
	out, keep, err := st.ApplySink(r)
	if !recordEqual(r.Record, before) {
		t.Fatalf("%T changed its input record:\nbefore %+v\nafter  %+v", tr, before, r.Record)
	}
	return out, keep, err
}

func recordEqual(a, b connectors.Record) bool {
	if a.Topic != b.Topic || a.Partition != b.Partition || !a.Timestamp.Equal(b.Timestamp) || len(a.Headers) != len(b.Headers) {
		return false
	}
	for i := range a.Headers {
		if a.Headers[i].Key != b.Headers[i].Key || !svEqual(a.Headers[i].Value, b.Headers[i].Value) {
			return false
		}
	}
	return svEqual(a.Key, b.Key) && svEqual(a.Value, b.Value)
}

func svEqual(a, b connectors.SchemaAndValue) bool {
	return connectors.SchemaEqual(a.Schema, b.Schema) && connectors.ValueEqual(a.Value, b.Value)
}

func cloneRecord(r connectors.Record) connectors.Record {
	r.Key = cloneSV(r.Key)
	r.Value = cloneSV(r.Value)
	hs := make(connectors.Headers, len(r.Headers))
	for i, h := range r.Headers {
		hs[i] = connectors.Header{Key: h.Key, Value: cloneSV(h.Value)}
	}
	r.Headers = hs
	return r
}

func cloneSV(sv connectors.SchemaAndValue) connectors.SchemaAndValue {
	return connectors.SchemaAndValue{Schema: cloneSchema(sv.Schema), Value: cloneValue(sv.Value)}
}

func cloneSchema(s *connectors.Schema) *connectors.Schema {
	if s == nil {
		return nil
	}
	c := *s
	c.Default = cloneValue(s.Default)
	if s.Parameters != nil {
		c.Parameters = make(map[string]string, len(s.Parameters))
		for k, v := range s.Parameters {
			c.Parameters[k] = v
		}
	}
	if s.Fields != nil {
		c.Fields = make([]connectors.Field, len(s.Fields))
		for i, f := range s.Fields {
			c.Fields[i] = connectors.Field{Name: f.Name, Index: f.Index, Schema: cloneSchema(f.Schema)}
		}
	}
	c.Key, c.Value = cloneSchema(s.Key), cloneSchema(s.Value)
	return &c
}

func cloneValue(v any) any {
	switch x := v.(type) {
	case []byte:
		return append([]byte(nil), x...)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = cloneValue(e)
		}
		return out
	case map[any]any:
		out := make(map[any]any, len(x))
		for k, e := range x {
			out[k] = cloneValue(e)
		}
		return out
	case *connectors.StructValue:
		// A deep copy that does not share the schema: Equal compares schemas
		// by value, so a changed schema shows up too.
		out := connectors.NewStruct(cloneSchema(x.Schema()))
		for _, f := range x.Schema().Fields {
			v, _ := x.GetWithoutDefault(f.Name)
			_ = out.Put(f.Name, cloneValue(v)) // the copy holds what the original held
		}
		return out
	}
	return v
}
