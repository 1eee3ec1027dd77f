package connectors

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
)

type nopSource struct{}

func (nopSource) Config() *config.Def { return &config.Def{} }
func (nopSource) Start(context.Context, ConnectorContext, config.Values) error {
	return nil
}
func (nopSource) TaskConfigs(int) ([]map[string]string, error) { return nil, nil }
func (nopSource) Stop(context.Context) error                   { return nil }
func (nopSource) NewTask() SourceTask                          { return nil }

type nopConverter struct{ HeaderConverter }

func (nopConverter) FromConnect(context.Context, string, Headers, SchemaAndValue) ([]byte, error) {
	return nil, nil
}
func (nopConverter) ToConnect(context.Context, string, Headers, []byte) (SchemaAndValue, error) {
	return SchemaAndValue{}, nil
}

func source(class string) Plugin {
	return Plugin{Class: class, Kind: KindSource, Def: &config.Def{}, NewSource: func() SourceConnector { return nopSource{} }}
}

func converter(class string, kind Kind) Plugin {
	p := Plugin{Class: class, Kind: kind, Def: &config.Def{}}
	if kind == KindConverter {
		p.NewConverter = func(map[string]string) (Converter, error) { return nopConverter{}, nil }
	} else {
		p.NewHeaderConverter = func(map[string]string) (HeaderConverter, error) { return nopConverter{}, nil }
	}
	return p
}

func testRegistry(t *testing.T) *Registry {
	t.Helper()
	r := NewRegistry()
	for _, p := range []Plugin{
		source("org.apache.kafka.connect.file.FileStreamSourceConnector"),
		source("org.example.MirrorSourceConnector"),
		converter("org.apache.kafka.connect.storage.StringConverter", KindConverter),
		converter("org.apache.kafka.connect.storage.StringConverter", KindHeaderConverter),
		converter("org.apache.kafka.connect.storage.SimpleHeaderConverter", KindHeaderConverter),
	} {
		if err := r.Register(p); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func TestAliasesAreKafkas(t *testing.T) {
	tests := []struct {
		plugin Plugin
		want   []string
	}{
		{source("org.apache.kafka.connect.file.FileStreamSourceConnector"), []string{"FileStreamSourceConnector", "FileStreamSource"}},
		{converter("org.apache.kafka.connect.json.JsonConverter", KindConverter), []string{"JsonConverter", "Json"}},
		{converter("org.apache.kafka.connect.storage.SimpleHeaderConverter", KindHeaderConverter), []string{"SimpleHeaderConverter", "Simple"}},
		{converter("org.apache.kafka.connect.storage.StringConverter", KindHeaderConverter), []string{"StringConverter"}},
		{source("a.b.Connector"), []string{"Connector"}}, // nothing left to prune
		{source("a.b.Outer$Inner"), []string{"Inner"}},
	}
	for _, tt := range tests {
		if got := tt.plugin.Aliases(); !slices.Equal(got, tt.want) {
			t.Errorf("Aliases(%s) = %v, want %v", tt.plugin.Class, got, tt.want)
		}
	}
}

func TestLookup(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		name  string
		kinds []Kind
		want  string
	}{
		{"org.apache.kafka.connect.file.FileStreamSourceConnector", []Kind{KindSource, KindSink}, "org.apache.kafka.connect.file.FileStreamSourceConnector"},
		{"FileStreamSourceConnector", []Kind{KindSource, KindSink}, "org.apache.kafka.connect.file.FileStreamSourceConnector"},
		{" FileStreamSource ", []Kind{KindSource, KindSink}, "org.apache.kafka.connect.file.FileStreamSourceConnector"},
		{"String", []Kind{KindConverter}, "org.apache.kafka.connect.storage.StringConverter"},
		// An alias computed for one kind names the class for every kind.
		{"String", []Kind{KindHeaderConverter}, "org.apache.kafka.connect.storage.StringConverter"},
		{"Simple", []Kind{KindHeaderConverter}, "org.apache.kafka.connect.storage.SimpleHeaderConverter"},
	}
	for _, tt := range tests {
		p, err := r.Lookup(tt.name, tt.kinds...)
		if err != nil || p.Class != tt.want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", tt.name, p.Class, err, tt.want)
		}
	}
	if _, err := r.Lookup("Simple", KindConverter); err == nil {
		t.Error("a header-only class resolved as a converter")
	}
}

func TestLookupSuggestsNearestNames(t *testing.T) {
	r := testRegistry(t)
	for _, name := range []string{"File Stream Source", "FileStreamSorce", "filestreamsource", "org.apache.kafka.connect.file.FileStreamSource"} {
		_, err := r.Lookup(name, KindSource, KindSink)
		var nf *NotFoundError
		if !errors.As(err, &nf) {
			t.Fatalf("Lookup(%q) = %v, want a *NotFoundError", name, err)
		}
		if len(nf.Suggestions) == 0 || nf.Suggestions[0] != "FileStreamSource" {
			t.Errorf("Lookup(%q) suggests %v, want FileStreamSource first", name, nf.Suggestions)
		}
		if !strings.Contains(err.Error(), "did you mean FileStreamSource") {
			t.Errorf("message %q does not suggest FileStreamSource", err)
		}
	}
	_, err := r.Lookup("zzzzzzzzzzzzzzzzzzzzzzzz", KindSource)
	var nf *NotFoundError
	if !errors.As(err, &nf) || len(nf.Suggestions) != 0 {
		t.Errorf("an unrelated name got suggestions: %v", err)
	}
}

func TestAmbiguousAliasesNameNoClass(t *testing.T) {
	r := testRegistry(t)
	other := source("org.other.FileStreamSourceConnector")
	if err := r.Register(other); err != nil {
		t.Fatal(err)
	}
	for _, alias := range []string{"FileStreamSource", "FileStreamSourceConnector"} {
		if p, err := r.Lookup(alias, KindSource); err == nil {
			t.Errorf("Lookup(%q) = %s; an alias of two classes must name neither, as in Kafka", alias, p.Class)
		}
	}
	for _, class := range []string{"org.other.FileStreamSourceConnector", "org.apache.kafka.connect.file.FileStreamSourceConnector"} {
		p, err := r.Lookup(class, KindSource)
		if err != nil || p.Class != class {
			t.Errorf("Lookup(%q) = %v, %v; full class names stay unambiguous", class, p.Class, err)
		}
		if a := r.Aliases(p); len(a) != 0 {
			t.Errorf("Aliases(%s) = %v, want none", class, a)
		}
	}
	// With no alias left, suggestions name the classes.
	_, err := r.Lookup("FileStreamSorce", KindSource)
	if err == nil || !strings.Contains(err.Error(), "org.other.FileStreamSourceConnector") {
		t.Errorf("suggestion for an alias-less class: %v", err)
	}
}

func TestRegisterRejectsCollisions(t *testing.T) {
	r := testRegistry(t)
	if err := r.Register(source("org.apache.kafka.connect.file.FileStreamSourceConnector")); err == nil {
		t.Error("a class registered twice for one kind was accepted")
	}
	if err := r.Register(Plugin{Class: "x.NoConstructorConnector", Kind: KindSource, Def: &config.Def{}}); err == nil {
		t.Error("a plugin without its constructor was accepted")
	}
}
