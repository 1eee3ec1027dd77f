package cmd

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
)

func TestPluginsGolden(t *testing.T) {
	tests := []struct {
		golden string
		argv   []string
	}{
		{"list.txt", []string{}},
		{"list.txt", []string{"list"}},
		{"list.md", []string{"list", "--output", "markdown"}},
		{"list.json", []string{"list", "-o", "json"}},
		{"describe-source.txt", []string{"describe", "FileStreamSource"}},
		{"describe-source.md", []string{"describe", "FileStreamSourceConnector", "--output", "markdown"}},
		{"describe-source.json", []string{"describe", "org.apache.kafka.connect.file.FileStreamSourceConnector", "-o", "json"}},
		{"describe-sink.txt", []string{"describe", "FileStreamSink"}},
		{"describe-transform.txt", []string{"describe", "org.apache.kafka.connect.transforms.InsertField$Value"}},
		{"describe-transform.json", []string{"describe", "org.apache.kafka.connect.transforms.InsertField$Value", "-o", "json"}},
		{"describe-converter.txt", []string{"describe", "Json"}},
		{"describe-predicate.md", []string{"describe", "HasHeaderKey", "-o", "markdown"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(append([]string{"plugins"}, tt.argv...), " "), func(t *testing.T) {
			stdout, stderr, code, err := runCmd(t, newCmdPlugins, tt.argv)
			if code != exitOK || err != nil || stderr != "" {
				t.Fatalf("exit code %d, error %v, stderr %q; want success", code, err, stderr)
			}
			if strings.HasSuffix(tt.golden, ".json") && !json.Valid([]byte(stdout)) {
				t.Errorf("stdout is not JSON:\n%s", stdout)
			}
			checkGolden(t, filepath.Join("testdata", "plugins", tt.golden), []byte(stdout))
		})
	}
}

// TestPluginsJSONShape checks the JSON against the fields Kafka's REST API
// gives, beyond what the golden files show by example.
func TestPluginsJSONShape(t *testing.T) {
	t.Run("list", func(t *testing.T) {
		stdout, _, _, err := runCmd(t, newCmdPlugins, []string{"-o", "json"})
		if err != nil {
			t.Fatal(err)
		}
		var got []map[string]string
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatal(err)
		}
		rank := map[string]int{"sink": 0, "source": 1, "transformation": 2, "predicate": 3, "converter": 4, "header_converter": 5}
		last := 0
		for _, p := range got {
			r, ok := rank[p["type"]]
			if !ok || p["class"] == "" || p["version"] == "" || len(p) != 3 {
				t.Errorf("plugin %v: want class, one of Kafka's types and version", p)
			}
			if r < last {
				t.Errorf("%s (%s) listed after a later type: want Kafka's order", p["class"], p["type"])
			}
			last = r
		}
	})
	t.Run("describe connector", func(t *testing.T) {
		stdout, _, _, err := runCmd(t, newCmdPlugins, []string{"describe", "FileStreamSink", "-o", "json"})
		if err != nil {
			t.Fatal(err)
		}
		var got []config.ConfigKeyInfo
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatal(err)
		}
		names := make(map[string]int)
		for i, k := range got {
			if _, dup := names[k.Name]; dup {
				t.Errorf("key %s listed twice", k.Name)
			}
			names[k.Name] = i
		}
		// The plugin's own key first, then the framework's sink keys.
		if i, ok := names["file"]; !ok || i != 0 {
			t.Errorf("file at %d (present %v), want first", i, ok)
		}
		for _, k := range []string{"name", "connector.class", "tasks.max", "topics", "topics.regex"} {
			if i, ok := names[k]; !ok || i == 0 {
				t.Errorf("framework key %s missing or before the plugin's keys", k)
			}
		}
		if _, ok := names["exactly.once.support"]; ok {
			t.Error("a sink lists a source-only key")
		}
	})
}

func TestPluginsLookupMiss(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"FileStreamSourc", []string{`no plugin class or alias matches "FileStreamSourc"`, "did you mean FileStreamSource", "plugins list"}},
		{"Nothing at all like it", []string{`no plugin class or alias matches "Nothing at all like it"`, "plugins list"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, code, err := runCmd(t, newCmdPlugins, []string{"describe", tt.name})
			if code != exitError || err == nil {
				t.Fatalf("exit code %d, error %v; want 1 and an error", code, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

func TestPluginsUsage(t *testing.T) {
	tests := []struct {
		name string
		argv []string
		want string
	}{
		{"describe without a name", []string{"describe"}, "describe takes one plugin name"},
		{"describe two names", []string{"describe", "a", "b"}, "describe takes one plugin name"},
		{"list with a name", []string{"list", "FileStreamSource"}, `list takes no arguments, got "FileStreamSource"`},
		{"a name without describe", []string{"FileStreamSource"}, `unknown action "FileStreamSource": want list or describe NAME`},
		{"bad output", []string{"--output", "yaml"}, `--output "yaml": want text, markdown or json`},
		{"unknown flag", []string{"--strict"}, "unknown flag: --strict"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, code, err := runCmd(t, newCmdPlugins, tt.argv)
			var ue *usageError
			if code != exitError || !errors.As(err, &ue) {
				t.Fatalf("exit code %d, error %v; want 1 and a usage error", code, err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "connect-standalone plugins --help") {
				t.Errorf("error %q, want it to say %q and point at the help", err, tt.want)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}
