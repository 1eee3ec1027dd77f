// Package examples_test pins the example files to the keys and values of the
// files Apache Kafka ships, so that the examples stay drop-in replacements.
// End-to-end runs of the same files with the binary live with the command's
// tests.
package examples_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors/builtin"
	"github.com/connect-standalone/connect-standalone/runner"
)

// shipped holds the non-comment content of Kafka's config/connect-*.properties.
var shipped = map[string]map[string]string{
	"connect-standalone.properties": {
		"bootstrap.servers":              "localhost:9092",
		"key.converter":                  "org.apache.kafka.connect.json.JsonConverter",
		"value.converter":                "org.apache.kafka.connect.json.JsonConverter",
		"key.converter.schemas.enable":   "true",
		"value.converter.schemas.enable": "true",
		"offset.storage.file.filename":   "/tmp/connect.offsets",
		"offset.flush.interval.ms":       "10000",
	},
	"connect-file-source.properties": {
		"name":            "local-file-source",
		"connector.class": "FileStreamSource",
		"tasks.max":       "1",
		"file":            "test.txt",
		"topic":           "connect-test",
	},
	"connect-file-sink.properties": {
		"name":            "local-file-sink",
		"connector.class": "FileStreamSink",
		"tasks.max":       "1",
		"file":            "test.sink.txt",
		"topics":          "connect-test",
	},
	"connect-console-source.properties": {
		"name":            "local-console-source",
		"connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector",
		"tasks.max":       "1",
		"topic":           "connect-test",
	},
	"connect-console-sink.properties": {
		"name":            "local-console-sink",
		"connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector",
		"tasks.max":       "1",
		"topics":          "connect-test",
	},
}

// loadProperties reads a file with the worker's own loader.
func loadProperties(t *testing.T, path string) map[string]string {
	t.Helper()
	p, err := config.LoadProperties(path)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	return p
}

func TestPropertiesMatchKafka(t *testing.T) {
	for name, want := range shipped {
		t.Run(name, func(t *testing.T) {
			got := loadProperties(t, name)
			if !maps.Equal(got, want) {
				t.Errorf("%s:\n got %v\nwant %v", name, got, want)
			}
		})
	}
}

func TestPluginPathIsCommentedOut(t *testing.T) {
	b, err := os.ReadFile("connect-standalone.properties")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(strings.Split(string(b), "\n"), "#plugin.path=") {
		t.Error("connect-standalone.properties: want the line #plugin.path= as in Kafka's file")
	}
}

// TestJSONMatchesProperties checks the connector files in Kafka 3.7's JSON
// form ({"name": ..., "config": {...}}) against their .properties twins.
func TestJSONMatchesProperties(t *testing.T) {
	for _, base := range []string{"connect-file-source", "connect-file-sink"} {
		t.Run(base, func(t *testing.T) {
			b, err := os.ReadFile(base + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var req struct {
				Name   string            `json:"name"`
				Config map[string]string `json:"config"`
			}
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&req); err != nil {
				t.Fatalf("decode %s.json: %v", base, err)
			}
			want := maps.Clone(shipped[base+".properties"])
			if req.Name != want["name"] {
				t.Errorf("name = %q, want %q", req.Name, want["name"])
			}
			delete(want, "name")
			if !maps.Equal(req.Config, want) {
				t.Errorf("config:\n got %v\nwant %v", req.Config, want)
			}
		})
	}
}

func TestEveryFileIsChecked(t *testing.T) {
	checked := map[string]bool{
		"README.md":                true,
		"examples_test.go":         true,
		"test.txt":                 true,
		"connect-file-source.json": true,
		"connect-file-sink.json":   true,
		".gitignore":               true,
		// Run by the end-to-end test of the HDFS lab.
		"test_hdfs.jsonl": true,
	}
	for _, name := range extraExamples {
		checked[name] = true
	}
	for name := range shipped {
		checked[name] = true
	}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "test.sink.txt" { // written by the file sink example
			continue
		}
		if !checked[e.Name()] {
			t.Errorf("%s: no test checks this file; add it to examples_test.go", filepath.Join("examples", e.Name()))
		}
	}
}

// extraExamples are the connector files of our own.
var extraExamples = []string{
	"connect-file-source-transforms.properties",
	"connect-file-sink-transforms.properties",
	"hdfs-connector.properties",
	"hdfs-lab-source.properties",
	"s3-sink.properties",
	"jdbc-sink-postgres.properties",
	"jdbc-source-postgres.properties",
}

// TestExtraExamplesValidate checks the examples of our own (Kafka ships no
// such files) the way the worker does at start, with the built-in plugins:
// every key known, every transform and predicate configured.
func TestExtraExamplesValidate(t *testing.T) {
	reg, err := builtin.New(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var conns []config.ConnectorFile
	for _, name := range extraExamples {
		cf, err := config.LoadConnectorFile(name)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, cf)
	}
	var logs bytes.Buffer
	_, err = runner.New(runner.Options{
		WorkerFile: "connect-standalone.properties", WorkerProps: loadProperties(t, "connect-standalone.properties"),
		Connectors: conns, Registry: reg, Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatalf("the worker refuses the examples: %v", err)
	}
	if strings.Contains(logs.String(), "level=WARN") {
		t.Errorf("the examples draw warnings:\n%s", logs.String())
	}
}

func TestInputFile(t *testing.T) {
	b, err := os.ReadFile("test.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(b) {
		t.Error("test.txt is not valid UTF-8")
	}
	if !bytes.HasSuffix(b, []byte("\n")) {
		t.Error("test.txt: the last line has no line terminator, so the file source would hold it back")
	}
	if !slices.ContainsFunc(bytes.Split(b, []byte("\n")), func(l []byte) bool { return utf8.RuneCount(l) != len(l) }) {
		t.Error("test.txt: want at least one non-ASCII line")
	}
}
