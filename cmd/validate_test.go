package cmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; run go test ./cmd -run %s -update", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run with -update to accept):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// runCmd executes a subcommand built by newCmd and returns its standard
// output, standard error and the exit code Main would give its error.
func runCmd(t *testing.T, newCmd func(*IOStreams) *cobra.Command, argv []string) (stdout, stderr string, code int, err error) {
	t.Helper()
	ios, _, out, errOut := testIO()
	c := newCmd(ios)
	c.SetArgs(argv)
	err = c.Execute()
	return out.String(), errOut.String(), exitCode(err), err
}

func td(name string) string { return filepath.Join("testdata", "validate", name) }

func TestValidateGolden(t *testing.T) {
	tests := []struct {
		golden   string
		argv     []string
		wantCode int
	}{
		{"valid", []string{td("worker.properties"), td("source.properties"), td("sink.json")}, exitOK},
		{"worker-only", []string{td("worker.properties")}, exitOK},
		{"warnings", []string{td("worker-warnings.properties"), td("source-typos.properties")}, exitOK},
		{"warnings-strict", []string{"--strict", td("worker-warnings.properties"), td("source-typos.properties")}, exitWorker},
		{"connector-warnings-strict", []string{"--strict", td("worker.properties"), td("source-typos.properties")}, exitConnector},
		{"worker-invalid", []string{td("worker-invalid.properties"), td("source.properties")}, exitWorker},
		{"connectors-invalid", []string{td("worker.properties"), td("sink-invalid.properties"), td("unknown-class.properties"), td("source.properties")}, exitConnector},
		{"duplicate-name", []string{td("worker.properties"), td("source.properties"), td("duplicate.properties")}, exitConnector},
		{"unloadable", []string{td("worker.properties"), td("broken.json"), td("no-name.properties"), td("missing.properties"), td("source.properties")}, exitConnector},
		{"worker-missing", []string{td("missing.properties"), td("sink-invalid.properties")}, exitWorker},
		{"json", []string{"--output", "json", td("worker-warnings.properties"), td("source.properties"), td("sink-invalid.properties")}, exitConnector},
		{"json-valid", []string{"-o", "json", td("worker.properties"), td("sink.json")}, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			stdout, stderr, code, _ := runCmd(t, newCmdValidate, tt.argv)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d; stderr: %s", code, tt.wantCode, stderr)
			}
			if stderr != "" {
				t.Errorf("stderr = %q, want nothing: Main prints the returned error", stderr)
			}
			ext := ".txt"
			if strings.HasPrefix(tt.golden, "json") {
				ext = ".json"
				if !json.Valid([]byte(stdout)) {
					t.Errorf("stdout is not JSON:\n%s", stdout)
				}
			}
			checkGolden(t, td("golden/"+tt.golden+ext), []byte(stdout))
		})
	}
}

