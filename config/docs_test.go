package config

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// docsDef exercises every rendering rule in a few keys.
func docsDef() *Def {
	return &Def{
		Keys: []Key{
			{Name: "file", Type: String, Required: true, Validate: NonEmptyString(), Importance: High, Group: "Common", Doc: "File to read."},
			{Name: "batch.size", Type: Int, Default: int32(2000), Validate: AtLeast(1), Importance: Low, Group: "Common", Doc: "Lines per poll."},
			{Name: "topics", Type: List, Default: []string{"a", "b"}, Importance: Medium, Doc: "Topics | pipes are escaped,\nnewlines folded."},
			{Name: "empty", Type: String, Default: "", Importance: Low, Doc: "Empty default."},
			{Name: "unset", Type: Long, Importance: Low, Doc: "No default."},
			{Name: "secret", Type: Password, Default: Secret("hunter2"), Importance: Medium, Doc: "Hidden."},
			{Name: "ratio", Type: Double, Default: 0.5, Importance: Low, Doc: "A ratio."},
			{Name: "later", Type: Bool, Default: false, Importance: Low, Doc: "Not yet.", Status: NotUsedYet},
			{Name: "old", Type: String, Importance: Low, Doc: "Removed in 1.0.", Status: Removed},
			{Name: "dist", Type: String, Importance: Low, Doc: "Elsewhere.", Status: DistributedOnly},
		},
		Prefixes: []Prefix{
			{Name: "producer.", Doc: "Producer settings."},
			{Name: "ssl.", Doc: "TLS.", Status: NotUsedYet},
		},
	}
}

func TestWriteDocsGolden(t *testing.T) {
	defs := []struct {
		name string
		def  *Def
	}{
		{"docs", docsDef()},
		{"worker", WorkerDef()},
		{"source-connector", SourceConnectorDef()},
		{"sink-connector", SinkConnectorDef()},
	}
	for _, d := range defs {
		for _, format := range []string{"md", "json"} {
			t.Run(d.name+"."+format, func(t *testing.T) {
				var buf bytes.Buffer
				write := d.def.WriteMarkdown
				if format == "json" {
					write = d.def.WriteJSON
				}
				if err := write(&buf); err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("testdata", "docs", d.name+"."+format)
				checkGolden(t, golden, buf.Bytes())
			})
		}
	}
}

func TestWriteJSONShape(t *testing.T) {
	var buf bytes.Buffer
	if err := docsDef().WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Keys []struct {
			Name         string  `json:"name"`
			Required     bool    `json:"required"`
			DefaultValue *string `json:"default_value"`
			ValidValues  *string `json:"valid_values"`
			Group        *string `json:"group"`
			Order        int     `json:"order"`
			Status       string  `json:"status"`
		} `json:"keys"`
		Prefixes []struct {
			Prefix string `json:"prefix"`
		} `json:"prefixes"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	k := got.Keys
	if len(k) != 10 || len(got.Prefixes) != 2 {
		t.Fatalf("got %d keys and %d prefixes", len(k), len(got.Prefixes))
	}
	if !k[0].Required || k[0].DefaultValue != nil || *k[0].ValidValues != "non-empty string" || *k[0].Group != "Common" {
		t.Errorf("file: %+v", k[0])
	}
	if k[1].Order != 2 || *k[1].DefaultValue != "2000" || *k[1].ValidValues != "[1,...]" {
		t.Errorf("batch.size: %+v", k[1])
	}
	if *k[2].DefaultValue != "a,b" || k[2].Group != nil || k[2].ValidValues != nil {
		t.Errorf("topics: %+v", k[2])
	}
	if k[4].DefaultValue != nil || k[4].Required {
		t.Errorf("unset: %+v", k[4])
	}
	if *k[5].DefaultValue != "[hidden]" {
		t.Errorf("secret default leaked: %+v", k[5])
	}
	if k[7].Status != "not used yet" {
		t.Errorf("later: %+v", k[7])
	}
}

func TestWriteDocsErrors(t *testing.T) {
	for name, write := range map[string]func(*Def) error{
		"markdown": func(d *Def) error { return d.WriteMarkdown(failWriter{}) },
		"json":     func(d *Def) error { return d.WriteJSON(failWriter{}) },
	} {
		if err := write(WorkerDef()); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: got %v, want the write error", name, err)
		}
	}
}
