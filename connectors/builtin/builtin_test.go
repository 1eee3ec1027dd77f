package builtin

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func TestNewResolvesDocumentedNames(t *testing.T) {
	r, err := New(strings.NewReader(""), &bytes.Buffer{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	connectorKinds := []connectors.Kind{connectors.KindSource, connectors.KindSink}
	tests := []struct {
		name  string
		kinds []connectors.Kind
		class string
		kind  connectors.Kind
	}{
		{"org.apache.kafka.connect.file.FileStreamSourceConnector", connectorKinds, "org.apache.kafka.connect.file.FileStreamSourceConnector", connectors.KindSource},
		{"FileStreamSourceConnector", connectorKinds, "org.apache.kafka.connect.file.FileStreamSourceConnector", connectors.KindSource},
		{"FileStreamSource", connectorKinds, "org.apache.kafka.connect.file.FileStreamSourceConnector", connectors.KindSource},
		{"org.apache.kafka.connect.file.FileStreamSinkConnector", connectorKinds, "org.apache.kafka.connect.file.FileStreamSinkConnector", connectors.KindSink},
		{"FileStreamSinkConnector", connectorKinds, "org.apache.kafka.connect.file.FileStreamSinkConnector", connectors.KindSink},
		{"FileStreamSink", connectorKinds, "org.apache.kafka.connect.file.FileStreamSinkConnector", connectors.KindSink},
		{"org.apache.kafka.connect.json.JsonConverter", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.json.JsonConverter", connectors.KindConverter},
		{"JsonConverter", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.json.JsonConverter", connectors.KindConverter},
		{"Json", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.json.JsonConverter", connectors.KindConverter},
		{"org.apache.kafka.connect.storage.StringConverter", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.storage.StringConverter", connectors.KindConverter},
		{"StringConverter", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.storage.StringConverter", connectors.KindConverter},
		{"String", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.storage.StringConverter", connectors.KindConverter},
		{"org.apache.kafka.connect.converters.ByteArrayConverter", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.ByteArrayConverter", connectors.KindConverter},
		{"ByteArrayConverter", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.ByteArrayConverter", connectors.KindConverter},
		{"ByteArray", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.ByteArrayConverter", connectors.KindConverter},
		{"org.apache.kafka.connect.storage.SimpleHeaderConverter", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.storage.SimpleHeaderConverter", connectors.KindHeaderConverter},
		{"SimpleHeaderConverter", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.storage.SimpleHeaderConverter", connectors.KindHeaderConverter},
		{"Simple", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.storage.SimpleHeaderConverter", connectors.KindHeaderConverter},
		{"org.apache.kafka.connect.converters.ShortConverter", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.ShortConverter", connectors.KindConverter},
		{"ShortConverter", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.ShortConverter", connectors.KindConverter},
		{"Short", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.ShortConverter", connectors.KindConverter},
		{"org.apache.kafka.connect.converters.IntegerConverter", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.IntegerConverter", connectors.KindConverter},
		{"IntegerConverter", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.IntegerConverter", connectors.KindConverter},
		{"Integer", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.IntegerConverter", connectors.KindConverter},
		{"org.apache.kafka.connect.converters.LongConverter", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.LongConverter", connectors.KindConverter},
		{"LongConverter", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.LongConverter", connectors.KindConverter},
		{"Long", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.LongConverter", connectors.KindConverter},
		{"org.apache.kafka.connect.converters.FloatConverter", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.FloatConverter", connectors.KindConverter},
		{"FloatConverter", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.FloatConverter", connectors.KindConverter},
		{"Float", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.FloatConverter", connectors.KindConverter},
		{"org.apache.kafka.connect.converters.DoubleConverter", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.DoubleConverter", connectors.KindConverter},
		{"DoubleConverter", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.DoubleConverter", connectors.KindConverter},
		{"Double", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.DoubleConverter", connectors.KindConverter},
		{"org.apache.kafka.connect.converters.BooleanConverter", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.BooleanConverter", connectors.KindConverter},
		{"BooleanConverter", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.BooleanConverter", connectors.KindConverter},
		{"Boolean", []connectors.Kind{connectors.KindConverter}, "org.apache.kafka.connect.converters.BooleanConverter", connectors.KindConverter},
		// Transforms and predicates: top-level classes have aliases, nested
		// $Key/$Value classes only their full names.
		{"org.apache.kafka.connect.transforms.InsertField$Value", []connectors.Kind{connectors.KindTransform}, "org.apache.kafka.connect.transforms.InsertField$Value", connectors.KindTransform},
		{"org.apache.kafka.connect.transforms.Cast$Key", []connectors.Kind{connectors.KindTransform}, "org.apache.kafka.connect.transforms.Cast$Key", connectors.KindTransform},
		{"org.apache.kafka.connect.transforms.TimestampConverter$Value", []connectors.Kind{connectors.KindTransform}, "org.apache.kafka.connect.transforms.TimestampConverter$Value", connectors.KindTransform},
		{"org.apache.kafka.connect.transforms.Flatten$Value", []connectors.Kind{connectors.KindTransform}, "org.apache.kafka.connect.transforms.Flatten$Value", connectors.KindTransform},
		{"ValueToKey", []connectors.Kind{connectors.KindTransform}, "org.apache.kafka.connect.transforms.ValueToKey", connectors.KindTransform},
		{"Filter", []connectors.Kind{connectors.KindTransform}, "org.apache.kafka.connect.transforms.Filter", connectors.KindTransform},
		{"RegexRouter", []connectors.Kind{connectors.KindTransform}, "org.apache.kafka.connect.transforms.RegexRouter", connectors.KindTransform},
		{"TimestampRouter", []connectors.Kind{connectors.KindTransform}, "org.apache.kafka.connect.transforms.TimestampRouter", connectors.KindTransform},
		{"InsertHeader", []connectors.Kind{connectors.KindTransform}, "org.apache.kafka.connect.transforms.InsertHeader", connectors.KindTransform},
		{"DropHeaders", []connectors.Kind{connectors.KindTransform}, "org.apache.kafka.connect.transforms.DropHeaders", connectors.KindTransform},
		{"TopicNameMatches", []connectors.Kind{connectors.KindPredicate}, "org.apache.kafka.connect.transforms.predicates.TopicNameMatches", connectors.KindPredicate},
		{"HasHeaderKey", []connectors.Kind{connectors.KindPredicate}, "org.apache.kafka.connect.transforms.predicates.HasHeaderKey", connectors.KindPredicate},
		{"RecordIsTombstone", []connectors.Kind{connectors.KindPredicate}, "org.apache.kafka.connect.transforms.predicates.RecordIsTombstone", connectors.KindPredicate},
		// Kafka lets header.converter name any converter that is also a HeaderConverter.
		{"org.apache.kafka.connect.storage.StringConverter", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.storage.StringConverter", connectors.KindHeaderConverter},
		{"StringConverter", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.storage.StringConverter", connectors.KindHeaderConverter},
		{"JsonConverter", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.json.JsonConverter", connectors.KindHeaderConverter},
		{"ByteArrayConverter", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.ByteArrayConverter", connectors.KindHeaderConverter},
		{"org.apache.kafka.connect.converters.ShortConverter", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.ShortConverter", connectors.KindHeaderConverter},
		{"ShortConverter", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.ShortConverter", connectors.KindHeaderConverter},
		{"Short", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.ShortConverter", connectors.KindHeaderConverter},
		{"org.apache.kafka.connect.converters.IntegerConverter", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.IntegerConverter", connectors.KindHeaderConverter},
		{"IntegerConverter", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.IntegerConverter", connectors.KindHeaderConverter},
		{"Integer", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.IntegerConverter", connectors.KindHeaderConverter},
		{"org.apache.kafka.connect.converters.LongConverter", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.LongConverter", connectors.KindHeaderConverter},
		{"LongConverter", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.LongConverter", connectors.KindHeaderConverter},
		{"Long", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.LongConverter", connectors.KindHeaderConverter},
		{"org.apache.kafka.connect.converters.FloatConverter", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.FloatConverter", connectors.KindHeaderConverter},
		{"FloatConverter", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.FloatConverter", connectors.KindHeaderConverter},
		{"Float", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.FloatConverter", connectors.KindHeaderConverter},
		{"org.apache.kafka.connect.converters.DoubleConverter", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.DoubleConverter", connectors.KindHeaderConverter},
		{"DoubleConverter", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.DoubleConverter", connectors.KindHeaderConverter},
		{"Double", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.DoubleConverter", connectors.KindHeaderConverter},
		{"org.apache.kafka.connect.converters.BooleanConverter", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.BooleanConverter", connectors.KindHeaderConverter},
		{"BooleanConverter", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.BooleanConverter", connectors.KindHeaderConverter},
		{"Boolean", []connectors.Kind{connectors.KindHeaderConverter}, "org.apache.kafka.connect.converters.BooleanConverter", connectors.KindHeaderConverter},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.kinds[0].String(), func(t *testing.T) {
			p, err := r.Lookup(tt.name, tt.kinds...)
			if err != nil {
				t.Fatalf("Lookup(%q): %v", tt.name, err)
			}
			if p.Class != tt.class || p.Kind != tt.kind {
				t.Errorf("Lookup(%q) = %s (%s), want %s (%s)", tt.name, p.Class, p.Kind, tt.class, tt.kind)
			}
		})
	}
}

func TestNewUnknownNameSuggests(t *testing.T) {
	r, err := New(strings.NewReader(""), &bytes.Buffer{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	_, err = r.Lookup("File Stream Source", connectors.KindSource, connectors.KindSink)
	var nf *connectors.NotFoundError
	if !errors.As(err, &nf) {
		t.Fatalf("Lookup(File Stream Source) error = %v, want *connectors.NotFoundError", err)
	}
	if !slices.Contains(nf.Suggestions, "FileStreamSource") {
		t.Errorf("suggestions = %q, want FileStreamSource among them", nf.Suggestions)
	}
}

// TestNewBuildsEveryConverter builds each converter plugin from the config
// the runtime passes, so a plugin whose Def rejects its own defaults fails here.
func TestNewBuildsEveryConverter(t *testing.T) {
	r, err := New(strings.NewReader(""), &bytes.Buffer{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	for _, p := range r.Plugins(connectors.KindConverter) {
		if _, err := p.NewConverter(map[string]string{connectors.ConverterTypeKey: "value"}); err != nil {
			t.Errorf("%s: %v", p.Class, err)
		}
	}
	for _, p := range r.Plugins(connectors.KindHeaderConverter) {
		if _, err := p.NewHeaderConverter(map[string]string{connectors.ConverterTypeKey: "header"}); err != nil {
			t.Errorf("%s: %v", p.Class, err)
		}
	}
}

// TestTransformNamesAsKafka checks every transform and predicate Kafka 3.9
// ships is registered, and that the nested $Key/$Value classes have no
// alias: "Value" would name sixteen classes, so Kafka drops it.
func TestTransformNamesAsKafka(t *testing.T) {
	r, err := New(strings.NewReader(""), &bytes.Buffer{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	const pkg = "org.apache.kafka.connect.transforms."
	var want []string
	for _, base := range []string{"Cast", "ExtractField", "Flatten", "HeaderFrom", "HoistField", "InsertField", "MaskField", "ReplaceField", "SetSchemaMetadata", "TimestampConverter"} {
		want = append(want, pkg+base+"$Key", pkg+base+"$Value")
	}
	for _, c := range []string{"DropHeaders", "Filter", "InsertHeader", "RegexRouter", "TimestampRouter", "ValueToKey"} {
		want = append(want, pkg+c)
	}
	var got []string
	for _, p := range r.Plugins(connectors.KindTransform) {
		got = append(got, p.Class)
		if strings.Contains(p.Class, "$") && len(r.Aliases(p)) != 0 {
			t.Errorf("%s has aliases %v", p.Class, r.Aliases(p))
		}
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("transforms:\n got %v\nwant %v", got, want)
	}
	var preds []string
	for _, p := range r.Plugins(connectors.KindPredicate) {
		preds = append(preds, p.Class)
	}
	if want := []string{pkg + "predicates.HasHeaderKey", pkg + "predicates.RecordIsTombstone", pkg + "predicates.TopicNameMatches"}; !slices.Equal(preds, want) {
		t.Errorf("predicates = %v, want %v", preds, want)
	}
	_, err = r.Lookup("InsertField$Value", connectors.KindTransform)
	if err == nil || !strings.Contains(err.Error(), "did you mean org.apache.kafka.connect.transforms.InsertField$Value") {
		t.Errorf("a short nested name: %v, want a suggestion of the full class name", err)
	}
}