// TestValidateReport checks the report's structure, which the golden files
// show but do not explain: what each problem is attributed to.
func TestValidateReport(t *testing.T) {
	type want struct {
		file, key, severity string
		message, hint       string // substrings
	}
	tests := []struct {
		name      string
		argv      []string
		wantValid bool
		want      []want
	}{
		{
			name:      "unknown keys warn, with the nearest key",
			argv:      []string{td("worker-warnings.properties"), td("source-typos.properties")},
			wantValid: true,
			want: []want{
				{td("worker-warnings.properties"), "offset.flush.interval", "warning", "not a known configuration key", `did you mean "offset.flush.interval.ms"?`},
				{td("worker-warnings.properties"), "group.id", "warning", "distributed mode only", ""},
				{td("source-typos.properties"), "files", "warning", "not a known configuration key", `did you mean "file"?`},
				{td("source-typos.properties"), "transforms.wrap.fild", "warning", "not a known configuration key", `did you mean "transforms.wrap.field"?`},
			},
		},
		{
			name: "strict makes them errors",
			argv: []string{"--strict", td("worker.properties"), td("source-typos.properties")},
			want: []want{
				{td("source-typos.properties"), "files", "error", "not a known configuration key", `did you mean "file"?`},
				{td("source-typos.properties"), "transforms.wrap.fild", "error", "not a known configuration key", `did you mean "transforms.wrap.field"?`},
			},
		},
		{
			name: "worker errors with types, valid values and suggestions",
			argv: []string{td("worker-invalid.properties")},
			want: []want{
				{td("worker-invalid.properties"), "key.converter", "error", `missing required configuration "key.converter"`, "expected CLASS"},
				{td("worker-invalid.properties"), "offset.flush.interval.ms", "error", `invalid value "ten seconds"`, "expected LONG"},
				{td("worker-invalid.properties"), "value.converter", "error", `no converter class or alias matches "Jsonn"`, "did you mean Json"},
			},
		},
		{
			name: "connector errors name the connector file",
			argv: []string{td("worker.properties"), td("sink-invalid.properties"), td("unknown-class.properties")},
			want: []want{
				{td("sink-invalid.properties"), "tasks.max", "error", "Value must be at least 1", "expected INT: [1,...]"},
				{td("sink-invalid.properties"), "errors.tolerance", "error", "String must be one of: none, all", "expected STRING: [none, all]"},
				{td("sink-invalid.properties"), "transforms.mask.negate", "error", "no config 'transforms.mask.predicate'", "expected BOOLEAN"},
				{td("sink-invalid.properties"), "transforms.mask.fields", "error", `missing required configuration "transforms.mask.fields"`, "expected LIST"},
				{td("sink-invalid.properties"), "transforms.route.type", "error", `no transformation class or alias matches "RegexRoutr"`, "did you mean RegexRouter?"},
				{td("unknown-class.properties"), "connector.class", "error", `no connector class or alias matches "FileStreamSourc"`, "did you mean FileStreamSource"},
			},
		},
		{
			name: "load errors",
			argv: []string{td("worker.properties"), td("broken.json"), td("no-name.properties"), td("missing.properties")},
			want: []want{
				{td("broken.json"), "", "error", "line 5", ""},
				{td("no-name.properties"), "name", "error", "is missing the mandatory 'name' configuration", "expected STRING"},
				{td("missing.properties"), "", "error", "cannot read the file: no such file or directory", ""},
			},
		},
		{
			name: "a name defined twice",
			argv: []string{td("worker.properties"), td("source.properties"), td("duplicate.properties")},
			want: []want{
				{td("duplicate.properties"), "", "error", `connector "local-file-source" is already defined in ` + td("source.properties"), ""},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, _, _ := runCmd(t, newCmdValidate, append([]string{"--output", "json"}, tt.argv...))
			var got validation
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("%v:\n%s", err, stdout)
			}
			if got.Valid != tt.wantValid {
				t.Errorf("valid = %v, want %v", got.Valid, tt.wantValid)
			}
			var all []want
			for _, f := range got.Files {
				for _, p := range f.Problems {
					all = append(all, want{f.File, p.Key, p.Severity, p.Message, p.Hint})
				}
			}
			if len(all) != len(tt.want) {
				t.Errorf("got %d problems, want %d:\n%s", len(all), len(tt.want), stdout)
			}
			for _, w := range tt.want {
				found := false
				for _, g := range all {
					if g.file == w.file && g.key == w.key && g.severity == w.severity &&
						strings.Contains(g.message, w.message) && strings.Contains(g.hint, w.hint) {
						found = true
					}
				}
				if !found {
					t.Errorf("no problem %+v in:\n%s", w, stdout)
				}
			}
		})
	}
}

func TestValidateFileKinds(t *testing.T) {
	stdout, _, _, _ := runCmd(t, newCmdValidate, []string{"-o", "json", td("worker.properties"), td("source.properties"), td("sink.json")})
	var got validation
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	want := []struct{ file, kind, connector string }{
		{td("worker.properties"), "worker", ""},
		{td("source.properties"), "connector", "local-file-source"},
		{td("sink.json"), "connector", "local-file-sink"},
	}
	if len(got.Files) != len(want) {
		t.Fatalf("got %d files, want %d", len(got.Files), len(want))
	}
	for i, w := range want {
		f := got.Files[i]
		if f.File != w.file || f.Kind != w.kind || f.Connector != w.connector || f.Problems == nil {
			t.Errorf("file %d = %+v, want %+v with problems []", i, f, w)
		}
	}
}

func TestValidateUsage(t *testing.T) {
	tests := []struct {
		name string
		argv []string
		want string
	}{
		{"no files", []string{}, "missing the worker properties file"},
		{"bad output", []string{"--output", "yaml", td("worker.properties")}, `--output "yaml": want text or json`},
		{"unknown flag", []string{"--embedded-kafka", td("worker.properties")}, "unknown flag: --embedded-kafka"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, code, err := runCmd(t, newCmdValidate, tt.argv)
			if code != exitError {
				t.Errorf("exit code = %d, want %d", code, exitError)
			}
			var ue *usageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) ||
				!strings.Contains(err.Error(), "connect-standalone validate --help") {
				t.Errorf("error = %v, want a usage error containing %q", err, tt.want)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}
